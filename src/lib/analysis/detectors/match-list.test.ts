// MatchList: each slice once (first add wins), results in slice-id order whatever the order of adds,
// `count` = distinct applications.
import { describe, expect, it } from 'vitest';
import { MatchList } from './types.ts';

const dur = Float64Array.from({ length: 20 }, (_, i) => i * 10);

describe('MatchList', () => {
  it('reports in slice order with each slice once, its first confidence and reason kept', () => {
    const l = new MatchList();
    l.add(7, 0.9, 'seven', 3);
    l.add(2, 0.8, 'two', 3);
    l.add(7, 0.1, 'seven again', 9);
    l.add(11, 0.7, 'eleven');
    l.add(0, 0.6, 'zero', 0);
    expect(l.has(7) && l.has(0) && !l.has(1) && !l.has(5000)).toBe(true);
    const r = l.result('sync', 'r', dur);
    expect(r.slices).toEqual([0, 2, 7, 11]);
    expect(r.confidence).toEqual([0.6, 0.8, 0.9, 0.7]);
    expect(r.reasons).toEqual(['zero', 'two', 'seven', 'eleven']);
    expect(r.applications).toEqual([0, 3, 3, 11]);
    expect(r.count).toBe(3);
    expect(r.kernels).toBe(4);
    expect(r.totalNs).toBe(0 + 20 + 70 + 110);
  });

  it('keeps adds already in order as they are, and counts far-apart applications', () => {
    const l = new MatchList();
    for (const s of [1, 4, 9]) l.add(s, 1, `s${s}`, s === 9 ? 10_000_000 : 1);
    const r = l.result('sync', 'r', dur);
    expect(r.slices).toEqual([1, 4, 9]);
    expect(r.reasons).toEqual(['s1', 's4', 's9']);
    expect(r.count).toBe(2);
  });
});
