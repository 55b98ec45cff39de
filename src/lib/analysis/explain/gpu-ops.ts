/**
 * GPU kernels that are neither collectives nor GEMMs: attention (FlashAttention,
 * FlashInfer, PyTorch SDPA backends, cuDNN SDPA, vLLM paged attention v1/v2,
 * vLLM's Triton `unified_attention`), vLLM's custom ops (activation, RoPE,
 * KV-cache write, RMSNorm; their C++ template arguments carry the dtype),
 * PyTorch's native kernels, CUB, cuDNN, FBGEMM and cuFFT.
 */
import { LEARN } from './learn.ts';
import { baseName, dtypeOfCxxType, firstFloatDtype, functionName, templateArgs } from './cxx.ts';
import { TRITON_CAVEAT } from './gpu-gemm.ts';
import { t, type FieldValue, type LearnLink, type NameDecoding, type Text } from './types.ts';

/** Any element type spelled somewhere in the name (CUTLASS and c10 spellings), for deep templates. */
function dtypeAnywhere(name: string): string | null {
  const m = /cutlass::(half_t|bfloat16_t|float_e4m3_t|float_e5m2_t)|c10::(Half|BFloat16|Float8_e4m3fn|Float8_e5m2)\b|\b(__half|__nv_bfloat16)\b/.exec(name);
  if (!m) return null;
  const v = m[1] ?? m[2] ?? m[3];
  const map: Record<string, string> = { half_t: 'f16', bfloat16_t: 'bf16', float_e4m3_t: 'f8e4m3', float_e5m2_t: 'f8e5m2', Half: 'f16', BFloat16: 'bf16', Float8_e4m3fn: 'f8e4m3', Float8_e5m2: 'f8e5m2', __half: 'f16', __nv_bfloat16: 'bf16' };
  return map[v] ?? null;
}

function op(family: string, label: Text, role: Text, fields: Record<string, FieldValue>, learn: LearnLink | null, caveats: Text[] = []): NameDecoding {
  return { family, label, role, fields, caveats, learn, category: 'computing' };
}

const ATTENTION_ROLE = t(
  'Attention: each query token is compared with the cached keys and the values are weighted by the result. One per layer, so it is the landmark that marks where a decoder layer sits.',
  'Attention：每个 query token 与缓存的 key 比较，再按结果对 value 加权。每层一次，所以它是标出解码层位置的地标。',
);

interface AttentionRule {
  re: RegExp;
  impl: string;
  label: Text;
  variant?: (name: string) => string | undefined;
  role?: Text;
}

const FLASH_VARIANT = (n: string) =>
  /splitkv_combine|combine/.test(n) ? 'splitkv_combine' : /splitkv/.test(n) ? 'splitkv' : /bwd/.test(n) ? 'backward' : 'forward';

