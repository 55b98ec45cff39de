/**
 * Level of detail for slice tracks, after Perfetto's slice mipmap: at a zoom
 * where one pixel spans `nsPerPx`, slices are bucketed per depth by
 * `floor(startNs / 2^L)` with `2^L ≥ nsPerPx`, and only the longest slice of
 * each bucket is drawn. A frame then visits at most about one slice per pixel
 * per depth, whatever the slice count.
 *
 * Tables are built lazily (a track's base table the first time it is drawn,
 * a level the first time that zoom is used) and cached; a level identical to
 * its source is not stored twice. For big tracks the trace worker builds every
 * level (src/lib/worker/mipmap.ts, the same code) and `adopt` takes them, so
 * the main thread does not merge millions of slices.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { buildBase, closeGaps, mergeLevel, type LevelTable, type PackedIntervalLevel, type PackedSliceLod } from '../../lib/worker/mipmap.ts';

export { closeGaps };
import type { Ns, SliceId, TrackId } from './units.ts';

/** Level for a resolution: the smallest L with 2^L ≥ nsPerPx; -1 is the raw table. */
export function levelForResolution(nsPerPx: number): number {
  if (!(nsPerPx > 1)) return -1;
  return Math.ceil(Math.log2(nsPerPx));
}

export class SliceLod {
  readonly model: TraceModel;
  /** [track][depth] → level → table; level -1 is every slice. */
  private readonly tables: Array<Array<Map<number, LevelTable>> | undefined>;

  constructor(model: TraceModel) {
    this.model = model;
    this.tables = new Array(model.tracks.length);
  }

  private depthsOf(track: TrackId): Array<Map<number, LevelTable>> {
    let depths = this.tables[track];
    if (!depths) {
      depths = buildBase(this.model, track).map((t) => new Map([[-1, t]]));
      this.tables[track] = depths;
    }
    return depths;
  }

  private table(track: TrackId, depth: number, level: number): LevelTable | undefined {
    const depths = this.depthsOf(track);
    const levels = depths[depth];
    if (!levels) return undefined;
    let t = levels.get(level);
    if (t) return t;
    // Merge from the finest cached level below: bucket boundaries nest, so
    // the longest of the longest is the longest.
    let from = -1;
    for (const l of levels.keys()) if (l < level && l > from) from = l;
    const source = levels.get(from)!;
    t = mergeLevel(this.model, source, level);
    if (t.length === source.length) t = source;
    levels.set(level, t);
    return t;
  }

  /** Takes the levels the worker built; tables this thread already has are kept. */
  adopt(packed: PackedSliceLod): void {
    for (const t of packed.tracks) {
      let depths = this.tables[t.track];
      if (!depths) depths = this.tables[t.track] = t.depths.map(() => new Map());
      t.depths.forEach((levels, d) => {
        const have = depths[d] ?? (depths[d] = new Map());
        for (const l of levels) {
          if (have.has(l.level)) continue;
          const table = l.sameAsLevel !== undefined ? (have.get(l.sameAsLevel) ?? levels.find((x) => x.level === l.sameAsLevel)?.table) : l.table;
          if (table) have.set(l.level, table);
        }
      });
    }
  }

  /**
   * Calls `visit` for each slice to draw at `depth` of `track` in the window,
   * at most about one per `nsPerPx` bucket.
   */
  forEachVisible(track: TrackId, depth: number, startNs: Ns, endNs: Ns, nsPerPx: number, visit: (id: SliceId) => void): void {
    const t = this.table(track, depth, levelForResolution(nsPerPx));
    if (!t) return;
    const starts = this.model.slices.startNs;
    const durs = this.model.slices.durNs;
    const { ids } = t;
    for (let i = firstEndingAtOrAfter(t, startNs); i < t.length; i++) {
      const id = ids[i];
      const s = starts[id];
      if (s > endNs) break;
      if (s + durs[id] >= startNs) visit(id);
    }
  }

