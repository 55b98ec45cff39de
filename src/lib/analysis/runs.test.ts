/**
 * Grouping dropped traces into runs, on the real traces of ../shared/traces
 * (paths laid out as a learner's folder would be) and on tiny file infos.
 */
import { describe, expect, it } from 'vitest';
import { groupRuns, hostFromPath, runFileInfo, runKey, sameHost, type RunFileInfo } from './runs.ts';
import { loadShared, skipReason, tracesPresent } from './testing-real.ts';

if (!tracesPresent) console.warn(skipReason());

const ASCEND = ['ascend/train-2rank-level1/rank0/trace_view.json', 'ascend/train-2rank-level1/rank1/trace_view.json.gz'];
const HTA = ['pytorch/hta-sampled-rank0.json.gz', 'pytorch/hta-sampled-rank1.json.gz'];

/** Real traces shown under the paths a learner's drop would give them. */
async function infos(files: Array<[shared: string, path: string, rankHint?: number]>): Promise<RunFileInfo[]> {
  return Promise.all(files.map(async ([f, p, hint]) => runFileInfo(await loadShared(f), p, hint ?? null)));
}

describe.skipIf(!tracesPresent)('groupRuns on real traces', () => {
  it('the Ascend 2-rank folder is one run of ranks 0 and 1', async () => {
    const g = groupRuns(await infos([[ASCEND[0], 'train-2rank-level1/rank0/trace_view.json'], [ASCEND[1], 'train-2rank-level1/rank1/trace_view.json.gz']]));
    expect(g).toEqual([{ members: [0, 1], ranks: [0, 1], folder: null, worldSize: null }]);
  });

  it('HTA’s two sampled ranks picked as files are one run (distributedInfo rank 0 and 1 of 128)', async () => {
    const g = groupRuns(await infos([[HTA[0], 'hta-sampled-rank0.json.gz'], [HTA[1], 'hta-sampled-rank1.json.gz']]));
    expect(g).toEqual([{ members: [0, 1], ranks: [0, 1], folder: null, worldSize: 128 }]);
  });

  it('a rank of one run and a single-process trace from another year are two runs', async () => {
    const g = groupRuns(await infos([[HTA[0], 'hta-sampled-rank0.json.gz'], ['pytorch/kineto-resnet50-2021.json.gz', 'kineto-resnet50-2021.json.gz']]));
    expect(g.map((r) => r.members)).toEqual([[0], [1]]);
  });

  it('renamed so that no path names a rank, the two HTA ranks still form one run (distributedInfo, overlapping clocks)', async () => {
    const g = groupRuns(await infos([[HTA[0], 'a.json.gz'], [HTA[1], 'b.json.gz']]));
    expect(g.map((r) => r.ranks)).toEqual([[0, 1]]);
  });

  it('a folder holding two runs of two ranks each is two runs, each labelled by its folder', async () => {
    const g = groupRuns(
      await infos([
        [ASCEND[0], 'runs/npu/rank0/trace_view.json'],
        [HTA[0], 'runs/gpu/rank0/trace.json.gz'],
        [ASCEND[1], 'runs/npu/rank1/trace_view.json.gz'],
        [HTA[1], 'runs/gpu/rank1/trace.json.gz'],
      ]),
    );
    expect(g.map((r) => [r.folder, r.members, r.ranks])).toEqual([
      ['npu', [0, 2], [0, 1]],
      ['gpu', [1, 3], [0, 1]],
    ]);
  });

  it('the same pair of ranks in two run folders (same clocks, same file names) is still two runs', async () => {
    const g = groupRuns(
      await infos([
        [ASCEND[0], 'exp/monday/rank0/trace_view.json'],
        [ASCEND[1], 'exp/monday/rank1/trace_view.json.gz'],
        [ASCEND[0], 'exp/tuesday/rank0/trace_view.json'],
        [ASCEND[1], 'exp/tuesday/rank1/trace_view.json.gz'],
      ]),
    );
    expect(g.map((r) => [r.folder, r.ranks])).toEqual([
      ['monday', [0, 1]],
      ['tuesday', [0, 1]],
    ]);
  });

  it('*_ascend_pt folders without "rank" in their paths: ranks from profiler_info, one run by the overlapping clocks', async () => {
    const g = groupRuns(await infos([[ASCEND[0], 'h_1_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json', 0], [ASCEND[1], 'h_2_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json.gz', 1]]));
    expect(g.map((r) => r.ranks)).toEqual([[0, 1]]);
  });
});

const file = (path: string, rank: number | null, originUs: string, spanNs = 1e9, worldSize: number | null = null): RunFileInfo => ({ path, rank, worldSize, originUs, spanNs });

describe('groupRuns rules', () => {
  it('the same rank twice is never one run', () => {
    expect(groupRuns([file('a.json', 0, '0'), file('b.json', 0, '10')]).length).toBe(2);
  });
  it('different world sizes are different runs', () => {
    expect(groupRuns([file('a.json', 0, '0', 1e9, 8), file('b.json', 1, '10', 1e9, 16)]).length).toBe(2);
  });
  it('ranks under one folder key are one run even when their clocks do not overlap (hosts not in sync)', () => {
    expect(groupRuns([file('r/rank0/t.json', 0, '0'), file('r/rank1/t.json', 1, '999999999999')]).map((g) => g.members)).toEqual([[0, 1]]);
  });
  it('without folder evidence, ranks whose clocks do not overlap are separate runs', () => {
    expect(groupRuns([file('x.json', 0, '0'), file('y.json', 1, '999999999999')]).length).toBe(2);
  });
  it('the host from PyTorch and torch_npu default names; same host only when every path says so', () => {
    expect(['prof/node-a_1234.1700000000000.pt.trace.json.gz', 'x/node-b_77_20250101120000123_ascend_pt/ASCEND_PROFILER_OUTPUT/trace_view.json', 'rank0/trace.json'].map(hostFromPath)).toEqual(['node-a', 'node-b', null]);
    expect(sameHost(['p/h_1.2.pt.trace.json', 'p/h_3.4.pt.trace.json'])).toBe(true);
    expect(sameHost(['p/h_1.2.pt.trace.json', 'p/g_3.4.pt.trace.json'])).toBe(false);
    expect(sameHost(['p/h_1.2.pt.trace.json', 'rank1.json'])).toBeNull();
  });
  it('the run key blanks the rank and the .gz', () => {
    expect(['r/rank1/trace_view.json.gz', 'p/host-rank12.pt.trace.json', 'nothing.json'].map(runKey)).toEqual(['r/rank*/trace_view.json', 'p/host-rank*.pt.trace.json', null]);
  });
});
