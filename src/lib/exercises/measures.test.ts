/**
 * Measures on the recorded H100 sample (public/traces): busy and idle per step
 * are the step's share of the device's busy/idle sets; idle by cause exists
 * only for the whole trace, and asking for it per step says so instead of
 * returning the step's plain idle time (which it once did, silently).
 */
import { describe, expect, it } from 'vitest';
import { defaultAnalysis as A } from './analysis.ts';
import { computeMeasure } from './measures.ts';
import { parseMeasure } from './schema-parts.ts';
import { Problems } from './validator.ts';
import { bundledTraceAvailable, loadBundledTrace } from './testing.ts';

const EAGER = '/traces/qwen2_5-7b-shape-tp1-h100.json.gz';

describe.skipIf(!bundledTraceAvailable(EAGER))('gpu-idle on the eager TP=1 recording', () => {
  it('per step: busy + idle = the step, causes refused with a reason', async () => {
    const m = (await loadBundledTrace(EAGER))!;
    const step = A.steps(m)[1];
    const busy = computeMeasure(m, A, { measure: 'gpu-idle', part: 'busy', step: 1 }).instances[0].value;
    const idle = computeMeasure(m, A, { measure: 'gpu-idle', part: 'idle', step: 1 }).instances[0].value;
    expect(busy + idle).toBe(step.endNs - step.startNs);
    expect(busy).toBeGreaterThan(1_000_000);
    for (const part of ['host-bound', 'sync', 'queued', 'unknown'] as const) {
      const r = computeMeasure(m, A, { measure: 'gpu-idle', part, step: 1 });
      expect(r.instances).toEqual([]);
      expect(r.missing).toMatch(/whole trace only/);
    }
  });
  it('whole trace: the causes add up to the idle time', async () => {
    const m = (await loadBundledTrace(EAGER))!;
    const v = (part: 'idle' | 'host-bound' | 'sync' | 'queued' | 'unknown') => computeMeasure(m, A, { measure: 'gpu-idle', part }).instances[0].value;
    expect(v('host-bound') + v('sync') + v('queued') + v('unknown')).toBe(v('idle'));
  });
});

const AR = '/traces/deepseek-v3-shape-allreduce-ws2-rank0-1gpu-h200.json.gz';

describe.skipIf(!bundledTraceAvailable(AR))('kernel-group on the all-reduce recording', () => {
  it('sums the kernels of a group (name or /regex/ on the group name), 0 for a group the run does not have', async () => {
    const m = (await loadBundledTrace(AR))!;
    // Independently: every kernel-category slice whose name starts with the NCCL all-reduce kernel's.
    const ids: number[] = [];
    for (let s = 0; s < m.slices.length; s++) {
      if (m.strings[m.slices.cat[s]] === 'kernel' && /^ncclDevKernel_AllReduce_Sum_f16_RING_LL\(/.test(m.strings[m.slices.name[s]])) ids.push(s);
    }
    const total = ids.reduce((t, s) => t + m.slices.durNs[s], 0);
    expect(ids.length).toBeGreaterThan(0);
    const exact = computeMeasure(m, A, { measure: 'kernel-group', group: 'ncclDevKernel_AllReduce_Sum_f16_RING_LL' });
    expect(exact.instances).toEqual([{ value: total, sliceIds: ids }]);
    expect(computeMeasure(m, A, { measure: 'kernel-group', group: '/AllReduce/' }).instances[0].value).toBe(total);
    expect(computeMeasure(m, A, { measure: 'kernel-group', group: 'ncclDevKernel_AllGather_RING_LL' }).instances).toEqual([{ value: 0, sliceIds: [] }]);
    expect(computeMeasure(m, A, { measure: 'kernel-group', group: 'ncclDevKernel_AllReduce_Sum_f16_RING_LL', device: 'gpu:7' }).instances[0].value).toBe(0);
  });

  it('the schema wants a group that is a name or a valid /regex/', () => {
    const problems = (v: unknown) => {
      const p = new Problems();
      parseMeasure(p, 'measure', v);
      return p.list;
    };
    expect(problems({ measure: 'kernel-group', group: 'rms_norm_kernel' })).toEqual([]);
    expect(problems({ measure: 'kernel-group' })).not.toEqual([]);
    expect(problems({ measure: 'kernel-group', group: '/(/' })[0]).toMatch(/^measure\.group: not a valid regular expression/);
    expect(problems({ measure: 'kernel-group', group: 'x', target: {} })[0]).toMatch(/target/);
  });
});
