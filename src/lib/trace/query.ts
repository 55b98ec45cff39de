/**
 * Small read helpers over a finished TraceModel, shared by the analysis, the
 * widgets, the exercises and the CLI. They only read; none of them copies a
 * table.
 */
import type { Ns, ProcessId, SliceId, TraceModel, TrackId } from './model.ts';
import { enclosingSlice } from './flows.ts';
import { argsText } from './args.ts';
import { utf8Text } from './intern.ts';

/** `model.strings[idx]`, '' for -1. */
export function str(model: TraceModel, idx: number): string {
  return idx >= 0 ? (model.strings[idx] ?? '') : '';
}

export function sliceName(model: TraceModel, id: SliceId): string {
  return str(model, model.slices.name[id]);
}

export function sliceCat(model: TraceModel, id: SliceId): string {
  return str(model, model.slices.cat[id]);
}

const parsedArgs = new WeakMap<TraceModel, Map<number, Record<string, unknown> | null>>();

/** The slice's `args` object, parsed from its raw text on first use; null when absent or unreadable. */
export function sliceArgs(model: TraceModel, id: SliceId): Record<string, unknown> | null {
  return argsAt(model, model.slices.args[id]);
}

/** Parsed args `index` (cached per model); null for -1 or text that is not a JSON object. */
export function argsAt(model: TraceModel, index: number): Record<string, unknown> | null {
  if (index < 0) return null;
  let cache = parsedArgs.get(model);
  if (!cache) parsedArgs.set(model, (cache = new Map()));
  const hit = cache.get(index);
  if (hit !== undefined) return hit;
  let value: Record<string, unknown> | null = null;
  try {
    const v = JSON.parse(argsText(model.args, index)) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) value = v as Record<string, unknown>;
  } catch {
    value = null; // lenient loader: args with NaN or bad escapes stay raw text only
  }
  cache.set(index, value);
  return value;
}

export function endNsOf(model: TraceModel, id: SliceId): Ns {
  return model.slices.startNs[id] + model.slices.durNs[id];
}

export function processOfTrack(model: TraceModel, trackId: TrackId): ProcessId {
  return model.tracks.process[trackId];
}

/** What learners call a process: "GPU 0" for a Kineto device (whose name is the Python binary), else its name. */
export function processTitle(model: TraceModel, p: ProcessId): string {
  const name = str(model, model.processes.name[p]);
  const label = str(model, model.processes.label[p]);
  if (model.processes.kind[p] === 'gpu' && label !== '') return label;
  return name;
}

/** "GPU 0 · stream 7", "Ascend Hardware · Stream 2", "python3.10 · thread 123 (python3.10)". */
export function trackLabel(model: TraceModel, trackId: TrackId): string {
  const name = str(model, model.tracks.name[trackId]).trim();
  return `${processTitle(model, model.tracks.process[trackId])} · ${name}`;
}

/** Slice ids of a track: `start <= id < end`, sorted by start (longer first on ties). */
export function slicesOfTrack(model: TraceModel, trackId: TrackId): { start: SliceId; end: SliceId } {
  return { start: model.tracks.sliceStart[trackId], end: model.tracks.sliceEnd[trackId] };
}

/** Tracks of a process, in display order. */
export function tracksOfProcess(model: TraceModel, p: ProcessId): TrackId[] {
  const out: TrackId[] = [];
  for (let t = 0; t < model.tracks.length; t++) if (model.tracks.process[t] === p) out.push(t);
  return out;
}

/** The deepest slice on `trackId` covering `ns`, or -1. */
export function sliceAt(model: TraceModel, trackId: TrackId, ns: Ns): SliceId {
  return enclosingSlice({ slices: model.slices, sliceStart: model.tracks.sliceStart, sliceEnd: model.tracks.sliceEnd }, trackId, ns);
}

/** Ancestors of a slice, nearest first. */
export function ancestorsOf(model: TraceModel, id: SliceId): SliceId[] {
  const out: SliceId[] = [];
  for (let p = model.slices.parent[id]; p >= 0; p = model.slices.parent[p]) out.push(p);
  return out;
}

/** Rows of `model.counters` for one counter track: `start <= row < end`, in time order. */
export function countersOfTrack(model: TraceModel, trackId: TrackId): { start: number; end: number } {
  const track = model.counters.track;
  const lowerBound = (t: number): number => {
    let lo = 0;
    let hi = model.counters.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (track[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return { start: lowerBound(trackId), end: lowerBound(trackId + 1) };
}

/** Flow rows that start or end at `id`. */
export function flowsOfSlice(model: TraceModel, id: SliceId): { outgoing: number[]; incoming: number[] } {
  const outgoing: number[] = [];
  const incoming: number[] = [];
  for (let f = 0; f < model.flows.length; f++) {
    if (model.flows.fromSlice[f] === id) outgoing.push(f);
    if (model.flows.toSlice[f] === id) incoming.push(f);
  }
  return { outgoing, incoming };
}

/** Flow `f`'s id as written (FlowTable: a number, or text kept as bytes). */
export function flowIdText(model: TraceModel, f: number): string {
  const { idText, idNumber, idBytes, idOffsets } = model.flows;
  const k = idText[f];
  return k < 0 ? String(idNumber[f]) : utf8Text(idBytes, idOffsets[k], idOffsets[k + 1]);
}

/** Every slice whose name is exactly `name` (none when the name never occurs). */
export function slicesNamed(model: TraceModel, name: string): SliceId[] {
  const idx = model.strings.indexOf(name);
  const out: SliceId[] = [];
  if (idx < 0) return out;
  for (let i = 0; i < model.slices.length; i++) if (model.slices.name[i] === idx) out.push(i);
  return out;
}
