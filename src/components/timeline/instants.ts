/**
 * Instant events (Chrome `ph: "i"`/`"I"`, Kineto's global "Iteration Start" /
 * "Record Window End" markers, `[memory]` cpu_instant_event, Ascend instants
 * when present) as markers on their track, with level of detail: at a zoom
 * where one marker needs `MARKER_PX` pixels, the instants of each 2^L ns bucket
 * (2^L ≥ MARKER_PX × ns per px) become one marker carrying their count. The
 * bucket tables are built lazily per (track, level), each from the finest
 * level below it (counts add up), so a frame visits O(pixels) markers however
 * many instants the track has. The model keeps an instant's track, time,
 * name, category and args (scope `s` is read but not kept).
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { levelForResolution } from './lod.ts';
import { argsAsText, trackWhere } from './slice-info.ts';
import { argsText } from '../../lib/trace/args.ts';
import { displayText } from '../../lib/trace/display-text.ts';
import type { CssPx, Ns, TrackId } from './units.ts';

/** Width a marker needs on screen: instants closer than this merge. */
export const MARKER_PX: CssPx = 8;

export type InstantId = number;

interface BucketTable {
  /** First instant of each bucket (its time is the marker's time). */
  first: Int32Array;
  count: Int32Array;
  length: number;
}

export class InstantLod {
  readonly model: TraceModel;
  /** Per track: [from, to) in the instant table (the loader sorts instants by track, then time). */
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly levels = new Map<TrackId, Map<number, BucketTable>>();

  constructor(model: TraceModel) {
    this.model = model;
    const n = model.tracks.length;
    this.from = new Int32Array(n);
    this.to = new Int32Array(n);
    const { track } = model.instants;
    for (let i = model.instants.length - 1; i >= 0; i--) this.from[track[i]] = i;
    for (let i = 0; i < model.instants.length; i++) this.to[track[i]] = i + 1;
  }

  countOn(track: TrackId): number {
    return this.to[track] - this.from[track];
  }

  /** Tracks that have instants, in track order. */
  tracksWithInstants(): TrackId[] {
    const out: TrackId[] = [];
    for (let t = 0; t < this.from.length; t++) if (this.to[t] > this.from[t]) out.push(t);
    return out;
  }

  private table(track: TrackId, level: number): BucketTable {
    let byLevel = this.levels.get(track);
    if (!byLevel) {
      const n = this.countOn(track);
      const first = new Int32Array(n);
      for (let k = 0; k < n; k++) first[k] = this.from[track] + k;
      byLevel = new Map([[-1, { first, count: new Int32Array(n).fill(1), length: n }]]);
      this.levels.set(track, byLevel);
    }
    let t = byLevel.get(level);
    if (t) return t;
    let from = -1;
    for (const l of byLevel.keys()) if (l < level && l > from) from = l;
    t = mergeBuckets(this.model.instants.tsNs, byLevel.get(from)!, 2 ** level);
    byLevel.set(level, t);
    return t;
  }

  /** Level a frame at `nsPerPx` draws. */
  static levelFor(nsPerPx: number): number {
    return levelForResolution(nsPerPx * MARKER_PX);
  }

  /** Markers of `track` in [startNs, endNs]: `visit(first instant, count)` per marker, in time order. */
  forEachMarker(track: TrackId, startNs: Ns, endNs: Ns, nsPerPx: number, visit: (id: InstantId, count: number) => void): void {
    const t = this.table(track, InstantLod.levelFor(nsPerPx));
    const ts = this.model.instants.tsNs;
    for (let i = firstAtOrAfter(t, ts, startNs); i < t.length; i++) {
      const id = t.first[i];
      if (ts[id] > endNs) break;
      visit(id, t.count[i]);
    }
  }

  /** The marker nearest `tNs` within `tolNs` as drawn at `nsPerPx`, or null. */
  hit(track: TrackId, tNs: Ns, tolNs: Ns, nsPerPx: number): { id: InstantId; count: number } | null {
    let best: { id: InstantId; count: number } | null = null;
    let bestDist = Infinity;
    const ts = this.model.instants.tsNs;
    this.forEachMarker(track, tNs - tolNs, tNs + tolNs, nsPerPx, (id, count) => {
      const d = Math.abs(ts[id] - tNs);
      if (d < bestDist) {
        bestDist = d;
        best = { id, count };
      }
    });
    return best;
  }
}

function firstAtOrAfter(t: BucketTable, ts: Float64Array, tNs: Ns): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[t.first[mid]] < tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeBuckets(ts: Float64Array, source: BucketTable, widthNs: number): BucketTable {
  const first = new Int32Array(source.length);
  const count = new Int32Array(source.length);
  let n = 0;
  let lastBucket = NaN;
  for (let i = 0; i < source.length; i++) {
    const b = Math.floor(ts[source.first[i]] / widthNs);
    if (b === lastBucket) count[n - 1] += source.count[i];
    else {
      first[n] = source.first[i];
      count[n] = source.count[i];
      n++;
      lastBucket = b;
    }
  }
  return n === source.length ? source : { first: first.slice(0, n), count: count.slice(0, n), length: n };
}

export interface InstantDetails {
  instantId: InstantId;
  trackId: TrackId;
  name: string;
  category: string;
  where: string;
  tsNs: Ns;
  /** Instants drawn as this one marker at the zoom it was clicked (1: on its own). */
  markerCount: number;
  args: Array<[string, string]>;
}

export function instantDetails(model: TraceModel, id: InstantId, markerCount: number): InstantDetails {
  const { instants, strings } = model;
  const t = instants.track[id];
  return {
    instantId: id,
    trackId: t,
    name: displayText(strings[instants.name[id]] ?? ''),
    category: instants.cat[id] >= 0 ? displayText(strings[instants.cat[id]] ?? '') : '',
    where: trackWhere(model, t),
    tsNs: instants.tsNs[id],
    markerCount,
    args: instants.args[id] >= 0 ? argsAsText(argsText(model.args, instants.args[id])) : [],
  };
}
