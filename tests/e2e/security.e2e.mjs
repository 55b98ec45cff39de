// Privacy and hostile-trace safety, in Debian's Chromium:
// - offline: every built page (both locales) loads, hydrates its widgets and
//   searches with nothing but the site's own origin reachable;
// - the Content-Security-Policy meta is enforced, not only present;
// - a trace whose names and args carry HTML, </script>, javascript: URLs and
//   bidi controls shows them as literal text everywhere (bidi controls and
//   other invisible characters as visible escapes, ⟨U+202E⟩, on the canvas
//   too), runs nothing, and never leaves the browser.
// The browser talks to the network only through a recording proxy started
// here: it forwards requests for the site's origin and refuses everything else,
// so "no internet" is real and every request (favicons, workers, Wasm) is seen
// with its body, not only the ones the page's own events report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, collectConsoleErrors } from './harness.mjs';
import { displayText } from '../../src/lib/trace/display-text.ts';
import {
  ANNOT_CAT,
  ANNOT_NAME,
  CANARY,
  FILE_NAME,
  KERNEL_NAME,
  LAUNCH_NAME,
  OP_ARGS,
  OP_NAME,
  PROC_NAME,
  THREAD_NAME,
  hostileTrace,
  launchThroughProxy,
  offOrigin,
  recordRequests,
  startRecordingProxy,
  watchCspViolations,
  wireLeaks,
} from './privacy.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = resolve(root, 'dist');

/** URL paths of every HTML page in dist/ ("en/index.html" → "/en/", "404.html" → "/404.html"). */
function builtPages() {
  return readdirSync(DIST, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => '/' + relative(DIST, join(e.parentPath, e.name)).split(sep).join('/'))
    .map((p) => p.replace(/(^|\/)index\.html$/, '$1'))
    .sort();
}

/** Scrolls every timeline widget into view and waits until it hydrated and finished loading and analysing. */
async function settleWidgets(page) {
  const widgets = page.locator('section.tw-timeline');
  const n = await widgets.count();
  for (let i = 0; i < n; i++) {
    await widgets.nth(i).scrollIntoViewIfNeeded();
    await page.waitForFunction(
      (k) => {
        const el = document.querySelectorAll('section.tw-timeline')[k];
        return Boolean(el?.twTimeline) && el.dataset.state !== 'loading' && !el.twTimeline.view?.computing;
      },
      i,
      { timeout: 60_000 },
    );
  }
  return n;
}

async function searchSite(page, query) {
  await page.locator('site-search button[data-open-modal]:not([disabled])').first().click();
  const input = page.locator('#starlight__search input');
  await input.waitFor({ state: 'visible' });
  await input.fill(query);
  await page.locator('#starlight__search .pagefind-ui__result-link').first().waitFor({ state: 'visible', timeout: 15_000 });
}

/** Absolute URLs (http:, https:, protocol-relative) in places where a browser loads them, per file of dist/. */
function absoluteResourceUrls() {
  const found = [];
  const files = readdirSync(DIST, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.(html|css)$/.test(e.name));
  const absolute = /^\s*(https?:)?\/\//i;
  for (const e of files) {
    const file = join(e.parentPath, e.name);
    const text = readFileSync(file, 'utf8');
    const where = relative(DIST, file);
    if (e.name.endsWith('.css')) {
      for (const m of text.matchAll(/url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)/gi)) if (absolute.test(m[1] ?? m[2])) found.push(`${where}: ${m[1] ?? m[2]}`);
      continue;
    }
    for (const m of text.matchAll(/<(link|script|img|iframe|source|video|audio|embed|object|track|input)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi)) {
      const [tag, attrs] = [m[1].toLowerCase(), m[2]];
      const attr = (name) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs)?.slice(1).find((v) => v !== undefined);
      // <link rel=canonical / alternate / sitemap> name the public site; browsers do not fetch them.
      if (tag === 'link' && !/\b(stylesheet|preload|modulepreload|prefetch|preconnect|dns-prefetch|icon|apple-touch-icon|manifest)\b/i.test(attr('rel') ?? '')) continue;
      const urls = [attr('src'), attr('href'), attr('data'), attr('poster'), ...(attr('srcset') ?? '').split(',').map((c) => c.trim().split(/\s+/)[0])];
      for (const u of urls) if (u && absolute.test(u)) found.push(`${where}: <${tag}> ${u}`);
    }
  }
  return { files: files.length, found };
}

