/**
 * Every kernel and task name in the project's samples (public/traces) and in
 * the real third-party traces (../shared/traces, skipped with a reason when
 * absent) decodes to a family, except the few listed below with the reason.
 * Also explainSlice on real slices: category, launcher (checked against the
 * raw `correlation` ids), blocks per SM (against the raw grid and
 * `deviceProperties`), layer and step.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../trace/load.ts';
import type { TraceModel } from '../../trace/model.ts';
import { argNumber, nameOf } from '../access.ts';
import { sliceKinds, workKindOf } from '../activity.ts';
import { ASCEND_RANKS, KINETO_TRACES, TRACES_DIR, loadShared, skipReason, tracesPresent } from '../testing-real.ts';
import { decodeSlice, explainSlice } from './slice.ts';
import { DB_SAMPLES } from '../../trace/test-support/sqlite.ts';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const SAMPLES = [
  'qwen2_5-7b-shape-tp1-h100.json.gz',
  'qwen2_5-7b-shape-tp1-cudagraph-h100.json.gz',
  'qwen2_5-7b-shape-tp1-cudaops-h100.json.gz',
  'qwen2_5-7b-shape-tp2-rank0-1gpu-h200.json.gz',
  'qwen2_5-7b-shape-tp2-rank1-1gpu-h200.json.gz',
  'deepseek-v3-shape-allreduce-ws2-rank0-1gpu-h200.json.gz',
  'deepseek-v3-shape-rs-ag-ws2-rank0-1gpu-h200.json.gz',
  'deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz',
  'npu-deepseek-baseline.json.gz',
  'npu-deepseek-rs-ag.json.gz',
  'npu-deepseek-dual-stream.json.gz',
  'npu-deepseek-host-bound.json.gz',
];
const SHARED = [
  ...ASCEND_RANKS.map((r) => r.file),
  ...KINETO_TRACES.filter((f) => !f.includes('cpu-only')),
  // Ascend database exports, through the db importer (node:sqlite).
  ...DB_SAMPLES.map((s) => relative(TRACES_DIR, s.db)),
];

/** Names no decoder recognises, on purpose, with the reason. Matched by prefix. */
const KNOWINGLY_UNRECOGNISED: Array<[string, string]> = [
  ['void epilogue::impl::globalKernel<', 'a GEMM epilogue kernel whose library the name does not say (cuBLASLt is likely, not certain)'],
  ['void compute_cuda_kernel<', 'a generic name (FBGEMM / torchrec index helper in the HTA trace); claiming a library would be a guess'],
];

const samplePath = (f: string) => resolve(repo, 'public/traces', f);
const sampleModels = new Map<string, Promise<TraceModel>>();
function loadSample(f: string): Promise<TraceModel> {
  let m = sampleModels.get(f);
  if (!m) sampleModels.set(f, (m = loadTrace(new Uint8Array(readFileSync(samplePath(f))), { fileName: f })));
  return m;
}

function unrecognised(model: TraceModel): string[] {
  const kinds = sliceKinds(model);
  const out = new Set<string>();
  const seen = new Set<string>();
  for (let s = 0; s < model.slices.length; s++) {
    if (kinds[s] === null || kinds[s] === 'annotation') continue;
    const n = nameOf(model, s);
    if (seen.has(n)) continue;
    seen.add(n);
    if (!decodeSlice(model, s).decoding && !KNOWINGLY_UNRECOGNISED.some(([p]) => n.startsWith(p))) out.add(n);
  }
  return [...out];
}

/** Every text explainSlice gives for the model's distinct names exists in both languages, Chinese without an ASCII space after full-width punctuation. */
function checkTexts(m: TraceModel): void {
  const seen = new Set<string>();
  for (let s = 0; s < m.slices.length; s++) {
    const name = nameOf(m, s);
    if (seen.has(name)) continue;
    seen.add(name);
    const e = explainSlice(m, s);
    const d = e.decoding;
    for (const x of [e.categoryWhy, ...(d ? [d.label, d.role, ...d.caveats, ...(d.learn ? [d.learn.title] : [])] : [])]) {
      expect(x.en.length, name).toBeGreaterThan(0);
      expect(x.zh.length, name).toBeGreaterThan(0);
      expect(x.zh, name).not.toMatch(/[，。：；！？、）”] /);
    }
  }
}

