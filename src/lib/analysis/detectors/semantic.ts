/**
 * The engine behind the "what is this kernel" detectors (rope, attention,
 * paged_attention, kv_cache_write, matmul, norm, activation, moe). Each of
 * those modules only declares its patterns; this file decides how evidence
 * combines, once for all of them:
 *
 * 1. A device kernel whose *name* matches a detector's kernel patterns is that
 *    detector's match (confidence 0.9, 0.6 for patterns marked weak). Name
 *    evidence is independent per detector (GroupedMatmul is both matmul and
 *    moe; a paged-attention kernel is also attention).
 * 2. A kernel whose name matches no detector (a generic elementwise, copy or
 *    Triton kernel) takes the detector of the *innermost* enclosing scope that
 *    matches any detector: first the host context of its launch (CPU op 0.8,
 *    record_function / python / nn.Module scope 0.7), else the
 *    gpu_user_annotation ranges around it on its stream (0.7). So a kernel
 *    under `rotary_emb` is RoPE, and a GEMM under `qkv_proj` under
 *    `Qwen2Attention` stays matmul.
 * 3. `refines` detectors (paged_attention) also take the matches of the
 *    detector they refine when their host ops appear in the kernel's context
 *    (FlashAttention called with a block table by vLLM) (0.75).
 * 4. A trace with no device work (CPU only): host slices matching the op or
 *    scope patterns, outermost only (0.5).
 *
 * Ascend's auxiliary `*_MemSet` tasks (zeroing an op's output) are left out.
 *
 * Applications (`count`) vs kernels (`kernels`): a kernel found through a scope
 * (2) belongs to the application of the outermost scope of that detector around it; a kernel matched by name
 * (1) belongs to the outermost enclosing scope matching the same detector, or
 * is an application of its own (a fused kernel). Nested scopes of one detector
 * (a model's attention module around its attention function) are one
 * application: the outermost. So HF's eager RoPE, a dozen
 * elementwise kernels under one `apply_rotary_pos_emb` call, is one application.
 * A scope instance whose kernels do the detector's `setup` work (HF's
 * `*RotaryEmbedding` module computing the cos/sin table once per forward pass)
 * keeps its kernels and time but is not an application, as long as other
 * instances apply the operation (`setup` in the result counts them).
 *
 * Scope names are compared after normalising "nn.Module: Qwen2MLP_0" → "Qwen2MLP"
 * and "model.layers.0.mlp.act_fn" → "act_fn".
 */
import type { SliceId, TraceModel } from '../../trace/model.ts';
import { argsText } from '../../trace/args.ts';
import { ancestorsOf, catOf, nameOf, perString } from '../access.ts';
import { sliceKinds } from '../activity.ts';
import { isHostTrack } from '../devices.ts';
import { hostContext, launchLinks } from '../links.ts';
import { MatchList, type DetectorResult, type SemanticName } from './types.ts';

export interface SemanticSpec {
  name: SemanticName;
  /** One line describing the detector for the summary. */
  summary: string;
  /** Device slice names (kernel / NPU task names). */
  kernels: readonly RegExp[];
  /** Names that would match `kernels` but are something else. */
  notKernels?: readonly RegExp[];
  /** Kernel names that are only suggestive (confidence 0.6). */
  weakKernels?: readonly RegExp[];
  /** CPU op names in the launch context: aten::, vllm::, _C::, c10d::, npu_, aclnn. */
  hostOps: readonly RegExp[];
  /** Normalised scope names: record_function ranges, nn.Module, python functions. */
  scopes: readonly RegExp[];
  /** Also match the kernels of this detector whose host context has one of `hostOps`. */
  refines?: SemanticName;
  /**
   * Work that prepares the operation's constants rather than applying it (RoPE's cos/sin table): host ops in a
   * kernel's launch context, or kernel names. A scope instance with such work is *setup*: its kernels stay in
   * `kernels` and the time, but it is not an application, unless no instance without it exists (a model that
   * computes the table inside every application).
   */
  setup?: readonly RegExp[];
  /**
   * Kernels of the refined detector that serve both cases (Ascend's FusedInferAttentionScore runs prefill
   * attention over contiguous K/V and decode over a paged cache): matched only when an op of their launch
   * context passes a block table, an integer 2-D input (`blockTableInput`).
   */
  blockTableKernels?: readonly RegExp[];
}

