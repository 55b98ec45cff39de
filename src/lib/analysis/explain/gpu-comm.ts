/**
 * Collective kernels on GPUs: NCCL/RCCL, and the custom all-reduces that
 * vLLM, SGLang, PyTorch symmetric memory, TRT-LLM/FlashInfer and DeepEP use
 * instead of NCCL for small messages.
 *
 * NCCL kernel names (read in NCCL's `src/device/generate.py` and
 * `common.h`, 2.19+): `ncclDevKernel_<Coll>[_<RedOp>_<type>]_<ALGO>_<PROTO>`,
 * e.g. `ncclDevKernel_AllReduce_Sum_bf16_RING_LL`; AllGather/Broadcast carry
 * no op or type. Before 2.19: `ncclKernel_<Coll>_<ALGO>_<PROTO>_<RedOp>_<type>`
 * with C type names (`ncclKernel_AllReduce_RING_LL_Sum_float`). RCCL keeps
 * these names. NCCL builds one kernel per collective and type, specialised
 * for Ring or Tree with LL; every other algorithm (NVLS, CollNet, PAT),
 * protocol (LL128, Simple) and op runs inside that same kernel through its
 * generic path (`ncclShmem.funcId`), and signed integer sums use the
 * unsigned kernel. So the collective is always right, the dtype nearly so,
 * and algorithm/protocol/op are the specialisation, not proof of what ran.
 */
import { LEARN } from './learn.ts';
import { firstFloatDtype, templateArgs } from './cxx.ts';
import { t, type FieldValue, type NameDecoding, type Text } from './types.ts';

const COLLECTIVES: Record<string, string> = {
  AllReduce: 'all_reduce',
  AllGather: 'all_gather',
  AllGatherV: 'all_gather_v',
  ReduceScatter: 'reduce_scatter',
  Broadcast: 'broadcast',
  Reduce: 'reduce',
  SendRecv: 'send_recv',
  AllToAll: 'all_to_all',
};
const OPS: Record<string, string> = { Sum: 'sum', Prod: 'prod', MinMax: 'min_max', PreMulSum: 'pre_mul_sum', SumPostDiv: 'sum_post_div' };
/** NCCL's short type names, and the C names of older NCCL. */
const NCCL_TYPES: Record<string, string> = {
  i8: 'i8', u8: 'u8', i32: 'i32', u32: 'u32', i64: 'i64', u64: 'u64', f16: 'f16', f32: 'f32', f64: 'f64', bf16: 'bf16', f8e4m3: 'f8e4m3', f8e5m2: 'f8e5m2',
  int8_t: 'i8', uint8_t: 'u8', int32_t: 'i32', uint32_t: 'u32', int64_t: 'i64', uint64_t: 'u64', half: 'f16', float: 'f32', double: 'f64', __nv_bfloat16: 'bf16', rccl_bfloat16: 'bf16',
};
const ALGOS = ['COLLNET_DIRECT', 'COLLNET_CHAIN', 'NVLS_TREE', 'NVLS', 'TREE', 'RING', 'PAT'];
const PROTOS = ['LL128', 'LL', 'SIMPLE'];

const NCCL_NEW = /^ncclDevKernel_([A-Za-z]+)([A-Za-z0-9_]*)/;
const NCCL_OLD = /^ncclKernel_([A-Za-z]+)([A-Za-z0-9_]*)/;

/** Splits `_Sum_bf16_RING_LL` into NCCL's parts, whatever their order. */
function ncclParts(rest: string): Record<string, string> {
  const out: Record<string, string> = {};
  let s = rest.replace(/^_/, '');
  while (s.length) {
    let hit = false;
    for (const a of ALGOS) {
      if (s === a || s.startsWith(a + '_')) {
        out.algorithm = a.toLowerCase();
        s = s.slice(a.length + 1);
        hit = true;
        break;
      }
    }
    if (hit) continue;
    const tok = s.split('_')[0];
    s = s.slice(tok.length + 1);
    if (PROTOS.includes(tok)) out.protocol = tok.toLowerCase();
    else if (OPS[tok]) out.op = OPS[tok];
    else if (NCCL_TYPES[tok]) out.dtype = NCCL_TYPES[tok];
    else if (/^\d+$/.test(tok)) out.variant = tok;
  }
  return out;
}