const ATTENTION: AttentionRule[] = [
  { re: /pytorch_flash::flash_/, impl: 'pytorch_sdpa_flash', label: t('FlashAttention-2 (PyTorch SDPA flash backend)', 'FlashAttention-2（PyTorch SDPA 的 flash 后端）'), variant: FLASH_VARIANT },
  { re: /FlashAttnFwdSm90|flash::FlashAttnFwd|flash_fwd_.*sm90|hopper::/, impl: 'flash_attention_3', label: t('FlashAttention-3 (Hopper)', 'FlashAttention-3（Hopper）'), variant: FLASH_VARIANT },
  { re: /\bflash::(flash_|compute_attn)|flash_fwd_(splitkv_)?(combine_)?kernel|flash_bwd_/, impl: 'flash_attention_2', label: t('FlashAttention-2 (flash-attn / vLLM vllm_flash_attn)', 'FlashAttention-2（flash-attn / vLLM 的 vllm_flash_attn）'), variant: FLASH_VARIANT },
  { re: /fmha_cutlass[FB]|AttentionKernel<|attention_kernel_batched|mem_eff/, impl: 'pytorch_sdpa_efficient', label: t('memory-efficient attention (PyTorch SDPA efficient backend, xFormers)', '省内存 attention（PyTorch SDPA 的 efficient 后端，xFormers）'), variant: (n) => (/cutlassB|backward/.test(n) ? 'backward' : 'forward') },
  { re: /cudnn.*sdpa|sdpa.*cudnn|fort_native_sdpa/, impl: 'cudnn_sdpa', label: t('cuDNN attention (PyTorch SDPA cuDNN backend)', 'cuDNN attention（PyTorch SDPA 的 cuDNN 后端）'), variant: (n) => (/bprop|bwd/.test(n) ? 'backward' : 'forward') },
  { re: /flashinfer::.*(Prefill|Decode|Attention|MergeState|VariableLengthMergeStates|PersistentKernel|MLA)/i, impl: 'flashinfer', label: t('FlashInfer attention', 'FlashInfer attention'), variant: (n) => (/Decode/i.test(n) ? 'decode' : /Prefill/i.test(n) ? 'prefill' : /Merge/i.test(n) ? 'merge_states' : undefined) },
  { re: /paged_attention_v2_reduce_kernel/, impl: 'vllm_paged_attention_v2', label: t('vLLM paged attention v2 (reduce)', 'vLLM paged attention v2（归约）'), variant: () => 'v2_reduce' },
  { re: /paged_attention_v(1|2)_kernel/, impl: 'vllm_paged_attention', label: t('vLLM paged attention (CUDA)', 'vLLM paged attention（CUDA）'), variant: (n) => (/_v2_/.test(n) ? 'v2' : 'v1') },
  { re: /kernel_unified_attention_(2d|3d)|unified_attention/, impl: 'vllm_unified_attention', label: t('vLLM unified attention (Triton)', 'vLLM unified attention（Triton）'), variant: (n) => /_(2d|3d)/.exec(n)?.[1] },
  { re: /^reduce_segments$/, impl: 'vllm_unified_attention', label: t('vLLM unified attention: combine of the 3D (split) pass (Triton)', 'vLLM unified attention：3D（分段）计算的合并（Triton）'), variant: () => 'reduce_segments' },
  { re: /merge_attn_states/, impl: 'vllm_merge_attn_states', label: t('vLLM merge of attention partial states', 'vLLM 合并 attention 的部分结果'), variant: () => 'merge_states' },
  { re: /paged_attention|attention_decode|attn_fwd|_fwd_kernel$|flash_decoding|decode_attention/i, impl: 'attention', label: t('attention kernel', 'attention kernel') },
];

export function decodeAttention(name: string): NameDecoding | null {
  for (const r of ATTENTION) {
    if (!r.re.test(name)) continue;
    const fields: Record<string, FieldValue> = { implementation: r.impl };
    const variant = r.variant?.(name);
    if (variant) fields.variant = variant;
    const dtype = firstFloatDtype(templateArgs(name)) ?? dtypeAnywhere(name) ?? (/_(f16|bf16|fp16)_/.exec(name)?.[1]?.replace('fp16', 'f16') ?? null);
    if (dtype) fields.dtype = dtype;
    const caveats: Text[] = [];
    if (variant === 'splitkv') {
      caveats.push(t('Split-KV: the keys are cut into chunks processed by separate blocks (decode has too few queries to fill the GPU otherwise); a combine kernel follows.', 'Split-KV：把 key 切成几段由不同 block 处理（decode 的 query 太少，否则填不满 GPU）；后面跟一个 combine kernel。'));
    }
    if (r.impl === 'vllm_unified_attention' || r.impl === 'attention') caveats.push(TRITON_CAVEAT);
    const role = variant === 'splitkv_combine' || variant === 'v2_reduce' || variant === 'reduce_segments' || variant === 'merge_states'
      ? t('The second half of a split attention: it merges the partial results of the chunks (with their softmax statistics) into the final output.', '分段 attention 的后半段：把各段的部分结果（连同 softmax 统计量）合并成最终输出。')
      : ATTENTION_ROLE;
    return op('attention', r.label, role, fields, LEARN.attention, caveats);
  }
  return null;
}

interface VllmOp {
  re: RegExp;
  kind: string;
  label: Text;
  role: Text;
  learn: LearnLink;
}

