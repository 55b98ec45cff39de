import { describe, expect, it } from 'vitest';
import { DEPTH_CAP, buildGroups, compilePattern, layoutRows, GROUP_HEADER_PX } from './layout.ts';
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
