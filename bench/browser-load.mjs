// Loading one trace in headless Chromium: Tracewise's timeline widget,
// speedscope, and a page doing nothing but fetch + JSON.parse (the floor).
// Each measurement gets a fresh browser, so no cache, JIT or heap carries over.
//
//   node bench/browser-load.mjs --trace bench/.cache/trace-10mb.json [--tools tracewise,speedscope,json-parse]
//
// Times are from navigation start (the page's performance.timeOrigin), so they
// include loading the page or app itself, then downloading the trace from the
// local server, parsing it and drawing it.
//
// What is measured, from what the user sees (the widget has no performance
// marks; it has `data-state` and a handle on its root element):
//   first render — Tracewise: the widget's `data-state` is "ready", its canvas
//       has drawn a frame (`twTimeline.frameTimes()`), and that frame shows
//       slices (saturated pixels: the grid, axis and text are grey).
//       speedscope: its flame chart view replaced the loading screen, two
//       animation frames later (its WebGL canvas cannot be read back cheaply).
//   interactive — the main thread stays free of long tasks (> 50 ms, from a
//       PerformanceObserver) for QUIET_MS after first render; the time is the end
//       of the last long task before that quiet window (Lighthouse's TTI rule with
//       a shorter window and no network condition). Tracewise additionally waits
//       for its analysis (computed tracks, colours, detectors) to finish
//       (`twTimeline.view.computing === false`): before that some features are
//       missing, so it is not "fully" interactive. The floor is "interactive"
//       when JSON.parse returned.
//   peak JS heap — the larger of two lower bounds of the true peak:
//       sampled: the largest sum, over the page and its workers, of V8's used heap
//         plus ArrayBuffer backing stores (`Runtime.getHeapUsage`: `usedSize +
//         backingStorageSize`), every SAMPLE_MS through CDP (workers through
//         `Target.setAutoAttach`). Typed arrays live in backing stores, so leaving
//         them out would flatter a columnar model. A sample waits while the main
//         thread runs a long task, so a peak inside one is missed;
//       at GC: V8's used heap just before each garbage collection (MinorGC/MajorGC
//         trace events, category `v8`), summed over the renderer's isolates — this
//         sees inside long tasks, but not ArrayBuffers.
//   peak renderer RSS — the renderer processes' VmHWM from /proc (Linux), a
//       cross-check that needs no sampling.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { launchBrowser } from '../tests/e2e/harness.mjs';

export const TOOLS = ['tracewise', 'speedscope', 'json-parse'];
const QUIET_MS = 1000;
const SAMPLE_MS = 50;
const LONG_TASK_MS = 50;
const VIEWPORT = { width: 1600, height: 1000 };

/** The URL a tool opens `traceUrl` with (all on the bench server's origin). */
export function toolUrl(baseUrl, tool, traceUrl) {
  if (tool === 'tracewise') return `${baseUrl}/en/reference/timeline/?bench-src=${encodeURIComponent(traceUrl)}`;
  if (tool === 'speedscope') return `${baseUrl}/__speedscope/index.html#profileURL=${encodeURIComponent(baseUrl + traceUrl)}`;
  if (tool === 'json-parse') return `${baseUrl}/__bench/parse.html?src=${encodeURIComponent(traceUrl)}`;
  throw new Error(`unknown tool ${tool}`);
}

