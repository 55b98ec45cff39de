/**
 * What the simulated rank executes: DeepSeek-V3's MLA + MoE decoder layers
 * under a stated parallel layout, as an ordered host program of torch_npu ops
 * (kernels, collectives, stream events, host syncs). Each kernel carries its
 * FLOPs and HBM bytes so npu-model.ts can give it a roofline duration.
 *
 * Op names (Python op, aclnn API, kernel type) are the ones torch_npu and CANN
 * use; each is cited in ./README.md ("Operator names"). The hardware task name
 * follows the `<aclnnApi>_<kernel>_<OpType>` pattern of real traces (e.g.
 * `aclnnMuls_MulAiCore_Mul`); the middle part is modelled, not recorded.
 */

import { BF16, dims, op, types } from './kernels.ts';
import type { KernelArgs, TaskType } from './kernels.ts';
import type { CollectiveKind, ComputeUnit } from './npu-model.ts';

/** DeepSeek-V3 (deepseek-ai/DeepSeek-V3 inference/configs/config_671B.json). */
export interface ModelShape {
  hidden: number;
  qLoraRank: number;
  kvLoraRank: number;
  qkNopeHeadDim: number;
  qkRopeHeadDim: number;
  vHeadDim: number;
  heads: number;
  routedExperts: number;
  expertsPerToken: number;
  moeInter: number;
  sharedExperts: number;
  vocab: number;
  layers: number;
  denseLayers: number;
}

export const DEEPSEEK_V3: ModelShape = {
  hidden: 7168,
  qLoraRank: 1536,
  kvLoraRank: 512,
  qkNopeHeadDim: 128,
  qkRopeHeadDim: 64,
  vHeadDim: 128,
  heads: 128,
  routedExperts: 256,
  expertsPerToken: 8,
  moeInter: 2048,
  sharedExperts: 1,
  vocab: 129280,
  layers: 61,
  denseLayers: 3,
};

/** The rank's place in the deployment; the trace shows rank 0 only. */
export interface Layout {
  nodes: number;
  npusPerNode: number;
  /** Attention tensor parallelism (heads split); activations replicated. */
  tp: number;
  /** Expert parallelism for routed experts (256 / ep experts per rank). */
  ep: number;
  rank: number;
  /** Linear-layer weights: int8 (W8A8, per-token dynamic activation quant). */
  weights: 'W8A8';
}

export const ONE_NODE_TP8_EP8: Layout = { nodes: 1, npusPerNode: 8, tp: 8, ep: 8, rank: 0, weights: 'W8A8' };

export type StreamRole = 'main' | 'second' | 'comm';
/** Coarse grouping used by the overlap prediction (README "Predicted overlap"). */
export type Stage = 'attention' | 'moe' | 'other';

export interface KernelOp {
  kind: 'kernel';
  /** Outer op on the Python thread, e.g. `npu::npu_quant_matmul`. */
  pyOp: string;
  inputDims: string;
  inputTypes: string;
  /** aclnn API: Python-lane leaf, `Dequeue@…`, `AscendCL@…`. */
  api: string;
  /** Hardware task name. */
  kernel: string;
  taskType: TaskType;
  unit: ComputeUnit;
  flops: number;
  bytes: number;
  stream: StreamRole;
  stage: Stage;
}

export interface CollectiveOp {
  kind: 'collective';
  coll: CollectiveKind;
  /** Payload as `collectivePhases` defines it for this kind. */
  bytes: number;
  /** Element count written in the Group lane's args. */
  count: number;
  /** Compute stream the collective is ordered with (record → HCCL → wait). */
  stream: StreamRole;
  inputDims: string;
}

/** Blocking device→host read: `aten::item` or `aten::to(cpu)`. */
export interface SyncOp {
  kind: 'sync';
  op: 'item' | 'to';
  inputDims: string;
  inputTypes: string;
}

/** Non-blocking host→device copy of step inputs. */
export interface H2DOp {
  kind: 'h2d';
  bytes: number;
  inputDims: string;
}

/** `record_event` on `from`, `wait_event` on `to`: `to` waits for `from`'s work so far. */
export interface StreamWaitOp {
  kind: 'streamWait';
  from: StreamRole;
  to: StreamRole;
}

