import { describe, expect, it } from 'vitest';
import type { RunDiff } from '../../lib/analysis/diff.ts';
import { anchorOptions, sharedBounds, shiftWindow } from './compare-sync.ts';

describe('two runs on one axis', () => {
  it('a window moves from one run to the other by the anchors’ difference', () => {
    // A's step starts at 100, B's at 40: A's [90, 130] is 10 before to 30 after the anchor, B's [30, 70].
    expect(shiftWindow({ startNs: 90, endNs: 130 }, 100, 40)).toEqual({ startNs: 30, endNs: 70 });
    expect(shiftWindow(shiftWindow({ startNs: 90, endNs: 130 }, 100, 40), 40, 100)).toEqual({ startNs: 90, endNs: 130 });
  });

  it('each run may scroll over the union of both extents around the anchor', () => {
    // A: 0..1000 anchored at 100 → shared −100..900; B: 0..500 anchored at 400 → shared −400..100.
    // Union −400..900: A needs −300..1000 of its own time, B 0..1300.
    expect(sharedBounds(1000, 500, { aNs: 100, bNs: 400 })).toEqual({ a: { startNs: -300, endNs: 1000 }, b: { startNs: 0, endNs: 1300 } });
  });

  it('anchors: the matched steps first (the default), then the trace starts', () => {
    const step = (name: string, startNs: number) => ({ name, number: null, slice: 0, startNs, endNs: startNs + 10 });
    const diff = { steps: [{ a: step('ProfilerStep#2', 50), b: step('ProfilerStep#2', 70), aDurNs: 10, bDurNs: 10, deltaNs: 0 }] } as unknown as RunDiff;
    const opts = anchorOptions(diff);
    expect(opts.map((o) => [o.key, o.aNs, o.bNs])).toEqual([
      ['step0', 50, 70],
      ['start', 0, 0],
    ]);
  });
});