// Installed before any page script: long tasks and the per-frame probe.
function initScript() {
  const bench = (globalThis.__bench = { longTasks: [], firstRenderMs: null, readyMs: null, error: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push([e.startTime, e.startTime + e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    bench.error = 'no longtask observer';
  }
}

// Runs in the page on every animation frame until both signals are seen.
function tracewiseProbe() {
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
    const root = document.querySelector('section.tw-timeline');
    const state = root?.dataset.state;
    if (state === 'error') {
      bench.error = root.querySelector('[role=alert]')?.textContent?.trim() || 'widget reported an error';
      return;
    }
    const h = root?.twTimeline;
    const now = performance.now();
    if (bench.firstRenderMs === null && state === 'ready' && h?.frameTimes().length) {
      const canvas = root.querySelector('.tw-canvas-wrap canvas');
      if (canvas && saturatedPixels(canvas) > 50) bench.firstRenderMs = now;
    }
    if (bench.firstRenderMs !== null && bench.readyMs === null && h && !h.view.computing) bench.readyMs = now;
    if (bench.readyMs === null) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function speedscopeProbe() {
  const bench = globalThis.__bench;
  let seenAt = -1;
  const tick = () => {
    const text = document.body?.innerText ?? '';
    if (/Something went wrong|Unrecognized format|Failed to load/i.test(text)) {
      bench.error = text.slice(0, 200);
      return;
    }
    // The flame chart view: its toolbar ("Time Order") and canvases replace the loading screen.
    const shown = text.includes('Time Order') && document.querySelectorAll('canvas').length >= 2;
    if (shown && seenAt < 0) seenAt = 0;
    else if (seenAt >= 0 && ++seenAt >= 2) {
      bench.firstRenderMs = bench.readyMs = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

function floorProbe() {
  const bench = globalThis.__bench;
  const tick = () => {
    const f = globalThis.__floor;
    if (f?.error) bench.error = f.error;
    else if (f) {
      bench.readyMs = f.parsedMs;
      bench.parseOnlyMs = f.parseOnlyMs;
    } else setTimeout(tick, 10);
  };
  tick();
}

const PROBES = { tracewise: tracewiseProbe, speedscope: speedscopeProbe, 'json-parse': floorProbe };

/** Samples Runtime.getHeapUsage of the page and of every worker it starts; keeps the peaks. */
async function startHeapSampler(cdp) {
  const workers = new Map(); // sessionId → url
  const pending = new Map();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => workers.set(e.sessionId, e.targetInfo.url));
  cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message);
    pending.get(msg.id)?.(msg.result ?? null);
    pending.delete(msg.id);
  });
  // Non-flat sessions: Playwright's CDPSession cannot address flat child sessions.
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const inWorker = (sessionId) =>
    new Promise((ok) => {
      const id = nextId++;
      pending.set(id, ok);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) }).catch(() => ok(null));
      setTimeout(() => pending.has(id) && (pending.delete(id), ok(null)), 5000);
    });
  const bytes = (u) => (u ? u.usedSize + (u.backingStorageSize ?? 0) : 0);
  const peak = { totalBytes: 0, pageBytes: 0, workerBytes: 0, samples: 0, workersSeen: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = Date.now();
      const main = await cdp.send('Runtime.getHeapUsage').catch(() => null);
      let workerBytes = 0;
      for (const sid of [...workers.keys()]) workerBytes += bytes(await inWorker(sid));
      const pageBytes = bytes(main);
      peak.samples++;
      peak.workersSeen = Math.max(peak.workersSeen, workers.size);
      peak.pageBytes = Math.max(peak.pageBytes, pageBytes);
      peak.workerBytes = Math.max(peak.workerBytes, workerBytes);
      peak.totalBytes = Math.max(peak.totalBytes, pageBytes + workerBytes);
      await new Promise((r) => setTimeout(r, Math.max(0, SAMPLE_MS - (Date.now() - t0))));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return peak;
  };
}

/** Records V8's GC events of the whole browser; the stop function returns the peak heap of the busiest renderer. */
async function startGcTrace(browser) {
  const session = await browser.newBrowserCDPSession();
  const gcs = [];
  session.on('Tracing.dataCollected', (e) => {
    for (const ev of e.value) if ((ev.name === 'MinorGC' || ev.name === 'MajorGC') && ev.args?.usedHeapSizeBefore != null) gcs.push(ev);
  });
  const complete = new Promise((ok) => session.on('Tracing.tracingComplete', ok));
  await session.send('Tracing.start', { traceConfig: { includedCategories: ['v8'], recordMode: 'recordAsMuchAsPossible' }, transferMode: 'ReportEvents' });
  return async () => {
    await session.send('Tracing.end');
    await complete;
    return gcPeak(gcs);
  };
}

/**
 * Largest sum over one process's isolates (threads) of the V8 heap: at each GC,
 * that thread's heap before it plus every other thread's heap after its last GC.
 * The process with the largest peak is the page's renderer.
 */
export function gcPeak(events) {
  const byPid = new Map();
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    let p = byPid.get(e.pid);
    if (!p) byPid.set(e.pid, (p = { last: new Map(), peak: 0, count: 0 }));
    p.last.set(e.tid, e.args.usedHeapSizeBefore);
    let sum = 0;
    for (const v of p.last.values()) sum += v;
    p.peak = Math.max(p.peak, sum);
    p.count++;
    p.last.set(e.tid, e.args.usedHeapSizeAfter ?? e.args.usedHeapSizeBefore);
  }
  let best = { peak: 0, count: 0 };
  for (const p of byPid.values()) if (p.peak > best.peak) best = p;
  return { peakBytes: best.peak, gcs: best.count };
}

/** Peak resident memory (VmHWM) of the largest renderer process of `browser`, in bytes; null off Linux. */
export async function rendererPeakRss(browser) {
  try {
    const b = await browser.newBrowserCDPSession();
    const { processInfo } = await b.send('SystemInfo.getProcessInfo');
    let max = 0;
    for (const p of processInfo.filter((q) => q.type === 'renderer')) {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'));
      if (m) max = Math.max(max, Number(m[1]) * 1024);
    }
    return max || null;
  } catch {
    return null;
  }
}

/** End of the last long task before the first QUIET_MS window without one, starting at `fromMs`. */
export function interactiveAfter(longTasks, fromMs) {
  let t = fromMs;
  for (const [start, end] of [...longTasks].sort((a, b) => a[0] - b[0])) {
    if (end <= t) continue;
    if (start >= t + QUIET_MS) break;
    t = Math.max(t, end);
  }
  return t;
}

/**
 * One load of `traceUrl` (a path on the bench server) in `tool`, in a fresh browser.
 * Resolves with times in ms from navigation start, peaks in bytes, or `error`.
 */
