/**
 * The table under an area selection: per slice name, how many slices overlap
 * the range, their total and average duration (whole slices, as Perfetto's
 * area selection reports them) and the part that falls inside the range.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import type { SliceLod } from './lod.ts';
import type { Ns, TrackId } from './units.ts';

export interface AggregateRow {
  name: string;
  count: number;
  totalNs: Ns;
  avgNs: Ns;
  /** Sum of the parts of those slices inside the range. */
  inRangeNs: Ns;
  /** Category of the first slice seen with this name ('' when absent), for the colour swatch. */
  cat: string;
}

export interface Aggregate {
  rows: AggregateRow[];
  sliceCount: number;
  startNs: Ns;
  endNs: Ns;
}

export function aggregateSlices(model: TraceModel, lod: SliceLod, tracks: Iterable<TrackId>, startNs: Ns, endNs: Ns): Aggregate {
  const byName = new Map<number, AggregateRow>();
  let sliceCount = 0;
  const { name, cat, startNs: starts, durNs } = model.slices;
  for (const t of tracks) {
    lod.forEachOverlapping(t, startNs, endNs, (id) => {
      const s = starts[id];
      const e = s + durNs[id];
      // Touching the range at one end is not overlapping it (unless zero-length inside).
      if ((e <= startNs || s >= endNs) && !(durNs[id] === 0 && s >= startNs && s <= endNs)) return;
      sliceCount++;
      let row = byName.get(name[id]);
      if (!row) {
        row = { name: model.strings[name[id]] ?? '', count: 0, totalNs: 0, avgNs: 0, inRangeNs: 0, cat: cat[id] >= 0 ? model.strings[cat[id]] : '' };
        byName.set(name[id], row);
      }
      row.count++;
      row.totalNs += durNs[id];
      row.inRangeNs += Math.max(0, Math.min(e, endNs) - Math.max(s, startNs));
    });
  }
  const rows = [...byName.values()];
  for (const r of rows) r.avgNs = r.totalNs / r.count;
  rows.sort((a, b) => b.totalNs - a.totalNs || a.name.localeCompare(b.name));
  return { rows, sliceCount, startNs, endNs };
}
