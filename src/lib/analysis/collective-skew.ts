/**
 * Who waits for whom in every collective of a run.
 *
 * Per matched collective (rank-collectives.ts), on the aligned axis (ranks.ts):
 * each rank's arrival (device start) and end; the last arrival; per rank the
 * wait (arrival → last arrival, never past its own end) and the transfer (the
 * rest of its time in the collective, after the last arrival); the rank that
 * arrived last, the skew (last − first arrival) and how far it trailed the
 * next-latest rank. Summaries per rank: total wait, total transfer, how often
 * it arrived last. For the latecomer, `computeBefore` lists the computation on
 * that rank between its previous collective and this one: what it was doing
 * while the others waited.
 *
 * "Last to arrive" replaces "slowest rank": a rank that started the run later
 * or has longer steps is not the one that holds the others up unless it is the
 * last into the collectives. Arrivals are only as good as the alignment; its
 * uncertainty is reported beside them, and a matched collective that ended
 * on one rank before another arrived is flagged as not consistent.
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { endOf, memoize, nameOf } from './access.ts';
import { sliceKinds } from './activity.ts';
import type { RankAlignment } from './ranks.ts';
import type { CollectiveMatching, MatchRule } from './rank-collectives.ts';

export interface SkewedCollective {
  name: string;
  group: string;
  /** n-th collective of its group (0-based). */
  index: number;
  rule: MatchRule;
  /** Per rank. */
  slices: SliceId[];
  arriveNs: Ns[];
  endNs: Ns[];
  waitNs: Ns[];
  transferNs: Ns[];
  lastArriveNs: Ns;
  lastRank: number;
  /** Last − first arrival. */
  skewNs: Ns;
  /** Last − next-to-last arrival: how long the latecomer kept the others waiting after the rest were in. */
  lateByNs: Ns;
  /**
   * Whether the latecomer is certain: it trailed the next-latest rank by more
   * than the two ranks' alignment uncertainties together. Arrivals closer than
   * that name no one.
   */
  decided: boolean;
  /**
   * False when some rank's part ended before the last rank arrived (by more
   * than the uncertainties): no collective that synchronises the group can do
   * that, so these are not the same collective (a trace that lost events,
   * e.g. a sampled one, shifts order matching) or the clocks are off.
   * Such a collective names no latecomer.
   */
  consistent: boolean;
}

export interface SkewSummary {
  waitNs: Ns[];
  transferNs: Ns[];
  /** How often each rank arrived last (decided collectives only). */
  lastCount: number[];
  /** Collectives whose arrivals were too close to name a latecomer, or that are not consistent. */
  undecided: number;
  /** Collectives not consistent (see SkewedCollective.consistent). */
  inconsistent: number;
}

export interface CollectiveSkew {
  collectives: SkewedCollective[];
  summary: SkewSummary;
  /** Per rank, its number of collectives (matched or not). */
  perRankCount: number[];
}

