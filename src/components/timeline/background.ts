/**
 * What the widget derives from a model on the main thread when it is shown:
 * only its content extent. Everything that walks the slices after a load —
 * the analysis (computed lanes, work kinds, detectors) and the level-of-detail
 * tables of big tracks and long lanes — runs in the trace worker
 * (src/lib/worker/analysis.ts, mipmap.ts) and arrives as typed arrays.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import type { TimeRange } from './units.ts';

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
