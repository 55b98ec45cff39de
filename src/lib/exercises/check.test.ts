import { describe, expect, it } from 'vitest';
import { buildModel } from '../analysis/testing.ts';
import { idleGaps } from '../analysis/fixtures/idle-gaps.ts';
import { defaultAnalysis as A, type Analysis } from './analysis.ts';
import { checkAnswer, materializeAnswer, resolveTarget, withinTolerance } from './check.ts';
import { parseExercise } from './schema.ts';
import { layerBase, tpLayers } from './fixtures/tp-layers.ts';
import type { ChoiceExercise, CompareExercise, FindExercise, MeasureExercise } from './schema.ts';
import { sliceAt } from './testing.ts';
import { verifyExercise } from './verify.ts';

const t = (en: string) => ({ en, 'zh-CN': en });
const AR = 'ncclDevKernel_AllReduce_Sum_bf16_RING_LL';
const model = buildModel(tpLayers());
const b01 = layerBase(0, 1);

const findEx: FindExercise = {
  id: 'find-ar',
  kind: 'find',
  trace: '/x',
  prompt: t('Click the all-reduce that follows o_proj in layer 2 of step 1.'),
  hints: [],
  explanation: t(''),
  target: { detector: 'all_reduce', step: 0, within: { scope: 'Qwen2DecoderLayer', index: 1 }, after: { scope: 'o_proj' } },
  nearMisses: [
    { id: 'after-mlp', match: { detector: 'all_reduce', step: 0, within: { scope: 'Qwen2DecoderLayer', index: 1 }, after: { scope: 'down_proj' } }, feedback: t('That one follows down_proj: look earlier in the layer.') },
  ],
  solution: { kind: 'slice', query: { name: AR, nth: 2 } },
  wrongAnswers: [
    { answer: { kind: 'slice', query: { name: AR, nth: 3 } }, nearMiss: 'after-mlp' },
    { answer: { kind: 'slice', query: { name: AR, nth: 0 } } },
  ],
};

