import { describe, expect, it } from 'vitest';
import { AXIS_PX, DEPTH_CAP, MIN_HOST_LEVELS, ROW_PAD_PX, SLICE_ROW_PX, buildGroups, compilePattern, fitHostLevels, layoutRows, GROUP_HEADER_PX } from './layout.ts';
import { buildModel, type ProcessSpec } from './dev/model-builder.ts';

const s = (name: string) => [{ name, startNs: 0, durNs: 10 }];
// Ascend processes in the order msprof writes them, not the order learners read them.
const ascendProcesses: ProcessSpec[] = [
  { name: 'Overlap Analysis', kind: 'overlap', sortIndex: 23, tracks: [{ name: 'Computing', kind: 'overlap', slices: s('Computing') }] },
  { name: 'HBM', kind: 'counters', sortIndex: 17, tracks: [{ name: 'Read(MB/s)', kind: 'counter', samples: [[0, 1], [5, 2]] }] },
  { name: 'HCCL', kind: 'comm', sortIndex: 15, tracks: [{ name: 'Group 0 Communication', kind: 'comm', slices: s('hcom_allReduce_') }] },
  { name: 'Ascend Hardware', kind: 'npu', sortIndex: 13, tracks: [{ name: 'Stream 2', kind: 'npu-stream', sortIndex: 2, slices: s('MatMul') }, { name: 'Stream 0', kind: 'npu-stream', sortIndex: 0, slices: s('Add') }] },
  { name: 'CANN', kind: 'host', sortIndex: 7, tracks: [{ name: 'Thread 1', kind: 'thread', slices: s('AscendCL@aclrtMemcpyAsync') }] },
  { name: 'Python', kind: 'host', sortIndex: 0, tracks: [{ name: 'Thread 1', kind: 'thread', slices: s('aten::add') }] },
];

describe('buildGroups', () => {
  it('orders Ascend lanes as MindStudio Insight does', () => {
    const model = buildModel({ format: 'ascend', processes: ascendProcesses });
    const groups = buildGroups(model, [{ key: 'computed:npu:0', label: 'NPU 0 · Overlap Analysis (computed)', rank: 4.5, laneLabels: ['Computing', 'Free'] }]);
    expect(groups.map((g) => g.label)).toEqual(['Python', 'CANN', 'Ascend Hardware', 'HCCL', 'Overlap Analysis', 'NPU 0 · Overlap Analysis (computed)', 'HBM']);
    expect(groups[2].rows.map((r) => r.label)).toEqual(['Stream 0', 'Stream 2']);
    expect(groups[6].rows[0].source.kind).toBe('counter');
  });
  it('puts GPU host threads before device streams', () => {
    const model = buildModel({
      processes: [
        { name: 'GPU 0', kind: 'gpu', sortIndex: 0, tracks: [{ name: 'stream 7', kind: 'gpu-stream', slices: s('gemm') }] },
        { name: 'python', kind: 'host', sortIndex: 5, tracks: [{ name: 'thread 2', kind: 'thread', slices: s('b') }, { name: 'thread 1', kind: 'thread', slices: s('a') }] },
      ],
    });
    expect(buildGroups(model).map((g) => g.label)).toEqual(['python', 'GPU 0']);
  });
  it('filters rows by text or /regex/ on row or group names', () => {
    const model = buildModel({ format: 'ascend', processes: ascendProcesses });
    expect(buildGroups(model, [], 'hardware').flatMap((g) => g.rows.map((r) => r.label))).toEqual(['Stream 0', 'Stream 2']);
    expect(buildGroups(model, [], ['/^Stream 2$/', 'hccl']).flatMap((g) => g.rows.map((r) => r.label))).toEqual(['Stream 2', 'Group 0 Communication']);
  });
});

describe('compilePattern', () => {
  it('falls back to text when the regex is broken', () => {
    expect(compilePattern('/a(/')('x /a(/ y')).toBe(true);
  });
});

describe('layoutRows', () => {
  const model = buildModel({ format: 'ascend', processes: ascendProcesses });
  const groups = buildGroups(model);
  it('stacks headers and rows; collapsed groups keep only their header', () => {
    const open = layoutRows(groups, new Set(), new Set());
    const collapsed = layoutRows(groups, new Set([groups[2].key]), new Set());
    const streamsHeight = groups[2].rows.reduce((h, r) => h + r.heightPx, 0);
    expect(open.contentHeightPx - collapsed.contentHeightPx).toBe(streamsHeight);
    expect(collapsed.rows.some((r) => r.row.groupKey === groups[2].key)).toBe(false);
    expect(open.headers.length).toBe(groups.length);
    expect(open.rows[0].y).toBe(GROUP_HEADER_PX);
  });
  it('moves pinned rows to the pinned area', () => {
    const key = groups[2].rows[1].key;
    const l = layoutRows(groups, new Set(), new Set([key]));
    expect(l.pinned.map((p) => p.row.key)).toEqual([key]);
    expect(l.pinnedHeightPx).toBe(groups[2].rows[1].heightPx);
    expect(l.rows.some((r) => r.row.key === key)).toBe(false);
  });
});

