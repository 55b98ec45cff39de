/**
 * Several ranks of one run side by side: put their clocks on one axis, then
 * line up the same profiler step across ranks.
 *
 * Alignment, in order of preference:
 * - `absolute`: every trace's time range, on its own absolute clock (the
 *   microsecond timestamps as written), overlaps all the others. Then the
 *   ranks may share a clock (one host, or hosts kept in sync by NTP/PTP, which
 *   Kineto's and torch_npu's wall-clock timestamps rely on) and each trace is
 *   shifted by the exact difference of its origin to the earliest origin.
 *   The collectives check it: a collective ends at nearly the same instant on
 *   every rank, so the distance between the clock's offset and the offset the
 *   ends give is reported as the uncertainty. Which host wrote a trace is not
 *   in the trace; runs.ts `sameHost` reads it from default file names.
 * - `collectives`: the clocks do not overlap, or they overlap but disagree
 *   with the collectives' ends by more than 1 ms (and ten times the ends'
 *   scatter, over at least 3 collectives). Each rank is shifted so that its
 *   matched collectives (rank-collectives.ts) end, in the median, when rank 0's
 *   do; the uncertainty is the median distance of the ends from that.
 * - `first-step`: no clock and no collective matched on every rank. The first
 *   profiler step number present in every trace is lined up at its start, so
 *   the table compares durations; start differences are zero by construction.
 * - `trace-start`: no common step either; each trace starts at 0.
 *
 * Steps are matched by their number (ProfilerStep#N), since each rank counts
 * its own steps from the same schedule; steps without a number match by
 * position.
 *
 * Blind spots: with overlapping clocks and no collectives, clock skew between
 * hosts is not detected (a 2 ms NTP error reads as a 2 ms late start); a
 * step's `slowest` compares host step durations, which include waiting inside
 * collectives, so the slowest rank by step time can be the victim of a slow
 * peer rather than the cause: collective-skew.ts says who arrived last.
 */
import type { Ns, TraceModel } from '../trace/model.ts';
import { nsBetween } from '../trace/time.ts';
import { matchCollectives, type CollectiveMatching } from './rank-collectives.ts';
import { findSteps, type Step } from './structure.ts';

export type AlignMode = 'absolute' | 'collectives' | 'first-step' | 'trace-start';

export interface RankAlignment {
  mode: AlignMode;
  /** Per trace: add to its ns to get the common axis (all ≥ 0). */
  offsetsNs: Ns[];
  /** `first-step`: the step number lined up. */
  stepNumber?: number;
  /**
   * Per trace, how far its offset may be off, from the collectives' ends:
   * `absolute`, how far the clock offset is from the one the collective ends
   * give; `collectives`, the median distance of each collective's end from
   * that offset. Null for a trace (and absent for the alignment) without
   * matched collectives; 0 for the reference trace.
   */
  uncertaintyNs?: Array<Ns | null>;
  /** Whether the traces' absolute time ranges overlap (a shared clock is possible). */
  clockOverlap?: boolean;
  /** Collectives matched on every rank (ends used for the uncertainty or the alignment). */
  matchedCollectives?: number;
}

/** Start and end of each trace on the common axis. */
export function alignedSpans(models: readonly TraceModel[], al: RankAlignment): Array<{ startNs: Ns; endNs: Ns }> {
  return models.map((m, i) => ({ startNs: al.offsetsNs[i], endNs: al.offsetsNs[i] + m.endNs }));
}

/**
 * Clock disagreement beyond which the collectives' ends overrule overlapping
 * clocks: a millisecond, and ten times the ends' own scatter.
 */
const CLOCK_REJECT_NS = 1_000_000;

export function alignRanks(models: readonly TraceModel[], matching: CollectiveMatching = matchCollectives(models)): RankAlignment {
  if (models.length === 0) return { mode: 'trace-start', offsetsNs: [] };
  const byEnds = endOffsets(matching);
  const abs = absoluteOffsets(models);
  let overlap = false;
  if (abs) {
    let latestStart = -Infinity;
    let earliestEnd = Infinity;
    models.forEach((m, i) => {
      latestStart = Math.max(latestStart, abs[i]);
      earliestEnd = Math.min(earliestEnd, abs[i] + m.endNs);
    });
    overlap = models.length === 1 || latestStart < earliestEnd;
  }
  if (abs && overlap) {
    if (!byEnds) return { mode: 'absolute', offsetsNs: abs, clockOverlap: true };
    // How far the shared clock is from what the collectives' ends say, per rank (rank 0 the reference).
    const off = abs.map((a, i) => Math.abs(a - abs[0] - byEnds.offsetsNs[i]));
    const rejected = matching.matched >= 3 && off.some((d, i) => d > CLOCK_REJECT_NS && d > 10 * byEnds.scatterNs[i]);
    if (!rejected) return { mode: 'absolute', offsetsNs: abs, clockOverlap: true, uncertaintyNs: off, matchedCollectives: matching.matched };
  }
  if (byEnds) {
    const min = Math.min(...byEnds.offsetsNs);
    return {
      mode: 'collectives',
      offsetsNs: byEnds.offsetsNs.map((o) => o - min),
      clockOverlap: overlap,
      uncertaintyNs: byEnds.scatterNs,
      matchedCollectives: matching.matched,
    };
  }
  const steps = models.map(findSteps);
  const common = commonStepNumbers(steps);
  if (common.length) {
    const n = common[0];
    const starts = steps.map((list) => list.find((s) => s.number === n)!.startNs);
    const latest = Math.max(...starts);
    return { mode: 'first-step', offsetsNs: starts.map((s) => latest - s), stepNumber: n };
  }
  return { mode: 'trace-start', offsetsNs: models.map(() => 0) };
}

