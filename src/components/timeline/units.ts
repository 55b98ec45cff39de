/**
 * Types shared by the timeline widget: units, the viewport, what a learner
 * selected, and the public API an exercise talks to.
 */
import type { Ns, SliceId, TrackId } from '../../lib/trace/model.ts';

export type { Ns, SliceId, TrackId };
/** CSS pixels (before devicePixelRatio). */
export type CssPx = number;

/** A time window in model nanoseconds. */
export interface TimeRange {
  startNs: Ns;
  endNs: Ns;
}

/** The visible window plus the canvas width it maps onto. */
export interface Viewport extends TimeRange {
  widthPx: CssPx;
}

/** What the learner picked; reported to exercises through `onselect`. */
export type TimelineSelection =
  | { kind: 'slice'; sliceId: SliceId; trackId: TrackId; startNs: Ns; endNs: Ns; name: string }
  | { kind: 'range'; startNs: Ns; endNs: Ns; rowKeys: string[] }
  /** An instant marker: `instantId` indexes model.instants; `count` instants share the marker at the zoom it was clicked. */
  | { kind: 'instant'; instantId: number; trackId: TrackId; startNs: Ns; endNs: Ns; name: string; count: number }
  | { kind: 'none' };

/** A labelled mark drawn over the timeline ("GQA", "FFN", "all-reduce"). */
export interface Highlight {
  label: string;
  /** Slices to outline. */
  sliceIds?: SliceId[];
  /** Or a time range to shade across all tracks. */
  startNs?: Ns;
  endNs?: Ns;
  /** Palette slot (0..7); picked from the label when absent. */
  colorIndex?: number;
}

/** The imperative handle (`bind:this`, or `element.twTimeline` for plain scripts). */
export interface TimelineHandle {
  showRange(range: TimeRange): void;
  select(target: SliceId | TimeRange | null): void;
  highlight(highlights: Highlight[]): void;
  /** Scrolls the widget's rows so the row of this slice is in view (opening its group); the time window is not changed. */
  revealSlice?(id: SliceId): void;
  /** The shown window, or null before the trace is in (reactive in an $effect). */
  visibleWindow?(): TimeRange | null;
}