describe('find', () => {
  const slice = (name: string, at: number) => ({ kind: 'slice' as const, sliceId: sliceAt(model, name, at) });
  it('accepts the target, and the host call / op that launched only it', () => {
    const r = checkAnswer(findEx, { model }, A, slice(AR, b01 + 1310));
    expect([r.correct, r.feedback.en]).toEqual([true, `Correct: ${AR}.`]);
    expect(checkAnswer(findEx, { model }, A, slice('cudaLaunchKernel', b01 + 810)).correct).toBe(true);
    expect(checkAnswer(findEx, { model }, A, slice('c10d::allreduce_', b01 + 800)).feedback.en).toMatch(/^Correct: you picked c10d::allreduce_, which stands for ncclDevKernel/);
  });
  it('accept: exact takes the device slice only', () => {
    expect(checkAnswer({ ...findEx, accept: 'exact' }, { model }, A, slice('cudaLaunchKernel', b01 + 810)).correct).toBe(false);
  });
  it('a near miss gives its own feedback and id', () => {
    const r = checkAnswer(findEx, { model }, A, slice(AR, b01 + 2510));
    expect([r.correct, r.nearMiss, r.feedback.en]).toEqual([false, 'after-mlp', 'That one follows down_proj: look earlier in the layer.']);
  });
  it('otherwise: right kind in the wrong place, or simply the wrong slice', () => {
    expect(checkAnswer(findEx, { model }, A, slice(AR, layerBase(1, 1) + 1310)).feedback.en).toMatch(/^That is the right kind of slice/);
    expect(checkAnswer(findEx, { model }, A, slice('nvjet_tst_o', b01 + 1110)).feedback.en).toBe('Not this one: you picked nvjet_tst_o.');
    // A scope that launched several kernels is not the all-reduce.
    expect(checkAnswer(findEx, { model }, A, slice('self_attn', b01 + 10)).correct).toBe(false);
  });
  it('a range, an unknown slice id or no model are not a verdict on the learner', () => {
    expect(checkAnswer(findEx, { model }, A, { kind: 'range', startNs: 0, endNs: 10 }).feedback.en).toMatch(/^Click one slice/);
    expect(checkAnswer(findEx, { model }, A, { kind: 'slice', sliceId: 1e9 }).feedback.en).toBe('That selection is not part of this trace.');
    const r = checkAnswer(findEx, { model: null }, A, slice(AR, b01 + 1310));
    expect([r.correct, r.unavailable]).toEqual([false, true]);
    const gone = checkAnswer({ ...findEx, target: { detector: 'all_to_all' } }, { model }, A, slice(AR, b01 + 1310));
    expect(gone.unavailable).toBe(true);
  });
  it('checks against the injected analysis, not a fixed detector', () => {
    const pinned: Analysis = { ...A, detectors: (m) => ({ ...A.detectors(m), all_reduce: { ...A.detectors(m).all_reduce, slices: [sliceAt(model, 'nvjet_tst_o', b01 + 1110)] } }) };
    // With the detector pinned to the o_proj GEMM, the o_proj GEMM is "the all-reduce"... but it is not after o_proj.
    expect(checkAnswer({ ...findEx, target: { detector: 'all_reduce' } }, { model }, pinned, slice('nvjet_tst_o', b01 + 1110)).correct).toBe(true);
  });
  it('show me: the target slice, zoomed with a margin', () => {
    const [r] = resolveTarget(findEx, { model }, A);
    const s = sliceAt(model, AR, b01 + 1310);
    expect(r.sliceIds).toEqual([s]);
    expect(r.window).toEqual({ startNs: b01 + 1310 - 1000, endNs: b01 + 1390 + 1000 });
  });
  it('self-check: the solution passes and the wrong answers fail as declared', () => {
    expect(verifyExercise(findEx, { model }, A)).toEqual([]);
    const broken: FindExercise = { ...findEx, wrongAnswers: [{ answer: { kind: 'slice', query: { name: AR, nth: 2 } } }, { answer: { kind: 'slice', query: { name: AR, nth: 0 } }, nearMiss: 'after-mlp' }] };
    expect(verifyExercise(broken, { model }, A)).toEqual([
      `find-ar: wrong answer 0 (slice ${sliceAt(model, AR, b01 + 1310)} ${AR}) is accepted`,
      expect.stringMatching(/^find-ar: wrong answer 1 should trigger "after-mlp" but got the generic feedback/),
    ]);
    const overlapping: FindExercise = { ...findEx, nearMisses: [{ id: 'any', match: { detector: 'all_reduce' }, feedback: t('') }], wrongAnswers: [{ answer: { kind: 'slice', query: { name: AR, nth: 0 } } }] };
    expect(verifyExercise(overlapping, { model }, A)).toContain('find-ar: near miss "any" also matches the target');
  });
});

const layerHost: MeasureExercise = {
  id: 'layer-host',
  kind: 'measure',
  trace: '/x',
  prompt: t('How long does layer 2 take on the host?'),
  hints: [],
  explanation: t(''),
  measure: { measure: 'scope-duration', scope: 'Qwen2DecoderLayer', on: 'host', index: 1, step: 0 },
  unit: 'us',
  tolerance: { relative: 0.05 },
  nearMisses: [{ id: 'device', measure: { measure: 'scope-duration', scope: 'Qwen2DecoderLayer', on: 'device', index: 1, step: 0 }, feedback: t('That is the device time.') }],
  solution: { kind: 'range', of: { scope: 'Qwen2DecoderLayer', step: 0, within: undefined, nth: 1 } },
  wrongAnswers: [{ answer: { kind: 'value', value: 2.06, unit: 'us' }, nearMiss: 'device' }],
};