  /**
   * The slice at `depth` under time `tNs`: the one containing it, else the
   * nearest within `tolNs` (so 1-pixel kernels can be clicked). -1 if none.
   */
  hit(track: TrackId, depth: number, tNs: Ns, tolNs: Ns): SliceId {
    const t = this.table(track, depth, -1);
    if (!t) return -1;
    const starts = this.model.slices.startNs;
    const durs = this.model.slices.durNs;
    let best = -1;
    let bestDist = Infinity;
    for (let i = firstEndingAtOrAfter(t, tNs - tolNs); i < t.length; i++) {
      const id = t.ids[i];
      const s = starts[id];
      if (s > tNs + tolNs) break;
      const e = s + durs[id];
      const dist = tNs < s ? s - tNs : tNs > e ? tNs - e : 0;
      // Inside two slices (overlapping X events on one depth): the later start wins, it is on top.
      if (dist < bestDist || (dist === 0 && bestDist === 0)) {
        best = id;
        bestDist = dist;
      }
    }
    return bestDist <= tolNs ? best : -1;
  }

  /** Every slice of `track` (all depths, exact) overlapping [startNs, endNs]. */
  forEachOverlapping(track: TrackId, startNs: Ns, endNs: Ns, visit: (id: SliceId) => void): void {
    const depths = this.depthsOf(track).length;
    for (let d = 0; d < depths; d++) this.forEachVisible(track, d, startNs, endNs, 0, visit);
  }

  /**
   * Builds every level of one depth of a track, finest first so each level is
   * merged from the one below it. Run in idle time after loading, so that
   * zooming never merges millions of slices inside a frame.
   */
  prebuild(track: TrackId, depth: number, maxLevel: number): void {
    for (let level = 0; level <= maxLevel; level++) this.table(track, depth, level);
  }

  /** One level of `prebuild` (the background runs one per macrotask). */
  prebuildLevel(track: TrackId, depth: number, level: number): void {
    this.table(track, depth, level);
  }

  /** Number of depths with slices on a track. */
  depthCount(track: TrackId): number {
    return this.depthsOf(track).length;
  }
}

function firstEndingAtOrAfter(t: LevelTable, tNs: Ns): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t.maxEndNs[mid] < tNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Level of detail for an interval set (a computed lane): at level L, gaps
 * shorter than 2^L ns are closed. A gap narrower than a pixel is invisible
 * anyway, and the closed set has at most one interval per 2^L ns, so a frame
 * draws O(pixels) rectangles however many intervals the lane has.
 */
export class IntervalLod {
  private readonly levels = new Map<number, Float64Array>();
  constructor(set: Float64Array) {
    this.levels.set(-1, set);
  }

  at(nsPerPx: number): Float64Array {
    return this.level(levelForResolution(nsPerPx));
  }

  /** Builds every level up to `maxLevel`, each from the one below (see SliceLod.prebuild). */
  prebuild(maxLevel: number): void {
    for (let level = 0; level <= maxLevel; level++) this.level(level);
  }

  prebuildLevel(level: number): void {
    this.level(level);
  }

  /** Takes the levels the worker built for this set (see mipmap.ts `intervalLevels`). */
  adopt(levels: readonly PackedIntervalLevel[]): void {
    for (const l of levels) {
      if (this.levels.has(l.level)) continue;
      const set = l.set ?? (l.sameAsLevel !== undefined ? this.levels.get(l.sameAsLevel) : undefined);
      if (set) this.levels.set(l.level, set);
    }
  }

  private level(level: number): Float64Array {
    let t = this.levels.get(level);
    if (t) return t;
    let from = -1;
    for (const l of this.levels.keys()) if (l < level && l > from) from = l;
    const source = this.levels.get(from)!;
    t = closeGaps(source, 2 ** level);
    if (t.length === source.length) t = source;
    this.levels.set(level, t);
    return t;
  }
}

const laneLods = new WeakMap<Float64Array, IntervalLod>();

/** The (cached) LOD of an interval set; computed lanes are immutable, so the set is the key. */
export function intervalLodOf(set: Float64Array): IntervalLod {
  let lod = laneLods.get(set);
  if (!lod) laneLods.set(set, (lod = new IntervalLod(set)));
  return lod;
}
