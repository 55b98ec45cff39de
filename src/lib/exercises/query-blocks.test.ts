/**
 * `blocksPerSm` in a SliceQuery: "a kernel that gives fewer than N blocks to
 * each SM", resolved with lib/analysis/occupancy on the two-stream sample,
 * and validated by the schema.
 */
import { describe, expect, it } from 'vitest';
import { blocksPerSm } from '../analysis/occupancy.ts';
import { defaultAnalysis as A } from './analysis.ts';
import { resolveQuery } from './query.ts';
import { parseExercise } from './schema.ts';
import { loadBundledTrace } from './testing.ts';

const TRACE = '/traces/deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz';

describe('SliceQuery.blocksPerSm', () => {
  it('keeps exactly the kernels on the chosen side of the threshold, never a slice without a value', async () => {
    const m = (await loadBundledTrace(TRACE))!;
    const below = new Set(resolveQuery(m, A, { on: 'device', blocksPerSm: { below: 1 / 16 } }));
    const atLeast = new Set(resolveQuery(m, A, { on: 'device', blocksPerSm: { atLeast: 1 / 16 } }));
    expect(below.size).toBeGreaterThan(0);
    expect(atLeast.size).toBeGreaterThan(0);
    for (let s = 0; s < m.slices.length; s++) {
      const v = blocksPerSm(m, s);
      expect(below.has(s), `slice ${s}`).toBe(v !== null && v < 1 / 16);
      expect(atLeast.has(s), `slice ${s}`).toBe(v !== null && v >= 1 / 16);
    }
    // With the other parts of a query: the 2-block all-reduce of micro-batch 1 in the first layer.
    const ids = resolveQuery(m, A, { on: 'device', blocksPerSm: { below: 1 / 16 }, step: 0, within: [{ scope: 'DeepseekV2DecoderLayer', index: 0 }, { scope: 'micro_batch_1', index: 0 }] });
    expect(ids.map((s) => m.strings[m.slices.name[s]].split('(')[0])).toEqual(['ncclDevKernel_AllReduce_Sum_f16_RING_LL']);
  });
  it('is validated: a bound is needed, numbers only, no unknown keys; it alone says what the slice is', () => {
    const ex = (q: unknown) => ({
      id: 'x', kind: 'find', trace: TRACE, prompt: { en: 'p', 'zh-CN': 'p' }, hints: [], explanation: { en: 'e', 'zh-CN': 'e' },
      target: q, solution: { kind: 'slice', query: q }, wrongAnswers: [{ answer: { kind: 'slice', query: { name: 'x' } } }],
    });
    expect(parseExercise(ex({ blocksPerSm: { below: 0.1 } })).ok).toBe(true);
    const errors = (q: unknown) => { const r = parseExercise(ex(q)); return r.ok ? [] : r.errors.join('\n'); };
    expect(errors({ blocksPerSm: {} })).toMatch(/target\.blocksPerSm: give below and\/or atLeast/);
    expect(errors({ blocksPerSm: { below: '1' } })).toMatch(/target\.blocksPerSm\.below: expected a number/);
    expect(errors({ blocksPerSm: { under: 1 } })).toMatch(/target\.blocksPerSm/);
  });
});
