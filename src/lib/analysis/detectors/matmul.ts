/**
 * Matmul (GEMM / GEMV) kernels: the dense projections of a transformer.
 *
 * Signals:
 * - kernels: cuBLAS/cuBLASLt (`nvjet_*` on Hopper, `sm90_xmma_gemm_*`,
 *   `ampere_*gemm*`, `volta_sgemm*`, `cublasLt::*`, `gemv*`), CUTLASS
 *   (`cutlass*gemm*`, `cutlass::Kernel<...gemm...>`), DeepGEMM, Triton
 *   `matmul_kernel`, ROCm hipBLASLt `Cijk_*`; Ascend `MatMul*`,
 *   `BatchMatMul*`, `GroupedMatmul`, `QuantBatchMatmul*`, `aclnnMm`,
 *   `aclnnAddmm`.
 * - CPU ops: `aten::mm`, `aten::addmm`, `aten::bmm`, `aten::matmul`,
 *   `aten::linear`, `_C::cutlass_scaled_mm`, `npu_quant_matmul`, `aclnnMatmul`.
 * - scopes: record_function `qkv_proj`, `q_proj`, `k_proj`, `v_proj`, `o_proj`,
 *   `gate_up_proj`, `up_proj`, `gate_proj`, `down_proj`, `lm_head`,
 *   modules `*Linear` (QKVParallelLinear, RowParallelLinear, ...).
 *
 * Convolutions lowered to GEMM (cuDNN `implicit_gemm`, `fprop/dgrad/wgrad`,
 * `*convolve_sgemm`) are excluded: they are convolutions. Grouped GEMMs of a
 * MoE are matmul *and* moe.
 *
 * Blind spots: a GEMM fused with other work under a custom name (e.g. a
 * Triton kernel called `fused_qkv_kernel`) is found only through a projection
 * scope; quantisation/dequant kernels under a projection scope are counted
 * as matmul.
 */
import type { SemanticSpec } from './semantic.ts';

export const matmul: SemanticSpec = {
  name: 'matmul',
  summary: 'GEMM/GEMV kernels (cuBLAS nvjet/xmma, CUTLASS, hipBLASLt, Ascend MatMul), or kernels under projection scopes',
  kernels: [
    /gemm|gemv|nvjet|cublas|Cijk_|matmul|MatMul|_mm_kernel|scaled_mm|\bmm_/i,
  ],
  notKernels: [/conv|fprop|dgrad|wgrad|implicit_gemm|convolve|cudnn/i],
  hostOps: [
    /^aten::(mm|addmm|bmm|baddbmm|matmul|linear|_scaled_mm|addmv|mv)$/,
    /cutlass_scaled_mm|scaled_mm|gemm|npu_quant_matmul|npu_weight_quant_batchmatmul|npu_mm|aclnn(Mm|Matmul|Addmm|BatchMatMul)|deep_gemm/i,
  ],
  scopes: [
    /^(qkv|q|k|v|o|kv|q_a|q_b|kv_a|kv_b|gate_up|up|gate|down|in|out|dense_h_to_4h|dense_4h_to_h)_?proj$/,
    /^(lm_head|dense|fc1|fc2|c_attn|c_proj|c_fc|query_key_value)$/,
    /Linear$/,
  ],
};
