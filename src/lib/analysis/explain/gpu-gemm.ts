/**
 * Matrix multiplications on GPUs: cuBLAS / cuBLASLt (`nvjet_*`, `sm90_xmma_gemm_*`,
 * `ampere_*gemm*`, `volta_sgemm_*`, gemv/level-1 kernels, `splitKreduce_kernel`),
 * CUTLASS (`cutlass::Kernel<cutlass_80_tensorop_…>`, which cuBLAS also ships),
 * ROCm Tensile/hipBLASLt (`Cijk_…`), and Triton kernels (Inductor's
 * `triton_{poi,red,per,tem}_…`, or any bare name).
 *
 * `nvjet_*` (cuBLASLt's Hopper/Blackwell kernels since CUDA 12.x) is not
 * documented by NVIDIA. The reading below follows the fields' shapes and
 * cuBLAS's older conventions: `nvjet[_smNN]_<A/B><compute><out>_<M>x<N>_
 * <K>x<stages>_<cluster>_<raster v|h>_<flags…>_<layout of A,B,C>`, type
 * letters h = f16, s = f32, t = bf16, d = f64; flags `bias`, `splitK`
 * (an epilogue / a split-K reduction follows), `coopA`/`coopB` (scheduling
 * variants) and `bz` (not decoded).
 */
import { LEARN } from './learn.ts';
import { functionName } from './cxx.ts';
import { t, type FieldValue, type NameDecoding, type Text } from './types.ts';

const TYPE_LETTERS: Record<string, string> = { h: 'f16', s: 'f32', t: 'bf16', d: 'f64', b: 'bf16' };

const GEMM_ROLE = t(
  'A matrix multiplication (GEMM): every nn.Linear (QKV, O, gate/up and down projections, the LM head) is one. The name says which algorithm the library picked, not which layer: read the layer from the launching op\'s scope and the aten::mm shapes.',
  '矩阵乘（GEMM）：每个 nn.Linear（QKV、O、gate/up、down 投影、LM head）都是一次。名字说明库选了哪种算法，不说明是哪一层：层要从下发它的算子所在的 scope 和 aten::mm 的形状来读。',
);

function gemm(family: string, label: Text, fields: Record<string, FieldValue>, caveats: Text[] = []): NameDecoding {
  return { family, label, role: GEMM_ROLE, fields, caveats, learn: LEARN.gemm, category: 'computing' };
}

