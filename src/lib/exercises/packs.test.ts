/**
 * Every exercise pack of the site (src/content/exercises/**.json, the files
 * lessons import their exercises from) is valid, and each exercise's
 * solution passes and its known wrong answers fail on its bundled trace
 * (STYLE.md example 15). Skips, saying why, while there are no packs yet or
 * when a trace is not in public/ (and is not a regenerable simulated sample).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultAnalysis as A } from './analysis.ts';
import type { Traces } from './check.ts';
import { parsePack, type Exercise } from './schema.ts';
import { bundledTraceAvailable, loadBundledTrace } from './testing.ts';
import { verifyExercise } from './verify.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
// EXERCISE_PACKS_DIR points the check at another folder (a workshop's packs).
const PACKS_DIR = process.env.EXERCISE_PACKS_DIR ?? join(repoRoot, 'src/content/exercises');

function packFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? packFiles(p) : f.endsWith('.json') ? [p] : [];
  });
}

const files = packFiles(PACKS_DIR);
if (!files.length) console.warn(`no exercise packs in ${relative(repoRoot, PACKS_DIR)} yet: pack self-checks skipped`);

const urlsOf = (ex: Exercise): string[] => (ex.kind === 'compare' ? [ex.traces.before, ex.traces.after] : ex.trace ? [ex.trace] : []);

async function tracesOf(ex: Exercise): Promise<Traces> {
  if (ex.kind === 'compare') return { before: await loadBundledTrace(ex.traces.before), after: await loadBundledTrace(ex.traces.after) };
  return ex.trace ? { model: await loadBundledTrace(ex.trace) } : {};
}

describe.skipIf(!files.length)('exercise packs', () => {
  for (const file of files) {
    const name = relative(repoRoot, file);
    const parsed = parsePack(JSON.parse(readFileSync(file, 'utf8')));
    it(`${name} is a valid pack`, () => {
      expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    });
    if (!parsed.ok) continue;
    for (const ex of parsed.value.exercises) {
      const missing = urlsOf(ex).filter((u) => !bundledTraceAvailable(u));
      if (missing.length) console.warn(`${name} ${ex.id}: ${missing.join(', ')} not in public/; not checked`);
      it.skipIf(missing.length > 0)(`${name} ${ex.id}: solution passes, wrong answers fail`, async () => {
        expect(verifyExercise(ex, await tracesOf(ex), A)).toEqual([]);
      });
    }
  }
});
