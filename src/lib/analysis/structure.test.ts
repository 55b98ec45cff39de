import { describe, expect, it } from 'vitest';
import { buildModel } from './testing.ts';
import { nestedScopes } from './fixtures/nested-scopes.ts';
import { overlappingStreams } from './fixtures/overlapping-streams.ts';
import { findLayers, findSteps } from './structure.ts';

describe('steps', () => {
  it('finds ProfilerStep ranges on the host', () => {
    const m = buildModel(nestedScopes(2));
    const steps = findSteps(m);
    expect(steps.map((s) => [s.name, s.number, s.startNs, s.endNs])).toEqual([['ProfilerStep#1', 1, 0, 10 + 2000 + 500]]);
  });
  it('uses user step ranges when no profiler step exists, and none on a model without either', () => {
    const m = buildModel({
      processes: [{ pid: '1', kind: 'host', tracks: [{ tid: '1', slices: [
        ['train_step 3', 0, 10, { cat: 'user_annotation' }],
        ['train_step 4', 10, 10, { cat: 'user_annotation' }],
        ['Optimizer.step#SGD.step', 12, 3, { cat: 'user_annotation' }],
      ] }] }],
    });
    expect(findSteps(m).map((s) => s.number)).toEqual([3, 4]);
    expect(findSteps(buildModel(overlappingStreams))).toEqual([]);
  });
});

describe('decoder layers', () => {
  it('from Qwen2DecoderLayer scopes: count, host range and the 12 kernels of each layer', () => {
    const m = buildModel(nestedScopes(4));
    const L = findLayers(m);
    expect([L.source, L.layersPerPass, L.passes, L.deviceKey]).toEqual(['scopes', 4, 1, 'gpu:0']);
    expect(L.layers.map((l) => [l.index, l.hostStartNs, l.hostEndNs, l.kernels])).toEqual(
      [0, 1, 2, 3].map((i) => [i, 10 + 1000 * i, 910 + 1000 * i, 12]),
    );
    // Device range: first kernel (norm, launch b+10 → b+310) to the all-reduce end (b+715+300+30).
    expect(L.layers.map((l) => [l.deviceStartNs, l.deviceEndNs])).toEqual(
      [0, 1, 2, 3].map((i) => [10 + 1000 * i + 310, 10 + 1000 * i + 1045]),
    );
  });
  it('inferred from the attention-anchored kernel pattern when no layer scopes exist', () => {
    const withScopes = findLayers(buildModel(nestedScopes(5)));
    const L = findLayers(buildModel(nestedScopes(5, false)));
    expect([L.source, L.layersPerPass, L.passes, L.deviceKey]).toEqual(['inferred', 5, 1, 'gpu:0']);
    // Same kernels, device ranges and busy time as the scope-based answer.
    expect(L.layers.map((l) => [l.kernels, l.deviceStartNs, l.deviceEndNs, l.deviceBusyNs])).toEqual(
      withScopes.layers.map((l) => [l.kernels, l.deviceStartNs, l.deviceEndNs, l.deviceBusyNs]),
    );
  });
  it('none without layer scopes or attention kernels', () => {
    expect(findLayers(buildModel(overlappingStreams)).source).toBe('none');
  });
});

describe('decoder layers under per-layer wrappers', () => {
  it('groups layers by the scope holding several of them, not by their own _call_impl frame', () => {
    // Two forward passes of 3 layers, each layer inside its own python frame.
    const slices: Array<[string, number, number, { cat: string }]> = [];
    for (let p = 0; p < 2; p++) {
      const base = p * 1000;
      slices.push(['nn.Module: Qwen2Model_0', base, 900, { cat: 'python_function' }]);
      for (let i = 0; i < 3; i++) {
        const b = base + 10 + i * 200;
        slices.push(['torch/nn/modules/module.py(1520): _call_impl', b, 150, { cat: 'python_function' }]);
        slices.push([`nn.Module: Qwen2DecoderLayer_${i}`, b + 5, 140, { cat: 'python_function' }]);
      }
    }
    const m = buildModel({ processes: [{ pid: '1', kind: 'host', tracks: [{ tid: '1', slices }] }] });
    const L = findLayers(m);
    expect([L.source, L.layersPerPass, L.passes]).toEqual(['scopes', 3, 2]);
    expect(L.layers.map((l) => [l.pass, l.index])).toEqual([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
  });
});
