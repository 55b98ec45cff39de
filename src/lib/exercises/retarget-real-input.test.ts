// Re-targeting on the inputs of issue 18 that are not ordinary traces: a file
// of metadata only is said to have no timed events, not to be CPU-only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { defaultAnalysis as A } from './analysis.ts';
import { RETARGET_IDS, retargetExercises } from './retarget.ts';
import { M } from './retarget-text.ts';
import { checkAnswer, materializeAnswer, resolveTarget } from './check.ts';
import { computeMeasure } from './measures.ts';
import { buildModel, sliceNamed } from '../analysis/testing.ts';
import { hfEagerRope } from '../analysis/fixtures/hf-eager-rope.ts';
import { layerBase, tpLayers } from './fixtures/tp-layers.ts';
import { nameOf } from '../analysis/access.ts';
import { loadShared, tracesPresent } from '../analysis/testing-real.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../trace/fixtures/${name}`, import.meta.url)));

describe('a metadata-only trace', () => {
  it('every exercise says there are no timed events at all, in both languages, never "CPU-only"', async () => {
    const model = await loadTrace(fixture('metadata-only.json'));
    const slots = retargetExercises(model, A, 'upload:meta');
    expect(slots.map((s) => s.id)).toEqual([...RETARGET_IDS]);
    for (const s of slots) {
      expect(s.status).toBe('missing');
      if (s.status !== 'missing') continue;
      expect(s.reason).toEqual(M.noTimedEvents);
      expect(s.reason.en).toMatch(/no timed events at all/);
      expect(s.reason['zh-CN']).toMatch(/完全没有带时间的事件/);
      expect(s.reason.en).not.toMatch(/CPU-only trace,|host only/);
    }
  });
});