export function collectiveSkew(matching: CollectiveMatching, al: RankAlignment): CollectiveSkew {
  const ranks = matching.perRank.length;
  const collectives: SkewedCollective[] = [];
  for (const g of matching.groups) {
    g.rows.forEach((row, index) => {
      const cs = row.map((k, r) => matching.perRank[r][k]);
      const arriveNs = cs.map((c, r) => c.startNs + al.offsetsNs[r]);
      const endNs = cs.map((c, r) => c.endNs + al.offsetsNs[r]);
      const order = arriveNs.map((_, r) => r).sort((a, b) => arriveNs[b] - arriveNs[a] || a - b);
      const lastRank = order[0];
      const lastArriveNs = arriveNs[lastRank];
      const lateByNs = ranks > 1 ? lastArriveNs - arriveNs[order[1]] : 0;
      const unc = (r: number | undefined) => (r === undefined ? 0 : (al.uncertaintyNs?.[r] ?? 0));
      const consistent = endNs.every((e, r) => e >= lastArriveNs - unc(r) - unc(lastRank));
      const waitNs = arriveNs.map((a, r) => Math.max(0, Math.min(lastArriveNs, endNs[r]) - a));
      const transferNs = arriveNs.map((a, r) => Math.max(0, endNs[r] - Math.max(a, lastArriveNs)));
      collectives.push({
        name: cs[0].name,
        group: g.group,
        index,
        rule: g.rule,
        slices: cs.map((c) => c.slice),
        arriveNs,
        endNs,
        waitNs,
        transferNs,
        lastArriveNs,
        lastRank,
        skewNs: lastArriveNs - Math.min(...arriveNs),
        lateByNs,
        decided: ranks > 1 && consistent && lateByNs > unc(lastRank) + unc(order[1]),
        consistent,
      });
    });
  }
  collectives.sort((a, b) => a.lastArriveNs - b.lastArriveNs);
  const summary: SkewSummary = { waitNs: new Array(ranks).fill(0), transferNs: new Array(ranks).fill(0), lastCount: new Array(ranks).fill(0), undecided: 0, inconsistent: 0 };
  for (const c of collectives) {
    for (let r = 0; r < ranks; r++) {
      summary.waitNs[r] += c.waitNs[r];
      summary.transferNs[r] += c.transferNs[r];
    }
    if (c.decided) summary.lastCount[c.lastRank]++;
    else if (ranks > 1) summary.undecided++;
    if (!c.consistent) summary.inconsistent++;
  }
  return { collectives, summary, perRankCount: matching.perRank.map((l) => l.length) };
}

export interface ComputeBefore {
  /** The window on the rank's own clock: its previous collective's end (or the trace start) → this arrival. */
  fromNs: Ns;
  /** False for the rank's first collective: the window starts with the trace. */
  afterCollective: boolean;
  toNs: Ns;
  /** Computation slices' time inside the window (overlapping kernels on several streams each count). */
  busyNs: Ns;
  /** Largest contributors by name, at most `top`. */
  top: Array<{ name: string; totalNs: Ns; count: number }>;
}

/** Computation slices of a model, by start. */
export function computationSlices(model: TraceModel): SliceId[] {
  return memoize(model, 'computeSlicesByStart', () => {
    const kinds = sliceKinds(model);
    const ids: SliceId[] = [];
    for (let s = 0; s < model.slices.length; s++) if (kinds[s] === 'computation') ids.push(s);
    return ids.sort((a, b) => model.slices.startNs[a] - model.slices.startNs[b]);
  });
}

/**
 * What rank `rank` computed before collective `c` (in its own ns): the
 * computation slices between the end of its previous collective and its
 * arrival at this one, clipped to that window.
 */
export function computeBefore(model: TraceModel, matching: CollectiveMatching, rank: number, c: SkewedCollective, top = 3): ComputeBefore {
  const mine = matching.perRank[rank];
  const slice = c.slices[rank];
  const toNs = model.slices.startNs[slice];
  let fromNs = 0;
  let afterCollective = false;
  for (const x of mine) {
    if (x.endNs > toNs || x.slice === slice) continue;
    fromNs = Math.max(fromNs, x.endNs);
    afterCollective = true;
  }
  const ids = computationSlices(model);
  const byName = new Map<string, { totalNs: Ns; count: number }>();
  let busyNs = 0;
  for (const s of ids) {
    const st = model.slices.startNs[s];
    if (st >= toNs) break;
    const en = endOf(model, s);
    if (en <= fromNs) continue;
    const d = Math.min(en, toNs) - Math.max(st, fromNs);
    if (d <= 0) continue;
    busyNs += d;
    const n = nameOf(model, s);
    const e = byName.get(n) ?? { totalNs: 0, count: 0 };
    e.totalNs += d;
    e.count++;
    byName.set(n, e);
  }
  const list = [...byName].map(([name, v]) => ({ name, ...v })).sort((a, b) => b.totalNs - a.totalNs);
  return { fromNs, toNs, afterCollective, busyNs, top: list.slice(0, top) };
}
