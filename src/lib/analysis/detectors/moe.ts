/**
 * Mixture-of-experts work: routing/gating (top-k over router logits, token
 * permutation) and the expert grouped GEMMs.
 *
 * Signals:
 * - kernels: vLLM `fused_moe_kernel`, `moe_align_block_size*`,
 *   `topkGatingSoftmax` / `topk_softmax`, `grouped_topk`, `moe_sum`,
 *   `count_and_sort_expert_tokens`, CUTLASS/DeepGEMM grouped GEMMs
 *   (`grouped_gemm`, `m_grouped`), DeepEP `dispatch`/`combine`, Triton
 *   `*moe*`; Ascend `GroupedMatmul`, `MoeGatingTopK*`, `MoeInitRouting*`,
 *   `MoeFinalizeRouting*`, `MoeTokenPermute`/`Unpermute`, `MoeDistributeDispatch`/
 *   `Combine`.
 * - CPU ops: `vllm::*moe*`, `_moe_C::*`, `npu_moe_*`, `npu_grouped_matmul`.
 * - scopes: `experts`, modules `FusedMoE`, `*SparseMoeBlock`, `*MoE`.
 *
 * Blind spots: a dense model's `gate_proj` is not MoE (only `experts` and MoE
 * modules count); routing done with plain `aten::topk`+`softmax` outside a MoE
 * scope is not found.
 */
import type { SemanticSpec } from './semantic.ts';

export const moe: SemanticSpec = {
  name: 'moe',
  summary: 'mixture-of-experts routing (top-k gating, permutation) and expert grouped GEMMs',
  kernels: [
    /moe|topkGatingSoftmax|topk_?softmax|grouped_?topk|grouped_?gemm|GroupedMatmul|m_grouped|count_and_sort_expert/i,
    /deep_ep|expert_?(tokens|map|offsets)/i,
  ],
  hostOps: [/(^|::|_)moe|moe_|npu_grouped_matmul|grouped_topk|topk_softmax/i],
  scopes: [/^experts$/, /^(FusedMoE|SharedFusedMoE)$/, /SparseMoeBlock$|MoeBlock$|MoE$|^MoE/],
};
