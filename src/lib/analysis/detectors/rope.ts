/**
 * RoPE (rotary position embedding).
 *
 * Signals:
 * - kernels: vLLM `rotary_embedding_kernel` / `batched_rotary_embedding_kernel`
 *   (from `_C::rotary_embedding`), Triton rope kernels (`_triton_rope`,
 *   `rotary_kernel`), FlashInfer `BatchQKApplyRotary*` / `apply_rope*`, Ascend
 *   `RotaryMul`, `ApplyRotaryPosEmb`, `RopeWithSinCosCache`, `InterleaveRope`.
 * - CPU ops: `_C::rotary_embedding`, `vllm::rotary_embedding`, `npu_rotary_mul`,
 *   `npu_apply_rotary_pos_emb`, `flashinfer::apply_rope*`.
 * - scopes: record_function `rotary_emb`, modules `*RotaryEmbedding`,
 *   python `apply_rotary_pos_emb` / `rotary_embedding.py`.
 *
 * Setup, not applications: a rotary scope instance whose kernels compute cos or
 * sin (`aten::cos`/`aten::sin`, `cos_kernel_cuda`, Ascend `Cos`/`Sin` tasks)
 * builds the angle table; its kernels count in `kernels` and the time, not in
 * `count`, unless every instance does (the table built inside each application).
 *
 * Blind spots: RoPE written as plain PyTorch (cat/neg/mul) outside any
 * rotary-named scope looks like generic elementwise work and is not found;
 * RoPE fused into an attention or QKV kernel (e.g. fused MLA rope) is counted
 * as that kernel only.
 */
import type { SemanticSpec } from './semantic.ts';

export const rope: SemanticSpec = {
  name: 'rope',
  summary: 'rotary position embedding kernels (by name, or generic kernels under a rotary scope)',
  kernels: [
    /rotary/i,
    /(^|[^a-z])rope([^a-z]|$)/i,
    /RotaryMul|ApplyRotaryPosEmb|RopeWithSinCos|InterleaveRope|BatchQKApplyRotary|apply_?rope/i,
  ],
  hostOps: [/rotary_emb|rotary_mul|apply_rotary|npu_rotary|apply_rope|(^|::|_)rope(_|$)/i],
  scopes: [/^rotary_emb(edding)?$/i, /RotaryEmbedding$/, /apply_rotary_pos_emb|apply_rotary_emb|rotary_embedding\.py/],
  // Building the cos/sin table (HF's *RotaryEmbedding.forward, once per pass) is not a rotation of q and k:
  // trigonometric ops or kernels under a rotary scope mark that scope instance as setup.
  setup: [/^aten::(cos|sin)$/, /\b(cos|sin)_kernel/, /^(Cos|Sin)$/],
};
