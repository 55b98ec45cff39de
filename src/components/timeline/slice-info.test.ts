import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTrace } from '../../lib/trace/load.ts';
import { FlowIndex, argsAsText, drawnBeside, hoverLine, selfTimeNs, sliceDetails } from './slice-info.ts';
import { buildModel } from './dev/model-builder.ts';

const model = buildModel({
  processes: [
    {
      name: 'python',
      kind: 'host',
      tracks: [
        {
          name: 'main',
          kind: 'thread',
          slices: [
            { name: 'aten::linear', startNs: 0, durNs: 100, cat: 'cpu_op', args: { 'Input Dims': [[8, 4096], [4096, 4096]], 'Input type': ['c10::BFloat16', 'c10::BFloat16'] } },
            { name: 'aten::t', startNs: 5, durNs: 10, cat: 'cpu_op' },
            { name: 'aten::addmm', startNs: 20, durNs: 60, cat: 'cpu_op' },
            { name: 'cudaLaunchKernel', startNs: 30, durNs: 20, cat: 'cuda_runtime' },
            { name: 'next', startNs: 100, durNs: 5, cat: 'cpu_op' },
          ],
        },
      ],
    },
    { name: 'GPU 0', kind: 'gpu', device: 0, tracks: [{ name: 'stream 7', kind: 'gpu-stream', slices: [{ name: 'sm90_gemm', startNs: 60, durNs: 30, cat: 'kernel' }] }] },
  ],
  flows: [{ id: '42', cat: 'ac2g', from: ['main', 'cudaLaunchKernel'], to: ['stream 7', 'sm90_gemm'] }],
});
const id = (name: string) => model.strings.indexOf(name) >= 0 ? [...model.slices.name].indexOf(model.strings.indexOf(name)) : -1;

describe('selfTimeNs', () => {
  it('subtracts direct children only', () => {
    expect(selfTimeNs(model, id('aten::linear'))).toBe(100 - 10 - 60);
    expect(selfTimeNs(model, id('aten::addmm'))).toBe(60 - 20);
    expect(selfTimeNs(model, id('cudaLaunchKernel'))).toBe(20);
  });
});

describe('sliceDetails', () => {
  const flows = new FlowIndex(model);
  it('reports names, times, ancestors and args as text', () => {
    const d = sliceDetails(model, flows, id('cudaLaunchKernel'));
    expect(d.name).toBe('cudaLaunchKernel');
    expect(d.category).toBe('cuda_runtime');
    expect(d.where).toBe('python / main');
    expect([d.startNs, d.durNs, d.depth]).toEqual([30, 20, 2]);
    expect(d.ancestors.map((a) => a.name)).toEqual(['aten::linear', 'aten::addmm']);
    const lin = sliceDetails(model, flows, id('aten::linear'));
    expect(lin.args).toEqual([
      ['Input Dims', '[[8,4096],[4096,4096]]'],
      ['Input type', '["c10::BFloat16","c10::BFloat16"]'],
    ]);
  });
  it('links a launch to its kernel and back', () => {
    const launch = sliceDetails(model, flows, id('cudaLaunchKernel'));
    expect(launch.linked).toEqual([{ sliceId: id('sm90_gemm'), name: 'sm90_gemm', where: 'GPU 0 / stream 7', direction: 'out', flowCat: 'ac2g', flowId: '42' }]);
    const kernel = sliceDetails(model, flows, id('sm90_gemm'));
    expect(kernel.linked.map((l) => [l.name, l.direction])).toEqual([['cudaLaunchKernel', 'in']]);
  });
});

describe('argsAsText', () => {
  it('keeps markup as plain text and survives non-objects', () => {
    expect(argsAsText('{"name":"<img src=x onerror=alert(1)>"}')).toEqual([['name', '<img src=x onerror=alert(1)>']]);
    expect(argsAsText('[1,2]')).toEqual([['args', '[1,2]']]);
    expect(argsAsText('{oops')).toEqual([['args', '{oops']]);
  });
});

