/**
 * Which traces are ranks of one run, and which are separate runs.
 *
 * A learner drops several files: ranks of one distributed run (compare them
 * collective by collective, ranks.ts / rank-collectives.ts) or traces of
 * different runs (compare them as runs, diff.ts). Calling two runs "rank 0 /
 * rank 1" and naming one the slowest rank is wrong, so the files are grouped
 * first, by what the files themselves say:
 *
 * - rank and world size: Kineto's `distributedInfo` ({rank, world_size}),
 *   torch_npu's `profiler_info_N.json` beside the trace, a `rankN` in the path.
 *   Two files with the same rank are never one run; nor are two with different
 *   world sizes, nor a file that names its rank and one that does not.
 * - folder: the path with its rank number blanked ("runs/a/rank*\/trace_view.json").
 *   Files whose paths name a rank and differ elsewhere are separate runs
 *   ("runs/a/rank0/…" vs "runs/b/rank0/…"); the same key with different ranks
 *   is one run even when the clocks do not overlap (hosts not in sync: the
 *   collectives align them).
 * - start time: without folder evidence, files are one run only when their
 *   absolute time ranges overlap (ranks of one run are recorded together).
 *
 * Files are taken in order and each joins the first run it is compatible with
 * every member of; otherwise it starts a new run.
 *
 * Blind spots: two runs recorded at the same time on one machine, with
 * distinct ranks and no folder structure, look like one run; a run whose
 * ranks' clocks do not overlap and whose files carry no rank in their paths
 * is split into runs of one rank each.
 */
import type { Ns, TraceModel } from '../trace/model.ts';
import { nsBetween } from '../trace/time.ts';
import { rankFromPath } from './ranks.ts';

export interface RunFileInfo {
  /** Path inside the dropped folder, or the file name. */
  path: string;
  rank: number | null;
  worldSize: number | null;
  /** Absolute start (decimal µs text, the model's origin) and span. */
  originUs: string;
  spanNs: Ns;
}

export interface RunGroup {
  /** Indices into the input, in input order. */
  members: number[];
  /** Per member, its rank (null when unknown). */
  ranks: Array<number | null>;
  /** Folder that tells this run apart from the others ("runs/a"), null when no folder does. */
  folder: string | null;
  /** World size the files state, when they agree on one. */
  worldSize: number | null;
}

/** What a loaded trace says about its run; `rankHint` comes from beside the file (profiler_info_N.json). */
export function runFileInfo(model: TraceModel, path: string, rankHint: number | null = null): RunFileInfo {
  const info = model.metadata.distributedInfo as { rank?: unknown; world_size?: unknown } | undefined;
  const int = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
  return {
    path,
    rank: int(info?.rank) ?? rankFromPath(path) ?? rankHint,
    worldSize: int(info?.world_size),
    originUs: model.originUs,
    spanNs: model.endNs,
  };
}

const RANK_IN_PATH = /((?:^|[/_\-.])rank[_-]?)(\d+)(?=$|[/_\-.])/i;

/** The path with its rank number blanked and `.gz` dropped; null when the path names no rank. */
export function runKey(path: string): string | null {
  if (!RANK_IN_PATH.test(path)) return null;
  return path.replace(RANK_IN_PATH, '$1*').replace(/\.gz$/i, '');
}

function overlaps(a: RunFileInfo, b: RunFileInfo): boolean {
  const d = nsBetween(a.originUs, b.originUs); // b's start on a's clock
  if (d === null) return false;
  return d < a.spanNs && -d < b.spanNs;
}

function compatible(a: RunFileInfo, b: RunFileInfo): boolean {
  if ((a.rank === null) !== (b.rank === null)) return false;
  if (a.rank !== null && a.rank === b.rank) return false;
  if (a.worldSize !== null && b.worldSize !== null && a.worldSize !== b.worldSize) return false;
  const ka = runKey(a.path);
  const kb = runKey(b.path);
  if (ka !== null && kb !== null) return ka === kb;
  return overlaps(a, b);
}

export function groupRuns(files: readonly RunFileInfo[]): RunGroup[] {
  const groups: number[][] = [];
  files.forEach((f, i) => {
    const g = groups.find((members) => members.every((j) => compatible(files[j], f)));
    if (g) g.push(i);
    else groups.push([i]);
  });
  const folders = runFolders(groups.map((g) => g.map((i) => files[i].path)));
  return groups.map((members, k) => {
    const sizes = new Set(members.map((i) => files[i].worldSize));
    return {
      members,
      ranks: members.map((i) => files[i].rank),
      folder: folders[k],
      worldSize: sizes.size === 1 ? [...sizes][0] : null,
    };
  });
}

/**
 * Per run, the folder that tells it apart: the common directory of its files,
 * less the directory all runs share. Null when runs share their folder (files
 * picked one by one) or there is one run.
 */
function runFolders(runs: string[][]): Array<string | null> {
  if (runs.length < 2) return runs.map(() => null);
  const dirs = runs.map((paths) => commonDir(paths.map((p) => p.split('/').slice(0, -1))));
  const shared = commonDir(dirs);
  return dirs.map((d) => (d.length > shared.length ? d.slice(shared.length).join('/') : null));
}

function commonDir(paths: string[][]): string[] {
  if (!paths.length) return [];
  const out: string[] = [];
  for (let i = 0; i < paths[0].length; i++) {
    if (!paths.every((p) => p[i] === paths[0][i] && !RANK_IN_PATH.test(`/${p[i]}`))) break;
    out.push(paths[0][i]);
  }
  return out;
}

/**
 * The host that wrote a trace, when its path says: PyTorch's
 * `tensorboard_trace_handler` names files `{host}_{pid}.{ms}.pt.trace.json`
 * (its default worker name), torch_npu names folders
 * `{host}_{pid}_{timestamp}_ascend_pt`. Null otherwise (renamed files, HTA's
 * test data, files picked from elsewhere).
 */
export function hostFromPath(path: string): string | null {
  for (const seg of path.split('/').reverse()) {
    const kineto = /^(.+)_\d+\.\d+\.pt\.trace\.json(?:\.gz)?$/i.exec(seg);
    if (kineto) return kineto[1];
    const npu = /^(.+)_\d+_\d+_ascend_pt$/i.exec(seg);
    if (npu) return npu[1];
  }
  return null;
}

/** Whether the files were written on one host: true, false, or null when a path does not say. */
export function sameHost(paths: readonly string[]): boolean | null {
  const hosts = paths.map(hostFromPath);
  if (hosts.some((h) => h === null)) return null;
  return new Set(hosts).size === 1;
}

/** The run that has every file as a rank, or null when the files are several runs (or one). */
export function singleRun(groups: readonly RunGroup[], fileCount: number): RunGroup | null {
  return groups.length === 1 && fileCount > 1 ? groups[0] : null;
}
