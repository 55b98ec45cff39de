/**
 * Slices: B/E pairing, the (track, start, longer first) order, and nesting
 * (depth and parent) per track.
 *
 * B/E follow the trace-event rules: per thread, in timestamp order (file order
 * among equal timestamps), an E closes the most recent open B. An E with no
 * open B is dropped; a B never closed is kept, ending at the end of the trace,
 * as Perfetto shows "did not end" slices. Both are counted as warnings.
 *
 * Nesting: a slice's parent is the deepest slice on its track that contains
 * it, and it sits one row below. Slices that overlap without nesting (a memcpy
 * and a sync on one CUDA stream, clock skew) are not made children: they take
 * the first row that no open slice occupies, so no two slices of one row
 * overlap on screen. They are counted in a warning.
 *
 * Nesting means "called by", which holds on host threads only. On device
 * streams (GPU streams, Ascend hardware streams, HCCL lanes) one task does not
 * call another: slices there that overlap are parallel work, such as the
 * SDMA sub-tasks of one HCCL step, issued a few hundred ns apart and running
 * together, one often inside another's span. They are laid out side by side,
 * each on the first free row with no parent (one inside another's span is
 * not counted in the warning; one that ends later still is). The one container on a device stream is a host range mirrored
 * there (Kineto's `gpu_user_annotation`: a category naming an annotation),
 * whose kernels really are inside it.
 */
import type { SliceTable } from './model.ts';
import type { TraceBuilder } from './builder.ts';
import { groupByTrack, sortRunsByKey } from './order.ts';

export interface PairingResult {
  unmatchedBegin: number;
  unmatchedEnd: number;
}

/** Pairs B/E rows into slices appended to the builder's X columns. */
export function pairBeginEnd(b: TraceBuilder): PairingResult {
  const n = b.beTrack.length;
  const result = { unmatchedBegin: 0, unmatchedEnd: 0 };
  if (n === 0) return result;
  const track = b.beTrack.data;
  const ts = b.beTs.data;
  const runs = groupByTrack(track, n, b.tracks.length);
  sortRunsByKey(runs, ts, null);
  const order = runs.order;
  const open: number[] = [];
  let current = -1;
  const flush = (): void => {
    // Unclosed B's end where the trace ends.
    for (const i of open) {
      result.unmatchedBegin++;
      addSlice(b, i, Math.max(b.maxRel, ts[i]));
    }
    open.length = 0;
  };
  for (const i of order) {
    if (track[i] !== current) {
      flush();
      current = track[i];
    }
    if (b.beBegin.data[i] === 1) open.push(i);
    else {
      const begin = open.pop();
      if (begin === undefined) result.unmatchedEnd++;
      else addSlice(b, begin, ts[i]);
    }
  }
  flush();
  return result;
}

function addSlice(b: TraceBuilder, begin: number, endRel: number): void {
  b.xTrack.push(b.beTrack.data[begin]);
  b.xStart.push(b.beTs.data[begin]);
  b.xDur.push(endRel - b.beTs.data[begin]);
  b.xName.push(b.beName.data[begin]);
  b.xCat.push(b.beCat.data[begin]);
  b.xArgs.push(b.beArgs.data[begin]);
}

/** Which slices may contain others (see the header): per track, and per category string on device tracks. */
export interface NestingRule {
  /** Per track: 1 where containment in time is a call (host threads), 0 on device streams. */
  nestsByTime: Uint8Array;
  /** On a device stream, may a slice of this category (string index, -1: none) contain others? */
  containerCategory: (cat: number) => boolean;
}

export interface SliceLayout {
  slices: SliceTable;
  sliceStart: Int32Array;
  sliceEnd: Int32Array;
  maxDepth: Int32Array;
  /** Slices that end after the slice they start in. */
  improper: number;
}

/**
 * Builds the slice table from the builder's X columns (rows ≥ `firstFromBE`
 * came from B/E pairs). Times become integer ns from `minRel`; each end is
 * rounded on its own so that abutting slices stay abutting.
 */
export function buildSlices(b: TraceBuilder, trackOfRaw: Int32Array, trackCount: number, minRel: number, firstFromBE: number, rule?: NestingRule): SliceLayout {
  const n = b.xTrack.length;
  const { start, dur, finalTrack } = relativeTimes(b, trackOfRaw, minRel);
  // By track, then (start, longer first, file order).
  const runs = groupByTrack(finalTrack, n, trackCount);
  sortRunsByKey(runs, start, dur);
  const slices = gatherSlices(b, runs.order, finalTrack, start, dur, firstFromBE);
  const { maxDepth, improper } = nestSlices(slices, runs.start, runs.end, trackCount, rule);
  return { slices, sliceStart: runs.start, sliceEnd: runs.end, maxDepth, improper };
}