test('built pages and stylesheets load nothing from absolute URLs (no CDN fonts, scripts, preconnects)', () => {
  const { files, found } = absoluteResourceUrls();
  assert.ok(files > 0, 'dist/ has HTML and CSS files');
  assert.deepEqual(found, []);
});

test('offline: every built page, both locales, loads, hydrates and searches from its own origin only', async (t) => {
  const pages = builtPages();
  assert.ok(pages.some((p) => p.startsWith('/en/')) && pages.some((p) => p.startsWith('/zh-cn/')), `pages of both locales in dist/: ${pages}`);
  const origin = new URL(baseUrl()).origin;
  const proxy = await startRecordingProxy(baseUrl());
  const browser = await launchThroughProxy(proxy.url);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await watchCspViolations(context);
    const requests = recordRequests(context);
    let widgets = 0;
    for (const path of pages) {
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      await page.goto(baseUrl() + path, { waitUntil: 'networkidle' });
      // Lazy islands (client:visible) load when scrolled to.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      widgets += await settleWidgets(page);
      if (path === '/en/' || path === '/zh-cn/') await searchSite(page, path === '/en/' ? 'timeline' : '时间线');
      await page.waitForLoadState('networkidle');
      // The root page is a meta-refresh redirect: Chromium asks for /favicon.ico, which the site does not have.
      const errors = log.errors.filter((e) => !(path === '/' && /404/.test(e)));
      assert.deepEqual(errors, [], `console errors on ${path}`);
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], `CSP violations on ${path}`);
      await page.close();
    }
    assert.ok(widgets > 0, 'at least one page hydrated a timeline widget (its trace load is among the requests)');
    t.diagnostic(`${pages.length} pages, ${widgets} widgets, ${proxy.seen.length} requests through the proxy, ${requests.length} reported by the pages`);
    assert.ok(proxy.seen.length >= pages.length, 'the proxy saw the page loads');
    const services = proxy.seen.filter((r) => r.method === 'CONNECT' || !r.url.startsWith(origin)).map((r) => `${r.method} ${r.url.split('?')[0]}`);
    if (services.length) t.diagnostic(`refused requests Chromium made on its own: ${[...new Set(services)].join(', ')}`);
    assert.deepEqual(wireLeaks(proxy.seen, origin), [], 'every request on the wire went to the site');
    assert.deepEqual(offOrigin(requests.map((r) => r.url), origin), [], 'every request the pages made went to the site');
  } finally {
    await browser.close();
    await proxy.close();
  }
});

test('the Content-Security-Policy is enforced: injected inline script, third-party image and fetch are refused', async () => {
  const proxy = await startRecordingProxy(baseUrl());
  const browser = await launchThroughProxy(proxy.url);
  try {
    const context = await browser.newContext();
    await watchCspViolations(context);
    const page = await context.newPage();
    await page.goto(baseUrl() + '/en/', { waitUntil: 'networkidle' });
    const outcome = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = 1';
      document.head.append(script);
      const img = new Image();
      img.src = 'https://tracker.invalid/pixel.png';
      document.body.append(img);
      let fetched = 'sent';
      try {
        await fetch('https://tracker.invalid/collect', { method: 'POST', body: 'x' });
      } catch {
        fetched = 'refused';
      }
      await new Promise((r) => setTimeout(r, 300));
      return { injected: window.__injected, fetched, violations: window.__cspViolations.map((v) => v.split(' ')[0]) };
    });
    assert.equal(outcome.injected, undefined, 'the injected inline script did not run');
    assert.equal(outcome.fetched, 'refused');
    assert.deepEqual([...new Set(outcome.violations)].sort(), ['connect-src', 'img-src', 'script-src-elem']);
    assert.deepEqual(proxy.seen.filter((r) => /tracker\.invalid/.test(r.url)), [], 'the refused requests never reached the network');
  } finally {
    await browser.close();
    await proxy.close();
  }
});

