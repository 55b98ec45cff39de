/**
 * diffRuns on real pairs (../shared/traces) and on the project's samples
 * (public/traces). Every expected value is computed here from a plain
 * JSON.parse of the files (steps, kernel times, communication), not from the
 * model or the analysis helpers.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { diffRuns, type RunDiff } from './diff.ts';
import { kernelGroupName } from './kernel-groups.ts';
import { loadShared, names, nsOf, rawEvents, skipReason, tracesPresent, unionTotal, type RawEvent } from './testing-real.ts';

if (!tracesPresent) console.warn(skipReason());

const SAMPLES = fileURLToPath(new URL('../../../public/traces/', import.meta.url));
const sampleBytes = (f: string) => gunzipSync(readFileSync(SAMPLES + f));
const samples = new Map<string, Promise<TraceModel>>();
function loadSample(f: string): Promise<TraceModel> {
  let m = samples.get(f);
  if (!m) samples.set(f, (m = loadTrace(new Uint8Array(sampleBytes(f)), { fileName: f })));
  return m;
}
function sampleEvents(f: string): RawEvent[] {
  const doc = JSON.parse(sampleBytes(f).toString('utf8')) as RawEvent[] | { traceEvents: RawEvent[] };
  return Array.isArray(doc) ? doc : doc.traceEvents;
}

const AR = 'deepseek-v3-shape-allreduce-ws2-rank0-1gpu-h200.json.gz';
const RSAG = 'deepseek-v3-shape-rs-ag-ws2-rank0-1gpu-h200.json.gz';
const TWO = 'deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz';
const NPU_BASE = 'npu-deepseek-baseline.json.gz';
const NPU_DUAL = 'npu-deepseek-dual-stream.json.gz';

const span = (e: RawEvent): [bigint, bigint] => {
  const s = nsOf(e.ts);
  return [s, s + nsOf(e.dur)];
};
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
/** A duration written with more than 3 decimals (Ascend's copies: `840.07675`) to whole ns, half up, from its decimal text. */
function durNs(dur: number | string | undefined): bigint {
  const text = typeof dur === 'number' ? (/e/i.test(String(dur)) ? dur.toFixed(9) : String(dur)) : String(dur ?? '0');
  const [i, f = ''] = text.split('.');
  const digits = (f + '0000').slice(0, 4);
  return BigInt(i) * 1000n + BigInt(digits.slice(0, 3)) + (Number(digits[3]) >= 5 ? 1n : 0n);
}

/** Device kernels as a reader would pick them by hand: Kineto `kernel` events; Ascend compute tasks and HCCL group ops. */
function rawKernels(ev: RawEvent[]): RawEvent[] {
  const { process, thread } = names(ev);
  const COMPUTE_TASKS = new Set(['AI_CORE', 'AI_VECTOR_CORE', 'MIX_AIC', 'MIX_AIV', 'AI_CPU', 'DSA_SQE']);
  return ev.filter((e) => {
    if (e.ph !== 'X') return false;
    if (/^kernel$/i.test(String(e.cat ?? ''))) return true;
    const p = process.get(String(e.pid));
    if (p === 'Ascend Hardware') return COMPUTE_TASKS.has(String(e.args?.['Task Type']));
    if (p === 'HCCL') return /^Group.*Communication/.test(thread.get(`${e.pid}:${e.tid}`) ?? '');
    return false;
  });
}

/** Host ProfilerStep#N slices by number → duration in ns. */
function rawSteps(ev: RawEvent[]): Map<number, bigint> {
  const { process, label } = names(ev);
  const out = new Map<number, bigint>();
  for (const e of ev) {
    const m = /^ProfilerStep#(\d+)$/.exec(String(e.name));
    if (!m || e.ph !== 'X') continue;
    const p = `${process.get(String(e.pid)) ?? ''} ${label.get(String(e.pid)) ?? ''}`;
    if (/GPU|Ascend Hardware|HCCL/.test(p) || /gpu_user_annotation/.test(String(e.cat))) continue;
    out.set(Number(m[1]), nsOf(e.dur));
  }
  return out;
}

