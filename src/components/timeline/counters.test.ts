import { describe, expect, it } from 'vitest';
import { CounterLod, bucketAtOrBefore, buildCounterSeries, sampleAtOrBefore } from './counters.ts';
import { drawCounterRow, type PathContext } from './render-samples.ts';
import type { FrameInput } from './frame.ts';
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

describe('CounterLod (min/max per bucket, as Perfetto draws counters)', () => {
  /** 1 M samples 1 µs apart: a sawtooth 0..999 with a spike of 5000 at sample 123 457. */
  const N = 1_000_000;
  const ts = new Float64Array(N);
  const value = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    ts[i] = i * 1000;
    value[i] = i === 123_457 ? 5000 : i % 1000;
  }
  const series = { tsNs: ts, value, min: 0, max: 5000 };

  it('keeps first time, min, max and last value of each 2^L bucket, checked against the raw samples', () => {
    const lod = new CounterLod(series);
    const lvl = lod.at(100_000); // 2^17 ns buckets: 131 samples each
    expect(lvl.length).toBe(Math.ceil((N * 1000) / 2 ** 17));
    for (const k of [0, 1, 941, lvl.length - 1]) {
      const from = Math.ceil((k * 2 ** 17) / 1000);
      const to = Math.min(N, Math.ceil(((k + 1) * 2 ** 17) / 1000));
      const raw = Array.from(value.subarray(from, to));
      expect(lvl.tsNs[k]).toBe(ts[from]);
      expect(lvl.min[k]).toBe(Math.min(...raw));
      expect(lvl.max[k]).toBe(Math.max(...raw));
      expect(lvl.last[k]).toBe(raw[raw.length - 1]);
    }
    // The one-sample spike survives every level (max of max).
    for (const perPx of [1e4, 1e6, 1e8]) {
      const l = lod.at(perPx);
      expect(Math.max(...l.max)).toBe(5000);
      expect(bucketAtOrBefore(l, 123_457_000)).toBeGreaterThanOrEqual(0);
      expect(l.max[bucketAtOrBefore(l, 123_457_000)]).toBe(5000);
    }
  });

  it('draws O(pixels) path points for a million samples, whole trace or zoomed in', () => {
    let points = 0;
    const ctx = new Proxy({} as Record<string, unknown>, {
      get: (t, k) => (k === 'lineTo' || k === 'moveTo' ? () => points++ : typeof k === 'string' && k in t ? t[k] : () => {}),
      set: (t, k, v) => ((t[k as string] = v), true),
    }) as unknown as PathContext;
    const model = buildModel({ processes: [{ name: 'HBM', kind: 'counters', tracks: [{ name: 'Read', kind: 'counter', samples: [[0, 0]] }] }] });
    model.endNs = N * 1000;
    const placed = { row: { key: 'c0', label: 'Read', groupKey: 'p0', source: { kind: 'counter' as const, trackId: 0 }, heightPx: 40 }, y: 0 };
    for (const window of [
      { startNs: 0, endNs: N * 1000 },
      { startNs: 400_000_000, endNs: 401_000_000 },
    ]) {
      points = 0;
      const frame = { model, counters: new Map([[0, series]]), viewport: { ...window, widthPx: 800 }, palette: { fill: new Array(200).fill('#000') }, chrome: { textMuted: '#888' } } as unknown as FrameInput;
      drawCounterRow(ctx, frame, placed, 0);
      // Each bucket is at most 4 points (step, max, min, value), one bucket per pixel or more.
      expect(points).toBeLessThanOrEqual(4 * 802 + 4);
      expect(points).toBeGreaterThan(800);
    }
  });
});
