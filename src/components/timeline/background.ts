/**
 * Work done after a trace is shown: level-of-detail tables of big tracks
 * (so zooming never merges millions of slices inside a frame), then the
 * analysis — work kinds for colours, computed overlap tracks, detector labels.
 * Each step runs in its own macrotask so the first paint comes first; a step
 * that throws is reported and skipped, leaving the widget without its result.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { computeTracks, detectorIndex, workKindsOf, type ComputedTrack, type DetectorIndex } from './computed.ts';
import { intervalLodOf, type SliceLod } from './lod.ts';
import type { TimeRange } from './units.ts';

/** Tracks with fewer slices build their LOD levels on demand in well under a frame. */
const LOD_PREBUILD_MIN_SLICES = 20_000;

export const AUTO_DETECT_MAX_SLICES = 500_000;

export interface AnalysisSinks {
  workKinds: (kinds: ArrayLike<string | null>) => void;
  computedTracks: (tracks: ComputedTrack[]) => void;
  detectors: (index: DetectorIndex) => void;
}

export function afterLoadSteps(model: TraceModel, lod: SliceLod, sinks: AnalysisSinks): Array<() => void> {
  const steps: Array<() => void> = [];
  const maxLevel = Math.ceil(Math.log2(Math.max(2, model.endNs)));
  for (let t = 0; t < model.tracks.length; t++) {
    if (model.tracks.sliceEnd[t] - model.tracks.sliceStart[t] < LOD_PREBUILD_MIN_SLICES) continue;
    for (let d = 0; d < model.tracks.maxDepth[t]; d++) steps.push(() => lod.prebuild(t, d, maxLevel));
  }
  steps.push(
    () => sinks.workKinds(workKindsOf(model)),
    () => {
      const tracks = computeTracks(model);
      // Their drawing levels too, so the first zoom over a long lane does not build them.
      for (const t of tracks) for (const lane of t.lanes) if (lane.intervals.length > 2 * LOD_PREBUILD_MIN_SLICES) intervalLodOf(lane.intervals).prebuild(maxLevel);
      sinks.computedTracks(tracks);
    },
  );
  // The detectors take ~0.8 s per million slices in one go: above this size they
  // run only when asked for (colour by detector), not behind the learner's back.
  if (model.slices.length <= AUTO_DETECT_MAX_SLICES) steps.push(() => sinks.detectors(detectorIndex(model)));
  return steps;
}

/** Runs `steps` one per macrotask while `stillWanted()`; then `done()`. */
export function runInBackground(steps: Array<() => void>, stillWanted: () => boolean, done: () => void): void {
  const queue = steps.slice();
  const next = () => {
    const step = queue.shift();
    if (!step || !stillWanted()) {
      done();
      return;
    }
    try {
      step();
    } catch (e) {
      console.warn('timeline: background step failed', e);
    }
    setTimeout(next, 0);
  };
  // A short delay lets the first frame reach the screen before the first step.
  setTimeout(next, 30);
}

/** [first slice start, last slice end]; the whole trace when it has no slices. */
export function contentExtentOf(model: TraceModel): TimeRange {
  let startNs = Infinity;
  let endNs = -Infinity;
  const { startNs: starts, durNs } = model.slices;
  for (let i = 0; i < model.slices.length; i++) {
    if (starts[i] < startNs) startNs = starts[i];
    if (starts[i] + durNs[i] > endNs) endNs = starts[i] + durNs[i];
  }
  return endNs > startNs ? { startNs, endNs } : { startNs: 0, endNs: Math.max(1, model.endNs) };
}