describe('measure', () => {
  const value = (v: number, unit: 'us' | 'ns' | 'ms' | '%') => ({ kind: 'value' as const, value: v, unit });
  it('host duration of one layer: 2 800 ns, typed in any time unit, within 5%', () => {
    expect(checkAnswer(layerHost, { model }, A, value(2.8, 'us')).correct).toBe(true);
    expect(checkAnswer(layerHost, { model }, A, value(0.0028, 'ms')).correct).toBe(true);
    expect(checkAnswer(layerHost, { model }, A, value(2800 * 1.049, 'ns')).correct).toBe(true);
    expect(checkAnswer(layerHost, { model }, A, value(2800 * 1.051, 'ns')).feedback.en).toBe('2.94 µs is too high.');
    expect(checkAnswer(layerHost, { model }, A, value(1.5, 'us')).feedback.en).toBe('1.5 µs is too low.');
    expect(checkAnswer(layerHost, { model }, A, value(50, '%')).feedback.en).toBe('The unit "%" does not fit this question.');
  });
  it('the device extent (2 060 ns) is the declared near miss', () => {
    expect(checkAnswer(layerHost, { model }, A, value(2060, 'ns')).nearMiss).toBe('device');
  });
  it('a selected range: its length, compared with the layer it lines up with', () => {
    const ok = checkAnswer(layerHost, { model }, A, { kind: 'range', startNs: b01 + 20, endNs: b01 + 2790 });
    expect([ok.correct, ok.reference]).toEqual([true, '2.8 µs']);
    const short = checkAnswer(layerHost, { model }, A, { kind: 'range', startNs: b01, endNs: b01 + 1500 });
    expect(short.feedback.en).toBe('Your selection lasts 1.5 µs: that is too short. Snap its edges to the slices.');
    // The same length on layer 1 is not layer 2.
    const other = checkAnswer(layerHost, { model }, A, { kind: 'range', startNs: layerBase(0, 0), endNs: layerBase(0, 0) + 2800 });
    expect(other.feedback.en).toMatch(/^Your selection does not line up/);
    // Selecting the layer's device work is the device-time near miss.
    expect(checkAnswer(layerHost, { model }, A, { kind: 'range', startNs: b01 + 530, endNs: b01 + 2590 }).nearMiss).toBe('device');
  });
  it('a clicked slice measures its duration where it is: the same duration on another layer is not the answer, and the feedback names it', () => {
    // The all-reduce after attention of layer 2 in step 0 (80 ns, like every all-reduce of the fixture).
    const arEx: MeasureExercise = {
      ...layerHost,
      measure: { measure: 'slice-duration', target: { detector: 'all_reduce', step: 0, within: [{ scope: 'Qwen2DecoderLayer', index: 1 }, { scope: 'self_attn' }] } },
      unit: 'ns',
      nearMisses: [{ id: 'after-mlp', measure: { measure: 'slice-duration', target: { detector: 'all_reduce', step: 0, within: [{ scope: 'Qwen2DecoderLayer', index: 1 }, { scope: 'mlp' }] } }, feedback: t('That is the one after the MLP.') }],
      solution: { kind: 'value', value: 80, unit: 'ns' },
      wrongAnswers: [],
    };
    const arAt = (step: number, layer: number, rel: number) => sliceAt(model, AR, layerBase(step, layer) + rel);
    const right = arAt(0, 1, 1310);
    const elsewhere = arAt(1, 1, 1310);
    const afterMlp = arAt(0, 1, 2510);
    expect(checkAnswer(arEx, { model }, A, { kind: 'slice', sliceId: right }).correct).toBe(true);
    const other = checkAnswer(arEx, { model }, A, { kind: 'slice', sliceId: elsewhere });
    expect(other.correct).toBe(false);
    expect(other.feedback.en).toBe(`You measured ${AR} (at 14.4 µs, 80 ns long). That is not the one the question asks about: check where it is (which step, which layer, what comes before it).`);
    expect(other.feedback['zh-CN']).toMatch(/^你量的是 .*（开始于 14.4 µs，时长 80 ns）。但题目问的不是它/);
    const near = checkAnswer(arEx, { model }, A, { kind: 'slice', sliceId: afterMlp });
    expect([near.nearMiss, near.feedback.en]).toEqual(['after-mlp', `You measured ${AR} (at 5.61 µs, 80 ns long). That is the one after the MLP.`]);
    // A typed 80 ns read off the selected slice is checked as that slice; with no slice selected it cannot be placed.
    expect(checkAnswer(arEx, { model }, A, value(80, 'ns'), { selectedSliceId: elsewhere }).correct).toBe(false);
    expect(checkAnswer(arEx, { model }, A, value(80, 'ns'), { selectedSliceId: right }).correct).toBe(true);
    expect(checkAnswer(arEx, { model }, A, value(80, 'ns')).correct).toBe(true);
    // A typed value that is not the selected slice's duration (the 100 ns attention kernel's) is just a typed value.
    const attnKernel = model.slices.startNs.findIndex((st, i) => st === layerBase(0, 0) + 710 && model.slices.durNs[i] === 100);
    expect(attnKernel).toBeGreaterThanOrEqual(0);
    expect(checkAnswer(arEx, { model }, A, value(80, 'ns'), { selectedSliceId: attnKernel }).correct).toBe(true);
  });
  it('tailored near misses: a unit slip (scale) and a known number (value) fire for typed values only', () => {
    const ex: MeasureExercise = {
      ...layerHost,
      nearMisses: [
        { id: 'unit', scale: 1000, feedback: t('Wrong unit.') },
        { id: 'quoted', value: { value: 4, unit: 'us' }, feedback: t('That is the number from the table.') },
      ],
    };
    expect(checkAnswer(ex, { model }, A, value(2.8, 'ms')).nearMiss).toBe('unit');
    expect(checkAnswer(ex, { model }, A, value(4, 'us')).nearMiss).toBe('quoted');
    expect(checkAnswer(ex, { model }, A, value(2.8, 'us')).correct).toBe(true);
    const both = parseExercise({ ...ex, nearMisses: [{ id: 'x', scale: 1000, value: { value: 1, unit: 'us' }, feedback: t('x') }] });
    expect(both.ok ? [] : both.errors.filter((e) => e.startsWith('nearMisses'))).toEqual(['nearMisses[0]: give exactly one of `measure`, `scale` (a unit slip) or `value` (a known number) that the wrong answer equals']);
  });
  it('answerWith limits how the learner may answer', () => {
    expect(checkAnswer({ ...layerHost, answerWith: 'value' }, { model }, A, { kind: 'range', startNs: b01, endNs: b01 + 2800 }).feedback.en).toBe('Type a number to answer this one.');
    expect(checkAnswer({ ...layerHost, answerWith: 'range' }, { model }, A, value(2.8, 'us')).feedback.en).toMatch(/^Answer by selecting the range/);
  });
  it('without an index any layer counts', () => {
    const anyLayer: MeasureExercise = { ...layerHost, measure: { measure: 'scope-duration', scope: 'Qwen2DecoderLayer', on: 'device' }, tolerance: { absolute: 0.01 } };
    const r = checkAnswer(anyLayer, { model }, A, { kind: 'range', startNs: layerBase(1, 2) + 530, endNs: layerBase(1, 2) + 2590 });
    expect(r.correct).toBe(true);
  });
  it('exposed communication: 2 steps × 3 layers × 2 all-reduces × 80 ns, none overlapped by compute', () => {
    const ex: MeasureExercise = { ...layerHost, measure: { measure: 'overlap.communication_not_overlapped' }, nearMisses: undefined, solution: { kind: 'value', value: 0.96, unit: 'us' }, wrongAnswers: [{ answer: { kind: 'value', value: 0.16, unit: 'us' } }] };
    expect(verifyExercise(ex, { model }, A)).toEqual([]);
    const step1: MeasureExercise = { ...ex, measure: { measure: 'overlap.communication_not_overlapped', step: 1 }, solution: { kind: 'value', value: 480, unit: 'ns' } };
    expect(verifyExercise(step1, { model }, A)).toEqual([]);
  });
  it('idle gaps: the n-th gap and its range (analysis fixture idle-gaps: [20,30) [40,50) [60,70))', () => {
    const m = buildModel(idleGaps);
    const ex: MeasureExercise = { ...layerHost, unit: 'ns', tolerance: { absolute: 1 }, nearMisses: undefined, measure: { measure: 'idle-gap', which: 1 }, solution: { kind: 'range', startNs: 40, endNs: 50 }, wrongAnswers: [{ answer: { kind: 'range', startNs: 20, endNs: 30 } }] };
    expect(verifyExercise(ex, { model: m }, A)).toEqual([]);
    expect(resolveTarget(ex, { model: m }, A)[0].ranges).toEqual([{ startNs: 40, endNs: 50 }]);
    const hostBound: MeasureExercise = { ...ex, measure: { measure: 'gpu-idle', part: 'host-bound' }, solution: { kind: 'value', value: 6, unit: 'ns' }, wrongAnswers: [{ answer: { kind: 'value', value: 30, unit: 'ns' } }] };
    expect(verifyExercise(hostBound, { model: m }, A)).toEqual([]);
    const latency: MeasureExercise = { ...ex, measure: { measure: 'launch-latency', target: { name: 'kernel_c' } }, solution: { kind: 'range', startNs: 26, endNs: 50 }, wrongAnswers: [{ answer: { kind: 'value', value: 10, unit: 'ns' } }] };
    expect(verifyExercise(latency, { model: m }, A)).toEqual([]);
  });
  it('show me: every layer instance shaded, zoomed on the first with a margin of max(1 µs, 25%)', () => {
    const [r] = resolveTarget(layerHost, { model }, A);
    expect(r.ranges).toEqual([{ startNs: b01, endNs: b01 + 2800 }]);
    expect(r.window).toEqual({ startNs: b01 - 1000, endNs: b01 + 3800 });
    const all = resolveTarget({ ...layerHost, measure: { measure: 'scope-duration', scope: 'Qwen2DecoderLayer', on: 'host' } }, { model }, A)[0];
    expect(all.ranges).toHaveLength(6);
    // Clamped at the trace start.
    expect(all.window).toEqual({ startNs: 0, endNs: layerBase(0, 0) + 3800 });
  });
  it('solution materialised from a query', () => {
    expect(materializeAnswer(layerHost.solution, model, A)).toEqual({ kind: 'range', startNs: b01, endNs: b01 + 2800 });
    expect(verifyExercise(layerHost, { model }, A)).toEqual([]);
  });
});

