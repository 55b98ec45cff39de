// The benchmark's generated traces: bench/.cache/trace-<N>mb.json, written by
// bench/gen-kineto.mjs (deterministic: same size and seed, same bytes), and the
// Ascend-shaped bench/.cache/ascend-<N>mb.json from the NPU simulator; both
// rewritten only when missing or older than the generator.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeKinetoLike } from './gen-kineto.mjs';

const GENERATOR = fileURLToPath(new URL('./gen-kineto.mjs', import.meta.url));

/** Path of the `sizeMb` MB trace in `cacheDir`, generated if needed. */
export function ensureTrace(cacheDir, sizeMb, log = console.log) {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `trace-${sizeMb}mb.json`);
  if (existsSync(file) && statSync(file).mtimeMs >= statSync(GENERATOR).mtimeMs) return file;
  log(`generating ${file} (${sizeMb} MB)…`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeKinetoLike(tmp, sizeMb * 1e6);
  renameSync(tmp, file);
  return file;
}

const SIMULATOR_DIR = fileURLToPath(new URL('../src/lib/simulate/', import.meta.url));
/** Newest change to the simulator's sources: a cached trace older than that is written again. */
const simulatorMtime = () => Math.max(...readdirSync(SIMULATOR_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => statSync(join(SIMULATOR_DIR, f)).mtimeMs));

/**
 * Path of an Ascend-shaped trace of about `sizeMb` MB in `cacheDir` (ascend-<N>mb.json), generated if
 * needed: the project's NPU simulator (src/lib/simulate, the lesson's `baseline` scenario: DeepSeek-V3
 * MLA + MoE layers, torch_npu's trace_view.json layout, checked against a real torch_npu trace by
 * format-fidelity.test.ts) run for as many steps as reach the size. Deterministic (fixed seed). The
 * simulator writes the trace as one string, so sizes stop well below V8's ~512 MB string limit: 1 GB is
 * not offered. Returns null for a size it cannot write.
 */
export async function ensureAscendTrace(cacheDir, sizeMb, log = console.log) {
  if (sizeMb > 300) return null;
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `ascend-${sizeMb}mb.json`);
  if (existsSync(file) && statSync(file).mtimeMs >= simulatorMtime()) return file;
  const { generateScenario } = await import('../src/lib/simulate/generate.ts');
  // Bytes grow linearly with steps: two small runs give the slope and the fixed part.
  const a = generateScenario('baseline', 2).json.length;
  const b = generateScenario('baseline', 4).json.length;
  const steps = Math.max(1, Math.round((sizeMb * 1e6 - (a - (b - a))) / ((b - a) / 2)));
  log(`generating ${file} (${sizeMb} MB: the simulated Ascend baseline scenario, ${steps} steps)…`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, generateScenario('baseline', steps).json);
  renameSync(tmp, file);
  return file;
}
