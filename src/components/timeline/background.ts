/**
 * Main-thread work after a trace is shown: the level-of-detail tables of long
 * computed lanes (the slice tracks' levels come built from the trace worker,
 * src/lib/worker/mipmap.ts; the analysis runs there too). Each step is one
 * level of one lane, in its own macrotask, so no step holds the main thread
 * for long (a click stays answered within a frame or two) and the first paint
 * comes first. A step that throws is reported and skipped.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import type { ComputedTrack } from './computed.ts';
import { intervalLodOf } from './lod.ts';
import type { TimeRange } from './units.ts';

/** Tracks with fewer slices build their LOD levels on demand in well under a frame. */
export const LOD_PREBUILD_MIN_SLICES = 20_000;

function maxLevelOf(model: TraceModel): number {
  return Math.ceil(Math.log2(Math.max(2, model.endNs)));
}

/** One step per level of every computed lane long enough to need it, finest first (each merges from the one below). */
export function laneLodSteps(model: TraceModel, tracks: readonly ComputedTrack[]): Array<() => void> {
  const steps: Array<() => void> = [];
  const maxLevel = maxLevelOf(model);
  for (const t of tracks) {
    for (const lane of t.lanes) {
      if (lane.intervals.length <= 2 * LOD_PREBUILD_MIN_SLICES) continue;
      const lod = intervalLodOf(lane.intervals);
      for (let level = 0; level <= maxLevel; level++) steps.push(() => lod.prebuildLevel(level));
    }
  }
  return steps;
}

/** Runs `steps` one per macrotask while `stillWanted()`; then `done()`. */
export function runInBackground(steps: Array<() => void>, stillWanted: () => boolean, done: () => void = () => {}): void {
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
