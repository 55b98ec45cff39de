/**
 * The widget's view state: the loaded model (kept out of deep reactivity),
 * the visible window, rows, selection, search and highlights, as runes on
 * one class. Components read it and call its methods; the canvas redraws
 * whenever something `frame()` reads changes.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { aggregateSlices, type Aggregate } from './aggregate.ts';
import { SliceColors, chromeColors, highlightColor, slicePalette, type ChromeColors, type ColorMode } from './colors.ts';
import { WORK_KIND_COLOR, blocksPerSmBands, computedTracksOf, detectorIndexOf, overlapInRange, type ComputedTrack, type DetectorIndex, type RangeOverlap } from './computed.ts';
import { contentExtentOf } from './background.ts';
import { analysisOf, knownContentExtent } from '../../lib/worker/client.ts';
import { buildCounterSeries, type CounterSeries } from './counters.ts';
import { PRESENTER_SLICE_FONT, SLICE_FONT, TextCache, type FrameInput, type RangeMark } from './frame.ts';
import { contentTopPx, rowTopOnCanvas } from './hit-test.ts';
import { DEPTH_CAP, buildGroups, layoutRows, type GroupSpec, type Layout } from './layout.ts';
import { SliceLod } from './lod.ts';
import { InstantLod, instantDetails, type InstantDetails } from './instants.ts';
import { compileSearch, inWindow, onTrack, searchSlices, stepMatch, type SearchScope } from './search.ts';
import { FlowIndex, sliceDetails, type SliceDetails } from './slice-info.ts';
import { clampWindow, padRange, panBy, pxToTime, spanNs, traceBounds, zoomAround } from './viewport.ts';
import type { CssPx, Highlight, Ns, SliceId, TimeRange, TimelineSelection, Viewport } from './units.ts';

export type DragMode = 'pan' | 'area' | 'ruler';

interface SearchState {
  matches: Int32Array;
  marks: Uint8Array;
  error?: string;
}

/** Groups collapsed when a trace opens: counters and leftovers, to keep the main lanes in view. */
const COLLAPSED_RANK = 6;

export class TimelineView {
  model = $state.raw<TraceModel | null>(null);
  computedTracks = $state.raw<ComputedTrack[]>([]);
  /** True until the worker's analysis (computed tracks, then detectors) is in. */
  computing = $state(false);
  detectors = $state.raw<DetectorIndex | null>(null);
  /** Bumped when non-reactive caches (colours) change, so the canvas redraws. */
  cacheVersion = $state(0);

  window = $state.raw<TimeRange>({ startNs: 0, endNs: 1 });
  widthPx = $state(800);
  heightPx = $state(400);
  scrollTopPx = $state(0);
  /** Set by methods that want the row list scrolled; the component applies and clears it. */
  scrollRequest = $state<number | null>(null);
  collapsed = $state.raw<ReadonlySet<string>>(new Set());
  pinned = $state.raw<ReadonlySet<string>>(new Set());
  /** Slice rows showing all their levels (see DEPTH_CAP). */
  expandedRows = $state.raw<ReadonlySet<string>>(new Set());
  trackFilter = $state.raw<string | string[] | undefined>(undefined);

  selection = $state.raw<TimelineSelection>({ kind: 'none' });
  hoverSlice = $state(-1);
  /** Tooltip under the pointer (canvas CSS px), or null. */
  tooltip = $state.raw<{ x: CssPx; y: CssPx; text: string } | null>(null);
  cursorNs = $state<Ns | null>(null);
  ruler = $state.raw<TimeRange | null>(null);
  searchText = $state('');
  search = $state.raw<SearchState | null>(null);
  matchIndex = $state(-1);
  /** Where Enter / ‹ › step: every match, those in the visible range, or those on one lane (`searchLane`). */
  searchScope = $state<SearchScope>('all');
  /** The track the lane scope keeps to (the selected slice's when the scope was chosen). */
  searchLane = $state<number | null>(null);
  /** Matches overlapping the visible range ("n in view"). */
  matchesInView = $derived(this.search && this.model ? inWindow(this.model, this.search.matches, this.window) : null);
  /** The matches Enter / ‹ › step through, per `searchScope`. */
  scopedMatches = $derived.by(() => {
    const s = this.search;
    const m = this.model;
    if (!s || !m) return null;
    if (this.searchScope === 'view') return this.matchesInView;
    if (this.searchScope === 'lane' && this.searchLane !== null) return onTrack(m, s.matches, this.searchLane);
    return s.matches;
  });
  highlights = $state.raw<Highlight[]>([]);
  /** Detectors whose reasons the details panel keeps behind a "show" button (an exercise on the page asks for what they say). */
  hiddenDetectors = $state.raw<readonly string[]>([]);
  /** The learner pressed "show" on a hidden fact. */
  hiddenShown = $state(false);
  dragMode = $state<DragMode>('pan');
  colorMode = $state<ColorMode>('category');
  chrome = $state.raw<ChromeColors>({
    dark: true,
    background: '#17181c',
    headerBackground: '#23262f',
    text: '#fff',
    textMuted: '#8b93a7',
    grid: 'rgba(255,255,255,0.08)',
    accent: '#b3c7ff',
    selection: '#fff',
  });

