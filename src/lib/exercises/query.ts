/**
 * Resolving a SliceQuery ("the all-reduce after o_proj in layer 3") to slice
 * ids of one model.
 *
 * Where a slice is: device work is placed where the program asked for it,
 * i.e. at its host context (the op that launched it: Kineto launch call,
 * torch_npu op via async_npu); host slices at themselves. "Program position"
 * orders slices, `after`/`before` compare program spans, and "within a scope"
 * means the scope is in the slice's host context chain (or, for device work,
 * a GPU annotation around it on its stream).
 *
 * Contexts: indices count inside an enclosing context, so `within: { scope:
 * 'DecoderLayer', index: 2 }` is the third layer of each profiler step (or of
 * step `step` only); slices outside every step form one more context. Nested
 * `within` levels index inside each instance of the level above. `after` and
 * `before` anchors are looked up inside the same context as the target.
 */
import { ancestorsOf, endOf } from '../analysis/access.ts';
import { scopeKey } from '../analysis/detectors/semantic.ts';
import { deviceOfTrack, isHostTrack } from '../analysis/devices.ts';
import { blocksPerSm } from '../analysis/occupancy.ts';
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import type { Analysis } from './analysis.ts';
import type { AnchorRef, ScopeRef, SliceQuery } from './schema.ts';
import { argsField, argsText } from '../trace/args.ts';
import { compilePattern } from './validator.ts';

const WORK = new Set(['computation', 'communication', 'memory']);

type What = Pick<SliceQuery, 'detector' | 'name' | 'scope' | 'on' | 'device' | 'track' | 'blocksPerSm' | 'args'>;

interface Ctx {
  /** Instance of the innermost `within` scope, or -1. */
  scope: SliceId;
  /** Step range, or null (whole trace / outside steps). */
  step: { startNs: Ns; endNs: Ns } | null;
  /** Slices inside no step (only when the trace has steps and no step was asked for). */
  outside: Array<{ startNs: Ns; endNs: Ns }> | null;
}

/** Per-(model, analysis) caches; resolution is called on every check and "Show me". */
export class Resolver {
  readonly model: TraceModel;
  readonly a: Analysis;
  private readonly chains = new Map<SliceId, Set<SliceId>>();
  private readonly patterns = new Map<string, Int8Array>();
  private readonly devOf: Array<string | undefined>;
  private readonly under = new Map<SliceId, SliceId[]>();

  constructor(model: TraceModel, a: Analysis) {
    this.model = model;
    this.a = a;
    this.devOf = deviceOfTrack(model);
  }

  isHost(s: SliceId): boolean {
    return isHostTrack(this.model, this.model.slices.track[s]);
  }

  deviceOf(s: SliceId): string | undefined {
    return this.devOf[this.model.slices.track[s]];
  }

  /** Per track, 1 for a host track (isHost, asked for every slice a query orders). */
  private hostTracks: Uint8Array | null = null;
  private context: Int32Array | null = null;

  /** The slice whose span is `s`'s program span: the host op that placed it (itself for host slices). */
  private placer(s: SliceId): SliceId {
    const m = this.model;
    if (!this.hostTracks) {
      this.hostTracks = new Uint8Array(m.tracks.length);
      for (let t = 0; t < m.tracks.length; t++) this.hostTracks[t] = isHostTrack(m, t) ? 1 : 0;
    }
    if (this.hostTracks[m.slices.track[s]] === 1) return s;
    const c = (this.context ??= this.a.links(m).context)[s];
    return c >= 0 ? c : s;
  }

  /** Start of `s`'s program span (`programSpan(s)[0]`, without the tuple): what queries order and bin by. */
  programStart(s: SliceId): Ns {
    return this.model.slices.startNs[this.placer(s)];
  }

  /** [start, end] of the host op that placed `s` (itself for host slices). */
  programSpan(s: SliceId): [Ns, Ns] {
    const at = this.placer(s);
    return [this.model.slices.startNs[at], endOf(this.model, at)];
  }

