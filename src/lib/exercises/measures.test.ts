/**
 * Measures on the recorded H100 sample (public/traces): busy and idle per step
 * are the step's share of the device's busy/idle sets; idle by cause exists
 * only for the whole trace, and asking for it per step says so instead of
 * returning the step's plain idle time (which it once did, silently).
 */
import { describe, expect, it } from 'vitest';
import { defaultAnalysis as A } from './analysis.ts';
import { computeMeasure } from './measures.ts';
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
