import { describe, expect, it } from 'vitest';
import { buildModel } from '../analysis/testing.ts';
import { nestedScopes } from '../analysis/fixtures/nested-scopes.ts';
import { defaultAnalysis as A } from './analysis.ts';
import { layerBase, tpLayers } from './fixtures/tp-layers.ts';
import { linkBetween, linkedTarget, resolveQuery } from './query.ts';
import { bundledTraceAvailable, loadBundledTrace } from './testing.ts';
import type { TraceModel } from '../trace/model.ts';
import { DETECTOR_NAMES } from '../analysis/detectors/index.ts';
import { sliceAt } from './testing.ts';

const AR = 'ncclDevKernel_AllReduce_Sum_bf16_RING_LL';
const model = buildModel(tpLayers());
const starts = (ids: number[]) => ids.map((s) => model.slices.startNs[s]);
// Kernel start times from the fixture's table (relative to the layer base b).
const attnAR = (step: number, layer: number) => layerBase(step, layer) + 1310;
const mlpAR = (step: number, layer: number) => layerBase(step, layer) + 2510;

describe('resolveQuery', () => {
  it('answers a repeated query from its memo with a fresh array each time (a caller may change its copy)', () => {
    const q = { detector: 'all_reduce' as const, within: { scope: 'Qwen2DecoderLayer', index: 1 } };
    const first = resolveQuery(model, A, q);
    const again = resolveQuery(model, A, { ...q });
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    first.length = 0;
    expect(resolveQuery(model, A, q)).toEqual(again);
    // Another query is not answered from the first one's entry.
    expect(resolveQuery(model, A, { ...q, step: 1 })).toHaveLength(2);
  });

  it('a detector alone: every match, in program order', () => {
    const all = [0, 1].flatMap((k) => [0, 1, 2].flatMap((i) => [attnAR(k, i), mlpAR(k, i)]));
    expect(starts(resolveQuery(model, A, { detector: 'all_reduce' }))).toEqual(all);
  });

  it('a detector alone: each of its matches once, those of every step and those outside all steps', () => {
    const steps = A.steps(model);
    expect(steps.length).toBeGreaterThan(1);
    for (const name of DETECTOR_NAMES) {
      const got = resolveQuery(model, A, { detector: name });
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort((x, y) => x - y)).toEqual([...new Set(A.detectors(model)[name].slices)].sort((x, y) => x - y));
      // Each step's own are among them, in the same order.
      for (let k = 0; k < steps.length; k++) {
        const inStep = resolveQuery(model, A, { detector: name, step: k });
        expect(got.filter((s) => inStep.includes(s))).toEqual(inStep);
      }
    }
  });

  it('within a layer index counts per step; step narrows to one step', () => {
    const q = { detector: 'all_reduce' as const, within: { scope: 'Qwen2DecoderLayer', index: 1 } };
    expect(starts(resolveQuery(model, A, q))).toEqual([attnAR(0, 1), mlpAR(0, 1), attnAR(1, 1), mlpAR(1, 1)]);
    expect(starts(resolveQuery(model, A, { ...q, step: 1 }))).toEqual([attnAR(1, 1), mlpAR(1, 1)]);
    expect(starts(resolveQuery(model, A, { ...q, within: { scope: 'Qwen2DecoderLayer', index: -1 }, step: 0 }))).toEqual([attnAR(0, 2), mlpAR(0, 2)]);
    expect(resolveQuery(model, A, { ...q, step: 5 })).toEqual([]);
  });

  it('after/before an anchor: the nearest one by default, nth to pick another', () => {
    const inL1 = { detector: 'all_reduce' as const, step: 0, within: { scope: 'Qwen2DecoderLayer', index: 1 } };
    expect(starts(resolveQuery(model, A, { ...inL1, after: { scope: 'o_proj' } }))).toEqual([attnAR(0, 1)]);
    expect(starts(resolveQuery(model, A, { ...inL1, after: { scope: 'down_proj' } }))).toEqual([mlpAR(0, 1)]);
    expect(starts(resolveQuery(model, A, { ...inL1, before: { scope: 'mlp' } }))).toEqual([attnAR(0, 1)]);
    expect(starts(resolveQuery(model, A, { ...inL1, after: { scope: 'qkv_proj' }, nth: 1 }))).toEqual([mlpAR(0, 1)]);
    // Anchor by detector: the first matmul after the attention kernel is the o_proj GEMM.
    expect(starts(resolveQuery(model, A, { detector: 'matmul', step: 0, within: { scope: 'Qwen2DecoderLayer', index: 0 }, after: { detector: 'attention' } }))).toEqual([
      layerBase(0, 0) + 1110,
    ]);
  });

  it('nested within levels index inside each instance of the level above', () => {
    const q = { name: 'aten::mm', on: 'host' as const, step: 1, within: [{ scope: 'Qwen2DecoderLayer', index: 2 }, { scope: 'mlp' }], nth: -1 };
    expect(starts(resolveQuery(model, A, q))).toEqual([layerBase(1, 2) + 1700]);
  });

  it('track: a lane by its name or its process name', () => {
    expect(starts(resolveQuery(model, A, { name: '/^nvjet/', track: 'stream 9' }))).toEqual([]);
    expect(resolveQuery(model, A, { name: '/^nvjet/', track: 'stream 7', step: 0 })).toHaveLength(12);
    expect(resolveQuery(model, A, { name: 'cudaLaunchKernel', track: 'python' })).toHaveLength(2 * 3 * 8);
  });

  it('name patterns: exact text or /regex/', () => {
    expect(resolveQuery(model, A, { name: 'nvjet_tst_o' })).toHaveLength(6);
    expect(resolveQuery(model, A, { name: '/^nvjet_tst_(o|down)$/', step: 0 })).toHaveLength(6);
    expect(resolveQuery(model, A, { name: 'nvjet' })).toHaveLength(0);
  });

  it('scopes match by normalised name (nn.Module: X_3 is X) and GPU annotations stand in when the host has none', () => {
    const m = buildModel({
      processes: [
        { pid: '1', kind: 'host', tracks: [{ tid: '1', slices: [['nn.Module: Qwen2DecoderLayer_0', 0, 100], ['nn.Module: Qwen2DecoderLayer_1', 100, 100]] }] },
      ],
    });
    expect(resolveQuery(m, A, { scope: 'Qwen2DecoderLayer' })).toHaveLength(2);
    const n = buildModel(nestedScopes(2));
    // In nested-scopes the all-reduce kernel sits under an `nccl:all_reduce` host annotation of each layer.
    expect(resolveQuery(n, A, { detector: 'all_reduce', within: { scope: 'Qwen2DecoderLayer', index: 1 } }).map((s) => n.slices.startNs[s])).toEqual([10 + 1000 + 715 + 300]);
  });
});

