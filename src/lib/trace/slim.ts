/**
 * Slimming a Chrome trace-event JSON (PyTorch/Kineto first of all) for lessons and bug reports:
 * crop it to a time window, chosen as a range of `ProfilerStep#N` or in µs, drop bulky fields
 * the lessons do not read, and keep what a viewer needs: every `M` metadata event, the top-level
 * fields (`deviceProperties`, `distributedInfo`, ...) and flows that still pair up.
 *
 * Input is the already parsed JSON (the CLI does `JSON.parse` of the whole file). That is fine for
 * the traces this is meant for, up to a few hundred MB of JSON: V8 strings stop near 512 MB and
 * the parsed objects take several times the file's size. Larger files need a streaming pass.
 * Timestamps are compared as JS numbers (what `JSON.parse` gives; string timestamps go through
 * `Number`), relative to the window's start and with 0.1 ns of slack at its edges; on an
 * Ascend-sized clock (≥ 2^50 µs) an event within ~0.25 µs of an edge may land on either side.
 * Nothing is rewritten: a kept event is the same value as in the input.
 *
 * The window rule, one per kind of event, so a test can count the result independently:
 * - `X` (and a `B`/`E` pair, matched in file order per thread, taken as one span): kept when the
 *   whole span is inside [fromUs, toUs]. A span crossing an edge is dropped, not clipped (its
 *   duration stays true). Unmatched `B`/`E` are dropped.
 * - instants, counters, marks and other events with a `ts`: kept when fromUs ≤ ts ≤ toUs.
 * - async `b`/`n`/`e` (and legacy `S`/`T`/`p`/`F`): kept per (cat, id) group, all or nothing.
 * - flows `s`/`t`/`f`: kept when inside the window and the slice they bind to in the input is kept
 *   (trace-event rules: `s`, `t` and `f` with `bp:"e"` bind to the deepest slice enclosing them,
 *   `f` without `bp` to the next slice on its thread), and then only when their (cat, id) group
 *   keeps at least one start and one end: no half arrows, also none already unpaired in the input.
 * - `M` metadata and events without a `ts`: always kept.
 * Device work launched inside the window but running after its end is cut by this rule; widen
 * the end with `endPadUs` to keep it (events of the host that fit in the pad are kept too).
 */

export type DropField = 'stack' | 'memory' | 'shapes' | `args:${string}`;

export interface SlimOptions {
  /** Crop to the host span of ProfilerStep#first .. ProfilerStep#last (inclusive). */
  steps?: { first: number; last: number };
  /** Crop to [fromUs, toUs] in the trace's own absolute µs. Not together with `steps`. */
  windowUs?: { fromUs: number; toUs: number };
  /** Extra µs after the window's end (for device work that lags the host). */
  endPadUs?: number;
  drop?: readonly DropField[];
}

export interface SlimStats {
  sourceEvents: number;
  keptEvents: number;
  keptByPhase: Record<string, number>;
  /** Dropped because outside the window (or crossing its edge). */
  droppedOutsideWindow: number;
  /** Dropped whole events by `drop` (python_function slices, memory instants). */
  droppedByField: number;
  /** Flow events dropped as unbound or unpaired (after the crop). */
  droppedFlowEvents: number;
  /** `B` without `E` or `E` without `B` in the input. */
  droppedUnmatched: number;
  /** Events whose args lost keys by `drop`. */
  eventsWithArgsTrimmed: number;
  windowUs: { fromUs: number; toUs: number } | null;
}

export interface SlimResult {
  /** Same shape as the input: an object with `traceEvents` (plus a `tracewiseSlim` note) or a bare array. */
  trace: Record<string, unknown> | unknown[];
  stats: SlimStats;
}

/** A request that cannot be met (no such step, empty window, not a trace); the message is for people. */
export class SlimError extends Error {}

type Ev = Record<string, unknown>;

const STEP_NAME = /^ProfilerStep#(\d+)$/;
/** Kineto's `record_shapes` args. */
const SHAPE_ARGS = ['Input Dims', 'Input type', 'Input Strides', 'Concrete Inputs'];
/** `with_stack` args of older PyTorch (newer ones write python_function slices instead). */
const STACK_ARGS = ['Call stack'];
const ASYNC_PH = new Set(['b', 'n', 'e', 'S', 'T', 'p', 'F']);
/** Tolerance at the window's edges: 2 ns. Times are doubles of absolute µs: near 5.3e12 µs (a host
 *  up for two months) one ulp is ~1 ns, so `ts + dur` of the last step can land a fraction of a ns
 *  past the window end computed from the same numbers; 2 ns covers that rounding and is still
 *  under the gap between two real events. */