/** Enter/leave an `nn.Module` (python_function lane, with_modules=True). */
export interface ScopeOp {
  kind: 'scope';
  module: string;
  enter: boolean;
}

/** Plain host work shown as a python_function frame. */
export interface HostWorkOp {
  kind: 'hostWork';
  frame: string;
  durUs: number;
}

export type ProgramItem = KernelOp | CollectiveOp | SyncOp | H2DOp | StreamWaitOp | ScopeOp | HostWorkOp;

/** The per-step workload of one scenario. */
export interface WorkloadSpec {
  phase: 'prefill' | 'decode';
  /** Tokens in the step on this rank (replicated across the TP group). */
  tokens: number;
  /** Prefill: sequence length (tokens = sequences × seqLen). */
  seqLen: number;
  /** Decode: KV length each sequence attends to. */
  contextLen: number;
  /** Decoder layers simulated per step (MoE layers, starting after the dense ones). */
  layers: number;
  /** 1, or 2 for two micro-batches on two compute streams. */
  microBatches: 1 | 2;
  /** How attention and MoE outputs are combined across the TP/EP group. */
  comm: 'allreduce' | 'rs-ag' | 'alltoall-ep';
}

function kernel(a: KernelArgs, stream: StreamRole, stage: Stage): KernelOp {
  return { kind: 'kernel', flops: 0, ...a, stream, stage };
}

/** Expected number of a rank's `localExperts` that receive at least one token when `tokens` tokens each pick `k` of `totalExperts` uniformly. */
export function activeExperts(localExperts: number, totalExperts: number, tokens: number, k: number): number {
  const missOne = 1 - k / totalExperts; // one token does not pick a given expert
  return Math.min(localExperts, localExperts * (1 - Math.pow(missOne, tokens)));
}

function scope(module: string, enter: boolean): ScopeOp {
  return { kind: 'scope', module, enter };
}

function collective(coll: CollectiveKind, elems: number, elemBytes: number, stream: StreamRole, shape: number[]): CollectiveOp {
  return { kind: 'collective', coll, bytes: elems * elemBytes, count: elems, stream, inputDims: dims(shape) };
}

/** Attention block (pre-norm included) for `t` tokens; ends before the TP combine. */
function attentionKernels(spec: WorkloadSpec, s: ModelShape, layout: Layout, t: number, normTokens: number): KernelArgs[] {
  const h = s.hidden;
  const headsLocal = s.heads / layout.tp;
  const qk = s.qkNopeHeadDim + s.qkRopeHeadDim;
  const ks: KernelArgs[] = [op.addRmsNorm(normTokens, h)];
  if (spec.phase === 'decode') {
    ks.push(
      op.mlaProlog(t, s, headsLocal),
      op.fiaDecode(t, spec.contextLen, headsLocal, s.kvLoraRank + s.qkRopeHeadDim, s.kvLoraRank),
      op.bmm(headsLocal, t, s.kvLoraRank, s.vHeadDim),
    );
  } else {
    ks.push(
      op.dynamicQuant(t, h),
      op.quantMatmul(t, h, s.qLoraRank),
      op.quantMatmul(t, h, s.kvLoraRank + s.qkRopeHeadDim),
      op.rmsNorm(t, s.qLoraRank),
      op.rmsNorm(t, s.kvLoraRank),
      op.mm(t, s.qLoraRank, headsLocal * qk),
      op.mm(t, s.kvLoraRank, headsLocal * (s.qkNopeHeadDim + s.vHeadDim)),
      op.rotary(t, headsLocal, s.qkRopeHeadDim),
      op.fiaPrefill(t, spec.seqLen, headsLocal, qk, s.vHeadDim),
    );
  }
  ks.push(op.dynamicQuant(t, headsLocal * s.vHeadDim), op.quantMatmul(t, headsLocal * s.vHeadDim, h));
  return ks;
}

/**
 * Routed + shared experts for `t` tokens present on this rank, `routedRows`
 * token copies reaching its experts, `activeLocal` of its experts receiving
 * any. The shared expert is split `sharedTp` ways (TP) or replicated (1).
 */
