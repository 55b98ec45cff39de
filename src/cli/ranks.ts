/**
 * `tracewise analyze R0 R1 … --json`: after the per-file lines, one more line
 * (schema "tracewise.ranks/1") that says which files are ranks of one run
 * (lib/analysis/runs.ts) and, for each run of several ranks, how the ranks
 * were aligned and who waited for whom in every collective
 * (ranks.ts, rank-collectives.ts, collective-skew.ts). Arrays indexed by rank
 * follow the run's files in the order given.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { collectiveSkew } from '../lib/analysis/collective-skew.ts';
import { matchCollectives } from '../lib/analysis/rank-collectives.ts';
import { alignRanks } from '../lib/analysis/ranks.ts';
import { groupRuns, runFileInfo, sameHost } from '../lib/analysis/runs.ts';
import type { TraceModel } from '../lib/trace/model.ts';
import { formatDurationNs } from '../lib/trace/time.ts';

const us = (ns: number): number => Math.round(ns) / 1000;

export interface RanksJson {
  aligned_by: string;
  offsets_us: number[];
  /** Per rank; null where no collective was matched. */
  uncertainty_us: Array<number | null>;
  clock_overlap: boolean;
  /** From the files' default names (host_pid…): true, false, or null when a name does not say. */
  same_host: boolean | null;
  matched: number;
  unmatched: number[];
  collectives: Array<{
    name: string;
    group: string;
    index: number;
    arrive_us: number[];
    end_us: number[];
    wait_us: number[];
    transfer_us: number[];
    last_rank: number;
    late_by_us: number;
    skew_us: number;
    decided: boolean;
    consistent: boolean;
  }>;
  summary: { wait_us: number[]; transfer_us: number[]; last_count: number[]; undecided: number; inconsistent: number };
}

export interface RunsJson {
  schema: 'tracewise.ranks/1';
  files: string[];
  runs: Array<{ folder: string | null; files: number[]; ranks: Array<number | null>; world_size: number | null; alignment: RanksJson | null }>;
  /** The alignment of the only run, when every file is a rank of one run; null for several runs (compare them as runs). */
  ranks: RanksJson | null;
}

/** torch_npu's `profiler_info_N.json` beside the trace or in its `*_ascend_pt` folder. */
export function rankHintBeside(file: string): number | null {
  const dir = dirname(file);
  for (const d of [dir, dirname(dir)]) {
    try {
      for (const f of readdirSync(d)) {
        const m = /^profiler_info_(\d+)\.json$/.exec(f);
        if (m) return Number(m[1]);
      }
    } catch {
      // unreadable folder: no hint
    }
  }
  return null;
}

export function ranksJson(models: readonly TraceModel[], files: readonly string[] = []): RanksJson {
  const matching = matchCollectives(models);
  const al = alignRanks(models, matching);
  const skew = collectiveSkew(matching, al);
  return {
    aligned_by: al.mode,
    offsets_us: al.offsetsNs.map(us),
    uncertainty_us: models.map((_, i) => (al.uncertaintyNs?.[i] == null ? null : us(al.uncertaintyNs[i]!))),
    clock_overlap: al.clockOverlap ?? false,
    same_host: files.length === models.length ? sameHost(files) : null,
    matched: matching.matched,
    unmatched: matching.unmatched,
    collectives: skew.collectives.map((c) => ({
      name: c.name,
      group: c.group.trim(),
      index: c.index,
      arrive_us: c.arriveNs.map(us),
      end_us: c.endNs.map(us),
      wait_us: c.waitNs.map(us),
      transfer_us: c.transferNs.map(us),
      last_rank: c.lastRank,
      late_by_us: us(c.lateByNs),
      skew_us: us(c.skewNs),
      decided: c.decided,
      consistent: c.consistent,
    })),
    summary: { wait_us: skew.summary.waitNs.map(us), transfer_us: skew.summary.transferNs.map(us), last_count: skew.summary.lastCount, undecided: skew.summary.undecided, inconsistent: skew.summary.inconsistent },
  };
}

export function runsJson(files: readonly string[], models: readonly TraceModel[]): RunsJson {
  const groups = groupRuns(models.map((m, i) => runFileInfo(m, files[i], files[i] === '-' ? null : rankHintBeside(files[i]))));
  const runs = groups.map((g) => ({
    folder: g.folder,
    files: g.members,
    ranks: g.ranks,
    world_size: g.worldSize,
    alignment: g.members.length > 1 ? ranksJson(g.members.map((i) => models[i]), g.members.map((i) => files[i])) : null,
  }));
  return { schema: 'tracewise.ranks/1', files: [...files], runs, ranks: runs.length === 1 ? runs[0].alignment : null };
}

/** The human form: which files are one run, then per run its alignment and collectives. */
export function formatRuns(r: RunsJson): string {
  const out: string[] = [''];
  if (r.runs.length > 1) out.push(`${r.runs.length} runs, not ranks of one run: compare them as runs, not rank against rank.`);
  r.runs.forEach((run, k) => {
    const name = (i: number) => (run.ranks[i] !== null ? `rank ${run.ranks[i]}` : r.files[run.files[i]]);
    out.push(`Run ${k + 1}${run.folder ? ` (${run.folder})` : ''}: ${run.files.map((f, i) => `${name(i)} = ${r.files[f]}`).join(', ')}`);
    const a = run.alignment;
    if (!a) return;
    const unc = a.uncertainty_us.map((u, i) => `${name(i)} ${a.offsets_us[i]} µs${u === null ? '' : ` ± ${u} µs`}`).join(', ');
    const host = a.same_host === null ? '' : a.same_host ? ', one host' : ', different hosts';
    out.push(`  aligned by ${a.aligned_by}${a.clock_overlap ? ` (clocks overlap${host})` : ''}: ${unc}`);
    out.push(`  collectives matched on every rank: ${a.matched}${a.unmatched.some((u) => u) ? ` (unmatched per rank: ${a.unmatched.join(', ')})` : ''}`);
    a.summary.wait_us.forEach((w, i) =>
      out.push(`  ${name(i).padEnd(8)} wait ${formatDurationNs(w * 1000)}, transfer ${formatDurationNs(a.summary.transfer_us[i] * 1000)}, last to arrive ${a.summary.last_count[i]}×`),
    );
    if (a.summary.inconsistent) out.push(`  ${a.summary.inconsistent} matched collective(s) ended on one rank before another arrived: not the same collective (events lost, e.g. a sampled trace) or clocks off`);
    if (a.summary.undecided) out.push(`  ${a.summary.undecided} collective(s) with arrivals closer than the alignment's uncertainty: no latecomer named`);
    const worst = a.collectives.filter((c) => c.decided).sort((x, y) => y.late_by_us - x.late_by_us).slice(0, 5);
    for (const c of worst) out.push(`  ${c.name} #${c.index} (${c.group}): ${name(c.last_rank)} arrived last, ${formatDurationNs(c.late_by_us * 1000)} after the others`);
  });
  return out.join('\n');
}
