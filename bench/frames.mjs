// Frame time of the timeline widget while zooming and panning synthetic
// traces of 1 M and 5 M slices in headless Chromium.
//
//   node bench/frames.mjs [--url http://localhost:4400/en/reference/timeline/] [--sizes 1000000,5000000] [--dpr 2] [--width 1600]
//
// Without --url it serves the built site (run `npm run build` first) with the
// e2e test server. The synthetic model (src/components/timeline/dev/synthetic.ts)
// is generated inside the page and handed to the widget through its handle;
// the page then zooms and pans through the view state once per animation
// frame. Reported per phase:
//   draw  — time inside the canvas draw, including rasterisation (the page
//           reads back one pixel after each frame, which waits for the canvas);
//   frame — draw plus the state update that preceded it (the view-state
//           change and Svelte's effect flush: derived layout, frame inputs):
//           the main-thread work one zoom or pan step costs.
// Targets (1 M slices): draw median ≤ 8 ms, p95 ≤ 16 ms.
import { existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { startServer } from '../tests/e2e/server.mjs';
import { syntheticModel } from '../src/components/timeline/dev/synthetic.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const sizes = opt('sizes', '1000000,5000000').split(',').map(Number);
const viewport = { width: Number(opt('width', 1600)), height: 1000 };
const deviceScaleFactor = Number(opt('dpr', 1));

let server = null;
let url = opt('url', null);
if (!url) {
  const page = join(root, 'dist/en/reference/timeline/index.html');
  if (!existsSync(page)) {
    console.error('bench/frames: dist/ has no /en/reference/timeline/ page; run `npm run build` first or pass --url.');
    process.exit(1);
  }
  server = await startServer({ distDir: join(root, 'dist') });
  url = `${server.url}/en/reference/timeline/`;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] ?? NaN;
  return { n: s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1] ?? NaN };
}

const browser = await launchBrowser();
const rows = [];
let canvasSize = '?';
try {
  // bypassCSP: the site's CSP forbids injected <style>, which the benchmark uses to widen the widget.
  const page = await browser.newPage({ viewport, deviceScaleFactor, bypassCSP: true });
  page.on('pageerror', (e) => console.error('pageerror', e.message));
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('section.tw-timeline').first().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('section.tw-timeline')?.twTimeline, null, { timeout: 30_000 });
  // Measure a full-width widget, not the width of the docs column.
  await page.addStyleTag({ content: 'section.tw-timeline { position: fixed !important; inset: 0 auto auto 0; width: 100vw; z-index: 1000; margin: 0 !important; }' });
  for (const n of sizes) {
    const setup = await page.evaluate(
      async ({ src, n }) => {
        const make = new Function(`return (${src})`)();
        const t0 = performance.now();
        const model = make(n, 1);
        const genMs = performance.now() - t0;
        const h = document.querySelector('section.tw-timeline').twTimeline;
        const t1 = performance.now();
        h.setModel(model);
        const setMs = performance.now() - t1;
        // Let the analysis (computed tracks, colours, detectors) finish before timing frames.
        const t2 = performance.now();
        while (h.view.computing) await new Promise((r) => setTimeout(r, 50));
        return { slices: model.slices.length, genMs, setMs, analysisMs: performance.now() - t2 };
      },
      { src: syntheticModel.toString(), n },
    );
    console.log(`${setup.slices.toLocaleString('en-US')} slices: generated in ${setup.genMs.toFixed(0)} ms, setModel ${setup.setMs.toFixed(0)} ms, analysis ${(setup.analysisMs / 1000).toFixed(1)} s`);
    const phases = await page.evaluate(async () => {
      globalThis.__twFlushFrames = true;
      const h = document.querySelector('section.tw-timeline').twTimeline;
      const v = h.view;
      const raf = () => new Promise((r) => requestAnimationFrame(r));
      const out = {};
      async function run(name, steps, act) {
        await raf();
        await raf();
        const before = h.frameTimes().length;
        const updates = [];
        for (let i = 0; i < steps; i++) {
          const drawn = h.frameTimes().length;
          const t0 = performance.now();
          act(i);
          // Svelte flushes its effects in a microtask queued by the change; ours runs after it.
          await new Promise((r) => queueMicrotask(r));
          updates.push(performance.now() - t0);
          // One change per drawn frame: wait until the widget has drawn it.
          do await raf();
          while (h.frameTimes().length === drawn);
        }
        await raf();
        const draw = h.frameTimes().slice(before);
        out[name] = { draw, frame: draw.map((d, i) => d + (updates[i] ?? 0)) };
      }
      v.fitAll();
      // Zoom in from the whole trace to ~1 µs per pixel around a few points, then back out.
      await run('zoom (whole → 1 µs/px → whole)', 160, (i) => {
        const x = v.widthPx * (0.3 + 0.4 * ((i >> 4) % 2));
        v.zoomAtPx(x, i < 80 ? 0.88 : 1 / 0.88);
      });
      v.fitAll();
      await run('zoom again (levels cached)', 160, (i) => {
        const x = v.widthPx * (0.3 + 0.4 * ((i >> 4) % 2));
        v.zoomAtPx(x, i < 80 ? 0.88 : 1 / 0.88);
      });
      v.fitAll();
      await run('pan (whole trace)', 60, () => v.panPx(v.widthPx * 0.05));
      v.showRange({ startNs: v.contentExtent.startNs, endNs: v.contentExtent.startNs + (v.contentExtent.endNs - v.contentExtent.startNs) / 50 });
      await run('pan (1/50 of the trace)', 120, (i) => v.panPx(v.widthPx * (i < 60 ? 0.08 : -0.08)));
      v.showRange({ startNs: v.contentExtent.startNs + 1e6, endNs: v.contentExtent.startNs + 1.2e6 });
      await run('pan (200 µs window, labels)', 60, () => v.panPx(v.widthPx * 0.1));
      globalThis.__twFlushFrames = false;
      return out;
    });
    canvasSize = await page.evaluate(() => {
      const c = document.querySelector('section.tw-timeline .tw-canvas-wrap canvas');
      return `${c.width}×${c.height} px`;
    });
    for (const [phase, { draw, frame }] of Object.entries(phases)) {
      rows.push({ slices: setup.slices, phase, draw: stats(draw), frame: stats(frame) });
    }
  }
} finally {
  await browser.close();
  await server?.close();
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–').padStart(7);
console.log(`\nChromium headless (software raster), page ${viewport.width}×${viewport.height} at devicePixelRatio ${deviceScaleFactor}, main canvas ${canvasSize}`);
console.log('slices      phase                               draws  draw med  draw p95  draw max | frame med  frame p95  (ms)');
for (const r of rows) {
  console.log(
    `${r.slices.toLocaleString('en-US').padEnd(11)} ${r.phase.padEnd(35)} ${String(r.draw.n).padStart(5)} ${fmt(r.draw.median)}   ${fmt(r.draw.p95)}   ${fmt(r.draw.max)} | ${fmt(r.frame.median)}   ${fmt(r.frame.p95)}`,
  );
}
const oneM = rows.filter((r) => r.slices < 2e6);
if (oneM.length) {
  const worstMedian = Math.max(...oneM.map((r) => r.frame.median));
  const worstP95 = Math.max(...oneM.map((r) => r.frame.p95));
  console.log(`\n1 M slices, frame (update + draw): worst phase median ${worstMedian.toFixed(2)} ms (target ≤ 8), worst phase p95 ${worstP95.toFixed(2)} ms (target ≤ 16)`);
}