  /** Scopes around `s` (not `s` itself): its host context chain, and device annotations around device work. */
  chain(s: SliceId): Set<SliceId> {
    let c = this.chains.get(s);
    if (!c) {
      const m = this.model;
      if (this.isHost(s)) c = new Set(this.a.hostContext(m, s).slice(1));
      else {
        const ctx = this.a.links(m).context[s];
        c = new Set(ctx >= 0 ? this.a.hostContext(m, ctx) : []);
        for (const x of ancestorsOf(m, s)) c.add(x);
      }
      this.chains.set(s, c);
    }
    return c;
  }

  /** Per string index: 1 when the pattern matches, 0 when not, -1 not tested yet. */
  private matcher(pattern: string, asScope: boolean): (s: SliceId) => boolean {
    const key = `${asScope ? 's' : 'n'}:${pattern}`;
    let memo = this.patterns.get(key);
    if (!memo) this.patterns.set(key, (memo = new Int8Array(this.model.strings.length).fill(-1)));
    const test = compilePattern(pattern);
    if (typeof test === 'string') throw new Error(`bad pattern ${pattern}: ${test}`);
    const m = this.model;
    const cache = memo;
    return (s) => {
      const i = m.slices.name[s];
      if (cache[i] < 0) {
        const n = m.strings[i] ?? '';
        cache[i] = test(n) || (asScope && test(scopeKey(n))) ? 1 : 0;
      }
      return cache[i] === 1;
    };
  }

  /** Slices on a track whose name (or whose process's name) matches. */
  private trackMatcher(pattern: string): (s: SliceId) => boolean {
    const test = compilePattern(pattern);
    if (typeof test === 'string') throw new Error(`bad pattern ${pattern}: ${test}`);
    const m = this.model;
    const ok = new Uint8Array(m.tracks.length);
    for (let t = 0; t < m.tracks.length; t++) {
      const p = m.tracks.process[t];
      ok[t] = test(m.strings[m.tracks.name[t]] ?? '') || test(m.strings[m.processes.name[p]] ?? '') ? 1 : 0;
    }
    return (s) => ok[m.slices.track[s]] === 1;
  }

  /** Slices whose arg `key` matches: a string arg as the details panel shows it (escapes decoded), any other value as JSON. */
  private argMatcher(key: string, pattern: string): (s: SliceId) => boolean {
    const test = compilePattern(pattern);
    if (typeof test === 'string') throw new Error(`bad pattern ${pattern}: ${test}`);
    const m = this.model;
    return (s) => {
      const value = argValueText(m, m.slices.args[s], key);
      return value !== null && test(value);
    };
  }

  byProgram = (x: SliceId, y: SliceId): number => {
    const a = this.programStart(x);
    const b = this.programStart(y);
    const st = this.model.slices.startNs;
    return a - b || st[x] - st[y] || x - y;
  };

  /** Slices that are what `w` describes, each once (a detector lists a slice once), in program order. */
  what(w: What): SliceId[] {
    const m = this.model;
    let ids: SliceId[] | null = null;
    if (w.detector) ids = this.a.detectors(m)[w.detector].slices.slice();
    const tests: Array<(s: SliceId) => boolean> = [];
    if (w.name !== undefined) tests.push(this.matcher(w.name, false));
    if (w.scope !== undefined) tests.push(this.matcher(w.scope, true));
    if (w.on === 'host') tests.push((s) => this.isHost(s));
    if (w.on === 'device') tests.push((s) => this.deviceOf(s) !== undefined);
    if (w.device !== undefined) tests.push((s) => this.deviceOf(s) === w.device);
    if (w.track !== undefined) tests.push(this.trackMatcher(w.track));
    if (w.blocksPerSm !== undefined) {
      const { below, atLeast } = w.blocksPerSm;
      tests.push((s) => {
        const v = blocksPerSm(m, s);
        return v !== null && (below === undefined || v < below) && (atLeast === undefined || v >= atLeast);
      });
    }
    // Last: reading args is the slowest test, so it runs only on slices that passed the others.
    for (const [key, pattern] of Object.entries(w.args ?? {})) tests.push(this.argMatcher(key, pattern));
    const keep = (s: SliceId) => tests.every((t) => t(s));
    if (ids) ids = ids.filter(keep);
    else {
      ids = [];
      for (let s = 0; s < m.slices.length; s++) if (keep(s)) ids.push(s);
    }
    return ids.sort(this.byProgram);
  }