const EDGE_US = 2e-3;

export const DROP_FIELD_HELP =
  'stack (python_function slices, "Call stack" args), memory ([memory] instants), shapes (Input Dims/type/Strides, Concrete Inputs), args:NAME';

/** "stack,memory,args:External id" → fields; throws SlimError on an unknown name. */
export function parseDropFields(text: string): DropField[] {
  const out: DropField[] = [];
  for (const raw of text.split(',')) {
    const f = raw.trim();
    if (f === '') continue;
    if (f === 'stack' || f === 'memory' || f === 'shapes') out.push(f);
    else if (f.startsWith('args:') && f.length > 5) out.push(f as `args:${string}`);
    else throw new SlimError(`unknown field '${f}' (known: ${DROP_FIELD_HELP})`);
  }
  return out;
}

/** The event list of a parsed trace (object with traceEvents, or a bare array); throws SlimError otherwise. */
export function traceEventsOf(input: unknown): unknown[] {
  if (Array.isArray(input)) return input;
  if (input !== null && typeof input === 'object' && Array.isArray((input as Ev).traceEvents)) return (input as Ev).traceEvents as unknown[];
  throw new SlimError('not a trace-event file (expected a JSON array or an object with a traceEvents array)');
}

function isEv(e: unknown): e is Ev {
  return e !== null && typeof e === 'object' && !Array.isArray(e);
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/** Earliest `ts` of any non-metadata event (µs), or NaN when there is none. */
export function traceStartUs(input: unknown): number {
  let min = Infinity;
  for (const e of traceEventsOf(input)) {
    if (!isEv(e) || e.ph === 'M') continue;
    const t = num(e.ts);
    if (t < min) min = t;
  }
  return min === Infinity ? NaN : min;
}

/** Step numbers present in the trace (host `ProfilerStep#N` slices), ascending. */
export function profilerSteps(input: unknown): number[] {
  const seen = new Set<number>();
  for (const e of traceEventsOf(input)) {
    if (!isEv(e) || e.ph !== 'X' || e.cat === 'gpu_user_annotation' || typeof e.name !== 'string') continue;
    const m = STEP_NAME.exec(e.name);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

/** [fromUs, toUs] covering the host spans of ProfilerStep#first..#last; every step in the range must exist. */
export function stepWindowUs(input: unknown, first: number, last: number): { fromUs: number; toUs: number } {
  if (!(Number.isInteger(first) && Number.isInteger(last)) || first > last) throw new SlimError(`bad step range ${first}-${last}`);
  let fromUs = Infinity;
  let toUs = -Infinity;
  const found = new Set<number>();
  for (const e of traceEventsOf(input)) {
    if (!isEv(e) || e.ph !== 'X' || e.cat === 'gpu_user_annotation' || typeof e.name !== 'string') continue;
    const m = STEP_NAME.exec(e.name);
    if (!m) continue;
    const n = Number(m[1]);
    if (n < first || n > last) continue;
    const ts = num(e.ts);
    const end = ts + (num(e.dur) || 0);
    if (!Number.isFinite(ts)) continue;
    found.add(n);
    fromUs = Math.min(fromUs, ts);
    toUs = Math.max(toUs, end);
  }
  for (let n = first; n <= last; n++) {
    if (!found.has(n)) {
      const have = profilerSteps(input);
      const list = have.length === 0 ? 'it has no ProfilerStep#N slices' : `it has ${have.map((s) => `#${s}`).join(', ')}`;
      throw new SlimError(`no ProfilerStep#${n} in the trace (${list})`);
    }
  }
  return { fromUs, toUs };
}

function trackKey(e: Ev): string {
  return `${String(e.pid)}\u0000${String(e.tid)}`;
}

/** The spans (X, B/E pairs) of one thread in the source, sorted by start (longer first), with
 *  whether each was kept and its enclosing span, to bind flows as the loader does. */
interface TrackSpans {
  starts: number[];
  ends: number[];
  kept: boolean[];
  parent: Int32Array;
}

function lastAtOrBefore(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function trackSpans(list: { s: number; e: number; kept: boolean }[]): TrackSpans {
  list.sort((a, b) => a.s - b.s || b.e - a.e);
  const parent = new Int32Array(list.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < list.length; i++) {
    while (stack.length > 0 && list[stack[stack.length - 1]].e <= list[i].s) stack.pop();
    if (stack.length > 0) parent[i] = stack[stack.length - 1];
    stack.push(i);
  }
  return { starts: list.map((x) => x.s), ends: list.map((x) => x.e), kept: list.map((x) => x.kept), parent };
}

/** Is the deepest span enclosing t (start ≤ t < end, or zero-length at t) kept? A flow whose own slice
 *  was dropped is dropped too, even when an outer slice survived: it would bind elsewhere. */
function enclosingKept(sp: TrackSpans | undefined, t: number): boolean {
  if (!sp) return false;
  let k = lastAtOrBefore(sp.starts, t);
  while (k >= 0) {
    if (t < sp.ends[k] || t === sp.starts[k]) return sp.kept[k];
    k = sp.parent[k];
  }
  return false;
}

/** Is the first span starting at or after t (the longest among equal starts) kept? */
function nextKept(sp: TrackSpans | undefined, t: number): boolean {
  if (!sp) return false;
  let k = lastAtOrBefore(sp.starts, t) + 1;
  while (k > 0 && sp.starts[k - 1] === t) k--;
  return k < sp.starts.length && sp.kept[k];
}

export function slimTrace(input: unknown, opts: SlimOptions = {}): SlimResult {
  const events = traceEventsOf(input);
  if (opts.steps && opts.windowUs) throw new SlimError('give a step range or a time window, not both');
  let window: { fromUs: number; toUs: number } | null = null;
  if (opts.steps) window = stepWindowUs(input, opts.steps.first, opts.steps.last);
  else if (opts.windowUs) window = { ...opts.windowUs };
  if (window && opts.endPadUs) window.toUs += opts.endPadUs;
  if (window && !(window.fromUs <= window.toUs)) throw new SlimError(`empty time window ${window.fromUs}-${window.toUs} µs`);

  const drop = new Set(opts.drop ?? []);
  const dropArgs: string[] = [];
  if (drop.has('shapes')) dropArgs.push(...SHAPE_ARGS);
  if (drop.has('stack')) dropArgs.push(...STACK_ARGS);
  for (const f of drop) if (f.startsWith('args:')) dropArgs.push(f.slice(5));

  // Compared relative to the window's start: that subtraction is exact for nearby clocks, so a child
  // ending exactly where its step ends is not pushed out by a rounding of ts + dur at 2^42 µs.
  const base = window ? window.fromUs : 0;
  const spanUs = window ? window.toUs - window.fromUs : 0;
  const insideRel = (r: number): boolean => !window || (r >= -EDGE_US && r <= spanUs + EDGE_US);
  const inside = (t: number): boolean => insideRel(t - base);

  const n = events.length;
  // 0 undecided, 1 keep, 2 out of window, 3 dropped by field, 4 flow dropped, 5 unmatched B/E
  const state = new Uint8Array(n);

  // Pass 1: whole-event field drops, then B/E pairing per thread.
  const beStacks = new Map<string, number[]>();
  const beEnd = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (!isEv(e)) continue;
    if (drop.has('stack') && e.cat === 'python_function') state[i] = 3;
    else if (drop.has('memory') && e.name === '[memory]' && (e.ph === 'i' || e.ph === 'I')) state[i] = 3;
    if (e.ph === 'B' || e.ph === 'E') {
      const key = trackKey(e);
      let st = beStacks.get(key);
      if (!st) beStacks.set(key, (st = []));
      if (e.ph === 'B') st.push(i);
      else if (st.length > 0) beEnd[st.pop()!] = i;
    }
  }

  for (let i = 0; i < n; i++) if (state[i] === 3 && beEnd[i] >= 0) state[beEnd[i]] = 3;

  // Pass 2: slices and plain events against the window.
  const asyncGroups = new Map<string, number[]>();
  const flows: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (!isEv(e)) {
      state[i] = 1; // not an event object: left as it was
      continue;
    }
    if (state[i] !== 0) continue;
    const ph = e.ph;
    if (ph === 'M') state[i] = 1;
    else if (ph === 'X') {
      const r = num(e.ts) - base;
      state[i] = insideRel(r) && insideRel(r + (num(e.dur) || 0)) ? 1 : 2;
    } else if (ph === 'B') {
      const j = beEnd[i];
      if (j < 0) state[i] = 5;
      else state[i] = state[j] = inside(num(e.ts)) && inside(num((events[j] as Ev).ts)) ? 1 : 2;
    } else if (ph === 'E') {
      state[i] = 5; // an E its B did not decide already is unmatched
    } else if (ph === 's' || ph === 't' || ph === 'f') flows.push(i);
    else if (typeof ph === 'string' && ASYNC_PH.has(ph)) {
      const key = `${String(e.cat)}\u0000${String(e.id ?? (e.id2 as Ev | undefined)?.global ?? (e.id2 as Ev | undefined)?.local)}`;
      let g = asyncGroups.get(key);
      if (!g) asyncGroups.set(key, (g = []));
      g.push(i);
    } else {
      const ts = num(e.ts);
      state[i] = e.ts === undefined || Number.isNaN(ts) || inside(ts) ? 1 : 2;
    }
  }
  for (const g of asyncGroups.values()) {
    const ok = g.every((i) => inside(num((events[i] as Ev).ts)));
    for (const i of g) state[i] = ok ? 1 : 2;
  }

  // Pass 3: flows bind to kept slices (X and B/E spans) of their thread.
  const spansByTrack = new Map<string, { s: number; e: number; kept: boolean }[]>();
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (!isEv(e) || (e.ph !== 'X' && e.ph !== 'B')) continue;
    if (e.ph === 'B' && beEnd[i] < 0) continue;
    const ts = num(e.ts);
    const end = e.ph === 'X' ? ts + (num(e.dur) || 0) : num((events[beEnd[i]] as Ev).ts);
    const key = trackKey(e);
    let list = spansByTrack.get(key);
    if (!list) spansByTrack.set(key, (list = []));
    list.push({ s: ts, e: end, kept: state[i] === 1 });
  }
  const tracks = new Map<string, TrackSpans>();
  for (const [key, list] of spansByTrack) tracks.set(key, trackSpans(list));
  const flowGroups = new Map<string, { starts: number[]; ends: number[] }>();
  let droppedFlowEvents = 0;
  for (const i of flows) {
    const e = events[i] as Ev;
    const t = num(e.ts);
    if (!inside(t)) {
      state[i] = 2;
      continue;
    }
    const sp = tracks.get(trackKey(e));
    const bound = e.ph === 'f' && e.bp !== 'e' ? nextKept(sp, t) : enclosingKept(sp, t);
    if (!bound) {
      state[i] = 4;
      droppedFlowEvents++;
      continue;
    }
    const key = `${String(e.cat)}\u0000${String(e.id ?? (e.id2 as Ev | undefined)?.global ?? (e.id2 as Ev | undefined)?.local)}`;
    let g = flowGroups.get(key);
    if (!g) flowGroups.set(key, (g = { starts: [], ends: [] }));
    (e.ph === 's' ? g.starts : g.ends).push(i);
  }
  for (const g of flowGroups.values()) {
    const ok = g.starts.length > 0 && g.ends.length > 0;
    for (const i of [...g.starts, ...g.ends]) {
      state[i] = ok ? 1 : 4;
      if (!ok) droppedFlowEvents++;
    }
  }

  // Output: kept events in source order, args trimmed on copies.
  const kept: unknown[] = [];
  const keptByPhase: Record<string, number> = {};
  let droppedOutsideWindow = 0;
  let droppedByField = 0;
  let droppedUnmatched = 0;
  let eventsWithArgsTrimmed = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (state[i] === 2) droppedOutsideWindow++;
    else if (state[i] === 3) droppedByField++;
    else if (state[i] === 5) droppedUnmatched++;
    if (state[i] !== 1) continue;
    let out = e;
    if (isEv(e) && dropArgs.length > 0 && isEv(e.args) && dropArgs.some((k) => Object.hasOwn(e.args as Ev, k))) {
      const args: Ev = { ...(e.args as Ev) };
      for (const k of dropArgs) delete args[k];
      const copy: Ev = { ...e };
      if (Object.keys(args).length > 0) copy.args = args;
      else delete copy.args;
      out = copy;
      eventsWithArgsTrimmed++;
    }
    const ph = isEv(out) && typeof out.ph === 'string' ? out.ph : '?';
    keptByPhase[ph] = (keptByPhase[ph] ?? 0) + 1;
    kept.push(out);
  }

  const stats: SlimStats = {
    sourceEvents: n,
    keptEvents: kept.length,
    keptByPhase,
    droppedOutsideWindow,
    droppedByField,
    droppedFlowEvents,
    droppedUnmatched,
    eventsWithArgsTrimmed,
    windowUs: window,
  };
  if (Array.isArray(input)) return { trace: kept, stats };
  const trace: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input as Ev)) trace[k] = k === 'traceEvents' ? kept : v;
  trace.tracewiseSlim = {
    tool: 'tracewise slim',
    steps: opts.steps ? `${opts.steps.first}-${opts.steps.last}` : null,
    windowUs: window ? [window.fromUs, window.toUs] : null,
    dropped: [...drop],
    sourceEvents: n,
    keptEvents: kept.length,
  };
  return { trace, stats };
}