export async function measureLoad({ baseUrl, traceUrl, tool, timeoutMs }) {
  const browser = await launchBrowser();
  const result = { tool, trace: basename(traceUrl) };
  let stopSampler = null;
  let stopGcTrace = null;
  try {
    stopGcTrace = await startGcTrace(browser);
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    let crashed = false;
    page.on('crash', () => (crashed = true));
    await page.addInitScript(initScript);
    await page.addInitScript(`(${PROBES[tool].toString()})()`);
    const cdp = await context.newCDPSession(page);
    stopSampler = await startHeapSampler(cdp);
    const started = Date.now();
    await page.goto(toolUrl(baseUrl, tool, traceUrl), { waitUntil: 'commit', timeout: 60_000 });
    // Poll from Node: an evaluate waits while the page's main thread is busy, which is what we measure.
    let state = null;
    while (Date.now() - started < timeoutMs) {
      if (crashed) throw new Error('the renderer crashed (out of memory?)');
      const probe = page.evaluate(() => {
        const b = globalThis.__bench;
        return b && { ...b, longTasks: b.longTasks.slice(), now: performance.now() };
      }).catch((e) => (crashed || /crash|closed/i.test(String(e)) ? { error: 'the renderer crashed (out of memory?)' } : null));
      // A page stuck in one long task must not outlast the time limit.
      let timer;
      const left = new Promise((ok) => (timer = setTimeout(ok, Math.max(0, timeoutMs - (Date.now() - started)), { timedOut: true })));
      state = await Promise.race([probe, left]);
      clearTimeout(timer); // a pending timer would keep Node alive after the run
      if (state?.timedOut) break;
      if (state?.error) throw new Error(state.error);
      if (state && state.readyMs !== null) {
        const interactive = tool === 'json-parse' ? state.readyMs : interactiveAfter(state.longTasks, Math.max(state.firstRenderMs, state.readyMs));
        // Done once a whole quiet window has passed after the candidate time.
        // The floor has no render: a short settle lets the sampler see the parsed value.
        if (state.now >= interactive + (tool === 'json-parse' ? 300 : QUIET_MS)) {
          result.firstRenderMs = state.firstRenderMs;
          result.interactiveMs = interactive;
          if (tool === 'tracewise') result.analysisDoneMs = state.readyMs;
          if (tool === 'json-parse') result.parseOnlyMs = state.parseOnlyMs;
          result.longTasks = state.longTasks.length;
          result.longestTaskMs = Math.max(0, ...state.longTasks.map(([s, e]) => e - s));
          break;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (result.interactiveMs === undefined) throw new Error(`not interactive after ${Math.round(timeoutMs / 1000)} s`);
    const heap = await stopSampler();
    stopSampler = null;
    const gc = await stopGcTrace();
    stopGcTrace = null;
    result.peakHeapBytes = Math.max(heap.totalBytes, gc.peakBytes);
    result.peakSampledHeapBytes = heap.totalBytes;
    result.peakGcHeapBytes = gc.peakBytes;
    result.gcs = gc.gcs;
    result.peakPageHeapBytes = heap.pageBytes;
    result.peakWorkerHeapBytes = heap.workerBytes;
    result.heapSamples = heap.samples;
    result.peakRendererRssBytes = await rendererPeakRss(browser);
  } catch (e) {
    result.error = String(e?.message ?? e).split('\n')[0];
    // Up to the failure (the renderer may be gone: then only what was seen before).
    const within10s = (p) => {
      let timer;
      return Promise.race([p, new Promise((ok) => (timer = setTimeout(ok, 10_000, null)))]).catch(() => null).finally(() => clearTimeout(timer));
    };
    const heap = stopSampler ? await within10s(stopSampler()) : null;
    const gc = stopGcTrace ? await within10s(stopGcTrace()) : null;
    const seen = Math.max(heap?.totalBytes ?? 0, gc?.peakBytes ?? 0);
    if (seen) result.peakHeapSeenBytes = seen;
    const rss = await within10s(rendererPeakRss(browser));
    if (rss) result.peakRendererRssBytes = rss;
  } finally {
    await browser.close().catch(() => {});
  }
  return result;
}

// CLI: one trace, each tool once.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { resolve, dirname, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { startBenchServer } = await import('./server.mjs');
  const args = process.argv.slice(2);
  const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const trace = resolve(opt('trace', join(root, 'bench/.cache/trace-10mb.json')));
  const server = await startBenchServer({ distDir: opt('dist', join(root, 'dist')), cacheDir: dirname(trace), speedscopeDir: join(root, 'node_modules/speedscope/dist/release') });
  try {
    const timeoutMs = Math.max(60_000, (statSync(trace).size / 1e6) * 3000);
    for (const tool of opt('tools', TOOLS.join(',')).split(',')) {
      console.log(JSON.stringify(await measureLoad({ baseUrl: server.url, traceUrl: `/__bench/traces/${basename(trace)}`, tool, timeoutMs })));
    }
  } finally {
    await server.close();
  }
}