describe('re-targeted "find" accepts the operation as the learner sees it', () => {
  it('HF eager RoPE: apply_rotary_pos_emb and the RotaryEmbedding module are accepted with where their kernels are; Show me lands on an apply_rotary_pos_emb kernel', () => {
    const model = buildModel(hfEagerRope(3, 2));
    const slot = retargetExercises(model, A, 'upload:rope').find((s) => s.id === 'find-rope')!;
    expect(slot.status).toBe('ready');
    if (slot.status !== 'ready') return;
    const ex = slot.exercise;
    const check = (name: string, nth = 0) => checkAnswer(ex, { model }, A, { kind: 'slice', sliceId: sliceNamed(model, name, nth) });
    const apply = check('apply_rotary_pos_emb', 1);
    expect(apply.correct).toBe(true);
    expect(apply.feedback.en).toMatch(/^Correct: apply_rotary_pos_emb is one application of this operation as the host \(or a scope\) sees it\. Its device part is 12 kernels on stream 7, the first void at::native::elementwise_kernel/);
    expect(apply.feedback['zh-CN']).toMatch(/^正确：apply_rotary_pos_emb 是 host（或作用域）视角下这个操作的一次应用。它在设备上的部分是 stream 7 上的 12 个 kernel/);
    // The table scope is RoPE's setup: accepted, with the caveat that it is not an application.
    const table = check('nn.Module: Qwen2RotaryEmbedding_0');
    expect(table.correct).toBe(true);
    expect(table.feedback.en).toMatch(/^Correct, with a caveat: nn\.Module: Qwen2RotaryEmbedding_0 prepares this operation rather than applying it .* Its 3 kernels on stream 7, .* not as an application\.$/);
    expect(table.feedback['zh-CN']).toMatch(/^算对，但要注意：nn\.Module: Qwen2RotaryEmbedding_0 是在为这个操作做准备，而不是应用它.*stream 7 上的 3 个 kernel.*但不算一次应用。$/);
    // An op inside the chain stands for its one kernel.
    expect(check('aten::neg').correct).toBe(true);
    // The attention module around it is not RoPE.
    expect(check('nn.Module: Qwen2Attention_0').correct).toBe(false);
    expect(check('nn.Module: Qwen2Model_0').correct).toBe(false);
    // Show me: a kernel of an apply_rotary_pos_emb call, not of the cos/sin table.
    const shown = materializeAnswer(ex.solution, model, A);
    expect(shown?.kind).toBe('slice');
    if (shown?.kind !== 'slice') return;
    const r = A.detectors(model).rope;
    expect(nameOf(model, r.applications[r.slices.indexOf(shown.sliceId)])).toBe('apply_rotary_pos_emb');
  });

  it('the recorded HF transformers sample: the same, on a real trace (lane names trimmed, Show me on an apply_rotary_pos_emb kernel)', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../../public/traces/hf-qwen2-eager-2layer-h100.json.gz', import.meta.url)));
    const model = await loadTrace(bytes, { fileName: 'hf-qwen2-eager-2layer-h100.json.gz' });
    const slot = retargetExercises(model, A, 'upload:hf').find((s) => s.id === 'find-rope')!;
    expect(slot.status).toBe('ready');
    if (slot.status !== 'ready') return;
    const ex = slot.exercise;
    const first = (suffix: string) => {
      for (let s = 0; s < model.slices.length; s++) if (nameOf(model, s).endsWith(suffix)) return s;
      throw new Error(suffix);
    };
    const apply = checkAnswer(ex, { model }, A, { kind: 'slice', sliceId: first(': apply_rotary_pos_emb') });
    expect(apply.correct).toBe(true);
    expect(apply.feedback.en).toMatch(/Its device part is 10 kernels on stream 7, the first /);
    const table = checkAnswer(ex, { model }, A, { kind: 'slice', sliceId: first('nn.Module: Qwen2RotaryEmbedding_0') });
    expect(table.correct).toBe(true);
    expect(table.feedback.en).toMatch(/^Correct, with a caveat: .*Its 9 kernels on stream 7, /);
    const shown = materializeAnswer(ex.solution, model, A);
    expect(shown?.kind).toBe('slice');
    if (shown?.kind !== 'slice') return;
    const r = A.detectors(model).rope;
    expect(nameOf(model, r.applications[r.slices.indexOf(shown.sliceId)])).toMatch(/: apply_rotary_pos_emb$/);
    // The page's "Show me" (resolveTarget) outlines every RoPE kernel but leads with, and zooms to, that one,
    // not the first kernel in time (a cos/sin table kernel).
    const [rev] = resolveTarget(ex, { model }, A);
    expect(rev.sliceIds.length).toBe(r.kernels);
    expect(rev.sliceIds[0]).toBe(shown.sliceId);
    const byTime = [...r.slices].sort((x, y) => model.slices.startNs[x] - model.slices.startNs[y]);
    expect(r.setupScopes).toContain(r.applications[r.slices.indexOf(byTime[0])]);
    expect(rev.window!.startNs).toBeLessThanOrEqual(model.slices.startNs[shown.sliceId]);
    expect(rev.window!.endNs).toBeGreaterThanOrEqual(model.slices.startNs[shown.sliceId] + model.slices.durNs[shown.sliceId]);
  });

  it.skipIf(!tracesPresent)('Ascend: AscendCL@hcom_allReduce_ (the first search hit) is accepted, with its device op named', async () => {
    const model = await loadShared('ascend/train-2rank-level1/rank0/trace_view.json');
    const slot = retargetExercises(model, A, 'upload:ascend').find((s) => s.id === 'find-collective')!;
    expect(slot.status).toBe('ready');
    if (slot.status !== 'ready') return;
    for (const name of ['AscendCL@hcom_allReduce_', 'HcclAllreduce', 'c10d::allreduce_']) {
      const first = [...Array(model.slices.length).keys()].find((s) => nameOf(model, s).startsWith(name))!;
      const r = checkAnswer(slot.exercise, { model }, A, { kind: 'slice', sliceId: first });
      expect(r.correct, name).toBe(true);
      expect(r.feedback.en, name).toMatch(/hcom_allReduce__\d+/);
      if (name === 'AscendCL@hcom_allReduce_') expect(r.feedback.en).toMatch(/^Correct: AscendCL@hcom_allReduce_ is this operation as the host \(or a scope\) sees it\. Its device part is hcom_allReduce__\d+/);
    }
  });
});

