/**
 * Draws track rows: slice rows (per depth, through the LOD so a frame costs
 * O(pixels × depth)) and computed lanes (interval sets); counter and instant
 * rows are in render-samples.ts. Rectangles are batched per colour into
 * one path each; labels are drawn only where the box is wide enough.
 */
import { ROW_PAD_PX, SLICE_ROW_PX, type PlacedRow } from './layout.ts';
import type { FrameInput } from './frame.ts';
import { COLOR_KEYS, SHADES } from './colors.ts';
import { nsPerPx } from './viewport.ts';
import { intervalLodOf } from './lod.ts';
import type { CssPx } from './units.ts';
import { displayText } from '../../lib/trace/display-text.ts';
import { drawnBeside } from './slice-info.ts';

/** Label prefix of a slice drawn beside others rather than under a caller (slice-info.ts `drawnBeside`). */
export const PARALLEL_MARK = '∥ ';

/** Boxes narrower than this get no label. */
const MIN_LABEL_PX = 24;
/** Sub-pixel neighbours of one colour closer than this merge into one rectangle. */
const MERGE_GAP_PX = 0.5;

/**
 * Per-frame batches of rectangles by palette index (reused between frames).
 * Edges are snapped to device pixels: axis-aligned rectangles on whole pixels
 * fill without anti-aliasing, which is what makes software rasterisation of
 * thousands of them cheap (and keeps 1-pixel kernels crisp).
 */
export class RectBatches {
  private readonly coords: number[][] = [];
  used = 0;
  dpr = 1;

  add(color: number, x: number, y: number, w: number, h: number): void {
    let b = this.coords[color];
    if (!b) this.coords[color] = b = [];
    const d = this.dpr;
    const x0 = Math.round(x * d);
    const x1 = Math.max(x0 + 1, Math.round((x + w) * d));
    const y0 = Math.round(y * d);
    b.push(x0, y0, x1 - x0, Math.max(1, Math.round((y + h) * d) - y0));
    this.used++;
  }

  /** Fills in device pixels (identity transform), one fillStyle change per colour. */
  flush(ctx: CanvasRenderingContext2D, fills: string[]): void {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (let c = 0; c < this.coords.length; c++) {
      const b = this.coords[c];
      if (!b || b.length === 0) continue;
      ctx.fillStyle = fills[c];
      for (let i = 0; i < b.length; i += 4) ctx.fillRect(b[i], b[i + 1], b[i + 2], b[i + 3]);
      b.length = 0;
    }
    ctx.restore();
  }
}

interface PendingLabel {
  id: number;
  x: number;
  y: number;
  w: number;
  h: number;
  color: number;
}

/** Stats of the last frame, for the benchmark and the LOD test in the browser. */
export const frameStats = { rects: 0, labels: 0 };

export function drawSliceRow(ctx: CanvasRenderingContext2D, f: FrameInput, placed: PlacedRow, topPx: CssPx, batches: RectBatches, labels: PendingLabel[]): void {
  const src = placed.row.source;
  if (src.kind !== 'slices') return;
  const v = f.viewport;
  const perPx = nsPerPx(v);
  const scale = v.widthPx / (v.endNs - v.startNs);
  const { startNs, durNs } = f.model.slices;
  const colors = f.colors;
  const marks = f.searchMarks;
  const dimOffset = f.palette.fill.length / 2;
  const slicePx = src.slicePx ?? SLICE_ROW_PX;
  for (let d = 0; d < src.depthCount; d++) {
    const y = topPx + ROW_PAD_PX + d * slicePx;
    const h = slicePx - 1;
    let runColor = -1;
    let runX0 = 0;
    let runX1 = 0;
    f.lod.forEachVisible(src.trackId, d, v.startNs - perPx, v.endNs + perPx, perPx, (id) => {
      let x0 = (startNs[id] - v.startNs) * scale;
      let x1 = x0 + durNs[id] * scale;
      if (x0 < -2) x0 = -2;
      if (x1 > v.widthPx + 2) x1 = v.widthPx + 2;
      if (x1 - x0 < 1) x1 = x0 + 1;
      let color = colors.indexOf(id);
      if (marks && !marks[id]) color += dimOffset;
      if (color === runColor && x0 <= runX1 + MERGE_GAP_PX && x1 - x0 < 2 && runX1 - runX0 < 2 + MERGE_GAP_PX * 4) {
        if (x1 > runX1) runX1 = x1;
        return;
      }
      if (runColor >= 0) batches.add(runColor, runX0, y, runX1 - runX0, h);
      runColor = color;
      runX0 = x0;
      runX1 = x1;
      if (x1 - x0 >= MIN_LABEL_PX) labels.push({ id, x: x0, y, w: x1 - x0, h, color });
    });
    if (runColor >= 0) batches.add(runColor, runX0, y, runX1 - runX0, h);
  }
}

