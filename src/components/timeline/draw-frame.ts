/**
 * One frame of the main canvas, back to front: background, grid, scrolled
 * rows (with group header bands), pinned rows, shaded ranges, outlines and
 * flows, the cursor, and the axis on top. Only rows inside the visible part
 * of the scrolled area are visited.
 */
import { AXIS_PX, GROUP_HEADER_PX, type PlacedRow } from './layout.ts';
import type { FrameInput } from './frame.ts';
import { contentTopPx } from './hit-test.ts';
import { RectBatches, drawLaneRow, drawSliceLabels, drawSliceRow, frameStats } from './render-tracks.ts';
import { drawCounterRow, drawInstantRow } from './render-samples.ts';
import { drawCursor, drawRangeBands, drawSliceOutlines } from './render-overlay.ts';
import { drawAxis, drawGrid } from './render-axis.ts';
import { timeTicks } from './viewport.ts';
import type { CssPx } from './units.ts';

const batches = new RectBatches();
const labels: Parameters<typeof drawSliceLabels>[2] = [];

/** Tick spacing target: about one label per 80 px. */
const TICK_SPACING_PX = 80;

function drawRows(ctx: CanvasRenderingContext2D, f: FrameInput, rows: PlacedRow[], offsetPx: CssPx, visibleTop: CssPx, visibleBottom: CssPx): void {
  // Rows are sorted by y: skip to the first one reaching the visible area.
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].y + rows[mid].row.heightPx + offsetPx <= visibleTop) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < rows.length; i++) {
    const placed = rows[i];
    const top = placed.y + offsetPx;
    if (top >= visibleBottom) break;
    const kind = placed.row.source.kind;
    if (kind === 'slices') drawSliceRow(ctx, f, placed, top, batches, labels);
    else if (kind === 'counter') drawCounterRow(ctx, f, placed, top);
    else if (kind === 'instants') drawInstantRow(ctx, f, placed, top);
    else drawLaneRow(ctx, f, placed, top, batches);
    ctx.fillStyle = f.chrome.grid;
    ctx.fillRect(0, top + placed.row.heightPx - 1, f.viewport.widthPx, 1);
  }
  frameStats.rects += batches.used;
  batches.used = 0;
  batches.flush(ctx, f.palette.fill);
  drawSliceLabels(ctx, f, labels);
}

export function drawFrame(ctx: CanvasRenderingContext2D, f: FrameInput, dpr: number): void {
  const W = f.viewport.widthPx;
  const H = f.heightPx;
  frameStats.rects = 0;
  frameStats.labels = 0;
  batches.dpr = dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = f.chrome.background;
  ctx.fillRect(0, 0, W, H);
  const { ticks, stepNs } = timeTicks(f.viewport, Math.max(2, Math.floor(W / TICK_SPACING_PX)), f.axisOriginNs ?? 0);

  const top = contentTopPx(f.layout);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, top, W, Math.max(0, H - top));
  ctx.clip();
  const offset = top - f.scrollTopPx;
  for (const h of f.layout.headers) {
    const y = h.y + offset;
    if (y + GROUP_HEADER_PX < top || y > H) continue;
    ctx.fillStyle = f.chrome.headerBackground;
    ctx.fillRect(0, y, W, GROUP_HEADER_PX);
  }
  drawGrid(ctx, f, ticks);
  drawRows(ctx, f, f.layout.rows, offset, top, H);
  ctx.restore();

  if (f.layout.pinned.length) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, AXIS_PX, W, f.layout.pinnedHeightPx);
    ctx.clip();
    ctx.fillStyle = f.chrome.background;
    ctx.fillRect(0, AXIS_PX, W, f.layout.pinnedHeightPx);
    drawGrid(ctx, f, ticks);
    drawRows(ctx, f, f.layout.pinned, AXIS_PX, AXIS_PX, top);
    ctx.restore();
    // A firm line under the pinned area: it does not scroll.
    ctx.fillStyle = f.chrome.textMuted;
    ctx.fillRect(0, top - 1, W, 1);
  }

  drawRangeBands(ctx, f);
  drawSliceOutlines(ctx, f);
  drawCursor(ctx, f);
  drawAxis(ctx, f, ticks, stepNs);
}
