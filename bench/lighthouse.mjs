// Lighthouse performance and accessibility scores of built pages, in Debian's
// Chromium (chrome-launcher's `chromePath`) with the e2e harness's flags.
// Lighthouse's defaults otherwise: mobile form factor, simulated throttling
// (slow 4G, 4× CPU slowdown), so scores are comparable with PageSpeed Insights.
// One fresh Chromium per page.
//
//   node bench/lighthouse.mjs URL [URL…]   → one JSON line per page
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

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const url of process.argv.slice(2)) {
    try {
      console.log(JSON.stringify(await lighthousePage(url)));
    } catch (e) {
      console.log(JSON.stringify({ url, error: String(e?.message ?? e) }));
    }
  }
}
