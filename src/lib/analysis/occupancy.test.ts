/**
 * Blocks per SM on real traces: every kernel's value equals its raw `grid`
 * (read by a plain JSON.parse) ÷ the `numSms` of its device; traces without
 * `deviceProperties` give null; devices and tracks off the GPU give null.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { catOf, nameOf } from './access.ts';
import { BLOCKS_PER_SM_BANDS, blocksPerSm, blocksPerSmBand, launchShape, smsByDevice } from './occupancy.ts';
import { loadShared, rawEvents, skipReason, tracesPresent } from './testing-real.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const samplePath = (f: string) => resolve(repo, 'public/traces', f);
function loadSample(f: string): Promise<TraceModel> {
  return loadTrace(new Uint8Array(readFileSync(samplePath(f))), { fileName: f });
}
function sampleDoc(f: string): { traceEvents: Array<{ ph?: string; cat?: string; name?: string; ts?: number; args?: Record<string, unknown> }>; deviceProperties?: Array<{ id: number; numSms: number }> } {
  return JSON.parse(gunzipSync(readFileSync(samplePath(f))).toString('utf8'));
}

/** Every kernel slice of the model against the raw events with the same name and start, in order. */
function checkAgainstRaw(m: TraceModel, events: Array<{ ph?: string; cat?: string; name?: string; args?: Record<string, unknown> }>, numSms: Map<number, number>): number {
  const raw = events.filter((e) => e.ph === 'X' && e.cat === 'kernel' && Array.isArray(e.args?.grid));
  const kernels = [...Array(m.slices.length).keys()].filter((s) => catOf(m, s) === 'kernel');
  expect(kernels.length).toBe(raw.length);
  // Per name, the multiset of expected values equals the model's.
  const want = new Map<string, number[]>();
  for (const e of raw) {
    const g = e.args!.grid as number[];
    const sms = numSms.get(Number(e.args!.device));
    const v = sms ? (g[0] * g[1] * g[2]) / sms : null;
    (want.get(e.name!) ?? want.set(e.name!, []).get(e.name!)!).push(v ?? -1);
  }
  const got = new Map<string, number[]>();
  for (const s of kernels) (got.get(nameOf(m, s)) ?? got.set(nameOf(m, s), []).get(nameOf(m, s))!).push(blocksPerSm(m, s) ?? -1);
  for (const [name, values] of want) expect(got.get(name)?.sort((a, b) => a - b), name).toEqual(values.sort((a, b) => a - b));
  return kernels.length;
}

describe('blocks per SM on the project samples', () => {
  const f = 'deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz';
  it('the two-stream all-reduce kernel: grid [2,1,1] on a 132-SM H200 is 2/132 blocks per SM', async () => {
    const m = await loadSample(f);
    const doc = sampleDoc(f);
    const numSms = new Map(doc.deviceProperties!.map((p) => [p.id, p.numSms]));
    expect(smsByDevice(m)).toEqual(numSms);
    const nccl = [...Array(m.slices.length).keys()].filter((s) => nameOf(m, s).startsWith('ncclDevKernel_AllReduce'));
    expect(nccl.length).toBeGreaterThan(0);
    for (const s of nccl) {
      const shape = launchShape(m, s)!;
      const raw = doc.traceEvents.find((e) => e.cat === 'kernel' && e.name === nameOf(m, s))!;
      expect(shape.grid).toEqual(raw.args!.grid);
      expect(shape.sms).toBe(numSms.get(Number(raw.args!.device)));
      expect(shape.blocksPerSm).toBeCloseTo((shape.grid[0] * shape.grid[1] * shape.grid[2]) / shape.sms!, 12);
      expect(blocksPerSmBand(shape.blocksPerSm)).toBe(0);
    }
    expect(checkAgainstRaw(m, doc.traceEvents, numSms)).toBeGreaterThan(100);
  });
  it('annotations, host slices and NPU tasks have none', async () => {
    const m = await loadSample(f);
    const annotation = [...Array(m.slices.length).keys()].find((s) => catOf(m, s) === 'gpu_user_annotation')!;
    const host = [...Array(m.slices.length).keys()].find((s) => catOf(m, s) === 'cpu_op')!;
    expect(launchShape(m, annotation)).toBeNull();
    expect(launchShape(m, host)).toBeNull();
    const npu = await loadSample('npu-deepseek-baseline.json.gz');
    expect(smsByDevice(npu).size).toBe(0);
    for (let s = 0; s < npu.slices.length; s++) expect(blocksPerSm(npu, s)).toBeNull();
  });
});

describe.skipIf(!tracesPresent)('blocks per SM on ../shared/traces', () => {
  if (!tracesPresent) it.skip(skipReason(), () => {});
  it('hta-nccl-data: every kernel equals its raw grid ÷ numSms (108 SMs)', async () => {
    const rel = 'pytorch/hta-nccl-data.json.gz';
    const m = await loadShared(rel);
    const events = rawEvents(rel) as Array<{ ph?: string; cat?: string; name?: string; args?: Record<string, unknown> }>;
    const doc = JSON.parse(gunzipSync(readFileSync(resolve(repo, '../shared/traces', rel))).toString('utf8')) as { deviceProperties: Array<{ id: number; numSms: number }> };
    const numSms = new Map(doc.deviceProperties.map((p) => [p.id, p.numSms]));
    expect([...smsByDevice(m).values()].every((n) => n === 108)).toBe(true);
    expect(checkAgainstRaw(m, events, numSms)).toBeGreaterThan(100);
    // NCCL kernels use few blocks; some GEMMs fill the GPU: both ends of the bands occur.
    const bands = new Set([...Array(m.slices.length).keys()].map((s) => blocksPerSmBand(blocksPerSm(m, s))));
    expect(bands.has(0)).toBe(true);
    expect(bands.has(BLOCKS_PER_SM_BANDS.length - 1)).toBe(true);
  });
  it('kineto-resnet50-2021: kernels have grids but the trace has no deviceProperties, so no value', async () => {
    const m = await loadShared('pytorch/kineto-resnet50-2021.json.gz');
    expect(smsByDevice(m).size).toBe(0);
    const withGrid = [...Array(m.slices.length).keys()].filter((s) => launchShape(m, s) !== null);
    expect(withGrid.length).toBeGreaterThan(100);
    for (const s of withGrid) {
      expect(launchShape(m, s)!.sms).toBeNull();
      expect(blocksPerSm(m, s)).toBeNull();
    }
  });
});

describe('blocksPerSmBand', () => {
  it('bands by the share of SMs given a block', () => {
    expect(blocksPerSmBand(null)).toBe(-1);
    expect(blocksPerSmBand(2 / 132)).toBe(0);
    expect(blocksPerSmBand(16 / 132)).toBe(1);
    expect(blocksPerSmBand(100 / 132)).toBe(2);
    expect(blocksPerSmBand(1)).toBe(3);
    expect(blocksPerSmBand(33)).toBe(3);
  });
});
