/**
 * Everything one canvas frame needs, gathered by the view state and handed
 * to the plain render-* modules, which never read Svelte state themselves.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import type { ChromeColors, SliceColors, SlicePalette } from './colors.ts';
import type { ComputedTrack } from './computed.ts';
import type { CounterSeries } from './counters.ts';
import type { Layout } from './layout.ts';
import type { InstantLod } from './instants.ts';
import type { SliceLod } from './lod.ts';
import type { CssPx, Ns, SliceId, TimeRange, TrackId, Viewport } from './units.ts';

export interface RangeMark extends TimeRange {
  label: string;
  color: string;
}

export interface FrameInput {
  model: TraceModel;
  lod: SliceLod;
  instants: InstantLod;
  colors: SliceColors;
  palette: SlicePalette;
  chrome: ChromeColors;
  counters: Map<TrackId, CounterSeries>;
  computed: Map<string, ComputedTrack>;
  layout: Layout;
  scrollTopPx: CssPx;
  viewport: Viewport;
  heightPx: CssPx;
  selectedSlice: SliceId;
  hoverSlice: SliceId;
  /** Instant id (model.instants) of the selected marker, -1 for none. */
  selectedInstant: number;
  /** 1 per slice id matching the search; null when no search is active. */
  searchMarks: Uint8Array | null;
  /** Matching ids in time order (for the tick strip under the axis). */
  searchMatches: Int32Array | null;
  highlightSlices: Map<SliceId, string>;
  highlightRanges: RangeMark[];
  area: (TimeRange & { rowKeys: ReadonlySet<string> }) | null;
  ruler: TimeRange | null;
  /** Flow indices (model.flows) whose arrows to draw: those of the selected slice. */
  flows: number[];
  /** Cursor time for the vertical hairline, or null. */
  cursorNs: Ns | null;
  /** Axis labels read time since this instant (0 = trace start). */
  axisOriginNs?: Ns;
  text: TextCache;
  /** SLICE_FONT, or PRESENTER_SLICE_FONT in presenter mode (`text` holds widths in this font). */
  sliceFont: string;
}

/**
 * Performance mark a widget sets once, after drawing its first frame of a trace
 * (bench/first-draw.mjs reads the page's first one: time from navigation).
 */
export const FIRST_DRAW_MARK = 'tracewise:first-draw';

/** Font of slice labels; `TextCache` widths are only valid in this font. */
export const SLICE_FONT = '11px system-ui, -apple-system, "Segoe UI", sans-serif';
export const PRESENTER_SLICE_FONT = '600 15px system-ui, -apple-system, "Segoe UI", sans-serif';

/** Measured widths of interned strings in one font (the frame's `sliceFont`), shared between frames of one model. */
export class TextCache {
  private readonly widths: Float32Array;
  constructor(stringCount: number) {
    this.widths = new Float32Array(stringCount).fill(-1);
  }
  /** Width of `text` (string `index`); the context's font must be the one this cache was made for. */
  width(ctx: CanvasRenderingContext2D, index: number, text: string): number {
    let w = this.widths[index];
    if (w < 0) this.widths[index] = w = ctx.measureText(text).width;
    return w;
  }
}
