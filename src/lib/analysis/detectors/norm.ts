/**
 * Normalisation kernels (RMSNorm first; LayerNorm, GroupNorm and BatchNorm too).
 *
 * Signals:
 * - kernels: vLLM `rms_norm_kernel`, `fused_add_rms_norm_kernel`, FlashInfer
 *   `RMSNorm*`, Triton `*rms*norm*`, PyTorch `vectorized_layer_norm_kernel`,
 *   `layer_norm_*`, apex `cuApplyLayerNorm`/`cuApplyRMSNorm`, cuDNN `bn_fw*`/
 *   `bn_bw*`; Ascend `RmsNorm`, `AddRmsNorm`, `LayerNorm*`, `BNTraining*`.
 * - CPU ops: `_C::rms_norm`, `_C::fused_add_rms_norm`, `aten::layer_norm`,
 *   `aten::native_layer_norm`, `aten::rms_norm`, `aten::batch_norm`,
 *   `aten::group_norm`, `npu_rms_norm`, `npu_add_rms_norm`.
 * - scopes: `input_layernorm`, `post_attention_layernorm`, `norm`, `q_norm`,
 *   `k_norm`, `ln_f`, modules `*RMSNorm`, `*LayerNorm`.
 *
 * Blind spots: RMSNorm written as pow/mean/rsqrt/mul outside a norm-named
 * scope is generic elementwise work; a norm fused into the next GEMM or into
 * a residual add kernel with another name is not found.
 */
import type { SemanticSpec } from './semantic.ts';

export const norm: SemanticSpec = {
  name: 'norm',
  summary: 'normalisation kernels (RMSNorm, LayerNorm, GroupNorm, BatchNorm)',
  kernels: [
    /rms_?norm|layer_?norm|group_?norm|batch_?norm|instance_?norm/i,
    /RmsNorm|LayerNorm|GroupNorm|BatchNorm|cuApply(Layer|RMS)Norm|cuComputeGradInput|bn_fw|bn_bw|BNTraining|BNInfer/,
  ],
  hostOps: [
    /^aten::(layer_norm|native_layer_norm|rms_norm|_fused_rms_norm|batch_norm|native_batch_norm|cudnn_batch_norm|group_norm|native_group_norm)$/,
    /_C::(fused_add_)?rms_norm|rms_norm|npu_(add_)?rms_norm|npu_layer_norm/i,
  ],
  scopes: [
    /^(input_layernorm|post_attention_layernorm|pre_feedforward_layernorm|post_feedforward_layernorm|norm|q_norm|k_norm|ln_f|ln_1|ln_2|final_layernorm)$/,
    /RMSNorm$|RmsNorm$|LayerNorm$/,
  ],
};