/** `nvjet_sm90_hsh_192x8_64x8_4x1_v_bz_splitK_bias_TNT` → its fields; null when not an nvjet name. */
export function parseNvjet(name: string): Record<string, FieldValue> | null {
  if (!/^nvjet_/.test(name)) return null;
  const toks = name.replace(/\(.*$/, '').split('_').slice(1);
  const f: Record<string, FieldValue> = { library: 'cublaslt' };
  let i = 0;
  if (/^sm\d+$/.test(toks[i] ?? '')) f.arch = toks[i++];
  const types = toks[i] ?? '';
  if (/^[a-z]{3}$/.test(types)) {
    i++;
    f.types = types;
    f.in_type = TYPE_LETTERS[types[0]] ?? types[0];
    f.compute_type = TYPE_LETTERS[types[1]] ?? types[1];
    f.out_type = TYPE_LETTERS[types[2]] ?? types[2];
  }
  const dims: string[] = [];
  while (i < toks.length && /^\d+x\d+$/.test(toks[i])) dims.push(toks[i++]);
  if (dims[0]) f.tile = dims[0];
  if (dims[1]) {
    const [k, stages] = dims[1].split('x');
    f.tile_k = Number(k);
    f.stages = Number(stages);
  }
  if (dims[2]) f.cluster = dims[2];
  if (toks[i] === 'v' || toks[i] === 'h') f.raster = toks[i++] === 'v' ? 'vertical' : 'horizontal';
  const flags: string[] = [];
  let layout = '';
  for (; i < toks.length; i++) {
    if (i === toks.length - 1 && /^[TN]{2,3}$/.test(toks[i])) layout = toks[i];
    else flags.push(toks[i]);
  }
  if (layout) f.layout = layout;
  f.split_k = flags.includes('splitK');
  f.bias = flags.some((x) => /bias/i.test(x));
  const other = flags.filter((x) => x !== 'splitK' && !/bias/i.test(x));
  if (other.length) f.flags = other.join(',');
  if (typeof f.in_type === 'string' && f.in_type.length > 1) f.dtype = f.in_type;
  return f;
}

const NVJET_CAVEATS: Text[] = [
  t(
    'NVIDIA does not document nvjet names; this reading of the fields (types, tile, stages, cluster, raster, epilogue flags, layout) follows their shape and cuBLAS\'s older naming. `bz` is left undecoded.',
    'NVIDIA 没有公开 nvjet 名字的含义；这里对各字段（类型、tile、stage、cluster、raster、epilogue 标志、布局）的解读依据其格式和 cuBLAS 早期的命名习惯。`bz` 未解码。',
  ),
];

/** cuBLAS names before nvjet: `volta_sgemm_128x64_nn`, `ampere_h16816gemm_…`, `sm90_xmma_gemm_…`. */
const LEGACY_CUBLAS = /^(maxwell|pascal|volta|turing|ampere|hopper|sm\d+)_(?:xmma_)?([a-z0-9_]*?)(gemm|gcgemm)(?:_|$)/;
const LEGACY_TYPES: Record<string, string> = { s: 'f32', h: 'f16', d: 'f64', c: 'c32', z: 'c64', bf16: 'bf16', fp16: 'f16', i8: 'i8' };

export function parseLegacyCublas(name: string): Record<string, FieldValue> | null {
  const m = LEGACY_CUBLAS.exec(name);
  if (!m) return null;
  const f: Record<string, FieldValue> = { library: 'cublas', arch: m[1] };
  const pre = m[2].replace(/_$/, '');
  const typeKey = /^(bf16|fp16|i8)/.exec(pre)?.[1] ?? pre.slice(0, 1);
  if (LEGACY_TYPES[typeKey]) f.dtype = LEGACY_TYPES[typeKey];
  else {
    const after = /gemm_(bf16|f16|f32|tf32|e4m3|i8)/.exec(name); // sm90_xmma_gemm_f16f16_…
    if (after) f.dtype = after[1];
  }
  const tile = /_(\d+x\d+)(?:x\d+)?_/.exec(name + '_');
  if (tile) f.tile = tile[1];
  const layout = /_(nn|nt|tn|tt)(?:_|$)/.exec(name);
  if (layout) f.layout = layout[1].toUpperCase();
  f.split_k = /splitK/i.test(name);
  f.bias = /bias/i.test(name);
  return f;
}

export function decodeGemm(name: string): NameDecoding | null {
  const nv = parseNvjet(name);
  if (nv) return gemm('cublas-nvjet', t('cuBLASLt GEMM (nvjet)', 'cuBLASLt GEMM（nvjet）'), nv, NVJET_CAVEATS);
  if (!/(scudnn|xmma_(fprop|dgrad|wgrad))/.test(name)) {
    const legacy = parseLegacyCublas(name);
    if (legacy) return gemm('cublas', t('cuBLAS GEMM', 'cuBLAS GEMM'), legacy);
  }
  const fn = functionName(name);
  if (/splitKreduce_kernel$/.test(fn)) {
    return {
      family: 'cublas-splitk-reduce',
      label: t('cuBLAS split-K reduction', 'cuBLAS split-K 归约'),
      role: t(
        'The second half of a split-K GEMM: the previous GEMM kernel cut the K dimension into slices computed in parallel, and this kernel adds their partial results (and applies the epilogue, e.g. the bias).',
        'split-K GEMM 的后半段：前一个 GEMM kernel 把 K 维切成几段并行计算，这个 kernel 把各段的部分和加起来（并做 epilogue，例如加 bias）。',
      ),
      fields: { library: /cublasLt/.test(fn) ? 'cublaslt' : 'cublas', split_k: true },
      caveats: [],
      learn: LEARN.gemm,
      category: 'computing',
    };
  }
  if (/^(gemv|gemvNSP|gemv2[NT]|gemmk1|gemmSN|scal|dot|axpy|nrm2|sgemm_largek)[A-Za-z0-9_]*$/.test(fn) || /internal::gemvx::kernel/.test(name)) {
    return gemm('cublas', t('cuBLAS kernel (GEMV / small GEMM / BLAS level 1)', 'cuBLAS kernel（GEMV / 小 GEMM / BLAS 一级）'), { library: 'cublas', kernel: fn.replace(/^.*::/, '') });
  }
  const cutlassInner = /cutlass::Kernel2?<\s*(cutlass_\d+_[A-Za-z0-9_]+)/.exec(name)?.[1] ?? (/^cutlass_\d+_/.test(name) ? name.replace(/\(.*$/, '') : null);
  if (cutlassInner) {
    const f: Record<string, FieldValue> = { library: 'cutlass', kernel: cutlassInner };
    const arch = /^cutlass_(\d+)_/.exec(cutlassInner);
    if (arch) f.arch = `sm${arch[1]}`;
    const op = /_(tensorop|simt|wmma)_([a-z0-9]+?)(\d{3,5})?gemm/.exec(cutlassInner);
    if (op) {
      f.math = op[1];
      const letter = /^(bf16|f16|h|s|d|i8|tf32)/.exec(op[2])?.[1];
      const map: Record<string, string> = { h: 'f16', f16: 'f16', bf16: 'bf16', s: 'f32', d: 'f64', i8: 'i8', tf32: 'tf32' };
      if (letter) f.dtype = map[letter];
    }
    const tile = /_(\d+x\d+)_(\d+)x(\d+)_/.exec(cutlassInner);
    if (tile) f.tile = tile[1];
    const layout = /_(nn|nt|tn|tt)_align/.exec(cutlassInner);
    if (layout) f.layout = layout[1].toUpperCase();
    f.split_k = /splitk/i.test(cutlassInner);
    f.bias = /bias/i.test(cutlassInner);
    return gemm('cutlass', t('CUTLASS GEMM', 'CUTLASS GEMM'), f, [
      t('cuBLAS ships CUTLASS-generated kernels under this name; aten::mm usually reaches them through cuBLAS.', 'cuBLAS 内部也带有以这种名字命名的 CUTLASS 生成 kernel；aten::mm 通常经 cuBLAS 用到它们。'),
    ]);
  }
  if (/^(void )?cutlass::(device_kernel|Kernel2?)</.test(name) || /^cutlass::/.test(fn)) {
    return gemm('cutlass', t('CUTLASS kernel', 'CUTLASS kernel'), { library: 'cutlass' }, [
      t('The element types sit deep inside the template arguments and are not decoded here.', '元素类型藏在很深的模板参数里，这里不解码。'),
    ]);
  }
  if (/^Cijk_/.test(name)) {
    const f: Record<string, FieldValue> = { library: 'rocblas_hipblaslt_tensile' };
    const tile = /_MT(\d+)x(\d+)x(\d+)_/.exec(name);
    if (tile) {
      f.tile = `${tile[1]}x${tile[2]}`;
      f.tile_k = Number(tile[3]);
    }
    const a = /^Cijk_A([a-z]+)_B([a-z]+)_/.exec(name);
    if (a) f.layout = `${a[1] === 'ilk' ? 'N' : 'T'}${a[2] === 'ljk' ? 'N' : 'T'}`;
    f.bias = /_Bias_/.test(name);
    const gsu = /_GSU(\d+)_/.exec(name); // global split-U: Tensile's split-K factor
    f.split_k = gsu ? Number(gsu[1]) > 1 : false;
    return gemm('rocm-gemm', t('ROCm GEMM (Tensile: rocBLAS / hipBLASLt)', 'ROCm GEMM（Tensile：rocBLAS / hipBLASLt）'), f, [
      t('Tensile names encode many tuning parameters; only tile, layout and bias are read here.', 'Tensile 名字编码了很多调优参数，这里只读 tile、布局和 bias。'),
    ]);
  }
  return null;
}

/** Inductor's kernel kinds. */
const INDUCTOR: Record<string, Text> = {
  poi: t('pointwise', '逐元素'),
  red: t('reduction', '归约'),
  per: t('persistent reduction', '持久化归约'),
  tem: t('template (GEMM / conv)', '模板（GEMM / 卷积）'),
};

export const TRITON_CAVEAT = t(
  'Triton kernel names carry no data type: the dtype has to come from the launching op\'s shapes (record_shapes). vLLM\'s own CUDA kernels are C++ templates and carry it (vllm::rms_norm_kernel<c10::BFloat16, …>).',
  'Triton kernel 的名字不带数据类型：dtype 只能从下发它的算子的形状（record_shapes）里看。vLLM 自己的 CUDA kernel 是 C++ 模板，名字里带着 dtype（vllm::rms_norm_kernel<c10::BFloat16, …>）。',
);

/** Inductor-generated Triton kernels (`triton_poi_fused_add_cos_sin_0`). */
export function decodeInductor(name: string): NameDecoding | null {
  const m = /^triton_(poi|red|per|tem|for)_(.*?)(?:_\d+)?$/.exec(name) ?? /^triton_()(.+)$/.exec(name);
  if (!m) return null;
  const fields: Record<string, FieldValue> = { library: 'triton', generator: 'torch_inductor' };
  if (m[1]) fields.kernel_kind = m[1];
  if (m[2]) fields.fused = m[2].replace(/^fused_/, '');
  const kind = INDUCTOR[m[1]];
  return {
    family: 'triton',
    label: t('Triton kernel (torch.compile / Inductor)', 'Triton kernel（torch.compile / Inductor）'),
    role: kind
      ? t(`A ${kind.en} kernel that torch.compile generated by fusing several PyTorch ops (${String(fields.fused ?? '').replace(/_/g, ', ')}).`, `torch.compile 把几个 PyTorch 算子（${String(fields.fused ?? '').replace(/_/g, '、')}）融合生成的${kind.zh} kernel。`)
      : t('A kernel torch.compile or a library generated with Triton.', 'torch.compile 或某个库用 Triton 生成的 kernel。'),
    fields,
    caveats: [TRITON_CAVEAT],
    learn: LEARN.realVllm,
    category: 'computing',
  };
}
