/**
 * What the details panel shows for one slice: names, times, self time, the
 * parent chain, args as text, and the slices linked to it by flows. Pure
 * functions over the model; the panel renders the result as text.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { processDisplayName, trackDisplayName } from './layout.ts';
import { formatDurationNs } from '../../lib/trace/time.ts';
import { argsText } from '../../lib/trace/args.ts';
import { flowIdText } from '../../lib/trace/query.ts';
import { displayText } from '../../lib/trace/display-text.ts';
import type { Ns, SliceId, TrackId } from './units.ts';

/** Slices linked by flows, as compressed rows (CSR) per slice, built once per model. */
export class FlowIndex {
  private readonly outStart: Int32Array;
  private readonly outFlows: Int32Array;
  private readonly inStart: Int32Array;
  private readonly inFlows: Int32Array;

  readonly model: TraceModel;
  constructor(model: TraceModel) {
    this.model = model;
    const n = model.slices.length;
    const { fromSlice, toSlice } = model.flows;
    [this.outStart, this.outFlows] = csr(n, model.flows.length, fromSlice);
    [this.inStart, this.inFlows] = csr(n, model.flows.length, toSlice);
  }

  /** Flow indices leaving slice `id`. */
  outgoing(id: SliceId): Int32Array {
    return this.outFlows.subarray(this.outStart[id], this.outStart[id + 1]);
  }

  /** Flow indices arriving at slice `id`. */
  incoming(id: SliceId): Int32Array {
    return this.inFlows.subarray(this.inStart[id], this.inStart[id + 1]);
  }
}

