/**
 * KV-cache write: storing the new K/V of this step into the (paged) cache.
 *
 * Signals:
 * - kernels: vLLM `reshape_and_cache_kernel` / `reshape_and_cache_flash_kernel`,
 *   `concat_and_cache_mla_kernel`, SGLang `store_kvcache`, Triton
 *   `*kv_cache*write*`; Ascend `ReshapeAndCache`, `ScatterPaKvCache`,
 *   `ScatterUpdate` under a cache scope.
 * - CPU ops: `_C_cache_ops::reshape_and_cache(_flash)`,
 *   `vllm::unified_kv_cache_update`, `_npu_reshape_and_cache`,
 *   `npu_scatter_pa_kv_cache`.
 * - scopes: record_function `kv_cache_write`, `store_kvcache`, python
 *   `write_to_paged_cache`.
 *
 * Blind spots: caches updated with plain `index_copy_`/`scatter_` outside any
 * named scope look like generic copies; a cache write fused into the
 * attention kernel (e.g. some Ascend FIA variants) is not seen separately.
 */
import type { SemanticSpec } from './semantic.ts';

export const kvCacheWrite: SemanticSpec = {
  name: 'kv_cache_write',
  summary: 'writes of new K/V into the KV cache (reshape_and_cache, ScatterPaKvCache, store_kvcache)',
  kernels: [/reshape_and_cache|concat_and_cache|store_?kv_?cache|kv_?cache_?write|ReshapeAndCache|ScatterPaKvCache/i],
  hostOps: [/reshape_and_cache|unified_kv_cache_update|concat_and_cache|scatter_pa_kv_cache|store_kvcache/i],
  scopes: [/^kv_cache_write$/i, /^store_kv_?cache$/i, /write_to_paged_cache|write_to_kv_cache/],
};
