// Small pure helpers of the benchmark report: medians over runs, and the
// frame-time table that bench/frames.mjs prints (it writes no JSON).

/** Median of the numbers in `xs` (the lower middle for an even count); null when there are none. */
export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : null;
}

/** Per-field medians of the successful runs of one measurement; the first error when none succeeded. */
export function combineRuns(results) {
  const ok = results.filter((r) => !r.error);
  if (!ok.length) return { ...results[0], runs: results.length };
  const out = { tool: ok[0].tool, trace: ok[0].trace, runs: ok.length };
  for (const k of Object.keys(ok[0])) if (typeof ok[0][k] === 'number') out[k] = median(ok.map((r) => r[k]));
  // The spread of the numbers that decide the targets, so a reader can judge the noise.
  if (ok.length > 1) {
    out.range = {};
    for (const k of ['interactiveMs', 'peakHeapBytes']) {
      const xs = ok.map((r) => r[k]).filter((x) => typeof x === 'number');
      if (xs.length) out.range[k] = [Math.min(...xs), Math.max(...xs)];
    }
  }
  if (ok.length < results.length) out.failedRuns = results.filter((r) => r.error).map((r) => r.error);
  return out;
}

/** Rows of bench/frames.mjs's text table, plus its setup lines (generation, analysis, canvas size). */
export function parseFrames(stdout) {
  const rows = [];
  const setup = [];
  const num = (s) => (s === '–' ? null : Number(s));
  for (const line of stdout.split('\n')) {
    const m = /^([\d,]+)\s+(\S.*?)\s+(\d+)\s+([\d.]+|–)\s+([\d.]+|–)\s+([\d.]+|–)\s+\|\s+([\d.]+|–)\s+([\d.]+|–)\s*$/.exec(line);
    if (m) {
      rows.push({ slices: Number(m[1].replace(/,/g, '')), phase: m[2], draws: Number(m[3]), drawMedian: num(m[4]), drawP95: num(m[5]), drawMax: num(m[6]), frameMedian: num(m[7]), frameP95: num(m[8]) });
    } else if (/^[\d,]+ slices: /.test(line) || /^Chromium headless/.test(line)) setup.push(line.trim());
  }
  return { rows, setup, note: setup.join('; ') };
}
