/**
 * Small read helpers over the TraceModel used across the analysis: names,
 * categories, args fields, ancestors and "which slice encloses time t on a
 * track". Kept local so the analysis depends only on model.ts; they are the
 * same few lines query.ts offers.
 *
 * Args are raw JSON bytes in the model; most detectors need one scalar field
 * ("Task Type", "correlation", "Collective name"), so `argString`/`argNumber`
 * pull it out with `argsField` instead of parsing the whole object: keys the
 * loader noted (ArgsTable.keyed) are read where their value starts, others are
 * found by a regex and cached per args index.
 */
import type { Ns, SliceId, TrackId, ProcessId, TraceModel } from '../trace/model.ts';
import { argsField } from '../trace/args.ts';

export function nameOf(model: TraceModel, id: SliceId): string {
  return model.strings[model.slices.name[id]] ?? '';
}

export function catOf(model: TraceModel, id: SliceId): string {
  const c = model.slices.cat[id];
  return c >= 0 ? (model.strings[c] ?? '') : '';
}

export function endOf(model: TraceModel, id: SliceId): Ns {
  return model.slices.startNs[id] + model.slices.durNs[id];
}

export function trackName(model: TraceModel, t: TrackId): string {
  return model.strings[model.tracks.name[t]] ?? '';
}

export function processName(model: TraceModel, p: ProcessId): string {
  return model.strings[model.processes.name[p]] ?? '';
}

export function processLabel(model: TraceModel, p: ProcessId): string {
  const l = model.processes.label[p];
  return l >= 0 ? (model.strings[l] ?? '') : '';
}

const argCache = new WeakMap<TraceModel, Map<string, Map<number, string | number | null>>>();

function argField(model: TraceModel, id: SliceId, key: string): string | number | null {
  const a = model.slices.args[id];
  if (a < 0) return null;
  // A key the loader noted is read where its value starts: no text, nothing to cache.
  if (model.args.keyed[key] !== undefined) return argsField(model.args, a, key);
  let byKey = argCache.get(model);
  if (!byKey) argCache.set(model, (byKey = new Map()));
  let cache = byKey.get(key);
  if (!cache) byKey.set(key, (cache = new Map()));
  const hit = cache.get(a);
  if (hit !== undefined) return hit;
  const v = argsField(model.args, a, key);
  cache.set(a, v);
  return v;
}

/** A top-level string field of the slice's args (numbers are returned as text). */
export function argString(model: TraceModel, id: SliceId, key: string): string | null {
  const v = argField(model, id, key);
  return v === null ? null : String(v);
}

/** A top-level numeric field of the slice's args (numeric strings accepted). */
export function argNumber(model: TraceModel, id: SliceId, key: string): number | null {
  const v = argField(model, id, key);
  if (v === null) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Parent chain of a slice on its own track, innermost first (the slice itself excluded). */
export function* ancestorsOf(model: TraceModel, id: SliceId): Generator<SliceId> {
  let p = model.slices.parent[id];
  while (p >= 0) {
    yield p;
    p = model.slices.parent[p];
  }
}

/**
 * The deepest slice on track `t` whose [start, end] contains time `ts`, or -1.
 * Slices of a track are sorted by start, so the last one starting at or before
 * `ts` is the deepest candidate; its parent chain reaches every slice that
 * encloses `ts` (nesting is proper within a track).
 */
export function enclosingSliceAt(model: TraceModel, t: TrackId, ts: Ns): SliceId {
  let lo = model.tracks.sliceStart[t];
  let hi = model.tracks.sliceEnd[t];
  const start = model.slices.startNs;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (start[mid] <= ts) lo = mid + 1;
    else hi = mid;
  }
  let s = lo - 1;
  if (s < model.tracks.sliceStart[t]) return -1;
  // Among equal starts the longer (outer) slice comes first, so `s` is innermost.
  while (s >= 0 && endOf(model, s) < ts) s = model.slices.parent[s];
  return s;
}

/** Per-model memo: compute once per (model, key), garbage-collected with the model. */
const memo = new WeakMap<TraceModel, Map<string, unknown>>();
export function memoize<T>(model: TraceModel, key: string, compute: () => T): T {
  let m = memo.get(model);
  if (!m) memo.set(model, (m = new Map()));
  if (m.has(key)) {
    const have = m.get(key);
    if (!(have instanceof Primed)) return have as T;
    const v = have.make() as T;
    m.set(key, v);
    return v;
  }
  const v = compute();
  m.set(key, v);
  return v;
}

/** A primed result built on first use (from data already here, without the pass it stands for). */
class Primed {
  readonly make: () => unknown;
  constructor(make: () => unknown) {
    this.make = make;
  }
}

/**
 * Stores a result computed elsewhere (the trace worker) under a memo key, so
 * the next `memoize(model, key, …)` on this thread returns it without the pass.
 * A key already computed here is kept.
 */
export function primeMemo(model: TraceModel, key: string, value: unknown): void {
  let m = memo.get(model);
  if (!m) memo.set(model, (m = new Map()));
  if (!m.has(key)) m.set(key, value);
}

/** `primeMemo` with a value that `make` builds when first asked for (e.g. one entry per slice from a typed array). */
export function primeMemoLazily(model: TraceModel, key: string, make: () => unknown): void {
  primeMemo(model, key, new Primed(make));
}

/** ns → µs for reports, exact to the ns (3 decimals). */
export function usOf(ns: Ns): number {
  return Math.round(ns) / 1000;
}

/**
 * A yes/no question about a string of `model.strings` (a slice's name or category), answered once per
 * string: slices share interned names, so a pass over every slice runs `test` (regexes, scopeKey) once
 * per distinct name instead of once per slice. `key` names the question in the per-model memo.
 */
export function perString(model: TraceModel, key: string, test: (s: string) => boolean): (index: number) => boolean {
  const answers = memoize(model, `perString:${key}`, () => new Int8Array(model.strings.length)); // 0 unknown, 1 yes, 2 no
  return (index) => {
    if (!(index >= 0 && index < answers.length)) return test(model.strings[index] ?? '');
    let a = answers[index];
    if (a === 0) answers[index] = a = test(model.strings[index] ?? '') ? 1 : 2;
    return a === 1;
  };
}