export function decodeNccl(name: string): NameDecoding | null {
  const fresh = NCCL_NEW.exec(name);
  const old = fresh ? null : NCCL_OLD.exec(name);
  const m = fresh ?? old;
  if (!m) return null;
  const coll = m[1];
  let rest = m[2];
  const fields: Record<string, FieldValue> = {};
  if (COLLECTIVES[coll]) fields.collective = COLLECTIVES[coll];
  else fields.kernel = coll; // Generic, Nop: not tied to one collective
  // C type names with underscores (old names): read them before splitting on `_`.
  const ctype = /_(u?int(?:8|32|64)_t|__nv_bfloat16|rccl_bfloat16)$/.exec(rest);
  if (ctype) {
    fields.dtype = NCCL_TYPES[ctype[1]];
    rest = rest.slice(0, ctype.index);
  }
  const parts = ncclParts(rest);
  for (const k of ['op', 'dtype', 'algorithm', 'protocol'] as const) if (parts[k] && fields[k] === undefined) fields[k] = parts[k];
  fields.nccl_naming = fresh ? 'ncclDevKernel (2.19+)' : 'ncclKernel (before 2.19)';
  const collText = String(fields.collective ?? coll).replace(/_/g, '-');
  const caveats: Text[] = [
    t(
      'NCCL builds one kernel per collective and data type, named after the variant it is specialised for (Ring or Tree, LL). Other algorithms (NVLS, CollNet, PAT), protocols (LL128, Simple) and reduction ops run inside the same kernel, so the algorithm, protocol and op in the name may not be what ran; NCCL_DEBUG=INFO or the host-side record_param_comms op tells.',
      'NCCL 为每种集合通信和数据类型编译一个 kernel，名字写的是它特化的那一种（Ring 或 Tree、LL）。其他算法（NVLS、CollNet、PAT）、协议（LL128、Simple）和归约操作也在同一个 kernel 里执行，所以名字里的算法、协议和 op 未必是实际用的；要看 NCCL_DEBUG=INFO 或 host 侧的 record_param_comms 算子。',
    ),
  ];
  if (typeof fields.dtype === 'string' && fields.dtype.startsWith('u')) {
    caveats.push(t('Signed integer sums run in the unsigned kernel: u32 may be i32.', '有符号整数求和用的是无符号 kernel：u32 可能是 i32。'));
  }
  return {
    family: 'nccl',
    label: t('NCCL/RCCL collective kernel', 'NCCL/RCCL 集合通信 kernel'),
    role: t(
      `The device side of one ${collText}: the GPUs exchange data over NVLink, PCIe or the network and ${fields.op ? 'reduce it' : 'copy it'}. It occupies SMs while it runs, so compute on other streams competes with it.`,
      `一次 ${collText} 的 device 侧：多张 GPU 经 NVLink、PCIe 或网络交换数据并${fields.op ? '做归约' : '拷贝'}。它运行时占用 SM，其他流上的计算会与它争用。`,
    ),
    fields,
    caveats,
    learn: LEARN.tpAllReduce,
    category: 'communication',
  };
}

interface CustomAr {
  re: RegExp;
  impl: string;
  label: Text;
  algorithm?: (m: RegExpExecArray) => string | undefined;
}

