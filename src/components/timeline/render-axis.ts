/**
 * The time axis strip on top of the canvas: tick labels, search-match ticks,
 * the ruler's and the area selection's durations, highlight labels and the
 * cursor time; and the grid lines that run down through the rows.
 */
import { AXIS_PX } from './layout.ts';
import type { FrameInput } from './frame.ts';
import { formatTick } from './format.ts';
import { formatDurationNs } from '../../lib/trace/time.ts';
import { timeToPx, type TimeTick } from './viewport.ts';
import { OKABE_ITO } from './colors.ts';
import type { Ns, TimeRange } from './units.ts';

export function drawGrid(ctx: CanvasRenderingContext2D, f: FrameInput, ticks: TimeTick[]): void {
  ctx.strokeStyle = f.chrome.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const t of ticks) {
    const x = Math.round(t.x) + 0.5;
    ctx.moveTo(x, AXIS_PX);
    ctx.lineTo(x, f.heightPx);
  }
  ctx.stroke();
}

function labelBox(ctx: CanvasRenderingContext2D, f: FrameInput, text: string, centerX: number, y: number, fill: string): void {
  const w = ctx.measureText(text).width + 8;
  const x = Math.max(0, Math.min(f.viewport.widthPx - w, centerX - w / 2));
  ctx.fillStyle = fill;
  ctx.fillRect(x, y, w, 14);
  ctx.fillStyle = '#fff';
  ctx.fillText(text, x + 4, y + 7);
}

/** A span marker in the axis (ruler, area, highlight): bracket plus centred label. */
function drawSpanInAxis(ctx: CanvasRenderingContext2D, f: FrameInput, r: TimeRange, label: string, color: string): void {
  const x0 = timeToPx(f.viewport, r.startNs);
  const x1 = timeToPx(f.viewport, r.endNs);
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.moveTo(x0, AXIS_PX - 10);
  ctx.lineTo(x0, AXIS_PX - 2);
  ctx.lineTo(x1, AXIS_PX - 2);
  ctx.lineTo(x1, AXIS_PX - 10);
  ctx.stroke();
  labelBox(ctx, f, label, (Math.max(0, x0) + Math.min(f.viewport.widthPx, x1)) / 2, 1, color);
}

export function drawAxis(ctx: CanvasRenderingContext2D, f: FrameInput, ticks: TimeTick[], stepNs: Ns): void {
  const W = f.viewport.widthPx;
  ctx.fillStyle = f.chrome.headerBackground;
  ctx.fillRect(0, 0, W, AXIS_PX);
  ctx.strokeStyle = f.chrome.grid;
  ctx.beginPath();
  ctx.moveTo(0, AXIS_PX - 0.5);
  ctx.lineTo(W, AXIS_PX - 0.5);
  ctx.stroke();
  ctx.font = f.sliceFont;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = f.chrome.textMuted;
  ctx.strokeStyle = f.chrome.textMuted;
  ctx.beginPath();
  for (const t of ticks) {
    const x = Math.round(t.x) + 0.5;
    ctx.moveTo(x, AXIS_PX - 6);
    ctx.lineTo(x, AXIS_PX);
    ctx.fillText(formatTick(t.tNs - (f.axisOriginNs ?? 0), stepNs), x + 3, AXIS_PX / 2 - 2);
  }
  ctx.stroke();

  // Search matches as ticks along the bottom of the axis: visible even where
  // the LOD drew a longer neighbour over a tiny match.
  if (f.searchMatches && f.searchMatches.length) {
    const { startNs } = f.model.slices;
    ctx.fillStyle = OKABE_ITO.vermillion;
    let lastX = -1;
    for (const id of f.searchMatches) {
      const x = Math.floor(timeToPx(f.viewport, startNs[id]));
      if (x < 0 || x === lastX) continue;
      if (x > W) break;
      ctx.fillRect(x, AXIS_PX - 4, 1, 4);
      lastX = x;
    }
  }

  for (const h of f.highlightRanges) drawSpanInAxis(ctx, f, h, h.label, h.color);
  if (f.area) drawSpanInAxis(ctx, f, f.area, formatDurationNs(f.area.endNs - f.area.startNs), f.chrome.dark ? '#3a6fd8' : '#1f4fb0');
  if (f.ruler) drawSpanInAxis(ctx, f, f.ruler, `Δ ${formatDurationNs(Math.abs(f.ruler.endNs - f.ruler.startNs))}`, OKABE_ITO.reddishPurple);
  if (f.cursorNs !== null && !f.ruler) {
    const x = timeToPx(f.viewport, f.cursorNs);
    if (x >= 0 && x <= W) labelBox(ctx, f, formatTick(f.cursorNs - (f.axisOriginNs ?? 0), stepNs / 100), x, AXIS_PX - 15, f.chrome.dark ? '#555' : '#666');
  }
}
