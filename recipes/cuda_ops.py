"""CUDA C++ versions of the recipes' elementwise kernels, templated on the dtype like vLLM's.

vLLM's own custom ops (csrc/activation_kernels.cu, pos_encoding_kernels.cu, cache_kernels.cu,
layernorm_kernels.cu) are CUDA C++ templates, so the names a profiler shows carry the element type:
`void vllm::act_and_mul_kernel<c10::Half, &vllm::silu_kernel<c10::Half>, true>(...)`. The Triton
kernels in kernels.py carry no dtype in their names. This module gives the same operations as CUDA
templates in the project's own namespace (`tracewise::`, never `vllm::`), so a recording made with
`qwen_tp_decode.py --ops cuda` shows the templated names a real vLLM trace shows:

    tracewise::act_and_mul_kernel<c10::Half, &tracewise::silu_kernel<c10::Half>>
    tracewise::rotary_embedding_kernel<c10::Half, float, true>      (neox style; cos/sin cache in fp32)
    tracewise::reshape_and_cache_flash_kernel<c10::Half>
    tracewise::rms_norm_kernel<c10::Half>, tracewise::fused_add_rms_norm_kernel<c10::Half>

They are written for reading, not speed (one block per token, a block-wide reduction for the norms),
and compiled at first use with torch.utils.cpp_extension.load_inline (nvcc and ninja on the machine;
the build goes to a cache directory, so later runs skip it). Paged attention stays in Triton (vLLM
itself runs FlashAttention or its Triton `unified_attention` there). Python signatures match
kernels.py, so the recipe swaps one module for the other.
"""

import os

import torch
from torch.utils.cpp_extension import load_inline

