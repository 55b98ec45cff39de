/**
 * The same collective on every rank of a run: find it, line it up, and split
 * each rank's time in it into waiting for the others and moving data.
 *
 * Collectives are the device-side communication slices of activity.ts (NCCL
 * kernels, custom all-reduce kernels, Ascend `hcom_*` ops on the HCCL "Group N
 * Communication" threads), each once.
 *
 * Matching, per process group: the group is the kernel's `Process Group Name`
 * arg when every collective has one, else its track name ("stream 84", "Group 0
 * Communication"); when the ranks do not have the same groups with the same
 * counts, all collectives form one group. Within a group, the n-th collective
 * of one rank is the n-th of every rank (`order`), unless the names carry a
 * sequence number (HCCL's `hcom_allReduce__586_3_1`): names that differ only in
 * their numbers, unique on each rank and the same set on every rank, are
 * matched by name (`sequence`).
 *
 * A collective cannot finish on one rank before every rank has joined it, so
 * each rank's device time in it splits at the last arrival: before it the rank
 * waits (`wait`), after it data moves (`transfer`). This needs the ranks on
 * one time axis (ranks.ts `alignRanks`, which uses the ends: a collective ends
 * at nearly the same instant on every rank).
 *
 * Blind spots: a collective that a sampled or cut trace lost on one rank
 * shifts the order-matching of that group after it (checked by the end
 * residual that the alignment reports); point-to-point send/recv pairs are not
 * collectives of the whole group and are matched like them; the arrival is the
 * device start, so a kernel that launches early and spins (NCCL) waits inside
 * the kernel, which is what is measured, but a collective queued behind other
 * kernels on the stream arrives late through no fault of its host.
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { argString, endOf, memoize, nameOf, trackName } from './access.ts';
import { sliceKinds } from './activity.ts';
import { classifyCollective } from './detectors/collectives.ts';

export interface RankCollective {
  slice: SliceId;
  /** all_reduce, all_to_all, …; the slice name when it cannot be classified. */
  name: string;
  /** The slice's own name (kernel or HCCL op). */
  sliceName: string;
  group: string;
  startNs: Ns;
  endNs: Ns;
}

/** The collectives of one rank, by device start. */
export function rankCollectives(model: TraceModel): RankCollective[] {
  return memoize(model, 'rankCollectives', () => {
    const kinds = sliceKinds(model);
    const ids: SliceId[] = [];
    for (let s = 0; s < model.slices.length; s++) if (kinds[s] === 'communication') ids.push(s);
    const pgs = ids.map((s) => argString(model, s, 'Process Group Name'));
    const byPg = ids.length > 0 && pgs.every((p) => p !== null);
    return ids
      .map((s, i) => ({
        slice: s,
        name: classifyCollective(model, s).type ?? nameOf(model, s),
        sliceName: nameOf(model, s),
        group: byPg ? `PG ${pgs[i]}` : trackName(model, model.slices.track[s]).trim(),
        startNs: model.slices.startNs[s],
        endNs: endOf(model, s),
      }))
      .sort((a, b) => a.startNs - b.startNs || a.slice - b.slice);
  });
}

export type MatchRule = 'sequence' | 'order';

export interface CollectiveMatch {
  group: string;
  rule: MatchRule;
  /** Per matched collective (n-th of the group), per rank: index into rankCollectives(model). */
  rows: number[][];
}

export interface CollectiveMatching {
  perRank: RankCollective[][];
  groups: CollectiveMatch[];
  /** Collectives matched on every rank. */
  matched: number;
  /** Per rank, collectives left without a partner. */
  unmatched: number[];
}

export function matchCollectives(models: readonly TraceModel[]): CollectiveMatching {
  const perRank = models.map(rankCollectives);
  const countsOf = (list: RankCollective[]) => {
    const m = new Map<string, number>();
    for (const c of list) m.set(c.group, (m.get(c.group) ?? 0) + 1);
    return m;
  };
  const counts = perRank.map(countsOf);
  const sameGroups = counts.every((c) => c.size === counts[0].size && [...c].every(([g, n]) => counts[0].get(g) === n));
  const groupOf = (c: RankCollective) => (sameGroups ? c.group : '*');
  const groupNames = sameGroups ? [...counts[0].keys()] : perRank.some((l) => l.length) ? ['*'] : [];
  const groups: CollectiveMatch[] = [];
  for (const g of groupNames) {
    const lists = perRank.map((list) => list.map((c, i) => ({ c, i })).filter((x) => groupOf(x.c) === g));
    if (lists.some((l) => l.length === 0)) continue;
    const names = lists.map((l) => l.map((x) => x.c.sliceName));
    const unique = names.every((n) => new Set(n).size === n.length);
    const sameSet = unique && names.every((n) => n.length === names[0].length && n.every((x) => names[0].includes(x)));
    // Numbered: the names differ only in their numbers (hcom_allReduce__586_0_1, …_1_1), not in what they are.
    const numbered = new Set(names[0].map((n) => n.replace(/\d+/g, '#'))).size < names[0].length;
    if (sameSet && numbered) {
      const rows = names[0].map((n) => names.map((list, r) => lists[r][list.indexOf(n)].i));
      rows.sort((a, b) => perRank[0][a[0]].startNs - perRank[0][b[0]].startNs);
      groups.push({ group: g, rule: 'sequence', rows });
    } else {
      const n = Math.min(...lists.map((l) => l.length));
      const rows: number[][] = [];
      for (let k = 0; k < n; k++) rows.push(lists.map((l) => l[k].i));
      groups.push({ group: g, rule: 'order', rows });
    }
  }
  const matched = groups.reduce((s, g) => s + g.rows.length, 0);
  return { perRank, groups, matched, unmatched: perRank.map((l) => l.length - matched) };
}