function moeKernels(s: ModelShape, layout: Layout, t: number, normTokens: number, routedRows: number, activeLocal: number, sharedTp: number): { before: KernelArgs[]; experts: KernelArgs[]; after: KernelArgs[] } {
  const h = s.hidden;
  const localExperts = s.routedExperts / layout.ep;
  const k = s.expertsPerToken;
  const sharedInter = (s.moeInter * s.sharedExperts) / sharedTp;
  return {
    before: [op.addRmsNorm(normTokens, h), op.mm(t, h, s.routedExperts), op.gatingTopK(t, s.routedExperts), op.initRouting(t, k, h, routedRows)],
    experts: [
      op.groupedMatmul(routedRows, h, 2 * s.moeInter, localExperts, activeLocal),
      op.swiglu(routedRows, 2 * s.moeInter),
      op.dynamicQuant(routedRows, s.moeInter),
      op.groupedMatmul(routedRows, s.moeInter, h, localExperts, activeLocal),
    ],
    after: [
      op.finalizeRouting(t, k, h, routedRows),
      op.dynamicQuant(t, h),
      op.quantMatmul(t, h, 2 * sharedInter),
      op.swiglu(t, 2 * sharedInter),
      op.dynamicQuant(t, sharedInter),
      op.quantMatmul(t, sharedInter, h),
      op.add(t, h),
    ],
  };
}

/**
 * One decoder layer for one micro-batch of `t` tokens on `stream`.
 * Module names follow vLLM's DeepSeek implementation (DeepseekV2* classes serve V3).
 */
function layerProgram(spec: WorkloadSpec, s: ModelShape, layout: Layout, layer: number, t: number, stream: StreamRole): ProgramItem[] {
  const out: ProgramItem[] = [];
  const h = s.hidden;
  const k = (a: KernelArgs, stage: Stage): void => {
    out.push(kernel(a, stream, stage));
  };
  const sp = spec.comm === 'rs-ag';
  // rs-ag keeps the residual stream sharded between the reduce-scatter and the all-gather
  const normTokens = sp ? t / layout.tp : t;

  out.push(scope(`DeepseekV2MLAAttention_${layer}`, true));
  const attn = attentionKernels(spec, s, layout, t, normTokens);
  if (sp) {
    // the layer input arrives sharded: norm the shard, then gather the full sequence
    k(attn[0], 'attention');
    out.push(collective('allGather', t * h, BF16, stream, [normTokens, h]));
    for (const a of attn.slice(1)) k(a, 'attention');
    out.push(collective('reduceScatter', t * h, BF16, stream, [t, h]));
  } else {
    for (const a of attn) k(a, 'attention');
    out.push(collective('allReduce', t * h, BF16, stream, [t, h]));
  }
  out.push(scope(`DeepseekV2MLAAttention_${layer}`, false));

  out.push(scope(`DeepseekV2MoE_${layer}`, true));
  if (spec.comm === 'alltoall-ep') {
    // tokens are split across the TP ranks, dispatched to expert owners and combined back
    const local = Math.max(1, Math.round(t / layout.tp));
    const rows = local * s.expertsPerToken; // rows this rank sends = rows it receives on average
    const active = activeExperts(s.routedExperts / layout.ep, s.routedExperts, t, s.expertsPerToken);
    // each rank owns a slice of the tokens, so the shared expert is replicated rather than split
    const m = moeKernels(s, layout, local, t, rows, active, 1);
    k(m.before[0], 'moe');
    for (const a of m.before.slice(1)) k(a, 'moe');
    // the all-to-all split sizes must be known on the host: a blocking D2H copy
    out.push({ kind: 'sync', op: 'to', inputDims: dims([layout.ep], [], [], [], []), inputTypes: types('long int', 'Scalar', 'Scalar', 'Scalar', 'None') });
    out.push(collective('alltoallv', rows * h, BF16, stream, [rows, h]));
    // the number of rows received sizes the expert computation: another blocking read
    out.push({ kind: 'sync', op: 'item', inputDims: '', inputTypes: 'long int' });
    for (const a of m.experts) k(a, 'moe');
    out.push(collective('alltoallv', rows * h, BF16, stream, [rows, h]));
    for (const a of m.after) k(a, 'moe');
    out.push(collective('allGather', t * h, BF16, stream, [local, h]));
  } else {
    const rows = t * s.expertsPerToken / layout.ep; // replicated tokens: this rank's share of the pairs
    const active = activeExperts(s.routedExperts / layout.ep, s.routedExperts, t, s.expertsPerToken);
    const m = moeKernels(s, layout, t, normTokens, rows, active, layout.tp);
    if (sp) {
      k(m.before[0], 'moe');
      out.push(collective('allGather', t * h, BF16, stream, [normTokens, h]));
      for (const a of m.before.slice(1)) k(a, 'moe');
    } else {
      for (const a of m.before) k(a, 'moe');
    }
    for (const a of m.experts) k(a, 'moe');
    for (const a of m.after) k(a, 'moe');
    out.push(collective(sp ? 'reduceScatter' : 'allReduce', t * h, BF16, stream, [t, h]));
  }
  out.push(scope(`DeepseekV2MoE_${layer}`, false));
  return out;
}

