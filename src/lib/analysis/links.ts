/**
 * Host ↔ device links: which host call launched a device slice, and the host
 * scopes (ops, python functions, record_function ranges) it ran under.
 *
 * Sources, in order:
 * - flows from a host slice to a device slice: Kineto `ac2g` (and the 2021
 *   `async` category), Ascend `HostToDevice` (CANN launch → task). These give
 *   the launcher.
 * - Ascend `async_npu` flows (torch_npu op → task) give a second, better host
 *   context source but not the launch time.
 * - ids in args when no flow reached a device slice: Kineto `correlation`
 *   (HTA's sampled traces have no flows; the runtime call and its kernel share
 *   the id), msprof `connection_id` (a CANN call and its task; EVENT_WAIT tasks
 *   get no HostToDevice flow).
 *
 * The host context walks up the launcher's parents, and then across two
 * hops that traces hide: torch_npu's task queue (a `Dequeue@op` slice on a
 * worker thread is the continuation of an `Enqueue` on the op's thread, linked
 * by an `enqueue_to_dequeue` flow) and Ascend's CANN process (same thread ids
 * as the Python process, so a CANN call runs inside the Python slice enclosing
 * it on the same tid).
 */
import type { SliceId, TraceModel, TrackId } from '../trace/model.ts';
import { enclosingSliceAt, memoize, perString } from './access.ts';
import { argsNumbers } from '../trace/args.ts';
import { deviceOfTrack, isHostTrack } from './devices.ts';

export interface Links {
  /** Host slice that launched each device slice (-1: none known). */
  launcher: Int32Array;
  /** Host slice giving the best scope context (launcher, or the op via async_npu). */
  context: Int32Array;
  /** Host → host continuation (Dequeue ← Enqueue), by destination slice. */
  continuation: Map<SliceId, SliceId>;
}

const CONTEXT_ONLY_FLOW = /^async_npu$/i;
const NOT_A_CALL_FLOW = /^fwdbwd$/i; // forward op → its backward op: not a call relation

export function launchLinks(model: TraceModel): Links {
  return memoize(model, 'links', () => {
    const n = model.slices.length;
    const launcher = new Int32Array(n).fill(-1);
    const context = new Int32Array(n).fill(-1);
    // Per track once: these are asked for every slice and flow.
    const devOf = deviceOfTrack(model);
    const deviceTrack = new Uint8Array(model.tracks.length);
    const hostTrack = new Uint8Array(model.tracks.length);
    for (let t = 0; t < model.tracks.length; t++) {
      deviceTrack[t] = devOf[t] !== undefined ? 1 : 0;
      hostTrack[t] = isHostTrack(model, t) ? 1 : 0;
    }
    const onDevice = (s: SliceId) => deviceTrack[model.slices.track[s]] === 1;
    const onHost = (s: SliceId) => hostTrack[model.slices.track[s]] === 1;
    const f = model.flows;
    const contextOnly = perString(model, 'links:contextOnlyFlow', (cat) => CONTEXT_ONLY_FLOW.test(cat));
    for (let i = 0; i < f.length; i++) {
      const from = f.fromSlice[i];
      const to = f.toSlice[i];
      if (from < 0 || to < 0) continue;
      if (onHost(from) && onDevice(to)) {
        if (contextOnly(f.cat[i])) context[to] = from;
        else if (launcher[to] < 0) launcher[to] = from;
      }
    }
    // Ids in args. Kineto `correlation` is exact, so it also overrides a flow whose start bound
    // to the wrong slice (a runtime call starting in the same µs as another one). msprof
    // `connection_id` links a CANN call and its task where no HostToDevice flow was written
    // (EVENT_WAIT tasks); it only fills gaps.
    for (const key of ['correlation', 'connection_id'] as const) {
      const fillOnly = key === 'connection_id';
      // Keys the loader notes (ArgsTable.keyed), read without the args text; argNumber's per-args cache
      // is left out: this pass reads each slice's id once, and a cache of millions of entries costs more
      // (allocation, full GCs of a big heap) than the read it saves.
      const idAt = argsNumbers(model.args, key);
      const idOf = (s: SliceId): number | null => idAt(model.slices.args[s]);
      let wanted = false;
      for (let s = 0; s < n && !wanted; s++) {
        if (onDevice(s) && model.slices.args[s] >= 0 && (!fillOnly || launcher[s] < 0)) wanted = idOf(s) !== null;
      }
      if (!wanted) continue;
      const byId = new Map<number, SliceId>();
      const launchCat = perString(model, 'links:launchCat', (cat) => /^(cuda_runtime|cuda_driver|runtime)$/i.test(cat));
      for (let t = 0; t < model.tracks.length; t++) {
        if (hostTrack[t] !== 1) continue;
        for (let s = model.tracks.sliceStart[t]; s < model.tracks.sliceEnd[t]; s++) {
          if (model.slices.args[s] < 0) continue;
          if (key === 'correlation' && !launchCat(model.slices.cat[s])) continue;
          const c = idOf(s);
          if (c !== null && !byId.has(c)) byId.set(c, s);
        }
      }
      if (!byId.size) continue;
      for (let s = 0; s < n; s++) {
        if ((fillOnly && launcher[s] >= 0) || !onDevice(s) || model.slices.args[s] < 0) continue;
        const c = idOf(s);
        const h = c !== null ? byId.get(c) : undefined;
        if (h !== undefined) launcher[s] = h;
      }
    }
    for (let s = 0; s < n; s++) if (context[s] < 0) context[s] = launcher[s];
    return { launcher, context, continuation: hostContinuations(model) };
  });
}

