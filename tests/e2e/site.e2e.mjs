// The site frame: both locales render translated content without console
// errors, the language switcher links the same page, and Pagefind search
// finds words from an English page and from a Chinese page. Every built page
// carries the Content-Security-Policy meta (src/integrations/csp.ts), so the
// console checks above also catch anything the policy blocks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');

const HOME = [
  { locale: 'en', path: '/en/', lang: 'en', heading: 'GPU: Qwen2.5-7B under tensor parallelism', other: '/zh-cn/' },
  { locale: 'zh-cn', path: '/zh-cn/', lang: 'zh-CN', heading: 'GPU：张量并行下的 Qwen2.5-7B', other: '/en/' },
];

test('home page in both locales: translated, no console errors, screenshot', async () => {
  const browser = await launchBrowser();
  try {
    for (const h of HOME) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const log = collectConsoleErrors(page);
      const res = await page.goto(baseUrl() + h.path, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200, `${h.path} status`);
      assert.equal(await page.getAttribute('html', 'lang'), h.lang);
      await page.getByText(h.heading, { exact: true }).waitFor({ state: 'visible' });
      // The language picker offers the other locale.
      const options = await page.locator('starlight-lang-select select option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(options.some((v) => v.includes(h.other)), `language switcher offers ${h.other}: ${options}`);
      await page.screenshot({ path: `test-results/home-${h.locale}.png`, fullPage: false });
      assert.deepEqual(log.errors, [], `console errors on ${h.path}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test('root redirects to the English home page', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(baseUrl() + '/', { waitUntil: 'networkidle' });
    assert.match(page.url(), /\/en\/$/);
  } finally {
    await browser.close();
  }
});

test('Pagefind search finds an English word and a Chinese word', async () => {
  const browser = await launchBrowser();
  try {
    for (const [path, query, expectPath] of [
      ['/en/getting-started/', 'tensorboard_trace_handler', '/en/getting-started/'],
      ['/zh-cn/getting-started/', '精确', '/zh-cn/getting-started/'],
    ]) {
      const page = await browser.newPage();
      await page.goto(baseUrl() + path, { waitUntil: 'networkidle' });
      const open = page.locator('site-search button[data-open-modal]:not([disabled])').first();
      await open.click();
      const input = page.locator('#starlight__search input');
      await input.waitFor({ state: 'visible' });
      await input.fill(query);
      const first = page.locator('#starlight__search .pagefind-ui__result-link').first();
      await first.waitFor({ state: 'visible', timeout: 15_000 });
      const hrefs = await page.locator('#starlight__search .pagefind-ui__result-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.some((h) => h && h.startsWith(expectPath)), `search "${query}" → ${hrefs}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test('every built page carries its Content-Security-Policy meta, ahead of what it governs', () => {
  const files = readdirSync(DIST, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
  assert.ok(files.length > 0, 'dist/ has pages');
  for (const file of files) {
    const page = relative(DIST, file);
    const html = readFileSync(file, 'utf8');
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/gi)];
    assert.equal(metas.length, 1, `${page}: one CSP meta`);
    const first = html.search(/<(script|style|link)\b/i);
    assert.ok(first === -1 || metas[0].index < first, `${page}: the policy comes before every script, style and link`);
    const policy = new Map(metas[0][1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
    assert.deepEqual(policy.get('default-src'), ["'self'"], `${page}: default-src`);
    assert.deepEqual(policy.get('connect-src'), ["'self'"], `${page}: connect-src`);
    assert.deepEqual(policy.get('object-src'), ["'none'"], `${page}: object-src`);
    // No origin is named anywhere: only keywords, hashes, data: and blob:.
    const named = [...policy.values()].flat().filter((src) => !/^'[a-z-]+'$|^'sha256-[A-Za-z0-9+/]+=*'$|^(data|blob):$/.test(src));
    assert.deepEqual(named, [], `${page}: sources`);
    assert.ok(!policy.get('script-src').includes("'unsafe-inline'") && !policy.get('script-src').includes("'unsafe-eval'"), `${page}: no inline or eval scripts`);
    // Every inline script is allowed by its hash (hashed here, as the browser does).
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      if (/\ssrc=/i.test(` ${m[1]}`)) continue;
      const hash = `'sha256-${createHash('sha256').update(m[2].replace(/\r\n?/g, '\n')).digest('base64')}'`;
      assert.ok(policy.get('script-src').includes(hash), `${page}: inline script ${JSON.stringify(m[2].slice(0, 60))} is allowed by hash`);
    }
  }
});

// The provenance box beside every sample speaks the page's language: opened on a zh-CN page it shows
// the manifest's Chinese title, hardware and notes, on the English page the English ones, and every
// sample in public/traces is shown with its provenance somewhere in each locale.
const MANIFEST = JSON.parse(readFileSync(resolve(DIST, '../public/traces/manifest.json'), 'utf8'));
const PAGES_WITH_SAMPLES = ['', 'lessons/reading-a-timeline/', 'lessons/gpu-qwen-tp/', 'lessons/npu-deepseek/', 'lessons/gpu-overlap/', 'lessons/record-your-own/'];

for (const [locale, lang, label] of [['zh-cn', 'zh-CN', { hardware: '硬件', notes: '来源' }], ['en', 'en', { hardware: 'Hardware', notes: 'Provenance' }]]) {
  test(`provenance (${locale}): opened, each box shows the manifest's ${lang} title, hardware and notes`, async () => {
    const browser = await launchBrowser();
    const seen = new Set();
    const seenShots = new Set();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      for (const rel of PAGES_WITH_SAMPLES) {
        const path = `/${locale}/${rel}`;
        const res = await page.goto(baseUrl() + path, { waitUntil: 'load' });
        assert.equal(res?.status(), 200, `${path} status`);
        const boxes = page.locator('details.tw-provenance');
        const n = await boxes.count();
        assert.ok(n > 0, `${path} shows provenance`);
        for (let i = 0; i < n; i++) {
          const box = boxes.nth(i);
          const file = await box.getAttribute('data-file');
          const entry = MANIFEST.find((e) => e.file === file);
          assert.ok(entry, `${path}: box ${i} names a sample of the manifest (${file})`);
          seen.add(file);
          await box.locator('summary').click();
          const hardware = box.locator('dd[data-field="hardware"]');
          await hardware.waitFor({ state: 'visible' });
          assert.equal((await box.locator('.tw-prov-title').innerText()).trim(), entry.title[lang], `${path} ${file}: title`);
          assert.equal((await hardware.innerText()).trim(), entry.hardware[lang], `${path} ${file}: hardware`);
          assert.equal((await box.locator('dd[data-field="notes"]').innerText()).trim(), entry.notes[lang], `${path} ${file}: notes`);
          assert.deepEqual(await box.locator('dt').evaluateAll((ds) => ds.slice(0, 2).map((d) => d.textContent)), [label.hardware, label.notes]);
          if (lang === 'zh-CN') assert.match(await box.innerText(), /\p{Script=Han}/u, `${path} ${file}: Chinese text`);
          // One recorded (shared GPU) and one simulated box, to look at.
          const shot = { 'qwen2_5-7b-shape-tp2-rank0-1gpu-h200.json.gz': 'shared-gpu', 'npu-deepseek-baseline.json.gz': 'simulated' }[file];
          if (shot && rel.startsWith('lessons/') && !seenShots.has(shot)) {
            seenShots.add(shot);
            await box.scrollIntoViewIfNeeded();
            await box.screenshot({ path: `test-results/provenance-${locale}-${shot}.png` });
            await page.screenshot({ path: `test-results/provenance-${locale}-${shot}-page.png` });
          }
        }
      }
      assert.deepEqual([...seen].sort(), MANIFEST.map((e) => e.file).sort(), `every sample has its provenance shown on a ${locale} page`);
    } finally {
      await browser.close();
    }
  });
}