  /** scopeInstances by scope pattern: one pass over the slices per scope, however many queries name it. */
  private readonly instances = new Map<string, SliceId[]>();

  /** Host instances of a scope (GPU annotations only when the host has none), outermost of nested repeats; not to be changed. */
  scopeInstances(ref: ScopeRef): SliceId[] {
    let found = this.instances.get(ref.scope);
    if (!found) this.instances.set(ref.scope, (found = this.findScopeInstances(ref.scope)));
    return found;
  }

  private findScopeInstances(scope: string): SliceId[] {
    const all = this.what({ scope });
    const host = all.filter((s) => this.isHost(s));
    const pool = host.length ? host : all;
    const set = new Set(pool);
    return pool.filter((s) => {
      for (const c of this.chain(s)) if (set.has(c)) return false;
      return true;
    });
  }

  /**
   * The members of `ctx` in `list`, which is in program order (as `what` returns it). A step's members
   * are one run of the list (their program start is in the step), found by binary search: a trace of
   * hundreds of steps would otherwise test every slice once per step.
   */
  inCtx(list: SliceId[], ctx: Ctx): SliceId[] {
    if (ctx.scope < 0 && ctx.step && !ctx.outside) return list.slice(this.firstFrom(list, ctx.step.startNs), this.firstFrom(list, ctx.step.endNs));
    return list.filter((s) => this.member(s, ctx));
  }

  /** Index of the first slice of `list` (in program order) whose program start is at or after `t`. */
  private firstFrom(list: SliceId[], t: Ns): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.programStart(list[mid]) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  member(s: SliceId, ctx: Ctx): boolean {
    if (ctx.scope >= 0 && !this.chain(s).has(ctx.scope)) return false;
    const at = this.programStart(s);
    if (ctx.step && !(at >= ctx.step.startNs && at < ctx.step.endNs)) return false;
    if (ctx.outside && ctx.outside.some((r) => at >= r.startNs && at < r.endNs)) return false;
    return true;
  }

  rootContexts(step: number | undefined): Ctx[] {
    const steps = this.a.steps(this.model);
    if (step !== undefined) {
      const st = steps[step];
      return st ? [{ scope: -1, step: { startNs: st.startNs, endNs: st.endNs }, outside: null }] : [];
    }
    if (!steps.length) return [{ scope: -1, step: null, outside: null }];
    const ranges = steps.map((s) => ({ startNs: s.startNs, endNs: s.endNs }));
    return [...ranges.map((r) => ({ scope: -1, step: r, outside: null })), { scope: -1, step: null, outside: ranges }];
  }

  contexts(q: Pick<SliceQuery, 'step' | 'within'>): Ctx[] {
    let ctxs = this.rootContexts(q.step);
    const levels = q.within === undefined ? [] : Array.isArray(q.within) ? q.within : [q.within];
    for (const ref of levels) {
      const inst = this.scopeInstances(ref);
      const next: Ctx[] = [];
      for (const ctx of ctxs) {
        const inside = this.inCtx(inst, ctx);
        const chosen = ref.index === undefined ? inside : pick(inside, ref.index);
        for (const s of chosen) next.push({ scope: s, step: ctx.step, outside: ctx.outside });
      }
      ctxs = next;
    }
    return ctxs;
  }

  /** Instances of a scope inside each context of `q` (index counted per context), in program order. */
  scopesIn(ref: ScopeRef, q: Pick<SliceQuery, 'step' | 'within'>): SliceId[] {
    const inst = this.scopeInstances(ref);
    const out = new Set<SliceId>();
    for (const ctx of this.contexts(q)) {
      const inside = this.inCtx(inst, ctx);
      for (const s of ref.index === undefined ? inside : pick(inside, ref.index)) out.add(s);
    }
    return [...out].sort(this.byProgram);
  }

