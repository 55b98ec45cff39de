/**
 * Which of the files a learner dropped or picked are traces to open, and which
 * rank each belongs to. Pure (paths in, choices out) so it is unit-tested.
 *
 * - Files picked one by one are all opened: the learner chose them, and a
 *   wrong one gets its own clear message.
 * - From a folder (a `*_ascend_pt` directory, a run with one folder per rank,
 *   vLLM's profile directory) only traces are taken: every Ascend
 *   `trace_view.json(.gz)` when there is one (the msprof JSON and CSV files
 *   beside it hold the same data), else every Ascend profiler database
 *   `ascend_pytorch_profiler_N.db` (export_type db; never `analysis.db`, the
 *   vendor's summary), else Kineto `*.pt.trace.json(.gz)`, else any other
 *   `.json(.gz)` that is not a known summary file.
 */
import { rankFromPath } from '../../lib/analysis/ranks.ts';

export interface Candidate {
  /** Path inside the dropped folder ("run/rank0/ASCEND_PROFILER_OUTPUT/trace_view.json"), or the file name. */
  path: string;
}

export interface Picked<T extends Candidate> {
  item: T;
  rank: number | null;
}

export interface Selection<T extends Candidate> {
  traces: Picked<T>[];
  /** Files of a folder that are not traces (not opened). */
  skipped: number;
}

const TRACE_VIEW = /(^|\/)trace_view\.json(\.gz)?$/i;
const ASCEND_DB = /(^|\/)ascend_pytorch_profiler(_\d+)?\.db$/i;
const KINETO = /\.pt\.trace\.json(\.gz)?$/i;
const JSON_FILE = /\.json(\.gz)?$/i;
/** torch_npu and msprof summaries that are JSON but not timelines. */
const NOT_TRACE = /(^|\/)(profiler_info(_\d+)?|profiler_metadata|communication(_matrix)?|parameter|config|info)\.json$/i;

export function pickTraces<T extends Candidate>(items: readonly T[], fromFolder: boolean): Selection<T> {
  let chosen: T[];
  if (!fromFolder) chosen = [...items];
  else {
    const views = items.filter((i) => TRACE_VIEW.test(i.path));
    const dbs = items.filter((i) => ASCEND_DB.test(i.path));
    const kineto = items.filter((i) => KINETO.test(i.path));
    chosen = views.length ? views : dbs.length ? dbs : kineto.length ? kineto : items.filter((i) => JSON_FILE.test(i.path) && !NOT_TRACE.test(i.path));
  }
  const order = new Intl.Collator('en', { numeric: true });
  chosen.sort((a, b) => order.compare(a.path, b.path));
  return { traces: chosen.map((item) => ({ item, rank: rankOfPath(item.path, items) })), skipped: items.length - chosen.length };
}

/**
 * A rank from the path ("rank1/…"), else from torch_npu's `profiler_info_N.json`
 * in the trace's folder or in its `*_ascend_pt` folder (the parent of
 * ASCEND_PROFILER_OUTPUT).
 */
function rankOfPath(path: string, all: readonly Candidate[]): number | null {
  const direct = rankFromPath(path);
  if (direct !== null) return direct;
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const roots = new Set([dir, dir.replace(/\/?ASCEND_PROFILER_OUTPUT$/i, '')]);
  for (const c of all) {
    const m = /^(.*)\/profiler_info_(\d+)\.json$/.exec(c.path);
    if (m && roots.has(m[1])) return Number(m[2]);
  }
  return null;
}