/** The checks every pair must pass, against the raw events of both files. */
function checkAgainstRaw(d: RunDiff, evA: RawEvent[], evB: RawEvent[]): void {
  const ka = rawKernels(evA);
  const kb = rawKernels(evB);
  // Kernel groups cover every kernel: their sums are each run's total kernel time and count.
  expect(BigInt(d.kernelTotals.a.totalNs)).toBe(sum(ka.map((e) => durNs(e.dur))));
  expect(BigInt(d.kernelTotals.b.totalNs)).toBe(sum(kb.map((e) => durNs(e.dur))));
  expect(d.kernelTotals.a.count).toBe(ka.length);
  expect(d.kernelTotals.b.count).toBe(kb.length);
  expect(d.kernels.reduce((s, k) => s + k.a.totalNs, 0)).toBe(d.kernelTotals.a.totalNs);
  expect(d.kernels.reduce((s, k) => s + k.b.totalNs, 0)).toBe(d.kernelTotals.b.totalNs);
  expect(d.kernels.reduce((s, k) => s + k.a.count, 0)).toBe(ka.length);
  expect(d.kernels.reduce((s, k) => s + k.b.count, 0)).toBe(kb.length);
  // Sorted by |Δ time|, Δ = b − a.
  for (const k of d.kernels) expect(k.deltaNs).toBe(k.b.totalNs - k.a.totalNs);
  for (let i = 1; i < d.kernels.length; i++) expect(Math.abs(d.kernels[i - 1].deltaNs)).toBeGreaterThanOrEqual(Math.abs(d.kernels[i].deltaNs));
  // Steps: matched by ProfilerStep number with the durations written in the files.
  const sa = rawSteps(evA);
  const sb = rawSteps(evB);
  const common = [...sa.keys()].filter((n) => sb.has(n));
  if (common.length) {
    expect(d.stepMatch).toBe('number');
    expect(d.steps.map((s) => s.a.number)).toEqual(common);
    for (const s of d.steps) {
      expect(BigInt(s.aDurNs)).toBe(sa.get(s.a.number!));
      expect(BigInt(s.bDurNs)).toBe(sb.get(s.b.number!));
      expect(s.deltaNs).toBe(s.bDurNs - s.aDurNs);
    }
  }
  for (const f of d.findings) expect([f.delta.count, f.delta.totalNs]).toEqual([f.b.count - f.a.count, f.b.totalNs - f.a.totalNs]);
}

/** Communication and its part not hidden under computation, from the raw kernels of one device. */
function rawComm(ev: RawEvent[], isComm: (e: RawEvent) => boolean): { comm: bigint; notOverlapped: bigint } {
  const k = rawKernels(ev);
  const comm = k.filter(isComm).map(span);
  const comp = k.filter((e) => !isComm(e)).map(span);
  const all = unionTotal([...comm, ...comp]);
  const c = unionTotal(comp);
  return { comm: unionTotal(comm), notOverlapped: all - c };
}

describe('kernelGroupName', () => {
  it('folds template arguments and drops the parameter list and the return type', () => {
    expect(kernelGroupName('void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<c10::Half>, std::array<char*, 3ul> >(int, at::native::CUDAFunctor_add<c10::Half>, std::array<char*, 3ul>)')).toBe(
      'at::native::vectorized_elementwise_kernel<…>',
    );
    expect(
      kernelGroupName('void at::native::elementwise_kernel<128, 4, X>(int, at::native::gpu_kernel_impl_nocast<Y>(at::TensorIteratorBase&, f(g(int)::{lambda()#3}::operator()() const)::{lambda(int)#1}))'),
    ).toBe('at::native::elementwise_kernel<…>');
    expect(kernelGroupName('ncclDevKernel_AllGather_RING_LL(ncclDevKernelArgsStorage<4096ul>)')).toBe('ncclDevKernel_AllGather_RING_LL');
    expect(kernelGroupName('void cutlass::Kernel<cutlass_80_tensorop_s1688gemm_64x64_32x6_tn_align4>(cutlass_80_tensorop_s1688gemm_64x64_32x6_tn_align4::Params)')).toBe('cutlass::Kernel<…>');
  });
  it('drops trailing instance numbers and grid sizes, folds hex', () => {
    expect(kernelGroupName('hcom_allReduce__423_0_1')).toBe(kernelGroupName('hcom_allReduce__423_15_1'));
    expect(kernelGroupName('hcom_allReduce__423_0_1')).toBe('hcom_allReduce');
    expect(kernelGroupName('triton_poi_fused_add_0')).toBe('triton_poi_fused_add');
    expect(kernelGroupName('my_kernel_128x1x1')).toBe('my_kernel');
    expect(kernelGroupName('fused_0x7f3a9c_gemm')).toBe('fused_0x…_gemm');
  });
  it('keeps names without launch details as they are', () => {
    for (const n of ['rms_norm_kernel', 'ampere_sgemm_32x128_tn', 'nvjet_sm90_hsh_256x128_64x4_1x2_h_bz_coopA_TNT', 'aclnnMm_MatMulV3_MatMulV3']) {
      expect(kernelGroupName(n)).toBe(n);
    }
  });
  it('never returns an empty name', () => {
    expect(kernelGroupName('_0')).toBe('_0');
    expect(kernelGroupName('<x>')).toBe('<…>');
  });
});

