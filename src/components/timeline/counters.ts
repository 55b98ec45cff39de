/**
 * Counter samples grouped per track and sorted by time, with each series'
 * value range, and their level of detail (as Perfetto draws counters): at a
 * zoom where one pixel spans `nsPerPx`, samples are bucketed by
 * `floor(tsNs / 2^L)` with 2^L ≥ nsPerPx, and each bucket keeps its first
 * time, its min, its max and its last value. A frame draws one step and one
 * min–max stroke per bucket, so a counter with millions of samples costs
 * O(pixels). Levels are built lazily, each from the finest one below it.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { levelForResolution } from './lod.ts';
import type { Ns, TrackId } from './units.ts';

export interface CounterSeries {
  tsNs: Float64Array;
  value: Float64Array;
  min: number;
  max: number;
}

export function buildCounterSeries(model: TraceModel): Map<TrackId, CounterSeries> {
  const { track, tsNs, value } = model.counters;
  const byTrack = new Map<TrackId, number[]>();
  for (let i = 0; i < model.counters.length; i++) {
    let list = byTrack.get(track[i]);
    if (!list) byTrack.set(track[i], (list = []));
    list.push(i);
  }
  const out = new Map<TrackId, CounterSeries>();
  for (const [t, rows] of byTrack) {
    rows.sort((a, b) => tsNs[a] - tsNs[b] || a - b);
    const ts = new Float64Array(rows.length);
    const vs = new Float64Array(rows.length);
    let min = Infinity;
    let max = -Infinity;
    rows.forEach((r, i) => {
      ts[i] = tsNs[r];
      vs[i] = value[r];
      if (value[r] < min) min = value[r];
      if (value[r] > max) max = value[r];
    });
    out.set(t, { tsNs: ts, value: vs, min, max });
  }
  return out;
}

/** Index of the last sample at or before `tNs` (-1 when all are after). */
export function sampleAtOrBefore(series: CounterSeries, tNs: Ns): number {
  let lo = 0;
  let hi = series.tsNs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (series.tsNs[mid] <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** One resolution of a series: per bucket, the first sample's time, the extremes and the last value. */
export interface CounterLevel {
  tsNs: Float64Array;
  min: Float64Array;
  max: Float64Array;
  last: Float64Array;
  length: number;
}

export class CounterLod {
  private readonly levels = new Map<number, CounterLevel>();
  constructor(series: CounterSeries) {
    const n = series.tsNs.length;
    this.levels.set(-1, { tsNs: series.tsNs, min: series.value, max: series.value, last: series.value, length: n });
  }

  /** The buckets to draw at `nsPerPx`. */
  at(nsPerPx: number): CounterLevel {
    return this.level(levelForResolution(nsPerPx));
  }

  private level(level: number): CounterLevel {
    let t = this.levels.get(level);
    if (t) return t;
    let from = -1;
    for (const l of this.levels.keys()) if (l < level && l > from) from = l;
    const source = this.levels.get(from)!;
    t = mergeCounterLevel(source, 2 ** level);
    if (t.length === source.length) t = source;
    this.levels.set(level, t);
    return t;
  }
}

function mergeCounterLevel(src: CounterLevel, widthNs: number): CounterLevel {
  const n = src.length;
  const ts = new Float64Array(n);
  const min = new Float64Array(n);
  const max = new Float64Array(n);
  const last = new Float64Array(n);
  let k = -1;
  let bucket = NaN;
  for (let i = 0; i < n; i++) {
    const b = Math.floor(src.tsNs[i] / widthNs);
    if (b !== bucket) {
      k++;
      bucket = b;
      ts[k] = src.tsNs[i];
      min[k] = src.min[i];
      max[k] = src.max[i];
    } else {
      if (src.min[i] < min[k]) min[k] = src.min[i];
      if (src.max[i] > max[k]) max[k] = src.max[i];
    }
    last[k] = src.last[i];
  }
  const m = k + 1;
  return { tsNs: ts.slice(0, m), min: min.slice(0, m), max: max.slice(0, m), last: last.slice(0, m), length: m };
}

const lods = new WeakMap<CounterSeries, CounterLod>();

/** The (cached) LOD of a series; a series is immutable once built, so it is the key. */
export function counterLodOf(series: CounterSeries): CounterLod {
  let lod = lods.get(series);
  if (!lod) lods.set(series, (lod = new CounterLod(series)));
  return lod;
}

/** Index of the last bucket starting at or before `tNs` (-1 when all start after). */
export function bucketAtOrBefore(level: CounterLevel, tNs: Ns): number {
  let lo = 0;
  let hi = level.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (level.tsNs[mid] <= tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
