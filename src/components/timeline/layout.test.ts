import { describe, expect, it } from 'vitest';
import { DEPTH_CAP, MIN_HOST_PX, ROW_PAD_PX, SLICE_ROW_PX, buildGroups, compilePattern, deviceScrollTop, layoutRows, levelsAbove, GROUP_HEADER_PX } from './layout.ts';
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

describe('deviceScrollTop: the device rows start in view under a deep host stack', () => {
  const deep = Array.from({ length: 20 }, (_, d) => ({ name: `f${d}`, startNs: d, durNs: 100 - 2 * d }));
  const streams = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `stream ${i}`, kind: 'gpu-stream' as const, slices: s('gemm') }));
  const gpuModel = (nStreams: number, depth = deep) =>
    buildModel({
      processes: [
        { name: 'python', kind: 'host', pid: '1', tracks: [{ name: 'thread 1', kind: 'thread', slices: depth }] },
        { name: 'python', kind: 'gpu', pid: '0', label: 'GPU 0', device: 0, tracks: streams(nStreams) },
      ],
    });
  const at = (nStreams: number, depth = deep) => layoutRows(buildGroups(gpuModel(nStreams, depth)), new Set(), new Set());
  const visibleRange = (top: number, visible: number) => [top, top + visible];

  it('does not scroll when the device group is in view already (a shallow host)', () => {
    const l = at(2, deep.slice(0, 3));
    expect(deviceScrollTop(l, 300)).toBe(0);
  });
  it('scrolls a deep host stack up just enough for the whole device group, keeping the deepest host levels', () => {
    const l = at(1);
    const gpu = l.headers[1];
    const visible = 240;
    const top = deviceScrollTop(l, visible);
    const [from, to] = visibleRange(top, visible);
    expect(top).toBeGreaterThan(0);
    // The whole GPU group (its header and its stream) is in view ...
    expect(gpu.y).toBeGreaterThanOrEqual(from);
    expect(l.contentHeightPx).toBeLessThanOrEqual(to);
    // ... and no more of the host is hidden than that needs: one pixel less scroll and the group's end is cut.
    expect(l.contentHeightPx - (top - 1)).toBeGreaterThan(visible);
  });
  it('keeps MIN_HOST_PX of the host in view when the device group is taller than the widget', () => {
    const l = at(12);
    const gpu = l.headers[1];
    const top = deviceScrollTop(l, 240);
    expect(gpu.y - top).toBe(MIN_HOST_PX);
  });
  it('keeps at most a third of a compact widget for the host, so its first stream shows', () => {
    const l = at(3);
    const gpu = l.headers[1];
    const visible = 85;
    const top = deviceScrollTop(l, visible);
    expect(gpu.y - top).toBe(Math.floor(visible / 3));
    const stream = l.rows.find((r) => r.row.groupKey === gpu.group.key)!;
    expect(top + visible - stream.y).toBeGreaterThanOrEqual(12);
  });
  it('ignores a collapsed device group and computed lanes (rank above the device)', () => {
    const groups = buildGroups(gpuModel(1));
    expect(deviceScrollTop(layoutRows(groups, new Set([groups[1].key]), new Set()), 240)).toBe(0);
  });
  it('starts at the Ascend Hardware group below Python and CANN', () => {
    const model = buildModel({ format: 'ascend', processes: ascendProcesses.map((p) => (p.name === 'Python' ? { ...p, tracks: [{ name: 'Thread 1', kind: 'thread' as const, slices: deep }] } : p)) });
    const l = layoutRows(buildGroups(model), new Set(), new Set());
    const hw = l.headers.find((h) => h.group.label === 'Ascend Hardware')!;
    const top = deviceScrollTop(l, 200);
    expect(hw.y).toBeGreaterThanOrEqual(top);
    expect(hw.y + GROUP_HEADER_PX).toBeLessThanOrEqual(top + 200);
  });
});

describe('levelsAbove', () => {
  it('counts the whole levels of a row scrolled out above, none while its top is in view', () => {
    expect(levelsAbove(-40, 12)).toBe(0);
    expect(levelsAbove(0, 12)).toBe(0);
    expect(levelsAbove(ROW_PAD_PX + SLICE_ROW_PX - 1, 12)).toBe(0);
    expect(levelsAbove(ROW_PAD_PX + SLICE_ROW_PX, 12)).toBe(1);
    expect(levelsAbove(ROW_PAD_PX + 4 * SLICE_ROW_PX + 5, 12)).toBe(4);
    expect(levelsAbove(10_000, 12)).toBe(12);
  });
});