describe('args in a query', () => {
  // Ascend writes shapes as one string with escaped line breaks; Kineto as nested arrays.
  const m = buildModel({
    processes: [
      {
        pid: '1',
        kind: 'host',
        tracks: [
          {
            tid: '1',
            slices: [
              ['npu::npu_quant_matmul', 0, 10, { args: { 'Input Dims': '8192,7168;\r\n1536,7168', 'Input type': 'signed char;\r\nsigned char' } }],
              ['npu::npu_quant_matmul', 20, 10, { args: { 'Input Dims': '8192,2048;\r\n7168,2048', 'Input type': 'signed char;\r\nsigned char' } }],
              ['aten::mm', 40, 10, { args: { 'Input Dims': [[8, 3584], [3584, 4608]], 'Input type': ['c10::Half', 'c10::Half'] } }],
              ['aten::mm', 60, 10],
            ],
          },
        ],
      },
    ],
  });
  const at = (q: Parameters<typeof resolveQuery>[2]) => resolveQuery(m, A, q).map((s) => m.slices.startNs[s]);
  it('matches a string arg as the details panel shows it, escapes decoded', () => {
    expect(at({ name: 'npu::npu_quant_matmul', args: { 'Input Dims': '/^8192,2048;\r?\n7168,2048$/' } })).toEqual([20]);
    expect(at({ name: 'npu::npu_quant_matmul', args: { 'Input type': '/signed char/' } })).toEqual([0, 20]);
  });
  it('matches other values as JSON, and never a slice without the arg', () => {
    expect(at({ name: 'aten::mm', args: { 'Input Dims': '/\\[3584,4608\\]/' } })).toEqual([40]);
    expect(at({ name: 'aten::mm', args: { 'Input type': '/Half/' } })).toEqual([40]);
    expect(at({ name: '/./', args: { 'Input Dims': '/./' } })).toEqual([0, 20, 40]);
  });
});

