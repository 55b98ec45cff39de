// Opening a trace through the upload page, as a user does: the file is chosen
// in the page's file input (Playwright's setInputFiles hands Chromium the path;
// nothing is fetched by URL), against the floor measured after it in the same
// browser: the same file chosen in a file input of a fresh upload page and read
// with `File.text()` + `JSON.parse` (gzip files through a DecompressionStream
// first). Each measurement gets a fresh browser.
//
//   node bench/upload-load.mjs --trace FILE [--runs 1] [--think MS]
//
// The file is chosen THINK_MS after the page is ready (hydrated), as a person
// opens the file dialog and picks one (`--think 0`: at once); the floor's page
// gets the same pause. The upload page uses such a pause: its worker, started
// ahead, warms its loader on two of the site's samples while the page is idle
// (src/lib/worker/client.ts prepareWorker).
//
// What is measured, from the moment the input's `change` event fires:
//   floor — `JSON.parse` returned (in its own browser context, after the
//       upload page's was closed, so the two do not share a heap); a file too
//       big for one JS string fails here and the row says so;
//   first render — the upload page's timeline shows the trace (same test as
//       browser-load.mjs: `data-state` "ready", a drawn frame with slices);
//   ready — the page is done: exercises shown (no "Finding things…" status)
//       and the widget's analysis finished (`view.computing === false`);
//   interactive — the end of the last long task (> 50 ms) before a 1 s window
//       without one, after both (browser-load.mjs's `interactiveAfter`);
//   longest task — the longest main-thread task from the change event to the
//       end of the quiet window (PerformanceObserver `longtask`), and the
//       longest after first render (what freezes a page already shown);
//   peak renderer RSS — VmHWM of the renderer processes (Linux) when the upload
//       page is done, before the floor runs, and its ratio to the file size.
import { basename } from 'node:path';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { interactiveAfter, rendererPeakRss } from './browser-load.mjs';
import { analysisMsOf } from '../src/lib/worker/protocol.ts';

const QUIET_MS = 1000;
/** From the page ready to the file chosen: a person opening the file dialog and picking a file. */
export const THINK_MS = 2000;
const VIEWPORT = { width: 1600, height: 1000 };

function initScript() {
  const bench = (globalThis.__bench = { longTasks: [], pickedMs: null, firstRenderMs: null, readyMs: null, error: null, floor: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push([e.startTime, e.startTime + e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    bench.error = 'no longtask observer';
  }
  // The page's own input: note when a file was chosen (capture phase, before the page's handler).
  document.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.classList.contains('tw-upload-files')) bench.pickedMs = performance.now();
  }, true);
}

/** Adds the floor's own file input to the page; its change handler parses the file and records the times. */
function installFloor() {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'bench-floor';
  input.hidden = true;
  document.body.append(input);
  input.addEventListener('change', async () => {
    const bench = globalThis.__bench;
    const file = input.files[0];
    const t0 = performance.now();
    try {
      const gz = /\.gz$/i.test(file.name);
      let text = gz ? await new Response(file.stream().pipeThrough(new DecompressionStream('gzip'))).text() : await file.text();
      const readMs = performance.now();
      let value = JSON.parse(text);
      const parsedMs = performance.now();
      globalThis.__kept = value; // alive until the times are read, as a viewer would keep it
      text = value = null;
      bench.floor = { startMs: t0, readMs: readMs - t0, parseMs: parsedMs - readMs, totalMs: parsedMs - t0 };
    } catch (e) {
      bench.floor = { error: String(e?.message ?? e) };
    }
  });
}

