/**
 * A real HF-transformers trace (public/traces/hf-qwen2-eager-2layer-h100.json.gz, recorded by
 * recipes/hf_qwen2_eager.py on an H100): plain PyTorch modules, not vLLM. The expected counts are
 * computed here from the raw JSON (plain JSON.parse): python_function events give the applications,
 * and the kernels are those whose launch (matched by `correlation`) happened inside them.
 *
 * Issue 18: RoPE's `count` is the number of `apply_rotary_pos_emb` calls (layers × passes), not
 * that plus the cos/sin table the `*RotaryEmbedding` module builds once per pass; the table's
 * kernels are still RoPE's kernels and time (`setup`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../trace/load.ts';
import { nsOf, type RawEvent } from '../testing-real.ts';
import { runDetectors } from './index.ts';

const file = fileURLToPath(new URL('../../../../public/traces/hf-qwen2-eager-2layer-h100.json.gz', import.meta.url));
// What the recording's provenance says it ran (manifest.json, written from the recipe's arguments).
type Entry = { file: string; parameters: { model: { layers: number }; generate: { forward_passes: number } } };
const entry = (JSON.parse(readFileSync(fileURLToPath(new URL('../../../../public/traces/manifest.json', import.meta.url)), 'utf8')) as Entry[]).find(
  (e) => e.file === 'hf-qwen2-eager-2layer-h100.json.gz',
)!;
const layers = entry.parameters.model.layers;
const passes = entry.parameters.generate.forward_passes;
const bytes = readFileSync(file);
const events = (JSON.parse(gunzipSync(bytes).toString('utf8')) as { traceEvents: RawEvent[] }).traceEvents;

type Span = { tid: string; start: bigint; end: bigint };
const spans = (re: RegExp): Span[] =>
  events
    .filter((e) => e.ph === 'X' && e.cat === 'python_function' && re.test(String(e.name)))
    .map((e) => ({ tid: String(e.tid), start: nsOf(e.ts), end: nsOf(e.ts) + nsOf(e.dur) }));
const launches = new Map<unknown, RawEvent>();
for (const e of events) if (e.cat === 'cuda_runtime' && e.args?.correlation !== undefined) launches.set(e.args.correlation, e);
const GEMM = /gemm|nvjet|cutlass|xmma|gemv/i;
/** Non-GEMM kernels launched inside one of `within` (same thread). */
const kernelsUnder = (within: Span[]): number =>
  events.filter((k) => {
    if (k.cat !== 'kernel' || GEMM.test(String(k.name))) return false;
    const l = launches.get(k.args?.correlation);
    if (!l) return false;
    const t = nsOf(l.ts);
    return within.some((s) => s.tid === String(l.tid) && t >= s.start && t <= s.end);
  }).length;

describe(`HF transformers eager Qwen2, recorded (${layers} layers × ${passes} forward passes)`, async () => {
  const model = await loadTrace(new Uint8Array(bytes), { fileName: 'hf-qwen2-eager-2layer-h100.json.gz' });
  const d = runDetectors(model);
  const apply = spans(/: apply_rotary_pos_emb$/);
  const table = spans(/^nn\.Module: Qwen2RotaryEmbedding_0$/);
  const eager = spans(/: eager_attention_forward$/);

  it(`the raw trace has what its provenance says: ${layers * passes} apply_rotary_pos_emb calls, ${passes} cos/sin tables, ${layers * passes} attention calls`, () => {
    expect(layers * passes).toBeGreaterThan(0);
    expect([apply.length, table.length, eager.length]).toEqual([layers * passes, passes, layers * passes]);
  });

  it('RoPE: count = apply_rotary_pos_emb calls, setup = tables, kernels = everything launched under both', () => {
    expect(d.rope.count).toBe(apply.length);
    expect(d.rope.setup).toBe(table.length);
    expect(d.rope.kernels).toBe(kernelsUnder(apply) + kernelsUnder(table));
  });

  it('attention: one application per eager_attention_forward call; its GEMMs stay matmul, its softmax and copies are attention', () => {
    expect(d.attention.count).toBe(eager.length);
    expect(d.attention.kernels).toBe(kernelsUnder(eager));
    for (const s of d.attention.slices) expect(model.strings[model.slices.name[s]]).not.toMatch(GEMM);
  });
});
