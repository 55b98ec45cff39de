/**
 * Attention (the softmax(QKᵀ)V core, prefill or decode, paged or not).
 * `paged_attention` refines this: every paged-attention match is also an
 * attention match.
 *
 * Signals:
 * - kernels: FlashAttention (`flash_fwd*`, `flash_bwd*`, `flash::`), cuDNN/
 *   PyTorch SDPA (`fmha`, `efficient_attention`, `cudnn_sdpa`), FlashInfer
 *   (`BatchPrefill*`, `BatchDecode*`, `SinglePrefill*`, `SingleDecode*`),
 *   vLLM `paged_attention_v1/v2`, Triton `unified_attention`,
 *   `_fwd_kernel_stage*` (decode attention), xformers, MLA kernels; Ascend
 *   `FlashAttentionScore`, `PromptFlashAttention`, `IncreFlashAttention`,
 *   `FusedInferAttentionScore`, `PagedAttention`, `MultiHeadAttention`.
 * - CPU ops: `aten::scaled_dot_product_attention`, `aten::_flash_attention_forward`,
 *   `vllm::unified_attention*`, `_vllm_fa2_C::varlen_fwd`, `npu_fusion_attention`,
 *   `npu_prompt_flash_attention`, `npu_incre_flash_attention`,
 *   `npu_fused_infer_attention_score`.
 * - scopes: record_function `attn` (vLLM's Attention module), module `Attention`,
 *   python `vllm/attention/layer.py` and HF's `*attention_forward` functions
 *   (`eager_attention_forward`: softmax, mask, repeat_kv copies). A model's
 *   own `*Attention` module (`Qwen2Attention`) is not an attention scope: it
 *   also holds the projections, RoPE and their glue.
 *
 * Blind spots: attention written as matmul + softmax + matmul (HF "eager"
 * attention) has its GEMMs counted as matmul (name evidence beats scopes); its
 * softmax and copies are attention only inside an attention scope above (HF
 * before 4.48 wrote it inline in `Qwen2Attention.forward`: not found). A kernel
 * named only "softmax" outside any attention scope is not attention.
 */
import type { SemanticSpec } from './semantic.ts';

export const attention: SemanticSpec = {
  name: 'attention',
  summary: 'attention kernels (FlashAttention, SDPA, FlashInfer, paged attention, Ascend FA ops)',
  kernels: [
    /flash_?attn|flash_fwd|flash_bwd|flash::|FlashAttn/i,
    /fmha|efficient_attention|cudnn_sdpa|sdpa_/i,
    /BatchPrefill|BatchDecode|SinglePrefill|SingleDecode|BatchMLA/,
    /paged_?attention|unified_attention|_fwd_kernel_stage|attention_kernel|attn_fwd|attn_bwd|mha_fwd|mha_bwd/i,
    /FlashAttentionScore|PromptFlashAttention|IncreFlashAttention|FusedInferAttentionScore|PagedAttention|MultiHeadAttention|MlaProlog|SparseFlashAttention/,
    /xformers|cutlass_mla|flashmla|mla_decode/i,
  ],
  notKernels: [/reshape_and_cache|concat_and_cache|ScatterPaKvCache/i],
  hostOps: [
    /scaled_dot_product_attention|_flash_attention_forward|_efficient_attention|_scaled_dot_product_/,
    /vllm::unified_attention|_vllm_fa[23]_C::|flash_attn|paged_attention|flashinfer.*(prefill|decode)/i,
    /npu_fusion_attention|npu_prompt_flash_attention|npu_incre_flash_attention|npu_fused_infer_attention_score|_npu_paged_attention|npu_mla/i,
  ],
  scopes: [
    /^attn$/,
    /^(Flash|Paged|MultiHead)?Attention(Impl|Backend)?$/,
    /vllm\/attention\/layer\.py/,
    // HF's attention functions (`eager_attention_forward`, `sdpa_attention_forward`): the core, without the
    // projections and RoPE that the model's `*Attention` module also holds.
    /attention_forward$/,
  ],
};
