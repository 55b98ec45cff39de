import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clip,
  complement,
  containsNs,
  fromPairs,
  intersect,
  isNormal,
  overlapNs,
  subtract,
  toPairs,
  totalNs,
  totalNsWithin,
  union,
  unionAll,
  unionOf,
  unionOfSorted,
} from './intervals.ts';

/** Reference: mark every integer ns point covered (domain kept small). */
function points(pairs: Array<[number, number]>): Set<number> {
  const s = new Set<number>();
  for (const [a, b] of pairs) for (let t = a; t < b; t++) s.add(t);
  return s;
}

const rawPairs = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 60 })).map(
    ([s, d]) => [s, s + d] as [number, number],
  ),
  { maxLength: 25 },
);
const set = rawPairs.map((p) => fromPairs(p));

describe('interval algebra: hand-derived cases', () => {
  it('merges overlapping and touching intervals and drops empty ones', () => {
    expect(toPairs(fromPairs([[5, 10], [0, 3], [3, 4], [8, 12], [20, 20]]))).toEqual([
      [0, 4],
      [5, 12],
    ]);
  });
  it('union, intersect, subtract on two small sets', () => {
    const a = fromPairs([[0, 10], [20, 30]]);
    const b = fromPairs([[5, 25]]);
    expect(toPairs(union(a, b))).toEqual([[0, 30]]);
    expect(toPairs(intersect(a, b))).toEqual([[5, 10], [20, 25]]);
    expect(toPairs(subtract(a, b))).toEqual([[0, 5], [25, 30]]);
    expect(toPairs(subtract(b, a))).toEqual([[10, 20]]);
  });
  it('clip and complement use half-open bounds', () => {
    const a = fromPairs([[0, 10], [20, 30]]);
    expect(toPairs(clip(a, 5, 25))).toEqual([[5, 10], [20, 25]]);
    expect(toPairs(clip(a, 10, 20))).toEqual([]);
    expect(toPairs(complement(a, -5, 35))).toEqual([[-5, 0], [10, 20], [30, 35]]);
    expect(toPairs(complement(a, 2, 8))).toEqual([]);
  });
});

describe('interval algebra: properties', () => {
  it('every result is in normal form', () => {
    fc.assert(
      fc.property(set, set, fc.integer({ min: -10, max: 260 }), fc.integer({ min: 0, max: 270 }), (a, b, f, t) => {
        for (const r of [union(a, b), intersect(a, b), subtract(a, b), clip(a, f, t), complement(a, f, t)]) {
          expect(isNormal(r)).toBe(true);
        }
      }),
    );
  });
  it('totalNsWithin is the total of clip, without building it', () => {
    fc.assert(
      fc.property(set, fc.integer({ min: -10, max: 260 }), fc.integer({ min: -10, max: 270 }), (a, f, t) => {
        expect(totalNsWithin(a, f, t)).toBe(totalNs(clip(a, f, t)));
      }),
    );
  });
  it('unionOf covers exactly the points of its inputs', () => {
    fc.assert(
      fc.property(rawPairs, (p) => {
        const u = unionOf(p.map((x) => x[0]), p.map((x) => x[1]));
        expect(points(toPairs(u))).toEqual(points(p));
        expect(totalNs(u)).toBe(points(p).size);
      }),
    );
  });
  it('unionOfSorted of start-ordered intervals, or of a range of them, equals unionOf of the same', () => {
    fc.assert(
      fc.property(rawPairs, fc.nat(), fc.nat(), (p, x, y) => {
        const sorted = p.slice().sort((a, b) => a[0] - b[0]);
        const starts = sorted.map((q) => q[0]);
        const ends = Float64Array.from(sorted, (q) => q[1]);
        expect(Array.from(unionOfSorted(starts, ends))).toEqual(Array.from(unionOf(starts, ends)));
        const from = sorted.length ? x % sorted.length : 0;
        const to = from + (sorted.length ? y % (sorted.length - from + 1) : 0);
        const part = unionOfSorted(starts, ends, from, to);
        expect(isNormal(part)).toBe(true);
        expect(Array.from(part)).toEqual(Array.from(unionOf(starts.slice(from, to), ends.slice(from, to))));
      }),
    );
  });

  it('|A ∪ B| = |A| + |B| − |A ∩ B|', () => {
    fc.assert(
      fc.property(set, set, (a, b) => {
        expect(totalNs(union(a, b))).toBe(totalNs(a) + totalNs(b) - totalNs(intersect(a, b)));
        expect(overlapNs(a, b)).toBe(totalNs(intersect(a, b)));
      }),
    );
  });
  it('A − B and A ∩ B partition A; (A − B) ∩ B = ∅', () => {
    fc.assert(
      fc.property(set, set, (a, b) => {
        expect(totalNs(subtract(a, b)) + totalNs(intersect(a, b))).toBe(totalNs(a));
        expect(totalNs(intersect(subtract(a, b), b))).toBe(0);
        expect(toPairs(union(subtract(a, b), intersect(a, b)))).toEqual(toPairs(a));
      }),
    );
  });
  it('complement: A ∩ [f,t) and its complement partition the range; double complement restores', () => {
    fc.assert(
      fc.property(set, fc.integer({ min: -10, max: 260 }), fc.integer({ min: 0, max: 100 }), (a, f, w) => {
        const t = f + w;
        const c = complement(a, f, t);
        expect(totalNs(c) + totalNs(clip(a, f, t))).toBe(t - f);
        expect(totalNs(intersect(c, a))).toBe(0);
        expect(toPairs(complement(c, f, t))).toEqual(toPairs(clip(a, f, t)));
      }),
    );
  });
  it('union and intersect are commutative and associative; unionAll equals folding union', () => {
    fc.assert(
      fc.property(set, set, set, (a, b, c) => {
        expect(toPairs(union(a, b))).toEqual(toPairs(union(b, a)));
        expect(toPairs(intersect(a, b))).toEqual(toPairs(intersect(b, a)));
        expect(toPairs(union(union(a, b), c))).toEqual(toPairs(union(a, union(b, c))));
        expect(toPairs(intersect(intersect(a, b), c))).toEqual(toPairs(intersect(a, intersect(b, c))));
        expect(toPairs(unionAll([a, b, c]))).toEqual(toPairs(union(union(a, b), c)));
      }),
    );
  });
  it('subtract agrees with point sets, and containsNs with membership', () => {
    fc.assert(
      fc.property(set, set, (a, b) => {
        const pa = points(toPairs(a));
        const pb = points(toPairs(b));
        const diff = new Set([...pa].filter((x) => !pb.has(x)));
        expect(points(toPairs(subtract(a, b)))).toEqual(diff);
        for (let t = 0; t < 262; t += 7) expect(containsNs(a, t)).toBe(pa.has(t));
      }),
    );
  });
});
