/**
 * Rows of point samples: counters (a step area with one min–max stroke per
 * LOD bucket, see counters.ts) and instant events (a diamond per marker, with
 * the count when a marker stands for several, see instants.ts). Both visit
 * O(pixels) buckets per frame whatever the number of samples.
 */
import { ROW_PAD_PX, type PlacedRow } from './layout.ts';
import type { FrameInput } from './frame.ts';
import { bucketAtOrBefore, counterLodOf } from './counters.ts';
import { COLOR_KEYS, OKABE_ITO, SHADES } from './colors.ts';
import { MARKER_PX } from './instants.ts';
import { nsPerPx, timeToPx } from './viewport.ts';
import type { CssPx } from './units.ts';

/** The part of a 2D context the sample rows use (so tests can count path segments). */
export type PathContext = Pick<
  CanvasRenderingContext2D,
  'beginPath' | 'moveTo' | 'lineTo' | 'closePath' | 'fill' | 'stroke' | 'fillText' | 'strokeRect' | 'fillRect'
> & { globalAlpha: number; fillStyle: CanvasRenderingContext2D['fillStyle']; strokeStyle: CanvasRenderingContext2D['strokeStyle']; lineWidth: number; font: string; textBaseline: CanvasTextBaseline; textAlign: CanvasTextAlign };

export function drawCounterRow(ctx: PathContext, f: FrameInput, placed: PlacedRow, topPx: CssPx): void {
  const src = placed.row.source;
  if (src.kind !== 'counter') return;
  const series = f.counters.get(src.trackId);
  if (!series || series.tsNs.length === 0) return;
  const v = f.viewport;
  const W = v.widthPx;
  const h = placed.row.heightPx - 2 * ROW_PAD_PX;
  const base = topPx + placed.row.heightPx - ROW_PAD_PX;
  const lo = Math.min(0, series.min);
  const range = series.max - lo || 1;
  const yOf = (value: number) => base - ((value - lo) / range) * h;
  const lvl = counterLodOf(series).at(nsPerPx(v));
  const first = Math.max(0, bucketAtOrBefore(lvl, v.startNs));
  const scale = W / (v.endNs - v.startNs);
  const xOf = (t: number) => Math.min(W + 1, Math.max(0, (t - v.startNs) * scale));
  ctx.beginPath();
  let x = xOf(lvl.tsNs[first]);
  ctx.moveTo(x, base);
  let y = base;
  for (let i = first; i < lvl.length; i++) {
    x = xOf(lvl.tsNs[i]);
    if (i > first) ctx.lineTo(x, y);
    // Several samples in this bucket: their extremes as one vertical stroke.
    if (lvl.min[i] !== lvl.max[i]) {
      ctx.lineTo(x, yOf(lvl.max[i]));
      ctx.lineTo(x, yOf(lvl.min[i]));
    }
    y = yOf(lvl.last[i]);
    ctx.lineTo(x, y);
    if (lvl.tsNs[i] > v.endNs) break;
  }
  const endX = Math.min(W, Math.max(x, timeToPx(v, f.model.endNs)));
  ctx.lineTo(endX, y);
  ctx.lineTo(endX, base);
  ctx.closePath();
  const fill = f.palette.fill[COLOR_KEYS.indexOf('kernel') * SHADES + 2];
  ctx.globalAlpha = 0.35;
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.strokeStyle = fill;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.font = f.sliceFont;
  ctx.textBaseline = 'top';
  ctx.fillStyle = f.chrome.textMuted;
  ctx.fillText(`max ${formatValue(series.max)}`, 4, topPx + 2);
}

export function formatValue(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** Half the diamond's width. */
const MARKER_R: CssPx = 4.5;

export function drawInstantRow(ctx: PathContext, f: FrameInput, placed: PlacedRow, topPx: CssPx): void {
  const src = placed.row.source;
  if (src.kind !== 'instants') return;
  const v = f.viewport;
  const perPx = nsPerPx(v);
  const scale = v.widthPx / (v.endNs - v.startNs);
  const ts = f.model.instants.tsNs;
  const cy = topPx + placed.row.heightPx / 2;
  const xs: number[] = [];
  const counts: number[] = [];
  ctx.beginPath();
  f.instants.forEachMarker(src.trackId, v.startNs - perPx * MARKER_PX, v.endNs + perPx * MARKER_PX, perPx, (id, count) => {
    const x = (ts[id] - v.startNs) * scale;
    ctx.moveTo(x, cy - MARKER_R);
    ctx.lineTo(x + MARKER_R, cy);
    ctx.lineTo(x, cy + MARKER_R);
    ctx.lineTo(x - MARKER_R, cy);
    ctx.closePath();
    xs.push(x);
    counts.push(count);
  });
  ctx.fillStyle = OKABE_ITO.vermillion;
  ctx.fill();
  ctx.strokeStyle = f.chrome.dark ? '#000' : '#fff';
  ctx.lineWidth = 1;
  ctx.stroke();
  // The count beside a marker that stands for several instants, where the next marker leaves room.
  ctx.font = f.sliceFont;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = f.chrome.text;
  for (let i = 0; i < xs.length; i++) {
    if (counts[i] < 2) continue;
    const room = (i + 1 < xs.length ? xs[i + 1] : v.widthPx + 40) - xs[i] - MARKER_R * 2;
    const text = `×${counts[i]}`;
    if (room >= 7 * text.length) ctx.fillText(text, xs[i] + MARKER_R + 2, cy);
  }
  const sel = f.selectedInstant;
  if (sel >= 0 && f.model.instants.track[sel] === src.trackId) {
    const selectedX = (ts[sel] - v.startNs) * scale;
    ctx.strokeStyle = f.chrome.selection;
    ctx.lineWidth = 2;
    ctx.strokeRect(selectedX - MARKER_R - 2, cy - MARKER_R - 2, 2 * MARKER_R + 4, 2 * MARKER_R + 4);
  }
}
