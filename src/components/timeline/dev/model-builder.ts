/**
 * Builds a TraceModel from a readable spec, for the widget's unit tests and
 * dev pages while the real loader is elsewhere. It honours the model's
 * contract (slices sorted by track, start, longer first; depth and parent by
 * nesting; interned strings) so code tested against it works on real models.
 */
import type {
  ProcessKind,
  TraceFormat,
  TraceModel,
  TrackKind,
} from '../../../lib/trace/model.ts';
import { argsTableOf } from '../../../lib/trace/args.ts';
import { flowIdsOf } from '../../../lib/trace/flows.ts';

export interface SliceSpec {
  name: string;
  startNs: number;
  durNs: number;
  cat?: string;
  args?: Record<string, unknown>;
}
export interface TrackSpec {
  name: string;
  kind: TrackKind;
  tid?: string;
  sortIndex?: number;
  slices?: SliceSpec[];
  /** Counter samples, for kind 'counter'. */
  samples?: Array<[tsNs: number, value: number]>;
}
export interface ProcessSpec {
  name: string;
  kind: ProcessKind;
  pid?: string;
  device?: number;
  sortIndex?: number;
  label?: string;
  tracks: TrackSpec[];
}
/** A flow from the slice named `from` on track `fromTrack` to `to` on `toTrack` (first match). */
export interface FlowSpec {
  id: string;
  cat: string;
  from: [trackName: string, sliceName: string];
  to: [trackName: string, sliceName: string];
}
export interface ModelSpec {
  format?: TraceFormat;
  processes: ProcessSpec[];
  flows?: FlowSpec[];
}

export function buildModel(spec: ModelSpec): TraceModel {
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const intern = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      stringIds.set(s, id);
    }
    return id;
  };
  const args: string[] = [];
  const proc = { pid: [] as string[], name: [] as number[], label: [] as number[], sortIndex: [] as number[], kind: [] as ProcessKind[], device: [] as number[] };
  const trk = { process: [] as number[], tid: [] as string[], name: [] as number[], sortIndex: [] as number[], kind: [] as TrackKind[], sliceStart: [] as number[], sliceEnd: [] as number[], maxDepth: [] as number[] };
  const sl = { track: [] as number[], startNs: [] as number[], durNs: [] as number[], depth: [] as number[], name: [] as number[], cat: [] as number[], args: [] as number[], parent: [] as number[] };
  const ctr = { track: [] as number[], tsNs: [] as number[], value: [] as number[] };
  const trackByName = new Map<string, number>();
  let endNs = 0;

  spec.processes.forEach((p, pi) => {
    proc.pid.push(p.pid ?? '');
    proc.name.push(intern(p.name));
    proc.label.push(p.label ? intern(p.label) : -1);
    proc.sortIndex.push(p.sortIndex ?? pi);
    proc.kind.push(p.kind);
    proc.device.push(p.device ?? -1);
    p.tracks.forEach((t, ti) => {
      const trackId = trk.process.length;
      trackByName.set(t.name, trackId);
      trk.process.push(pi);
      trk.tid.push(t.tid ?? String(ti));
      trk.name.push(intern(t.name));
      trk.sortIndex.push(t.sortIndex ?? ti);
      trk.kind.push(t.kind);
      const sorted = [...(t.slices ?? [])].sort((a, b) => a.startNs - b.startNs || b.durNs - a.durNs);
      trk.sliceStart.push(sl.track.length);
      const stack: number[] = [];
      let maxDepth = 0;
      for (const s of sorted) {
        while (stack.length && sl.startNs[stack[stack.length - 1]] + sl.durNs[stack[stack.length - 1]] <= s.startNs) stack.pop();
        const id = sl.track.length;
        sl.track.push(trackId);
        sl.startNs.push(s.startNs);
        sl.durNs.push(s.durNs);
        sl.depth.push(stack.length);
        sl.parent.push(stack.length ? stack[stack.length - 1] : -1);
        sl.name.push(intern(s.name));
        sl.cat.push(s.cat ? intern(s.cat) : -1);
        if (s.args) {
          sl.args.push(args.length);
          args.push(JSON.stringify(s.args));
        } else sl.args.push(-1);
        maxDepth = Math.max(maxDepth, stack.length + 1);
        stack.push(id);
        endNs = Math.max(endNs, s.startNs + s.durNs);
      }
      trk.sliceEnd.push(sl.track.length);
      trk.maxDepth.push(maxDepth);
      for (const [ts, value] of t.samples ?? []) {
        ctr.track.push(trackId);
        ctr.tsNs.push(ts);
        ctr.value.push(value);
        endNs = Math.max(endNs, ts);
      }
    });
  });

  const findSlice = (trackName: string, name: string): number => {
    const t = trackByName.get(trackName);
    if (t === undefined) return -1;
    for (let i = trk.sliceStart[t]; i < trk.sliceEnd[t]; i++) if (strings[sl.name[i]] === name) return i;
    return -1;
  };
  const flows = spec.flows ?? [];
  const flowFrom = flows.map((f) => findSlice(...f.from));
  const flowTo = flows.map((f) => findSlice(...f.to));

  return {
    format: spec.format ?? 'kineto',
    originUs: '0',
    endNs,
    strings,
    processes: {
      length: proc.pid.length,
      pid: proc.pid,
      name: proc.name,
      label: proc.label,
      sortIndex: Float64Array.from(proc.sortIndex),
      kind: proc.kind,
      device: Int32Array.from(proc.device),
    },
    tracks: {
      length: trk.process.length,
      process: Int32Array.from(trk.process),
      tid: trk.tid,
      name: trk.name,
      sortIndex: Float64Array.from(trk.sortIndex),
      kind: trk.kind,
      sliceStart: Int32Array.from(trk.sliceStart),
      sliceEnd: Int32Array.from(trk.sliceEnd),
      maxDepth: Int32Array.from(trk.maxDepth),
    },
    slices: {
      length: sl.track.length,
      track: Int32Array.from(sl.track),
      startNs: Float64Array.from(sl.startNs),
      durNs: Float64Array.from(sl.durNs),
      depth: Uint16Array.from(sl.depth),
      name: Int32Array.from(sl.name),
      cat: Int32Array.from(sl.cat),
      args: Int32Array.from(sl.args),
      parent: Int32Array.from(sl.parent),
      fromBE: new Uint8Array(sl.track.length),
    },
    instants: { length: 0, track: new Int32Array(0), tsNs: new Float64Array(0), name: new Int32Array(0), cat: new Int32Array(0), args: new Int32Array(0) },
    counters: { length: ctr.track.length, track: Int32Array.from(ctr.track), tsNs: Float64Array.from(ctr.tsNs), value: Float64Array.from(ctr.value) },
    flows: {
      length: flows.length,
      ...flowIdsOf(flows.map((f) => f.id)),
      cat: Int32Array.from(flows.map((f) => intern(f.cat))),
      fromSlice: Int32Array.from(flowFrom),
      toSlice: Int32Array.from(flowTo),
      fromNs: Float64Array.from(flowFrom.map((i) => (i >= 0 ? sl.startNs[i] : 0))),
      toNs: Float64Array.from(flowTo.map((i) => (i >= 0 ? sl.startNs[i] : 0))),
    },
    args: argsTableOf(args),
    metadata: {},
    stats: { bytes: 0, events: sl.track.length + ctr.track.length, byPhase: {}, droppedBytes: 0, truncated: false, warnings: [] },
  };
}
