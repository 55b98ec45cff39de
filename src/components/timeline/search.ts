/**
 * Search slices by name: plain text (case-insensitive substring) or
 * "/regex/flags". Names are interned, so each distinct name is tested once and
 * the slice scan is a table lookup per slice.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import type { Ns, SliceId } from './units.ts';

export interface CompiledSearch {
  test: (name: string) => boolean;
  /** Set when "/.../" did not compile; the search then matches nothing. */
  error?: string;
}

export function compileSearch(query: string): CompiledSearch | null {
  const q = query.trim();
  if (q === '') return null;
  const m = /^\/(.+)\/([a-z]*)$/.exec(q);
  if (m) {
    try {
      const re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
      return { test: (s) => re.test(s) };
    } catch (e) {
      return { test: () => false, error: (e as Error).message };
    }
  }
  const needle = q.toLowerCase();
  return { test: (s) => s.toLowerCase().includes(needle) };
}

/**
 * Ids of matching slices in time order (ties by id). `tracks`, when given,
 * restricts the search to those track ids (the rows the widget shows).
 */
export function searchSlices(model: TraceModel, search: CompiledSearch, tracks?: ReadonlySet<number>): Int32Array {
  const hit = new Uint8Array(model.strings.length);
  let any = false;
  for (let i = 0; i < model.strings.length; i++) {
    if (search.test(model.strings[i])) {
      hit[i] = 1;
      any = true;
    }
  }
  if (!any) return new Int32Array(0);
  const { name, startNs } = model.slices;
  // Each track's slices are already in time order: collect one sorted run per
  // track and merge the runs, O(n log tracks) instead of sorting n matches.
  let runs: Int32Array[] = [];
  for (let t = 0; t < model.tracks.length; t++) {
    if (tracks && !tracks.has(t)) continue;
    const ids: number[] = [];
    for (let i = model.tracks.sliceStart[t]; i < model.tracks.sliceEnd[t]; i++) if (hit[name[i]]) ids.push(i);
    if (ids.length) runs.push(Int32Array.from(ids));
  }
  if (runs.length === 0) return new Int32Array(0);
  const before = (a: number, b: number) => startNs[a] < startNs[b] || (startNs[a] === startNs[b] && a < b);
  while (runs.length > 1) {
    const next: Int32Array[] = [];
    for (let r = 0; r < runs.length; r += 2) next.push(r + 1 < runs.length ? mergeRuns(runs[r], runs[r + 1], before) : runs[r]);
    runs = next;
  }
  return runs[0];
}

function mergeRuns(a: Int32Array, b: Int32Array, before: (x: number, y: number) => boolean): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = before(b[j], a[i]) ? b[j++] : a[i++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/**
 * Index in `matches` of the next match strictly after `(afterNs, afterId)` in
 * time order, wrapping around; -1 when there are none. `direction` -1 goes back.
 */
export function stepMatch(model: TraceModel, matches: Int32Array, afterNs: Ns, afterId: SliceId, direction: 1 | -1): number {
  const n = matches.length;
  if (n === 0) return -1;
  const start = model.slices.startNs;
  const before = (i: number) => start[matches[i]] < afterNs || (start[matches[i]] === afterNs && matches[i] <= afterId);
  // First index not "at or before" the reference.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  if (direction === 1) return lo % n;
  // Going back: the last index strictly before the reference.
  let i = lo - 1;
  if (i >= 0 && matches[i] === afterId) i--;
  return (i + n) % n;
}

export type SearchScope = 'all' | 'view' | 'lane';

/** How far back `inWindow` looks for a long slice that starts before the window and reaches into it. */
const LOOK_BACK = 4096;

/**
 * The matches that overlap `[startNs, endNs)`, in time order: those starting inside it (binary search on
 * the time-ordered matches) and those starting before it that still run into it (the last LOOK_BACK
 * matches before it are looked at: enough for any real trace, bounded for a million matches).
 */
export function inWindow(model: TraceModel, matches: Int32Array, w: { startNs: Ns; endNs: Ns }): Int32Array {
  const start = model.slices.startNs;
  const dur = model.slices.durNs;
  const firstAtOrAfter = (t: Ns) => {
    let lo = 0;
    let hi = matches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (start[matches[mid]] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lb = firstAtOrAfter(w.startNs);
  const ub = firstAtOrAfter(w.endNs);
  const early: number[] = [];
  for (let i = lb - 1; i >= Math.max(0, lb - LOOK_BACK); i--) if (start[matches[i]] + dur[matches[i]] > w.startNs) early.push(matches[i]);
  const out = new Int32Array(early.length + (ub - lb));
  early.reverse().forEach((id, k) => (out[k] = id));
  out.set(matches.subarray(lb, ub), early.length);
  return out;
}

/** The matches on one track (a lane), in time order. */
export function onTrack(model: TraceModel, matches: Int32Array, track: number): Int32Array {
  return matches.filter((id) => model.slices.track[id] === track);
}
