/**
 * The overview strip: how busy host threads and devices are over the whole
 * trace (one column per pixel), with the current window drawn on top. The
 * density is computed once per model and width.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { COLOR_KEYS, SHADES, type ChromeColors, type SlicePalette } from './colors.ts';
import type { CssPx, TimeRange } from './units.ts';

export interface OverviewBand {
  label: 'host' | 'device';
  /** Busy fraction per pixel column, 0..1 (can exceed 1 with several tracks; clamped when drawn). */
  density: Float32Array;
}

export interface Overview {
  widthPx: CssPx;
  bounds: TimeRange;
  bands: OverviewBand[];
}

export function buildOverview(model: TraceModel, bounds: TimeRange, widthPx: CssPx): Overview {
  const w = Math.max(1, Math.floor(widthPx));
  const nsPerCol = (bounds.endNs - bounds.startNs) / w;
  const host = new Float32Array(w);
  const device = new Float32Array(w);
  const hostTracks = new Set<number>();
  const deviceTracks = new Set<number>();
  for (let t = 0; t < model.tracks.length; t++) {
    const kind = model.processes.kind[model.tracks.process[t]];
    if (kind === 'host') hostTracks.add(t);
    else if (kind === 'gpu' || kind === 'npu' || kind === 'comm') deviceTracks.add(t);
  }
  const { depth, startNs, durNs, track } = model.slices;
  const nHost = Math.max(1, hostTracks.size);
  const nDevice = Math.max(1, deviceTracks.size);
  for (let i = 0; i < model.slices.length; i++) {
    if (depth[i] !== 0) continue;
    const t = track[i];
    const target = hostTracks.has(t) ? host : deviceTracks.has(t) ? device : null;
    if (!target) continue;
    const weight = 1 / (target === host ? nHost : nDevice);
    // Spread the slice's time over the columns it covers.
    let s = (startNs[i] - bounds.startNs) / nsPerCol;
    const e = (startNs[i] + durNs[i] - bounds.startNs) / nsPerCol;
    while (s < e) {
      const col = Math.floor(s);
      const next = Math.min(e, col + 1);
      if (col >= 0 && col < w) target[col] += (next - s) * weight;
      s = next;
    }
  }
  const bands: OverviewBand[] = [];
  if (hostTracks.size) bands.push({ label: 'host', density: host });
  if (deviceTracks.size) bands.push({ label: 'device', density: device });
  return { widthPx: w, bounds, bands };
}

export function drawMinimap(ctx: CanvasRenderingContext2D, o: Overview, window: TimeRange, heightPx: CssPx, palette: SlicePalette, chrome: ChromeColors, dpr: number): void {
  const W = o.widthPx;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = chrome.headerBackground;
  ctx.fillRect(0, 0, W, heightPx);
  const bandH = heightPx / Math.max(1, o.bands.length);
  o.bands.forEach((band, b) => {
    const key = band.label === 'host' ? 'operator' : 'kernel';
    ctx.fillStyle = palette.fill[COLOR_KEYS.indexOf(key) * SHADES + 1];
    ctx.beginPath();
    const base = (b + 1) * bandH;
    for (let x = 0; x < band.density.length; x++) {
      const h = Math.min(1, band.density[x]) * (bandH - 2);
      if (h > 0.2) ctx.rect(x, base - h, 1, h);
    }
    ctx.fill();
  });
  const span = o.bounds.endNs - o.bounds.startNs;
  const x0 = ((window.startNs - o.bounds.startNs) / span) * W;
  const x1 = ((window.endNs - o.bounds.startNs) / span) * W;
  // Dim what is outside the window, outline the window.
  ctx.fillStyle = chrome.dark ? 'rgba(0,0,0,0.45)' : 'rgba(255,255,255,0.6)';
  ctx.fillRect(0, 0, Math.max(0, x0), heightPx);
  ctx.fillRect(Math.min(W, x1), 0, Math.max(0, W - x1), heightPx);
  ctx.strokeStyle = chrome.accent;
  ctx.lineWidth = 2;
  ctx.strokeRect(Math.max(1, x0), 1, Math.max(2, Math.min(W - 1, x1) - Math.max(1, x0)), heightPx - 2);
}
