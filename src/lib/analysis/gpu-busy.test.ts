import { describe, expect, it } from 'vitest';
import { buildModel } from './testing.ts';
import { idleGaps } from './fixtures/idle-gaps.ts';
import { gpuBusy } from './gpu-busy.ts';

describe('gpu busy vs idle (idle-gaps fixture)', () => {
  it('attributes each gap as derived in the fixture comment', () => {
    const r = gpuBusy(buildModel(idleGaps), 'gpu:0');
    expect([r.spanStartNs, r.spanEndNs, r.busyNs, r.idleNs]).toEqual([10, 80, 40, 30]);
    expect(r.gaps.map((g) => [g.startNs, g.endNs, g.cause, g.syncNs])).toEqual([
      [20, 30, 'host', 4],
      [40, 50, 'queued', 0],
      [60, 70, 'unknown', 0],
    ]);
    expect([r.hostBoundNs, r.syncNs, r.queuedNs, r.unknownNs]).toEqual([6, 4, 10, 10]);
    expect(r.hostBoundNs + r.syncNs + r.queuedNs + r.unknownNs).toBe(r.idleNs);
  });
});
