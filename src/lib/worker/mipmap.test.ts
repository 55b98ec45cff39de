// The slice mipmap built level by level (sliceLevels: one pass finds the
// levels that change, each built from the last that changed) against the
// plain definition it replaced: merge at every level from the last table.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { SHARED_TRACE_FILES, sharedBytes, sharedTracesPresent, warnIfAbsent } from '../trace/test-support/shared.ts';
import { buildBase, buildMipmaps, closeGaps, intervalLevels, maxLevelOf, mergeLevel, type PackedLevel, type PackedSliceLod } from './mipmap.ts';

/** The previous buildMipmaps: mergeLevel at every level, `sameAsLevel` when nothing merged. */
function mergeEveryLevel(model: TraceModel, minSlices: number): PackedSliceLod {
  const tracks: PackedSliceLod['tracks'] = [];
  const maxLevel = maxLevelOf(model.endNs);
  for (let t = 0; t < model.tracks.length; t++) {
    if (model.tracks.sliceEnd[t] - model.tracks.sliceStart[t] < minSlices) continue;
    const depths = buildBase(model, t).map((base) => {
      const levels: PackedLevel[] = [{ level: -1, table: base }];
      let source = base;
      let sourceLevel = -1;
      for (let level = 0; level <= maxLevel; level++) {
        const next = mergeLevel(model, source, level);
        if (next.length === source.length) levels.push({ level, sameAsLevel: sourceLevel });
        else {
          levels.push({ level, table: next });
          source = next;
          sourceLevel = level;
        }
      }
      return levels;
    });
    tracks.push({ track: t, depths });
  }
  return { tracks };
}

const X = (name: string, ts: number, dur: number, tid = 1) => ({ ph: 'X', name, pid: 1, tid, ts, dur });
const load = (events: object[]) => loadTrace(new TextEncoder().encode(JSON.stringify({ traceEvents: events })));

describe('sliceLevels equals merging at every level', () => {
  it('on neighbours that meet only across a high power-of-two boundary, and on equal starts', async () => {
    // Times in µs: 2^k ns boundaries fall between some neighbours, so the first shared level jumps.
    const ts = [0, 0.001, 0.002, 1.023, 1.024, 1.025, 4.095, 4.096, 4.096, 65.535, 65.536, 1048.575, 1048.576, 1048.577];
    const m = await load(ts.map((t, i) => X(`s${i}`, t, ((i * 7) % 5) * 0.001 + 0.0005)));
    expect(buildMipmaps(m, 1)).toEqual(mergeEveryLevel(m, 1));
  });

  it('on 3000 slices at pseudo-random gaps and depths', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const events: object[] = [];
    let t = 0;
    for (let i = 0; i < 3000; i++) {
      t += Math.floor(rand() * 2000) / 1000;
      const dur = Math.floor(rand() * 5000) / 1000;
      events.push(X(`a${i % 13}`, t, dur, 1 + (i % 2)));
      if (rand() < 0.5) events.push(X('child', t, dur / 2, 1 + (i % 2)));
    }
    const m = await load(events);
    const lod = buildMipmaps(m, 1);
    expect(lod.tracks.length).toBe(2);
    expect(lod).toEqual(mergeEveryLevel(m, 1));
  });
});

describe.skipIf(!sharedTracesPresent)('sliceLevels equals merging at every level on every real trace', () => {
  warnIfAbsent();
  for (const rel of SHARED_TRACE_FILES) {
    it(rel, async () => {
      const m = await loadTrace(sharedBytes(rel), { fileName: rel });
      const lod = buildMipmaps(m, 1);
      expect(lod.tracks.length).toBeGreaterThan(0);
      expect(lod).toEqual(mergeEveryLevel(m, 1));
    });
  }
});

describe('intervalLevels', () => {
  // The definition: every level from the one below by closeGaps, "same as" where nothing closed.
  const naive = (set: Float64Array, maxLevel: number) => {
    const out: Array<{ level: number; set?: number[]; sameAsLevel?: number }> = [];
    let source = set;
    let sourceLevel = -1;
    for (let level = 0; level <= maxLevel; level++) {
      const next = closeGaps(source, 2 ** level);
      if (next.length === source.length) out.push({ level, sameAsLevel: sourceLevel });
      else {
        out.push({ level, set: [...next] });
        source = next;
        sourceLevel = level;
      }
    }
    return out;
  };
  const plain = (levels: ReturnType<typeof intervalLevels>) => levels.map((l) => ('set' in l && l.set ? { level: l.level, set: [...l.set] } : l));

  it('equals building every level from the one below, skipping the passes that close nothing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 5000, noNaN: true }), fc.double({ min: 0, max: 3000, noNaN: true })), { maxLength: 40 }),
        fc.integer({ min: 0, max: 16 }),
        (steps, maxLevel) => {
          // Sorted disjoint intervals from (gap, length) steps; gaps of 0, fractions and powers of two included.
          const xs: number[] = [];
          let t = 0;
          for (const [gap, len] of steps) {
            const g = [0, 1, 2, 4, 1024].includes(Math.round(gap) % 7) ? 2 ** (Math.round(gap) % 12) : gap;
            xs.push(t + g, t + g + len);
            t += g + len;
          }
          const set = Float64Array.from(xs);
          expect(plain(intervalLevels(set, maxLevel))).toEqual(naive(set, maxLevel));
        },
      ),
    );
  });

  it('places gaps of seconds (at and around 2^32 ns, where the level is found another way) as the definition does', () => {
    const gaps = [2 ** 32 - 1, 2 ** 32 - 0.5, 2 ** 32, 2 ** 32 + 0.5, 2 ** 33, 2 ** 33 - 1, 5e9, 1e12, 0.5, 1, 3.5, 2 ** 31];
    for (const maxLevel of [0, 20, 32, 33, 34, 41]) {
      const xs: number[] = [];
      let t = 0;
      for (const g of gaps) {
        xs.push(t + g, t + g + 10);
        t += g + 10;
      }
      const set = Float64Array.from(xs);
      expect(plain(intervalLevels(set, maxLevel))).toEqual(naive(set, maxLevel));
    }
  });
});