  // Per-model caches: built once in setModel, never mutated in place by Svelte.
  lod: SliceLod | null = null;
  instantLod: InstantLod | null = null;
  colors: SliceColors | null = null;
  counters = new Map<number, CounterSeries>();
  /** Built on the first slice selection (a pass over the flows), not at load. */
  private flowIndexCache: FlowIndex | null = null;
  get flowIndex(): FlowIndex | null {
    const m = this.model;
    if (!m) return null;
    if (this.flowIndexCache?.model !== m) this.flowIndexCache = new FlowIndex(m);
    return this.flowIndexCache;
  }
  text: TextCache | null = null;

  /** Called with every selection the learner (or the API) makes. */
  onSelectionChange: ((s: TimelineSelection) => void) | null = null;

  /** Presenter mode: taller rows, larger labels, a high-contrast palette (set through `setPresenter`). */
  presenter = $state(false);
  palette = $derived(slicePalette(this.chrome.dark, this.presenter));
  /** The view may scroll at least this far even when the trace ends earlier (timelines synced with a longer trace). */
  minEndNs = $state(0);
  /** The view may scroll at least this far back (a synced timeline whose anchor comes later than this one's). */
  minStartNs = $state(0);
  /** Axis labels count from here (0: the trace start; a compared pair counts from its anchor). */
  axisOriginNs = $state(0);
  bounds = $derived.by(() => {
    const b = traceBounds(Math.max(this.model?.endNs ?? 1, this.minEndNs));
    return { startNs: Math.min(b.startNs, this.minStartNs), endNs: b.endNs };
  });
  viewport: Viewport = $derived({ startNs: this.window.startNs, endNs: this.window.endNs, widthPx: this.widthPx });
  groups: GroupSpec[] = $derived(this.model ? buildGroups(this.model, this.computedTracks, this.trackFilter, this.expandedRows, { presenter: this.presenter }) : []);
  /** Where the slices are: "Fit all" shows this, not counters sampled long before and after. */
  contentExtent: TimeRange = $derived(this.model ? (knownContentExtent(this.model) ?? contentExtentOf(this.model)) : { startNs: 0, endNs: 1 });
  layout: Layout = $derived(layoutRows(this.groups, this.collapsed, this.pinned));
  computedByKey = $derived(new Map(this.computedTracks.map((c) => [c.key, c])));
  /** Track ids shown by some row (the search looks only there). */
  shownTracks = $derived(new Set(this.groups.flatMap((g) => g.rows.flatMap((r) => (r.source.kind === 'slices' ? [r.source.trackId] : []))))); // prettier-ignore

  details: SliceDetails | null = $derived.by(() => {
    const s = this.selection;
    if (s.kind !== 'slice' || !this.model || !this.flowIndex) return null;
    return sliceDetails(this.model, this.flowIndex, s.sliceId);
  });

  instantInfo: InstantDetails | null = $derived.by(() => {
    const s = this.selection;
    if (s.kind !== 'instant' || !this.model) return null;
    return instantDetails(this.model, s.instantId, s.count);
  });

  aggregate: Aggregate | null = $derived.by(() => {
    const s = this.selection;
    if (s.kind !== 'range' || !this.model || !this.lod) return null;
    return aggregateSlices(this.model, this.lod, this.tracksOfRows(s.rowKeys), s.startNs, s.endNs);
  });

