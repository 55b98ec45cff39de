/**
 * decodeName: the family, role and fields a slice's name (plus its category
 * and a few args) gives, trying each family's decoder in a fixed order;
 * null when no decoder recognises the name. Pure: no model needed.
 */
import { decodeCustomCollective, decodeNccl } from './gpu-comm.ts';
import { decodeGemm, decodeInductor } from './gpu-gemm.ts';
import { decodeAttention, decodeBareKernel, decodeLibraryKernel, decodeVllmOp } from './gpu-ops.ts';
import { decodeCudaApi, decodeGpuCopy, decodeGpuSync } from './gpu-runtime.ts';
import { LEARN } from './learn.ts';
import { decodeAscendHost, decodeAscendTask, decodeHcom } from './npu.ts';
import { t, type NameDecoding, type NameHints } from './types.ts';

/** Host-side names of PyTorch traces that are not runtime calls. */
function decodeHostScope(name: string, hints: NameHints): NameDecoding | null {
  const host = (family: string, label: ReturnType<typeof t>, role: ReturnType<typeof t>, fields: Record<string, string | number>) => ({
    family, label, role, fields, caveats: [], learn: LEARN.launch, category: 'host' as const,
  });
  const sdpa = /^aten::_scaled_dot_product_(flash_attention|efficient_attention|cudnn_attention|attention_math|fused_attention_overrideable)\w*$/.exec(name);
  if (sdpa) {
    const backend = { flash_attention: 'flash', efficient_attention: 'efficient', cudnn_attention: 'cudnn', attention_math: 'math', fused_attention_overrideable: 'overrideable' }[sdpa[1]] ?? sdpa[1];
    return {
      ...host('pytorch-op', t('PyTorch SDPA operator', 'PyTorch SDPA 算子'),
        backend === 'math'
          ? t('scaled_dot_product_attention on its math backend: no attention kernel of its own, but batched GEMMs and a softmax below it.', 'scaled_dot_product_attention 的 math 后端：没有专门的 attention kernel，下面是批量 GEMM 和一个 softmax。')
          : t(`scaled_dot_product_attention on its ${backend} backend: the attention kernel it launches hangs below it.`, `scaled_dot_product_attention 的 ${backend} 后端：它下发的 attention kernel 挂在下面。`),
        { namespace: 'aten', op: name.slice(6), sdpa_backend: backend }),
      learn: LEARN.attention,
    };
  }
  const aten = /^(aten|c10d|_c10d_functional|vllm|_C|_C_cache_ops|_C_custom_ar|_moe_C|torch_npu|npu)::(\w+)/.exec(name);
  if (aten) {
    return host('pytorch-op', t('PyTorch operator', 'PyTorch 算子'),
      t('An operator dispatched by PyTorch on the host: the kernels it launches hang below it through flows. Its time on the host is dispatch and launch cost, not the device work.', 'PyTorch 在 host 上分发的一个算子：它下发的 kernel 通过 flow 挂在下面。它在 host 上的耗时是分发与下发的开销，不是 device 上的工作。'),
      { namespace: aten[1], op: aten[2] });
  }
  const step = /^ProfilerStep#(\d+)$/.exec(name);
  if (step) return host('profiler-step', t('profiler step', 'profiler step'), t('One step of torch.profiler\'s schedule (prof.step()): usually one iteration or one decode step.', 'torch.profiler 调度中的一步（prof.step()）：通常是一次迭代或一个 decode step。'), { step: Number(step[1]) });
  const mod = /^nn\.Module: (\w+?)(?:_(\d+))?$/.exec(name);
  if (mod) return host('nn-module', t('nn.Module scope', 'nn.Module scope'), t('The forward of one module (with_modules / with_stack): everything launched inside belongs to it.', '一个模块的 forward（with_modules / with_stack）：其中下发的一切都属于它。'), { module: mod[1] });
  if (/^[\w./-]+\.py\(\d+\): /.test(name) || /^<built-in (method|function)/.test(name)) {
    return host('python', t('Python function', 'Python 函数'), t('A Python frame recorded with with_stack=True.', 'with_stack=True 时记录下来的 Python 栈帧。'), { frame: name });
  }
  if (hints.cat === 'user_annotation' || hints.cat === 'gpu_user_annotation') {
    return host('annotation', t('record_function range', 'record_function 区间'), t('A range the program named itself (torch.profiler.record_function or NVTX); on a GPU stream it mirrors the host range and takes no device time of its own.', '程序自己命名的一段区间（torch.profiler.record_function 或 NVTX）；在 GPU 流上它只是 host 区间的镜像，本身不占 device 时间。'), { range: name });
  }
  return null;
}

/** Decoders in the order they are tried; specific names before generic shapes. */
const DEVICE_DECODERS: Array<(name: string, hints: NameHints) => NameDecoding | null> = [
  (n) => decodeNccl(n),
  (n) => decodeCustomCollective(n),
  (n, h) => (h.taskType !== null || h.arg('task type') !== null ? decodeAscendTask(n, h) : null),
  decodeHcom,
  (n) => decodeGpuCopy(n),
  (n) => decodeGpuSync(n),
  (n) => decodeGemm(n),
  (n) => decodeAttention(n),
  (n) => decodeVllmOp(n),
  (n) => decodeInductor(n),
  (n) => decodeLibraryKernel(n),
  decodeAscendTask,
];

const HOST_DECODERS: Array<(name: string, hints: NameHints) => NameDecoding | null> = [
  (n) => decodeCudaApi(n),
  decodeHcom,
  (n) => decodeAscendHost(n),
  decodeHostScope,
];

/** What the name says; null when no decoder recognises it. */
export function decodeName(name: string, hints: NameHints): NameDecoding | null {
  const order = hints.onDevice ? [...DEVICE_DECODERS, decodeHostScope] : [...HOST_DECODERS, ...DEVICE_DECODERS];
  for (const d of order) {
    const r = d(name, hints);
    if (r) return r;
  }
  if (hints.onDevice && (hints.cat === '' || /kernel/i.test(hints.cat))) return decodeBareKernel(name);
  return null;
}

/** Hints for a name seen alone (tests, examples). */
export function nameOnlyHints(onDevice: boolean, cat = '', taskType: string | null = null, args: Record<string, string> = {}): NameHints {
  return { cat, taskType, onDevice, arg: (k) => args[k] ?? null };
}