describe('diffRuns on the project samples', () => {
  it('AllReduce vs ReduceScatter+AllGather: kernels, steps and collectives against the raw files', async () => {
    const [a, b] = await Promise.all([loadSample(AR), loadSample(RSAG)]);
    const evA = sampleEvents(AR);
    const evB = sampleEvents(RSAG);
    const d = diffRuns(a, b);
    checkAgainstRaw(d, evA, evB);
    expect(d.steps.length).toBeGreaterThan(0);
    expect(d.notes.filter((n) => n.code === 'formats-differ')).toEqual([]);
    // The AllReduce kernels exist only in A, ReduceScatter only in B: counted by hand from the names.
    const count = (ev: RawEvent[], re: RegExp) => rawKernels(ev).filter((e) => re.test(String(e.name))).length;
    const ar = d.kernels.find((k) => /AllReduce/.test(k.name))!;
    expect([ar.a.count, ar.b.count]).toEqual([count(evA, /AllReduce/), count(evB, /AllReduce/)]);
    expect(ar.a.count).toBeGreaterThan(0);
    expect(ar.b.count).toBe(0);
    const rs = d.kernels.find((k) => /ReduceScatter/.test(k.name))!;
    expect([rs.a.count, rs.b.count]).toEqual([0, count(evB, /ReduceScatter/)]);
    const f = Object.fromEntries(d.findings.map((x) => [x.name, x]));
    expect(f.all_reduce.a.count).toBeGreaterThan(0);
    expect(f.all_reduce.b.count).toBe(0);
    expect(f.reduce_scatter.a.count).toBe(0);
    expect(f.reduce_scatter.b.count).toBeGreaterThan(0);
    // Communication per device, from the raw NCCL kernels.
    const isComm = (e: RawEvent) => /nccl/i.test(String(e.name));
    const ra = rawComm(evA, isComm);
    const rb = rawComm(evB, isComm);
    expect(d.devices).toHaveLength(1);
    expect(BigInt(d.devices[0].a!.communicationNs)).toBe(ra.comm);
    expect(BigInt(d.devices[0].b!.communicationNs)).toBe(rb.comm);
    expect(BigInt(d.devices[0].a!.communicationNotOverlappedNs)).toBe(ra.notOverlapped);
    expect(BigInt(d.devices[0].b!.communicationNotOverlappedNs)).toBe(rb.notOverlapped);
  });

  it('host launch time: the runtime calls that share a correlation id with a kernel, copy or set', async () => {
    const [a, b] = await Promise.all([loadSample(AR), loadSample(RSAG)]);
    const d = diffRuns(a, b);
    for (const [side, ev] of [[d.host.a, sampleEvents(AR)], [d.host.b, sampleEvents(RSAG)]] as const) {
      const device = new Set(
        ev.filter((e) => e.ph === 'X' && /^(kernel|gpu_memcpy|gpu_memset)$/.test(String(e.cat)) && e.args?.correlation !== undefined).map((e) => String(e.args!.correlation)),
      );
      const calls = ev.filter((e) => e.ph === 'X' && /^cuda_(runtime|driver)$/.test(String(e.cat)) && device.has(String(e.args?.correlation)));
      expect(side.launch.count).toBe(calls.length);
      expect(BigInt(side.launch.totalNs)).toBe(unionTotal(calls.map(span)));
    }
  });

  it('AllReduce vs two streams: the communication hidden under compute grows', async () => {
    const [a, b] = await Promise.all([loadSample(AR), loadSample(TWO)]);
    const d = diffRuns(a, b);
    checkAgainstRaw(d, sampleEvents(AR), sampleEvents(TWO));
    const isComm = (e: RawEvent) => /nccl/i.test(String(e.name));
    const rb = rawComm(sampleEvents(TWO), isComm);
    expect(BigInt(d.devices[0].b!.communicationNotOverlappedNs)).toBe(rb.notOverlapped);
    const hidden = (s: { communicationNs: number; communicationNotOverlappedNs: number }) => s.communicationNs - s.communicationNotOverlappedNs;
    expect(hidden(d.devices[0].b!)).toBeGreaterThan(hidden(d.devices[0].a!));
  });

  it('NPU baseline vs dual stream: HCCL ops and compute tasks against the raw files', async () => {
    const [a, b] = await Promise.all([loadSample(NPU_BASE), loadSample(NPU_DUAL)]);
    const evA = sampleEvents(NPU_BASE);
    const evB = sampleEvents(NPU_DUAL);
    const d = diffRuns(a, b);
    checkAgainstRaw(d, evA, evB);
    // Every numbered hcom_allReduce op of a run falls in one group.
    const hcom = d.kernels.find((k) => k.name === 'hcom_allReduce')!;
    const count = (ev: RawEvent[]) => rawKernels(ev).filter((e) => /^hcom_allReduce/.test(String(e.name))).length;
    expect([hcom.a.count, hcom.b.count]).toEqual([count(evA), count(evB)]);
    expect(hcom.a.count).toBeGreaterThan(1);
    expect(d.devices.map((p) => [p.aKey, p.bKey])).toEqual([['npu:0', 'npu:0']]);
  });
});