// — a hostile trace (hostileTrace() and its names are in privacy.mjs) —

test('a hostile trace: names and args show as literal text (bidi controls escaped), nothing runs, nothing leaves the browser', async () => {
  const trace = hostileTrace();
  const bytes = Buffer.from(JSON.stringify(trace));
  const slices = trace.traceEvents.filter((e) => e.ph === 'X');
  const withCanary = slices.filter((e) => e.name.toLowerCase().includes(CANARY)).sort((a, b) => a.ts - b.ts);
  assert.deepEqual(withCanary.map((e) => e.name), [OP_NAME, KERNEL_NAME, ANNOT_NAME]);
  const origin = new URL(baseUrl()).origin;
  const proxy = await startRecordingProxy(baseUrl());
  const browser = await launchThroughProxy(proxy.url);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await watchCspViolations(context);
    // Every string drawn on a canvas, to check the labels as well as the DOM.
    await context.addInitScript(() => {
      window.__drawn = new Set();
      const fill = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        window.__drawn.add(String(text));
        return fill.call(this, text, ...rest);
      };
    });
    const page = await context.newPage();
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    const log = collectConsoleErrors(page);
    await page.goto(baseUrl() + '/en/reference/timeline/', { waitUntil: 'networkidle' });
    await settleWidgets(page);
    const widget = page.locator('section.tw-timeline').first();
    const seenBefore = proxy.seen.length;
    const requests = recordRequests(context);

    // Open the file the way a learner does ("Open a trace file…" is this input).
    await widget.locator('input.tw-file').setInputFiles({ name: FILE_NAME, mimeType: 'application/json', buffer: bytes });
    await page.waitForFunction(
      (name) => {
        const el = document.querySelector('section.tw-timeline');
        return el?.dataset.file === name && el.dataset.state === 'ready' && !el.twTimeline?.view?.computing;
      },
      FILE_NAME,
      { timeout: 60_000 },
    );
    assert.equal(await widget.locator('.tw-file-name').textContent(), displayText(FILE_NAME), 'the file name shows literally, bidi controls escaped');
    assert.notEqual(displayText(FILE_NAME), FILE_NAME);
    assert.equal(await widget.locator('.tw-file-name').getAttribute('title'), displayText(FILE_NAME));

    // Row and group labels (and their tooltips) are the names as written.
    const groups = await widget.locator('.tw-group-name').allTextContents();
    assert.ok(groups.some((g) => g.includes(PROC_NAME)), `process name literal in ${JSON.stringify(groups)}`);
    const rowName = widget.locator('.tw-row-name', { hasText: THREAD_NAME }).first();
    assert.equal(await rowName.textContent(), THREAD_NAME);
    assert.equal(await rowName.getAttribute('title'), THREAD_NAME);

    // Search for the canary: Enter selects the first match in time and opens its details.
    const search = widget.locator('input[type=search]');
    await search.fill(CANARY);
    await search.press('Enter');
    await widget.locator('.tw-count').getByText(`1 of ${withCanary.length}`).waitFor();
    const title = widget.locator('.tw-details .tw-title');
    assert.equal(await title.textContent(), OP_NAME);
    const args = new Map();
    for (const row of await widget.locator('.tw-details .tw-args tr').all()) args.set(await row.locator('th').textContent(), await row.locator('code').textContent());
    for (const [k, v] of Object.entries(OP_ARGS)) if (typeof v === 'string') assert.equal(args.get(k), displayText(v), `arg ${JSON.stringify(k)} shows literally`);

    // The kernel: its name, and the launch linked to it by the flow.
    await search.press('Enter');
    await widget.locator('.tw-count').getByText(`2 of ${withCanary.length}`).waitFor();
    assert.equal(await title.textContent(), displayText(KERNEL_NAME));
    const link = widget.locator('.tw-details button.tw-link').first();
    assert.equal(await link.textContent(), displayText(LAUNCH_NAME), 'the flow link names the launch literally, bidi controls escaped');

    // A hostile category.
    await search.press('Enter');
    await widget.locator('.tw-count').getByText(`3 of ${withCanary.length}`).waitFor();
    assert.equal(await title.textContent(), ANNOT_NAME);
    assert.equal(await widget.locator('.tw-details dd').first().textContent(), ANNOT_CAT, 'the category shows literally');

    // Back to the kernel, follow the flow to the launch: its parent chain names the op.
    await search.press('Shift+Enter');
    await widget.locator('.tw-count').getByText(`2 of ${withCanary.length}`).waitFor();
    await link.click();
    assert.equal(await title.textContent(), displayText(LAUNCH_NAME));
    assert.equal(await widget.locator('.tw-details .tw-crumbs button').first().textContent(), OP_NAME);
    const where = await widget.locator('.tw-details dd').filter({ hasText: THREAD_NAME }).count();
    assert.equal(where, 1, 'the track shows the thread name literally');

    // An area over everything: the per-name table.
    await page.evaluate(() => {
      const el = document.querySelector('section.tw-timeline');
      el.twTimeline.select({ startNs: 0, endNs: el.twTimeline.view.model.endNs });
    });
    await widget.locator('.tw-agg').waitFor();
    const aggNames = new Set(await widget.locator('.tw-agg td.tw-name').allTextContents());
    for (const s of slices) assert.ok(aggNames.has(displayText(s.name)), `area table lists ${JSON.stringify(s.name)} literally: ${JSON.stringify([...aggNames])}`);

    // No raw bidi control or invisible character anywhere in the page's text, its tooltips or on its canvases;
    // the kernel's escaped name was drawn as a label.
    // Zoom to the kernel (1040–1070 µs in the file, 1000.5 µs is the origin) so that its label is drawn.
    await page.evaluate(() => document.querySelector('section.tw-timeline').twTimeline.showRange({ startNs: 35_000, endNs: 75_000 }));
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
    const hidden = /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u061C\uFEFF]/;
    const shown = await page.evaluate(() => ({
      text: document.body.innerText,
      titles: [...document.querySelectorAll('[title], [aria-label]')].map((el) => `${el.getAttribute('title') ?? ''} ${el.getAttribute('aria-label') ?? ''}`),
      drawn: [...window.__drawn],
    }));
    assert.doesNotMatch(shown.text, hidden, 'no raw bidi control in the page text');
    assert.deepEqual(shown.titles.filter((x) => hidden.test(x)), [], 'no raw bidi control in a tooltip or label');
    assert.deepEqual(shown.drawn.filter((x) => hidden.test(x)), [], 'no raw bidi control drawn on a canvas');
    assert.ok(shown.drawn.some((x) => x.includes('⟨U+202E⟩')), `an escaped name was drawn: ${JSON.stringify(shown.drawn.filter((x) => x.length > 8).slice(0, 20))}`);

    await page.waitForLoadState('networkidle');
    const dom = await page.evaluate(() => ({
      pwned: window.__pwned,
      violations: window.__cspViolations,
      // An escaping bug would show up here even though the CSP would block the handler.
      handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 80)),
      imgX: document.querySelectorAll('img[src="x"]').length,
      svgInWidget: document.querySelectorAll('section.tw-timeline svg[onload]').length,
      jsLinks: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
      pwnScripts: [...document.scripts].filter((s) => s.text.includes('__pwned')).length,
    }));
    assert.deepEqual(dom, { pwned: undefined, violations: [], handlers: [], imgX: 0, svgInWidget: 0, jsLinks: 0, pwnScripts: 0 });
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.deepEqual(log.errors, [], 'no console errors');

    // Nothing about the trace went over the network while it was read and analysed.
    const wire = proxy.seen.slice(seenBefore);
    const carries = (r) => r.url.includes(CANARY) || r.url.includes('__pwned') || r.body.includes(CANARY) || r.body.includes(bytes.subarray(0, 64));
    assert.deepEqual(wire.filter(carries).map((r) => r.url), [], 'no request on the wire carries the trace');
    assert.deepEqual(requests.filter(carries).map((r) => r.url), [], 'no request the page made carries the trace');
    assert.deepEqual(wireLeaks(wire, origin), [], 'every request on the wire went to the site');
    assert.deepEqual(offOrigin(requests.map((r) => r.url), origin), [], 'every request the page made went to the site');
  } finally {
    await browser.close();
    await proxy.close();
  }
});
