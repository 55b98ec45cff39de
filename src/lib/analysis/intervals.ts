/**
 * Interval sets over integer nanoseconds: the algebra every overlap, busy/idle
 * and coverage question reduces to.
 *
 * An `IntervalSet` is a `Float64Array` [start0, end0, start1, end1, ...] of
 * half-open intervals [start, end) that are sorted, pairwise disjoint, not
 * touching (touching pieces are merged) and non-empty (start < end). Every
 * function here returns a set in that normal form and never mutates its input.
 *
 * Times are integer Ns from the model, so all sums are exact (well below 2^53).
 * Building from n raw intervals costs O(n log n); the binary operations are
 * linear merges, O(|a| + |b|).
 */
import type { Ns } from '../trace/model.ts';

export type IntervalSet = Float64Array;

export const EMPTY: IntervalSet = new Float64Array(0);

/** Normal-form set from parallel start/end arrays (any order, overlaps allowed). */
export function unionOf(starts: ArrayLike<number>, ends: ArrayLike<number>): IntervalSet {
  const n = Math.min(starts.length, ends.length);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (ends[i] > starts[i]) order.push(i);
  order.sort((x, y) => starts[x] - starts[y]);
  const out: number[] = [];
  for (const i of order) {
    const s = starts[i];
    const e = ends[i];
    const last = out.length - 1;
    if (last > 0 && s <= out[last]) {
      if (e > out[last]) out[last] = e;
    } else {
      out.push(s, e);
    }
  }
  return Float64Array.from(out);
}

/** Normal-form set from [start, end] pairs; handy in tests and small callers. */
export function fromPairs(pairs: ReadonlyArray<readonly [Ns, Ns]>): IntervalSet {
  return unionOf(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
  );
}

/** The set as [start, end] pairs (for tests, JSON and readable snapshots). */
export function toPairs(a: IntervalSet): Array<[Ns, Ns]> {
  const out: Array<[Ns, Ns]> = [];
  for (let i = 0; i < a.length; i += 2) out.push([a[i], a[i + 1]]);
  return out;
}

/** Number of disjoint intervals. */
export function countOf(a: IntervalSet): number {
  return a.length >> 1;
}

export function totalNs(a: IntervalSet): Ns {
  let t = 0;
  for (let i = 0; i < a.length; i += 2) t += a[i + 1] - a[i];
  return t;
}

/** First start and last end, or null for the empty set. */
export function spanOf(a: IntervalSet): { startNs: Ns; endNs: Ns } | null {
  return a.length === 0 ? null : { startNs: a[0], endNs: a[a.length - 1] };
}

/** Appends [s, e) to a normal-form array being built in ascending order. */
function push(out: number[], s: number, e: number): void {
  if (e <= s) return;
  const last = out.length - 1;
  if (last > 0 && s <= out[last]) {
    if (e > out[last]) out[last] = e;
  } else {
    out.push(s, e);
  }
}

export function union(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      push(out, a[i], a[i + 1]);
      i += 2;
    } else {
      push(out, b[j], b[j + 1]);
      j += 2;
    }
  }
  return Float64Array.from(out);
}

/** Union of many sets (pairwise merge tree: O(N log k) for k sets of N intervals). */
export function unionAll(sets: readonly IntervalSet[]): IntervalSet {
  if (sets.length === 0) return EMPTY;
  let level = sets.slice();
  while (level.length > 1) {
    const next: IntervalSet[] = [];
    for (let k = 0; k < level.length; k += 2) {
      next.push(k + 1 < level.length ? union(level[k], level[k + 1]) : level[k]);
    }
    level = next;
  }
  return level[0];
}

export function intersect(a: IntervalSet, b: IntervalSet): IntervalSet {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (s < e) out.push(s, e);
    // Advance whichever interval ends first; the other may still overlap the next one.
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return Float64Array.from(out);
}

/** a − b: the parts of a not covered by b. */
export function subtract(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i];
    const e = a[i + 1];
    while (j < b.length && b[j + 1] <= s) j += 2;
    let k = j;
    while (k < b.length && b[k] < e) {
      if (b[k] > s) out.push(s, b[k]);
      s = Math.max(s, b[k + 1]);
      if (s >= e) break;
      k += 2;
    }
    if (s < e) out.push(s, e);
  }
  return Float64Array.from(out);
}

/** Index (even) of the first interval whose end is > t. */
function firstEndingAfter(a: IntervalSet, t: number): number {
  let lo = 0;
  let hi = a.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[2 * mid + 1] <= t) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** a ∩ [fromNs, toNs), by binary search: O(log n + k). */
export function clip(a: IntervalSet, fromNs: Ns, toNs: Ns): IntervalSet {
  if (toNs <= fromNs || a.length === 0) return EMPTY;
  const out: number[] = [];
  for (let i = firstEndingAfter(a, fromNs); i < a.length && a[i] < toNs; i += 2) {
    out.push(Math.max(a[i], fromNs), Math.min(a[i + 1], toNs));
  }
  return Float64Array.from(out);
}

/** totalNs(clip(a, fromNs, toNs)) without building the clipped set (gpu-busy asks it for every idle gap). */
export function totalNsWithin(a: IntervalSet, fromNs: Ns, toNs: Ns): Ns {
  if (toNs <= fromNs || a.length === 0) return 0;
  let t = 0;
  for (let i = firstEndingAfter(a, fromNs); i < a.length && a[i] < toNs; i += 2) t += Math.min(a[i + 1], toNs) - Math.max(a[i], fromNs);
  return t;
}

/** [fromNs, toNs) − a: the gaps of a inside the range. */
export function complement(a: IntervalSet, fromNs: Ns, toNs: Ns): IntervalSet {
  if (toNs <= fromNs) return EMPTY;
  const out: number[] = [];
  let cur = fromNs;
  for (let i = firstEndingAfter(a, fromNs); i < a.length && a[i] < toNs; i += 2) {
    if (a[i] > cur) out.push(cur, a[i]);
    cur = Math.max(cur, a[i + 1]);
  }
  if (cur < toNs) out.push(cur, toNs);
  return Float64Array.from(out);
}

/** |a ∩ b| without building the intersection. */
export function overlapNs(a: IntervalSet, b: IntervalSet): Ns {
  let t = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (s < e) t += e - s;
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return t;
}

/** Whether t lies inside the set. */
export function containsNs(a: IntervalSet, t: Ns): boolean {
  const i = firstEndingAfter(a, t);
  return i < a.length && a[i] <= t;
}

/** True when `a` is in normal form (sorted, disjoint, non-touching, non-empty). */
export function isNormal(a: IntervalSet): boolean {
  if (a.length % 2 !== 0) return false;
  for (let i = 0; i < a.length; i += 2) {
    if (!(a[i] < a[i + 1])) return false;
    if (i > 0 && !(a[i - 1] < a[i])) return false;
  }
  return true;
}
