// One measurement in a fresh process (so peaks and JIT state do not leak
// between measurements): load FILE with Tracewise (streamed from disk, as the
// CLI does) or with JSON.parse (read, gunzip if .gz, decode, parse), then
// print {ms, cpuMs, maxRssMB, baselineMB, ...} as one JSON line (cpuMs: all
// threads of the process, so JIT compiler and GC helper threads count too). Used by load.mjs.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [mode, file] = process.argv.slice(2);
const { loadTraceFile } = await import('../src/cli/files.ts');
const baselineMB = process.memoryUsage().rss / 2 ** 20;
const c0 = process.cpuUsage();
const t0 = performance.now();
let events = 0;
let error = null;
try {
  if (mode === 'tracewise') {
    const model = await loadTraceFile(file);
    events = model.stats.events;
  } else {
    let bytes = readFileSync(file);
    if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
    const text = new TextDecoder().decode(bytes);
    bytes = null;
    const json = JSON.parse(text);
    events = (Array.isArray(json) ? json : json.traceEvents).length;
  }
} catch (e) {
  error = String(e?.message ?? e).split('\n')[0];
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ mode, file, ms, cpuMs, maxRssMB, baselineMB, events, error })}\n`);