/** "nn.Module: Qwen2MLP_0" → "Qwen2MLP"; "model.layers.0.mlp.act_fn" → "act_fn". */
export function scopeKey(name: string): string {
  let s = name;
  if (s.startsWith('nn.Module: ')) s = s.slice('nn.Module: '.length);
  if (!/[/(\s:]/.test(s) && s.includes('.')) s = s.slice(s.lastIndexOf('.') + 1);
  return s.replace(/_\d+$/, '');
}

function matchesAny(res: readonly RegExp[] | undefined, s: string): RegExp | null {
  if (!res) return null;
  for (const re of res) if (re.test(s)) return re;
  return null;
}

type Evidence = { spec: SemanticSpec; confidence: number; reason: string };

function kernelEvidence(spec: SemanticSpec, name: string): Evidence | null {
  if (matchesAny(spec.notKernels, name)) return null;
  if (matchesAny(spec.kernels, name)) return { spec, confidence: 0.9, reason: `kernel name matches ${spec.name}` };
  if (matchesAny(spec.weakKernels, name)) {
    return { spec, confidence: 0.6, reason: `kernel name suggests ${spec.name}` };
  }
  return null;
}

function scopeEvidence(specs: readonly SemanticSpec[], name: string, isOp: boolean, where: string): Evidence[] {
  const out: Evidence[] = [];
  const key = scopeKey(name);
  for (const spec of specs) {
    const hit = matchesAny(spec.hostOps, name) || matchesAny(spec.scopes, key) || matchesAny(spec.scopes, name);
    if (!hit) continue;
    out.push(
      isOp
        ? { spec, confidence: 0.8, reason: `launched under op \`${name}\`` }
        : { spec, confidence: 0.7, reason: `under ${where} \`${name}\`` },
    );
  }
  return out;
}

type Where = 'annotation' | 'scope' | 'GPU annotation';
const WHERE_CODE: Record<Where, number> = { annotation: 0, scope: 1, 'GPU annotation': 2 };

/** Ops (cpu_op, Kineto 2021 Operator, CANN calls) vs scopes (annotations, python functions). */
function isOpCat(cat: string): boolean {
  return !/annotation|python/i.test(cat);
}

/** A profiler's per-input list: Kineto writes a JSON array, torch_npu a text joined by ';' (and line breaks). */
function inputList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(/;\s*/).map((x) => x.trim());
  return [];
}

const INTEGER_TYPE = /^(int|long|long int|int32|int64|c10::(Int|Long)|torch\.int(32|64))$/i;

/**
 * The index of an op's input that is an integer 2-D tensor (a block table: one row of cache block ids per
 * sequence), from its `Input Dims` and `Input type` args; null when there is none or the op records no inputs.
 */
export function blockTableInput(model: TraceModel, op: SliceId): number | null {
  if (model.slices.args[op] < 0) return null;
  const raw = argsText(model.args, model.slices.args[op]);
  if (!raw.includes('Input type')) return null;
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
  const types = inputList(args['Input type']);
  const dims = inputList(args['Input Dims']);
  for (let i = 0; i < types.length; i++) {
    const d = dims[i];
    const rank = Array.isArray(d) ? d.length : typeof d === 'string' && d !== '' ? d.split(',').length : 0;
    if (typeof types[i] === 'string' && INTEGER_TYPE.test(types[i] as string) && rank === 2) return i;
  }
  return null;
}

/** Ascend's helper memsets of an op (`aclnnMm_MatMulCommon_MemSet`): not the op's math. */
const AUXILIARY_KERNEL = /_MemSet$/;

