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
//   node bench/memory.mjs [--dist DIR] [--loads 10] [--trace FILE] [--url /traces/x.json.gz] [--json out.json]
//
// Without --trace the benchmark's generated 10 MB Kineto-like trace
// (bench/.cache/trace-10mb.json) is used.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve, dirname, join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { startServer } from '../tests/e2e/server.mjs';
import { ensureTrace } from './traces.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);

async function heapAfterGc(cdp) {
  // Twice: the first pass can leave finalizable objects for the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

const ready = (name) => {
  const el = document.querySelector('section.tw-timeline');
  const h = el?.twTimeline;
  return Boolean(h) && el.dataset.state === 'ready' && (name === null || el.dataset.file === name) && !h.view.computing;
};

/** Runs `loads` loads; `how` is 'file' (the file input) or 'url' (the handle's open, a new URL each time). */
export async function measureMemory({ distDir, tracePath, loads = 10, how = 'file', url = null }) {
  if (!existsSync(join(distDir, 'en/reference/timeline/index.html'))) throw new Error(`${distDir} has no /en/reference/timeline/ page: build the site first`);
  const server = await startServer({ distDir });
  const browser = await launchBrowser();
  const rows = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('pageerror', e.message));
    const cdp = await page.context().newCDPSession(page);
    await page.goto(`${server.url}/en/reference/timeline/`, { waitUntil: 'networkidle' });
    const widget = page.locator('section.tw-timeline').first();
    await widget.scrollIntoViewIfNeeded();
    await page.waitForFunction(ready, null, { timeout: 60_000 });
    const baseline = await heapAfterGc(cdp);
    if (how === 'url') {
      const hasOpen = await page.evaluate(() => typeof document.querySelector('section.tw-timeline').twTimeline.open === 'function');
      if (!hasOpen) throw new Error('this build has no twTimeline.open(url): run with file loads');
    }
    for (let i = 1; i <= loads; i++) {
      const t0 = Date.now();
      if (how === 'file') {
        await widget.locator('input.tw-file').setInputFiles(tracePath);
        await page.waitForFunction(ready, basename(tracePath), { timeout: 300_000 });
      } else {
        await page.evaluate((u) => document.querySelector('section.tw-timeline').twTimeline.open(u), `${url}?load=${i}`);
        await page.waitForFunction(ready, null, { timeout: 300_000 });
      }
      const loadMs = Date.now() - t0;
      // A moment for the worker to be terminated after its last message.
      await page.waitForTimeout(300);
      const heap = await heapAfterGc(cdp);
      rows.push({ load: i, heapBytes: heap, workers: page.workers().length, loadMs });
      console.error(`memory: load ${i}: heap ${(heap / 1e6).toFixed(1)} MB, ${page.workers().length} live workers, ${loadMs} ms`);
    }
    return { how, trace: how === 'file' ? basename(tracePath) : url, baselineBytes: baseline, rows, ratio: rows[rows.length - 1].heapBytes / rows[0].heapBytes };
  } finally {
    await browser.close();
    await server.close();
  }
}

export function formatMemory(r) {
  const mb = (b) => (b / 1e6).toFixed(1);
  const lines = [`${r.how === 'file' ? 'file input' : 'URL (shared cache)'} · ${r.trace} · page before any load: ${mb(r.baselineBytes)} MB`, '', '| load | JS heap after GC (MB) | live workers | load + analysis (ms) |', '| ---: | ---: | ---: | ---: |'];
  for (const x of r.rows) lines.push(`| ${x.load} | ${mb(x.heapBytes)} | ${x.workers} | ${x.loadMs} |`);
  lines.push('', `heap after load ${r.rows.length} / after load 1: **${r.ratio.toFixed(2)}**`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const distDir = resolve(opt('dist', join(root, 'dist')));
  const loads = Number(opt('loads', 10));
  const url = opt('url', null);
  const tracePath = resolve(opt('trace', '') || ensureTrace(join(here, '.cache'), 10, (m) => console.error(m)));
  const out = [await measureMemory({ distDir, tracePath, loads, how: 'file' })];
  if (url) out.push(await measureMemory({ distDir, tracePath, loads, how: 'url', url }));
  console.log(`dist: ${distDir}\n`);
  for (const r of out) console.log(formatMemory(r) + '\n');
  const json = opt('json', null);
  if (json) writeFileSync(json, JSON.stringify(out, null, 2));
}