function csr(n: number, m: number, key: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(n + 1);
  for (let f = 0; f < m; f++) if (key[f] >= 0 && key[f] < n) start[key[f] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const items = new Int32Array(start[n]);
  for (let f = 0; f < m; f++) if (key[f] >= 0 && key[f] < n) items[fill[key[f]]++] = f;
  return [start, items];
}

/** Duration of `id` not covered by its direct children (children clipped to it). */
export function selfTimeNs(model: TraceModel, id: SliceId): Ns {
  const { startNs, durNs, parent } = model.slices;
  const s = startNs[id];
  const e = s + durNs[id];
  const trackEnd = model.tracks.sliceEnd[model.slices.track[id]];
  let children = 0;
  let coveredUntil = s;
  // Slices are sorted by start within a track, so descendants follow `id` until one starts at or after its end.
  for (let c = id + 1; c < trackEnd && startNs[c] < e; c++) {
    if (parent[c] !== id) continue;
    const cs = Math.max(startNs[c], coveredUntil);
    const ce = Math.min(startNs[c] + durNs[c], e);
    if (ce > cs) {
      children += ce - cs;
      coveredUntil = ce;
    }
  }
  return durNs[id] - children;
}

/**
 * Is the slice drawn on a line that its parent does not explain (no parent but
 * not on the first line, or lower than the line under its parent)? Then it is
 * parallel work beside other slices, not a callee: its label gets a ∥ mark.
 */
export function drawnBeside(model: TraceModel, id: SliceId): boolean {
  const { parent, depth } = model.slices;
  const p = parent[id];
  return depth[id] !== (p >= 0 ? depth[p] + 1 : 0);
}

/** How far back `parallelCount` looks for slices still running at a start (a bound for huge tracks). */
const PARALLEL_LOOKBACK = 10_000;

/**
 * Slices of the same track that run at the same time as `id` without being
 * its ancestors or descendants: parallel work drawn beside it (nesting.ts lays
 * device tasks out side by side). On host threads a slice on the row under
 * its parent gives 0 without a look at its neighbours.
 */
export function parallelCount(model: TraceModel, id: SliceId): number {
  const { startNs, durNs, parent, depth, track } = model.slices;
  const p = parent[id];
  const t = track[id];
  // On a host thread, overlap only comes with a slice drawn below a row its parent does not explain.
  if (model.processes.kind[model.tracks.process[t]] === 'host' && !drawnBeside(model, id)) return 0;
  const s = startNs[id];
  const e = s + durNs[id];
  const related = (a: SliceId, b: SliceId): boolean => {
    for (let x = parent[b]; x >= 0; x = parent[x]) if (x === a) return true;
    return false;
  };
  let n = 0;
  for (let k = id - 1; k >= Math.max(model.tracks.sliceStart[t], id - PARALLEL_LOOKBACK); k--) {
    if (startNs[k] + durNs[k] > s && !related(k, id)) n++;
  }
  for (let k = id + 1; k < model.tracks.sliceEnd[t] && startNs[k] < e; k++) if (!related(id, k)) n++;
  return n;
}

export interface LinkedSlice {
  sliceId: SliceId;
  name: string;
  where: string;
  direction: 'out' | 'in';
  flowCat: string;
  flowId: string;
}

export interface SliceDetails {
  sliceId: SliceId;
  trackId: TrackId;
  name: string;
  category: string;
  where: string;
  startNs: Ns;
  durNs: Ns;
  selfNs: Ns;
  depth: number;
  /** Slices of the track running beside this one that are neither its callers nor its callees (parallelCount). */
  parallel: number;
  /** Outermost first. */
  ancestors: Array<{ sliceId: SliceId; name: string }>;
  /** Args as [key, text] pairs, values JSON-stringified unless strings. */
  args: Array<[string, string]>;
  linked: LinkedSlice[];
}

export function trackWhere(model: TraceModel, t: TrackId): string {
  return displayText(`${processDisplayName(model, model.tracks.process[t])} / ${trackDisplayName(model, t)}`);
}

/** Parsed args as displayable text pairs; the raw text when it is not an object. */
export function argsAsText(raw: string | undefined): Array<[string, string]> {
  if (raw === undefined || raw === '') return [];
  let obj: unknown;
  try {
    obj = JSON.parse(raw);
  } catch {
    return [['args', displayText(raw)]];
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [['args', displayText(raw)]];
  return Object.entries(obj as Record<string, unknown>).map(([k, v]) => [displayText(k), displayText(typeof v === 'string' ? v : JSON.stringify(v))]);
}

export function sliceDetails(model: TraceModel, flows: FlowIndex, id: SliceId): SliceDetails {
  const { slices, strings } = model;
  const t = slices.track[id];
  const ancestors: Array<{ sliceId: SliceId; name: string }> = [];
  for (let p = slices.parent[id]; p >= 0; p = slices.parent[p]) ancestors.unshift({ sliceId: p, name: displayText(strings[slices.name[p]] ?? '') });
  const linked: LinkedSlice[] = [];
  const add = (f: number, other: SliceId, direction: 'out' | 'in') => {
    if (other < 0) return;
    linked.push({
      sliceId: other,
      name: displayText(strings[slices.name[other]] ?? ''),
      where: trackWhere(model, slices.track[other]),
      direction,
      flowCat: displayText(strings[model.flows.cat[f]] ?? ''),
      flowId: flowIdText(model, f),
    });
  };
  for (const f of flows.outgoing(id)) add(f, model.flows.toSlice[f], 'out');
  for (const f of flows.incoming(id)) add(f, model.flows.fromSlice[f], 'in');
  return {
    sliceId: id,
    trackId: t,
    name: displayText(strings[slices.name[id]] ?? ''),
    category: slices.cat[id] >= 0 ? displayText(strings[slices.cat[id]] ?? '') : '',
    where: trackWhere(model, t),
    startNs: slices.startNs[id],
    durNs: slices.durNs[id],
    selfNs: selfTimeNs(model, id),
    depth: slices.depth[id],
    parallel: parallelCount(model, id),
    ancestors,
    args: slices.args[id] >= 0 ? argsAsText(argsText(model.args, slices.args[id])) : [],
    linked,
  };
}

/** One line for the hover tooltip: a slice's name and duration, or a counter's value at a time. */
export function hoverLine(model: TraceModel, sliceId: SliceId, counter: { label: string; tsNs: Float64Array; value: Float64Array } | null, tNs: Ns): string | null {
  if (sliceId >= 0) return `${displayText(model.strings[model.slices.name[sliceId]] ?? '')} · ${formatDurationNs(model.slices.durNs[sliceId])}`;
  if (counter) {
    let lo = 0;
    let hi = counter.tsNs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (counter.tsNs[mid] <= tNs) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return null;
    return `${counter.label}: ${counter.value[lo - 1].toLocaleString('en-US', { maximumFractionDigits: 3 })}`;
  }
  return null;
}