const VLLM_OPS: VllmOp[] = [
  {
    re: /^(act_and_mul_kernel|silu_and_mul_kernel|gelu_and_mul_kernel|gelu_tanh_and_mul_kernel|act_and_mul_quant_kernel|silu_and_mul_quant_kernel)$/,
    kind: 'activation',
    label: t('fused activation (SiLU-and-mul)', '融合激活（SiLU-and-mul）'),
    role: t('The FFN activation: silu(gate) × up, on the output of the merged gate/up GEMM, in one kernel.', 'FFN 的激活：在合并的 gate/up GEMM 输出上计算 silu(gate) × up，一个 kernel 完成。'),
    learn: LEARN.ffn,
  },
  {
    re: /^(rotary_embedding_kernel|batched_rotary_embedding_kernel|apply_rotary_embedding)$/,
    kind: 'rope',
    label: t('rotary position embedding (RoPE)', '旋转位置编码（RoPE）'),
    role: t('RoPE: rotates pairs of channels of Q and K by an angle set by the token\'s position, right after the QKV projection.', 'RoPE：按 token 的位置把 Q 和 K 的成对通道旋转一个角度，紧跟在 QKV 投影之后。'),
    learn: LEARN.attention,
  },
  {
    re: /^(reshape_and_cache_kernel|reshape_and_cache_flash_kernel|concat_and_cache_mla_kernel)$/,
    kind: 'kv_cache_write',
    label: t('KV-cache write', 'KV cache 写入'),
    role: t('Writes this step\'s keys and values into their blocks of the paged KV cache (the _flash variant uses the layout FlashAttention reads).', '把这一步的 key 和 value 写进分页 KV cache 的对应 block（_flash 版本用 FlashAttention 读取的布局）。'),
    learn: LEARN.attention,
  },
  {
    re: /^(fused_add_rms_norm_kernel)$/,
    kind: 'fused_add_rms_norm',
    label: t('residual add + RMSNorm', '残差相加 + RMSNorm'),
    role: t('Adds the residual and normalises (RMSNorm) in one kernel: the norm before attention or before the FFN, from the second one of a forward pass on.', '一个 kernel 里完成残差相加和 RMSNorm：attention 或 FFN 之前的那次归一化（前向里从第二次起）。'),
    learn: LEARN.modelTerms,
  },
  {
    re: /^(rms_norm_kernel|rms_norm_static_fp8_quant_kernel|rms_norm_dynamic_per_token_quant_kernel)$/,
    kind: 'rms_norm',
    label: t('RMSNorm', 'RMSNorm'),
    role: t('RMSNorm: scales each token\'s vector by the reciprocal of its root mean square.', 'RMSNorm：把每个 token 的向量除以它的均方根。'),
    learn: LEARN.modelTerms,
  },
  {
    re: /^(fused_moe_kernel|fused_moe_kernel_gptq_awq|moe_align_block_size_kernel|topk_softmax|topkGatingSoftmax|moe_sum_kernel|count_and_sort_expert_tokens_kernel)$/,
    kind: 'moe',
    label: t('MoE kernel (routing or expert GEMM)', 'MoE kernel（路由或专家 GEMM）'),
    role: t('Mixture of experts: routing tokens to their top-k experts, or the experts\' grouped GEMM.', '混合专家：把 token 路由到 top-k 个专家，或专家的分组 GEMM。'),
    learn: LEARN.modelTerms,
  },
];

export function decodeVllmOp(name: string): NameDecoding | null {
  const fn = functionName(name);
  const base = baseName(fn);
  for (const r of VLLM_OPS) {
    if (!r.re.test(base)) continue;
    const args = templateArgs(name);
    const fields: Record<string, FieldValue> = { kind: r.kind };
    const dtype = firstFloatDtype(args) ?? (args.length ? dtypeOfCxxType(args[0]) : null);
    const caveats: Text[] = [];
    if (args.length) {
      fields.source = fn.includes('::') ? fn.split('::')[0] + ' CUDA template' : 'CUDA template';
      if (dtype) fields.dtype = dtype;
      const act = /(?:vllm::|&)(silu|gelu_tanh|gelu_new|gelu_fast|gelu|fatrelu|swigluoai)_kernel\b/.exec(name)?.[1];
      if (act) fields.activation = act;
      if (r.kind === 'rope' && /^(true|false)$/.test(args[1] ?? '')) fields.neox_style = args[1] === 'true';
      if (r.kind === 'kv_cache_write' && args[1]) {
        const cache = dtypeOfCxxType(args[1]) ?? (/uint8_t|unsigned char/.test(args[1]) ? 'fp8 (u8 storage)' : null);
        if (cache) fields.cache_dtype = cache;
      }
    } else {
      fields.source = 'no template arguments';
      if (/^silu/.test(base)) fields.activation = 'silu';
      caveats.push(TRITON_CAVEAT);
    }
    return op('vllm-op', r.label, r.role, fields, r.learn, caveats);
  }
  return null;
}

interface LibraryRule {
  re: RegExp;
  family: string;
  label: Text;
  role: Text;
  learn: LearnLink | null;
}