describe('"Find an event wait" says what the trace shows', () => {
  it.skipIf(!tracesPresent)('on Kineto traces whose waits are host cudaStreamWaitEvent calls only, it asks for those calls, in both languages', async () => {
    let asked = 0;
    for (const file of ['pytorch/hta-event-sync-multistream.json.gz', 'pytorch/hta-nccl-data.json.gz', 'pytorch/hta-sampled-rank0.json.gz', 'pytorch/kineto-resnet50-2021.json.gz']) {
      const model = await loadShared(file);
      const r = A.detectors(model).event_wait;
      const slot = retargetExercises(model, A, 'upload:w').find((s) => s.id === 'find-event-wait')!;
      if (slot.status !== 'ready') continue;
      const hostOnly = r.slices.every((s) => /StreamWaitEvent/.test(nameOf(model, s)));
      if (!hostOnly) continue;
      asked++;
      const ex = slot.exercise;
      expect(ex.prompt.en, file).toMatch(/^Click a host call that makes a GPU stream wait for an event \(cudaStreamWaitEvent/);
      expect(ex.prompt['zh-CN'], file).toMatch(/^点选一个让 GPU stream 等待 event 的 host 调用/);
      for (const h of ex.hints) expect(h.en, file).not.toMatch(/Stream Wait Event/);
      expect(ex.prompt.en).not.toMatch(/device stream waits/);
      // The answer it asks for is accepted.
      expect(checkAnswer(ex, { model }, A, { kind: 'slice', sliceId: r.slices[0] }).correct).toBe(true);
    }
    expect(asked, 'at least one real Kineto trace with host-only waits').toBeGreaterThan(0);
  });
});

describe('small wording fixes', () => {
  it('collectives take the right article: "an all-to-all", "a broadcast"', () => {
    expect(M.otherCollective('all_to_all', 'all_reduce').en).toBe('That is an all-to-all, a collective too, but the question asks for an all-reduce.');
    expect(M.otherCollective('broadcast', 'reduce_scatter').en).toBe('That is a broadcast, a collective too, but the question asks for a reduce-scatter.');
  });

  it.skipIf(!tracesPresent)('a device-side step length gets the hint that the host step and the device span differ, not a bare "too high"', async () => {
    let seen = 0;
    for (const file of ['pytorch/hta-nccl-data.json.gz', 'pytorch/hta-sampled-rank0.json.gz', 'pytorch/hta-alexnet-cuda-sync.json.gz', 'pytorch/kineto-resnet50-2021.json.gz']) {
      const model = await loadShared(file);
      const slot = retargetExercises(model, A, 'upload:s').find((s) => s.id === 'measure-step')!;
      if (slot.status !== 'ready' || slot.exercise.kind !== 'measure') continue;
      for (const nm of slot.exercise.nearMisses ?? []) {
        // Every near miss this re-targeting writes is a measured one (no unit slips or quoted values).
        expect(nm.measure, file).toBeDefined();
        const v = computeMeasure(model, A, nm.measure!).instances[0].value;
        const r = checkAnswer(slot.exercise, { model }, A, { kind: 'value', value: v / 1e6, unit: 'ms' });
        expect(r.correct, file).toBe(false);
        expect(r.feedback.en, file).toMatch(/^That is the step as the device ran it/);
        expect(r.feedback['zh-CN'], file).toMatch(/^这是设备执行这个 step 的时间/);
        seen++;
      }
    }
    expect(seen, 'a real trace whose device-side step differs from the host step').toBeGreaterThan(0);
  });
});

describe("one layer's device span, derived by hand (fixtures/tp-layers.ts)", () => {
  it('is the first kernel start → last kernel end under the first layer of the first step (2 060 ns); the host time (2 800 ns) is the named near miss', () => {
    const model = buildModel(tpLayers());
    const slot = retargetExercises(model, A, 'upload:tp').find((s) => s.id === 'measure-layer-device')!;
    expect(slot.status).toBe('ready');
    if (slot.status !== 'ready' || slot.exercise.kind !== 'measure') return;
    const ex = slot.exercise;
    const b = layerBase(0, 0);
    expect(materializeAnswer(ex.solution, model, A)).toEqual({ kind: 'range', startNs: b + 530, endNs: b + 2590 });
    expect(checkAnswer(ex, { model }, A, { kind: 'value', value: 2060 / 1e6, unit: 'ms' }).correct).toBe(true);
    // Any layer of the step counts: the third one's span, selected.
    const b2 = layerBase(0, 2);
    expect(checkAnswer(ex, { model }, A, { kind: 'range', startNs: b2 + 530, endNs: b2 + 2590 }).correct).toBe(true);
    const host = checkAnswer(ex, { model }, A, { kind: 'value', value: 2800 / 1e6, unit: 'ms' });
    expect(host.correct).toBe(false);
    expect(host.nearMiss).toBe('host-time');
    expect(checkAnswer(ex, { model }, A, { kind: 'range', startNs: b, endNs: b + 2800 }).nearMiss).toBe('host-time');
    for (const w of ex.wrongAnswers) expect(checkAnswer(ex, { model }, A, materializeAnswer(w.answer, model, A)!).correct).toBe(false);
  });

  it('layers on the host with no device work linked to them: the slot says so instead of measuring nothing', () => {
    // The same run without its launch flows: the kernels are on the device, but nothing ties them to the layer that launched them.
    const spec = tpLayers();
    spec.flows = [];
    const model = buildModel(spec);
    const slot = retargetExercises(model, A, 'upload:tp').find((s) => s.id === 'measure-layer-device')!;
    expect(slot.status).toBe('missing');
    if (slot.status === 'missing') expect(slot.reason).toEqual(M.noLayerDeviceWork('Qwen2DecoderLayer'));
  });
});