/** Start and duration of each X row in integer ns from `minRel` (each end rounded on its own), and its final track. */
function relativeTimes(b: TraceBuilder, trackOfRaw: Int32Array, minRel: number): { start: Float64Array; dur: Float64Array; finalTrack: Int32Array } {
  const n = b.xTrack.length;
  const rawTrack = b.xTrack.data;
  const start = new Float64Array(n);
  const dur = new Float64Array(n);
  const finalTrack = new Int32Array(n);
  const xs = b.xStart.data;
  const xd = b.xDur.data;
  for (let i = 0; i < n; i++) {
    const s = Math.round(xs[i] - minRel);
    start[i] = s;
    dur[i] = Math.round(xs[i] + xd[i] - minRel) - s;
    finalTrack[i] = trackOfRaw[rawTrack[i]];
  }
  return { start, dur, finalTrack };
}

/** The slice table in `order` (depth and parent filled by `nestSlices`). */
function gatherSlices(b: TraceBuilder, order: Int32Array, finalTrack: Int32Array, start: Float64Array, dur: Float64Array, firstFromBE: number): SliceTable {
  const n = order.length;
  const slices: SliceTable = {
    length: n,
    track: new Int32Array(n),
    startNs: new Float64Array(n),
    durNs: new Float64Array(n),
    depth: new Uint16Array(n),
    name: new Int32Array(n),
    cat: new Int32Array(n),
    args: new Int32Array(n),
    parent: new Int32Array(n),
    fromBE: new Uint8Array(n),
  };
  const xName = b.xName.data;
  const xCat = b.xCat.data;
  const xArgs = b.xArgs.data;
  const { track, startNs, durNs, name, cat, args, fromBE } = slices;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    track[k] = finalTrack[i];
    startNs[k] = start[i];
    durNs[k] = dur[i];
    name[k] = xName[i];
    cat[k] = xCat[i];
    args[k] = xArgs[i];
    fromBE[k] = i >= firstFromBE ? 1 : 0;
  }
  return slices;
}

/** Depth and parent of every slice, track by track; returns each track's depth and the partly overlapping count. */
function nestSlices(slices: SliceTable, sliceStart: Int32Array, sliceEnd: Int32Array, trackCount: number, rule?: NestingRule): { maxDepth: Int32Array; improper: number } {
  // Nesting. `active` holds the slices still open at the current start; for
  // properly nested data it is exactly the ancestor chain (a stack).
  const maxDepth = new Int32Array(trackCount);
  let improper = 0;
  let activeId = new Int32Array(64);
  let activeEnd = new Float64Array(64);
  let activeDepth = new Int32Array(64);
  let rowUsed = new Uint8Array(64);
  for (let t = 0; t < trackCount; t++) {
    let count = 0;
    let deepest = 0;
    const byTime = !rule || rule.nestsByTime[t] === 1;
    for (let k = sliceStart[t]; k < sliceEnd[t]; k++) {
      const s = slices.startNs[k];
      const e = s + slices.durNs[k];
      // Drop what ended at or before this start; find the deepest container.
      let kept = 0;
      let parent = -1;
      let parentDepth = -1;
      let overlapsPartly = false;
      for (let a = 0; a < count; a++) {
        if (activeEnd[a] <= s) continue;
        activeId[kept] = activeId[a];
        activeEnd[kept] = activeEnd[a];
        activeDepth[kept] = activeDepth[a];
        if (activeEnd[a] >= e) {
          // On a device stream a containing task is parallel work, not a caller: it only holds its row.
          if (activeDepth[a] > parentDepth && (byTime || rule!.containerCategory(slices.cat[activeId[a]]))) {
            parentDepth = activeDepth[a];
            parent = activeId[a];
          }
        } else overlapsPartly = true;
        kept++;
      }
      count = kept;
      // The first row below the parent that no open slice occupies.
      let depth = parentDepth + 1;
      if (count > 0 && (overlapsPartly || count !== parentDepth + 1)) {
        if (rowUsed.length < deepest + 2) rowUsed = new Uint8Array((deepest + 2) * 2);
        for (let a = 0; a < count; a++) rowUsed[activeDepth[a]] = 1;
        while (rowUsed[depth] === 1) depth++;
        for (let a = 0; a < count; a++) rowUsed[activeDepth[a]] = 0;
      }
      if (overlapsPartly) improper++;
      slices.parent[k] = parent;
      slices.depth[k] = Math.min(depth, 65535);
      if (count === activeId.length) {
        const grow = <T extends Int32Array | Float64Array>(x: T, make: (n: number) => T): T => {
          const y = make(x.length * 2);
          y.set(x);
          return y;
        };
        activeId = grow(activeId, (n) => new Int32Array(n));
        activeEnd = grow(activeEnd, (n) => new Float64Array(n));
        activeDepth = grow(activeDepth, (n) => new Int32Array(n));
      }
      activeId[count] = k;
      activeEnd[count] = e;
      activeDepth[count] = depth;
      count++;
      if (depth + 1 > deepest) deepest = depth + 1;
    }
    maxDepth[t] = deepest;
  }
  return { maxDepth, improper };
}
