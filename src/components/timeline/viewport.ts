/**
 * Viewport maths: time ↔ pixel, zoom around a point, pan, clamping. Pure
 * functions over plain `{startNs, endNs, widthPx}` values so they can be unit
 * tested and shared by the canvas, the minimap and the keyboard handlers.
 */
import { scaleLinear } from 'd3';
import type { CssPx, Ns, TimeRange, Viewport } from './units.ts';

/** The narrowest window we zoom to: a few ns still shows sub-µs kernels. */
export const MIN_SPAN_NS: Ns = 20;

export function spanNs(r: TimeRange): Ns {
  return r.endNs - r.startNs;
}

export function nsPerPx(v: Viewport): number {
  return spanNs(v) / Math.max(1, v.widthPx);
}

export function timeToPx(v: Viewport, tNs: Ns): CssPx {
  return ((tNs - v.startNs) * v.widthPx) / spanNs(v);
}

export function pxToTime(v: Viewport, x: CssPx): Ns {
  return v.startNs + (x * spanNs(v)) / Math.max(1, v.widthPx);
}

/**
 * Keeps a window inside `bounds` and at least `MIN_SPAN_NS` wide; a window
 * wider than the bounds becomes the bounds. Shifts rather than shrinks, so a
 * pan that hits an edge keeps the zoom level.
 */
export function clampWindow(r: TimeRange, bounds: TimeRange): TimeRange {
  const boundSpan = spanNs(bounds);
  let span = Math.max(MIN_SPAN_NS, spanNs(r));
  if (span >= boundSpan) return { startNs: bounds.startNs, endNs: bounds.endNs };
  let startNs = r.startNs;
  if (spanNs(r) < MIN_SPAN_NS) startNs = (r.startNs + r.endNs) / 2 - span / 2;
  if (startNs < bounds.startNs) startNs = bounds.startNs;
  if (startNs + span > bounds.endNs) startNs = bounds.endNs - span;
  return { startNs, endNs: startNs + span };
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping `anchorNs` at the same pixel, the
 * behaviour of every timeline viewer when zooming at the mouse cursor.
 */
export function zoomAround(r: TimeRange, anchorNs: Ns, factor: number, bounds: TimeRange): TimeRange {
  const span = spanNs(r);
  const newSpan = Math.max(MIN_SPAN_NS, Math.min(spanNs(bounds), span * factor));
  const frac = span > 0 ? (anchorNs - r.startNs) / span : 0.5;
  const startNs = anchorNs - frac * newSpan;
  return clampWindow({ startNs, endNs: startNs + newSpan }, bounds);
}

export function panBy(r: TimeRange, deltaNs: Ns, bounds: TimeRange): TimeRange {
  return clampWindow({ startNs: r.startNs + deltaNs, endNs: r.endNs + deltaNs }, bounds);
}

/** A window showing `r` with `padFraction` of its span as margin each side. */
export function padRange(r: TimeRange, padFraction: number, bounds: TimeRange): TimeRange {
  const span = Math.max(MIN_SPAN_NS, spanNs(r));
  const pad = span * padFraction;
  const mid = (r.startNs + r.endNs) / 2;
  return clampWindow({ startNs: mid - span / 2 - pad, endNs: mid + span / 2 + pad }, bounds);
}

/** The pannable extent of a trace: [0, end] plus a little air each side. */
export function traceBounds(endNs: Ns): TimeRange {
  const end = Math.max(endNs, MIN_SPAN_NS);
  const pad = end * 0.02;
  return { startNs: -pad, endNs: end + pad };
}

/** WheelEvent.deltaMode: 0 pixels, 1 lines, 2 pages. */
export function wheelDeltaPx(delta: number, deltaMode: number, pagePx: CssPx): CssPx {
  if (deltaMode === 1) return delta * 16;
  if (deltaMode === 2) return delta * pagePx;
  return delta;
}

/**
 * Zoom factor for a vertical wheel delta in pixels: exponential so that two
 * half-ticks equal one full tick, clamped so one flick never jumps 10×.
 */
export function wheelZoomFactor(deltaYPx: CssPx): number {
  const clamped = Math.max(-300, Math.min(300, deltaYPx));
  return Math.exp(clamped * 0.004);
}

export interface TimeTick {
  tNs: Ns;
  x: CssPx;
}

/**
 * Axis ticks: d3's nice steps (1-2-5 × 10^k ns) within the viewport, at nice
 * times since `originNs` (0: the trace start; a compared pair's anchor, so
 * both timelines of the pair draw the same grid). `tNs` stays the trace's time.
 */
export function timeTicks(v: Viewport, approxCount: number, originNs: Ns = 0): { ticks: TimeTick[]; stepNs: Ns } {
  const scale = scaleLinear().domain([v.startNs - originNs, v.endNs - originNs]).range([0, v.widthPx]);
  const values = scale.ticks(Math.max(2, approxCount));
  const stepNs = values.length > 1 ? values[1] - values[0] : spanNs(v);
  return { ticks: values.map((rel) => ({ tNs: rel + originNs, x: scale(rel) })), stepNs };
}
