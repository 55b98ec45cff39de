/**
 * Rank alignment and the per-step table on the real 2-rank traces (Ascend
 * train-2rank-level1, HTA's sampled Kineto ranks). Expected offsets and step
 * durations are computed from the raw JSON with exact BigInt µs arithmetic,
 * independently of the loader and of findSteps.
 */
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { alignRanks, alignedSpans, rankFromPath, rankOf, stepTable } from './ranks.ts';
import { ASCEND_RANKS, loadShared, nsOf, rawEvents, skipReason, tracesPresent } from './testing-real.ts';

if (!tracesPresent) console.warn(skipReason());

/** Host ProfilerStep#N durations (ns) and starts (absolute ns) from the raw events. */
function rawSteps(file: string) {
  const out = new Map<number, { start: bigint; dur: bigint }>();
  for (const e of rawEvents(file)) {
    const m = /^ProfilerStep#(\d+)$/.exec(String(e.name));
    if (e.ph !== 'X' || !m || /gpu/.test(String(e.cat))) continue;
    out.set(Number(m[1]), { start: nsOf(e.ts), dur: nsOf(e.dur) });
  }
  return out;
}

function rawOrigin(file: string): bigint {
  let min: bigint | null = null;
  for (const e of rawEvents(file)) {
    if (e.ts === undefined || e.ph === 'M') continue;
    const t = nsOf(e.ts);
    if (min === null || t < min) min = t;
  }
  return min!;
}

const PAIRS = [
  { name: 'Ascend train-2rank-level1', files: ASCEND_RANKS.map((r) => r.file) },
  { name: 'HTA sampled ranks', files: ['pytorch/hta-sampled-rank0.json.gz', 'pytorch/hta-sampled-rank1.json.gz'] },
];

describe.skipIf(!tracesPresent)('ranks on real 2-rank traces', () => {
  for (const { name, files } of PAIRS) {
    it(`${name}: absolute clocks, exact origin offsets, per-step durations and the slowest rank`, async () => {
      const models = await Promise.all(files.map(loadShared));
      const al = alignRanks(models);
      expect(al.mode).toBe('absolute');
      const origins = files.map(rawOrigin);
      const earliest = origins.reduce((a, b) => (b < a ? b : a));
      expect(al.offsetsNs).toEqual(origins.map((o) => Number(o - earliest)));

      const table = stepTable(models, al);
      const raw = files.map(rawSteps);
      const numbers = [...raw[0].keys()].sort((a, b) => a - b);
      expect(table.rows.map((r) => r.number)).toEqual(numbers);
      for (const row of table.rows) {
        const durs = raw.map((r) => Number(r.get(row.number!)!.dur));
        expect(row.cells.map((c) => c!.durNs)).toEqual(durs);
        expect(row.slowest).toBe(durs.indexOf(Math.max(...durs)));
        // Aligned starts are the raw absolute starts minus the earliest origin.
        expect(row.cells.map((c) => c!.startNs)).toEqual(raw.map((r) => Number(r.get(row.number!)!.start - earliest)));
      }
      const totals = raw.map((r) => numbers.reduce((s, n) => s + Number(r.get(n)!.dur), 0));
      expect(table.slowestRank).toBe(totals.indexOf(Math.max(...totals)));
      expect(models.map((m, i) => rankOf(m, files[i]))).toEqual([0, 1]);
    });
  }
});

/** A trace with the given absolute origin (µs text) and ProfilerStep#N ranges (µs from the origin). */
async function tiny(originUs: number, steps: Array<[number, number, number]>) {
  const traceEvents = steps.map(([n, ts, dur]) => ({ ph: 'X', cat: 'user_annotation', name: `ProfilerStep#${n}`, pid: 1, tid: 1, ts: originUs + ts, dur }));
  return loadTrace(new TextEncoder().encode(JSON.stringify({ traceEvents })));
}

describe('ranks on tiny traces', () => {
  it('clocks that do not overlap (recorded a day apart) align on the first common step', async () => {
    const a = await tiny(1_000_000, [[3, 0, 100], [4, 100, 120]]);
    // b's origin is its first event, step 4 itself; a's step 4 starts 100 µs after a's origin.
    const b = await tiny(86_400_000_000, [[4, 50, 90], [5, 140, 100]]);
    const al = alignRanks([a, b]);
    expect(al).toEqual({ mode: 'first-step', offsetsNs: [0, 100_000], stepNumber: 4 });
    const t = stepTable([a, b], al);
    expect(t.rows.map((r) => r.number)).toEqual([3, 4, 5]);
    expect(t.rows[1]).toMatchObject({ slowest: 0, spreadNs: 30_000, startSkewNs: 0 });
    expect(t.rows[0].cells[1]).toBeNull();
    expect(t.rows[0].slowest).toBeNull();
    expect(t.slowestRank).toBe(0);
  });

  it('no common step: traces start together', async () => {
    const a = await tiny(0, [[1, 0, 10]]);
    const b = await tiny(10_000_000_000, [[2, 0, 10]]);
    expect(alignRanks([a, b]).mode).toBe('trace-start');
    expect(alignedSpans([a, b], alignRanks([a, b])).map((s) => s.startNs)).toEqual([0, 0]);
  });

  it('a rank starting a step late shows as start skew on a shared clock', async () => {
    const a = await tiny(1000, [[7, 0, 500]]);
    const b = await tiny(1200, [[7, 0, 300]]);
    const t = stepTable([a, b], alignRanks([a, b]));
    expect(t.rows[0]).toMatchObject({ startSkewNs: 200_000, slowest: 0, spreadNs: 200_000 });
  });

  it('rank numbers from paths', () => {
    expect(['x_ascend_pt/rank1/ASCEND_PROFILER_OUTPUT/trace_view.json', 'run/rank_12.json.gz', 'out/profiler_info_3.json', 'ranking/trace.json', 'frank1/a.json'].map(rankFromPath)).toEqual([1, 12, 3, null, null]);
  });
});
