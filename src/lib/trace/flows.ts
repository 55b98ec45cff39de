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

export interface SliceIndex {
  slices: SliceTable;
  sliceStart: Int32Array;
  sliceEnd: Int32Array;
}

/** Deepest slice on `track` that contains `t` (start ≤ t < end, or a zero-length slice at t), else -1. */
export function enclosingSlice(ix: SliceIndex, track: number, t: number): number {
  return enclosingFrom(ix, track, t, searchStart(ix, track, t, -1, true));
}

/** Deepest slice containing `t` among those starting before index `lo` (the first start > t). */
function enclosingFrom(ix: SliceIndex, track: number, t: number, lo: number): number {
  const { startNs, durNs, parent } = ix.slices;
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

/**
 * The first slice index on `track` whose start is > t (`strict`) or ≥ t,
 * searched by galloping from `hint` (a previous answer on this track, or -1
 * for a plain binary search): flows come in time order, so the next answer is
 * usually a few slices on.
 */
export function searchStart(ix: SliceIndex, track: number, t: number, hint: number, strict: boolean): number {
  const startNs = ix.slices.startNs;
  const first = ix.sliceStart[track];
  const last = ix.sliceEnd[track];
  let lo = first;
  let hi = last;
  if (hint >= first && hint <= last) {
    // Bracket [lo, hi) around the answer, doubling the step away from the hint.
    const goesBefore = (k: number): boolean => (strict ? startNs[k] <= t : startNs[k] < t);
    if (hint === last || !goesBefore(hint)) {
      hi = hint;
      let step = 1;
      while (hi - step >= first && !goesBefore(hi - step)) {
        hi -= step;
        step *= 2;
      }
      lo = Math.max(first, hi - step);
    } else {
      lo = hint + 1;
      let step = 1;
      while (lo + step <= last && goesBefore(lo + step - 1)) {
        lo += step;
        step *= 2;
      }
      hi = Math.min(last, lo + step);
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? startNs[mid] <= t : startNs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First slice on `track` starting at or after `t`, else -1. */
export function nextSlice(ix: SliceIndex, track: number, t: number): number {
  const k = searchStart(ix, track, t, -1, false);
  return k < ix.sliceEnd[track] ? k : -1;
}

/**
 * Group number of each flow event by (category, id), numbered in order of first
 * appearance. Kineto's ids are correlation numbers 1..N, and most of Ascend's
 * too, so a direct-address table per category takes interned ids and the
 * numbers up to what the table can afford (8 slots per flow event in all);
 * only larger numbers (a few of torch_npu's 15-digit ids) go through a Map.
 * A whole trace of sparse ids through a Map cost 50 ms per 100 MB.
 */
function groupFlows(n: number, cat: Int32Array, id: Int32Array, idNumber: Float64Array, idCount: number): { groupOf: Int32Array; groupCount: number } {
  const groupOf = new Int32Array(n);
  let groupCount = 0;
  const cats = new Map<number, number>();
  let lastCat = -2;
  for (let i = 0; i < n; i++) {
    if (cat[i] !== lastCat) {
      lastCat = cat[i];
      if (!cats.has(lastCat)) cats.set(lastCat, cats.size);
    }
  }
  // Slots per category the table may take; interned ids first (when they fit), then numbers 0..maxNumber.
  const perCat = Math.floor((8 * n + 4096) / Math.max(1, cats.size));
  const internedInTable = idCount <= perCat;
  const numberLimit = perCat - (internedInTable ? idCount : 0) - 1;
  let maxNumber = -1;
  for (let i = 0; i < n; i++) if (id[i] < 0 && idNumber[i] > maxNumber && idNumber[i] <= numberLimit) maxNumber = idNumber[i];
  const width = maxNumber + 1 + (internedInTable ? idCount : 0);
  const table = new Int32Array(width * cats.size).fill(-1);
  // The rest: numbers keyed as themselves, interned ids as -(index + 1), per category.
  const byCat = new Map<number, Map<number, number>>();
  let catIndex = -1;
  let rest: Map<number, number> | null = null;
  lastCat = -2;
  for (let i = 0; i < n; i++) {
    if (cat[i] !== lastCat) {
      lastCat = cat[i];
      catIndex = cats.get(lastCat)!;
      rest = null;
    }
    const interned = id[i] >= 0;
    const slot = interned ? (internedInTable ? maxNumber + 1 + id[i] : -1) : idNumber[i] <= maxNumber ? idNumber[i] : -1;
    let g: number;
    if (slot >= 0) {
      const at = catIndex * width + slot;
      g = table[at];
      if (g < 0) table[at] = g = groupCount++;
    } else {
      if (!rest) {
        rest = byCat.get(catIndex) ?? null;
        if (!rest) byCat.set(catIndex, (rest = new Map()));
      }
      const key = interned ? -(id[i] + 1) : idNumber[i];
      const found = rest.get(key);
      if (found === undefined) rest.set(key, (g = groupCount++));
      else g = found;
    }
    groupOf[i] = g;
  }
  return { groupOf, groupCount };
}

/** Each flow event's final track (-1: its thread has no events), looked up once per run of one thread. */
function tracksOfFlowEvents(b: TraceBuilder, trackOfRaw: Int32Array): Int32Array {
  const n = b.fPh.length;
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
  return trackOfEvent;
}

export function bindFlows(b: TraceBuilder, ix: SliceIndex, trackOfRaw: Int32Array, minRel: number): FlowResult {
  const n = b.fPh.length;
  const ph = b.fPh.data;
  const cat = b.fCat.data;
  const id = b.fId.data;
  const idNumber = b.fIdNumber.data;
  const ts = b.fTs.data;
  const { groupOf, groupCount } = groupFlows(n, cat, id, idNumber, b.tok.ids.count);
  const trackOfEvent = tracksOfFlowEvents(b, trackOfRaw);
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
  const flowIdNumber = new Float64Array(n);
  const flowIdText = new Int32Array(n);
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

  // Per track, the last search result, to gallop from.
  const hint = new Int32Array(ix.sliceStart.length).fill(-1);
  const bind = (i: number): number => {
    const track = trackOfEvent[i];
    if (track < 0) return -1;
    const t = Math.round(ts[i] - minRel);
    if (b.fEnclosing.data[i] === 1) {
      const lo = searchStart(ix, track, t, hint[track], true);
      hint[track] = lo;
      return enclosingFrom(ix, track, t, lo);
    }
    const k = searchStart(ix, track, t, hint[track], false);
    hint[track] = k;
    return k < ix.sliceEnd[track] ? k : -1;
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
      flowIdNumber[r] = idNumber[i]; // -1 where the id is text
      flowIdText[r] = id[i];
      flowCat[r] = cat[from];
      arrows++;
      if (ph[i] !== PH_f) prev = i; // a t step continues the chain
    }
    if (starts > 0 && arrows === 0) {
      for (let j = k; j < end; j++) if (ph[order[j]] === PH_s) countIncomplete(order[j]);
    }
    k = end;
  }

  const ids = b.tok.ids.texts();
  const flows: FlowTable = {
    length: arrowCount,
    idNumber: flowIdNumber.slice(0, arrowCount),
    idText: flowIdText.slice(0, arrowCount),
    idBytes: ids.bytes,
    idOffsets: ids.offsets,
    cat: flowCat.slice(0, arrowCount),
    fromSlice: fromSlice.slice(0, arrowCount),
    toSlice: toSlice.slice(0, arrowCount),
    fromNs: fromNs.slice(0, arrowCount),
    toNs: toNs.slice(0, arrowCount),
  };
  return { flows, incomplete, incompleteByCat, unbound, duplicateIds };
}

/** FlowTable's id columns for ids given as text (a model built by hand: tests, the widgets' dev models). */
export function flowIdsOf(ids: readonly string[]): Pick<FlowTable, 'idNumber' | 'idText' | 'idBytes' | 'idOffsets'> {
  const encoder = new TextEncoder();
  const encoded = ids.map((id) => encoder.encode(id));
  const idOffsets = new Int32Array(ids.length + 1);
  for (let k = 0; k < ids.length; k++) idOffsets[k + 1] = idOffsets[k] + encoded[k].length;
  const idBytes = new Uint8Array(idOffsets[ids.length]);
  encoded.forEach((bytes, k) => idBytes.set(bytes, idOffsets[k]));
  return { idNumber: new Float64Array(ids.length).fill(-1), idText: Int32Array.from(ids, (_, k) => k), idBytes, idOffsets };
}