describe('linkBetween', () => {
  const target = sliceAt(model, AR, attnAR(0, 1));
  const b = layerBase(0, 1);
  it('the launch call and the op that launched only the target stand for it', () => {
    expect(linkBetween(model, A, target, target)).toBe('same');
    expect(linkBetween(model, A, sliceAt(model, 'cudaLaunchKernel', b + 810), target)).toBe('host-call');
    expect(linkBetween(model, A, sliceAt(model, 'c10d::allreduce_', b + 800), target)).toBe('host-call');
  });
  it('a scope that launched other work too does not, nor an unrelated slice', () => {
    expect(linkBetween(model, A, sliceAt(model, 'self_attn', b + 10), target)).toBeNull();
    expect(linkBetween(model, A, sliceAt(model, 'c10d::allreduce_', b + 2000), target)).toBeNull();
    expect(linkBetween(model, A, sliceAt(model, 'nvjet_tst_o', b + 1110), target)).toBeNull();
  });
});

describe('linkedTarget', () => {
  /** The plain answer: the first target, in order, that linkBetween links the answer to. */
  const loop = (m: TraceModel, answer: number, targets: number[]) => {
    for (const x of targets) if (linkBetween(m, A, answer, x)) return x;
    return null;
  };
  const agrees = (m: TraceModel, answers: number[]) => {
    let linked = 0;
    for (const det of DETECTOR_NAMES) {
      const targets = resolveQuery(m, A, { detector: det });
      if (!targets.length) continue;
      for (const order of [targets, [...targets].reverse()]) {
        for (const s of answers) {
          const want = loop(m, s, order);
          expect(linkedTarget(m, A, s, order), `${det}, answer ${s}`).toBe(want);
          if (want !== null && want !== s) linked++;
        }
      }
    }
    return linked;
  };
  it('gives what a loop over linkBetween gives, for every slice of the TP fixture and of nested scopes', () => {
    expect(agrees(model, Array.from({ length: model.slices.length }, (_, i) => i))).toBeGreaterThan(0);
    const nested = buildModel(nestedScopes(2));
    agrees(nested, Array.from({ length: nested.slices.length }, (_, i) => i));
  });
  for (const url of ['/traces/npu-deepseek-rs-ag.json.gz', '/traces/hf-qwen2-eager-2layer-h100.json.gz']) {
    it.skipIf(!bundledTraceAvailable(url))(`gives what a loop over linkBetween gives on ${url} (host calls, annotations, collective pieces)`, async () => {
      const m = (await loadBundledTrace(url))!;
      // Every slice of a few kinds that link, and a spread of the rest.
      const kinds = A.sliceKinds(m);
      const answers = Array.from({ length: m.slices.length }, (_, i) => i).filter((i) => kinds[i] === 'comm-task' || kinds[i] === 'annotation' || i % 97 === 0);
      expect(agrees(m, answers.slice(0, 600))).toBeGreaterThan(0);
    });
  }
});
