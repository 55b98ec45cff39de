// The benchmark's generated traces: bench/.cache/trace-<N>mb.json, written by
// bench/gen-kineto.mjs (deterministic: same size and seed, same bytes) and
// rewritten only when missing or older than the generator.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
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
