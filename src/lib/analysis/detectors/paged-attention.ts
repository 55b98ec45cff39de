/**
 * Paged attention: attention that reads K/V through a block table from a
 * paged KV cache (vLLM, SGLang, MindIE/vllm-ascend). Every match is also an
 * `attention` match.
 *
 * Signals:
 * - kernels: vLLM `paged_attention_v1/v2_kernel`, `flash_fwd_splitkv*`
 *   (FlashAttention's decode path, fed a block table by vLLM), FlashInfer
 *   `BatchDecodeWithPagedKVCache*` / `*Paged*`, Triton `unified_attention`,
 *   `_fwd_kernel_stage1/2`; Ascend `PagedAttention`, `IncreFlashAttention`
 *   (decode with block_table). Ascend's `FusedInferAttentionScore` serves
 *   both prefill over contiguous K/V and decode over a paged cache, so its
 *   name proves nothing: it counts only when its op passes a block table (an
 *   integer 2-D input in `Input Dims` / `Input type`) or a paged op below.
 * - CPU ops (refining an attention kernel): `vllm::unified_attention*`,
 *   `_vllm_fa2_C::varlen_fwd` / `_vllm_fa3_C::fwd` (vLLM always passes a
 *   block table), `paged_attention`, `flash_attn_with_kvcache`,
 *   `npu_incre_flash_attention`, `_npu_paged_attention`.
 *
 * Blind spots: a FlashAttention kernel called with a block table outside vLLM
 * (no vLLM op in its context) is counted as attention only, since the kernel
 * name does not say whether a block table was passed; a `FusedInferAttentionScore`
 * whose op records no input shapes (profiling without `record_shapes`) is
 * counted as attention only.
 */
import type { SemanticSpec } from './semantic.ts';

export const pagedAttention: SemanticSpec = {
  name: 'paged_attention',
  summary: 'attention over a paged KV cache (block tables): paged kernels, or attention launched by vLLM/NPU paged ops',
  kernels: [
    /paged_?attention|PagedAttention|flash_fwd_splitkv|unified_attention|_fwd_kernel_stage[12]/i,
    /BatchDecodeWithPagedKVCache|Paged(KV)?Cache|IncreFlashAttention/,
  ],
  blockTableKernels: [/FusedInferAttentionScore/],
  hostOps: [
    /vllm::unified_attention|_vllm_fa[23]_C::(varlen_)?fwd|paged_attention|flash_attn_with_kvcache|BatchDecodeWithPagedKVCache/i,
    /npu_incre_flash_attention|_npu_paged_attention|npu_paged_attention/i,
  ],
  scopes: [],
  refines: 'attention',
};