describe('hoverLine', () => {
  it('names a slice with its duration', () => {
    expect(hoverLine(model, id('aten::addmm'), null, 0)).toBe('aten::addmm · 60 ns');
  });
  it('reads the counter value in force at the time', () => {
    const counter = { label: 'HBM read', tsNs: Float64Array.from([10, 20]), value: Float64Array.from([1.5, 2500]) };
    expect(hoverLine(model, -1, counter, 5)).toBeNull();
    expect(hoverLine(model, -1, counter, 15)).toBe('HBM read: 1.5');
    expect(hoverLine(model, -1, counter, 99)).toBe('HBM read: 2,500');
  });
});

describe('parallelCount on the real Ascend trace', () => {
  const ASCEND = resolve(process.cwd(), '../shared/traces/ascend/train-2rank-level1/rank0/trace_view.json');
  it.skipIf(!existsSync(ASCEND))('an SDMA sub-task is parallel with its siblings, not inside them: no "Inside", self time = duration', async () => {
    const model = await loadTrace(new Uint8Array(readFileSync(ASCEND)));
    const flows = new FlowIndex(model);
    const name = (s: number) => model.strings[model.slices.name[s]];
    const end = (s: number) => model.slices.startNs[s] + model.slices.durNs[s];
    const ids = [...Array(model.slices.length).keys()];
    // An SDMA inside another SDMA's span on its stream (the 7-deep "stack" of issue 23).
    const inner = ids.find((s) => name(s) === 'SDMA' && ids.some((o) => o !== s && name(o) === 'SDMA' && model.slices.track[o] === model.slices.track[s] && model.slices.startNs[o] < model.slices.startNs[s] && end(s) <= end(o)))!;
    expect(inner).toBeDefined();
    const d = sliceDetails(model, flows, inner);
    expect(d.ancestors).toEqual([]);
    expect(d.selfNs).toBe(d.durNs);
    const overlapping = ids.filter((o) => o !== inner && model.slices.track[o] === model.slices.track[inner] && model.slices.startNs[o] < end(inner) && end(o) > model.slices.startNs[inner]);
    expect(d.parallel).toBe(overlapping.length);
    expect(d.parallel).toBeGreaterThan(0);
  });
  it('a host call inside its caller has no parallel slices', async () => {
    const d = sliceDetails(model, new FlowIndex(model), id('cudaLaunchKernel'));
    expect(d.parallel).toBe(0);
  });
});

describe('drawnBeside', () => {
  const gpu = buildModel({
    processes: [
      { name: 'GPU 0', kind: 'gpu', device: 0, tracks: [{ name: 'stream 7', kind: 'gpu-stream', slices: [
        { name: 'annotation', startNs: 0, durNs: 100, cat: 'gpu_user_annotation' },
        { name: 'kernel', startNs: 10, durNs: 20, cat: 'kernel' },
      ] }] },
    ],
  });
  it('a callee on the line under its parent is not beside; a slice with no parent below the first line is', () => {
    expect(drawnBeside(model, id('aten::addmm'))).toBe(false);
    expect(drawnBeside(model, id('aten::linear'))).toBe(false);
    expect(drawnBeside(gpu, 1)).toBe(false);
  });
  const ASCEND = resolve(process.cwd(), '../shared/traces/ascend/train-2rank-level1/rank0/trace_view.json');
  it.skipIf(!existsSync(ASCEND))('every SDMA below the first line of its stream is beside, not under', async () => {
    const m = await loadTrace(new Uint8Array(readFileSync(ASCEND)));
    const sdma = [...Array(m.slices.length).keys()].filter((s) => m.strings[m.slices.name[s]] === 'SDMA');
    const below = sdma.filter((s) => m.slices.depth[s] > 0);
    expect(below.length).toBeGreaterThan(0);
    for (const s of below) expect(drawnBeside(m, s)).toBe(true);
    for (const s of sdma.filter((x) => m.slices.depth[x] === 0)) expect(drawnBeside(m, s)).toBe(false);
  });
});
