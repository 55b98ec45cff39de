/**
 * The recorded GPU samples in public/traces, read with the project loader (`loadTraceFile`), hold what
 * the lessons point at: the vLLM-named module scopes of every layer in every step, the Triton kernels
 * (rotary_embedding, reshape_and_cache, paged_attention) on the GPU stream, launch → kernel arrows,
 * the GPU named in deviceProperties, and no collective at TP=1; at TP=2 one all-reduce after each
 * row-parallel linear (o_proj, down_proj) and none after the column-parallel ones. Expected counts come
 * from the manifest's parameters (layers, steps kept, mode) and the recipe's structure: one of each
 * per-layer kernel per layer per forward, paged attention in decode steps only.
 *
 * Also `tracewise slim`, the command that made them, on the committed sample itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadTraceFile } from '../../src/cli/files.ts';
import { run as slim } from '../../src/cli/slim.ts';
import type { TraceModel } from '../../src/lib/trace/model.ts';
import { validateManifest, type ManifestEntry } from '../../src/lib/trace/manifest.ts';
import { ancestorsOf, endNsOf, sliceName } from '../../src/lib/trace/query.ts';

const TRACES = fileURLToPath(new URL('../../public/traces/', import.meta.url));
const { entries } = validateManifest(JSON.parse(readFileSync(join(TRACES, 'manifest.json'), 'utf8')));
const qwen = entries.filter((e) => e.kind === 'recorded' && e.recipe === 'recipes/qwen_tp_decode.py');

const LAYER_SCOPES = [
  'input_layernorm', 'Qwen2Attention', 'qkv_proj', 'rotary_emb', 'attn', 'o_proj',
  'post_attention_layernorm', 'Qwen2MLP', 'gate_up_proj', 'act_fn', 'down_proj',
];

interface QwenParams {
  model: { layers: number };
  tp: number;
  mode: 'eager' | 'cudagraph';
  stepsKept: string;
}

function stepsOf(m: TraceModel): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < m.slices.length; i++) {
    const hit = /^ProfilerStep#(\d+)$/.exec(sliceName(m, i));
    if (hit && m.tracks.kind[m.slices.track[i]] === 'thread') out.set(Number(hit[1]), i);
  }
  return out;
}

function within(m: TraceModel, id: number, outer: number): boolean {
  return m.slices.startNs[id] >= m.slices.startNs[outer] && endNsOf(m, id) <= endNsOf(m, outer);
}

/** Slices on tracks of `kind` whose name contains `part`, inside the span of slice `outer`. */
function named(m: TraceModel, kind: string, part: string, outer: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m.slices.length; i++) {
    if (m.tracks.kind[m.slices.track[i]] === kind && sliceName(m, i).includes(part) && within(m, i, outer)) out.push(i);
  }
  return out;
}

