/**
 * The slice mipmap of the timeline's level of detail (after Perfetto's
 * slice_mipmap_operator): per track and depth, the slices sorted by start
 * with a running maximum of their ends (level -1), and per level L the
 * longest slice of each `floor(startNs / 2^L)` bucket. Pure over the model, so
 * the trace worker builds every level of the big tracks after a load and the
 * widget (src/components/timeline/lod.ts) builds the small ones on demand with
 * the same code.
 */
import type { Ns, TraceModel, TrackId } from '../trace/model.ts';

/** Slices of one depth at one resolution, sorted by start. */
export interface LevelTable {
  ids: Int32Array;
  /** Running maximum of the slices' ends: non-decreasing, so binary-searchable. */
  maxEndNs: Float64Array;
  length: number;
}

export interface PackedLevel {
  level: number;
  table?: LevelTable;
  /** Set instead of `table` when this level equals a finer one. */
  sameAsLevel?: number;
}

/** Every level of the big tracks, as the worker posts them (tables transferred). */
export interface PackedSliceLod {
  tracks: Array<{
    track: TrackId;
    /** Per depth, levels finest first (-1 = every slice). */
    depths: PackedLevel[][];
  }>;
}

/** One level of an interval set's LOD: gaps shorter than 2^level ns closed. */
export interface PackedIntervalLevel {
  level: number;
  set?: Float64Array;
  /** Set instead of `set` when this level equals a finer one (-1: the set itself). */
  sameAsLevel?: number;
}

/** Tracks with fewer slices build their levels on demand in well under a frame. */
export const MIPMAP_MIN_SLICES = 20_000;

/** Coarsest level worth building: one bucket spans the whole trace. */
export function maxLevelOf(endNs: Ns): number {
  return Math.ceil(Math.log2(Math.max(2, endNs)));
}

export function buildMipmaps(model: TraceModel, minSlices = MIPMAP_MIN_SLICES): PackedSliceLod {
  const tracks: PackedSliceLod['tracks'] = [];
  const maxLevel = maxLevelOf(model.endNs);
  for (let t = 0; t < model.tracks.length; t++) {
    if (model.tracks.sliceEnd[t] - model.tracks.sliceStart[t] < minSlices) continue;
    const depths = buildBase(model, t).map((base) => sliceLevels(model, base, maxLevel));
    tracks.push({ track: t, depths });
  }
  return { tracks };
}

/**
 * Levels -1..maxLevel of one depth. One pass over the base finds, for each
 * pair of neighbours, the first level at which their starts share a bucket
 * (buckets nest, so they share it at every coarser level too); a level at
 * which no pair first meets keeps the table below (`sameAsLevel`) without a
 * pass. Each level that changes is merged from the last one that changed.
 * Same output as merging at every level (mipmap.test.ts compares them).
 */
export function sliceLevels(model: TraceModel, base: LevelTable, maxLevel: number): PackedLevel[] {
  const { startNs } = model.slices;
  const meets = new Int32Array(maxLevel + 1);
  for (let i = 1; i < base.length; i++) {
    const level = firstSharedLevel(startNs[base.ids[i - 1]], startNs[base.ids[i]], maxLevel);
    if (level <= maxLevel) meets[level]++;
  }
  const levels: PackedLevel[] = [{ level: -1, table: base }];
  let source = base;
  let sourceLevel = -1;
  for (let level = 0; level <= maxLevel; level++) {
    if (meets[level] === 0) {
      levels.push({ level, sameAsLevel: sourceLevel });
      continue;
    }
    source = mergeLevel(model, source, level);
    sourceLevel = level;
    levels.push({ level, table: source });
  }
  return levels;
}

const POW2 = Float64Array.from({ length: 1100 }, (_, i) => 2 ** i);

/** The smallest L ≥ 0 with floor(a / 2^L) = floor(b / 2^L), or maxLevel + 1 when there is none up to maxLevel. */
function firstSharedLevel(a: Ns, b: Ns, maxLevel: number): number {
  const d = Math.abs(b - a);
  // Sharing a bucket of width 2^L needs |b − a| < 2^L, so no level up to floor(log2 d) can do it.
  let level = d < 1 ? 0 : d < 2 ** 31 ? 32 - Math.clz32(d) : Math.floor(Math.log2(d));
  for (; level <= maxLevel; level++) {
    const w = POW2[level];
    if (Math.floor(a / w) === Math.floor(b / w)) return level;
  }
  return maxLevel + 1;
}

export function transferablesOfMipmaps(p: PackedSliceLod): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const t of p.tracks) {
    for (const d of t.depths) {
      for (const l of d) {
        if (!l.table) continue;
        out.add(l.table.ids.buffer as ArrayBuffer);
        out.add(l.table.maxEndNs.buffer as ArrayBuffer);
      }
    }
  }
  return [...out];
}

