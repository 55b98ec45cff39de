import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildModel, type ModelSpec, type SliceSpec } from '../testing.ts';
import { nestedScopes } from '../fixtures/nested-scopes.ts';
import { collectiveKinds } from '../fixtures/collective-kinds.ts';
import { idleGaps } from '../fixtures/idle-gaps.ts';
import { ascendMini } from '../fixtures/ascend-mini.ts';
import { emptyDevice } from '../fixtures/empty-device.ts';
import { runDetectors, DETECTOR_NAMES } from './index.ts';
import { normalizeCollective } from './collectives.ts';
import type { TraceModel } from '../../trace/model.ts';

const names = (m: TraceModel, ids: number[]) => ids.map((i) => m.strings[m.slices.name[i]]);
const short = (s: string) => s.replace(/^void /, '').replace(/[<(].*$/, '');

describe('semantic detectors on nested-scopes (3 layers)', () => {
  const m = buildModel(nestedScopes(3));
  const r = runDetectors(m);

  it('each layer contributes the kernels derived in the fixture comment', () => {
    const per = (n: keyof typeof r) => names(m, r[n].slices).map(short);
    expect(per('norm')).toEqual(Array(3).fill('vllm::rms_norm_kernel'));
    expect(per('matmul')).toEqual(
      Array(3).fill(['nvjet_tst_128x64_64x8_1x1_v_bz_TNT', 'nvjet_tst_64x8_64x16_4x1_v_bz_TNN', 'nvjet_tst_192x8_64x16_4x1_v_bz_TNN', 'nvjet_tst_64x8_64x16_4x1_v_bz_TNT']).flat(),
    );
    expect(per('rope')).toEqual(Array(3).fill('at::native::vectorized_elementwise_kernel'));
    expect(per('kv_cache_write')).toEqual(Array(3).fill('vllm::reshape_and_cache_flash_kernel'));
    expect(per('attention')).toEqual(Array(3).fill(['flash_fwd_splitkv_kernel', 'flash_fwd_splitkv_combine_kernel']).flat());
    expect(per('paged_attention')).toEqual(per('attention'));
    expect(per('activation')).toEqual(Array(3).fill('vllm::act_and_mul_kernel'));
    expect(r.moe.count).toBe(0);
    expect(r.all_reduce.count).toBe(3);
  });

  it('a generic kernel is RoPE because of its innermost scope, with the reason saying so', () => {
    expect(r.rope.reasons[0]).toBe('under annotation `rotary_emb`');
    expect(r.rope.confidence[0]).toBe(0.7);
    // The copy kernel directly under Qwen2Attention matches nothing.
    const copyIds = [...Array(m.slices.length).keys()].filter((i) => names(m, [i])[0].includes('copy_kernel_impl'));
    for (const d of DETECTOR_NAMES.filter((n) => n !== 'launch_latency')) for (const id of copyIds) expect(r[d].slices).not.toContain(id);
  });

  it('paged attention comes from the vLLM op in the kernel context', () => {
    expect(r.paged_attention.reasons[0]).toMatch(/kernel name matches paged_attention|_vllm_fa2_C::varlen_fwd|vllm::unified_attention/);
  });

  it('sync: aten::item is reported once for the sync call inside it', () => {
    expect(names(m, r.sync.slices)).toEqual(['aten::item']);
    expect(r.sync.reasons[0]).toContain('cudaStreamSynchronize');
  });

  it('launch latency is 300 ns for every kernel launch, 240 ns for the memcpy', () => {
    expect(r.launch_latency.count).toBe(3 * 12 + 1);
    expect(r.launch_latency.latency!.p50Ns).toBe(300);
    expect(r.launch_latency.latency!.maxNs).toBe(300);
    expect(r.launch_latency.totalNs).toBe(300 * 3 * 12 + 240);
    expect(r.launch_latency.latency!.outliers).toEqual([]);
  });
});

describe('collectives (collective-kinds fixture)', () => {
  const m = buildModel(collectiveKinds);
  const r = runDetectors(m);
  it('classifies each kernel by its strongest signal and counts only kernels', () => {
    const counts = Object.fromEntries(
      ['all_reduce', 'reduce_scatter', 'all_gather', 'all_to_all', 'broadcast', 'send_recv'].map((n) => [n, r[n as 'all_reduce'].count]),
    );
    expect(counts).toEqual({ all_reduce: 2, reduce_scatter: 1, all_gather: 1, all_to_all: 1, broadcast: 1, send_recv: 0 });
    // innermost named scope: c10d op inside the nccl:all_to_all annotation
    expect(r.all_to_all.reasons[0]).toBe('launched under `c10d::alltoall_base_`');
    expect(r.all_gather.reasons[0]).toBe('kernel arg Collective name = _allgather_base');
    expect(r.reduce_scatter.reasons[0]).toBe('under GPU annotation `nccl:reduce_scatter`');
    for (const n of ['all_reduce', 'all_to_all'] as const) {
      for (const id of r[n].slices) expect(m.strings[m.slices.cat[id]]).toBe('kernel');
    }
  });
  it('normalises the spellings used by NCCL, c10d, HCCL and Kineto args', () => {
    expect(
      ['allReduce', 'allreduce_coalesced', '_allgather_base', 'all_gather_into_tensor', 'reduceScatter', 'reduce_scatter_tensor_coalesced', 'alltoallv', 'all_to_all', 'BatchSendRecv', 'receive', 'send', 'broadcast', 'Generic', 'wait'].map(normalizeCollective),
    ).toEqual(['all_reduce', 'all_reduce', 'all_gather', 'all_gather', 'reduce_scatter', 'reduce_scatter', 'all_to_all', 'all_to_all', 'send_recv', 'send_recv', 'send_recv', 'broadcast', null, null]);
  });
});

describe('waits and launch latency', () => {
  it('idle-gaps: the host sync call is one sync; latencies are 10, 5, 24', () => {
    const m = buildModel(idleGaps);
    const r = runDetectors(m);
    expect(names(m, r.sync.slices)).toEqual(['cudaStreamSynchronize']);
    expect(r.launch_latency.count).toBe(3);
    expect(r.launch_latency.totalNs).toBe(39);
    expect([r.launch_latency.latency!.p50Ns, r.launch_latency.latency!.p90Ns, r.launch_latency.latency!.maxNs]).toEqual([10, 24, 24]);
  });
  it('ascend-mini: Notify Wait is an event wait; matmul and relu found by task name; all_reduce from the Group thread only', () => {
    const m = buildModel(ascendMini);
    const r = runDetectors(m);
    expect(names(m, r.event_wait.slices)).toEqual(['Notify Wait']);
    expect(names(m, r.matmul.slices)).toEqual(['aclnnMm_MatMulCommon_MatMulV2']);
    expect(names(m, r.activation.slices)).toEqual(['aclnnInplaceRelu_Relu_Relu']);
    expect(names(m, r.all_reduce.slices)).toEqual(['hcom_allReduce__1_0_1']);
  });
  it('Kineto device-side stream waits win over their host calls (same correlation)', () => {
    const m = buildModel({
      processes: [
        { pid: '1', kind: 'host', tracks: [{ tid: '1', slices: [
          ['cudaStreamWaitEvent', 0, 3, { cat: 'cuda_runtime', args: { correlation: 7 } }],
          ['cudaStreamWaitEvent', 10, 3, { cat: 'cuda_runtime', args: { correlation: 8 } }],
        ] }] },
        { pid: '0', label: 'GPU 0', kind: 'gpu', device: 0, tracks: [{ tid: '24', slices: [
          ['Stream Wait Event', 1, 2, { cat: 'cuda_sync', args: { correlation: 7 } }],
        ] }] },
      ],
    });
    const r = runDetectors(m);
    expect(names(m, r.event_wait.slices)).toEqual(['cudaStreamWaitEvent', 'Stream Wait Event']);
    expect(r.event_wait.confidence).toEqual([0.6, 0.9]);
    expect(m.slices.startNs[r.event_wait.slices[0]]).toBe(10);
  });
});

describe('host-only traces', () => {
  it('a CPU-only trace reports host scopes, outermost only', () => {
    const m = buildModel({
      processes: [{ pid: '1', kind: 'host', tracks: [{ tid: '1', slices: [
        ['rotary_emb', 0, 100, { cat: 'user_annotation' }],
        ['aten::mul', 10, 20, { cat: 'cpu_op' }],
        ['apply_rotary_pos_emb', 40, 20, { cat: 'python_function' }],
        ['aten::mm', 200, 10, { cat: 'cpu_op' }],
      ] }] }],
    });
    const r = runDetectors(m);
    expect(names(m, r.rope.slices)).toEqual(['rotary_emb']);
    expect(names(m, r.matmul.slices)).toEqual(['aten::mm']);
    expect(r.rope.confidence).toEqual([0.5]);
  });
});

describe('detectors never throw', () => {
  const pool = [
    'aten::mm', 'rotary_emb', 'attn', 'nccl:all_reduce', 'cudaLaunchKernel', 'cudaStreamSynchronize', 'aten::item',
    'ncclDevKernel_AllReduce_Sum_f32_RING_LL', 'nvjet_tst', 'flash_fwd_kernel', 'Notify Wait', 'hcom_allGather__1_0_1',
    'Qwen2DecoderLayer', 'ProfilerStep#1', 'EVENT_WAIT', 'x', '',
  ];
  const cats = ['kernel', 'cpu_op', 'user_annotation', 'gpu_user_annotation', 'cuda_runtime', 'cuda_sync', 'gpu_memcpy', undefined];
  const slice = fc.tuple(
    fc.constantFrom(...pool),
    fc.integer({ min: 0, max: 1000 }),
    fc.integer({ min: 0, max: 300 }),
    fc.constantFrom(...cats),
    fc.option(fc.record({ 'Task Type': fc.constantFrom('AI_CORE', 'Notify Wait', 'DSA_SQE', 'EVENT_WAIT_SQE'), correlation: fc.integer({ min: 0, max: 5 }) })),
  );
  const kinds = ['host', 'gpu', 'npu', 'comm', 'overlap', 'counters', 'other'] as const;
  const model = fc
    .array(
      fc.record({
        kind: fc.constantFrom(...kinds),
        tracks: fc.array(fc.record({ name: fc.constantFrom('Group 0 Communication', 'Plane 0', 'stream 7', 'Thread 1'), slices: fc.array(slice, { maxLength: 12 }) }), { maxLength: 3 }),
      }),
      { maxLength: 4 },
    )
    .chain((procs) => {
      const spec: ModelSpec = {
        format: 'kineto',
        processes: procs.map((p, pi) => ({
          pid: String(pi),
          kind: p.kind,
          device: p.kind === 'gpu' ? pi : -1,
          tracks: p.tracks.map((t, ti) => ({
            tid: String(ti),
            name: t.name,
            slices: t.slices.map(([n, s, d, cat, args], si): SliceSpec => [n, s, d, { cat, args: args ?? undefined, key: `${pi}.${ti}.${si}` }]),
          })),
        })),
      };
      const keys = spec.processes.flatMap((p) => p.tracks.flatMap((t) => t.slices.map((s) => s[3]!.key!)));
      if (keys.length < 2) return fc.constant(spec);
      return fc
        .array(fc.tuple(fc.constantFrom(...keys), fc.constantFrom(...keys)), { maxLength: 6 })
        .map((pairs) => ({ ...spec, flows: pairs.map(([from, to]) => ({ from, to })) }));
    });

  it('on random models (any kinds, names, nesting and flows)', () => {
    fc.assert(
      fc.property(model, (spec) => {
        const m = buildModel(spec);
        const r = runDetectors(m);
        for (const n of DETECTOR_NAMES) {
          expect(r[n].slices.length).toBe(r[n].confidence.length);
          expect(new Set(r[n].slices).size).toBe(r[n].slices.length);
          for (const c of r[n].confidence) expect(c >= 0 && c <= 1).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('on the empty-device fixture', () => {
    const r = runDetectors(buildModel(emptyDevice));
    for (const n of DETECTOR_NAMES) expect(r[n].count).toBe(0);
  });
});