describe('rows of deep stacks and process names', () => {
  const deep = Array.from({ length: 20 }, (_, d) => ({ name: `f${d}`, startNs: d, durNs: 100 - 2 * d }));
  const model = buildModel({
    processes: [
      { name: 'python3.10', kind: 'host', pid: '2910249', tracks: [{ name: 'thread 1 (pt_main_thread)', kind: 'thread', slices: deep }] },
      { name: 'python3.10', kind: 'gpu', pid: '0', label: 'GPU 0', device: 0, tracks: [{ name: 'stream 7 ', kind: 'gpu-stream', slices: s('gemm') }] },
      { name: 'worker', kind: 'host', pid: 'a', tracks: [{ name: 't', kind: 'thread', slices: s('x') }] },
      { name: 'worker', kind: 'host', pid: 'b', tracks: [{ name: 't', kind: 'thread', slices: s('y') }] },
    ],
  });
  it('shows DEPTH_CAP levels of a deep stack until the row is expanded', () => {
    const capped = buildGroups(model)[0].rows[0];
    expect(capped.source).toMatchObject({ kind: 'slices', depthCount: DEPTH_CAP, totalDepth: 20 });
    const open = buildGroups(model, [], undefined, new Set([capped.key]))[0].rows[0];
    expect(open.source).toMatchObject({ depthCount: 20, totalDepth: 20 });
    expect(open.heightPx).toBeGreaterThan(capped.heightPx);
  });
  it('names Kineto processes as Perfetto does and tells same-named processes apart', () => {
    const labels = buildGroups(model).map((g) => g.label);
    expect(labels).toEqual(['python3.10 2910249', 'worker (pid a)', 'worker (pid b)', 'GPU 0']);
    expect(buildGroups(model)[3].rows[0].label).toBe('stream 7');
  });
});

describe('fitHostLevels', () => {
  // A host thread 20 levels deep above a GPU stream with kernels at two levels (annotation, kernel).
  const deep = Array.from({ length: 20 }, (_, d) => ({ name: `f${d}`, startNs: d, durNs: 100 - 2 * d }));
  const model = buildModel({
    format: 'kineto',
    processes: [
      { name: 'python3', kind: 'host', pid: '1', tracks: [{ name: 'thread 1', kind: 'thread', slices: deep }] },
      { name: 'python3', kind: 'gpu', pid: '0', label: 'GPU 0', device: 0, tracks: [{ name: 'stream 7 ', kind: 'gpu-stream', slices: [{ name: 'ann', startNs: 0, durNs: 50 }, { name: 'gemm', startNs: 1, durNs: 10 }] }] },
    ],
  });
  /** Where the stream's second level ends in the rows area (canvas px, the axis included). */
  const kernelBottom = (groups: ReturnType<typeof buildGroups>) => {
    const l = layoutRows(groups, new Set(), new Set());
    const stream = l.rows.find((r) => r.row.label === 'stream 7')!;
    return AXIS_PX + stream.y + ROW_PAD_PX + 2 * SLICE_ROW_PX;
  };

  it('a short widget folds the host thread so that the stream\'s kernels show', () => {
    const groups = buildGroups(model);
    expect(kernelBottom(groups)).toBeGreaterThan(240);
    const fitted = fitHostLevels(groups, 240);
    expect(kernelBottom(fitted)).toBeLessThanOrEqual(240);
    const host = fitted[0].rows[0].source;
    expect(host).toMatchObject({ kind: 'slices', totalDepth: 20 });
    // As many levels as fit, the rest behind "+n levels".
    expect(kernelBottom(fitHostLevels(groups, 240 + SLICE_ROW_PX))).toBeLessThanOrEqual(240 + SLICE_ROW_PX);
    expect(fitHostLevels(groups, 240 + SLICE_ROW_PX)[0].rows[0].source).toMatchObject({ depthCount: (host as { depthCount: number }).depthCount + 1 });
  });

  it('a tall widget, an expanded row, an unmeasured room: nothing folds', () => {
    const groups = buildGroups(model);
    expect(fitHostLevels(groups, 1000)).toBe(groups);
    expect(fitHostLevels(groups, 0)).toBe(groups);
    const open = buildGroups(model, [], undefined, new Set([groups[0].rows[0].key]));
    expect(fitHostLevels(open, 240, new Set([groups[0].rows[0].key]))[0].rows[0].source).toMatchObject({ depthCount: 20 });
  });

  it('never below MIN_HOST_LEVELS', () => {
    expect(fitHostLevels(buildGroups(model), 60)[0].rows[0].source).toMatchObject({ depthCount: MIN_HOST_LEVELS });
  });
});
