import { describe, expect, it } from 'vitest';
import { hitTest, rowTopOnCanvas } from './hit-test.ts';
import { AXIS_PX, GROUP_HEADER_PX, PRESENTER_SLICE_ROW_PX, ROW_PAD_PX, SLICE_ROW_PX, buildGroups, layoutRows } from './layout.ts';
import { SliceLod } from './lod.ts';
import { buildModel } from './dev/model-builder.ts';

const model = buildModel({
  processes: [
    {
      name: 'python',
      kind: 'host',
      tracks: [
        {
          name: 'main',
          kind: 'thread',
          slices: [
            { name: 'outer', startNs: 0, durNs: 1000 },
            { name: 'inner', startNs: 100, durNs: 200 },
          ],
        },
      ],
    },
    { name: 'GPU 0', kind: 'gpu', device: 0, tracks: [{ name: 'stream 7', kind: 'gpu-stream', slices: [{ name: 'thin', startNs: 500, durNs: 1 }] }] },
  ],
});
const lod = new SliceLod(model);
const groups = buildGroups(model);
const viewport = { startNs: 0, endNs: 1000, widthPx: 1000 }; // 1 ns per px
const name = (id: number) => (id < 0 ? null : model.strings[model.slices.name[id]]);

describe('hitTest', () => {
  const layout = layoutRows(groups, new Set(), new Set());
  const frame = { layout, scrollTopPx: 0, viewport, lod };
  // Content: header python (24) | main row (2 depths) | header GPU 0 | stream row.
  const mainTop = AXIS_PX + GROUP_HEADER_PX;
  const depthY = (d: number) => mainTop + ROW_PAD_PX + d * SLICE_ROW_PX + SLICE_ROW_PX / 2;
  const streamTop = mainTop + 2 * SLICE_ROW_PX + 2 * ROW_PAD_PX + GROUP_HEADER_PX;

  it('finds the slice by depth and time', () => {
    expect(name(hitTest(frame, 50, depthY(0)).sliceId)).toBe('outer');
    expect(name(hitTest(frame, 150, depthY(1)).sliceId)).toBe('inner');
    expect(name(hitTest(frame, 350, depthY(1)).sliceId)).toBe(null);
  });
  it('reports the axis and headers as such', () => {
    expect(hitTest(frame, 50, 5).area).toBe('axis');
    const onHeader = hitTest(frame, 50, AXIS_PX + 3);
    expect([onHeader.area, onHeader.row]).toEqual(['content', null]);
  });
  it('lets a 1 ns kernel be clicked within a few pixels', () => {
    expect(name(hitTest(frame, 502, streamTop + ROW_PAD_PX + 5).sliceId)).toBe('thin');
    expect(name(hitTest(frame, 510, streamTop + ROW_PAD_PX + 5).sliceId)).toBe(null);
  });
  it('accounts for the vertical scroll', () => {
    const scrolled = { ...frame, scrollTopPx: GROUP_HEADER_PX };
    expect(name(hitTest(scrolled, 50, AXIS_PX + ROW_PAD_PX + 2).sliceId)).toBe('outer');
  });
  it('hit-tests pinned rows above the scrolled content', () => {
    const pinnedLayout = layoutRows(groups, new Set(), new Set(['t1']));
    const f = { ...frame, layout: pinnedLayout };
    expect(name(hitTest(f, 500, AXIS_PX + ROW_PAD_PX + 5).sliceId)).toBe('thin');
    expect(hitTest(f, 500, AXIS_PX + ROW_PAD_PX + 5).area).toBe('pinned');
  });
});

describe('rowTopOnCanvas', () => {
  it('places a row of a collapsed group on its header', () => {
    const layout = layoutRows(groups, new Set(['p0']), new Set());
    expect(rowTopOnCanvas(layout, 0, 't0')).toEqual({ y: AXIS_PX, heightPx: GROUP_HEADER_PX, row: null });
    expect(rowTopOnCanvas(layout, 0, 't1')!.y).toBe(AXIS_PX + 2 * GROUP_HEADER_PX);
  });
});

describe('hitTest in presenter mode (taller levels)', () => {
  const layout = layoutRows(buildGroups(model, [], undefined, new Set(), { presenter: true }), new Set(), new Set());
  const frame = { layout, scrollTopPx: 0, viewport, lod };
  const mainTop = AXIS_PX + GROUP_HEADER_PX;
  const depthY = (d: number) => mainTop + ROW_PAD_PX + d * PRESENTER_SLICE_ROW_PX + PRESENTER_SLICE_ROW_PX / 2;
  it('rows grow with the level height and clicks land on the right level', () => {
    expect(layout.rows.find((r) => r.row.key.startsWith('t'))?.row.heightPx).toBe(2 * PRESENTER_SLICE_ROW_PX + 2 * ROW_PAD_PX);
    expect(name(hitTest(frame, 150, depthY(0)).sliceId)).toBe('outer');
    expect(name(hitTest(frame, 150, depthY(1)).sliceId)).toBe('inner');
    // Where the normal layout's second level would be is still the first level here.
    expect(name(hitTest(frame, 150, mainTop + ROW_PAD_PX + SLICE_ROW_PX + 2).sliceId)).toBe('outer');
  });
});