/** Labels after all rectangles of the area, clipped to each box. */
export function drawSliceLabels(ctx: CanvasRenderingContext2D, f: FrameInput, labels: PendingLabel[]): void {
  if (!labels.length) return;
  ctx.font = f.sliceFont;
  ctx.textBaseline = 'middle';
  const { strings } = f.model;
  const names = f.model.slices.name;
  for (const l of labels) {
    const visibleX0 = Math.max(l.x, 0);
    const visibleX1 = Math.min(l.x + l.w, f.viewport.widthPx);
    const room = visibleX1 - visibleX0 - 6;
    if (room < MIN_LABEL_PX - 6) continue;
    const nameIdx = names[l.id];
    const text = displayText(strings[nameIdx] ?? '');
    // Parallel work drawn beside other slices (not called by the one above it) is marked ∥.
    const mark = drawnBeside(f.model, l.id) ? PARALLEL_MARK : '';
    const full = f.text.width(ctx, nameIdx, text) + (mark ? ctx.measureText(mark).width : 0);
    let shown = mark + text;
    if (full > room) {
      const chars = Math.floor((room / full) * text.length) - 1;
      if (chars < 2) continue;
      shown = mark + text.slice(0, chars) + '…';
    }
    ctx.fillStyle = f.palette.text[l.color];
    ctx.fillText(shown, visibleX0 + 3, l.y + (l.h + 1) / 2);
    frameStats.labels++;
  }
  labels.length = 0;
}

export function drawLaneRow(ctx: CanvasRenderingContext2D, f: FrameInput, placed: PlacedRow, topPx: CssPx, batches: RectBatches): void {
  const src = placed.row.source;
  if (src.kind !== 'lane') return;
  const lane = f.computed.get(src.computedKey)?.lanes[src.laneIndex];
  if (!lane) return;
  const v = f.viewport;
  const set = intervalLodOf(lane.intervals).at(nsPerPx(v));
  const y = topPx + ROW_PAD_PX;
  const h = placed.row.heightPx - 2 * ROW_PAD_PX;
  const color = COLOR_KEYS.indexOf(lane.colorKey) * SHADES + 1;
  // Intervals are sorted and disjoint: binary search the first one ending after the window start.
  let lo = 0;
  let hi = set.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (set[2 * mid + 1] < v.startNs) lo = mid + 1;
    else hi = mid;
  }
  const scale = v.widthPx / (v.endNs - v.startNs);
  let runX0 = NaN;
  let runX1 = NaN;
  for (let i = lo; i < set.length >> 1; i++) {
    const s = set[2 * i];
    if (s > v.endNs) break;
    const x0 = Math.max(-2, (s - v.startNs) * scale);
    const x1 = Math.max(x0 + 1, Math.min(v.widthPx + 2, (set[2 * i + 1] - v.startNs) * scale));
    if (x0 <= runX1 + MERGE_GAP_PX) {
      runX1 = Math.max(runX1, x1);
      continue;
    }
    if (runX1 === runX1) batches.add(color, runX0, y, runX1 - runX0, h);
    runX0 = x0;
    runX1 = x1;
  }
  if (runX1 === runX1) batches.add(color, runX0, y, runX1 - runX0, h);
}
