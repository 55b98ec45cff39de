// Load throughput and peak memory of the trace engine against plain JSON.parse
// of the same bytes, each measurement in its own child process.
//
//   node bench/load.mjs [--big] [--runs 3] [--only-synthetic] [--baseline DIR]
//
// --baseline DIR also measures the Tracewise loader of another checkout (e.g.
// `git worktree add /tmp/before main`, with node_modules linked) in the same
// run, interleaved run by run with the others, so that a change is reported as
// before/after ratios measured on the same machine state. --only-synthetic
// leaves out the real traces.
//
// Inputs: PyTorch-shaped synthetic traces of 10 MB and 100 MB (1 GB with
// --big; generated once into bench/.cache/ by gen-kineto.mjs) and the real
// traces in ../shared/traces when present. Tracewise streams the file from
// disk through loadTraceFile (what the CLI does); JSON.parse reads the whole
// file, gunzips .gz, decodes and parses (what a naive loader does). Both
// timings start after Node and the modules are up and include reading the
// file. Every run is a cold start (a fresh process: the JIT has not warmed
// up, as in a new browser tab or a CLI run), and that first load is what the
// speed and peak columns measure. "warm" is the faster of two more loads in
// the same process (files up to 300 MB), as a lesson page's worker loads its
// next trace. Throughput is decompressed MB per wall-clock second (median of
// --runs); "per CPU second" divides by the process's CPU time instead, which
// is steadier on a busy machine; "peak" is the child's max RSS minus its RSS
// before loading.
//
// Prints a Markdown table and writes bench/results/load.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
const loadAverageAtStart = loadavg()[0];
import { writeKinetoLike } from './gen-kineto.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const cache = join(here, '.cache');
const big = process.argv.includes('--big');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 3;
const baselineFlag = process.argv.indexOf('--baseline');
const baseline = baselineFlag >= 0 ? resolve(process.argv[baselineFlag + 1]) : null;
const onlySynthetic = process.argv.includes('--only-synthetic');

mkdirSync(cache, { recursive: true });
const inputs = [];
for (const [label, bytes] of [['synthetic 10 MB', 10e6], ['synthetic 100 MB', 100e6], ...(big ? [['synthetic 1 GB', 1e9]] : [])]) {
  const path = join(cache, `kineto-${bytes}.json`);
  if (!existsSync(path)) {
    process.stderr.write(`generating ${path} ...\n`);
    writeKinetoLike(path, bytes, 7);
  }
  inputs.push({ label, path });
}
const shared = resolve(root, '../shared/traces');
if (onlySynthetic) process.stderr.write('--only-synthetic: real traces left out\n');
else if (existsSync(shared)) {
  for (const rel of ['pytorch/kineto-resnet50-2021.json.gz', 'pytorch/hta-nccl-data.json.gz', 'ascend/train-2rank-level1/rank0/trace_view.json']) {
    if (existsSync(join(shared, rel))) inputs.push({ label: rel, path: join(shared, rel) });
  }
} else process.stderr.write(`../shared/traces not found: real traces left out\n`);

function measure(mode, path) {
  // 'before' is the baseline checkout's own loader, run by its own load-child.mjs.
  const tree = mode === 'before' ? baseline : root;
  const out = execFileSync(process.execPath, [join(tree, 'bench', 'load-child.mjs'), mode === 'before' ? 'tracewise' : mode, path], { encoding: 'utf8', maxBuffer: 1 << 20, cwd: tree });
  return JSON.parse(out.trim().split('\n').at(-1));
}
const modes = baseline ? ['before', 'tracewise', 'json'] : ['tracewise', 'json'];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

const results = [];
for (const { label, path } of inputs) {
  const bytes = path.endsWith('.gz') ? gunzipSync(readFileSync(path)).length : statSync(path).size;
  const row = { input: label, fileBytes: statSync(path).size, jsonBytes: bytes };
  const n = bytes > 500e6 ? 1 : runs;
  const all = Object.fromEntries(modes.map((m) => [m, []]));
  // Interleaved (A B J, A B J, ...), so that a change in machine load hits every mode alike.
  for (let i = 0; i < n; i++) for (const mode of modes) all[mode].push(measure(mode, path));
  for (const mode of modes) {
    const samples = all[mode];
    const failed = samples.find((s) => s.error);
    row[mode] = failed
      ? { error: failed.error }
      : {
          ms: median(samples.map((s) => s.ms)),
          cpuMs: median(samples.map((s) => s.cpuMs)),
          mbPerS: bytes / 1e6 / (median(samples.map((s) => s.ms)) / 1000),
          mbPerCpuS: bytes / 1e6 / (median(samples.map((s) => s.cpuMs)) / 1000),
          peakMB: median(samples.map((s) => s.maxRssMB - s.baselineMB)),
          // The baseline checkout's child may not report warm times.
          warmMbPerS: samples.every((s) => typeof s.warmMs === 'number') ? bytes / 1e6 / (median(samples.map((s) => s.warmMs)) / 1000) : undefined,
          events: samples[0].events,
          runs: n,
        };
    process.stderr.write(`${label} ${mode}: ${failed ? failed.error : `${row[mode].mbPerS.toFixed(0)} MB/s, peak ${row[mode].peakMB.toFixed(0)} MB`}\n`);
  }
  results.push(row);
}

const f = (x, d = 0) => (x === undefined ? '—' : x.toFixed(d));
const lines = [
  `| input | JSON MB | Tracewise MB/s | JSON.parse MB/s | speed ×JSON.parse | same, per CPU second | warm: ×JSON.parse | Tracewise peak MB (× JSON size) | JSON.parse peak MB (× JSON size) |${baseline ? ' before: MB/s | before: ×JSON.parse | before: peak MB (× JSON size) |' : ''}`,
  `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${baseline ? ' ---: | ---: | ---: |' : ''}`,
];
for (const r of results) {
  const mb = r.jsonBytes / 1e6;
  const t = r.tracewise;
  const j = r.json;
  const cell = (m) => (m.error ? `fails: ${m.error.slice(0, 60)}` : `${f(m.peakMB)} (${f((m.peakMB * 2 ** 20) / r.jsonBytes, 2)}×)`);
  const b = r.before;
  const beforeCells = b ? ` ${b.error ? 'fails' : f(b.mbPerS)} | ${b.error || j.error ? '—' : f(b.mbPerS / j.mbPerS, 2)} | ${cell(b)} |` : '';
  lines.push(
    `| ${r.input} | ${f(mb, 1)} | ${t.error ? 'fails' : f(t.mbPerS)} | ${j.error ? 'fails' : f(j.mbPerS)} | ${t.error || j.error ? '—' : f(t.mbPerS / j.mbPerS, 2)} | ${t.error || j.error ? '—' : f(t.mbPerCpuS / j.mbPerCpuS, 2)} | ${t.warmMbPerS && j.warmMbPerS ? f(t.warmMbPerS / j.warmMbPerS, 2) : '—'} | ${cell(t)} | ${cell(j)} |${beforeCells}`,
  );
}
const table = lines.join('\n');
console.log(table);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'load.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, loadAverageAtStart, loadAverageAtEnd: loadavg()[0], runs, baseline, results }, null, 2)}\n`,
);
