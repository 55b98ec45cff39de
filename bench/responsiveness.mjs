// Main-thread responsiveness after a big trace is handed to the widget, in
// headless Chromium: the synthetic 5 M-slice model (the one bench/frames.mjs
// uses, src/components/timeline/dev/synthetic.ts) is built inside the page,
// then handed to the widget with `setModel` — the moment a load finishes. From
// then until the analysis is in (`view.computing` false) and 2 s more:
//   - every main-thread long task (PerformanceObserver 'longtask', ≥ 50 ms),
//     the longest and their sum;
//   - a click on the canvas every 250 ms: its input delay (handler start −
//     event timestamp, measured in a capturing pointerdown listener) and the
//     time the CDP click took to be acknowledged;
//   - how long the analysis took to arrive.
// The synchronous part of setModel (the hand-over itself) is reported on its
// own line: it is the one task the load must cost.
//
//   node bench/responsiveness.mjs [--dist DIR] [--sizes 5000000] [--json out.json]
//
// Run it on two builds to compare (e.g. `--dist /tmp/dist-before`); numbers
// depend on the machine and its load, so they live in the bench report, not in
// unit tests.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { startServer } from '../tests/e2e/server.mjs';
import { syntheticModel } from '../src/components/timeline/dev/synthetic.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const distDir = resolve(opt('dist', join(root, 'dist')));
const sizes = opt('sizes', '5000000').split(',').map(Number);
const jsonOut = opt('json', null);
const CLICK_EVERY_MS = 250;
const TAIL_MS = 2000;
const MAX_MS = 120_000;

export async function measureResponsiveness({ distDir, sizes }) {
  if (!existsSync(join(distDir, 'en/reference/timeline/index.html'))) throw new Error(`${distDir} has no /en/reference/timeline/ page: build the site first`);
  const server = await startServer({ distDir });
  const browser = await launchBrowser();
  const results = [];
  try {
    for (const n of sizes) {
      // A fresh page per size: nothing left over from the previous model.
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      page.on('pageerror', (e) => console.error('pageerror', e.message));
      await page.goto(`${server.url}/en/reference/timeline/`, { waitUntil: 'networkidle' });
      const widget = page.locator('section.tw-timeline').first();
      await widget.scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelector('section.tw-timeline')?.twTimeline && !document.querySelector('section.tw-timeline').twTimeline.view.computing, null, { timeout: 60_000 });
      const setup = await page.evaluate(
        ({ src, n }) => {
          const make = new Function(`return (${src})`)();
          const model = make(n, 1);
          const w = /** @type {any} */ (window);
          w.__tw = { longTasks: [], delays: [], t0: 0, setMs: 0, readyMs: null };
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) w.__tw.longTasks.push({ start: e.startTime, dur: e.duration });
          }).observe({ type: 'longtask' });
          const wrap = document.querySelector('section.tw-timeline .tw-canvas-wrap');
          wrap.addEventListener('pointerdown', (e) => w.__tw.delays.push({ at: performance.now(), delay: performance.now() - e.timeStamp }), { capture: true });
          const h = document.querySelector('section.tw-timeline').twTimeline;
          // Let the generation's long task end and be recorded before the hand-over.
          return new Promise((ok) =>
            setTimeout(() => {
              w.__tw.t0 = performance.now();
              h.setModel(model);
              w.__tw.setMs = performance.now() - w.__tw.t0;
              const poll = () => {
                if (!h.view.computing) w.__tw.readyMs = performance.now() - w.__tw.t0;
                else setTimeout(poll, 20);
              };
              setTimeout(poll, 0);
              ok({ slices: model.slices.length, setMs: w.__tw.setMs });
            }, 200),
          );
        },
        { src: syntheticModel.toString(), n },
      );
      const box = await widget.locator('.tw-canvas-wrap').boundingBox();
      const clickMs = [];
      const started = Date.now();
      let readyAt = null;
      while (Date.now() - started < MAX_MS) {
        const c0 = Date.now();
        // An empty spot low on the canvas: a click there clears the selection, nothing more.
        await page.mouse.click(box.x + box.width * 0.5, box.y + box.height - 8);
        clickMs.push(Date.now() - c0);
        const ready = await page.evaluate(() => window.__tw.readyMs);
        if (ready !== null && readyAt === null) readyAt = Date.now();
        if (readyAt !== null && Date.now() - readyAt > TAIL_MS) break;
        await new Promise((r) => setTimeout(r, CLICK_EVERY_MS));
      }
      const m = await page.evaluate(() => window.__tw);
      const after = m.longTasks.filter((t) => t.start >= m.t0 - 1);
      // The task that ran setModel itself starts just before t0's stamp; report it apart.
      const handOver = after.find((t) => t.start <= m.t0 + 5);
      const rest = after.filter((t) => t !== handOver);
      const delays = m.delays.map((d) => d.delay).sort((a, b) => a - b);
      results.push({
        slices: setup.slices,
        setModelMs: setup.setMs,
        handOverTaskMs: handOver?.dur ?? null,
        analysisReadyMs: m.readyMs,
        longTasksAfterHandOver: rest.length,
        longestTaskAfterHandOverMs: rest.reduce((a, t) => Math.max(a, t.dur), 0),
        longTaskTotalMs: rest.reduce((a, t) => a + t.dur, 0),
        clicks: delays.length,
        clickDelayMedianMs: delays[Math.floor(delays.length / 2)] ?? null,
        clickDelayMaxMs: delays[delays.length - 1] ?? null,
        clickAckMaxMs: Math.max(...clickMs),
      });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}

export function formatResponsiveness(rows) {
  const f = (x) => (x === null || x === undefined ? '–' : x.toFixed(0));
  const lines = ['| slices | setModel (sync) ms | analysis in after ms | long tasks after | longest task ms | long-task total ms | clicks | click delay median / max ms | click ack max ms |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of rows) {
    lines.push(`| ${r.slices.toLocaleString('en-US')} | ${f(r.setModelMs)} | ${f(r.analysisReadyMs)} | ${r.longTasksAfterHandOver} | ${f(r.longestTaskAfterHandOverMs)} | ${f(r.longTaskTotalMs)} | ${r.clicks} | ${f(r.clickDelayMedianMs)} / ${f(r.clickDelayMaxMs)} | ${f(r.clickAckMaxMs)} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await measureResponsiveness({ distDir, sizes });
  console.log(`dist: ${distDir}`);
  console.log(formatResponsiveness(rows));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 2));
}
