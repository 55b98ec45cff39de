import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByTrack, sortRunsByKey } from './order.ts';

/** The order sortRunsByKey promises, by a plain comparator sort: track, key, desc descending, file order. */
function reference(track: number[], key: number[], desc: number[] | null): number[] {
  return track
    .map((_, i) => i)
    .sort((a, b) => track[a] - track[b] || key[a] - key[b] || (desc ? desc[b] - desc[a] : 0) || a - b);
}

describe('sortRunsByKey', () => {
  it('matches a comparator sort on random rows with many ties, with and without the second key', () => {
    const row = fc.record({ track: fc.integer({ min: 0, max: 3 }), key: fc.integer({ min: 0, max: 40 }), desc: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 400 }), fc.boolean(), (rows, useDesc) => {
        const track = rows.map((r) => r.track);
        const key = rows.map((r) => r.key);
        const desc = rows.map((r) => r.desc);
        const runs = groupByTrack(Int32Array.from(track), rows.length, 4);
        sortRunsByKey(runs, Float64Array.from(key), useDesc ? Float64Array.from(desc) : null);
        expect(Array.from(runs.order)).toEqual(reference(track, key, useDesc ? desc : null));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts long, nearly sorted runs (the shape of real tracks) and leaves sorted ones as they are', () => {
    const n = 10_000;
    const key = Array.from({ length: n }, (_, i) => i * 10);
    // Every 97th row starts a little early, as a parent written after its children.
    for (let i = 97; i < n; i += 97) key[i] -= 25;
    const track = new Array<number>(n).fill(0);
    const runs = groupByTrack(Int32Array.from(track), n, 1);
    sortRunsByKey(runs, Float64Array.from(key), null);
    expect(Array.from(runs.order)).toEqual(reference(track, key, null));
    const sorted = groupByTrack(Int32Array.from(track), n, 1);
    sortRunsByKey(sorted, Float64Array.from({ length: n }, (_, i) => i), null);
    expect(Array.from(sorted.order)).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