export function buildBase(model: TraceModel, track: TrackId): LevelTable[] {
  const { sliceStart, sliceEnd } = model.tracks;
  const { depth, startNs, durNs } = model.slices;
  const from = sliceStart[track];
  const to = sliceEnd[track];
  let depths = 0;
  for (let i = from; i < to; i++) if (depth[i] + 1 > depths) depths = depth[i] + 1;
  const counts = new Int32Array(depths);
  for (let i = from; i < to; i++) counts[depth[i]]++;
  const tables: LevelTable[] = [];
  for (let d = 0; d < depths; d++) tables.push({ ids: new Int32Array(counts[d]), maxEndNs: new Float64Array(counts[d]), length: counts[d] });
  const fill = new Int32Array(depths);
  for (let i = from; i < to; i++) {
    const d = depth[i];
    const t = tables[d];
    const k = fill[d]++;
    t.ids[k] = i;
    const e = startNs[i] + durNs[i];
    t.maxEndNs[k] = k > 0 && t.maxEndNs[k - 1] > e ? t.maxEndNs[k - 1] : e;
  }
  return tables;
}

export function mergeLevel(model: TraceModel, source: LevelTable, level: number): LevelTable {
  const { startNs, durNs } = model.slices;
  const w = 2 ** level;
  const ids = new Int32Array(source.length);
  let n = 0;
  let lastBucket = NaN;
  for (let i = 0; i < source.length; i++) {
    const id = source.ids[i];
    const b = Math.floor(startNs[id] / w);
    if (b === lastBucket) {
      if (durNs[id] > durNs[ids[n - 1]]) ids[n - 1] = id;
    } else {
      ids[n++] = id;
      lastBucket = b;
    }
  }
  const maxEndNs = new Float64Array(n);
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = startNs[ids[i]] + durNs[ids[i]];
    if (e > m) m = e;
    maxEndNs[i] = m;
  }
  return { ids: n === source.length ? ids : ids.slice(0, n), maxEndNs, length: n };
}

/**
 * Every level of an interval set (a computed lane) up to `maxLevel`, each from
 * the one below: at level L the gaps shorter than 2^L ns are closed, so a
 * frame draws O(pixels) intervals (see IntervalLod in lod.ts).
 */
export function intervalLevels(set: Float64Array, maxLevel: number): PackedIntervalLevel[] {
  const out: PackedIntervalLevel[] = [];
  // A gap (next start − previous end) keeps its length when its neighbours merge, so it closes at the
  // first level L with gap < 2^L whatever closed before it: a level where no gap first closes is the
  // level below it, known without a pass (there were ~40 passes over the lane, most changing nothing).
  // Counted per level, the gaps also give each level's size, so each is written once at its size (no
  // array of the source's size cut down afterwards: fresh memory is what these passes cost most).
  const closing = new Uint32Array(maxLevel + 2);
  for (let i = 2; i < set.length; i += 2) {
    const gap = set[i] - set[i - 1];
    if (gap < 1) {
      closing[0]++;
      continue;
    }
    // The least L with gap < 2^L: for gap in [2^k, 2^(k+1)) (its integer part is too) that is k + 1,
    // 32 − clz32 of the integer part below 2^32 ns (4.3 s; almost every gap), else from log2, corrected for rounding.
    let level: number;
    if (gap < 4294967296) level = 32 - Math.clz32(gap);
    else {
      level = Math.ceil(Math.log2(gap));
      while (level > 0 && gap < 2 ** (level - 1)) level--;
      while (level <= maxLevel && !(gap < 2 ** level)) level++;
    }
    closing[Math.min(level, maxLevel + 1)]++;
  }
  let source = set;
  let sourceLevel = -1;
  let length = set.length;
  for (let level = 0; level <= maxLevel; level++) {
    if (closing[level] === 0) {
      out.push({ level, sameAsLevel: sourceLevel });
      continue;
    }
    length -= 2 * closing[level];
    source = closeGaps(source, 2 ** level, length);
    out.push({ level, set: source });
    sourceLevel = level;
  }
  return out;
}

/** `set` with its gaps shorter than `minGapNs` closed; `length`, when known, is the result's (intervalLevels). */
export function closeGaps(set: Float64Array, minGapNs: number, length = -1): Float64Array {
  const out = new Float64Array(length >= 0 ? length : set.length);
  let n = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (n > 0 && set[i] - out[n - 1] < minGapNs) out[n - 1] = set[i + 1];
    else {
      out[n++] = set[i];
      out[n++] = set[i + 1];
    }
  }
  return n === out.length ? out : out.slice(0, n);
}
