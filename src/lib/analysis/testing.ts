/**
 * Test helper: builds a TraceModel from a compact description, with the
 * loader's invariants (slices sorted by track, start, longer first; depth and
 * parent from nesting; per-track slice ranges; flows bound to slices), so the
 * analysis can be tested on tiny handmade models without the loader.
 *
 * Slices are written as `[name, startNs, durNs, options?]`; options may give a
 * `cat`, `args` and a `key` that flows refer to.
 */
import type {
  ProcessKind,
  TrackKind,
  TraceFormat,
  TraceModel,
  Ns,
} from '../trace/model.ts';
import { argsTableOf } from '../trace/args.ts';
import { flowIdsOf } from '../trace/flows.ts';

export interface SliceOptions {
  cat?: string;
  args?: Record<string, unknown>;
  /** Name for flows to refer to. */
  key?: string;
}
export type SliceSpec = [name: string, startNs: Ns, durNs: Ns, opts?: SliceOptions];

export interface TrackSpec {
  tid: string;
  name?: string;
  kind?: TrackKind;
  slices: SliceSpec[];
}

export interface ProcessSpec {
  pid: string;
  name?: string;
  label?: string;
  kind: ProcessKind;
  device?: number;
  tracks: TrackSpec[];
}

export interface FlowSpec {
  from: string;
  to: string;
  cat?: string;
  id?: string;
}

export interface ModelSpec {
  format?: TraceFormat;
  processes: ProcessSpec[];
  flows?: FlowSpec[];
  metadata?: Record<string, unknown>;
}

const trackKindOf: Record<ProcessKind, TrackKind> = {
  host: 'thread',
  gpu: 'gpu-stream',
  npu: 'npu-stream',
  comm: 'comm',
  overlap: 'overlap',
  counters: 'counter',
  other: 'other',
};

export function buildModel(spec: ModelSpec): TraceModel {
  const strings: string[] = [];
  const interned = new Map<string, number>();
  const intern = (s: string): number => {
    let i = interned.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      interned.set(s, i);
    }
    return i;
  };
  const args: string[] = [];

  const P = spec.processes;
  const processes = {
    length: P.length,
    pid: P.map((p) => p.pid),
    name: P.map((p) => intern(p.name ?? `process ${p.pid}`)),
    label: P.map((p) => (p.label !== undefined ? intern(p.label) : -1)),
    sortIndex: Float64Array.from(P.map((_, i) => i)),
    kind: P.map((p) => p.kind),
    device: Int32Array.from(P.map((p) => p.device ?? -1)),
  };

  const trackProcess: number[] = [];
  const trackTid: string[] = [];
  const trackName: number[] = [];
  const trackKind: TrackKind[] = [];
  const sliceStart: number[] = [];
  const sliceEnd: number[] = [];
  const maxDepth: number[] = [];

  const sTrack: number[] = [];
  const sStart: number[] = [];
  const sDur: number[] = [];
  const sDepth: number[] = [];
  const sName: number[] = [];
  const sCat: number[] = [];
  const sArgs: number[] = [];
  const sParent: number[] = [];
  const keyToSlice = new Map<string, number>();

  P.forEach((p, pi) => {
    for (const t of p.tracks) {
      const ti = trackProcess.length;
      trackProcess.push(pi);
      trackTid.push(t.tid);
      trackName.push(intern(t.name ?? `thread ${t.tid}`));
      trackKind.push(t.kind ?? trackKindOf[p.kind]);
      const sorted = t.slices.slice().sort((a, b) => a[1] - b[1] || b[2] - a[2]);
      const first = sStart.length;
      sliceStart.push(first);
      const stack: number[] = [];
      let deepest = 0;
      for (const [name, start, dur, opts] of sorted) {
        const id = sStart.length;
        while (stack.length) {
          const top = stack[stack.length - 1];
          if (sStart[top] <= start && start + dur <= sStart[top] + sDur[top]) break;
          stack.pop();
        }
        sTrack.push(ti);
        sStart.push(start);
        sDur.push(dur);
        sDepth.push(stack.length);
        sParent.push(stack.length ? stack[stack.length - 1] : -1);
        sName.push(intern(name));
        sCat.push(opts?.cat !== undefined ? intern(opts.cat) : -1);
        if (opts?.args) {
          sArgs.push(args.length);
          args.push(JSON.stringify(opts.args));
        } else sArgs.push(-1);
        if (opts?.key !== undefined) keyToSlice.set(opts.key, id);
        deepest = Math.max(deepest, stack.length + 1);
        stack.push(id);
      }
      sliceEnd.push(sStart.length);
      maxDepth.push(sorted.length ? deepest : 0);
    }
  });

  const F = spec.flows ?? [];
  const flowFrom = F.map((f) => {
    const s = keyToSlice.get(f.from);
    if (s === undefined) throw new Error(`flow from unknown slice key ${f.from}`);
    return s;
  });
  const flowTo = F.map((f) => {
    const s = keyToSlice.get(f.to);
    if (s === undefined) throw new Error(`flow to unknown slice key ${f.to}`);
    return s;
  });

  let endNs = 0;
  for (let i = 0; i < sStart.length; i++) endNs = Math.max(endNs, sStart[i] + sDur[i]);

  return {
    format: spec.format ?? 'kineto',
    originUs: '0',
    endNs,
    strings,
    processes,
    tracks: {
      length: trackProcess.length,
      process: Int32Array.from(trackProcess),
      tid: trackTid,
      name: trackName,
      sortIndex: Float64Array.from(trackProcess.map((_, i) => i)),
      kind: trackKind,
      sliceStart: Int32Array.from(sliceStart),
      sliceEnd: Int32Array.from(sliceEnd),
      maxDepth: Int32Array.from(maxDepth),
    },
    slices: {
      length: sStart.length,
      track: Int32Array.from(sTrack),
      startNs: Float64Array.from(sStart),
      durNs: Float64Array.from(sDur),
      depth: Uint16Array.from(sDepth),
      name: Int32Array.from(sName),
      cat: Int32Array.from(sCat),
      args: Int32Array.from(sArgs),
      parent: Int32Array.from(sParent),
      fromBE: new Uint8Array(sStart.length),
    },
    instants: {
      length: 0,
      track: new Int32Array(0),
      tsNs: new Float64Array(0),
      name: new Int32Array(0),
      cat: new Int32Array(0),
      args: new Int32Array(0),
    },
    counters: { length: 0, track: new Int32Array(0), tsNs: new Float64Array(0), value: new Float64Array(0) },
    flows: {
      length: F.length,
      ...flowIdsOf(F.map((f, i) => f.id ?? String(i + 1))),
      cat: Int32Array.from(F.map((f) => intern(f.cat ?? 'ac2g'))),
      fromSlice: Int32Array.from(flowFrom),
      toSlice: Int32Array.from(flowTo),
      fromNs: Float64Array.from(flowFrom.map((s) => sStart[s])),
      toNs: Float64Array.from(flowTo.map((s) => sStart[s])),
    },
    args: argsTableOf(args),
    metadata: spec.metadata ?? {},
    stats: { bytes: 0, events: sStart.length, byPhase: {}, droppedBytes: 0, truncated: false, warnings: [] },
  };
}

/** Slice id of the first slice with this name (tests address slices by name). */
export function sliceNamed(model: TraceModel, name: string, nth = 0): number {
  let seen = 0;
  for (let i = 0; i < model.slices.length; i++) {
    if (model.strings[model.slices.name[i]] === name && seen++ === nth) return i;
  }
  throw new Error(`no slice named ${name} (#${nth})`);
}
