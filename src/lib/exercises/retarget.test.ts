/**
 * Re-targeted exercises on real traces: each ready exercise is a valid
 * exercise that passes the same self-check as a lesson's (its solution is
 * accepted, its wrong answer rejected), and each missing one says why in both
 * languages. Expected presence is derived from the raw JSON where it is cheap
 * (NCCL kernel names, HCCL ops), not from the detectors under test.
 */
import { describe, expect, it } from 'vitest';
import { loadShared, rawEvents, skipReason, tracesPresent } from '../analysis/testing-real.ts';
import { loadTrace } from '../trace/load.ts';
import { defaultAnalysis as A } from './analysis.ts';
import { checkAnswer, materializeAnswer } from './check.ts';
import { RETARGET_IDS, retargetExercises, type RetargetSlot } from './retarget.ts';
import { M } from './retarget-text.ts';
import { parseExercise } from './schema.ts';
import { bundledTraceAvailable, loadBundledTrace } from './testing.ts';
import { verifyExercise } from './verify.ts';

if (!tracesPresent) console.warn(skipReason());

const slotOf = (slots: RetargetSlot[], id: string) => slots.find((s) => s.id === id)!;

function expectSound(slots: RetargetSlot[], model: Parameters<typeof verifyExercise>[1]['model']) {
  expect(slots.map((s) => s.id)).toEqual(RETARGET_IDS);
  for (const s of slots) {
    if (s.status === 'missing') {
      expect(s.reason.en.length).toBeGreaterThan(20);
      expect(s.reason['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      continue;
    }
    const parsed = parseExercise(s.exercise);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    expect(verifyExercise(s.exercise, { model }, A)).toEqual([]);
  }
}

describe.skipIf(!tracesPresent)('retarget on real traces', () => {
  it('hta-nccl-data: the all-reduce exercise is solved by an NCCL AllReduce kernel; RoPE and paged attention are missing with reasons', async () => {
    const file = 'pytorch/hta-nccl-data.json.gz';
    const model = await loadShared(file);
    const slots = retargetExercises(model, A, 'upload:test');
    expectSound(slots, model);
    const find = slotOf(slots, 'find-collective');
    expect(find.status).toBe('ready');
    if (find.status !== 'ready') return;
    expect(find.exercise.prompt.en).toMatch(/all-reduce/);
    // Any kernel named like NCCL's AllReduce in the raw JSON is a right answer.
    const raw = rawEvents(file).find((e) => e.ph === 'X' && e.cat === 'kernel' && /AllReduce/.test(String(e.name)))!;
    const id = [...Array(model.slices.length).keys()].find((s) => model.strings[model.slices.name[s]] === raw.name)!;
    expect(checkAnswer(find.exercise, { model }, A, { kind: 'slice', sliceId: id }).correct).toBe(true);
    // The raw trace has broadcasts too: clicking one is the named near miss.
    const bcast = [...Array(model.slices.length).keys()].find((s) => /Broadcast/.test(model.strings[model.slices.name[s]]) && model.tracks.kind[model.slices.track[s]] === 'gpu-stream');
    expect(bcast).toBeDefined();
    expect(checkAnswer(find.exercise, { model }, A, { kind: 'slice', sliceId: bcast! }).nearMiss).toBe('other-broadcast');
    for (const id of ['find-rope', 'find-paged-attention', 'find-kv-cache-write', 'measure-layer-host', 'measure-layer-device'] as const) expect(slotOf(slots, id).status).toBe('missing');
    expect(slotOf(slots, 'find-event-wait').status).toBe('ready');
    expect(slotOf(slots, 'measure-step').status).toBe('ready');
    expect(slotOf(slots, 'overlap-hidden').status).toBe('ready');
  });

  it('hta-nccl-data (a training run, no layer scopes): the KV-cache write and the layer device span are missing, each saying why', async () => {
    const file = 'pytorch/hta-nccl-data.json.gz';
    // What the reasons claim, read from the raw JSON: no cache-write names, no decoder-layer scopes.
    expect(rawEvents(file).some((e) => /reshape_and_cache|concat_and_cache|store_?kv_?cache|ScatterPaKvCache/i.test(String(e.name)))).toBe(false);
    expect(rawEvents(file).some((e) => /DecoderLayer/.test(String(e.name)))).toBe(false);
    const model = await loadShared(file);
    const slots = retargetExercises(model, A, 'upload:test');
    const kv = slotOf(slots, 'find-kv-cache-write');
    expect(kv.status === 'missing' && kv.reason).toEqual(M.noSemantic['find-kv-cache-write']);
    const layer = slotOf(slots, 'measure-layer-device');
    expect(layer.status === 'missing' && layer.reason).toEqual(M.noLayersDevice);
  });

  it('hta-cpu-only: no device, so every device exercise says so; the step is still measurable', async () => {
    const model = await loadShared('pytorch/hta-cpu-only.json.gz');
    const slots = retargetExercises(model, A, 'upload:cpu');
    expectSound(slots, model);
    const coll = slotOf(slots, 'find-collective');
    expect(coll.status === 'missing' && coll.reason.en).toMatch(/no device activity/);
    for (const id of ['find-kv-cache-write', 'measure-layer-device'] as const) {
      const slot = slotOf(slots, id);
      expect(slot.status === 'missing' && slot.reason).toEqual(M.noDevice);
    }
    expect(slotOf(slots, 'measure-step').status).toBe('ready');
  });

  it('hta-alexnet (one GPU, no NCCL): "was this a single-GPU run?"', async () => {
    const file = 'pytorch/hta-alexnet-cuda-sync.json.gz';
    expect(rawEvents(file).some((e) => /nccl/i.test(String(e.name)))).toBe(false);
    const model = await loadShared(file);
    const slots = retargetExercises(model, A, 'upload:alexnet');
    expectSound(slots, model);
    const coll = slotOf(slots, 'find-collective');
    expect(coll.status === 'missing' && coll.reason.en).toMatch(/single-GPU run/);
    const overlap = slotOf(slots, 'overlap-hidden');
    expect(overlap.status === 'missing' && overlap.reason.en).toMatch(/no communication/i);
  });

  it('Ascend rank 0: hcom all-reduce, EVENT_WAIT tasks and the overlap share are ready', async () => {
    const file = 'ascend/train-2rank-level1/rank0/trace_view.json';
    expect(rawEvents(file).some((e) => /^hcom_allReduce/.test(String(e.name)))).toBe(true);
    const model = await loadShared(file);
    const slots = retargetExercises(model, A, 'upload:npu');
    expectSound(slots, model);
    for (const id of ['find-collective', 'find-event-wait', 'overlap-hidden', 'measure-step'] as const) expect(slotOf(slots, id).status).toBe('ready');
  });
});

describe('retarget on the bundled samples', () => {
  const url = '/traces/npu-deepseek-baseline.json.gz';
  it.skipIf(!bundledTraceAvailable(url))('simulated DeepSeek on Ascend: the layer host-time exercise is ready; device time is its near miss', async () => {
    const model = (await loadBundledTrace(url))!;
    const slots = retargetExercises(model, A, 'upload:sim');
    expectSound(slots, model);
    const layer = slotOf(slots, 'measure-layer-host');
    expect(layer.status).toBe('ready');
    if (layer.status !== 'ready' || layer.exercise.kind !== 'measure') return;
    expect(layer.exercise.nearMisses?.[0]?.id).toBe('device-time');
    const sol = materializeAnswer(layer.exercise.solution, model, A)!;
    expect(checkAnswer(layer.exercise, { model }, A, sol).correct).toBe(true);
  });
});

describe('retarget on the recorded GPU sample', () => {
  const url = '/traces/qwen2_5-7b-shape-tp1-h100.json.gz';
  it.skipIf(!bundledTraceAvailable(url))('Qwen2.5-7B-shaped decode on one H100: RoPE and paged attention are ready and solved by their kernels; no collective at TP=1', async () => {
    const model = (await loadBundledTrace(url))!;
    const slots = retargetExercises(model, A, 'upload:qwen');
    expectSound(slots, model);
    const kernelNamed = (re: RegExp) => [...Array(model.slices.length).keys()].find((s) => model.tracks.kind[model.slices.track[s]] === 'gpu-stream' && re.test(model.strings[model.slices.name[s]]));
    for (const [id, re] of [['find-rope', /rotary/i], ['find-paged-attention', /paged_?attention|flash_fwd_splitkv|unified_attention/i]] as const) {
      const slot = slotOf(slots, id);
      expect(slot.status).toBe('ready');
      const k = kernelNamed(re);
      expect(k, `a kernel matching ${re} in the sample`).toBeDefined();
      if (slot.status === 'ready') expect(checkAnswer(slot.exercise, { model }, A, { kind: 'slice', sliceId: k! }).correct).toBe(true);
    }
    const coll = slotOf(slots, 'find-collective');
    expect(coll.status === 'missing' && coll.reason.en).toMatch(/single-GPU run/);
  });

  it.skipIf(!bundledTraceAvailable(url))('the KV-cache write is ready: a reshape_and_cache kernel and the solution are accepted, a RoPE kernel is rejected', async () => {
    const model = (await loadBundledTrace(url))!;
    const slot = slotOf(retargetExercises(model, A, 'upload:qwen'), 'find-kv-cache-write');
    expect(slot.status).toBe('ready');
    if (slot.status !== 'ready') return;
    expect(slot.exercise.prompt.en).toMatch(/KV cache/);
    const kernels = [...Array(model.slices.length).keys()].filter((s) => model.tracks.kind[model.slices.track[s]] === 'gpu-stream');
    const named = (re: RegExp) => kernels.filter((s) => re.test(model.strings[model.slices.name[s]]));
    const writes = named(/reshape_and_cache/);
    expect(writes.length, 'reshape_and_cache kernels in the sample').toBeGreaterThan(0);
    for (const k of [writes[0], writes.at(-1)!]) expect(checkAnswer(slot.exercise, { model }, A, { kind: 'slice', sliceId: k }).correct).toBe(true);
    const sol = materializeAnswer(slot.exercise.solution, model, A)!;
    expect(sol.kind === 'slice' && writes.includes(sol.sliceId)).toBe(true);
    expect(checkAnswer(slot.exercise, { model }, A, sol).correct).toBe(true);
    const rope = named(/rotary/i)[0];
    expect(rope).toBeDefined();
    expect(checkAnswer(slot.exercise, { model }, A, { kind: 'slice', sliceId: rope }).correct).toBe(false);
  });

  it.skipIf(!bundledTraceAvailable(url))("one layer's device span is ready: its solution runs from a kernel's start to a kernel's end after the layer's host start; the whole step is rejected", async () => {
    const model = (await loadBundledTrace(url))!;
    const slot = slotOf(retargetExercises(model, A, 'upload:qwen'), 'measure-layer-device');
    expect(slot.status).toBe('ready');
    if (slot.status !== 'ready' || slot.exercise.kind !== 'measure') return;
    const ex = slot.exercise;
    expect(ex.prompt.en).toMatch(/device span/);
    expect(ex.explanation.en).toMatch(/host/);
    const sol = materializeAnswer(ex.solution, model, A)!;
    expect(checkAnswer(ex, { model }, A, sol).correct).toBe(true);
    if (sol.kind !== 'range') throw new Error('a range solution');
    // Independently of the measure: the span's ends are a GPU kernel's start and a GPU kernel's end,
    // and it begins after the first host decoder-layer scope does (kernels run after their launch).
    const kernels = [...Array(model.slices.length).keys()].filter((s) => model.tracks.kind[model.slices.track[s]] === 'gpu-stream');
    expect(kernels.some((k) => model.slices.startNs[k] === sol.startNs)).toBe(true);
    expect(kernels.some((k) => model.slices.startNs[k] + model.slices.durNs[k] === sol.endNs)).toBe(true);
    const layer = [...Array(model.slices.length).keys()].find((s) => /DecoderLayer/.test(model.strings[model.slices.name[s]]) && model.tracks.kind[model.slices.track[s]] !== 'gpu-stream')!;
    expect(sol.startNs).toBeGreaterThanOrEqual(model.slices.startNs[layer]);
    const step = A.steps(model)[0];
    expect(step.endNs - step.startNs).toBeGreaterThan(1.2 * (sol.endNs - sol.startNs));
    expect(checkAnswer(ex, { model }, A, { kind: 'range', startNs: step.startNs, endNs: step.endNs }).correct).toBe(false);
  });

  const hf = '/traces/hf-qwen2-eager-2layer-h100.json.gz';
  it.skipIf(!bundledTraceAvailable(hf))('plain HF transformers: no KV-cache write kernel, so the slot says why (torch.cat / index_copy); the layer device span is ready', async () => {
    const model = (await loadBundledTrace(hf))!;
    const names = new Set([...Array(model.slices.length).keys()].map((s) => model.strings[model.slices.name[s]]));
    expect([...names].some((n) => /reshape_and_cache|concat_and_cache|store_?kv_?cache|ScatterPaKvCache/i.test(n))).toBe(false);
    const slots = retargetExercises(model, A, 'upload:hf');
    expectSound(slots, model);
    const kv = slotOf(slots, 'find-kv-cache-write');
    expect(kv.status === 'missing' && kv.reason).toEqual(M.noSemantic['find-kv-cache-write']);
    expect(M.noSemantic['find-kv-cache-write'].en).toMatch(/torch\.cat/);
    expect(M.noSemantic['find-kv-cache-write']['zh-CN']).toMatch(/torch\.cat/);
    const layer = slotOf(slots, 'measure-layer-device');
    expect(layer.status).toBe('ready');
    if (layer.status !== 'ready') return;
    const sol = materializeAnswer(layer.exercise.solution, model, A)!;
    expect(checkAnswer(layer.exercise, { model }, A, sol).correct).toBe(true);
    for (const w of layer.exercise.wrongAnswers) expect(checkAnswer(layer.exercise, { model }, A, materializeAnswer(w.answer, model, A)!).correct).toBe(false);
  });
});

describe('retarget on tiny traces', () => {
  it('a trace of one CPU slice: every exercise is missing, none pretends', async () => {
    const json = JSON.stringify({ traceEvents: [{ ph: 'X', name: 'aten::add', pid: 1, tid: 1, ts: 0, dur: 5, cat: 'cpu_op' }] });
    const model = await loadTrace(new TextEncoder().encode(json));
    const slots = retargetExercises(model, A, 'has spaces');
    expect(slots.every((s) => s.status === 'missing')).toBe(true);
  });
});