/** The host program of one step: input copy, the layers, the LM head and the blocking read of its result. */
export function stepProgram(spec: WorkloadSpec, s: ModelShape, layout: Layout, hostWork: { prepareUs: number; postUs: number }): ProgramItem[] {
  const out: ProgramItem[] = [];
  const h = s.hidden;
  const first = s.denseLayers;
  out.push({ kind: 'hostWork', frame: 'vllm_ascend/worker/model_runner_v1.py(1342): _prepare_inputs', durUs: hostWork.prepareUs });
  // token ids and positions, int64 each
  out.push({ kind: 'h2d', bytes: spec.tokens * 8 * 2, inputDims: dims([spec.tokens], [], [], [], [], [], [], []) });
  const mbTokens = spec.tokens / spec.microBatches;
  if (spec.microBatches === 2) out.push({ kind: 'streamWait', from: 'main', to: 'second' });
  for (let l = first; l < first + spec.layers; l++) {
    out.push(scope(`DeepseekV2DecoderLayer_${l}`, true));
    if (spec.microBatches === 2) {
      // two micro-batches interleaved stage by stage: attention(0), attention(1), MoE(0), MoE(1)
      const a0 = layerProgram(spec, s, layout, l, mbTokens, 'main');
      const a1 = layerProgram(spec, s, layout, l, mbTokens, 'second');
      const cut = (p: ProgramItem[]): number => p.findIndex((it) => it.kind === 'scope' && it.enter && it.module.startsWith('DeepseekV2MoE'));
      const c0 = cut(a0);
      const c1 = cut(a1);
      out.push(...a0.slice(0, c0), ...a1.slice(0, c1), ...a0.slice(c0), ...a1.slice(c1));
    } else {
      out.push(...layerProgram(spec, s, layout, l, spec.tokens, 'main'));
    }
    out.push(scope(`DeepseekV2DecoderLayer_${l}`, false));
  }
  if (spec.microBatches === 2) out.push({ kind: 'streamWait', from: 'second', to: 'main' });
  // final norm and this rank's vocab shard of the LM head, for the last token of each sequence
  const rowsOut = spec.phase === 'prefill' ? spec.tokens / spec.seqLen : spec.tokens;
  // with rs-ag the residual stream leaves the last layer sharded: gather the rows the LM head needs
  if (spec.comm === 'rs-ag') out.push(collective('allGather', rowsOut * h, BF16, 'main', [rowsOut / layout.tp, h]));
  out.push(kernel(op.rmsNorm(rowsOut, h), 'main', 'other'));
  out.push(kernel(op.mm(rowsOut, h, Math.ceil(s.vocab / layout.tp)), 'main', 'other'));
  out.push({ kind: 'sync', op: 'to', inputDims: dims([rowsOut], [], [], [], []), inputTypes: types('long int', 'Scalar', 'Scalar', 'Scalar', 'None') });
  out.push({ kind: 'hostWork', frame: 'vllm/v1/core/sched/scheduler.py(812): update_from_output', durUs: hostWork.postUs });
  return out;
}