describe('recorded Qwen samples', () => {
  it('are in the manifest', () => {
    expect(qwen.map((e) => e.file)).toContain('qwen2_5-7b-shape-tp1-h100.json.gz');
  });

  describe.each(qwen.map((e) => [e.file, e] as [string, ManifestEntry]))('%s', (file, entry) => {
    const p = entry.parameters as unknown as QwenParams;
    const layers = p.model.layers;
    const [first, last] = p.stepsKept.split('-').map(Number);
    let model: Promise<TraceModel> | undefined;
    const load = (): Promise<TraceModel> => (model ??= loadTraceFile(join(TRACES, file)));

    it('loads as a whole Kineto trace with every arrow bound', async () => {
      const m = await load();
      expect(m.format).toBe('kineto');
      expect(m.stats.truncated).toBe(false);
      expect(m.stats.warnings.filter((w) => w.code.startsWith('flow'))).toEqual([]);
      expect(m.flows.length).toBeGreaterThan(0);
      for (let f = 0; f < m.flows.length; f++) {
        expect(m.tracks.kind[m.slices.track[m.flows.fromSlice[f]]]).toBe('thread');
        expect(m.tracks.kind[m.slices.track[m.flows.toSlice[f]]]).toBe('gpu-stream');
      }
    });

    it('names the GPU of its manifest entry in deviceProperties', async () => {
      const m = await load();
      const props = m.metadata.deviceProperties as Array<{ name?: unknown }>;
      expect(typeof props?.[0]?.name).toBe('string');
      expect(props[0].name).toMatch(/H100|H200/);
      // in the provenance the reader sees, in both languages
      expect(entry.hardware.en).toContain(String(props[0].name));
      expect(entry.hardware['zh-CN']).toContain(String(props[0].name));
    });

    it('holds the steps the manifest says it kept', async () => {
      const steps = [...stepsOf(await load()).keys()].sort((a, b) => a - b);
      expect(steps).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
    });

    it('has the module scopes of every layer where the host ran the layers', async () => {
      const m = await load();
      for (const [n, step] of stepsOf(m)) {
        const decoderLayers = named(m, 'thread', 'Qwen2DecoderLayer', step);
        // A replayed CUDA graph runs the layers without the host: decode steps of the graph sample have none.
        const hostRunsLayers = p.mode === 'eager' || n === first;
        expect(decoderLayers.length, `ProfilerStep#${n}`).toBe(hostRunsLayers ? layers : 0);
        for (const layer of decoderLayers) {
          const inside = new Set<string>();
          for (let i = 0; i < m.slices.length; i++) {
            if (m.slices.track[i] === m.slices.track[layer] && ancestorsOf(m, i).includes(layer)) inside.add(sliceName(m, i));
          }
          for (const scope of LAYER_SCOPES) expect(inside.has(scope), `${scope} in a layer of ProfilerStep#${n}`).toBe(true);
        }
        if (!hostRunsLayers) expect(named(m, 'thread', 'cudaGraphLaunch', step).length).toBe(1);
      }
    });

    it('runs the Triton kernels on the GPU stream: one per layer per step, paged attention in decode only', async () => {
      const m = await load();
      for (const [n, step] of stepsOf(m)) {
        const decode = n !== first; // ProfilerStep#1 is the prefill (manifest notes)
        expect(named(m, 'gpu-stream', 'rotary_embedding', step).length, `rotary_embedding in #${n}`).toBe(layers);
        expect(named(m, 'gpu-stream', 'reshape_and_cache', step).length, `reshape_and_cache in #${n}`).toBe(layers);
        expect(named(m, 'gpu-stream', 'paged_attention', step).length, `paged_attention in #${n}`).toBe(decode ? layers : 0);
      }
    });

    it.runIf(p.tp === 1)('has no collective, as TP=1 says', async () => {
      const m = await load();
      for (let i = 0; i < m.slices.length; i++) expect(sliceName(m, i)).not.toMatch(/nccl|all_?reduce|all_?gather|reduce_?scatter/i);
    });

    it.runIf(p.tp > 1 && p.mode === 'eager')('all-reduces after o_proj and down_proj in every layer, never after qkv_proj or gate_up_proj', async () => {
      // Row-parallel linears leave partial sums (one all-reduce each); column-parallel ones do not.
      const m = await load();
      for (const [n, step] of stepsOf(m)) {
        for (const layer of named(m, 'thread', 'Qwen2DecoderLayer', step)) {
          const inLayer = (scope: string): number[] => named(m, 'thread', scope, layer).filter((i) => sliceName(m, i) === scope);
          for (const scope of ['o_proj', 'down_proj']) {
            const [s0] = inLayer(scope);
            expect(named(m, 'thread', 'nccl:all_reduce', s0).length, `${scope} of a layer in #${n}`).toBe(1);
          }
          for (const scope of ['qkv_proj', 'gate_up_proj']) {
            const [s0] = inLayer(scope);
            expect(named(m, 'thread', 'nccl:all_reduce', s0).length, `${scope} of a layer in #${n}`).toBe(0);
          }
        }
      }
      let kernels = 0;
      for (let i = 0; i < m.slices.length; i++) {
        if (m.tracks.kind[m.slices.track[i]] === 'gpu-stream' && /^ncclDevKernel_AllReduce/.test(sliceName(m, i))) kernels++;
      }
      // Two per layer per step, plus the vocab-parallel embedding's one per step.
      expect(kernels).toBe((2 * layers + 1) * (last - first + 1));
    });
  });
});

describe('tracewise slim on the committed sample', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tracewise-slim-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const sample = join(TRACES, 'qwen2_5-7b-shape-tp1-h100.json.gz');

  async function quiet(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      return { code: await slim(argv), out: out.join(''), err: err.join('') };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('writes one step, without memory instants, as gzip the loader reads', async () => {
    const target = join(tmp, 'step2.json.gz');
    const r = await quiet([sample, '-o', target, '--steps', '2', '--drop-fields', 'memory,shapes']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(readFileSync(target).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const m = await loadTraceFile(target);
    expect([...stepsOf(m).keys()]).toEqual([2]);
    expect(m.instants.length).toBe(0); // the recording's only instants are [memory] events
    expect(m.stats.warnings.filter((w) => w.code.startsWith('flow'))).toEqual([]);
    expect((m.metadata.deviceProperties as unknown[]).length).toBeGreaterThan(0);
  });

  it.each([
    [['/nonexistent/trace.json', '-o', 'x.json'], /nonexistent\/trace\.json: no such file/],
    [[sample, '-o', join(tmp, 'x.json'), '--steps', '9'], /no ProfilerStep#9 in the trace \(it has #1, #2, #3\)/],
    [[sample, '-o', join(tmp, 'x.json'), '--drop-fields', 'everything'], /unknown field 'everything'/],
    [[sample, '--steps', '1'], /missing -o OUT/],
    [[fileURLToPath(new URL('./samples.test.ts', import.meta.url)), '-o', join(tmp, 'x.json')], /not valid JSON/],
  ])('exits 2 with one line for %j', async (argv, why) => {
    const r = await quiet(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(why);
  });
});