  rangeOverlap: RangeOverlap[] = $derived.by(() => {
    const s = this.selection;
    const tracks = this.computedTracks;
    if (s.kind !== 'range' || !this.model || tracks.length === 0) return [];
    try {
      return overlapInRange(tracks, s);
    } catch (e) {
      console.warn('timeline: overlap breakdown unavailable', e);
      return [];
    }
  });

  setModel(model: TraceModel, initialWindow?: TimeRange): void {
    this.lod = new SliceLod(model);
    this.instantLod = new InstantLod(model);
    this.colors = new SliceColors(model);
    this.colors.mode = this.colorMode;
    this.colors.setBlockBands(blocksPerSmBands(model));
    this.counters = buildCounterSeries(model);
    this.flowIndexCache = null;
    this.text = new TextCache(model.strings.length);
    this.computedTracks = [];
    this.detectors = null;
    this.model = model;
    this.selection = { kind: 'none' };
    this.ruler = null;
    this.search = null;
    this.matchIndex = -1;
    this.collapsed = new Set(buildGroups(model).filter((g) => g.rank >= COLLAPSED_RANK).map((g) => g.key));
    this.pinned = new Set();
    this.expandedRows = new Set();
    this.window = clampWindow(initialWindow ?? padRange(this.contentExtent, 0.02, this.bounds), this.bounds);
    if (this.searchText) this.setSearch(this.searchText);
    this.runAnalysis(model);
  }

  /**
   * The analysis and the big tracks' LOD levels come from the worker (the one
   * that came with the load, or a worker given a copy of a model handed in
   * directly), lanes' levels too. Nothing here walks the slices.
   */
  private runAnalysis(model: TraceModel): void {
    this.computing = true;
    const wanted = () => this.model === model;
    const a = analysisOf(model);
    const lod = this.lod;
    a.lod.then(
      (packed) => {
        if (wanted() && lod && lod === this.lod) lod.adopt(packed);
      },
      () => {
        /* levels are then built on demand while drawing */
      },
    );
    const tracks = a.tracks.then(
      (t) => {
        if (!wanted()) return;
        for (const f of t.failures) console.warn('timeline: analysis step failed:', f);
        this.colors?.setWorkKindCodes(t.workKindCodes, WORK_KIND_COLOR);
        this.computedTracks = computedTracksOf(t);
        this.cacheVersion++;
      },
      (e: unknown) => {
        // A released load's worker is stopped on purpose: only the shown model's failure is news.
        if (wanted() && (e as { code?: string })?.code !== 'aborted') console.warn('timeline: analysis unavailable', e);
      },
    );
    const detectors = a.detectors.then(
      (packed) => {
        if (!wanted()) return;
        const idx = detectorIndexOf(packed);
        if (!idx) {
          console.warn('timeline: detectors unavailable', packed.failure);
          return;
        }
        this.colors?.setDetectorCodes(idx.firstDetector, idx.familyOfCode);
        this.detectors = idx;
        this.cacheVersion++;
      },
      (e: unknown) => {
        if (wanted() && (e as { code?: string })?.code !== 'aborted') console.warn('timeline: detectors unavailable', e);
      },
    );
    void Promise.all([tracks, detectors]).then(() => {
      if (wanted()) this.computing = false;
    });
  }

  setTheme(el: Element): void {
    this.chrome = chromeColors(el);
  }

  setPresenter(on: boolean): void {
    if (this.presenter === on) return;
    this.presenter = on;
    // Label widths were measured in the other font.
    if (this.model) this.text = new TextCache(this.model.strings.length);
    this.cacheVersion++;
  }

  setColorMode(mode: ColorMode): void {
    this.colorMode = mode;
    if (this.colors) this.colors.mode = mode;
    this.cacheVersion++;
  }

  // — navigation —

  showRange(r: TimeRange): void {
    this.window = clampWindow({ startNs: Math.min(r.startNs, r.endNs), endNs: Math.max(r.startNs, r.endNs) }, this.bounds);
  }

  fitAll(): void {
    this.window = padRange(this.contentExtent, 0.02, this.bounds);
  }

  zoomAtPx(xPx: CssPx, factor: number): void {
    this.window = zoomAround(this.window, pxToTime(this.viewport, xPx), factor, this.bounds);
  }

  panPx(dxPx: CssPx): void {
    this.window = panBy(this.window, (dxPx * spanNs(this.window)) / Math.max(1, this.widthPx), this.bounds);
  }

