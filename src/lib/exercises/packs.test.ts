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
import { combineValues, withinTolerance, type Traces } from './check.ts';
import { computeMeasure, totalOf } from './measures.ts';
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

/** Durations and percentages written in a text, in ns and as a ratio: "224 µs" → 224 000, "35 %" → 0.35. */
function numbersIn(text: string): Array<{ said: string; value: number; quantity: 'time' | 'ratio' }> {
  const scale: Record<string, number> = { ns: 1, µs: 1e3, us: 1e3, ms: 1e6, s: 1e9 };
  const out: Array<{ said: string; value: number; quantity: 'time' | 'ratio' }> = [];
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(ns|µs|us|ms|s|%)(?![A-Za-z])/g)) {
    const v = Number(m[1]);
    out.push(m[2] === '%' ? { said: m[0], value: v / 100, quantity: 'ratio' } : { said: m[0], value: v * scale[m[2]], quantity: 'time' });
  }
  return out;
}

/** The values an exercise asks the learner to find (measure instances, a compare's combined value); [] for the others. */
async function answersOf(ex: Exercise): Promise<Array<{ value: number; quantity: string; tolerance: { relative?: number; absolute?: number }; unit: string }>> {
  const t = await tracesOf(ex);
  if (ex.kind === 'measure' && t.model) {
    const r = computeMeasure(t.model, A, ex.measure);
    return r.instances.length <= 3 ? r.instances.map((i) => ({ value: i.value, quantity: r.quantity, tolerance: ex.tolerance, unit: ex.unit })) : [];
  }
  if (ex.kind === 'compare' && ex.ask.type === 'value' && t.before && t.after) {
    const rb = computeMeasure(t.before, A, ex.measure);
    const vb = totalOf(rb);
    const va = totalOf(computeMeasure(t.after, A, ex.measure));
    const v = vb === null || va === null ? null : combineValues(ex.ask.combine, vb, va);
    const quantity = ex.ask.combine === 'ratio' || ex.ask.combine === 'speedup' ? 'ratio' : rb.quantity;
    return v === null ? [] : [{ value: v, quantity, tolerance: ex.ask.tolerance, unit: ex.ask.unit }];
  }
  return [];
}

// No spoilers: a later exercise's title or prompt must not state what an earlier one asks for
// (lesson 1's "Why the GPU waited" once said the 224 µs that "From launch to start" asks for).
describe.skipIf(!files.length)('no prompt gives away an earlier answer', () => {
  for (const file of files) {
    const name = relative(repoRoot, file);
    const parsed = parsePack(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.ok) continue;
    const exs = parsed.value.exercises;
    if (exs.some((ex) => urlsOf(ex).some((u) => !bundledTraceAvailable(u)))) continue;
    it(name, async () => {
      const spoilers: string[] = [];
      for (let i = 0; i < exs.length; i++) {
        const answers = await answersOf(exs[i]);
        if (!answers.length) continue;
        for (const later of exs.slice(i + 1)) {
          for (const lang of ['en', 'zh-CN'] as const) {
            const text = `${later.title?.[lang] ?? ''} ${later.prompt[lang]}`;
            for (const n of numbersIn(text)) {
              const hit = answers.find((a) => a.quantity === n.quantity && withinTolerance(n.value, a.value, a.tolerance, a.unit as never));
              if (hit) spoilers.push(`${later.id} (${lang}) says "${n.said}", the answer of ${exs[i].id}`);
            }
          }
        }
      }
      expect(spoilers).toEqual([]);
    }, 120_000);
  }
});