describe('compare', () => {
  const before = buildModel(tpLayers());
  // The attention all-reduce starts 200 ns earlier, under the o_proj GEMM for 60 ns: 100 ns exposed per layer instead of 160.
  const after = buildModel(tpLayers({ allReduceDelayNs: 300 }));
  const saved: CompareExercise = {
    id: 'saved',
    kind: 'compare',
    traces: { before: '/a', after: '/b' },
    prompt: t('How much exposed communication did the change save?'),
    hints: [],
    explanation: t(''),
    measure: { measure: 'overlap.communication_not_overlapped' },
    ask: { type: 'value', combine: 'saved', unit: 'ns', tolerance: { absolute: 5 } },
    nearMisses: [{ id: 'sign', combine: 'difference', feedback: t('Saved is before minus after.') }],
    solution: { kind: 'value', value: 360, unit: 'ns' },
    wrongAnswers: [{ answer: { kind: 'value', value: -360, unit: 'ns' }, nearMiss: 'sign' }, { answer: { kind: 'value', value: 960, unit: 'ns' } }],
  };
  it('saved = 6 × 160 − 6 × 100 = 360 ns; the sign error is a near miss', () => {
    expect(verifyExercise(saved, { before, after }, A)).toEqual([]);
    const r = checkAnswer(saved, { before, after }, A, { kind: 'value', value: 0.36, unit: 'us' });
    expect([r.correct, r.feedback.en]).toEqual([true, 'Correct: you gave 360 ns; the trace says 360 ns. Before: 960 ns; after: 600 ns.']);
  });
  it('ratio answers in % or ×', () => {
    const ratio: CompareExercise = { ...saved, ask: { type: 'value', combine: 'ratio', unit: '%', tolerance: { absolute: 1 } }, nearMisses: undefined, solution: { kind: 'value', value: 62.5, unit: '%' }, wrongAnswers: [{ answer: { kind: 'value', value: 1.6, unit: 'ratio' } }] };
    expect(verifyExercise(ratio, { before, after }, A)).toEqual([]);
  });
  it('a choice computed from both traces', () => {
    const ask: Extract<CompareExercise['ask'], { type: 'choice' }> = {
      type: 'choice',
      pick: 'lower',
      options: [
        { id: 'before', text: t('before'), explanation: t('Before has more exposed communication.') },
        { id: 'after', text: t('after'), explanation: t('After hides part of it under o_proj.') },
      ],
    };
    const which: CompareExercise = {
      ...saved,
      nearMisses: undefined,
      ask,
      solution: { kind: 'choice', optionIds: ['after'] },
      wrongAnswers: [{ answer: { kind: 'choice', optionIds: ['before'] }, nearMiss: 'before' }],
    };
    expect(verifyExercise(which, { before, after }, A)).toEqual([]);
    // Swapped traces swap the right answer: nothing is hard-coded.
    expect(checkAnswer(which, { before: after, after: before }, A, { kind: 'choice', optionIds: ['before'] }).correct).toBe(true);
    // 960 vs 600 ns are "the same" within 50%.
    const same: CompareExercise = { ...which, ask: { ...ask, sameWithin: { relative: 0.5 }, options: [...ask.options, { id: 'same', text: t('same'), explanation: t('') }] } };
    expect(checkAnswer(same, { before, after }, A, { kind: 'choice', optionIds: ['same'] }).correct).toBe(true);
  });
  it("the after value given where the difference was asked is the 'side' near miss", () => {
    const ex: CompareExercise = { ...saved, nearMisses: [...saved.nearMisses!, { id: 'after-value', side: 'after', feedback: t('That is the after value.') }] };
    expect(checkAnswer(ex, { before, after }, A, { kind: 'value', value: 600, unit: 'ns' }).nearMiss).toBe('after-value');
  });
  it('names the two traces by their labels when they are not before and after (rank 0, rank 1)', () => {
    const ranks: CompareExercise = { ...saved, labels: { before: { en: 'Rank 0', 'zh-CN': 'rank 0' }, after: { en: 'Rank 1', 'zh-CN': 'rank 1' } } };
    const bad = parseExercise({ ...ranks, labels: { before: { en: 'Rank 0' } } });
    expect(bad.ok ? [] : bad.errors.filter((e) => e.startsWith('labels'))).toEqual([
      'labels.before.zh-CN: missing: every learner-facing text needs both en and zh-CN',
      'labels.after: expected an object, got undefined',
    ]);
    const r = checkAnswer(ranks, { before, after }, A, { kind: 'value', value: 360, unit: 'ns' });
    expect(r.feedback.en).toMatch(/Rank 0: 960 ns; Rank 1: 600 ns\.$/);
    expect(r.feedback['zh-CN']).toMatch(/rank 0：960 ns；rank 1：600 ns。$/);
    expect(r.feedback['zh-CN']).not.toMatch(/优化/);
  });
  it('needs both traces', () => {
    expect(checkAnswer(saved, { before }, A, { kind: 'value', value: 1, unit: 'ns' }).unavailable).toBe(true);
  });
});