// Runs in the page on every animation frame until the upload page is done.
function uploadProbe() {
  const bench = globalThis.__bench;
  const saturatedPixels = (canvas) => {
    const ctx = canvas.getContext('2d');
    if (!ctx || !canvas.width || !canvas.height) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 16) {
      const r = data[i], g = data[i + 1], b = data[i + 2];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
    }
    return n;
  };
  const tick = () => {
    const page = document.querySelector('.tw-upload');
    const failed = page?.querySelector('.tw-upload-list [role=alert]');
    if (failed) {
      bench.error = failed.textContent.trim();
      return;
    }
    const root = page?.querySelector('section.tw-timeline');
    const h = root?.twTimeline;
    const now = performance.now();
    if (bench.firstRenderMs === null && root?.dataset.state === 'ready' && h?.frameTimes().length) {
      const canvas = root.querySelector('.tw-canvas-wrap canvas');
      if (canvas && saturatedPixels(canvas) > 50) bench.firstRenderMs = now;
    }
    const exercisesShown = page?.querySelector('.tw-upload-ex') && !page.querySelector('.tw-upload-ex [role=status]');
    if (bench.firstRenderMs !== null && bench.readyMs === null && h && !h.view.computing && exercisesShown) bench.readyMs = now;
    if (bench.readyMs === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function poll(page, test, timeoutMs, what) {
  const started = Date.now();
  for (;;) {
    // An evaluate waits while the main thread is busy, which is what is measured: bound it by the time left.
    let timer;
    const left = new Promise((ok) => (timer = setTimeout(ok, Math.max(0, timeoutMs - (Date.now() - started)), { timedOut: true })));
    const state = await Promise.race([page.evaluate(() => ({ ...globalThis.__bench, now: performance.now() })).catch((e) => ({ error: String(e?.message ?? e) })), left]);
    clearTimeout(timer);
    if (state?.timedOut) throw new Error(`${what}: not done after ${Math.round(timeoutMs / 1000)} s`);
    if (state.error) throw new Error(`${what}: ${state.error}`);
    if (test(state)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * One measurement of `tracePath`: the upload page first, in its own browser
 * context (its renderer's peak RSS read before anything else runs), then the
 * floor in a second context of the same browser, so neither heap holds the
 * other's data and the floor cannot raise the page's peak.
 */
export async function measureUpload({ baseUrl, tracePath, timeoutMs, bytes, thinkMs = THINK_MS }) {
  const browser = await launchBrowser();
  const result = { trace: basename(tracePath), thinkMs };
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.addInitScript(initScript);
    await page.goto(`${baseUrl}/en/upload/`, { waitUntil: 'load', timeout: 60_000 });
    // Hydrated: Astro removes the island's `ssr` attribute.
    await page.waitForSelector('astro-island:not([ssr]) .tw-upload', { timeout: 60_000 });
    await page.evaluate(uploadProbe);
    await page.waitForTimeout(thinkMs);
    await page.setInputFiles('input.tw-upload-files', tracePath);
    const done = await poll(page, (s) => s.readyMs !== null && s.pickedMs !== null && s.now >= interactiveAfter(s.longTasks, s.readyMs) + QUIET_MS, timeoutMs, 'upload page');
    const t0 = done.pickedMs;
    const interactive = interactiveAfter(done.longTasks, Math.max(done.firstRenderMs, done.readyMs));
    const longest = (from) => Math.max(0, ...done.longTasks.filter(([s]) => s >= from).map(([s, e]) => e - s));
    result.firstRenderMs = done.firstRenderMs - t0;
    result.readyMs = done.readyMs - t0;
    result.interactiveMs = interactive - t0;
    result.longestTaskMs = longest(t0);
    result.longestTaskAfterRenderMs = longest(done.firstRenderMs);
    result.longTasks = done.longTasks.filter(([s]) => s >= t0).length;
    // Where the worker's time went, as the page shows it (the file's line: read in …, analysed in …).
    const worker = await page.evaluate(() => {
      const text = document.querySelector('.tw-upload-list li[data-timing]')?.getAttribute('data-timing');
      return text ? JSON.parse(text) : null;
    });
    if (worker) result.worker = worker;
    result.peakRendererRssBytes = await rendererPeakRss(browser);
    if (result.peakRendererRssBytes && bytes) result.peakRssOverFile = result.peakRendererRssBytes / bytes;
    await context.close();

    const floorContext = await browser.newContext({ viewport: VIEWPORT });
    const floorPage = await floorContext.newPage();
    await floorPage.addInitScript(initScript);
    await floorPage.goto(`${baseUrl}/en/upload/`, { waitUntil: 'load', timeout: 60_000 });
    await floorPage.evaluate(installFloor);
    await floorPage.waitForTimeout(thinkMs);
    await floorPage.setInputFiles('#bench-floor', tracePath);
    result.floor = (await poll(floorPage, (s) => s.floor, timeoutMs, 'floor')).floor;
    if (!result.floor.error) result.interactiveOverFloor = result.interactiveMs / result.floor.totalMs;
  } catch (e) {
    result.error = String(e?.message ?? e).split('\n')[0];
  } finally {
    await browser.close().catch(() => {});
  }
  return result;
}

/** The worker's analysis passes' total (ms) of a row's `worker` (the page's LoadTiming), 0 without analysis. */
export const workerAnalysisMs = (w) => analysisMsOf(w) ?? 0;

export function uploadMarkdown(rows) {
  const ms = (x) => (x == null ? '—' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
  const lines = [
    '| trace | size | floor: File.text + JSON.parse | first render | ready | interactive | interactive ÷ floor | worker: read / analysis | longest main-thread task | longest after first render | peak renderer RSS (÷ file) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const size = `${(r.bytes / 1e6).toFixed(1)} MB`;
    const floor = !r.floor ? '—' : r.floor.error ? `fails: ${r.floor.error}` : ms(r.floor.totalMs);
    const rss = r.peakRendererRssBytes ? `${(r.peakRendererRssBytes / 2 ** 20).toFixed(0)} MiB${r.peakRssOverFile ? ` (${r.peakRssOverFile.toFixed(2)}×)` : ''}` : '—';
    const worker = r.worker ? `${ms(r.worker.readMs)} / ${r.worker.analysis ? ms(workerAnalysisMs(r.worker)) : '—'}` : '—';
    if (r.error) lines.push(`| ${r.trace} | ${size} | ${floor} | fails: ${r.error} | | | | | | | |`);
    else lines.push(`| ${r.trace} | ${size} | ${floor} | ${ms(r.firstRenderMs)} | ${ms(r.readyMs)} | ${ms(r.interactiveMs)} | ${r.interactiveOverFloor == null ? '—' : `${r.interactiveOverFloor.toFixed(2)}×`} | ${worker} | ${ms(r.longestTaskMs)} | ${ms(r.longestTaskAfterRenderMs)} | ${rss} |`);
  }
  return lines.join('\n');
}

// CLI: one trace, `--runs` times.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { resolve, dirname, join } = await import('node:path');
  const { statSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { startBenchServer } = await import('./server.mjs');
  const args = process.argv.slice(2);
  const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const trace = resolve(opt('trace', join(root, 'bench/.cache/trace-10mb.json')));
  const server = await startBenchServer({ distDir: opt('dist', join(root, 'dist')), cacheDir: dirname(trace), speedscopeDir: join(root, 'node_modules/speedscope/dist/release') });
  try {
    const bytes = statSync(trace).size;
    const timeoutMs = Math.max(60_000, (bytes / 1e6) * 3000);
    const thinkMs = Number(opt('think', THINK_MS));
    for (let i = 0; i < Number(opt('runs', 1)); i++) console.log(JSON.stringify({ ...(await measureUpload({ baseUrl: server.url, tracePath: trace, timeoutMs, bytes, thinkMs })), bytes }));
  } finally {
    await server.close();
  }
}
