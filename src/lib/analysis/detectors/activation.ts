/**
 * Activation kernels (SiLU / SwiGLU / GELU / ReLU, gated or not).
 *
 * Signals:
 * - kernels: vLLM `act_and_mul_kernel` (silu_and_mul, gelu_and_mul),
 *   FlashInfer/Triton `silu_and_mul`, PyTorch `silu_kernel`, `gelu_kernel`,
 *   Ascend `Swiglu`, `SwiGlu`, `Gelu`, `FastGelu`, `Relu`, `ReluGrad`,
 *   `SiLU`, `Swish`. ReLU in PyTorch runs as `clamp_min`/`threshold` elementwise
 *   kernels: those names count as weak matches.
 * - CPU ops: `_C::silu_and_mul`, `_C::gelu_and_mul`, `aten::silu`,
 *   `aten::gelu`, `aten::relu`, `aten::threshold_backward`, `npu_swiglu`.
 * - scopes: record_function `act_fn`, modules `SiluAndMul`, `GeluAndMul`,
 *   `SiLU`, `GELU`, `ReLU`.
 *
 * Blind spots: an activation fused into a GEMM epilogue (cuBLASLt/CUTLASS
 * "gelu" epilogues) or into a MoE kernel is counted as that kernel; sigmoid or
 * softmax used as gating is not an activation here.
 */
import type { SemanticSpec } from './semantic.ts';

export const activation: SemanticSpec = {
  name: 'activation',
  summary: 'activation kernels (SiLU/SwiGLU, GELU, ReLU; gated variants)',
  kernels: [
    /act_and_mul|silu|swiglu|SwiGlu|gelu|geglu|swish|\brelu|Relu|_relu|mish|hardswish/i,
  ],
  notKernels: [/gemm|matmul|MatMul|nvjet|cutlass|moe|cudnn|conv/i],
  weakKernels: [/threshold_kernel|clamp_min|launch_clamp_scalar/],
  hostOps: [
    /_C::(silu|gelu|gelu_tanh|gelu_new|gelu_fast|fatrelu|swigluoai)_and_mul|silu_and_mul|gelu_and_mul/i,
    /^aten::(silu|silu_|gelu|relu|relu_|threshold_backward|silu_backward|gelu_backward|hardswish)$/,
    /npu_swiglu|npu_gelu|npu_silu/i,
  ],
  scopes: [/^act_fn$|^act$|^activation_fn$/, /^(SiluAndMul|GeluAndMul|MulAndSilu|SiLU|GELU|ReLU|NewGELUActivation|QuickGELU)$/],
};
