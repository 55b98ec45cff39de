// A lesson's first widget on the way to its first frame (issue #17, ≤ 1 s):
// the page script alone starts the trace's worker (src/lib/worker/early.ts via
// src/components/timeline/prefetch.ts), before any of the widget's client
// chunks have arrived, and the widget takes that worker over: one worker, one
// download of the trace, then the first drawn frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist');
const LESSONS = ['en', 'zh-cn'].flatMap((l) => readdirSync(join(DIST, l, 'lessons')).map((n) => `/${l}/lessons/${n}/`));

/** Files reached from `entries` through static `import … from "…"` only (what runs before any `import()`). */
function staticClosure(entries) {
  const seen = new Set();
  const stack = [...entries];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec));
      else if (spec.startsWith('/')) stack.push(join(DIST, spec));
    }
  }
  return [...seen];
}

test('every lesson page names the trace worker in its page scripts (no dynamic import before the worker starts)', () => {
  assert.ok(LESSONS.length >= 10, `lesson pages in dist/: ${LESSONS}`);
  for (const page of LESSONS) {
    const html = readFileSync(join(DIST, page, 'index.html'), 'utf8');
    assert.match(html, /data-tw-trace="[^"]+"/, `${page}: a widget box carries its trace URL for the page script`);
    const scripts = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => join(DIST, m[1]));
    const closure = staticClosure(scripts);
    const names = closure.filter((f) => /trace\.worker-[\w-]+\.js/.test(readFileSync(f, 'utf8')));
    assert.ok(names.length > 0, `${page}: no page-script module names the worker (${closure.map((f) => f.slice(DIST.length)).join(', ')})`);
    // The widget's client (trace-cache, the worker client, lib/analysis) stays out of the page scripts.
    for (const f of closure) assert.doesNotMatch(f, /\/(trace-cache|Timeline)\.[\w-]+\.js$/, `${page}: ${f.slice(DIST.length)} is loaded before any widget`);
  }
});

test('the first widget\'s worker starts while the widget\'s code is held back, and the widget takes it over', async () => {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const log = collectConsoleErrors(page);
    // Hold the widget's code (and the worker client it imports) until the worker has asked for the trace.
    const held = [];
    let release;
    const released = new Promise((r) => (release = r));
    await page.route(/\/_astro\/(trace-cache|ExerciseTimeline|Timeline)\.[\w-]+\.js$/, async (route) => {
      held.push(route.request().url());
      await released;
      await route.continue();
    });
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    const traceRequests = [];
    page.on('request', (r) => {
      if (/\/traces\/[^/]+\.json(\.gz)?$/.test(r.url())) traceRequests.push(r.url());
    });
    await page.goto(`${baseUrl()}/en/lessons/record-your-own/`, { waitUntil: 'domcontentloaded' });
    const box = page.locator('[data-tw-trace]').first();
    const src = await box.getAttribute('data-tw-trace');
    await box.scrollIntoViewIfNeeded();
    const deadline = Date.now() + 20_000;
    while (!traceRequests.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(held.length > 0, 'the widget\'s code was requested and held');
    assert.deepEqual(traceRequests.map((u) => new URL(u).pathname), [src], 'the trace was requested while the widget\'s code was held');
    assert.equal(workers.length, 1, 'one worker');
    assert.match(workers[0], /trace\.worker-[\w-]+\.js$/);
    release();
    await page.waitForFunction(() => performance.getEntriesByName('tracewise:first-draw').length > 0, null, { timeout: 30_000 });
    await page.locator('section.tw-timeline[data-state="ready"]').first().waitFor({ timeout: 30_000 });
    assert.equal(workers.length, 1, 'the widget took the early worker over instead of starting its own');
    assert.equal(traceRequests.length, 1, 'the trace was downloaded once');
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