  /** Device work launched by host slice `h` or run under it (its context chain includes `h`); for a GPU annotation, the work nested in it. */
  workUnder(h: SliceId): SliceId[] {
    let work = this.under.get(h);
    if (work) return work;
    const m = this.model;
    const kinds = this.a.sliceKinds(m);
    const links = this.a.links(m);
    const s0 = m.slices.startNs[h];
    const s1 = endOf(m, h);
    work = [];
    if (!this.isHost(h)) {
      // A GPU annotation: the work nested under it on its stream.
      const t = m.slices.track[h];
      for (let k = h + 1; k < m.tracks.sliceEnd[t] && m.slices.startNs[k] <= s1; k++) {
        if (WORK.has(kinds[k] ?? '') && this.chain(k).has(h)) work.push(k);
      }
      this.under.set(h, work);
      return work;
    }
    for (let k = 0; k < m.slices.length; k++) {
      if (!WORK.has(kinds[k] ?? '')) continue;
      if (links.launcher[k] === h) {
        work.push(k);
        continue;
      }
      const c = links.context[k];
      if (c < 0) continue;
      const cs = m.slices.startNs[c];
      if (cs >= s0 && cs <= s1 && (c === h || this.chain(k).has(h))) work.push(k);
    }
    this.under.set(h, work);
    return work;
  }

  anchor(ref: AnchorRef, ctx: Ctx): SliceId | null {
    const inCtx = this.inCtx(this.what(ref), ctx);
    return pick(inCtx, ref.index ?? 0)[0] ?? null;
  }

  /** Results of `resolve` by query: the checker resolves the same target for every answer it checks (re-targeting checks dozens). */
  private readonly resolved = new Map<string, SliceId[]>();

  resolve(q: SliceQuery): SliceId[] {
    const key = JSON.stringify(q);
    let ids = this.resolved.get(key);
    if (!ids) this.resolved.set(key, (ids = this.resolveOnce(q)));
    return ids.slice();
  }

  private resolveOnce(q: SliceQuery): SliceId[] {
    const base = this.what(q);
    if (!base.length) return [];
    // Every slice is in one step or outside all of them: asked for no step, scope, anchor or index, the
    // contexts' union is `base` itself (each slice once, in program order), without testing each slice against
    // every step (20 ms for the event waits of a 100 MB Ascend trace of 70 steps).
    if (q.step === undefined && q.within === undefined && q.nth === undefined && !q.after && !q.before) return base;
    const out = new Set<SliceId>();
    const nth = q.nth ?? (q.after ? 0 : q.before ? -1 : undefined);
    for (const ctx of this.contexts(q)) {
      let c = this.inCtx(base, ctx);
      if (q.after) {
        const a = this.anchor(q.after, ctx);
        if (a === null) continue;
        const end = this.programSpan(a)[1];
        c = c.filter((s) => s !== a && this.programSpan(s)[0] >= end);
      }
      if (q.before) {
        const b = this.anchor(q.before, ctx);
        if (b === null) continue;
        const start = this.programSpan(b)[0];
        c = c.filter((s) => s !== b && this.programSpan(s)[1] <= start);
      }
      for (const s of nth === undefined ? c : pick(c, nth)) out.add(s);
    }
    return [...out].sort(this.byProgram);
  }
}

/** The index-th item (negative from the end) as a 0- or 1-element list. */
function pick<T>(list: T[], index: number): T[] {
  const i = index < 0 ? list.length + index : index;
  return i >= 0 && i < list.length ? [list[i]] : [];
}

const resolvers = new WeakMap<Analysis, WeakMap<TraceModel, Resolver>>();

export function resolverFor(model: TraceModel, a: Analysis): Resolver {
  let byModel = resolvers.get(a);
  if (!byModel) resolvers.set(a, (byModel = new WeakMap()));
  let r = byModel.get(model);
  if (!r) byModel.set(model, (r = new Resolver(model, a)));
  return r;
}

