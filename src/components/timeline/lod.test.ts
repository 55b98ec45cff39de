import { describe, expect, it } from 'vitest';
import { IntervalLod, SliceLod, closeGaps, levelForResolution } from './lod.ts';
import { buildModel } from './dev/model-builder.ts';
import { syntheticModel } from './dev/synthetic.ts';
import type { TraceModel } from '../../lib/trace/model.ts';

/** Brute force: ids of slices at `depth` of `track` overlapping [a, b]. */
function overlapping(m: TraceModel, track: number, depth: number, a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = m.tracks.sliceStart[track]; i < m.tracks.sliceEnd[track]; i++) {
    if (m.slices.depth[i] !== depth) continue;
    const s = m.slices.startNs[i];
    if (s <= b && s + m.slices.durNs[i] >= a) out.push(i);
  }
  return out;
}

function visible(lod: SliceLod, track: number, depth: number, a: number, b: number, nsPerPx: number): number[] {
  const out: number[] = [];
  lod.forEachVisible(track, depth, a, b, nsPerPx, (id) => out.push(id));
  return out;
}

describe('levelForResolution', () => {
  it('is the smallest power of two at least one pixel wide', () => {
    expect(levelForResolution(0.5)).toBe(-1);
    expect(levelForResolution(1)).toBe(-1);
    expect(levelForResolution(3)).toBe(2); // 4 ns buckets
    expect(levelForResolution(1024)).toBe(10);
    expect(levelForResolution(1025)).toBe(11);
  });
});

describe('SliceLod', () => {
  const tiny = buildModel({
    processes: [
      {
        name: 'host',
        kind: 'host',
        tracks: [
          {
            name: 't',
            kind: 'thread',
            slices: [
              { name: 'outer', startNs: 0, durNs: 100 },
              { name: 'a', startNs: 10, durNs: 20 },
              { name: 'b', startNs: 40, durNs: 5 },
              { name: 'c', startNs: 50, durNs: 40 },
              { name: 'late', startNs: 200, durNs: 10 },
            ],
          },
        ],
      },
    ],
  });

  it('at full resolution visits exactly the slices overlapping the window', () => {
    const lod = new SliceLod(tiny);
    for (const [a, b] of [[0, 300], [35, 45], [31, 39], [95, 205], [211, 400]]) {
      for (const d of [0, 1]) expect(visible(lod, 0, d, a, b, 0.1)).toEqual(overlapping(tiny, 0, d, a, b));
    }
  });

  it('at 64 ns per pixel keeps only the longest slice of each 64 ns bucket', () => {
    const lod = new SliceLod(tiny);
    // depth 1 starts 10, 40, 50 share bucket 0 (0..63): the longest is "c" (40 ns).
    const names = visible(lod, 0, 1, 0, 300, 64).map((id) => tiny.strings[tiny.slices.name[id]]);
    expect(names).toEqual(['c']);
  });

  it('hit-tests the containing slice, else the nearest within tolerance', () => {
    const lod = new SliceLod(tiny);
    const name = (id: number) => (id < 0 ? null : tiny.strings[tiny.slices.name[id]]);
    expect(name(lod.hit(0, 1, 15, 0))).toBe('a');
    expect(name(lod.hit(0, 1, 47, 0))).toBe(null); // gap between b (40–45) and c (50–90)
    expect(name(lod.hit(0, 1, 47, 3))).toBe('b'); // 2 ns from b, 3 from c
    expect(name(lod.hit(0, 0, 150, 10))).toBe(null);
    expect(name(lod.hit(0, 0, 205, 0))).toBe('late');
  });

  it('bounds the slices visited per frame by the pixel width, whatever the slice count', () => {
    const widthPx = 800;
    for (const n of [10_000, 200_000, 1_000_000]) {
      const m = syntheticModel(n, 7);
      const lod = new SliceLod(m);
      // Whole trace, then a few random windows.
      const windows: Array<[number, number]> = [[0, m.endNs]];
      for (let k = 0; k < 4; k++) {
        const a = (m.endNs * k) / 5;
        windows.push([a, a + m.endNs / 10 ** (k + 1)]);
      }
      for (const [a, b] of windows) {
        const perPx = (b - a) / widthPx;
        for (let t = 0; t < 3; t++) {
          for (let d = 0; d < lod.depthCount(t); d++) {
            const count = visible(lod, t, d, a, b, perPx).length;
            expect(count, `n=${n} track ${t} depth ${d}`).toBeLessThanOrEqual(widthPx + 2);
          }
        }
      }
    }
  });

  it('never hides a bucket: each overlapping slice has a visited representative at least as long in its bucket', () => {
    const m = syntheticModel(20_000, 3);
    const lod = new SliceLod(m);
    const a = m.endNs * 0.3;
    const b = m.endNs * 0.35;
    const perPx = (b - a) / 300;
    const w = 2 ** levelForResolution(perPx);
    for (let t = 0; t < 3; t++) {
      for (let d = 0; d < lod.depthCount(t); d++) {
        const reps = new Map<number, number>();
        for (const id of visible(lod, t, d, a, b, perPx)) reps.set(Math.floor(m.slices.startNs[id] / w), id);
        for (const id of overlapping(m, t, d, a, b)) {
          const rep = reps.get(Math.floor(m.slices.startNs[id] / w));
          expect(rep, `slice ${id}`).toBeDefined();
          expect(m.slices.durNs[rep!]).toBeGreaterThanOrEqual(m.slices.durNs[id]);
        }
      }
    }
  });
});

describe('IntervalLod', () => {
  it('closes gaps shorter than the bucket and keeps the rest', () => {
    const set = Float64Array.from([0, 10, 12, 20, 40, 50, 51, 60]);
    expect([...closeGaps(set, 3)]).toEqual([0, 20, 40, 60]);
    expect([...closeGaps(set, 1)]).toEqual([...set]);
    expect([...closeGaps(set, 100)]).toEqual([0, 60]);
  });
  it('draws at most about one interval per pixel whatever the interval count', () => {
    const n = 200_000;
    const set = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      set[2 * i] = i * 100;
      set[2 * i + 1] = i * 100 + 60; // 40 ns gaps
    }
    const lod = new IntervalLod(set);
    const widthPx = 1000;
    const perPx = (n * 100) / widthPx;
    expect(lod.at(perPx).length / 2).toBeLessThanOrEqual(widthPx + 1);
    expect(lod.at(10).length).toBe(set.length); // 40 ns gaps are visible at 10 ns/px
  });
});

describe('syntheticModel (bench/frames.mjs and bench/responsiveness.mjs rebuild it from its source text in the page)', () => {
  it('is self-contained: rebuilt from its source it makes the same model', () => {
    const rebuilt = new Function(`return (${syntheticModel.toString()})`)() as typeof syntheticModel;
    const a = rebuilt(2000, 1);
    const b = syntheticModel(2000, 1);
    expect(a.slices.length).toBe(b.slices.length);
    expect(Array.from(a.slices.startNs)).toEqual(Array.from(b.slices.startNs));
    expect(a.args.length).toBe(0);
  });
});