  /** F: the selected slice or range with some margin; the ruler when nothing is selected. */
  zoomToSelection(): void {
    const s = this.selection;
    const target = s.kind !== 'none' ? s : this.ruler;
    if (!target) return;
    this.window = padRange(target, s.kind === 'slice' ? 0.15 : 0.05, this.bounds);
  }

  // — rows —

  toggleCollapsed(key: string): void {
    const next = new Set(this.collapsed);
    if (!next.delete(key)) next.add(key);
    this.collapsed = next;
  }

  togglePinned(key: string): void {
    const next = new Set(this.pinned);
    if (!next.delete(key)) next.add(key);
    this.pinned = next;
  }

  toggleDepth(key: string): void {
    const next = new Set(this.expandedRows);
    if (!next.delete(key)) next.add(key);
    this.expandedRows = next;
  }

  private tracksOfRows(rowKeys: readonly string[]): number[] {
    const out: number[] = [];
    for (const g of this.groups) for (const r of g.rows) if (r.source.kind === 'slices' && rowKeys.includes(r.key)) out.push(r.source.trackId);
    return out;
  }

  /** Scrolls the row list so `rowKey` is visible (expanding its group first). */
  revealRow(rowKey: string): void {
    const group = this.groups.find((g) => g.rows.some((r) => r.key === rowKey));
    if (group && this.collapsed.has(group.key)) this.toggleCollapsed(group.key);
    if (this.pinned.has(rowKey)) return;
    const placed = this.layout.rows.find((r) => r.row.key === rowKey);
    if (!placed) return;
    const visible = this.heightPx - contentTopPx(this.layout);
    if (placed.y < this.scrollTopPx || placed.y + Math.min(placed.row.heightPx, visible) > this.scrollTopPx + visible) {
      this.scrollRequest = Math.max(0, placed.y - 40);
    }
  }

  // — selection —

  private emit(): void {
    this.onSelectionChange?.(this.selection);
  }

  selectSlice(id: SliceId, opts: { reveal?: boolean } = {}): void {
    const m = this.model;
    if (!m || id < 0 || id >= m.slices.length) return;
    const startNs = m.slices.startNs[id];
    const endNs = startNs + m.slices.durNs[id];
    this.selection = { kind: 'slice', sliceId: id, trackId: m.slices.track[id], startNs, endNs, name: m.strings[m.slices.name[id]] ?? '' };
    if (opts.reveal) {
      const rowKey = `t${m.slices.track[id]}`;
      if (m.slices.depth[id] >= DEPTH_CAP && !this.expandedRows.has(rowKey)) this.toggleDepth(rowKey);
      this.revealRow(rowKey);
      const w = this.window;
      if (endNs - startNs > spanNs(w)) this.zoomToSelection();
      else if (startNs < w.startNs || endNs > w.endNs) {
        const mid = (startNs + endNs) / 2;
        this.window = clampWindow({ startNs: mid - spanNs(w) / 2, endNs: mid + spanNs(w) / 2 }, this.bounds);
      }
    }
    this.emit();
  }

  /** An instant marker (`count` > 1: it stands for that many instants at this zoom). */
  selectInstant(id: number, count = 1): void {
    const m = this.model;
    if (!m || id < 0 || id >= m.instants.length) return;
    const tsNs = m.instants.tsNs[id];
    this.selection = { kind: 'instant', instantId: id, trackId: m.instants.track[id], startNs: tsNs, endNs: tsNs, name: m.strings[m.instants.name[id]] ?? '', count };
    this.emit();
  }

  selectRange(r: TimeRange, rowKeys: string[]): void {
    const startNs = Math.min(r.startNs, r.endNs);
    const endNs = Math.max(r.startNs, r.endNs);
    this.selection = { kind: 'range', startNs, endNs, rowKeys };
    this.emit();
  }

  /** A range over every row currently shown (the API's `select({startNs, endNs})`). */
  selectRangeAllRows(r: TimeRange): void {
    this.selectRange(r, this.groups.flatMap((g) => g.rows.map((row) => row.key)));
  }

  clearSelection(): void {
    if (this.selection.kind === 'none' && !this.ruler) return;
    this.selection = { kind: 'none' };
    this.ruler = null;
    this.emit();
  }

  // — search —

