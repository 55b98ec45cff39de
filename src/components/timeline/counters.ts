/**
 * Counter samples grouped per track and sorted by time, with each series'
 * value range, so a counter row can be drawn by binary search + one pass over
 * the samples in view.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
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
