/**
 * Coverage: the time during which any slice of some tracks is running,
 * optionally within a range — e.g. "when was any host thread busy", "when was
 * any stream of this GPU doing something", or the union of a list of slices.
 * Nested slices lie inside their parents, so only depth-0 slices are read.
 */
import type { Ns, SliceId, TrackId, TraceModel } from '../trace/model.ts';
import { clip, unionOf, type IntervalSet } from './intervals.ts';

export function sliceCoverage(model: TraceModel, ids: readonly SliceId[]): IntervalSet {
  const s = new Float64Array(ids.length);
  const e = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    s[i] = model.slices.startNs[id];
    e[i] = model.slices.startNs[id] + model.slices.durNs[id];
  });
  return unionOf(s, e);
}

export function trackCoverage(
  model: TraceModel,
  tracks: readonly TrackId[],
  range?: { startNs: Ns; endNs: Ns },
): IntervalSet {
  const ids: SliceId[] = [];
  for (const t of tracks) {
    for (let id = model.tracks.sliceStart[t]; id < model.tracks.sliceEnd[t]; id++) {
      if (model.slices.depth[id] !== 0) continue;
      if (range && (model.slices.startNs[id] >= range.endNs || model.slices.startNs[id] + model.slices.durNs[id] <= range.startNs)) continue;
      ids.push(id);
    }
  }
  const u = sliceCoverage(model, ids);
  return range ? clip(u, range.startNs, range.endNs) : u;
}
