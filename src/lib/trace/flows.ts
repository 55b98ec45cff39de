/**
 * Flow arrows: s/t/f events with the same (category, id) form a chain, read in
 * timestamp order; each t or f gets an arrow from the step before it. Files
 * list them in any order (Kineto writes some f before their s; torch_npu has
 * HostToDevice ids with two f's), so an f with no earlier s takes the group's
 * first s, and every f of a fan-out gets its own arrow.
 *
 * Binding follows the trace-event rules stated in model.ts: s and t bind to
 * the slice enclosing them on their thread; f with bp:"e" to its enclosing
 * slice, f without to the next slice starting at or after it.
 */
import type { FlowTable, SliceTable } from './model.ts';
import type { TraceBuilder } from './builder.ts';
import { groupByTrack, sortRunsByKey } from './order.ts';

const PH_s = 115;
const PH_f = 102;

export interface FlowResult {
  flows: FlowTable;
  /** f/t events with no s in their group, plus s events with nothing after them. */
  incomplete: number;
  incompleteByCat: Map<string, number>;
  /** Arrows with an end that bound to no slice. */
  unbound: number;
  /** Groups with more than one s. */
  duplicateIds: number;
}

interface SliceIndex {
  slices: SliceTable;
  sliceStart: Int32Array;
  sliceEnd: Int32Array;
}

/** Deepest slice on `track` that contains `t` (start ≤ t < end, or a zero-length slice at t), else -1. */
export function enclosingSlice(ix: SliceIndex, track: number, t: number): number {
  const { startNs, durNs, parent } = ix.slices;
  let lo = ix.sliceStart[track];
  let hi = ix.sliceEnd[track];
  // Last slice with start ≤ t.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (startNs[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  let k = lo - 1;
  const first = ix.sliceStart[track];
  // Among equal starts the shortest comes last; walk up until one contains t.
  while (k >= first) {
    const s = startNs[k];
    const e = s + durNs[k];
    if (t < e || t === s) return k;
    k = parent[k];
  }
  return -1;
}

/** First slice on `track` starting at or after `t`, else -1. */
export function nextSlice(ix: SliceIndex, track: number, t: number): number {
  const { startNs } = ix.slices;
  let lo = ix.sliceStart[track];
  let hi = ix.sliceEnd[track];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (startNs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < ix.sliceEnd[track] ? lo : -1;
}

export function bindFlows(b: TraceBuilder, ix: SliceIndex, trackOfRaw: Int32Array, minRel: number): FlowResult {
  const n = b.fPh.length;
  const ph = b.fPh.data;
  const cat = b.fCat.data;
  const id = b.fId.data;
  const idNumber = b.fIdNumber.data;
  const ts = b.fTs.data;
  // Group by (category, id). Numeric ids key as themselves (≥ 0), interned ones as -(index + 1).
  const groupOf = new Int32Array(n);
  const byCat = new Map<number, Map<number, number>>();
  let groupCount = 0;
  let lastCat = -2;
  let groups: Map<number, number> | undefined;
  for (let i = 0; i < n; i++) {
    if (cat[i] !== lastCat) {
      lastCat = cat[i];
      groups = byCat.get(lastCat);
      if (!groups) byCat.set(lastCat, (groups = new Map()));
    }
    const key = id[i] >= 0 ? -(id[i] + 1) : idNumber[i];
    let g = groups!.get(key);
    if (g === undefined) groups!.set(key, (g = groupCount++));
    groupOf[i] = g;
  }
  // Each event's final track (-1: its thread has no events), looked up once per run of one thread.
  const trackOfEvent = new Int32Array(n);
  const fPid = b.fPid.data;
  const fTid = b.fTid.data;
  let lastPid = -1;
  let lastTid = -1;
  let lastTrack = -1;
  for (let i = 0; i < n; i++) {
    if (fPid[i] !== lastPid || fTid[i] !== lastTid) {
      lastPid = fPid[i];
      lastTid = fTid[i];
      const raw = b.findTrack(lastPid, lastTid);
      lastTrack = raw < 0 ? -1 : trackOfRaw[raw];
    }
    trackOfEvent[i] = lastTrack;
  }
  // Events by group (counting sort), each group by time; groups hold 2 or 3 events.
  const runs = groupByTrack(groupOf, n, groupCount);
  sortRunsByKey(runs, ts, null);
  const order = runs.order;

  // At most one arrow per event; trimmed at the end.
  const fromSlice = new Int32Array(n);
  const toSlice = new Int32Array(n);
  const fromNs = new Float64Array(n);
  const toNs = new Float64Array(n);
  const flowCat = new Int32Array(n);
  const flowName = new Int32Array(n);
  const flowId: string[] = [];
  const incompleteByCat = new Map<string, number>();
  let incomplete = 0;
  let unbound = 0;
  let duplicateIds = 0;
  let arrowCount = 0;
  const countIncomplete = (i: number): void => {
    incomplete++;
    const name = cat[i] >= 0 ? b.tok.names.strings[cat[i]] : '(no category)';
    incompleteByCat.set(name, (incompleteByCat.get(name) ?? 0) + 1);
  };

  const bind = (i: number): number => {
    const track = trackOfEvent[i];
    if (track < 0) return -1;
    const t = Math.round(ts[i] - minRel);
    return b.fEnclosing.data[i] === 1 ? enclosingSlice(ix, track, t) : nextSlice(ix, track, t);
  };

  for (let k = 0; k < n; ) {
    const g = groupOf[order[k]];
    let end = k;
    while (end < n && groupOf[order[end]] === g) end++;
    let firstStart = -1;
    let starts = 0;
    for (let j = k; j < end; j++) {
      if (ph[order[j]] === PH_s) {
        starts++;
        if (firstStart < 0) firstStart = order[j];
      }
    }
    if (starts > 1) duplicateIds++;
    let prev = -1;
    let arrows = 0;
    for (let j = k; j < end; j++) {
      const i = order[j];
      if (ph[i] === PH_s) {
        prev = i;
        continue;
      }
      const from = prev >= 0 ? prev : firstStart;
      if (from < 0) {
        countIncomplete(i);
        continue;
      }
      const a = bind(from);
      const z = bind(i);
      if (a < 0 || z < 0) unbound++;
      const r = arrowCount++;
      fromSlice[r] = a;
      toSlice[r] = z;
      fromNs[r] = Math.round(ts[from] - minRel);
      toNs[r] = Math.round(ts[i] - minRel);
      flowId.push(id[i] >= 0 ? b.tok.ids.strings[id[i]] : String(idNumber[i]));
      flowCat[r] = cat[from];
      flowName[r] = b.fName.data[from];
      arrows++;
      if (ph[i] !== PH_f) prev = i; // a t step continues the chain
    }
    if (starts > 0 && arrows === 0) {
      for (let j = k; j < end; j++) if (ph[order[j]] === PH_s) countIncomplete(order[j]);
    }
    k = end;
  }

  const flows: FlowTable = {
    length: arrowCount,
    id: flowId,
    cat: flowCat.slice(0, arrowCount),
    name: flowName.slice(0, arrowCount),
    fromSlice: fromSlice.slice(0, arrowCount),
    toSlice: toSlice.slice(0, arrowCount),
    fromNs: fromNs.slice(0, arrowCount),
    toNs: toNs.slice(0, arrowCount),
  };
  return { flows, incomplete, incompleteByCat, unbound, duplicateIds };
}