describe('every text the traces produce exists in both languages', () => {
  it.each(SAMPLES)('%s', async (f) => checkTexts(await loadSample(f)));
  it.skipIf(!tracesPresent).each(SHARED)('%s', async (f) => checkTexts(await loadShared(f)));
});

describe('every device name in the samples decodes to a family', () => {
  it.each(SAMPLES)('%s', async (f) => {
    expect(unrecognised(await loadSample(f))).toEqual([]);
  });
});

describe.skipIf(!tracesPresent)(`every device name in ../shared/traces decodes to a family${tracesPresent ? '' : ` (${skipReason()})`}`, () => {
  it.each(SHARED)('%s', async (f) => {
    expect(unrecognised(await loadShared(f))).toEqual([]);
  });
  it('the knowingly unrecognised names do occur (the list is not stale)', async () => {
    const all = new Set<string>();
    for (const f of SHARED) {
      const m = await loadShared(f);
      for (let s = 0; s < m.slices.length; s++) all.add(nameOf(m, s));
    }
    for (const [prefix] of KNOWINGLY_UNRECOGNISED) expect([...all].some((n) => n.startsWith(prefix)), prefix).toBe(true);
  });
});

interface Raw { ph?: string; name?: string; cat?: string; ts?: number; args?: Record<string, unknown> }
function rawDoc(f: string): { traceEvents: Raw[]; deviceProperties?: Array<{ id: number; numSms: number }> } {
  return JSON.parse(gunzipSync(readFileSync(samplePath(f))).toString('utf8'));
}

