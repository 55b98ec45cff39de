/**
 * Several ranks of one run side by side: put their clocks on one axis, then
 * line up the same profiler step across ranks and say which rank is slowest.
 *
 * Alignment, in order of preference:
 * - `absolute`: every trace's time range, on its own absolute clock (the
 *   microsecond timestamps as written), overlaps all the others. Then the
 *   ranks share a clock (one host, or hosts kept in sync by NTP/PTP, which
 *   Kineto's and torch_npu's wall-clock timestamps rely on) and each trace is
 *   shifted by the exact difference of its origin to the earliest origin.
 *   Differences in step start then mean something: a rank that starts a step
 *   later was held up before it.
 * - `first-step`: the clocks do not overlap (traces recorded at different
 *   times, or clocks that were not synchronised). The first profiler step
 *   number present in every trace is lined up at its start, so the table
 *   compares durations; start differences are zero by construction.
 * - `trace-start`: no common step either; each trace starts at 0.
 *
 * Steps are matched by their number (ProfilerStep#N), since each rank counts
 * its own steps from the same schedule; steps without a number match by
 * position.
 *
 * Blind spots: clock skew between hosts that is smaller than the traces'
 * overlap is not detected (a 2 ms NTP error reads as a 2 ms late start);
 * "slowest" compares host step durations, which include waiting inside
 * collectives, so the slowest rank by step time can be the victim of a slow
 * peer rather than the cause (compare where each rank's time goes).
 */
import type { Ns, TraceModel } from '../trace/model.ts';
import { nsBetween } from '../trace/time.ts';
import { findSteps, type Step } from './structure.ts';

export type AlignMode = 'absolute' | 'first-step' | 'trace-start';

export interface RankAlignment {
  mode: AlignMode;
  /** Per trace: add to its ns to get the common axis (all ≥ 0). */
  offsetsNs: Ns[];
  /** `first-step`: the step number lined up. */
  stepNumber?: number;
}

/** Start and end of each trace on the common axis. */
export function alignedSpans(models: readonly TraceModel[], al: RankAlignment): Array<{ startNs: Ns; endNs: Ns }> {
  return models.map((m, i) => ({ startNs: al.offsetsNs[i], endNs: al.offsetsNs[i] + m.endNs }));
}

export function alignRanks(models: readonly TraceModel[]): RankAlignment {
  if (models.length === 0) return { mode: 'trace-start', offsetsNs: [] };
  const abs = absoluteOffsets(models);
  if (abs) {
    let latestStart = -Infinity;
    let earliestEnd = Infinity;
    models.forEach((m, i) => {
      latestStart = Math.max(latestStart, abs[i]);
      earliestEnd = Math.min(earliestEnd, abs[i] + m.endNs);
    });
    if (models.length === 1 || latestStart < earliestEnd) return { mode: 'absolute', offsetsNs: abs };
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
