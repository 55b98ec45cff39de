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

/**
 * Every result is written into a Float64Array as large as it can get and handed out as a view of its first
 * `n` values: no growing JS arrays and no final copy. Fresh memory is what these passes paid for most (a
 * 100 MB trace's analysis faulted in ~75 MiB of new pages, at ~3 ms per MiB on the 2-core bench machine);
 * the pages of the tail past `n` are never touched, so they cost nothing.
 */
const built = (out: Float64Array, n: number): IntervalSet => (n === out.length ? out : n === 0 ? EMPTY : out.subarray(0, n));

/** Appends [s, e) to the normal form built in `out` (k values so far, starts ascending); returns the new k. */
function append(out: Float64Array, k: number, s: number, e: number): number {
  if (!(e > s)) return k;
  if (k > 0 && s <= out[k - 1]) {
    if (e > out[k - 1]) out[k - 1] = e;
    return k;
  }
  out[k] = s;
  out[k + 1] = e;
  return k + 2;
}

/** Normal-form set from parallel start/end arrays (any order, overlaps allowed). */
export function unionOf(starts: ArrayLike<number>, ends: ArrayLike<number>): IntervalSet {
  const n = Math.min(starts.length, ends.length);
  const order: number[] = [];
  let sorted = true;
  for (let i = 0; i < n; i++) {
    if (!(ends[i] > starts[i])) continue;
    if (order.length && starts[i] < starts[order[order.length - 1]]) sorted = false;
    order.push(i);
  }
  if (!sorted) order.sort((x, y) => starts[x] - starts[y]);
  const out = new Float64Array(2 * order.length);
  let k = 0;
  for (const i of order) k = append(out, k, starts[i], ends[i]);
  return built(out, k);
}

/** Normal-form set from intervals already in start order (ends any), without sorting: [starts[i], ends[i]) for i in [from, to). */
export function unionOfSorted(starts: ArrayLike<number>, ends: ArrayLike<number>, from = 0, to = Math.min(starts.length, ends.length)): IntervalSet {
  const out = new Float64Array(2 * Math.max(0, to - from));
  let k = 0;
  for (let i = from; i < to; i++) k = append(out, k, starts[i], ends[i]);
  return built(out, k);
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

export function union(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Float64Array(a.length + b.length);
  let k = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      k = append(out, k, a[i], a[i + 1]);
      i += 2;
    } else {
      k = append(out, k, b[j], b[j + 1]);
      j += 2;
    }
  }
  return built(out, k);
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
  // Each step emits at most one interval and consumes one of a's or b's.
  const out = new Float64Array(a.length + b.length);
  let k = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i], b[j]);
    const e = Math.min(a[i + 1], b[j + 1]);
    if (s < e) {
      out[k++] = s;
      out[k++] = e;
    }
    // Advance whichever interval ends first; the other may still overlap the next one.
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return built(out, k);
}

/** a − b: the parts of a not covered by b. */
export function subtract(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0 || b.length === 0) return a;
  // Each of b's intervals splits at most one of a's in two.
  const out = new Float64Array(a.length + b.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i];
    const e = a[i + 1];
    while (j < b.length && b[j + 1] <= s) j += 2;
    let k = j;
    while (k < b.length && b[k] < e) {
      if (b[k] > s) {
        out[n++] = s;
        out[n++] = b[k];
      }
      s = Math.max(s, b[k + 1]);
      if (s >= e) break;
      k += 2;
    }
    if (s < e) {
      out[n++] = s;
      out[n++] = e;
    }
  }
  return built(out, n);
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
  const first = firstEndingAfter(a, fromNs);
  let last = first;
  while (last < a.length && a[last] < toNs) last += 2;
  const out = new Float64Array(last - first);
  for (let i = first, k = 0; i < last; i += 2, k += 2) {
    out[k] = Math.max(a[i], fromNs);
    out[k + 1] = Math.min(a[i + 1], toNs);
  }
  return built(out, out.length);
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
  const first = firstEndingAfter(a, fromNs);
  let last = first;
  while (last < a.length && a[last] < toNs) last += 2;
  // One gap before each interval in range, and one after the last.
  const out = new Float64Array(last - first + 2);
  let k = 0;
  let cur = fromNs;
  for (let i = first; i < last; i += 2) {
    if (a[i] > cur) {
      out[k++] = cur;
      out[k++] = a[i];
    }
    cur = Math.max(cur, a[i + 1]);
  }
  if (cur < toNs) {
    out[k++] = cur;
    out[k++] = toNs;
  }
  return built(out, k);
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