_CUDA_SRC = r"""
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAGuard.h>

namespace tracewise {

template <typename T>
__device__ __forceinline__ T silu_kernel(const T& x) {
  const float f = static_cast<float>(x);
  return static_cast<T>(f / (1.0f + __expf(-f)));
}

// out[t, i] = act(x[t, i]) * x[t, d + i]; one block per token.
template <typename scalar_t, scalar_t (*ACT_FN)(const scalar_t&)>
__global__ void act_and_mul_kernel(scalar_t* __restrict__ out, const scalar_t* __restrict__ input,
                                   const int d, const int64_t in_stride, const int64_t out_stride) {
  const int64_t t = blockIdx.x;
  for (int64_t i = threadIdx.x; i < d; i += blockDim.x) {
    const scalar_t x = input[t * in_stride + i];
    const scalar_t y = input[t * in_stride + d + i];
    out[t * out_stride + i] = static_cast<scalar_t>(static_cast<float>(ACT_FN(x)) * static_cast<float>(y));
  }
}

template <typename scalar_t, typename cache_t, bool IS_NEOX>
__device__ __forceinline__ void apply_rotary(scalar_t* __restrict__ arr, const cache_t* __restrict__ cos_ptr,
                                             const cache_t* __restrict__ sin_ptr, int r, int embed_dim) {
  int xi, yi;
  if (IS_NEOX) { xi = r; yi = embed_dim + r; } else { xi = 2 * r; yi = 2 * r + 1; }
  const float c = static_cast<float>(cos_ptr[r]);
  const float s = static_cast<float>(sin_ptr[r]);
  const float x = static_cast<float>(arr[xi]);
  const float y = static_cast<float>(arr[yi]);
  arr[xi] = static_cast<scalar_t>(x * c - y * s);
  arr[yi] = static_cast<scalar_t>(y * c + x * s);
}

// In place on the first rot_dim dims of every query and key head of one token (one block per token).
template <typename scalar_t, typename cache_t, bool IS_NEOX>
__global__ void rotary_embedding_kernel(const int64_t* __restrict__ positions, scalar_t* __restrict__ query,
                                        scalar_t* __restrict__ key, const cache_t* __restrict__ cos_sin_cache,
                                        const int rot_dim, const int64_t q_tok_stride, const int64_t q_head_stride,
                                        const int64_t k_tok_stride, const int64_t k_head_stride,
                                        const int num_heads, const int num_kv_heads) {
  const int64_t t = blockIdx.x;
  const int64_t pos = positions[t];
  const int embed_dim = rot_dim / 2;
  const cache_t* cos_ptr = cos_sin_cache + pos * rot_dim;
  const cache_t* sin_ptr = cos_ptr + embed_dim;
  for (int i = threadIdx.x; i < num_heads * embed_dim; i += blockDim.x) {
    const int h = i / embed_dim, r = i % embed_dim;
    apply_rotary<scalar_t, cache_t, IS_NEOX>(query + t * q_tok_stride + h * q_head_stride, cos_ptr, sin_ptr, r, embed_dim);
  }
  for (int i = threadIdx.x; i < num_kv_heads * embed_dim; i += blockDim.x) {
    const int h = i / embed_dim, r = i % embed_dim;
    apply_rotary<scalar_t, cache_t, IS_NEOX>(key + t * k_tok_stride + h * k_head_stride, cos_ptr, sin_ptr, r, embed_dim);
  }
}

// One token's K and V ([n] each) into its slot of a [blocks, block_size, kv_heads, head_dim] cache.
template <typename scalar_t>
__global__ void reshape_and_cache_flash_kernel(const scalar_t* __restrict__ key, const scalar_t* __restrict__ value,
                                               scalar_t* __restrict__ key_cache, scalar_t* __restrict__ value_cache,
                                               const int64_t* __restrict__ slot_mapping, const int64_t key_stride,
                                               const int64_t value_stride, const int n) {
  const int64_t t = blockIdx.x;
  const int64_t slot = slot_mapping[t];
  if (slot < 0) return;  // padding token
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    key_cache[slot * n + i] = key[t * key_stride + i];
    value_cache[slot * n + i] = value[t * value_stride + i];
  }
}

__device__ __forceinline__ float block_sum(float v) {
  __shared__ float warp_sums[32];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
  if (lane == 0) warp_sums[warp] = v;
  __syncthreads();
  const int warps = (blockDim.x + 31) / 32;
  v = (threadIdx.x < warps) ? warp_sums[threadIdx.x] : 0.0f;
  if (warp == 0) for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  __shared__ float total;
  if (threadIdx.x == 0) total = v;
  __syncthreads();
  return total;
}

template <typename scalar_t>
__global__ void rms_norm_kernel(scalar_t* __restrict__ out, const scalar_t* __restrict__ input,
                                const scalar_t* __restrict__ weight, const float eps, const int n,
                                const int64_t in_stride, const int64_t out_stride) {
  const int64_t t = blockIdx.x;
  float ss = 0.0f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) { const float x = static_cast<float>(input[t * in_stride + i]); ss += x * x; }
  const float rstd = rsqrtf(block_sum(ss) / n + eps);
  for (int i = threadIdx.x; i < n; i += blockDim.x)
    out[t * out_stride + i] = static_cast<scalar_t>(static_cast<float>(input[t * in_stride + i]) * rstd * static_cast<float>(weight[i]));
}

// residual += input; input = rmsnorm(residual) * weight, both in place (rows contiguous).
template <typename scalar_t>
__global__ void fused_add_rms_norm_kernel(scalar_t* __restrict__ input, scalar_t* __restrict__ residual,
                                          const scalar_t* __restrict__ weight, const float eps, const int n) {
  const int64_t t = blockIdx.x;
  float ss = 0.0f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    const scalar_t s = static_cast<scalar_t>(static_cast<float>(input[t * n + i]) + static_cast<float>(residual[t * n + i]));
    residual[t * n + i] = s;
    const float f = static_cast<float>(s);
    ss += f * f;
  }
  const float rstd = rsqrtf(block_sum(ss) / n + eps);
  for (int i = threadIdx.x; i < n; i += blockDim.x)
    input[t * n + i] = static_cast<scalar_t>(static_cast<float>(residual[t * n + i]) * rstd * static_cast<float>(weight[i]));
}

}  // namespace tracewise

#define TW_DISPATCH(TYPE, NAME, ...) AT_DISPATCH_FLOATING_TYPES_AND2(at::ScalarType::Half, at::ScalarType::BFloat16, TYPE, NAME, __VA_ARGS__)

static int threads_for(int64_t work) { return static_cast<int>(std::min<int64_t>(1024, std::max<int64_t>(32, ((work + 31) / 32) * 32))); }

void silu_and_mul(torch::Tensor out, torch::Tensor input) {
  const at::cuda::OptionalCUDAGuard guard(input.device());
  const int d = input.size(-1) / 2;
  const int64_t rows = input.numel() / input.size(-1);
  auto stream = at::cuda::getCurrentCUDAStream();
  TW_DISPATCH(input.scalar_type(), "silu_and_mul", [&] {
    tracewise::act_and_mul_kernel<scalar_t, &tracewise::silu_kernel<scalar_t>><<<rows, threads_for(d), 0, stream>>>(
        out.data_ptr<scalar_t>(), input.data_ptr<scalar_t>(), d, input.stride(0), out.stride(0));
  });
}

void rotary_embedding(torch::Tensor positions, torch::Tensor query, torch::Tensor key, torch::Tensor cos_sin_cache) {
  const at::cuda::OptionalCUDAGuard guard(query.device());
  TORCH_CHECK(cos_sin_cache.scalar_type() == at::ScalarType::Float, "cos_sin cache must be fp32");
  const int rot_dim = cos_sin_cache.size(1);
  const int nq = query.size(1), nk = key.size(1);
  auto stream = at::cuda::getCurrentCUDAStream();
  TW_DISPATCH(query.scalar_type(), "rotary_embedding", [&] {
    tracewise::rotary_embedding_kernel<scalar_t, float, true><<<query.size(0), threads_for(nq * rot_dim / 2), 0, stream>>>(
        positions.data_ptr<int64_t>(), query.data_ptr<scalar_t>(), key.data_ptr<scalar_t>(), cos_sin_cache.data_ptr<float>(),
        rot_dim, query.stride(0), query.stride(1), key.stride(0), key.stride(1), nq, nk);
  });
}

void reshape_and_cache_flash(torch::Tensor key, torch::Tensor value, torch::Tensor key_cache, torch::Tensor value_cache,
                             torch::Tensor slot_mapping) {
  const at::cuda::OptionalCUDAGuard guard(key.device());
  const int n = key.size(1);
  auto stream = at::cuda::getCurrentCUDAStream();
  TW_DISPATCH(key.scalar_type(), "reshape_and_cache_flash", [&] {
    tracewise::reshape_and_cache_flash_kernel<scalar_t><<<key.size(0), threads_for(n), 0, stream>>>(
        key.data_ptr<scalar_t>(), value.data_ptr<scalar_t>(), key_cache.data_ptr<scalar_t>(), value_cache.data_ptr<scalar_t>(),
        slot_mapping.data_ptr<int64_t>(), key.stride(0), value.stride(0), n);
  });
}

void rms_norm(torch::Tensor out, torch::Tensor input, torch::Tensor weight, double eps) {
  const at::cuda::OptionalCUDAGuard guard(input.device());
  const int n = input.size(1);
  auto stream = at::cuda::getCurrentCUDAStream();
  TW_DISPATCH(input.scalar_type(), "rms_norm", [&] {
    tracewise::rms_norm_kernel<scalar_t><<<input.size(0), threads_for(std::min(n, 1024)), 0, stream>>>(
        out.data_ptr<scalar_t>(), input.data_ptr<scalar_t>(), weight.data_ptr<scalar_t>(), static_cast<float>(eps), n,
        input.stride(0), out.stride(0));
  });
}

void fused_add_rms_norm(torch::Tensor input, torch::Tensor residual, torch::Tensor weight, double eps) {
  const at::cuda::OptionalCUDAGuard guard(input.device());
  const int n = input.size(1);
  auto stream = at::cuda::getCurrentCUDAStream();
  TW_DISPATCH(input.scalar_type(), "fused_add_rms_norm", [&] {
    tracewise::fused_add_rms_norm_kernel<scalar_t><<<input.size(0), threads_for(std::min(n, 1024)), 0, stream>>>(
        input.data_ptr<scalar_t>(), residual.data_ptr<scalar_t>(), weight.data_ptr<scalar_t>(), static_cast<float>(eps), n);
  });
}
"""

