// Analysis time on one trace, in Node (type stripping runs src/lib directly):
// overlap for every device, all detectors, and the whole `analysisReport`
// (devices with overlap and busy/idle, findings, steps, layers).
//
//   node bench/analysis.mjs FILE [--runs 3]   → one JSON line on stdout
//
// The analysis memoises per model object (a WeakMap keyed by the model), so
// each timed run gets a fresh shallow copy of the model: same typed arrays,
// cold memo, i.e. what the first analysis of a freshly loaded trace costs.
// The first analysisReport of the process is reported on its own (`firstReportMs`:
// what `tracewise analyze` pays, JIT warm-up included); then each part is timed
// on its own fresh copy, median of --runs runs.
import { statSync } from 'node:fs';
import { loadTraceFile } from '../src/cli/files.ts';
import { listDevices } from '../src/lib/analysis/devices.ts';
import { overlapForDevice } from '../src/lib/analysis/overlap.ts';
import { runDetectors } from '../src/lib/analysis/detectors/index.ts';
import { analysisReport } from '../src/lib/analysis/report.ts';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const runs = Number(args.includes('--runs') ? args[args.indexOf('--runs') + 1] : 3);
if (!file) {
  console.error('usage: node bench/analysis.mjs FILE [--runs N]');
  process.exit(2);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
function time(fn) {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

const t0 = performance.now();
const model = await loadTraceFile(file);
const loadMs = performance.now() - t0;

const parts = {
  overlap: (m) => listDevices(m).map((d) => overlapForDevice(m, d.key).overlapRatio),
  detectors: (m) => Object.values(runDetectors(m)).reduce((n, r) => n + r.count, 0),
  report: (m) => analysisReport(m).devices.length,
};
const out = {
  file,
  bytes: statSync(file).size,
  slices: model.slices.length,
  devices: listDevices(model).length,
  loadMs,
  runs,
};
out.firstReportMs = time(() => parts.report({ ...model })).ms;
for (const [name, fn] of Object.entries(parts)) {
  const times = [];
  let value;
  for (let i = 0; i < runs; i++) {
    const r = time(() => fn({ ...model }));
    times.push(r.ms);
    value = r.value;
  }
  out[`${name}Ms`] = median(times);
  if (name === 'detectors') out.detectorMatches = value;
}
out.peakRssBytes = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify(out));
