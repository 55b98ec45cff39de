// One measurement in a fresh process (so peaks and JIT state do not leak
// between measurements): load FILE with Tracewise (streamed from disk, as the
// CLI does) or with JSON.parse (read, gunzip if .gz, decode, parse), then
// print {ms, cpuMs, maxRssMB, baselineMB, warmMs, ...} as one JSON line
// (cpuMs: all threads of the process, so JIT compiler and GC helper threads
// count too). The first load is the cold one (a fresh JIT, as in a new tab or
// a CLI run) and the one measured for time and peak memory. Below WARM_MAX_BYTES the same load then runs
// twice more in the same process and `warmMs` is the faster of those (a
// lesson page's worker loading its next trace). Used by load.mjs.
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [mode, file] = process.argv.slice(2);
const WARM_MAX_BYTES = 300e6;
const { loadTraceFile } = await import('../src/cli/files.ts');

async function loadOnce() {
  if (mode === 'tracewise') return (await loadTraceFile(file)).stats.events;
  let bytes = readFileSync(file);
  if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
  const text = new TextDecoder().decode(bytes);
  bytes = null;
  const json = JSON.parse(text);
  return (Array.isArray(json) ? json : json.traceEvents).length;
}

const baselineMB = process.memoryUsage().rss / 2 ** 20;
const c0 = process.cpuUsage();
const t0 = performance.now();
let events = 0;
let error = null;
try {
  events = await loadOnce();
} catch (e) {
  error = String(e?.message ?? e).split('\n')[0];
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
let warmMs = null;
if (!error && statSync(file).size <= WARM_MAX_BYTES) {
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    await loadOnce();
    const d = performance.now() - t;
    warmMs = warmMs === null ? d : Math.min(warmMs, d);
  }
}
process.stdout.write(`${JSON.stringify({ mode, file, ms, cpuMs, maxRssMB, baselineMB, warmMs, events, error })}\n`);
