/**
 * Column and timeline labels for dropped traces grouped into runs
 * (lib/analysis/runs.ts): "rank 1" inside one run, "runs/a · rank 1" when
 * there are several, and a file's shortest distinguishing path when it names
 * no rank, so no two columns ever read the same `trace_view.json`.
 */
import type { RunGroup } from '../../lib/analysis/runs.ts';

export interface LabelWords {
  rank: (r: number) => string;
  run: (n: number) => string;
}

export function runLabel(groups: readonly RunGroup[], k: number, w: LabelWords): string {
  return groups[k].folder ?? w.run(k + 1);
}

/** Per file (input order): its label. */
export function fileLabels(paths: readonly string[], groups: readonly RunGroup[], w: LabelWords): string[] {
  const short = distinctSuffixes(paths);
  const out: string[] = new Array(paths.length).fill('');
  groups.forEach((g, k) => {
    const ranks = g.ranks.filter((r) => r !== null);
    const byRank = ranks.length === g.ranks.length && new Set(ranks).size === ranks.length;
    g.members.forEach((i, j) => {
      const own = byRank ? w.rank(g.ranks[j]!) : short[i];
      out[i] = groups.length > 1 ? `${runLabel(groups, k, w)} · ${own}` : own;
    });
  });
  return out;
}

/** For each path, its fewest trailing segments that no other path ends with. */
export function distinctSuffixes(paths: readonly string[]): string[] {
  const parts = paths.map((p) => p.split('/'));
  return parts.map((segs, i) => {
    for (let n = 1; n <= segs.length; n++) {
      const tail = segs.slice(-n).join('/');
      if (parts.every((o, j) => j === i || o.slice(-n).join('/') !== tail)) return tail;
    }
    return paths[i];
  });
}
