// Time to the first drawn widget on a page: from navigation start to the first
// `tracewise:first-draw` performance mark (TimelineCanvas sets it once per
// widget, after drawing its first frame of a trace), in headless Chromium
// (Debian's, through playwright-core), no throttling, a 1280×800 viewport.
// Widgets hydrate when they scroll into view (`client:visible`), so the first
// timeline island is scrolled into view as soon as the DOM is parsed: the time
// a reader pays who follows a link straight to a lesson's first widget. Each
// run in a fresh browser context (empty cache).
//
//   node bench/first-draw.mjs URL [URL…] [--runs 3]   → one JSON line per page
//
// Beside the time, what the path to it was made of (from the page's Resource
// Timing): when the DOM was parsed, when the widget's chunk and the worker
// script were fetched, so a slow first draw says where its time went.
import { launchBrowser } from '../tests/e2e/harness.mjs';
import { median } from './stats.mjs';

const MARK = 'tracewise:first-draw';
const VIEWPORT = { width: 1280, height: 800 };

// Before any page script: scroll the first timeline island into view once the DOM is there.
function initScript() {
  document.addEventListener('DOMContentLoaded', () => {
    // Islands are `display: contents` (no box to scroll to): their first child has one.
    const island = document.querySelector('astro-island[component-url*="Timeline"]');
    const box = island && [...island.querySelectorAll('*')].find((el) => el.getBoundingClientRect().height > 0);
    if (box) box.scrollIntoView({ block: 'start' });
    else globalThis.__noWidget = true;
  });
}

/** What the page's Resource Timing says about the first widget's path (ms from navigation). */
function pathOf(drawMs) {
  const res = performance.getEntriesByType('resource');
  const first = (re) => res.filter((r) => re.test(r.name)).sort((a, b) => a.startTime - b.startTime)[0];
  const span = (r) => (r ? [Math.round(r.startTime), Math.round(r.responseEnd)] : null);
  const js = res.filter((r) => r.initiatorType === 'script' || r.initiatorType === 'link' || /\.js(\?|$)/.test(r.name));
  const before = js.filter((r) => /\.js(\?|$)/.test(r.name) && r.responseEnd <= drawMs);
  return {
    domContentLoaded: Math.round(performance.getEntriesByType('navigation')[0]?.domContentLoadedEventStart ?? 0),
    island: span(first(/\/_astro\/(Exercise)?Timeline\.[\w-]+\.js$/)),
    worker: span(first(/worker[^/]*\.js/)),
    sqlite: res.some((r) => /sql-wasm|sqlite/i.test(r.name)),
    scriptsBeforeDraw: before.length,
    scriptBytesBeforeDraw: before.reduce((n, r) => n + (r.encodedBodySize || 0), 0),
  };
}

/** One page, one run: { firstDrawMs, path } or { error }. */
async function once(browser, url, timeoutMs) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    await page.addInitScript(initScript);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    const handle = await page
      .waitForFunction((mark) => globalThis.__noWidget || performance.getEntriesByName(mark)[0]?.startTime, MARK, { timeout: timeoutMs, polling: 50 })
      .catch(() => null);
    if (!handle) return { error: `no ${MARK} mark within ${timeoutMs} ms${errors.length ? ` (${errors[0]})` : ''}` };
    if (await page.evaluate(() => globalThis.__noWidget === true)) return { error: 'no timeline widget on the page' };
    const firstDrawMs = await handle.jsonValue();
    return { firstDrawMs, path: await page.evaluate(pathOf, firstDrawMs) };
  } finally {
    await context.close();
  }
}

/**
 * Each page `runs` times (pages interleaved run by run, so a burst of load on
 * the machine spreads over all of them); per page the median and every run.
 */
export async function measureFirstDraw({ baseUrl, pages, runs = 3, timeoutMs = 30_000, log = () => {} }) {
  const browser = await launchBrowser();
  const byPage = new Map(pages.map((p) => [p, []]));
  try {
    for (let i = 0; i < runs; i++) {
      for (const p of pages) {
        const r = await once(browser, baseUrl + p, timeoutMs).catch((e) => ({ error: String(e?.message ?? e).split('\n')[0] }));
        log(`first draw ${p} (run ${i + 1}/${runs}): ${r.error ?? `${Math.round(r.firstDrawMs)} ms`}`);
        byPage.get(p).push(r);
      }
    }
  } finally {
    await browser.close();
  }
  return pages.map((page) => {
    const all = byPage.get(page);
    const ok = all.filter((r) => !r.error);
    if (!ok.length) return { page, error: all[0]?.error ?? 'not measured', runs: all.length };
    const firstDrawMs = median(ok.map((r) => r.firstDrawMs));
    const mid = ok.find((r) => r.firstDrawMs === firstDrawMs);
    return { page, firstDrawMs, runsMs: ok.map((r) => Math.round(r.firstDrawMs)), runs: all.length, path: mid.path, ...(ok.length < all.length ? { failedRuns: all.filter((r) => r.error).map((r) => r.error) } : {}) };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const urls = args.filter((a, i) => !a.startsWith('--') && !(runsAt >= 0 && i === runsAt + 1));
  for (const url of urls) {
    const u = new URL(url);
    const [row] = await measureFirstDraw({ baseUrl: u.origin, pages: [u.pathname + u.search], runs, log: (m) => console.error(m) });
    console.log(JSON.stringify({ url, ...row }));
  }
}
