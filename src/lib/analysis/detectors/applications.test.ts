// A finding counts applications of the operation, not kernels (issue 18):
// HF's eager RoPE is a dozen generic kernels under one apply_rotary_pos_emb
// call, and must count as one application with its kernels beside it.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../testing.ts';
import { hfEagerRope } from '../fixtures/hf-eager-rope.ts';
import { nestedScopes } from '../fixtures/nested-scopes.ts';
import { analysisReport, formatReport } from '../report.ts';
import { DETECTOR_NAMES, runDetectors } from './index.ts';
import { nameOf } from '../access.ts';

describe('count = applications, kernels beside it', () => {
  it('HF eager RoPE: one application per apply_rotary_pos_emb call; the cos/sin table is setup, its kernels still counted', () => {
    const passes = 3;
    const layers = 2;
    const m = buildModel(hfEagerRope(passes, layers));
    const r = runDetectors(m).rope;
    expect(r.kernels).toBe(passes * layers * 12 + passes * 3);
    expect(r.slices.length).toBe(r.kernels);
    // The example: 2 layers × 15 passes is 30 applications; here 2 × 3.
    expect(r.count).toBe(passes * layers);
    expect(r.setup).toBe(passes);
    // Each match names the scope instance it belongs to.
    const scopes = new Set(r.applications.map((s) => nameOf(m, s)));
    expect(scopes).toEqual(new Set(['apply_rotary_pos_emb', 'nn.Module: Qwen2RotaryEmbedding_0']));
    expect(r.applications.filter((s) => nameOf(m, s) === 'apply_rotary_pos_emb').length).toBe(passes * layers * 12);
  });

  it('the setup rule reads the work, not the name: a table built inside every application leaves each one an application', () => {
    // Rename the table module to an apply-style scope: it still computes cos/sin, so it is still setup.
    const renamed = hfEagerRope(2, 2);
    for (const p of renamed.processes) for (const t of p.tracks) for (const sl of t.slices) if (sl[0] === 'nn.Module: Qwen2RotaryEmbedding_0') sl[0] = 'apply_rotary_emb';
    const r1 = runDetectors(buildModel(renamed)).rope;
    expect([r1.count, r1.setup]).toEqual([4, 2]);
    // Drop the apply_rotary_pos_emb calls' rotary name: only the table scopes remain, all setup → they count.
    const onlyTables = hfEagerRope(2, 2);
    for (const p of onlyTables.processes) for (const t of p.tracks) for (const sl of t.slices) if (sl[0] === 'apply_rotary_pos_emb') sl[0] = 'attn_inner';
    const r2 = runDetectors(buildModel(onlyTables)).rope;
    expect([r2.count, r2.setup, r2.kernels]).toEqual([2, 0, 2 * 3]);
  });

  it('fused kernels found by name are one application each; every detector has kernels ≥ count', () => {
    const m = buildModel(nestedScopes(3));
    const d = runDetectors(m);
    expect(d.norm.count).toBe(3);
    expect(d.norm.kernels).toBe(3);
    expect(d.matmul.count).toBe(12);
    expect(d.all_reduce.count).toBe(3);
    for (const n of DETECTOR_NAMES) {
      expect(d[n].kernels, n).toBe(d[n].slices.length);
      expect(d[n].applications.length, n).toBe(d[n].slices.length);
      expect(d[n].count, n).toBeLessThanOrEqual(d[n].kernels);
    }
  });

  it('the report (CLI JSON) has count = applications and kernels beside it', () => {
    const m = buildModel(hfEagerRope(2, 2));
    const f = analysisReport(m).findings.rope;
    expect(f.count).toBe(4);
    expect(f.setup).toBe(2);
    expect(f.kernels).toBe(2 * 2 * 12 + 2 * 3);
    expect(f.total_us).toBeCloseTo((f.kernels * 3) / 1000, 9);
    // The CLI's human output says the setup instances are left out of the count.
    const line = formatReport(analysisReport(m)).split('\n').find((l) => l.trimStart().startsWith('rope '))!;
    expect(line).toMatch(/^\s+rope\s+4\s+54\s.*\(\+2 setup: .*not in count\)$/);
    // Detectors without setup keep no setup field in the JSON.
    expect('setup' in analysisReport(m).findings.matmul).toBe(false);
  });
});
