/**
 * Which rows the timeline shows, in what order, and where: tracks grouped by
 * process in the order learners know from MindStudio Insight (Ascend: Python,
 * CANN, Ascend Hardware, HCCL, Overlap Analysis, then counters) or from
 * Perfetto/TensorBoard (GPU: host threads, then device streams), computed
 * tracks after the devices; collapsible groups, pinned rows on top.
 */
import type { ProcessId, TraceModel } from '../../lib/trace/model.ts';
import type { CssPx, TrackId } from './units.ts';

export const AXIS_PX: CssPx = 26;
export const GROUP_HEADER_PX: CssPx = 24;
export const SLICE_ROW_PX: CssPx = 18;
export const ROW_PAD_PX: CssPx = 3;
export const COUNTER_ROW_PX: CssPx = 40;
export const LANE_ROW_PX: CssPx = 20;
export const INSTANT_ROW_PX: CssPx = 18;
/** Presenter mode (a projector at the back of a room): taller slice levels and lanes; labels use PRESENTER_SLICE_FONT. */
export const PRESENTER_SLICE_ROW_PX: CssPx = 26;
export const PRESENTER_LANE_ROW_PX: CssPx = 28;
/** Deep stacks (a Python call stack is often 30+ levels) show this many levels until expanded. */
export const DEPTH_CAP = 12;

export type RowSource =
  /** `depthCount` levels are shown, of `totalDepth` (more when the row is expanded). */
  | { kind: 'slices'; trackId: TrackId; depthCount: number; totalDepth: number; /** Height of one level; SLICE_ROW_PX unless in presenter mode. */ slicePx?: CssPx }
  | { kind: 'counter'; trackId: TrackId }
  /** Instant events of a track, drawn as markers (see instants.ts). */
  | { kind: 'instants'; trackId: TrackId }
  /** A lane of a computed track: interval set `laneIndex` of computed track `computedKey`. */
  | { kind: 'lane'; computedKey: string; laneIndex: number };

export interface RowSpec {
  key: string;
  label: string;
  groupKey: string;
  source: RowSource;
  heightPx: CssPx;
}

export interface GroupSpec {
  key: string;
  label: string;
  /** Why this group sits where it does (see `groupRank`). */
  rank: number;
  rows: RowSpec[];
}

/** A computed track (e.g. overlap lanes of one device) as the layout sees it. */
export interface ComputedGroupSpec {
  key: string;
  label: string;
  rank: number;
  laneLabels: string[];
}

/**
 * A process as learners know it: Kineto's GPU process is "GPU 0" (its label;
 * its name repeats the host's), a host process is "python3.10 2910249" as in
 * Perfetto, Ascend processes keep their names ("Python", "Ascend Hardware").
 */
export function processDisplayName(model: TraceModel, p: ProcessId): string {
  const name = model.strings[model.processes.name[p]] ?? '';
  const label = model.processes.label[p] >= 0 ? (model.strings[model.processes.label[p]] ?? '') : '';
  const kind = model.processes.kind[p];
  const pid = model.processes.pid[p];
  if ((kind === 'gpu' || kind === 'npu') && /^(GPU|NPU)\s*\d+$/i.test(label)) return label;
  if (kind === 'host' && model.format !== 'ascend' && name && pid && /^\d+$/.test(pid)) return `${name} ${pid}`;
  return name || label || `Process ${pid}`;
}

export function trackDisplayName(model: TraceModel, t: TrackId): string {
  // Kineto writes "stream 7 " with a trailing space.
  const name = (model.strings[model.tracks.name[t]] ?? '').trim();
  return name || `Thread ${model.tracks.tid[t]}`;
}

/**
 * Sort rank of a process. Ascend host processes are "Python" then "CANN";
 * everything else follows its kind: host, device, communication, the
 * profiler's own overlap lanes, computed lanes (rank 4.5, see computed.ts),
 * counters, other.
 */
export function groupRank(model: TraceModel, p: ProcessId): number {
  const kind = model.processes.kind[p];
  const name = processDisplayName(model, p).toLowerCase();
  switch (kind) {
    case 'host':
      if (model.format === 'ascend') return name === 'python' ? 0 : name === 'cann' ? 1 : 1.5;
      return 0;
    case 'gpu':
    case 'npu':
      return 2;
    case 'comm':
      return 3;
    case 'overlap':
      return 4;
    case 'counters':
      return 6;
    default:
      return 7;
  }
}

function sliceRowHeight(depthCount: number, slicePx: CssPx = SLICE_ROW_PX): CssPx {
  return Math.max(1, depthCount) * slicePx + 2 * ROW_PAD_PX;
}

let collator: Intl.Collator | null = null;

/**
 * Track names in natural order ("Stream 2" before "Stream 10"), as `localeCompare(b, 'en', { numeric: true })`
 * orders them: one collator, made when first needed, instead of one per comparison (that made sorting a
 * trace's tracks tens of ms on the way to its first frame).
 */
