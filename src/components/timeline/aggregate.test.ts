import { describe, expect, it } from 'vitest';
import { aggregateSlices } from './aggregate.ts';
import { SliceLod } from './lod.ts';
import { buildModel } from './dev/model-builder.ts';

// Two tracks; the area [100, 300) covers parts of both.
const model = buildModel({
  processes: [
    {
      name: 'GPU 0',
      kind: 'gpu',
      tracks: [
        {
          name: 'stream 7',
          kind: 'gpu-stream',
          slices: [
            { name: 'gemm', startNs: 50, durNs: 100, cat: 'kernel' }, // 50–150: 50 inside
            { name: 'gemm', startNs: 160, durNs: 40, cat: 'kernel' }, // 160–200: all inside
            { name: 'add', startNs: 250, durNs: 100, cat: 'kernel' }, // 250–350: 50 inside
            { name: 'gemm', startNs: 300, durNs: 10, cat: 'kernel' }, // starts at the end: outside
            { name: 'late', startNs: 400, durNs: 10, cat: 'kernel' },
          ],
        },
        {
          name: 'stream 13',
          kind: 'gpu-stream',
          slices: [
            { name: 'nccl', startNs: 0, durNs: 1000, cat: 'kernel' }, // covers the whole range
            { name: 'gemm', startNs: 90, durNs: 10, cat: 'kernel' }, // ends at the start: outside
          ],
        },
      ],
    },
  ],
});

describe('aggregateSlices', () => {
  const lod = new SliceLod(model);
  it('counts slices overlapping the range per name, with whole and in-range durations', () => {
    const agg = aggregateSlices(model, lod, [0, 1], 100, 300);
    expect(agg.sliceCount).toBe(4);
    expect(agg.rows).toEqual([
      { name: 'nccl', count: 1, totalNs: 1000, avgNs: 1000, inRangeNs: 200, cat: 'kernel' },
      { name: 'gemm', count: 2, totalNs: 140, avgNs: 70, inRangeNs: 90, cat: 'kernel' },
      { name: 'add', count: 1, totalNs: 100, avgNs: 100, inRangeNs: 50, cat: 'kernel' },
    ]);
  });
  it('only looks at the selected tracks', () => {
    const agg = aggregateSlices(model, lod, [1], 100, 300);
    expect(agg.rows.map((r) => r.name)).toEqual(['nccl']);
  });
  it('is empty over a gap', () => {
    expect(aggregateSlices(model, lod, [0], 360, 390).rows).toEqual([]);
  });
});