describe('explainSlice on a recorded GPU sample', () => {
  const f = 'qwen2_5-7b-shape-tp1-h100.json.gz';
  it('gives an nvjet GEMM its launcher, blocks per SM, layer and step', async () => {
    const m = await loadSample(f);
    const doc = rawDoc(f);
    const ids = [...Array(m.slices.length).keys()].filter((s) => nameOf(m, s).startsWith('nvjet_sm90'));
    expect(ids.length).toBeGreaterThan(0);
    const id = ids[Math.floor(ids.length / 2)];
    const e = explainSlice(m, id);
    expect(e.decoding?.family).toBe('cublas-nvjet');
    expect(e.category).toBe('computing');
    expect(e.counted).toBe(true);
    // The raw kernel event with this correlation id: the runtime call with the same id is its launcher, its grid the blocks.
    const corr = argNumber(m, id, 'correlation');
    const raw = doc.traceEvents.find((x) => x.cat === 'kernel' && x.args?.correlation === corr)!;
    expect(raw.name).toBe(e.name);
    const launch = doc.traceEvents.find((x) => /cuda_runtime|cuda_driver/.test(String(x.cat)) && x.args?.correlation === raw.args!.correlation)!;
    expect(e.launcher?.name).toBe(launch.name);
    const grid = raw.args!.grid as number[];
    const sms = doc.deviceProperties!.find((p) => p.id === raw.args!.device)!.numSms;
    expect(e.sms).toBe(sms);
    expect(e.blocksPerSm).toBeCloseTo((grid[0] * grid[1] * grid[2]) / sms, 9);
    expect(e.layer).not.toBeNull();
    expect(e.step?.name).toMatch(/^ProfilerStep#\d+$/);
  });
  it('a kernel replayed from a CUDA graph names cudaGraphLaunch as its launcher', async () => {
    const m = await loadSample('qwen2_5-7b-shape-tp1-cudagraph-h100.json.gz');
    const kinds = sliceKinds(m);
    const graphKernels = [...Array(m.slices.length).keys()].filter((s) => kinds[s] === 'computation').map((s) => explainSlice(m, s)).filter((e) => e.fromGraph);
    expect(graphKernels.length).toBeGreaterThan(0);
    for (const e of graphKernels) expect(e.launcher?.name).toBe('cudaGraphLaunch');
    const eager = await loadSample('qwen2_5-7b-shape-tp1-h100.json.gz');
    const eagerKinds = sliceKinds(eager);
    for (let s = 0; s < eager.slices.length; s++) if (eagerKinds[s] === 'computation') expect(explainSlice(eager, s).fromGraph).toBe(false);
  });
  it('a host launch is host, counted in nothing, with no device facts', async () => {
    const m = await loadSample(f);
    const id = [...Array(m.slices.length).keys()].find((s) => nameOf(m, s) === 'cudaLaunchKernel')!;
    const e = explainSlice(m, id);
    expect(e).toMatchObject({ category: 'host', counted: false, deviceKey: null, grid: null, blocksPerSm: null, launcher: null, fromGraph: false });
    expect(e.decoding?.family).toBe('cuda-api');
  });
});

describe('explainSlice on the simulated NPU sample', () => {
  it('gives an AI_CORE task its CANN launcher and an EVENT_WAIT the wait category', async () => {
    const m = await loadSample('npu-deepseek-baseline.json.gz');
    const kinds = sliceKinds(m);
    const mm = [...Array(m.slices.length).keys()].find((s) => kinds[s] === 'computation' && nameOf(m, s).startsWith('aclnnQuantMatmul'))!;
    const e = explainSlice(m, mm);
    expect(e.decoding?.family).toBe('ascend-task');
    expect(e.decoding?.fields.task_type).toBe('AI_CORE');
    // msprof's HostToDevice flow starts at CANN's Node@launch; the aclnn call and the torch_npu op are its scopes.
    expect(e.launcher?.name).toBe('Node@launch');
    expect(e.scopes.map((x) => x.name).some((n) => /^(AscendCL@)?aclnnQuantMatmulV4$/.test(n))).toBe(true);
    expect(e.grid).toBeNull();
    const wait = [...Array(m.slices.length).keys()].find((s) => nameOf(m, s) === 'EVENT_WAIT')!;
    expect(explainSlice(m, wait)).toMatchObject({ category: 'wait', counted: true });
  });
});

describe("the page's cheap path gives the same answers where it can", () => {
  it.each(['qwen2_5-7b-shape-tp1-h100.json.gz', 'npu-deepseek-baseline.json.gz'])('%s: workKindOf matches sliceKinds; launcher and category match', async (f) => {
    const m = await loadSample(f);
    const kinds = sliceKinds(m);
    for (let s = 0; s < m.slices.length; s++) expect(workKindOf(m, s)).toBe(kinds[s]);
    const sourcesOf = (id: number) => {
      const out: Array<{ sliceId: number; flowCat: string }> = [];
      for (let i = 0; i < m.flows.length; i++) if (m.flows.toSlice[i] === id && m.flows.fromSlice[i] >= 0) out.push({ sliceId: m.flows.fromSlice[i], flowCat: m.flows.cat[i] >= 0 ? m.strings[m.flows.cat[i]] : '' });
      return out;
    };
    const device = [...Array(m.slices.length).keys()].filter((s) => kinds[s] === 'computation').filter((_, i) => i % 17 === 0);
    expect(device.length).toBeGreaterThan(3);
    for (const id of device) {
      const full = explainSlice(m, id);
      const page = explainSlice(m, id, { flowSources: sourcesOf(id) });
      expect(page.launcher, nameOf(m, id)).toEqual(full.launcher);
      expect(page.category).toBe(full.category);
      expect(page.decoding?.family).toBe(full.decoding?.family);
      expect(page.step).toEqual(full.step);
      // Both samples have *DecoderLayer scopes: the page finds the same layer through the launch's scopes
      // (on Ascend across the CANN → Python hop).
      if (full.layer) expect(page.layer?.name, nameOf(m, id)).toBe(full.layer.name);
    }
  });
});
