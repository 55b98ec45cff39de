// Memory across repeated loads, in headless Chromium: one page, one widget,
// N traces loaded into it one after the other (as the upload page replacing a
// trace does), each through "Open a trace file…" (the worker path), and with
// `--url` also by URL through the page's shared trace cache (the widget's
// `open(url)`, a distinct URL per load). After each load is in and its
// analysis arrived, the main isolate's garbage is collected (CDP
// HeapProfiler.collectGarbage) and its used JS heap read (Runtime.getHeapUsage),
// with the number of live workers. A leak shows as heap growing with every
// load; bounded memory is heap(N) / heap(1) ≈ 1.
//
//   node bench/memory.mjs [--dist DIR] [--loads 10] [--trace FILE] [--url [/traces/x.json.gz]] [--json out.json]
//
// --url alone loads the same trace file by URL; with a path, that site URL.
//
// Without --trace the benchmark's generated 10 MB Kineto-like trace
// (bench/.cache/trace-10mb.json) is used.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve, dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { startServer } from '../tests/e2e/server.mjs';
import { ensureTrace } from './traces.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const flag = (name) => args.includes(`--${name}`);

async function heapAfterGc(cdp) {
  // Twice: the first pass can leave finalizable objects for the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, backingStorageSize } = await cdp.send('Runtime.getHeapUsage');
  // Typed arrays live outside the JS heap proper: their backing stores count too (the model is mostly those).
  return { heapBytes: usedSize, arrayBufferBytes: backingStorageSize ?? null };
}

/** The widget shows a model other than the one noted in `window.__twPrev`, and its analysis is in. */
const ready = () => {
  const el = document.querySelector('section.tw-timeline');
  const h = el?.twTimeline;
  return Boolean(h) && el.dataset.state === 'ready' && Boolean(h.view.model) && h.view.model !== window.__twPrev && !h.view.computing;
};
const notePrevious = (page) => page.evaluate(() => (window.__twPrev = document.querySelector('section.tw-timeline').twTimeline.view.model));

/** Runs `loads` loads; `how` is 'file' (the file input) or 'url' (the handle's open, a new URL each time). */
export async function measureMemory({ distDir, tracePath = null, loads = 10, how = 'file', url = null }) {
  if (!existsSync(join(distDir, 'en/reference/timeline/index.html'))) throw new Error(`${distDir} has no /en/reference/timeline/ page: build the site first`);
  const copyDir = mkdtempSync(join(tmpdir(), 'tw-memory-'));
  // URL loads fetch the trace from the test server's /__shared/traces/ route, pointed at a temp copy.
  if (how === 'url' && tracePath) copyFileSync(tracePath, join(copyDir, basename(tracePath)));
  const server = await startServer({ distDir, sharedDir: copyDir });
  const browser = await launchBrowser();
  if (how === 'url' && !url) url = `/__shared/traces/${basename(tracePath)}`;
  const rows = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('pageerror', e.message));
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${server.url}/en/reference/timeline/`, { waitUntil: 'networkidle' });
    const widget = page.locator('section.tw-timeline').first();
    await widget.scrollIntoViewIfNeeded();
    await page.waitForFunction(ready, null, { timeout: 60_000 });
    await page.evaluate(() => (window.__twPrev = null));
    const baseline = await heapAfterGc(cdp);
    if (how === 'url') {
      const hasOpen = await page.evaluate(() => typeof document.querySelector('section.tw-timeline').twTimeline.open === 'function');
      if (!hasOpen) throw new Error('this build has no twTimeline.open(url): run with file loads');
    }
    // A file input does not fire again for the same file: each load gets its own copy (same bytes, new name).
    const copies = how === 'file' ? Array.from({ length: loads }, (_, i) => join(copyDir, `${i + 1}-${basename(tracePath)}`)) : [];
    for (const c of copies) copyFileSync(tracePath, c);
    for (let i = 1; i <= loads; i++) {
      await notePrevious(page);
      const t0 = Date.now();
      if (how === 'file') await widget.locator('input.tw-file').setInputFiles(copies[i - 1]);
      else await page.evaluate((u) => document.querySelector('section.tw-timeline').twTimeline.open(u), `${url}?load=${i}`);
      await page.waitForFunction(ready, null, { timeout: 300_000, polling: 50 });
      await page.evaluate(() => (window.__twPrev = null));
      const loadMs = Date.now() - t0;
      // A moment for the worker to be terminated after its last message.
      await page.waitForTimeout(300);
      const m = await heapAfterGc(cdp);
      const totalBytes = m.heapBytes + (m.arrayBufferBytes ?? 0);
      rows.push({ load: i, ...m, totalBytes, workers: page.workers().length, loadMs });
      console.error(`memory: load ${i}: heap ${(m.heapBytes / 1e6).toFixed(1)} MB + array buffers ${((m.arrayBufferBytes ?? 0) / 1e6).toFixed(1)} MB, ${page.workers().length} live workers, ${loadMs} ms`);
    }
    const last = rows[rows.length - 1];
    return { how, trace: how === 'file' ? basename(tracePath) : url, baselineBytes: baseline.heapBytes + (baseline.arrayBufferBytes ?? 0), rows, ratio: last.totalBytes / rows[0].totalBytes, heapRatio: last.heapBytes / rows[0].heapBytes };
  } finally {
    await browser.close();
    await server.close();
    rmSync(copyDir, { recursive: true, force: true });
  }
}

export function formatMemory(r) {
  const mb = (b) => (b / 1e6).toFixed(1);
  const lines = [
    `${r.how === 'file' ? 'file input' : 'URL (shared cache)'} · ${r.trace} · page before any load: ${mb(r.baselineBytes)} MB`,
    '',
    '| load | JS heap after GC (MB) | + array buffers (MB) | total (MB) | live workers | load + analysis (ms) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const x of r.rows) lines.push(`| ${x.load} | ${mb(x.heapBytes)} | ${x.arrayBufferBytes === null ? '–' : mb(x.arrayBufferBytes)} | ${mb(x.totalBytes)} | ${x.workers} | ${x.loadMs} |`);
  lines.push('', `after load ${r.rows.length} / after load 1: **${r.ratio.toFixed(2)}** (heap alone ${r.heapRatio.toFixed(2)})`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const distDir = resolve(opt('dist', join(root, 'dist')));
  const loads = Number(opt('loads', 10));
  const url = opt('url', null)?.startsWith('/') ? opt('url', null) : null;
  const tracePath = resolve(opt('trace', '') || ensureTrace(join(here, '.cache'), 10, (m) => console.error(m)));
  const out = [await measureMemory({ distDir, tracePath, loads, how: 'file' })];
  if (flag('url')) out.push(await measureMemory({ distDir, tracePath, loads, how: 'url', url }));
  console.log(`dist: ${distDir}\n`);
  for (const r of out) console.log(formatMemory(r) + '\n');
  const json = opt('json', null);
  if (json) writeFileSync(json, JSON.stringify(out, null, 2));
}
