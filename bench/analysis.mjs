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
//
// First, before this process loads anything big: the CLI as a user runs it, `tracewise analyze FILE --json`
// in a fresh process (output discarded; Node's compile cache warmed by one analyze of a tiny trace), against
// a fresh process that reads the file and JSON.parses it (gunzipped first for .gz), interleaved run by run:
// `cliMs`, `cliFloorMs` and `cliOverFloor` (the median of the per-run ratios; the goal is ≤ 1.2×).
// A file too big for one JS string leaves the floor null.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const cli = resolve(dirname(fileURLToPath(import.meta.url)), '../bin/tracewise.mjs');
/** Wall time of a fresh Node process running `args`, or null when it fails. */
function processMs(args) {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  return r.status === 0 ? performance.now() - t : null;
}
const floorScript = `const f=process.argv[1];let b=require('fs').readFileSync(f);if(/\\.gz$/i.test(f))b=require('zlib').gunzipSync(b);JSON.parse(b.toString('utf8'))`;
const warm = mkdtempSync(join(tmpdir(), 'tw-bench-'));
writeFileSync(join(warm, 'tiny.json'), '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":1}]');
processMs([cli, 'analyze', join(warm, 'tiny.json'), '--json']);
rmSync(warm, { recursive: true, force: true });
const cliRuns = [];
for (let i = 0; i < runs; i++) cliRuns.push({ cli: processMs([cli, 'analyze', file, '--json']), floor: processMs(['-e', floorScript, file]) });
const okMs = (xs) => xs.filter((x) => x !== null);
const cliTimes = okMs(cliRuns.map((r) => r.cli));
const floorTimes = okMs(cliRuns.map((r) => r.floor));
const ratios = cliRuns.filter((r) => r.cli !== null && r.floor !== null).map((r) => r.cli / r.floor);

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
  cliMs: cliTimes.length ? median(cliTimes) : null,
  cliFloorMs: floorTimes.length ? median(floorTimes) : null,
  cliOverFloor: ratios.length ? median(ratios) : null,
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
