/**
 * What lesson 2's "who made the other wait" exercise says about the bundled
 * TP = 2 samples (public/traces, both ranks on one H200), checked twice: from
 * the raw JSON here (plain JSON.parse, the n-th NCCL kernel of each rank
 * paired, the shared host clock) and through the analysis the page shows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { collectiveSkew, computeBefore } from './collective-skew.ts';
import { matchCollectives } from './rank-collectives.ts';
import { alignRanks } from './ranks.ts';
import { nsOf, type RawEvent } from './testing-real.ts';

const file = (r: number) => fileURLToPath(new URL(`../../../public/traces/qwen2_5-7b-shape-tp2-rank${r}-1gpu-h200.json.gz`, import.meta.url));
const docs = [0, 1].map((r) => JSON.parse(gunzipSync(readFileSync(file(r))).toString('utf8')) as { traceEvents: RawEvent[] });
const kernels = (d: { traceEvents: RawEvent[] }) =>
  d.traceEvents
    .filter((e) => e.ph === 'X' && e.cat === 'kernel')
    .map((e) => ({ name: String(e.name), start: nsOf(e.ts), end: nsOf(e.ts) + nsOf(e.dur) }))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
const nccl = docs.map((d) => kernels(d).filter((k) => /^ncclDevKernel_/.test(k.name)));
// From the start of ProfilerStep#2 to the start of ProfilerStep#3 on rank 0's host (decode is host-bound here,
// so a kernel starts soon after its launch).
const stepStart = (n: number) => nsOf(docs[0].traceEvents.find((e) => e.ph === 'X' && e.name === `ProfilerStep#${n}`)!.ts);
const step2 = { start: stepStart(2), end: stepStart(3) };

describe('lesson 2: who made the other wait in the first decode step (ProfilerStep#2)', () => {
  // The all-reduce pairs whose rank-0 kernel starts in that window.
  const pairs = nccl[0]
    .map((k, i) => [k, nccl[1][i]] as const)
    .filter(([k]) => /AllReduce/.test(k.name) && k.start >= step2.start && k.start < step2.end);

  it('from the raw files: rank 0 starts every all-reduce last, its GPU mostly idle before it; the transfers match', () => {
    expect(nccl[0].length).toBe(nccl[1].length);
    expect(pairs.length).toBeGreaterThanOrEqual(8);
    const ranks0 = kernels(docs[0]).filter((k) => !/^ncclDevKernel_/.test(k.name));
    pairs.forEach(([a, b]) => {
      expect(a.start > b.start).toBe(true); // one host clock: rank 0 arrives last
      // Rank 0's kernel time between its previous collective and this one: about a tenth of that window or less.
      const prev = nccl[0].filter((k) => k.end <= a.start).pop()!;
      let busy = 0n;
      for (const k of ranks0) {
        const s = k.start > prev.end ? k.start : prev.end;
        const e = k.end < a.start ? k.end : a.start;
        if (e > s) busy += e - s;
      }
      expect(Number(busy) / Number(a.start - prev.end)).toBeLessThan(0.11);
      // Transfer (after the last arrival) within 30% on both ranks; rank 1's wait is larger than it.
      const tA = Number(a.end - a.start);
      const tB = Number(b.end - a.start);
      expect(Math.abs(tA - tB) / tA).toBeLessThan(0.3);
      expect(Number(a.start - b.start)).toBeGreaterThan(tA);
    });
  });

  it('in the next decode step (ProfilerStep#3) the roles swap: rank 1 starts every all-reduce last', () => {
    const next = nccl[0].map((k, i) => [k, nccl[1][i]] as const).filter(([k]) => /AllReduce/.test(k.name) && k.start >= step2.end);
    expect(next.length).toBeGreaterThanOrEqual(8);
    for (const [a, b] of next) expect(b.start > a.start).toBe(true);
  });

  it('through the analysis the lesson page shows: the same latecomer, decided, mostly idle before', async () => {
    const models = await Promise.all([0, 1].map((r) => loadTrace(new Uint8Array(readFileSync(file(r))))));
    const matching = matchCollectives(models);
    const al = alignRanks(models, matching);
    expect(al.mode).toBe('absolute');
    const skew = collectiveSkew(matching, al);
    const origin = nsOf(models[0].originUs);
    const inStep = skew.collectives.filter((c) => pairs.some(([a]) => Math.abs(Number(a.start - origin) - c.arriveNs[0] + al.offsetsNs[0]) < 1));
    expect(inStep.length).toBe(pairs.length);
    for (const c of inStep) {
      expect(c).toMatchObject({ lastRank: 0, decided: true, consistent: true });
      const before = computeBefore(models[0], matching, 0, c);
      expect(before.busyNs / (before.toNs - before.fromNs)).toBeLessThan(0.11);
      expect(c.lateByNs).toBeGreaterThan(150_000); // "by 0.2 to 0.9 ms"
      expect(c.lateByNs).toBeLessThan(950_000);
      c.transferNs.forEach((t) => expect(t).toBeGreaterThan(125_000)); // "130–180 µs"
      c.transferNs.forEach((t) => expect(t).toBeLessThan(185_000));
    }
  });
});
