/**
 * Canvas point → what is under it: the axis, a pinned or scrolled row, and
 * the slice at that depth and time (with a few pixels of tolerance so thin
 * kernels can be clicked), or the instant marker there as it is drawn at this
 * zoom. Also the reverse: where a row sits on the canvas.
 */
import { AXIS_PX, GROUP_HEADER_PX, depthAtY, rowAtY, type Layout, type PlacedRow } from './layout.ts';
import type { SliceLod } from './lod.ts';
import type { InstantLod, InstantId } from './instants.ts';
import { nsPerPx, pxToTime } from './viewport.ts';
import type { CssPx, SliceId, Viewport } from './units.ts';

export const HIT_TOLERANCE_PX: CssPx = 3;
/** Markers are a few pixels wide: the whole diamond is clickable. */
export const MARKER_HIT_PX: CssPx = 6;

export interface HitFrame {
  layout: Layout;
  scrollTopPx: CssPx;
  viewport: Viewport;
  lod: SliceLod;
  instants?: InstantLod;
}

export interface Hit {
  area: 'axis' | 'pinned' | 'content' | 'outside';
  row: PlacedRow | null;
  /** Row top in canvas coordinates (when `row`). */
  rowTopPx: CssPx;
  sliceId: SliceId;
  /** The instant marker under the point (its first instant and how many it stands for), or null. */
  instant: { id: InstantId; count: number } | null;
}

/** Canvas y where the scrolled content starts. */
export function contentTopPx(layout: Layout): CssPx {
  return AXIS_PX + layout.pinnedHeightPx;
}

export function hitTest(f: HitFrame, x: CssPx, y: CssPx): Hit {
  const none: Hit = { area: 'outside', row: null, rowTopPx: 0, sliceId: -1, instant: null };
  if (x < 0 || x > f.viewport.widthPx || y < 0) return none;
  if (y < AXIS_PX) return { ...none, area: 'axis' };
  let row: PlacedRow | null;
  let rowTopPx: CssPx;
  let area: Hit['area'];
  if (y < contentTopPx(f.layout)) {
    area = 'pinned';
    row = rowAtY(f.layout.pinned, y - AXIS_PX);
    rowTopPx = row ? row.y + AXIS_PX : 0;
  } else {
    area = 'content';
    row = rowAtY(f.layout.rows, y - contentTopPx(f.layout) + f.scrollTopPx);
    rowTopPx = row ? row.y + contentTopPx(f.layout) - f.scrollTopPx : 0;
  }
  if (!row) return { ...none, area };
  let sliceId = -1;
  if (row.row.source.kind === 'slices') {
    const depth = depthAtY(y - rowTopPx, row.row.source.depthCount, row.row.source.slicePx);
    if (depth >= 0) {
      const tNs = pxToTime(f.viewport, x);
      sliceId = f.lod.hit(row.row.source.trackId, depth, tNs, HIT_TOLERANCE_PX * nsPerPx(f.viewport));
    }
  }
  let instant: Hit['instant'] = null;
  if (row.row.source.kind === 'instants' && f.instants) {
    const perPx = nsPerPx(f.viewport);
    instant = f.instants.hit(row.row.source.trackId, pxToTime(f.viewport, x), MARKER_HIT_PX * perPx, perPx);
  }
  return { area, row, rowTopPx, sliceId, instant };
}

/**
 * Canvas y of the top of the row with `rowKey`, or of its group's header when
 * the group is collapsed; null when the row is filtered out.
 */
export function rowTopOnCanvas(layout: Layout, scrollTopPx: CssPx, rowKey: string): { y: CssPx; heightPx: CssPx; row: PlacedRow | null } | null {
  const pinned = layout.pinned.find((r) => r.row.key === rowKey);
  if (pinned) return { y: pinned.y + AXIS_PX, heightPx: pinned.row.heightPx, row: pinned };
  const placed = layout.rows.find((r) => r.row.key === rowKey);
  const top = contentTopPx(layout) - scrollTopPx;
  if (placed) return { y: placed.y + top, heightPx: placed.row.heightPx, row: placed };
  const header = layout.headers.find((h) => h.group.rows.some((r) => r.key === rowKey));
  if (header) return { y: header.y + top, heightPx: GROUP_HEADER_PX, row: null };
  return null;
}
