/**
 * Kernel catalogue: one builder per torch_npu op the simulated layers use,
 * giving its names as they appear in a trace (outer Python op, aclnn API,
 * hardware task name and type), its recorded input shapes, and the FLOPs and
 * HBM bytes the roofline needs. Sources of the names: ./README.md.
 */

import type { ComputeUnit } from './npu-model.ts';
import type { ModelShape } from './workload.ts';

export type TaskType = 'AI_CORE' | 'AI_VECTOR_CORE' | 'MIX_AIC' | 'MIX_AIV';

export const BF16 = 2;
export const INT8 = 1;
const SEP = ';\r\n';

export function dims(...shapes: number[][]): string {
  return shapes.map((s) => s.join(',')).join(SEP);
}
export function types(...t: string[]): string {
  return t.join(SEP);
}

export interface KernelArgs {
  pyOp: string;
  api: string;
  kernel: string;
  taskType: TaskType;
  unit: ComputeUnit;
  flops?: number;
  bytes: number;
  inputDims: string;
  inputTypes: string;
}

/** Kernel catalogue: one builder per torch_npu op used by the layers. */
export const op = {
  addRmsNorm: (t: number, h: number): KernelArgs => ({
    pyOp: 'npu::npu_add_rms_norm', api: 'aclnnAddRmsNorm', kernel: 'aclnnAddRmsNorm_AddRmsNorm_AddRmsNorm',
    taskType: 'AI_VECTOR_CORE', unit: 'vector', bytes: 4 * t * h * BF16,
    inputDims: dims([t, h], [t, h], [h]), inputTypes: types('c10::BFloat16', 'c10::BFloat16', 'c10::BFloat16', 'Scalar'),
  }),
  rmsNorm: (t: number, h: number): KernelArgs => ({
    pyOp: 'npu::npu_rms_norm', api: 'aclnnRmsNorm', kernel: 'aclnnRmsNorm_RmsNorm_RmsNorm',
    taskType: 'AI_VECTOR_CORE', unit: 'vector', bytes: 2 * t * h * BF16,
    inputDims: dims([t, h], [h]), inputTypes: types('c10::BFloat16', 'c10::BFloat16', 'Scalar'),
  }),
  dynamicQuant: (t: number, h: number): KernelArgs => ({
    pyOp: 'npu::npu_dynamic_quant', api: 'aclnnDynamicQuantV2', kernel: 'aclnnDynamicQuantV2_DynamicQuant_DynamicQuant',
    taskType: 'AI_VECTOR_CORE', unit: 'vector', bytes: t * h * (BF16 + INT8),
    inputDims: dims([t, h]), inputTypes: types('c10::BFloat16'),
  }),
  quantMatmul: (m: number, k: number, n: number): KernelArgs => ({
    pyOp: 'npu::npu_quant_matmul', api: 'aclnnQuantMatmulV4', kernel: 'aclnnQuantMatmulV4_QuantBatchMatmulV3_QuantBatchMatmulV3',
    taskType: 'AI_CORE', unit: 'cube-int8', flops: 2 * m * k * n, bytes: m * k * INT8 + k * n * INT8 + m * n * BF16,
    inputDims: dims([m, k], [n, k], [n], [m]), inputTypes: types('signed char', 'signed char', 'float', 'float'),
  }),
  mm: (m: number, k: number, n: number): KernelArgs => ({
    pyOp: 'aten::mm', api: 'aclnnMm', kernel: 'aclnnMm_MatMulV3_MatMulV3',
    taskType: 'AI_CORE', unit: 'cube-bf16', flops: 2 * m * k * n, bytes: (m * k + k * n + m * n) * BF16,
    inputDims: dims([m, k], [k, n]), inputTypes: types('c10::BFloat16', 'c10::BFloat16'),
  }),
  bmm: (b: number, m: number, k: number, n: number): KernelArgs => ({
    pyOp: 'aten::bmm', api: 'aclnnBatchMatMul', kernel: 'aclnnBatchMatMul_BatchMatMulV3_BatchMatMulV3',
    taskType: 'AI_CORE', unit: 'cube-bf16', flops: 2 * b * m * k * n, bytes: b * (m * k + k * n + m * n) * BF16,
    inputDims: dims([b, m, k], [b, k, n]), inputTypes: types('c10::BFloat16', 'c10::BFloat16'),
  }),
  rotary: (t: number, heads: number, d: number): KernelArgs => ({
    pyOp: 'npu::npu_rotary_mul', api: 'aclnnRotaryPositionEmbedding', kernel: 'aclnnRotaryPositionEmbedding_RotaryPositionEmbedding_RotaryPositionEmbedding',
    taskType: 'AI_VECTOR_CORE', unit: 'vector', bytes: 2 * t * heads * d * BF16 + 2 * t * d * BF16,
    inputDims: dims([t, heads, 1, d], [t, 1, 1, d], [t, 1, 1, d]), inputTypes: types('c10::BFloat16', 'c10::BFloat16', 'c10::BFloat16', 'Scalar'),
  }),
  fiaPrefill: (t: number, seqLen: number, heads: number, dqk: number, dv: number): KernelArgs => ({
    pyOp: 'npu::npu_fused_infer_attention_score', api: 'aclnnFusedInferAttentionScoreV3',
    kernel: 'aclnnFusedInferAttentionScoreV3_FusedInferAttentionScore_FusedInferAttentionScore',
    taskType: 'MIX_AIC', unit: 'attention',
    // causal: half of the seqLen² score matrix per sequence
    flops: (t / seqLen) * heads * 2 * ((seqLen * seqLen) / 2) * (dqk + dv),
    bytes: t * heads * (2 * dqk + 2 * dv) * BF16,
    inputDims: dims([t, heads, dqk], [t, heads, dqk], [t, heads, dv]), inputTypes: types('c10::BFloat16', 'c10::BFloat16', 'c10::BFloat16'),
  }),
  fiaDecode: (b: number, ctx: number, heads: number, latent: number, dv: number): KernelArgs => ({
    pyOp: 'npu::npu_fused_infer_attention_score', api: 'aclnnFusedInferAttentionScoreV3',
    kernel: 'aclnnFusedInferAttentionScoreV3_FusedInferAttentionScore_FusedInferAttentionScore',
    taskType: 'MIX_AIC', unit: 'attention',
    // absorbed MLA: every head attends to the shared compressed KV (latent + rope dims)
    flops: b * heads * 2 * ctx * (latent + dv),
    bytes: b * ctx * latent * BF16 + b * heads * (latent + dv) * BF16,
    inputDims: dims([b, heads, 1, latent], [b, ctx, 1, latent]), inputTypes: types('c10::BFloat16', 'c10::BFloat16'),
  }),
  mlaProlog: (b: number, s: ModelShape, headsLocal: number): KernelArgs => {
    const qk = s.qkNopeHeadDim + s.qkRopeHeadDim;
    const wElems = s.hidden * (s.qLoraRank + s.kvLoraRank + s.qkRopeHeadDim) + s.qLoraRank * headsLocal * qk + headsLocal * s.qkNopeHeadDim * s.kvLoraRank;
    return {
      pyOp: 'npu::npu_mla_prolog_v2', api: 'aclnnMlaPrologV2WeightNz', kernel: 'aclnnMlaPrologV2WeightNz_MlaPrologV2_MlaPrologV2',
      taskType: 'MIX_AIC', unit: 'cube-int8', flops: 2 * b * wElems, bytes: wElems * INT8 + b * s.hidden * BF16,
      inputDims: dims([b, 1, s.hidden], [s.hidden, s.qLoraRank]), inputTypes: types('c10::BFloat16', 'signed char'),
    };
  },
  gatingTopK: (t: number, experts: number): KernelArgs => ({
    pyOp: 'npu::npu_moe_gating_top_k', api: 'aclnnMoeGatingTopK', kernel: 'aclnnMoeGatingTopK_MoeGatingTopK_MoeGatingTopK',
    taskType: 'MIX_AIV', unit: 'vector', bytes: t * experts * 4 * 2,
    inputDims: dims([t, experts], [experts]), inputTypes: types('float', 'float'),
  }),
  /** Permutes (and quantizes) the `rows` token copies routed to this rank's experts. */
  initRouting: (t: number, k: number, h: number, rows: number): KernelArgs => ({
    pyOp: 'npu::npu_moe_init_routing_v2', api: 'aclnnMoeInitRoutingV3', kernel: 'aclnnMoeInitRoutingV3_MoeInitRoutingV3_MoeInitRoutingV3',
    taskType: 'MIX_AIV', unit: 'vector', bytes: t * h * BF16 + rows * h * INT8,
    inputDims: dims([t, h], [t, k]), inputTypes: types('c10::BFloat16', 'int'),
  }),
  groupedMatmul: (rows: number, k: number, n: number, groups: number, activeGroups: number): KernelArgs => ({
    pyOp: 'npu::npu_grouped_matmul', api: 'aclnnGroupedMatmulV4', kernel: 'aclnnGroupedMatmulV4_GroupedMatmul_GroupedMatmul',
    taskType: 'AI_CORE', unit: 'grouped-int8', flops: 2 * rows * k * n,
    // only the experts that received tokens have their weights read
    bytes: activeGroups * k * n * INT8 + rows * k * INT8 + rows * n * BF16,
    inputDims: dims([rows, k], [groups, k, n], [groups]), inputTypes: types('signed char', 'signed char', 'long int'),
  }),
  swiglu: (t: number, n: number): KernelArgs => ({
    pyOp: 'npu::npu_swiglu', api: 'aclnnSwiGlu', kernel: 'aclnnSwiGlu_SwiGlu_SwiGlu',
    taskType: 'AI_VECTOR_CORE', unit: 'vector', bytes: t * n * BF16 * 1.5,
    inputDims: dims([t, n]), inputTypes: types('c10::BFloat16', 'Scalar'),
  }),
  /** Un-permutes the `rows` expert outputs and sums them per token with the routing weights. */
  finalizeRouting: (t: number, k: number, h: number, rows: number): KernelArgs => ({
    pyOp: 'npu::npu_moe_finalize_routing', api: 'aclnnMoeFinalizeRouting', kernel: 'aclnnMoeFinalizeRouting_MoeFinalizeRouting_MoeFinalizeRouting',
    taskType: 'AI_VECTOR_CORE', unit: 'vector', bytes: rows * h * BF16 + 2 * t * h * BF16,
    inputDims: dims([rows, h], [t, h], [t, k]), inputTypes: types('c10::BFloat16', 'c10::BFloat16', 'float'),
  }),
  add: (t: number, h: number): KernelArgs => ({
    pyOp: 'aten::add', api: 'aclnnAdd', kernel: 'aclnnAdd_AddAiCore_Add',
    taskType: 'AI_VECTOR_CORE', unit: 'vector', bytes: 3 * t * h * BF16,
    inputDims: dims([t, h], [t, h], []), inputTypes: types('c10::BFloat16', 'c10::BFloat16', 'Scalar'),
  }),
};