const LIBRARIES: LibraryRule[] = [
  {
    re: /^(at::native::|at::cuda::|\(anonymous namespace\)::(softmax_warp|elementwise_kernel_with_index|cunn_)|cunn_|at_cuda_detail::)/,
    family: 'pytorch-native',
    label: t('PyTorch native CUDA kernel', 'PyTorch 原生 CUDA kernel'),
    role: t('One of PyTorch\'s own kernels for an eager op (elementwise math, reductions, indexing, copies, softmax, sorting). The launching aten:: op says which one.', 'PyTorch 自带的 eager 算子 kernel（逐元素运算、归约、索引、拷贝、softmax、排序）。具体是哪个算子，看下发它的 aten:: 算子。'),
    learn: LEARN.launch,
  },
  {
    re: /^(cub::|at_cuda_detail::cub::)/,
    family: 'cub',
    label: t('CUB primitive (scan, sort, reduce)', 'CUB 原语（scan、排序、归约）'),
    role: t('A CUDA CUB building block (prefix sum, radix sort, reduce-by-key) that PyTorch uses for ops such as sort, unique, topk, nonzero or embedding backward.', 'CUDA CUB 的基础算法（前缀和、基数排序、按键归约），PyTorch 的 sort、unique、topk、nonzero、embedding 反向等算子会用到。'),
    learn: LEARN.launch,
  },
  {
    re: /^(cudnn|cask_cudnn|cutlass_cudnn|_ZN\d+cutlass_cudnn)|scudnn|^(sm\d+|ampere|volta|turing)_xmma_(fprop|dgrad|wgrad)|convolve_sgemm|^(fft2d|fft3d)_/,
    family: 'cudnn',
    label: t('cuDNN kernel (convolution, batch norm, cuDNN attention helpers)', 'cuDNN kernel（卷积、batch norm、cuDNN attention 辅助）'),
    role: t('A cuDNN kernel: convolutions (forward fprop, data gradient dgrad, weight gradient wgrad; implicit GEMM, Winograd or FFT), batch normalisation, layout transforms. Rare in LLM inference.', 'cuDNN kernel：卷积（前向 fprop、数据梯度 dgrad、权重梯度 wgrad；隐式 GEMM、Winograd 或 FFT）、batch norm、布局转换。LLM 推理里少见。'),
    learn: null,
  },
  {
    re: /^(fbgemm_gpu::|split_embedding_|permute_pooled_embs|bounds_check_indices|linearize_index)/,
    family: 'fbgemm',
    label: t('FBGEMM GPU kernel (embedding tables, FP8 quantisation)', 'FBGEMM GPU kernel（embedding 表、FP8 量化）'),
    role: t('A kernel of FBGEMM-GPU: table-batched embeddings (forward, backward with a fused optimizer), index checks and permutations, FP8 quantisation. Typical of recommendation models.', 'FBGEMM-GPU 的 kernel：批量 embedding 表（前向、融合优化器的反向）、索引检查与重排、FP8 量化。推荐模型里常见。'),
    learn: null,
  },
];

export function decodeLibraryKernel(name: string): NameDecoding | null {
  const fn = functionName(name);
  for (const r of LIBRARIES) {
    if (!r.re.test(fn) && !r.re.test(name)) continue;
    const fields: Record<string, FieldValue> = { kernel: baseName(fn) };
    const dtype = firstFloatDtype(templateArgs(name)) ?? dtypeAnywhere(name);
    const caveats: Text[] = [];
    if (dtype) {
      fields.dtype = dtype;
      caveats.push(t('The dtype is the first element type found in the template arguments; for a cast it is one of the two sides.', 'dtype 取模板参数里出现的第一个元素类型；类型转换时它只是两边之一。'));
    }
    return op(r.family, r.label, r.role, fields, r.learn, caveats);
  }
  return null;
}

/** A name with no signature, namespace or template: Triton (`@triton.jit` functions) or an `extern "C"` kernel. */
export function decodeBareKernel(name: string): NameDecoding | null {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return null;
  return op(
    'bare-kernel',
    t('kernel without a C++ signature (Triton or extern "C")', '没有 C++ 签名的 kernel（Triton 或 extern "C"）'),
    t('A GPU kernel whose name is a plain identifier: Triton kernels (@triton.jit functions) and extern "C" CUDA kernels look like this. The launching op says what it computes.', '名字只是一个标识符的 GPU kernel：Triton kernel（@triton.jit 函数）和 extern "C" 的 CUDA kernel 都是这样。它算的是什么，看下发它的算子。'),
    { library: 'triton_or_extern_c' },
    LEARN.realVllm,
    [TRITON_CAVEAT],
  );
}