/** Host tracks by tid, for the CANN → Python hop. */
export function hostTracksByTid(model: TraceModel): Map<string, TrackId[]> {
  return memoize(model, 'hostTracksByTid', () => {
    const m = new Map<string, TrackId[]>();
    for (let t = 0; t < model.tracks.length; t++) {
      if (!isHostTrack(model, t)) continue;
      const tid = model.tracks.tid[t];
      const list = m.get(tid);
      if (list) list.push(t);
      else m.set(tid, [t]);
    }
    return m;
  });
}

/**
 * Host → host continuations alone (a pass over the flows, no pass over the slices): what hostContext
 * needs, so the page can walk a selected slice's scopes without computing every launch link.
 */
export function hostContinuations(model: TraceModel): Map<SliceId, SliceId> {
  return memoize(model, 'hostContinuations', () => {
    const continuation = new Map<SliceId, SliceId>();
    // Per track once, as in launchLinks: asked for both ends of every flow.
    const hostTrack = new Uint8Array(model.tracks.length);
    for (let t = 0; t < model.tracks.length; t++) hostTrack[t] = isHostTrack(model, t) ? 1 : 0;
    const notACall = perString(model, 'links:notACallFlow', (cat) => NOT_A_CALL_FLOW.test(cat));
    const f = model.flows;
    for (let i = 0; i < f.length; i++) {
      const from = f.fromSlice[i];
      const to = f.toSlice[i];
      if (from < 0 || to < 0 || from === to) continue;
      if (hostTrack[model.slices.track[from]] !== 1 || hostTrack[model.slices.track[to]] !== 1) continue;
      if (notACall(f.cat[i])) continue;
      continuation.set(to, from);
    }
    return continuation;
  });
}

/** Hops hostContext crosses at most (task queue → enqueue, CANN → Python, …). */
const CONTEXT_HOPS = 4;

/**
 * Host scopes around a host slice, innermost first, starting with the slice
 * itself and crossing the task-queue and CANN hops (at most a few of them).
 *
 * This runs for every kernel's launch, and the launches of one step share
 * their outer context (a Python stack tens of frames deep): what lies beyond
 * the first hop is walked once per slice it starts from and kept (memo
 * `hostContextTails`, with one Int32Array per model to mark the first hop). A
 * tail that meets a slice of the first hop (a loop in the links) is walked again
 * with the first hop's slices in view, as it always was. Callers get their own array.
 */
export function hostContext(model: TraceModel, hostSlice: SliceId): SliceId[] {
  const out: SliceId[] = [];
  if (hostSlice < 0) return out;
  const next = contextHop(model, hostSlice, out, null);
  if (next < 0) return out;
  const tails = memoize(model, 'hostContextTails', () => ({ tails: new Map<SliceId, SliceId[]>(), mark: new Int32Array(model.slices.length), stamp: 0 }));
  let tail = tails.tails.get(next);
  if (!tail) tails.tails.set(next, (tail = walkContext(model, next, CONTEXT_HOPS - 1, new Set())));
  const stamp = ++tails.stamp;
  for (const s of out) tails.mark[s] = stamp;
  for (const s of tail) if (tails.mark[s] === stamp) return walkContext(model, hostSlice, CONTEXT_HOPS, new Set());
  for (const s of tail) out.push(s);
  return out;
}

/** hostContext's walk from `cur`, `hops` hops at most, not entering a slice in `seen`. */
function walkContext(model: TraceModel, cur: SliceId, hops: number, seen: Set<SliceId>): SliceId[] {
  const out: SliceId[] = [];
  for (let hop = 0; hop < hops && cur >= 0 && !seen.has(cur); hop++) cur = contextHop(model, cur, out, seen);
  return out;
}

/**
 * One hop: `cur` and its ancestors, innermost first, pushed to `out` (not entering a slice in `seen`, which
 * gets them), up to a slice that continues on another thread; returns where the context goes on, else -1.
 */
function contextHop(model: TraceModel, cur: SliceId, out: SliceId[], seen: Set<SliceId> | null): SliceId {
  const continuation = hostContinuations(model);
  const parent = model.slices.parent;
  // The slice and its ancestors, innermost first (walked in place: this runs for every kernel).
  for (let s = cur; s >= 0; s = parent[s]) {
    if (seen) {
      // Met before: this hop ends here, and the context may still go on from its thread's top (below).
      if (seen.has(s)) break;
      seen.add(s);
    }
    out.push(s);
    const cont = continuation.get(s);
    // The worker thread's outer scopes are its loop, not the op's context.
    if (cont !== undefined) return cont;
  }
  // CANN calls nest, by time, inside the Python slice of the same thread id.
  let top = cur;
  while (parent[top] >= 0) top = parent[top];
  const t = model.slices.track[top];
  const p = model.tracks.process[t];
  const cannProcess = perString(model, 'links:cannProcess', (name) => /^CANN$/i.test(name));
  if (cannProcess(model.processes.name[p])) {
    for (const other of hostTracksByTid(model).get(model.tracks.tid[t]) ?? []) {
      if (model.tracks.process[other] === p) continue;
      const enc = enclosingSliceAt(model, other, model.slices.startNs[top]);
      if (enc >= 0) return enc;
    }
  }
  return -1;
}