/**
 * Offsets (relative to rank 0) that make the matched collectives end together:
 * per rank the median of (end on rank 0 − end on this rank), and the median
 * distance of the ends from it. Null without a matched collective.
 */
function endOffsets(m: CollectiveMatching): { offsetsNs: Ns[]; scatterNs: Ns[] } | null {
  if (m.perRank.length < 2 || m.matched === 0) return null;
  const rows = m.groups.flatMap((g) => g.rows);
  const offsetsNs: Ns[] = [];
  const scatterNs: Ns[] = [];
  m.perRank.forEach((list, r) => {
    const d = rows.map((row) => m.perRank[0][row[0]].endNs - list[row[r]].endNs);
    const med = median(d);
    offsetsNs.push(med);
    scatterNs.push(median(d.map((x) => Math.abs(x - med))));
  });
  return { offsetsNs, scatterNs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Each origin minus the earliest one, in exact ns; null when an origin is not a number. */
function absoluteOffsets(models: readonly TraceModel[]): Ns[] | null {
  let earliest = models[0].originUs;
  for (const m of models) {
    const d = nsBetween(earliest, m.originUs);
    if (d === null) return null;
    if (d < 0) earliest = m.originUs;
  }
  const out: Ns[] = [];
  for (const m of models) {
    const d = nsBetween(earliest, m.originUs);
    if (d === null) return null;
    out.push(d);
  }
  return out;
}

function commonStepNumbers(steps: Step[][]): number[] {
  if (!steps.length || steps.some((l) => !l.length)) return [];
  const sets = steps.map((l) => new Set(l.map((s) => s.number).filter((n): n is number => n !== null)));
  return [...sets[0]].filter((n) => sets.every((s) => s.has(n))).sort((a, b) => a - b);
}

export interface StepCell {
  durNs: Ns;
  /** Start on the common axis. */
  startNs: Ns;
}

export interface StepRow {
  /** "ProfilerStep#551", or the first rank's name for unnumbered steps. */
  name: string;
  number: number | null;
  /** Per trace; null when that rank has no such step. */
  cells: Array<StepCell | null>;
  /** Index of the rank with the longest step, null when fewer than two ranks have it. */
  slowest: number | null;
  /** Longest − shortest duration among the ranks that have the step. */
  spreadNs: Ns;
  /** Latest − earliest start among the ranks that have the step (0 by construction for the aligned step). */
  startSkewNs: Ns;
}

export interface StepTable {
  rows: StepRow[];
  /** Rank with the largest total over the steps every rank has; null without such steps or with one rank. */
  slowestRank: number | null;
  /** Per rank: total duration of the steps every rank has. */
  commonTotalsNs: Ns[];
}

export function stepTable(models: readonly TraceModel[], al: RankAlignment): StepTable {
  const steps = models.map(findSteps);
  const keys: Array<{ name: string; number: number | null; pos: number }> = [];
  const seen = new Set<string>();
  steps.forEach((list) =>
    list.forEach((s, pos) => {
      const k = s.number !== null ? `n${s.number}` : `p${pos}`;
      if (seen.has(k)) return;
      seen.add(k);
      keys.push({ name: s.name, number: s.number, pos });
    }),
  );
  keys.sort((a, b) => (a.number ?? a.pos) - (b.number ?? b.pos));
  const rows: StepRow[] = keys.map((k) => {
    const cells = steps.map((list, i): StepCell | null => {
      const s = k.number !== null ? list.find((x) => x.number === k.number) : list[k.pos];
      return s ? { durNs: s.endNs - s.startNs, startNs: s.startNs + al.offsetsNs[i] } : null;
    });
    const present = cells.map((c, i) => ({ c, i })).filter((x): x is { c: StepCell; i: number } => x.c !== null);
    let slowest: number | null = null;
    if (present.length >= 2) slowest = present.reduce((best, x) => (x.c.durNs > best.c.durNs ? x : best)).i;
    const durs = present.map((x) => x.c.durNs);
    const starts = present.map((x) => x.c.startNs);
    return {
      name: k.name,
      number: k.number,
      cells,
      slowest,
      spreadNs: durs.length ? Math.max(...durs) - Math.min(...durs) : 0,
      startSkewNs: starts.length ? Math.max(...starts) - Math.min(...starts) : 0,
    };
  });
  const complete = rows.filter((r) => r.cells.every((c) => c !== null));
  const commonTotalsNs = models.map((_, i) => complete.reduce((sum, r) => sum + r.cells[i]!.durNs, 0));
  let slowestRank: number | null = null;
  if (models.length >= 2 && complete.length) slowestRank = commonTotalsNs.indexOf(Math.max(...commonTotalsNs));
  return { rows, slowestRank, commonTotalsNs };
}

/**
 * The rank a trace belongs to: Kineto's `distributedInfo.rank`, else a number
 * in its path (`rank1/`, `rank_3`, torch_npu's `profiler_info_2.json` beside
 * it). Null when nothing says.
 */
export function rankOf(model: TraceModel, path = ''): number | null {
  const info = model.metadata.distributedInfo as { rank?: unknown } | undefined;
  if (typeof info?.rank === 'number' && Number.isInteger(info.rank)) return info.rank;
  return rankFromPath(path);
}

export function rankFromPath(path: string): number | null {
  const m = /(?:^|[/_\-.])rank[_-]?(\d+)(?=$|[/_\-.])/i.exec(path) ?? /profiler_info_(\d+)\.json$/.exec(path);
  return m ? Number(m[1]) : null;
}
