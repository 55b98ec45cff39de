import { describe, expect, it } from 'vitest';
import { buildCounterSeries, sampleAtOrBefore } from './counters.ts';
import { buildModel } from './dev/model-builder.ts';

describe('buildCounterSeries', () => {
  const model = buildModel({
    processes: [
      {
        name: 'HBM',
        kind: 'counters',
        tracks: [
          { name: 'Read', kind: 'counter', samples: [[30, 3], [10, 1], [20, -2]] },
          { name: 'Write', kind: 'counter', samples: [[5, 7]] },
        ],
      },
    ],
  });
  const series = buildCounterSeries(model);
  it('groups samples per track, sorted by time, with their range', () => {
    expect([...series.get(0)!.tsNs]).toEqual([10, 20, 30]);
    expect([...series.get(0)!.value]).toEqual([1, -2, 3]);
    expect([series.get(0)!.min, series.get(0)!.max]).toEqual([-2, 3]);
    expect([...series.get(1)!.value]).toEqual([7]);
  });
  it('finds the sample in force at a time', () => {
    const s = series.get(0)!;
    expect(sampleAtOrBefore(s, 5)).toBe(-1);
    expect(sampleAtOrBefore(s, 10)).toBe(0);
    expect(sampleAtOrBefore(s, 25)).toBe(1);
    expect(sampleAtOrBefore(s, 99)).toBe(2);
  });
});
