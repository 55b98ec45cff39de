import { describe, expect, it } from 'vitest';
import { compileSearch, inWindow, onTrack, searchSlices, stepMatch } from './search.ts';
import { buildModel } from './dev/model-builder.ts';

const model = buildModel({
  processes: [
    {
      name: 'host',
      kind: 'host',
      tracks: [
        {
          name: 'main',
          kind: 'thread',
          slices: [
            { name: 'aten::mm', startNs: 100, durNs: 10 },
            { name: 'aten::add', startNs: 300, durNs: 10 },
            { name: 'cudaLaunchKernel', startNs: 500, durNs: 10 },
          ],
        },
      ],
    },
    {
      name: 'GPU 0',
      kind: 'gpu',
      tracks: [
        {
          name: 'stream 7',
          kind: 'gpu-stream',
          slices: [
            { name: 'ampere_sgemm_128x64', startNs: 200, durNs: 50 },
            { name: 'vectorized_elementwise_kernel', startNs: 400, durNs: 20 },
          ],
        },
      ],
    },
  ],
});
const names = (ids: Int32Array) => [...ids].map((i) => model.strings[model.slices.name[i]]);

describe('searchSlices', () => {
  it('matches text case-insensitively, in time order across tracks', () => {
    expect(names(searchSlices(model, compileSearch('ATEN')!))).toEqual(['aten::mm', 'aten::add']);
    expect(names(searchSlices(model, compileSearch('kernel')!))).toEqual(['vectorized_elementwise_kernel', 'cudaLaunchKernel']);
  });
  it('treats /.../ as a regular expression', () => {
    expect(names(searchSlices(model, compileSearch('/^aten::(mm|add)$/')!))).toEqual(['aten::mm', 'aten::add']);
    expect(names(searchSlices(model, compileSearch('/gemm|elementwise/')!))).toEqual(['ampere_sgemm_128x64', 'vectorized_elementwise_kernel']);
    expect(names(searchSlices(model, compileSearch('/KERNEL/i')!))).toEqual(['vectorized_elementwise_kernel', 'cudaLaunchKernel']);
  });
  it('reports a broken regex and matches nothing', () => {
    const s = compileSearch('/aten::(/')!;
    expect(s.error).toBeTruthy();
    expect(searchSlices(model, s).length).toBe(0);
  });
  it('ignores an empty query', () => {
    expect(compileSearch('   ')).toBeNull();
  });
  it('restricts to the given tracks', () => {
    expect(names(searchSlices(model, compileSearch('kernel')!, new Set([1])))).toEqual(['vectorized_elementwise_kernel']);
  });
});

describe('stepMatch', () => {
  const matches = searchSlices(model, compileSearch('/./')!); // all five, by time: 100 200 300 400 500
  const startOf = (i: number) => model.slices.startNs[matches[i]];
  it('goes to the next match after a time, wrapping at the end', () => {
    expect(startOf(stepMatch(model, matches, 250, -1, 1))).toBe(300);
    expect(startOf(stepMatch(model, matches, 600, -1, 1))).toBe(100);
  });
  it('steps from the current match to its neighbours', () => {
    const cur = matches[2]; // start 300
    expect(startOf(stepMatch(model, matches, 300, cur, 1))).toBe(400);
    expect(startOf(stepMatch(model, matches, 300, cur, -1))).toBe(200);
    expect(startOf(stepMatch(model, matches, 100, matches[0], -1))).toBe(500);
  });
  it('returns -1 without matches', () => {
    expect(stepMatch(model, new Int32Array(0), 0, -1, 1)).toBe(-1);
  });
});

describe('scopes: in view, one lane', () => {
  const matches = searchSlices(model, compileSearch('/./')!); // [100,110) [200,250) [300,310) [400,420) [500,510)
  it('in view: those overlapping the window, also one that starts before it and runs into it', () => {
    expect(names(inWindow(model, matches, { startNs: 220, endNs: 410 }))).toEqual(['ampere_sgemm_128x64', 'aten::add', 'vectorized_elementwise_kernel']);
    expect(names(inWindow(model, matches, { startNs: 250, endNs: 300 }))).toEqual([]);
    expect(inWindow(model, matches, { startNs: 0, endNs: 1000 })).toEqual(matches);
  });
  it('one lane: the matches on that track, in time order', () => {
    expect(names(onTrack(model, matches, 1))).toEqual(['ampere_sgemm_128x64', 'vectorized_elementwise_kernel']);
  });
  it('stepping inside the view from its left edge finds the first match in view, not the first of the trace', () => {
    const view = inWindow(model, matches, { startNs: 280, endNs: 600 });
    expect(model.slices.startNs[view[stepMatch(model, view, 280, -1, 1)]]).toBe(300);
    expect(model.slices.startNs[view[stepMatch(model, view, 600, 2 ** 31, -1)]]).toBe(500);
  });
});

describe('searchSlices on a big model', () => {
  it('returns every match in time order, ties by id', async () => {
    const { syntheticModel } = await import('./dev/synthetic.ts');
    const big = syntheticModel(300_000, 5);
    const ids = searchSlices(big, compileSearch('/./')!);
    expect(ids.length).toBe(big.slices.length);
    const s = big.slices.startNs;
    let outOfOrder = 0;
    for (let i = 1; i < ids.length; i++) if (!(s[ids[i - 1]] < s[ids[i]] || (s[ids[i - 1]] === s[ids[i]] && ids[i - 1] < ids[i]))) outOfOrder++;
    expect(outOfOrder).toBe(0);
  });
});
