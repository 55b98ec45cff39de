import { describe, expect, it } from 'vitest';
import { tpLayout } from './tp-layout.ts';

describe('tpLayout: column and row splits are drawn differently', () => {
  for (const tp of [2, 4]) {
    it(`TP=${tp}: column split side by side with output slices; row split stacked with full-width partial sums`, () => {
      const l = tpLayout(tp);
      // Column-parallel: one band per GPU, same rows (y, height), different columns, covering the weight's width once.
      expect(new Set(l.colWeight.map((b) => b.y)).size).toBe(1);
      expect(new Set(l.colWeight.map((b) => b.x)).size).toBe(tp);
      expect(l.colWeight.reduce((s, b) => s + b.width, 0)).toBeCloseTo(l.rowWeight[0].width, 9);
      // Its output: each GPU a different segment of one bar (a slice of the output, nothing to add up).
      expect(new Set(l.colOut.map((b) => b.y)).size).toBe(1);
      for (let g = 1; g < tp; g++) expect(l.colOut[g].x).toBeCloseTo(l.colOut[g - 1].x + l.colOut[g - 1].width, 9);
      // Row-parallel: one band per GPU, same columns, different rows.
      expect(new Set(l.rowWeight.map((b) => b.x)).size).toBe(1);
      expect(new Set(l.rowWeight.map((b) => b.y)).size).toBe(tp);
      expect(l.rowWeight.reduce((s, b) => s + b.height, 0)).toBeCloseTo(l.colWeight[0].height, 9);
      // Its output: every GPU a full-width partial sum (same x and width), then one sum.
      expect(new Set(l.rowOut.map((b) => `${b.x}:${b.width}`)).size).toBe(1);
      // Full width: as wide as the whole output bar the column-parallel GPUs share.
      expect(l.rowOut[0].width).toBeCloseTo(l.colOut.reduce((s, b) => s + b.width, 0), 9);
      expect(l.sum!.width).toBeCloseTo(l.rowOut[0].width, 9);
      expect(l.sum).not.toBeNull();
    });
  }
  it('TP=1: one band each and no all-reduce', () => {
    const l = tpLayout(1);
    expect([l.colWeight.length, l.rowWeight.length, l.sum]).toEqual([1, 1, null]);
  });
});
