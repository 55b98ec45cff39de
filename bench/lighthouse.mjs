// Lighthouse performance and accessibility scores of built pages, in Debian's
// Chromium (chrome-launcher's `chromePath`) with the e2e harness's flags.
// Lighthouse's defaults otherwise: mobile form factor, simulated throttling
// (slow 4G, 4× CPU slowdown), so scores are comparable with PageSpeed Insights.
// One fresh Chromium per run. Scores move by several points from run to run on
// a loaded machine (simulated throttling scales with the CPU time it observes),
// so the budget is judged on the median of several runs (`medianRun`).
//
//   node bench/lighthouse.mjs URL [URL…] [--runs 3]   → one JSON line per page
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { CHROMIUM_FLAGS, chromiumPath } from '../tests/e2e/harness.mjs';

const METRICS = {
  'first-contentful-paint': 'fcpMs',
  'largest-contentful-paint': 'lcpMs',
  'total-blocking-time': 'tbtMs',
  'cumulative-layout-shift': 'cls',
  'speed-index': 'speedIndexMs',
};

/** Scores (0–100) and the main metrics of one page; `failing` lists audits below full marks. */
export async function lighthousePage(url) {
  const chrome = await chromeLauncher.launch({ chromePath: chromiumPath(), chromeFlags: CHROMIUM_FLAGS, logLevel: 'silent' });
  try {
    const run = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] });
    const lhr = run?.lhr;
    if (!lhr) throw new Error('Lighthouse returned no result');
    if (lhr.runtimeError) throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const score = (id) => (lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100));
    const out = { url, performance: score('performance'), accessibility: score('accessibility') };
    for (const [id, key] of Object.entries(METRICS)) out[key] = lhr.audits[id]?.numericValue ?? null;
    // Accessibility audits that failed, so a score below 100 says why.
    out.failing = lhr.categories.accessibility.auditRefs
      .map((r) => lhr.audits[r.id])
      .filter((a) => a && a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id);
    out.warnings = lhr.runWarnings ?? [];
    return out;
  } finally {
    await chrome.kill();
  }
}

/**
 * One page's runs → the run with the median performance score (the lower middle
 * for an even count), with every run's scores beside it; the first error when
 * no run succeeded.
 */
export function medianRun(runs) {
  const ok = runs.filter((r) => !r.error);
  if (!ok.length) return { ...runs[0], runs: runs.length };
  const sorted = [...ok].sort((a, b) => a.performance - b.performance || a.accessibility - b.accessibility);
  const mid = sorted[(sorted.length - 1) >> 1];
  const accessibility = [...ok].map((r) => r.accessibility).sort((a, b) => a - b)[(ok.length - 1) >> 1];
  const out = { ...mid, accessibility, runs: runs.length, performanceRuns: ok.map((r) => r.performance), accessibilityRuns: ok.map((r) => r.accessibility) };
  if (ok.length < runs.length) out.failedRuns = runs.filter((r) => r.error).map((r) => r.error);
  return out;
}

/** `runs` Lighthouse runs of one page, each in a fresh Chromium, combined by `medianRun` (`perRun`: each run). */
export async function lighthouseMedian(url, runs = 3, log = () => {}) {
  const all = [];
  for (let i = 0; i < runs; i++) {
    let r;
    try {
      r = await lighthousePage(url);
    } catch (e) {
      r = { url, error: String(e?.message ?? e).split('\n')[0] };
    }
    log(r.error ? `  run ${i + 1}/${runs}: fails: ${r.error}` : `  run ${i + 1}/${runs}: performance ${r.performance}, accessibility ${r.accessibility}`);
    all.push(r);
  }
  return { ...medianRun(all), perRun: all };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--runs');
  const runs = at >= 0 ? Number(args[at + 1]) : 1;
  for (const url of args.filter((a, i) => !a.startsWith('--') && !(at >= 0 && i === at + 1))) {
    const { perRun, ...r } = await lighthouseMedian(url, runs, (m) => console.error(m));
    console.log(JSON.stringify(r));
  }
}
