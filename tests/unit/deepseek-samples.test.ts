/**
 * The recorded DeepSeek-shaped samples in public/traces (recipes/deepseek_mla_moe.py, two ranks), read
 * with the project loader and analysed with the project analysis, hold what lesson 4 points at:
 * - allreduce: two all-reduces per layer per step (after attention's o_proj, after the MoE), nothing
 *   else on the wire, and no overlap (one compute stream waits for each collective);
 * - rs-ag: the same bytes as reduce-scatters and all-gathers, no all-reduce;
 * - two-stream: two compute streams and async all-reduces, so part of the communication runs while the
 *   other micro-batch computes — the only variant with a non-zero overlap ratio.
 * Expected counts come from the manifest's parameters (layers, steps kept) and the recipe's structure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTraceFile } from '../../src/cli/files.ts';
import { analysisReport, type AnalysisReport } from '../../src/lib/analysis/report.ts';
import { validateManifest } from '../../src/lib/trace/manifest.ts';
import type { TraceModel } from '../../src/lib/trace/model.ts';
import { sliceName } from '../../src/lib/trace/query.ts';

const TRACES = fileURLToPath(new URL('../../public/traces/', import.meta.url));
const { entries } = validateManifest(JSON.parse(readFileSync(join(TRACES, 'manifest.json'), 'utf8')));
const deepseek = entries.filter((e) => e.kind === 'recorded' && e.recipe === 'recipes/deepseek_mla_moe.py');

interface Params { variant: 'allreduce' | 'rs-ag' | 'two-stream'; shape: { layers: number }; stepsKept: string; world: number }

const cache = new Map<string, Promise<{ m: TraceModel; r: AnalysisReport }>>();
function load(file: string): Promise<{ m: TraceModel; r: AnalysisReport }> {
  let p = cache.get(file);
  if (!p) {
    p = loadTraceFile(join(TRACES, file)).then((m) => ({ m, r: analysisReport(m) }));
    cache.set(file, p);
  }
  return p;
}

/** Kernels matching `re` launched from inside the kept steps (by their launch → kernel arrow): the
 *  warm-up step's last collective still runs on the GPU after ProfilerStep#1 starts, and is not one. */
function gpuKernels(m: TraceModel, r: AnalysisReport, re: RegExp): number {
  const from = Math.min(...r.steps.map((s) => s.start_us));
  const to = Math.max(...r.steps.map((s) => s.start_us + s.dur_us));
  let n = 0;
  for (let f = 0; f < m.flows.length; f++) {
    const k = m.flows.toSlice[f];
    const launchUs = m.slices.startNs[m.flows.fromSlice[f]] / 1000;
    if (m.tracks.kind[m.slices.track[k]] === 'gpu-stream' && re.test(sliceName(m, k)) && launchUs >= from && launchUs <= to) n++;
  }
  return n;
}

/** Streams that run GEMMs (cuBLAS's nvjet/sm90 kernels, CUTLASS): the compute streams. The default
 *  stream also runs the copies that merge the two micro-batches, which do not make it one. */
function computeStreams(m: TraceModel): number {
  const tracks = new Set<number>();
  for (let i = 0; i < m.slices.length; i++) {
    if (m.tracks.kind[m.slices.track[i]] === 'gpu-stream' && /nvjet|gemm|cutlass|xmma/i.test(sliceName(m, i))) tracks.add(m.slices.track[i]);
  }
  return tracks.size;
}

describe('recorded DeepSeek samples', () => {
  it('cover the three variants', () => {
    expect(deepseek.map((e) => (e.parameters as unknown as Params).variant).sort()).toEqual(['allreduce', 'rs-ag', 'two-stream']);
  });

  describe.each(deepseek.map((e) => [e.file, e.parameters as unknown as Params] as const))('%s', (file, p) => {
    const [first, last] = p.stepsKept.split('-').map(Number);
    const steps = last - first + 1;
    const layers = p.shape.layers;

    it('loads whole, with the steps it says it kept', async () => {
      const { m, r } = await load(file);
      expect(m.format).toBe('kineto');
      expect(m.stats.truncated).toBe(false);
      expect(r.steps.map((s) => s.name)).toEqual(Array.from({ length: steps }, (_, i) => `ProfilerStep#${first + i}`));
    });

    it('has the collectives of its variant', async () => {
      const { m, r } = await load(file);
      const ar = gpuKernels(m, r, /^ncclDevKernel_AllReduce/);
      const rs = gpuKernels(m, r, /^ncclDevKernel_ReduceScatter/);
      const ag = gpuKernels(m, r, /^ncclDevKernel_AllGather/);
      if (p.variant === 'allreduce') expect([ar, rs, ag]).toEqual([2 * layers * steps, 0, 0]);
      // Two micro-batches, each with its own all-reduce after attention and after the MoE.
      if (p.variant === 'two-stream') expect([ar, rs, ag]).toEqual([4 * layers * steps, 0, 0]);
      if (p.variant === 'rs-ag') {
        expect(ar).toBe(0);
        expect(rs).toBe(2 * layers * steps);
        expect(ag).toBeGreaterThanOrEqual(2 * layers * steps);
      }
    });

    it('overlaps communication with compute only with two micro-batches on two streams', async () => {
      const { m, r } = await load(file);
      const gpu = r.devices.find((d) => d.kind === 'gpu');
      expect(gpu).toBeDefined();
      const ratio = gpu!.overlap.overlap_ratio ?? 0;
      if (p.variant === 'two-stream') {
        expect(computeStreams(m)).toBe(2);
        expect(ratio).toBeGreaterThan(0.02);
      } else {
        expect(computeStreams(m)).toBe(1);
        expect(ratio).toBeLessThan(0.005);
      }
    });
  });
});