_CPP_SRC = r"""
#include <torch/extension.h>
void silu_and_mul(torch::Tensor out, torch::Tensor input);
void rotary_embedding(torch::Tensor positions, torch::Tensor query, torch::Tensor key, torch::Tensor cos_sin_cache);
void reshape_and_cache_flash(torch::Tensor key, torch::Tensor value, torch::Tensor key_cache, torch::Tensor value_cache,
                             torch::Tensor slot_mapping);
void rms_norm(torch::Tensor out, torch::Tensor input, torch::Tensor weight, double eps);
void fused_add_rms_norm(torch::Tensor input, torch::Tensor residual, torch::Tensor weight, double eps);
"""

_ext = None


def ext():
    """The compiled extension (built on first use; cached under TORCH_EXTENSIONS_DIR)."""
    global _ext
    if _ext is None:
        _ext = load_inline(
            name="tracewise_cuda_ops",
            cpp_sources=[_CPP_SRC],
            cuda_sources=[_CUDA_SRC],
            functions=["silu_and_mul", "rotary_embedding", "reshape_and_cache_flash", "rms_norm", "fused_add_rms_norm"],
            extra_cuda_cflags=["-O3", "--use_fast_math"],
            verbose=bool(os.environ.get("TRACEWISE_VERBOSE_BUILD")),
        )
    return _ext


# Same signatures as kernels.py.

def rms_norm(x: torch.Tensor, w: torch.Tensor, eps: float) -> torch.Tensor:
    assert x.stride(-1) == 1
    out = torch.empty(x.shape, dtype=x.dtype, device=x.device)
    ext().rms_norm(out, x, w, eps)
    return out


def fused_add_rms_norm(x: torch.Tensor, residual: torch.Tensor, w: torch.Tensor, eps: float) -> None:
    assert x.is_contiguous() and residual.is_contiguous() and x.shape == residual.shape
    ext().fused_add_rms_norm(x, residual, w, eps)


def rotary_embedding(positions: torch.Tensor, q: torch.Tensor, k: torch.Tensor, cos_sin: torch.Tensor) -> None:
    assert q.stride(-1) == 1 and k.stride(-1) == 1 and positions.dtype == torch.int64
    ext().rotary_embedding(positions, q, k, cos_sin)


def reshape_and_cache(key, value, key_cache, value_cache, slot_mapping) -> None:
    assert key.stride(-1) == 1 and value.stride(-1) == 1 and key_cache.is_contiguous()
    assert key.shape[1] == key_cache.shape[2] * key_cache.shape[3] and slot_mapping.dtype == torch.int64
    ext().reshape_and_cache_flash(key, value, key_cache, value_cache, slot_mapping)


def silu_and_mul(x: torch.Tensor) -> torch.Tensor:
    rows, two_i = x.shape
    assert x.stride(-1) == 1
    out = torch.empty((rows, two_i // 2), dtype=x.dtype, device=x.device)
    ext().silu_and_mul(out, x)
    return out