const shortName = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** Runs all semantic specs together (the innermost-scope rule needs all of them). */
export function runSemantic(model: TraceModel, specs: readonly SemanticSpec[]): Map<SemanticName, DetectorResult> {
  const lists = new Map<SemanticName, MatchList>(specs.map((s) => [s.name, new MatchList()]));
  const kinds = sliceKinds(model);
  const links = launchLinks(model);
  const byName = new Map<number, Evidence[]>();
  let anyDevice = false;

  // Scope evidence depends only on (name, op or scope, where): memoise by name index (a number key, no
  // string built per lookup: this runs for every scope around every kernel).
  const evidenceCache = new Map<number, Evidence[]>();
  const evidenceOf = (id: SliceId, isOp: boolean, where: Where): Evidence[] => {
    const k = model.slices.name[id] * 8 + (isOp ? 4 : 0) + WHERE_CODE[where];
    let e = evidenceCache.get(k);
    if (!e) evidenceCache.set(k, (e = scopeEvidence(specs, nameOf(model, id), isOp, where)));
    return e;
  };
  // Per category, not per slice: is it an op, is it an annotation.
  const opCat = perString(model, 'semantic:opCat', isOpCat);
  const annotationCat = perString(model, 'semantic:annotationCat', (cat) => /annotation/.test(cat));
  const auxiliary = perString(model, 'semantic:auxiliaryKernel', (name) => AUXILIARY_KERNEL.test(name));
  // Launch contexts are nearly all distinct, so they are recomputed rather than kept.
  const ctxOf = (h: SliceId) => hostContext(model, h);

  for (let s = 0; s < model.slices.length; s++) {
    const kind = kinds[s];
    if (kind === null) continue;
    anyDevice = true;
    if (kind !== 'computation') continue;
    const ni = model.slices.name[s];
    if (auxiliary(ni)) continue;
    let ev = byName.get(ni);
    if (!ev) {
      const name = nameOf(model, s);
      ev = [];
      for (const spec of specs) {
        const e = kernelEvidence(spec, name);
        if (e) ev.push({ ...e, reason: `${e.reason}: \`${shortName(name)}\`` });
      }
      byName.set(ni, ev);
    }
    const ctxSlice = links.context[s];
    // Setup work (spec.setup) between the kernel and the scope that stands for its application.
    const isSetup = (spec: SemanticSpec, app: SliceId): boolean => {
      if (!spec.setup || app === s) return false;
      if (matchesAny(spec.setup, nameOf(model, s))) return true;
      if (ctxSlice < 0) return false;
      for (const h of ctxOf(ctxSlice)) {
        if (matchesAny(spec.setup, nameOf(model, h))) return true;
        if (h === app) break;
      }
      return false;
    };
    const add = (e: Evidence, app: SliceId) => {
      const list = lists.get(e.spec.name)!;
      list.add(s, e.confidence, e.reason, app);
      if (isSetup(e.spec, app)) list.markSetup(app);
    };
    // The scopes around the kernel that carry evidence, innermost first: its launch's host context (it has the
    // ops), else the GPU annotations around it on its stream.
    const chain = (): Array<{ scope: SliceId; found: Evidence[] }> => {
      const out: Array<{ scope: SliceId; found: Evidence[] }> = [];
      if (ctxSlice >= 0) {
        for (const h of ctxOf(ctxSlice)) {
          const c = model.slices.cat[h]; // -1 (no category) asks about ''
          const found = evidenceOf(h, opCat(c), annotationCat(c) ? 'annotation' : 'scope');
          if (found.length) out.push({ scope: h, found });
        }
      }
      if (out.length) return out;
      for (const a of ancestorsOf(model, s)) {
        if (kinds[a] !== 'annotation') continue;
        const found = evidenceOf(a, false, 'GPU annotation');
        if (found.length) out.push({ scope: a, found });
      }
      return out;
    };
    // One application is the outermost scope of the same detector: nested scopes of one operation (HF's
    // `Qwen2Attention` module around its `eager_attention_forward`, `rotary_emb` around `_C::rotary_embedding`)
    // are one application, not one per level.
    const outermost = (scopes: Array<{ scope: SliceId; found: Evidence[] }>, want: SemanticName): SliceId | null => {
      let app: SliceId | null = null;
      for (const c of scopes) if (c.found.some((e) => e.spec.name === want)) app = c.scope;
      return app;
    };
    if (ev.length) {
      const scopes = chain();
      for (const e of ev) add(e, outermost(scopes, e.spec.name) ?? s);
    } else {
      const scopes = chain();
      // The kernel's detector is that of its innermost scope with evidence.
      if (scopes.length) for (const e of scopes[0].found) add(e, outermost(scopes, e.spec.name)!);
    }
  }

  // Refinements (paged_attention ⊂ attention): the refined detector's kernels with our ops in context,
  // or, for kernels that serve both cases, with a block table among their op's inputs.
  for (const spec of specs) {
    if (!spec.refines) continue;
    const base = lists.get(spec.refines);
    const mine = lists.get(spec.name)!;
    if (!base) continue;
    for (const s of base.slices) {
      if (mine.has(s) || links.context[s] < 0) continue;
      const dual = matchesAny(spec.blockTableKernels, nameOf(model, s)) !== null;
      for (const h of ctxOf(links.context[s])) {
        const n = nameOf(model, h);
        if (matchesAny(spec.hostOps, n)) {
          mine.add(s, 0.75, `${spec.refines} kernel launched under \`${n}\``, h);
          break;
        }
        const table = dual ? blockTableInput(model, h) : null;
        if (table !== null) {
          mine.add(s, 0.7, `${spec.refines} kernel whose op \`${n}\` passes a block table (input ${table + 1}: an integer 2-D tensor)`, h);
          break;
        }
      }
    }
  }

  if (!anyDevice) {
    // CPU-only trace: report host scopes, outermost only.
    for (let t = 0; t < model.tracks.length; t++) {
      if (!isHostTrack(model, t)) continue;
      for (let s = model.tracks.sliceStart[t]; s < model.tracks.sliceEnd[t]; s++) {
        for (const e of evidenceOf(s, isOpCat(catOf(model, s)), 'scope')) {
          const list = lists.get(e.spec.name)!;
          let nested = false;
          for (const a of ancestorsOf(model, s)) if (list.has(a)) nested = true;
          if (!nested) list.add(s, 0.5, `host only (no device work in trace): ${e.reason}`);
        }
      }
    }
  }

  const out = new Map<SemanticName, DetectorResult>();
  for (const spec of specs) out.set(spec.name, lists.get(spec.name)!.result(spec.name, spec.summary, model.slices.durNs));
  return out;
}