function numericOrder(): Intl.Collator {
  return (collator ??= new Intl.Collator('en', { numeric: true }));
}

/** A compiled track filter: plain text matches case-insensitively, "/re/flags" is a regex. */
export function compilePattern(pattern: string): (text: string) => boolean {
  const m = /^\/(.+)\/([a-z]*)$/.exec(pattern.trim());
  if (m) {
    try {
      const re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
      return (text) => re.test(text);
    } catch {
      // An invalid regex is matched as text, so a typo shows nothing rather than throwing.
    }
  }
  const needle = pattern.trim().toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

export function buildGroups(model: TraceModel, computed: ComputedGroupSpec[] = [], trackFilter?: string | string[], expanded: ReadonlySet<string> = new Set(), opts: { presenter?: boolean } = {}): GroupSpec[] {
  const slicePx = opts.presenter ? PRESENTER_SLICE_ROW_PX : SLICE_ROW_PX;
  const lanePx = opts.presenter ? PRESENTER_LANE_ROW_PX : LANE_ROW_PX;
  const patterns = (trackFilter === undefined ? [] : Array.isArray(trackFilter) ? trackFilter : [trackFilter]).filter((p) => p.trim() !== '').map(compilePattern);
  const keep = (groupLabel: string, rowLabel: string) =>
    patterns.length === 0 || patterns.some((match) => match(rowLabel) || match(groupLabel) || match(`${groupLabel} / ${rowLabel}`));

  const tracksByProcess: TrackId[][] = Array.from({ length: model.processes.length }, () => []);
  for (let t = 0; t < model.tracks.length; t++) tracksByProcess[model.tracks.process[t]].push(t);
  const hasCounterSamples = new Uint8Array(model.tracks.length);
  for (let i = 0; i < model.counters.length; i++) hasCounterSamples[model.counters.track[i]] = 1;
  const hasInstants = new Uint8Array(model.tracks.length);
  for (let i = 0; i < model.instants.length; i++) hasInstants[model.instants.track[i]] = 1;

  const groups: GroupSpec[] = [];
  for (let p = 0; p < model.processes.length; p++) {
    const key = `p${p}`;
    const label = processDisplayName(model, p);
    const names = new Map(tracksByProcess[p].map((t) => [t, trackDisplayName(model, t)]));
    const tracks = tracksByProcess[p].sort((a, b) => model.tracks.sortIndex[a] - model.tracks.sortIndex[b] || numericOrder().compare(names.get(a)!, names.get(b)!));
    const rows: RowSpec[] = [];
    for (const t of tracks) {
      const rowLabel = trackDisplayName(model, t);
      if (!keep(label, rowLabel)) continue;
      const nSlices = model.tracks.sliceEnd[t] - model.tracks.sliceStart[t];
      // Markers above the slices they happen among, as Perfetto draws them.
      if (hasInstants[t]) rows.push({ key: `i${t}`, label: rowLabel, groupKey: key, source: { kind: 'instants', trackId: t }, heightPx: INSTANT_ROW_PX });
      if (nSlices > 0) {
        const totalDepth = model.tracks.maxDepth[t];
        const rowKey = `t${t}`;
        const depthCount = expanded.has(rowKey) ? totalDepth : Math.min(totalDepth, DEPTH_CAP);
        rows.push({ key: rowKey, label: rowLabel, groupKey: key, source: { kind: 'slices', trackId: t, depthCount, totalDepth, slicePx }, heightPx: sliceRowHeight(depthCount, slicePx) });
      }
      if (hasCounterSamples[t]) {
        rows.push({ key: `c${t}`, label: rowLabel, groupKey: key, source: { kind: 'counter', trackId: t }, heightPx: COUNTER_ROW_PX });
      }
    }
    if (rows.length) groups.push({ key, label, rank: groupRank(model, p), rows });
  }
  // Two processes with one name (two ranks in one file): tell them apart by pid.
  const seen = new Map<string, number>();
  for (const g of groups) seen.set(g.label, (seen.get(g.label) ?? 0) + 1);
  for (const g of groups) if ((seen.get(g.label) ?? 0) > 1) g.label = `${g.label} (pid ${model.processes.pid[Number(g.key.slice(1))]})`;
  const sortIndexOf = new Map(groups.map((g) => [g.key, model.processes.sortIndex[Number(g.key.slice(1))]]));
  for (const c of computed) {
    const rows = c.laneLabels
      .map((laneLabel, i): RowSpec => ({ key: `${c.key}/${i}`, label: laneLabel, groupKey: c.key, source: { kind: 'lane', computedKey: c.key, laneIndex: i }, heightPx: lanePx }))
      .filter((r) => keep(c.label, r.label));
    if (rows.length) groups.push({ key: c.key, label: c.label, rank: c.rank, rows });
  }
  const order = new Map(groups.map((g, i) => [g.key, i]));
  return groups.sort((a, b) => a.rank - b.rank || (sortIndexOf.get(a.key) ?? 0) - (sortIndexOf.get(b.key) ?? 0) || order.get(a.key)! - order.get(b.key)!);
}

export interface PlacedRow {
  row: RowSpec;
  /** Top, in the coordinates of its area (pinned area or scrolled content). */
  y: CssPx;
}
export interface PlacedHeader {
  group: GroupSpec;
  y: CssPx;
  collapsed: boolean;
}
export interface Layout {
  pinned: PlacedRow[];
  pinnedHeightPx: CssPx;
  headers: PlacedHeader[];
  rows: PlacedRow[];
  contentHeightPx: CssPx;
}

export function layoutRows(groups: GroupSpec[], collapsed: ReadonlySet<string>, pinned: ReadonlySet<string>): Layout {
  const out: Layout = { pinned: [], pinnedHeightPx: 0, headers: [], rows: [], contentHeightPx: 0 };
  // Pinned rows, in the order the groups would show them.
  for (const g of groups) {
    for (const row of g.rows) {
      if (!pinned.has(row.key)) continue;
      out.pinned.push({ row, y: out.pinnedHeightPx });
      out.pinnedHeightPx += row.heightPx;
    }
  }
  let y = 0;
  for (const g of groups) {
    const isCollapsed = collapsed.has(g.key);
    out.headers.push({ group: g, y, collapsed: isCollapsed });
    y += GROUP_HEADER_PX;
    if (isCollapsed) continue;
    for (const row of g.rows) {
      if (pinned.has(row.key)) continue;
      out.rows.push({ row, y });
      y += row.heightPx;
    }
  }
  out.contentHeightPx = y;
  return out;
}

/** Rank of the first device group (GPU or NPU streams, Ascend Hardware); see `groupRank`. */
export const DEVICE_RANK = 2;
/** Host levels kept in view above the device rows when both do not fit (four slice levels). */
export const MIN_HOST_PX: CssPx = 4 * SLICE_ROW_PX + 2 * ROW_PAD_PX;

/**
 * Where a widget's rows start scrolled: a Python call stack is often deeper than a lesson widget is
 * tall, and the device rows (what the host launched, what the lessons are about) sit below it, so a
 * widget showing the top of the stack shows no kernel at all. When the first expanded device group
 * is not wholly in `visiblePx`, the rows start scrolled so it is — or, when it is itself too tall, so
 * that its top sits `minHostPx` (at most a third of the rows' height, for a compact widget) below the
 * top — never hiding more of the host than that needs. The host levels that stay in view are the
 * deepest: the ops and runtime calls that launched the kernels.
 */
export function deviceScrollTop(layout: Layout, visiblePx: CssPx, minHostPx: CssPx = MIN_HOST_PX): CssPx {
  const i = layout.headers.findIndex((h) => h.group.rank >= DEVICE_RANK && !h.collapsed);
  if (i <= 0 || visiblePx <= 0) return 0;
  const top = layout.headers[i].y;
  const bottom = i + 1 < layout.headers.length ? layout.headers[i + 1].y : layout.contentHeightPx;
  if (bottom <= visiblePx) return 0;
  const most = Math.max(0, layout.contentHeightPx - visiblePx);
  const host = Math.min(minHostPx, Math.floor(visiblePx / 3));
  return Math.min(most, Math.max(0, Math.min(bottom - visiblePx, top - host)));
}

/** Whole slice levels of a row scrolled out of view above, `hiddenPx` being how far its top is above the rows' top. */
export function levelsAbove(hiddenPx: CssPx, depthCount: number, slicePx: CssPx = SLICE_ROW_PX): number {
  return Math.max(0, Math.min(depthCount, Math.floor((hiddenPx - ROW_PAD_PX) / slicePx)));
}

/** The placed row at content height `y` (binary search), or null (header, gap, past the end). */
export function rowAtY(rows: PlacedRow[], y: CssPx): PlacedRow | null {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].y + rows[mid].row.heightPx <= y) lo = mid + 1;
    else hi = mid;
  }
  const r = rows[lo];
  return r && r.y <= y ? r : null;
}

/** Placed rows overlapping [y0, y1). */
export function rowsBetween(rows: PlacedRow[], y0: CssPx, y1: CssPx): PlacedRow[] {
  return rows.filter((r) => r.y < y1 && r.y + r.row.heightPx > y0);
}

/** The slice depth at `yInRow` pixels below a slice row's top; -1 in the padding. */
export function depthAtY(yInRow: CssPx, depthCount: number, slicePx: CssPx = SLICE_ROW_PX): number {
  const d = Math.floor((yInRow - ROW_PAD_PX) / slicePx);
  return d >= 0 && d < depthCount ? d : -1;
}
