// A finding counts applications of the operation, not kernels (issue 18):
// HF's eager RoPE is a dozen generic kernels under one apply_rotary_pos_emb
// call, and must count as one application with its kernels beside it.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../testing.ts';
import { hfEagerRope } from '../fixtures/hf-eager-rope.ts';
import { nestedScopes } from '../fixtures/nested-scopes.ts';
import { analysisReport } from '../report.ts';
import { DETECTOR_NAMES, runDetectors } from './index.ts';
import { nameOf } from '../access.ts';

describe('count = applications, kernels beside it', () => {
  it('HF eager RoPE: one application per apply_rotary_pos_emb call (and per cos/sin table), 12 kernels per call', () => {
    const passes = 3;
    const layers = 2;
    const m = buildModel(hfEagerRope(passes, layers));
    const r = runDetectors(m).rope;
    expect(r.kernels).toBe(passes * layers * 12 + passes * 3);
    expect(r.slices.length).toBe(r.kernels);
    expect(r.count).toBe(passes * layers + passes);
    // Each match names the scope instance it belongs to.
    const scopes = new Set(r.applications.map((s) => nameOf(m, s)));
    expect(scopes).toEqual(new Set(['apply_rotary_pos_emb', 'nn.Module: Qwen2RotaryEmbedding_0']));
    expect(r.applications.filter((s) => nameOf(m, s) === 'apply_rotary_pos_emb').length).toBe(passes * layers * 12);
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
    expect(f.count).toBe(6);
    expect(f.kernels).toBe(2 * 2 * 12 + 2 * 3);
    expect(f.total_us).toBeCloseTo((f.kernels * 3) / 1000, 9);
  });
});
