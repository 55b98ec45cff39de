/**
 * What is drawn over the rows: shaded ranges (highlights, the area selection,
 * the ruler), outlines of the selected, hovered and highlighted slices, flow
 * arrows from a host launch to its device work, and the cursor hairline.
 */
import { AXIS_PX, ROW_PAD_PX, SLICE_ROW_PX } from './layout.ts';
import type { FrameInput } from './frame.ts';
import { rowTopOnCanvas } from './hit-test.ts';
import { timeToPx } from './viewport.ts';
import { OKABE_ITO } from './colors.ts';
import type { CssPx, SliceId, TimeRange } from './units.ts';

function band(ctx: CanvasRenderingContext2D, f: FrameInput, r: TimeRange, color: string, alpha: number, y0: CssPx, y1: CssPx): void {
  const x0 = Math.max(0, timeToPx(f.viewport, Math.min(r.startNs, r.endNs)));
  const x1 = Math.min(f.viewport.widthPx, timeToPx(f.viewport, Math.max(r.startNs, r.endNs)));
  if (x1 < 0 || x0 > f.viewport.widthPx) return;
  ctx.globalAlpha = alpha;
  ctx.fillStyle = color;
  ctx.fillRect(x0, y0, Math.max(1, x1 - x0), y1 - y0);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(Math.round(x0) + 0.5, y0);
  ctx.lineTo(Math.round(x0) + 0.5, y1);
  ctx.moveTo(Math.round(x1) - 0.5, y0);
  ctx.lineTo(Math.round(x1) - 0.5, y1);
  ctx.stroke();
}

/** Bands behind nothing: drawn after the rows with low alpha so slices stay readable. */
export function drawRangeBands(ctx: CanvasRenderingContext2D, f: FrameInput): void {
  for (const h of f.highlightRanges) band(ctx, f, h, h.color, 0.12, AXIS_PX, f.heightPx);
  if (f.area) {
    // Shade only the rows in the selection; rows scrolled away are skipped.
    const color = f.chrome.dark ? '#3a6fd8' : '#1f4fb0';
    for (const key of f.area.rowKeys) {
      const r = rowTopOnCanvas(f.layout, f.scrollTopPx, key);
      if (!r || !r.row) continue;
      band(ctx, f, f.area, color, 0.18, Math.max(AXIS_PX, r.y), r.y + r.heightPx);
    }
  }
  if (f.ruler) band(ctx, f, f.ruler, OKABE_ITO.reddishPurple, 0.1, AXIS_PX, f.heightPx);
}

/** Canvas rectangle of a slice, or null when its row is not on screen. */
export function sliceRect(f: FrameInput, id: SliceId): { x: CssPx; y: CssPx; w: CssPx; h: CssPx } | null {
  const t = f.model.slices.track[id];
  const r = rowTopOnCanvas(f.layout, f.scrollTopPx, `t${t}`);
  if (!r || !r.row) return null;
  // A level hidden by the depth cap has no box on screen.
  const src = r.row.row.source;
  if (src.kind === 'slices' && f.model.slices.depth[id] >= src.depthCount) return null;
  const slicePx = src.kind === 'slices' ? (src.slicePx ?? SLICE_ROW_PX) : SLICE_ROW_PX;
  const y = r.y + ROW_PAD_PX + f.model.slices.depth[id] * slicePx;
  const x0 = timeToPx(f.viewport, f.model.slices.startNs[id]);
  const x1 = timeToPx(f.viewport, f.model.slices.startNs[id] + f.model.slices.durNs[id]);
  return { x: x0, y, w: Math.max(1, x1 - x0), h: slicePx - 1 };
}

function outline(ctx: CanvasRenderingContext2D, f: FrameInput, id: SliceId, color: string, width: number): void {
  const r = sliceRect(f, id);
  if (!r || r.y + r.h < AXIS_PX || r.y > f.heightPx) return;
  const x0 = Math.max(-4, r.x);
  const x1 = Math.min(f.viewport.widthPx + 4, r.x + r.w);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.strokeRect(x0 - width / 2, r.y - width / 2, Math.max(1, x1 - x0) + width, r.h + width);
}

export function drawSliceOutlines(ctx: CanvasRenderingContext2D, f: FrameInput): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, AXIS_PX, f.viewport.widthPx, f.heightPx - AXIS_PX);
  ctx.clip();
  for (const [id, color] of f.highlightSlices) outline(ctx, f, id, color, 2);
  if (f.hoverSlice >= 0 && f.hoverSlice !== f.selectedSlice) outline(ctx, f, f.hoverSlice, f.chrome.textMuted, 1);
  if (f.selectedSlice >= 0) {
    outline(ctx, f, f.selectedSlice, f.chrome.dark ? '#000' : '#fff', 4);
    outline(ctx, f, f.selectedSlice, f.chrome.selection, 2);
  }
  drawFlows(ctx, f);
  ctx.restore();
}

function drawFlows(ctx: CanvasRenderingContext2D, f: FrameInput): void {
  const { flows } = f.model;
  ctx.font = f.sliceFont;
  for (const i of f.flows) {
    const from = flows.fromSlice[i];
    const to = flows.toSlice[i];
    if (from < 0 || to < 0) continue;
    const a = sliceRect(f, from);
    const b = sliceRect(f, to);
    if (!a || !b) continue;
    const x1 = timeToPx(f.viewport, flows.fromNs[i]);
    const x2 = timeToPx(f.viewport, flows.toNs[i]);
    const down = b.y > a.y;
    const y1 = down ? a.y + a.h : a.y;
    const y2 = down ? b.y : b.y + b.h;
    const bend = Math.max(20, Math.abs(y2 - y1) / 2);
    ctx.strokeStyle = OKABE_ITO.orange;
    ctx.fillStyle = OKABE_ITO.orange;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.bezierCurveTo(x1, y1 + (down ? bend : -bend), x2, y2 - (down ? bend : -bend), x2, y2);
    ctx.stroke();
    // Arrow head pointing into the target slice.
    const dir = down ? 1 : -1;
    ctx.beginPath();
    ctx.moveTo(x2, y2);
    ctx.lineTo(x2 - 4, y2 - 7 * dir);
    ctx.lineTo(x2 + 4, y2 - 7 * dir);
    ctx.closePath();
    ctx.fill();
  }
}

export function drawCursor(ctx: CanvasRenderingContext2D, f: FrameInput): void {
  if (f.cursorNs === null) return;
  const x = Math.round(timeToPx(f.viewport, f.cursorNs)) + 0.5;
  if (x < 0 || x > f.viewport.widthPx) return;
  ctx.strokeStyle = f.chrome.textMuted;
  ctx.setLineDash([3, 3]);
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x, AXIS_PX);
  ctx.lineTo(x, f.heightPx);
  ctx.stroke();
  ctx.setLineDash([]);
}