describe('choice', () => {
  const ex: ChoiceExercise = {
    id: 'why',
    kind: 'choice',
    prompt: t('Which lanes show device work?'),
    hints: [],
    explanation: t(''),
    multiple: true,
    options: [
      { id: 'stream', text: t('CUDA streams'), explanation: t('Kernels run there.'), correct: true },
      { id: 'hccl', text: t('HCCL group'), explanation: t('Collectives run there.'), correct: true },
      { id: 'python', text: t('Python thread'), explanation: t('That is the host.') },
    ],
    solution: { kind: 'choice', optionIds: ['hccl', 'stream'] },
    wrongAnswers: [{ answer: { kind: 'choice', optionIds: ['stream', 'python'] }, nearMiss: 'python' }, { answer: { kind: 'choice', optionIds: ['stream'] } }],
  };
  it('all correct options and nothing else; explanations of the wrong picks', () => {
    expect(verifyExercise(ex, {}, A)).toEqual([]);
    expect(checkAnswer(ex, {}, A, { kind: 'choice', optionIds: ['stream', 'python'] }).feedback.en).toBe('Not quite. That is the host.');
    expect(checkAnswer(ex, {}, A, { kind: 'choice', optionIds: ['stream'] }).feedback.en).toBe('Not quite: 1 correct option is still unchecked.');
    expect(checkAnswer(ex, {}, A, { kind: 'choice', optionIds: ['nope'] }).correct).toBe(false);
  });
  it('single choice looks at the first pick only', () => {
    const single: ChoiceExercise = { ...ex, multiple: false, options: ex.options.map((o) => ({ ...o, correct: o.id === 'stream' })), solution: { kind: 'choice', optionIds: ['stream'] } };
    expect(checkAnswer(single, {}, A, { kind: 'choice', optionIds: ['stream', 'python'] }).correct).toBe(true);
  });
});

describe('withinTolerance', () => {
  it('the larger of relative and absolute (absolute in the exercise unit)', () => {
    expect(withinTolerance(105, 100, { relative: 0.05 }, 'ns')).toBe(true);
    expect(withinTolerance(106, 100, { relative: 0.05 }, 'ns')).toBe(false);
    expect(withinTolerance(1900, 1000, { relative: 0.05, absolute: 1 }, 'us')).toBe(true);
    expect(withinTolerance(2001, 1000, { relative: 0.05, absolute: 1 }, 'us')).toBe(false);
    expect(withinTolerance(0.2 + 0.1, 0.3, { absolute: 0 }, 'ratio')).toBe(true);
  });
});