const CUSTOM: CustomAr[] = [
  {
    re: /cross_device_reduce_(1|2)stage/,
    impl: 'vllm_sglang_custom_all_reduce',
    label: t('vLLM/SGLang custom all-reduce', 'vLLM/SGLang 自定义 all-reduce'),
    algorithm: (m) => (m[1] === '1' ? 'one_shot' : 'two_shot'),
  },
  {
    re: /(one|two)_?shot_?all_?reduce/i,
    impl: 'symmetric_memory_all_reduce',
    label: t('symmetric-memory all-reduce (PyTorch / vLLM / SGLang)', '对称内存 all-reduce（PyTorch / vLLM / SGLang）'),
    algorithm: (m) => `${m[1].toLowerCase()}_shot`,
  },
  { re: /multimem_all_reduce/i, impl: 'multimem_all_reduce', label: t('NVLink SHARP (multimem) all-reduce', 'NVLink SHARP（multimem）all-reduce'), algorithm: () => 'nvls' },
  { re: /multimem_all_gather/i, impl: 'multimem_all_gather', label: t('NVLink SHARP (multimem) all-gather', 'NVLink SHARP（multimem）all-gather'), algorithm: () => 'nvls' },
  { re: /allreduce_fusion|trtllm_?all_?reduce|lamport/i, impl: 'trtllm_flashinfer_all_reduce_fusion', label: t('TRT-LLM / FlashInfer all-reduce fusion', 'TRT-LLM / FlashInfer all-reduce 融合 kernel') },
  { re: /quickreduce|quick_all_reduce/i, impl: 'rocm_quick_reduce', label: t('ROCm quick all-reduce', 'ROCm quick all-reduce') },
  { re: /custom_?all_?reduce/i, impl: 'custom_all_reduce', label: t('custom all-reduce', '自定义 all-reduce') },
  { re: /deep_ep::.*(dispatch|combine)/i, impl: 'deep_ep', label: t('DeepEP all-to-all (MoE dispatch/combine)', 'DeepEP all-to-all（MoE 分发/合并）') },
];

export function decodeCustomCollective(name: string): NameDecoding | null {
  for (const c of CUSTOM) {
    const m = c.re.exec(name);
    if (!m) continue;
    const fields: Record<string, FieldValue> = { implementation: c.impl };
    if (c.impl === 'deep_ep') fields.collective = 'all_to_all';
    else if (c.impl === 'multimem_all_gather') fields.collective = 'all_gather';
    else {
      fields.collective = 'all_reduce';
      fields.op = 'sum';
    }
    const args = templateArgs(name);
    const dtype = firstFloatDtype(args);
    if (dtype) fields.dtype = dtype;
    const algorithm = c.algorithm?.(m);
    if (algorithm) fields.algorithm = algorithm;
    if (c.impl === 'vllm_sglang_custom_all_reduce' && args[1] && /^\d+$/.test(args[1])) fields.ranks = Number(args[1]);
    const oneShot = algorithm === 'one_shot';
    const twoShot = algorithm === 'two_shot';
    return {
      family: 'custom-allreduce',
      label: c.label,
      role: oneShot
        ? t(
            'An all-reduce without NCCL: every GPU reads all peers\' buffers over NVLink (CUDA IPC) and adds them up itself, in one pass. vLLM and SGLang use it for small messages (decode) on NVLink, where it beats NCCL\'s latency.',
            '不经过 NCCL 的 all-reduce：每张 GPU 经 NVLink（CUDA IPC）直接读取所有对端的缓冲区并自行相加，一次完成。vLLM 和 SGLang 在 NVLink 上对小消息（decode）用它，延迟比 NCCL 低。',
          )
        : twoShot
          ? t(
              'An all-reduce without NCCL in two passes: each GPU reduces its shard from all peers (reduce-scatter), then gathers the others\' shards (all-gather), over NVLink. Used for medium messages.',
              '不经过 NCCL、分两步的 all-reduce：每张 GPU 先从所有对端归约自己那一份（reduce-scatter），再收集其他份（all-gather），都经 NVLink。用于中等大小的消息。',
            )
          : t(
              `A collective written outside NCCL (${c.impl.replace(/_/g, ' ')}): it moves data between GPUs directly, over NVLink or the network.`,
              `不经过 NCCL 的集合通信（${c.impl.replace(/_/g, ' ')}）：直接在 GPU 之间搬数据，走 NVLink 或网络。`,
            ),
      fields,
      caveats: [
        t(
          'Searching a real vLLM trace for "nccl" finds nothing when this kernel did the all-reduces: look for it instead.',
          '当 all-reduce 由这个 kernel 完成时，在真实 vLLM trace 里搜“nccl”会一无所获：应该搜它。',
        ),
      ],
      learn: c.impl === 'deep_ep' ? LEARN.parallelTerms : LEARN.realVllm,
      category: 'communication',
    };
  }
  return null;
}