describe.skipIf(!tracesPresent)('diffRuns on ../shared/traces pairs', () => {
  it('HTA sampled rank 0 vs rank 1', async () => {
    const A = 'pytorch/hta-sampled-rank0.json.gz';
    const B = 'pytorch/hta-sampled-rank1.json.gz';
    const d = diffRuns(await loadShared(A), await loadShared(B));
    checkAgainstRaw(d, rawEvents(A), rawEvents(B));
    expect(d.steps.length).toBeGreaterThan(0);
    expect(d.devices.every((p) => p.a && p.b)).toBe(true);
  });

  it('Ascend 2-rank training, rank 0 vs rank 1', async () => {
    const A = 'ascend/train-2rank-level1/rank0/trace_view.json';
    const B = 'ascend/train-2rank-level1/rank1/trace_view.json.gz';
    const evA = rawEvents(A);
    const evB = rawEvents(B);
    const d = diffRuns(await loadShared(A), await loadShared(B));
    checkAgainstRaw(d, evA, evB);
    expect(d.steps.length).toBeGreaterThan(0);
    // The two ranks run on different NPUs: paired in order, and said so.
    expect(d.devices.every((p) => p.a && p.b)).toBe(true);
    if (d.devices.some((p) => p.aKey !== p.bKey)) expect(d.notes.map((n) => n.code)).toContain('devices-by-order');
  });

  it('nothing in common (ResNet-50 2021 vs an NCCL rank): still compares, with notes', async () => {
    const A = 'pytorch/kineto-resnet50-2021.json.gz';
    const B = 'pytorch/hta-nccl-data.json.gz';
    const evA = rawEvents(A);
    const evB = rawEvents(B);
    const d = diffRuns(await loadShared(A), await loadShared(B));
    checkAgainstRaw(d, evA, evB);
    expect(d.notes.length).toBeGreaterThan(0);
    for (const n of d.notes) expect(n.message).toMatch(/\w/);
    // Each side's groups still add up alone; groups found on one side only have zero on the other.
    const onlyA = d.kernels.filter((k) => k.b.count === 0);
    const onlyB = d.kernels.filter((k) => k.a.count === 0);
    expect(onlyA.length + onlyB.length).toBeGreaterThan(0);
  });

  it('a CPU-only trace vs a GPU trace: devices and kernels absent on one side, said in the notes', async () => {
    const A = 'pytorch/hta-cpu-only.json.gz';
    const B = 'pytorch/hta-triton.json.gz';
    const evA = rawEvents(A);
    const d = diffRuns(await loadShared(A), await loadShared(B));
    checkAgainstRaw(d, evA, rawEvents(B));
    expect(rawKernels(evA)).toEqual([]);
    const byCode = new Map(d.notes.map((n) => [n.code, n]));
    expect(byCode.get('devices-missing')?.detail.side).toBe('a');
    expect(byCode.get('kernels-missing')?.detail.side).toBe('a');
    expect(d.devices.every((p) => p.a === null && p.aKey === null && p.b !== null)).toBe(true);
    expect(d.kernels.every((k) => k.a.count === 0)).toBe(true);
  });

  it('a Kineto trace vs an Ascend trace: different formats, compared at the level they share', async () => {
    const A = 'pytorch/hta-sampled-rank0.json.gz';
    const B = 'ascend/train-2rank-level1/rank0/trace_view.json';
    const d = diffRuns(await loadShared(A), await loadShared(B));
    checkAgainstRaw(d, rawEvents(A), rawEvents(B));
    expect(d.notes.map((n) => n.code)).toContain('formats-differ');
    expect(d.devices.some((p) => p.a && p.b)).toBe(true);
  });
});
