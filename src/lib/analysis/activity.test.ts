// Work kinds of GPU slices are classified once per (name, category) pair:
// the same name in another category, or another name in the same category,
// still gets its own kind.
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { sliceKinds } from './activity.ts';

describe('sliceKinds on a GPU stream', () => {
  it('tells apart slices that share a name but not a category, and the other way round', async () => {
    const gpu = (name: string, cat: string | undefined, ts: number) => ({ ph: 'X', name, ...(cat ? { cat } : {}), pid: 0, tid: 7, ts, dur: 1 });
    const events = [
      { ph: 'M', name: 'process_name', pid: 0, args: { name: 'GPU 0' } },
      { ph: 'M', name: 'thread_name', pid: 0, tid: 7, args: { name: 'stream 7' } },
      gpu('ncclKernel_AllReduce_RING_LL_Sum_float', 'kernel', 0),
      gpu('ncclKernel_AllReduce_RING_LL_Sum_float', 'gpu_user_annotation', 2),
      gpu('ncclKernel_AllReduce_RING_LL_Sum_float', 'kernel', 4),
      gpu('Memcpy HtoD (Pageable -> Device)', 'gpu_memcpy', 6),
      gpu('Memcpy HtoD (Pageable -> Device)', undefined, 8),
      gpu('ampere_sgemm_128x64_nn', 'kernel', 10),
      gpu('ampere_sgemm_128x64_nn', 'cuda_sync', 12),
    ];
    const m = await loadTrace(new TextEncoder().encode(JSON.stringify({ traceEvents: events })));
    const kinds = sliceKinds(m);
    const byStart = Array.from({ length: m.slices.length }, (_, i) => [m.slices.startNs[i], kinds[i]] as const).sort((a, b) => a[0] - b[0]).map(([, k]) => k);
    expect(byStart).toEqual(['communication', 'annotation', 'communication', 'memory', 'memory', 'computation', 'wait']);
  });
});