  setSearch(text: string): void {
    this.searchText = text;
    this.matchIndex = -1;
    const m = this.model;
    const compiled = compileSearch(text);
    if (!m || !compiled) {
      this.search = null;
      return;
    }
    const matches = searchSlices(m, compiled, this.shownTracks);
    const marks = new Uint8Array(m.slices.length);
    for (const id of matches) marks[id] = 1;
    this.search = { matches, marks, error: compiled.error };
  }

  /** Position of the selected slice among the scoped matches (-1: none selected, or not a match there). */
  scopedIndex = $derived.by(() => {
    const sel = this.selection;
    const list = this.scopedMatches;
    return sel.kind === 'slice' && list ? list.indexOf(sel.sliceId) : -1;
  });

  /** Chooses where the search steps; the lane scope keeps to the selected slice's track (none selected: all). */
  setSearchScope(scope: SearchScope): void {
    const sel = this.selection;
    this.searchLane = scope === 'lane' && sel.kind === 'slice' ? sel.trackId : null;
    this.searchScope = scope === 'lane' && this.searchLane === null ? 'all' : scope;
    this.matchIndex = -1;
  }

  stepSearch(direction: 1 | -1): void {
    const m = this.model;
    const matches = this.scopedMatches;
    if (!m || !matches || matches.length === 0) return;
    // From the selected match while it is in view; otherwise from the edge of the view the learner looks at.
    const sel = this.selection;
    const w = this.window;
    const selInView = sel.kind === 'slice' && sel.endNs > w.startNs && sel.startNs < w.endNs;
    const fromNs = selInView ? sel.startNs : direction === 1 ? w.startNs : w.endNs;
    const fromId = selInView ? sel.sliceId : direction === 1 ? -1 : 2 ** 31;
    const i = stepMatch(m, matches, fromNs, fromId, direction);
    if (i < 0) return;
    this.matchIndex = i;
    this.selectSlice(matches[i], { reveal: true });
  }

  // — highlights —

  highlightSlices = $derived.by(() => {
    const out = new Map<SliceId, string>();
    this.highlights.forEach((h) => {
      for (const id of h.sliceIds ?? []) out.set(id, highlightColor(h.label, h.colorIndex));
    });
    return out;
  });

  highlightRanges: RangeMark[] = $derived(
    this.highlights.flatMap((h) =>
      h.startNs !== undefined && h.endNs !== undefined ? [{ startNs: h.startNs, endNs: h.endNs, label: h.label, color: highlightColor(h.label, h.colorIndex) }] : [],
    ),
  );

  /** Everything the canvas draws; reading it subscribes the caller to all of it. */
  frame(): FrameInput | null {
    const m = this.model;
    if (!m || !this.lod || !this.instantLod || !this.colors || !this.text) return null;
    this.cacheVersion;
    const s = this.selection;
    const selected = s.kind === 'slice' ? s.sliceId : -1;
    const flows: number[] = [];
    if (selected >= 0 && this.flowIndex) {
      for (const f of this.flowIndex.outgoing(selected)) flows.push(f);
      for (const f of this.flowIndex.incoming(selected)) flows.push(f);
    }
    return {
      model: m,
      lod: this.lod,
      instants: this.instantLod,
      colors: this.colors,
      palette: this.palette,
      chrome: this.chrome,
      counters: this.counters,
      computed: this.computedByKey,
      layout: this.layout,
      scrollTopPx: this.scrollTopPx,
      viewport: this.viewport,
      heightPx: this.heightPx,
      selectedSlice: selected,
      hoverSlice: this.hoverSlice,
      selectedInstant: s.kind === 'instant' ? s.instantId : -1,
      // No dimming for a search without matches: the count already says so.
      searchMarks: this.search && this.search.matches.length ? this.search.marks : null,
      searchMatches: this.search ? this.search.matches : null,
      highlightSlices: this.highlightSlices,
      highlightRanges: this.highlightRanges,
      area: s.kind === 'range' ? { startNs: s.startNs, endNs: s.endNs, rowKeys: new Set(s.rowKeys) } : null,
      ruler: this.ruler,
      flows,
      cursorNs: this.cursorNs,
      axisOriginNs: this.axisOriginNs,
      text: this.text,
      sliceFont: this.presenter ? PRESENTER_SLICE_FONT : SLICE_FONT,
    };
  }

  /** Canvas y of a row (for the DOM row list and e2e tests). */
  rowTop(rowKey: string): number | null {
    return rowTopOnCanvas(this.layout, this.scrollTopPx, rowKey)?.y ?? null;
  }
}