/** Slice ids matching `q`, in program order. */
export function resolveQuery(model: TraceModel, a: Analysis, q: SliceQuery): SliceId[] {
  return resolverFor(model, a).resolve(q);
}

/** The query with its "where" parts removed: "an all-reduce" for "the all-reduce after o_proj in layer 3". */
export function kindOnly(q: SliceQuery): SliceQuery {
  return { detector: q.detector, name: q.name, scope: q.scope, on: q.on, device: q.device, track: q.track, blocksPerSm: q.blocksPerSm, args: q.args };
}

export type LinkKind = 'same' | 'host-call' | 'annotation' | 'piece';

/**
 * Whether `answer` stands for `target` on another lane: the host call or op
 * that launched only the target, a GPU annotation around only the target, or
 * a piece of a collective (HCCL plane task, Notify/SDMA task) inside it.
 */
export function linkBetween(model: TraceModel, a: Analysis, answer: SliceId, target: SliceId): LinkKind | null {
  if (answer === target) return 'same';
  const r = resolverFor(model, a);
  const kinds = a.sliceKinds(model);
  if (r.isHost(answer)) return soleWork(r, answer) === target ? 'host-call' : null;
  if (r.deviceOf(answer) === undefined) return null;
  const tStart = model.slices.startNs[target];
  const tEnd = endOf(model, target);
  if (kinds[answer] === 'annotation') {
    let around = false;
    for (const x of ancestorsOf(model, target)) if (x === answer) around = true;
    if (!around) return null;
    const t = model.slices.track[answer];
    for (let k = model.tracks.sliceStart[t]; k < model.tracks.sliceEnd[t]; k++) {
      if (k === target || !WORK.has(kinds[k] ?? '')) continue;
      for (const x of ancestorsOf(model, k)) if (x === answer) return null;
    }
    return 'annotation';
  }
  if (kinds[answer] === 'comm-task' && kinds[target] === 'communication' && r.deviceOf(answer) === r.deviceOf(target)) {
    const s = model.slices.startNs[answer];
    if (s >= tStart && endOf(model, answer) <= tEnd) return 'piece';
  }
  return null;
}

/** The one slice all the device work of host slice `h` is (a host call stands for it), else -1. */
function soleWork(r: Resolver, h: SliceId): SliceId {
  const work = r.workUnder(h);
  return work.length > 0 && work.every((k) => k === work[0]) ? work[0] : -1;
}

/**
 * The first of `targets` (in their order) that `answer` stands for, as
 * `linkBetween` says, else null. The answer's side is asked once: a host call
 * stands only for `answer` itself or the one slice all its work is, a device
 * slice other than an annotation or a collective's piece only for itself; the
 * others are compared target by target. (A find exercise checks a wrong answer
 * against every match: ~16 k Notify Waits in 100 MB of torch_npu.)
 */
export function linkedTarget(model: TraceModel, a: Analysis, answer: SliceId, targets: readonly SliceId[]): SliceId | null {
  const r = resolverFor(model, a);
  const kind = a.sliceKinds(model)[answer];
  let only = answer;
  if (r.isHost(answer)) only = soleWork(r, answer);
  else if (r.deviceOf(answer) !== undefined && (kind === 'annotation' || kind === 'comm-task')) {
    for (const x of targets) if (linkBetween(model, a, answer, x)) return x;
    return null;
  }
  for (const x of targets) if (x === answer || x === only) return x;
  return null;
}

/** Arg `key` of args `index` as text: a string decoded from its JSON escapes, an array or object as JSON; null when absent. */
export function argValueText(model: TraceModel, index: number, key: string): string | null {
  const raw = argsField(model.args, index, key);
  if (typeof raw === 'string') {
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }
  if (typeof raw === 'number') return String(raw);
  if (index < 0) return null;
  // Not a top-level scalar: Kineto writes "Input Dims" as nested arrays.
  try {
    const obj = JSON.parse(argsText(model.args, index)) as Record<string, unknown>;
    return key in obj ? JSON.stringify(obj[key]) : null;
  } catch {
    return null;
  }
}
