/**
 * A `cudaMemcpyAsync` to pageable host memory blocks the host until the copy has run (CUDA's API sync
 * behaviour), so it is a sync; one to pinned memory is not. Hand-made edge cases first, then the
 * recorded DeepSeek sample of lesson 4, where `torch.bincount` spends ~20 ms in such a copy waiting
 * for the attention all-reduce queued before it, and only µs in the `cudaStreamSynchronize` after it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../trace/load.ts';
import { buildModel, type ModelSpec } from '../testing.ts';
import { hostSyncSlices, pageableCopyCalls } from './sync.ts';
import { runDetectors } from './index.ts';

const names = (m: ReturnType<typeof buildModel>, ids: Iterable<number>) => [...ids].map((i) => m.strings[m.slices.name[i]]);

/**
 * host: aten::to [0,100) ⊃ cudaMemcpyAsync [1,99) (corr 1, to Pageable)
 *       aten::to [200,210) ⊃ cudaMemcpyAsync [201,209) (corr 2, to Pinned: non_blocking)
 *       cudaMemcpyAsync [300,301) (corr 3, DtoD)
 * GPU:  Memcpy DtoH (Device -> Pageable) [95,98), Memcpy DtoH (Device -> Pinned) [220,230), Memcpy DtoD [310,320)
 */
const copies: ModelSpec = {
  processes: [
    { pid: '1', kind: 'host', tracks: [{ tid: '1', slices: [
      ['aten::to', 0, 100, { cat: 'cpu_op' }],
      ['cudaMemcpyAsync', 1, 98, { cat: 'cuda_runtime', args: { correlation: 1 } }],
      ['aten::to', 200, 10, { cat: 'cpu_op' }],
      ['cudaMemcpyAsync', 201, 8, { cat: 'cuda_runtime', args: { correlation: 2 } }],
      ['cudaMemcpyAsync', 300, 1, { cat: 'cuda_runtime', args: { correlation: 3 } }],
    ] }] },
    { pid: '0', label: 'GPU 0', kind: 'gpu', device: 0, tracks: [{ tid: '7', slices: [
      ['Memcpy DtoH (Device -> Pageable)', 95, 3, { cat: 'gpu_memcpy', args: { correlation: 1 } }],
      ['Memcpy DtoH (Device -> Pinned)', 220, 10, { cat: 'gpu_memcpy', args: { correlation: 2 } }],
      ['Memcpy DtoD (Device -> Device)', 310, 10, { cat: 'gpu_memcpy', args: { correlation: 3 } }],
    ] }] },
  ],
};

describe('copies to pageable memory block the host', () => {
  const m = buildModel(copies);
  it('only the async copy whose device side goes to pageable memory counts', () => {
    const calls = [...pageableCopyCalls(m)];
    expect(calls.map((s) => m.slices.startNs[s])).toEqual([1]);
    expect(names(m, hostSyncSlices(m))).toEqual(['cudaMemcpyAsync']);
  });
  it('the sync detector reports the ATen op around it, saying why', () => {
    const r = runDetectors(m).sync;
    expect(names(m, r.slices)).toEqual(['aten::to']);
    expect(m.slices.startNs[r.slices[0]]).toBe(0);
    expect(r.reasons[0]).toBe('`aten::to` waits for the device (`cudaMemcpyAsync` to pageable host memory inside)');
  });
});

const SAMPLE = fileURLToPath(new URL('../../../../public/traces/deepseek-v3-shape-allreduce-ws2-rank0-1gpu-h200.json.gz', import.meta.url));

describe.skipIf(!existsSync(SAMPLE))('recorded DeepSeek all-reduce sample', () => {
  it('each MoE bincount waits in a pageable copy for the all-reduce before it', async () => {
    const m = await loadTrace(gunzipSync(readFileSync(SAMPLE)), { fileName: SAMPLE });
    const calls = [...pageableCopyCalls(m)];
    // One bincount per MoE block: 4 layers × 2 steps, each with its long copy.
    expect(calls.length).toBe(8);
    for (const c of calls) expect(m.slices.durNs[c]).toBeGreaterThan(10e6);
    const sync = runDetectors(m).sync;
    const pageable = sync.reasons.filter((r) => r.includes('to pageable host memory'));
    expect(pageable.length).toBe(8);
    expect(new Set(pageable)).toEqual(new Set(['`aten::to` waits for the device (`cudaMemcpyAsync` to pageable host memory inside)']));
    // The host's time in blocking calls (what gpu-busy attributes idle time to) now includes the copies.
    const hostSyncNs = hostSyncSlices(m).reduce((t, s) => t + m.slices.durNs[s], 0);
    expect(hostSyncNs).toBeGreaterThan(8 * 10e6);
  });
});
