/**
 * Row orders for the finished tables. Rows arrive per track in nearly sorted
 * order, so a counting sort by track (O(n)) followed by a sortedness check per
 * track, sorting only the tracks that need it, beats one comparator sort of
 * everything by a wide margin.
 */

export interface TrackRuns {
  /** Row indexes grouped by track, in file order within a track. */
  order: Int32Array;
  /** `order[start[t], end[t])` are track t's rows. */
  start: Int32Array;
  end: Int32Array;
}

export function groupByTrack(trackOfRow: Int32Array, n: number, trackCount: number): TrackRuns {
  const start = new Int32Array(trackCount);
  const end = new Int32Array(trackCount);
  for (let i = 0; i < n; i++) end[trackOfRow[i]]++;
  let acc = 0;
  for (let t = 0; t < trackCount; t++) {
    start[t] = acc;
    acc += end[t];
    end[t] = start[t];
  }
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[end[trackOfRow[i]]++] = i;
  return { order, start, end };
}

/**
 * Sorts each track's run by `key` ascending, then (when given) `desc`
 * descending, then file order; runs already in order are skipped. Rows start
 * in file order, so a stable sort keeps file order among ties.
 *
 * A merge sort over typed arrays with the comparison written out: the
 * callback sort it replaced spent most of its time calling the comparator.
 */
export function sortRunsByKey(runs: TrackRuns, key: Float64Array, desc: Float64Array | null): void {
  const { order, start, end } = runs;
  let tmp: Int32Array | null = null;
  for (let t = 0; t < start.length; t++) {
    const s = start[t];
    const e = end[t];
    if (e - s < 2 || isSorted(order, s, e, key, desc)) continue;
    // Tracks are nearly sorted (a parent written after its children): insertion
    // sort is linear in how far rows are out of place. Past a budget of moves,
    // the merge sort takes over (insertion sort is stable, so the result is too).
    if (insertionSort(order, s, e, key, desc, 8 * (e - s) + 64)) continue;
    if (tmp === null || tmp.length < e - s) tmp = new Int32Array(Math.max(e - s, 256));
    mergeSort(order, s, e, key, desc, tmp);
  }
}

/** Whether row `a` goes after row `b` (ties: neither). */
function after(key: Float64Array, desc: Float64Array | null, a: number, b: number): boolean {
  const ka = key[a];
  const kb = key[b];
  if (ka !== kb) return ka > kb;
  return desc !== null && desc[a] < desc[b];
}

function isSorted(order: Int32Array, s: number, e: number, key: Float64Array, desc: Float64Array | null): boolean {
  for (let k = s + 1; k < e; k++) if (after(key, desc, order[k - 1], order[k])) return false;
  return true;
}

/** Insertion sort of `order[s, e)` moving at most `budget` rows; false when it stopped early (still a permutation). */
function insertionSort(order: Int32Array, s: number, e: number, key: Float64Array, desc: Float64Array | null, budget: number): boolean {
  for (let i = s + 1; i < e; i++) {
    const x = order[i];
    let j = i - 1;
    while (j >= s && after(key, desc, order[j], x)) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
    budget -= i - 1 - j;
    if (budget < 0) return false;
  }
  return true;
}

const BLOCK = 24;

/** Stable bottom-up merge sort of `order[s, e)`: insertion-sorted blocks, then merges through `tmp`. */
function mergeSort(order: Int32Array, s: number, e: number, key: Float64Array, desc: Float64Array | null, tmp: Int32Array): void {
  for (let b = s; b < e; b += BLOCK) insertionSort(order, b, Math.min(b + BLOCK, e), key, desc, Infinity);
  let src = order;
  let dst = tmp;
  // `tmp` is indexed from 0 for the run; `order` from s.
  let srcBase = s;
  let dstBase = 0;
  const n = e - s;
  for (let width = BLOCK; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let o = lo;
      // Already in order across the seam (nearly sorted tracks): copy.
      if (mid < hi && !after(key, desc, src[srcBase + mid - 1], src[srcBase + mid])) {
        for (; i < hi; i++) dst[dstBase + o++] = src[srcBase + i];
        continue;
      }
      while (i < mid && j < hi) {
        const a = src[srcBase + i];
        const c = src[srcBase + j];
        if (after(key, desc, a, c)) {
          dst[dstBase + o++] = c;
          j++;
        } else {
          dst[dstBase + o++] = a;
          i++;
        }
      }
      while (i < mid) dst[dstBase + o++] = src[srcBase + i++];
      while (j < hi) dst[dstBase + o++] = src[srcBase + j++];
    }
    const swap = src;
    src = dst;
    dst = swap;
    const base = srcBase;
    srcBase = dstBase;
    dstBase = base;
  }
  if (src !== order) for (let k = 0; k < n; k++) order[s + k] = src[k];
}

/** Rows ordered by (track, time, file order); `trackOfRow` holds final track ids. */
export function orderByTrackAndTime(trackOfRow: Int32Array, time: Float64Array, n: number, trackCount: number): Int32Array {
  const runs = groupByTrack(trackOfRow, n, trackCount);
  sortRunsByKey(runs, time, null);
  return runs.order;
}
