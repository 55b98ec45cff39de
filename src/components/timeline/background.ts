/**
 * What the widget derives from a model on the main thread when it is shown:
 * only its content extent, and only for a model that did not come from the
 * trace worker (which computes it with its analysis: src/lib/worker/client.ts
 * `knownContentExtent`). Everything that walks the slices after a load —
 * the analysis (computed lanes, work kinds, detectors) and the level-of-detail
 * tables of big tracks and long lanes — runs in the trace worker
 * (src/lib/worker/analysis.ts, mipmap.ts) and arrives as typed arrays.
 */
export { contentExtentOf } from '../../lib/trace/time.ts';
