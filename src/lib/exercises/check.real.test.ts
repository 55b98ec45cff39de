/**
 * A find exercise on a real Kineto trace (HTA's NCCL sample): the target and
 * its launch call are found independently in the raw JSON (the kernel and the
 * cuda_runtime call share a `correlation` id), then answered.
 */
import { describe, expect, it } from 'vitest';
import { loadShared, nsOf, rawEvents, skipReason, tracesPresent } from '../analysis/testing-real.ts';
import { defaultAnalysis as A } from './analysis.ts';
import { checkAnswer } from './check.ts';
import type { FindExercise } from './schema.ts';
import { sliceAt } from './testing.ts';

if (!tracesPresent) console.warn(skipReason());

const FILE = 'pytorch/hta-nccl-data.json.gz';
const t = (en: string) => ({ en, 'zh-CN': en });
const ex: FindExercise = {
  id: 'first-allreduce',
  kind: 'find',
  trace: '/x',
  prompt: t('Click the first all-reduce launched in the first profiler step.'),
  hints: [],
  explanation: t(''),
  target: { detector: 'all_reduce', step: 0, nth: 0 },
  solution: { kind: 'slice', query: { detector: 'all_reduce', step: 0, nth: 0 } },
  wrongAnswers: [{ answer: { kind: 'slice', query: { detector: 'all_reduce', step: 0, nth: 1 } } }],
};

describe.skipIf(!tracesPresent)(`find on ${FILE}`, () => {
  it('the kernel and its launch call are right; the next all-reduce is the right kind in the wrong place', async () => {
    const model = await loadShared(FILE);
    const ev = rawEvents(FILE);
    const origin = nsOf(model.originUs);
    const at = (ts: number | string | undefined) => Number(nsOf(ts) - origin);
    const step = ev.filter((e) => e.ph === 'X' && /^ProfilerStep#/.test(String(e.name))).sort((a, b) => Number(nsOf(a.ts) - nsOf(b.ts)))[0];
    const [s0, s1] = [nsOf(step.ts), nsOf(step.ts) + nsOf(step.dur)];
    const runtime = new Map<number, (typeof ev)[number]>();
    for (const e of ev) if (e.ph === 'X' && e.cat === 'cuda_runtime' && typeof e.args?.correlation === 'number') runtime.set(e.args.correlation, e);
    const launched = ev
      .filter((e) => e.ph === 'X' && e.cat === 'kernel' && /AllReduce/.test(String(e.name)))
      .map((k) => ({ k, r: runtime.get(k.args?.correlation as number)! }))
      .filter(({ r }) => r && nsOf(r.ts) >= s0 && nsOf(r.ts) < s1)
      .sort((a, b) => Number(nsOf(a.r.ts) - nsOf(b.r.ts)));
    expect(launched.length).toBeGreaterThan(1);
    const [first, second] = launched;
    const kernel = sliceAt(model, String(first.k.name), at(first.k.ts));
    const call = sliceAt(model, String(first.r.name), at(first.r.ts));
    expect(checkAnswer(ex, { model }, A, { kind: 'slice', sliceId: kernel }).correct).toBe(true);
    const viaCall = checkAnswer(ex, { model }, A, { kind: 'slice', sliceId: call });
    expect([viaCall.correct, viaCall.feedback.en.startsWith(`Correct: you picked ${first.r.name}`)]).toEqual([true, true]);
    const next = checkAnswer(ex, { model }, A, { kind: 'slice', sliceId: sliceAt(model, String(second.k.name), at(second.k.ts)) });
    expect([next.correct, next.feedback.en.startsWith('That is the right kind of slice')]).toEqual([false, true]);
  });
});
