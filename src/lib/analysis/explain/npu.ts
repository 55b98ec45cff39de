/**
 * Ascend (torch_npu / CANN) slices: hardware-stream tasks by their `Task Type`
 * (AI_CORE, AI_VECTOR_CORE, MIX_AIC/MIX_AIV, AI_CPU, DSA_SQE, EVENT_WAIT /
 * EVENT_RECORD, SDMA/PCIE copies, HCCL's Notify Wait/Record, Write Value,
 * SDMA, Memcpy, Reduce Inline), op task names
 * (`aclnnMm_MatMulV3Common_MatMulV3`: the aclnn API, then the kernel),
 * `hcom_*` collectives and their HCCL sub-tasks (args: transport, size, data
 * type), and the host side: `AscendCL@…` CANN calls, `npu::…` torch_npu ops,
 * `Hccl@…`, `Node@launch`, the task queue's `Enqueue`/`Dequeue`.
 */
import { LEARN } from './learn.ts';
import { t, type ExplainCategory, type FieldValue, type LearnLink, type NameDecoding, type NameHints, type Text } from './types.ts';

interface TaskType {
  re: RegExp;
  kind: string;
  label: Text;
  role: Text;
  category: ExplainCategory;
  learn: LearnLink;
}

const TASK_TYPES: TaskType[] = [
  { re: /^(AI_CORE|KERNEL_AICORE)$/, kind: 'ai_core', category: 'computing', learn: LEARN.npuTasks,
    label: t('AI Core task (cube + vector)', 'AI Core 任务（cube + vector）'),
    role: t('An operator kernel on the AI Cores, whose cube unit does matrix multiplications (and whose vector unit does the rest): matmuls, convolutions, and ops compiled for the AI Core.', '在 AI Core 上运行的算子 kernel，AI Core 的 cube 单元做矩阵乘（vector 单元做其余运算）：矩阵乘、卷积，以及为 AI Core 编译的算子。') },
  { re: /^(AI_VECTOR_CORE|KERNEL_AIVEC)$/, kind: 'ai_vector_core', category: 'computing', learn: LEARN.npuTasks,
    label: t('AI Vector Core task', 'AI Vector Core 任务'),
    role: t('An operator kernel on the vector cores only: elementwise, norms, activations, RoPE, quantisation.', '只在 vector 核上运行的算子 kernel：逐元素、归一化、激活、RoPE、量化。') },
  { re: /^(MIX_AIC|KERNEL_MIX_AIC)$/, kind: 'mix_aic', category: 'computing', learn: LEARN.npuTasks,
    label: t('mixed task, cube-led (MIX_AIC)', '混合任务，以 cube 为主（MIX_AIC）'),
    role: t('A fused kernel that uses cube and vector cores together, led by the cube part: fused attention (FusedInferAttentionScore), MLA prolog, fused matmul + epilogue.', '同时用 cube 核和 vector 核、以 cube 部分为主的融合 kernel：融合 attention（FusedInferAttentionScore）、MLA prolog、矩阵乘加后处理。') },
  { re: /^(MIX_AIV|KERNEL_MIX_AIV)$/, kind: 'mix_aiv', category: 'computing', learn: LEARN.npuTasks,
    label: t('mixed task, vector-led (MIX_AIV)', '混合任务，以 vector 为主（MIX_AIV）'),
    role: t('A fused kernel led by its vector part, with cube help: MoE routing and gating, top-k, reductions.', '以 vector 部分为主、cube 辅助的融合 kernel：MoE 路由与门控、top-k、归约。') },
  { re: /^(AI_CPU|AICPU|KERNEL_AICPU)$/, kind: 'ai_cpu', category: 'computing', learn: LEARN.npuTasks,
    label: t('AI CPU task', 'AI CPU 任务'),
    role: t('An operator run on the NPU\'s ARM CPU cores: ops without an AI Core kernel, or with dynamic shapes. Much slower than the cores; often worth replacing.', '在 NPU 的 ARM CPU 核上运行的算子：没有 AI Core 实现或形状动态的算子。比 AI Core 慢得多，常值得替换。') },
  { re: /^DSA_SQE$/, kind: 'dsa', category: 'computing', learn: LEARN.npuTasks,
    label: t('DSA task (data streaming accelerator)', 'DSA 任务（数据流加速器）'),
    role: t('Work on the DSA engine, e.g. random numbers and dropout masks (DSAGenBitMask). Ascend\'s Overlap Analysis counts it as Computing.', '在 DSA 引擎上的工作，例如随机数与 dropout 掩码（DSAGenBitMask）。Ascend 的 Overlap Analysis 把它算作 Computing。') },
  { re: /^(EVENT_WAIT(_SQE)?)$/, kind: 'event_wait', category: 'wait', learn: LEARN.npuEventWait,
    label: t('event wait', '事件等待'),
    role: t('The stream stops until an event recorded on another stream (or by HCCL) fires: cross-stream ordering, e.g. compute waiting for a collective\'s result.', '这条流停下，直到另一条流（或 HCCL）记录的事件触发：跨流的先后依赖，例如计算等集合通信的结果。') },
  { re: /^(EVENT_RECORD(_SQE)?)$/, kind: 'event_record', category: 'wait', learn: LEARN.npuEventWait,
    label: t('event record', '事件记录'),
    role: t('Marks a point in the stream that another stream can wait for. Takes no real time and counts in no overlap category.', '在流里打一个标记，供其他流等待。几乎不占时间，不计入任何重叠类别。') },
  { re: /^PLACE_HOLDER_SQE$/, kind: 'placeholder', category: 'wait', learn: LEARN.npuLanes,
    label: t('runtime placeholder task', 'runtime 占位任务'),
    role: t('Bookkeeping of the runtime (profiling on/off markers, placeholders); not work of the model, counted in no overlap category.', 'runtime 的记账任务（profiling 开关标记、占位）；不是模型的工作，不计入任何重叠类别。') },
  { re: /^(PCIE_DMA_SQE|SDMA_SQE|MEMCPY_ASYNC|MEMSET)/, kind: 'copy', category: 'copy', learn: LEARN.npuLanes,
    label: t('memory copy task', '内存拷贝任务'),
    role: t('A copy by a DMA engine: PCIE_DMA between host and device, SDMA on the device (aclrtMemcpy / MemcpyAsync, tensor .to()).', 'DMA 引擎完成的拷贝：PCIE_DMA 在 host 与 device 之间，SDMA 在 device 上（aclrtMemcpy / MemcpyAsync、张量 .to()）。') },
  { re: /^Notify[ _]?Wait$/i, kind: 'notify_wait', category: 'wait', learn: LEARN.hccl,
    label: t('HCCL Notify Wait', 'HCCL Notify Wait'),
    role: t('A step of an HCCL collective: this NPU waits for a peer\'s signal (its data is ready or it has read ours). Long ones mean a peer arrived late, not a slow link.', 'HCCL 集合通信的一步：本 NPU 等待对端的信号（对方数据已就绪或已读走我们的数据）。很长的 Notify Wait 说明对端来晚了，而不是链路慢。') },
  { re: /^Notify[ _]?Record$/i, kind: 'notify_record', category: 'communication', learn: LEARN.hccl,
    label: t('HCCL Notify Record', 'HCCL Notify Record'),
    role: t('A step of an HCCL collective: signals a peer that data is ready.', 'HCCL 集合通信的一步：通知对端数据已就绪。') },
  { re: /^Write[ _]?Value$/i, kind: 'write_value', category: 'communication', learn: LEARN.hccl,
    label: t('HCCL Write Value', 'HCCL Write Value'),
    role: t('A step of an HCCL collective: writes a flag in a peer\'s memory (a signal).', 'HCCL 集合通信的一步：往对端内存写一个标志（信号）。') },
  { re: /^(SDMA|RDMA|Memcpy|Local[ _]?Copy|LOCAL)$/i, kind: 'transfer', category: 'communication', learn: LEARN.hccl,
    label: t('HCCL data transfer', 'HCCL 数据传输'),
    role: t('A step of an HCCL collective that moves data: SDMA within the server (HCCS), RDMA across servers, Memcpy between buffers.', 'HCCL 集合通信中搬数据的一步：SDMA 在机内（HCCS），RDMA 跨机，Memcpy 在缓冲区之间。') },
  { re: /^(Reduce[ _]?Inline|Inline[ _]?Reduce|Reduce[ _]?TBE)$/i, kind: 'reduce', category: 'communication', learn: LEARN.hccl,
    label: t('HCCL reduce step', 'HCCL 归约步骤'),
    role: t('A step of an HCCL collective that adds received data into the buffer while copying it (Reduce Inline) or with a vector kernel (Reduce TBE).', 'HCCL 集合通信中做归约的一步：边拷贝边把收到的数据加进缓冲区（Reduce Inline），或用一个 vector kernel 完成（Reduce TBE）。') },
];

const DATA_TYPES: Record<string, string> = { FP32: 'f32', FP16: 'f16', BF16: 'bf16', INT8: 'i8', INT32: 'i32', INT64: 'i64', UINT8: 'u8', FP64: 'f64', float32: 'f32', float16: 'f16', bfloat16: 'bf16' };

/** `aclnnMm_MatMulV3Common_MatMulV3` → api aclnnMm, kernel MatMulV3; `trans_TransData_3` → TransData. */
export function parseAscendOpName(name: string): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = {};
  const a = /^(aclnn[A-Za-z0-9]+?)_([A-Za-z0-9]+)_([A-Za-z0-9]+)$/.exec(name);
  if (a) {
    f.op_api = a[1];
    f.kernel = a[3];
    if (a[2] !== a[3]) f.kernel_impl = a[2];
    return f;
  }
  const tr = /^trans_([A-Za-z0-9]+)_\d+$/.exec(name);
  if (tr) {
    f.kernel = tr[1];
    f.inserted_by = 'graph (format conversion)';
    return f;
  }
  const plain = /^([A-Za-z][A-Za-z0-9]*?)(\d*)(_MemSet)?$/.exec(name);
  if (plain) {
    f.kernel = plain[3] ? 'MemSet' : plain[1];
    if (plain[3]) f.clears_output_of = plain[1];
  }
  return f;
}

function taskFields(name: string, hints: NameHints, type: string): Record<string, FieldValue> {
  const f: Record<string, FieldValue> = { task_type: type };
  for (const [key, field] of [['transport type', 'transport'], ['link type', 'link'], ['src rank', 'src_rank'], ['dst rank', 'dst_rank']] as const) {
    const v = hints.arg(key);
    if (v && v !== 'INVALID_TYPE' && v !== '4294967295') f[field] = /rank/.test(field) ? Number(v) : v;
  }
  const size = hints.arg('size(Byte)');
  if (size && Number(size) > 0) f.size_bytes = Number(size);
  const dt = hints.arg('data type');
  if (dt && DATA_TYPES[dt]) f.dtype = DATA_TYPES[dt];
  if (!/^(EVENT|PLACE|Notify|Write|SDMA$|RDMA|Memcpy$|Reduce|PCIE|MEMCPY|MEMSET)/i.test(name)) Object.assign(f, parseAscendOpName(name));
  return f;
}

/** A slice on an Ascend hardware stream or HCCL plane thread, by task type (arg or, failing that, name). */
export function decodeAscendTask(name: string, hints: NameHints): NameDecoding | null {
  const type = hints.taskType ?? hints.arg('task type');
  const probe = type ?? name;
  for (const r of TASK_TYPES) {
    if (!r.re.test(probe)) continue;
    return { family: 'ascend-task', label: r.label, role: r.role, fields: taskFields(name, hints, type ?? name), caveats: [], learn: r.learn, category: r.category };
  }
  if (type) {
    return {
      family: 'ascend-task',
      label: t(`Ascend task (${type})`, `Ascend 任务（${type}）`),
      role: t('A task on an Ascend hardware stream of a type this decoder does not describe; Tracewise counts it in no overlap category.', 'Ascend 硬件流上的一个任务，其类型本解码器没有说明；Tracewise 不把它计入任何重叠类别。'),
      fields: taskFields(name, hints, type),
      caveats: [],
      learn: LEARN.npuLanes,
      category: 'wait',
    };
  }
  return null;
}

const HCOM_COLLECTIVES: Record<string, string> = {
  allreduce: 'all_reduce', allgather: 'all_gather', reducescatter: 'reduce_scatter', alltoall: 'all_to_all', alltoallv: 'all_to_all_v', alltoallvc: 'all_to_all_vc',
  broadcast: 'broadcast', reduce: 'reduce', send: 'send', receive: 'receive', recv: 'receive', batchsendrecv: 'batch_send_recv', barrier: 'barrier',
};

/** `hcom_allReduce__586_0_1` (device op on the HCCL thread, or `AscendCL@hcom_allReduce_` on the host). */
export function decodeHcom(name: string, hints: NameHints): NameDecoding | null {
  const m = /^(?:AscendCL@)?hcom_([A-Za-z]+)_/.exec(name) ?? /^(?:AscendCL@)?Hccl([A-Z][A-Za-z]+)$/.exec(name);
  if (!m) return null;
  const fields: Record<string, FieldValue> = {};
  const coll = HCOM_COLLECTIVES[m[1].toLowerCase()];
  fields.collective = coll ?? m[1];
  const dt = hints.arg('data_type');
  if (dt && DATA_TYPES[dt]) fields.dtype = DATA_TYPES[dt];
  const alg = hints.arg('alg_type');
  if (alg) fields.algorithm = alg.toLowerCase().replace(/-/g, '_');
  const count = hints.arg('count');
  if (count && Number.isFinite(Number(count))) fields.count = Number(count);
  const host = name.startsWith('AscendCL@') || !hints.onDevice;
  return {
    family: 'hccl',
    label: t('HCCL collective (hcom)', 'HCCL 集合通信（hcom）'),
    role: host
      ? t('The host call that launches an HCCL collective; the collective itself shows on the HCCL lane, its steps on the Plane threads and the hardware stream.', '下发一次 HCCL 集合通信的 host 调用；集合通信本身画在 HCCL 泳道上，它的各个步骤在 Plane 线程和硬件流上。')
      : t(`One ${String(fields.collective).replace(/_/g, '-')} of HCCL, from its first step to its last: Ascend's Overlap Analysis counts this span as Communication. Its steps (Notify Wait, SDMA/Memcpy, Reduce Inline) sit on the Plane threads.`, `HCCL 的一次 ${String(fields.collective).replace(/_/g, '-')}，从第一步到最后一步：Ascend 的 Overlap Analysis 把这段时间算作 Communication。它的各步（Notify Wait、SDMA/Memcpy、Reduce Inline）在 Plane 线程上。`),
    fields,
    caveats: [t('The numbers after the collective\'s name identify the call; they are not decoded here.', '集合通信名字后面的数字用来标识这次调用，这里不解码。')],
    learn: LEARN.hccl,
    category: host ? 'host' : 'communication',
  };
}

/** Host-side names of a torch_npu trace. */
export function decodeAscendHost(name: string): NameDecoding | null {
  // Real msprof writes `AscendCL@aclnnMm`; some exports (and our simulator) drop the prefix.
  const acl = /^AscendCL@(.+)$/.exec(name) ?? /^((?:aclnn|aclrt|aclop)[A-Z]\w*)$/.exec(name);
  if (acl) {
    const call = acl[1];
    const fields: Record<string, FieldValue> = { call };
    let role: Text;
    let learn = LEARN.npuTasks;
    if (/^aclnn/.test(call)) {
      fields.kind = /GetWorkspaceSize$/.test(call) ? 'workspace_query' : 'op_launch';
      role = fields.kind === 'op_launch'
        ? t('CANN launches one operator (an aclnn API): the task it puts on a hardware stream carries the same name with the kernel appended, and a flow leads to it.', 'CANN 下发一个算子（aclnn 接口）：它放到硬件流上的任务用同样的名字再加上 kernel 名，flow 箭头指向它。')
        : t('CANN asks an aclnn operator how much workspace it needs, before launching it.', 'CANN 在下发 aclnn 算子之前询问它需要多大的 workspace。');
    } else if (/Synchronize/.test(call)) {
      fields.kind = 'sync';
      role = t('The host blocks until the stream or device has finished the work queued so far.', 'host 阻塞到这条流或整个 device 把已排队的工作做完。');
      learn = LEARN.sync;
    } else if (/StreamWaitEvent|RecordEvent|Event/.test(call)) {
      fields.kind = 'event';
      role = t('Records an event on a stream, or makes a stream wait for one: the host side of EVENT_RECORD / EVENT_WAIT tasks.', '在流上记录一个事件，或让流等待一个事件：EVENT_RECORD / EVENT_WAIT 任务在 host 侧的调用。');
      learn = LEARN.npuEventWait;
    } else if (/Memcpy|Memset/.test(call)) {
      fields.kind = 'copy';
      role = t('Starts a memory copy on the NPU\'s DMA engines (a MEMCPY_ASYNC task).', '在 NPU 的 DMA 引擎上发起一次内存拷贝（一个 MEMCPY_ASYNC 任务）。');
    } else if (/_Tiling$|opCompile|aclopCompile/.test(call)) {
      fields.kind = 'compile_or_tiling';
      role = t('Host work before a launch: computing an op\'s tiling for these shapes, or compiling an op. Repeated compiles in steady state mean dynamic shapes.', '下发前的 host 工作：为这些形状计算算子的 tiling，或编译算子。稳态下反复编译说明形状是动态的。');
    } else {
      fields.kind = 'other';
      role = t('A CANN (AscendCL) runtime call: setup, descriptors, contexts.', 'CANN（AscendCL）runtime 调用：初始化、描述符、上下文。');
    }
    return { family: 'ascend-cann', label: t('CANN (AscendCL) call', 'CANN（AscendCL）调用'), role, fields, caveats: [], learn, category: 'host' };
  }
  const npu = /^npu::(\w+)$/.exec(name) ?? /^(npu_\w+)$/.exec(name);
  if (npu) {
    return {
      family: 'torch-npu-op',
      label: t('torch_npu custom operator', 'torch_npu 自定义算子'),
      role: t('A torch_npu fused operator (npu_*) called from Python: it dispatches one or a few aclnn kernels, often fused versions of several PyTorch ops.', '从 Python 调用的 torch_npu 融合算子（npu_*）：它下发一个或几个 aclnn kernel，常常是几个 PyTorch 算子的融合版本。'),
      fields: { op: npu[1].replace(/^npu::/, '') },
      caveats: [],
      learn: LEARN.npuTasks,
      category: 'host',
    };
  }
  if (/^(Hccl@|HcclCommInit|Node@launch$|Enqueue|Dequeue)/.test(name)) {
    const queue = /^(Enqueue|Dequeue)/.test(name);
    return {
      family: 'ascend-runtime',
      label: queue ? t('torch_npu task queue', 'torch_npu 任务队列') : t('CANN runtime step', 'CANN runtime 步骤'),
      role: queue
        ? t('torch_npu hands ops from the Python thread (Enqueue) to a worker thread that calls CANN (Dequeue): the launch of an op happens on the Dequeue side.', 'torch_npu 把算子从 Python 线程（Enqueue）交给调用 CANN 的工作线程（Dequeue）：算子真正的下发发生在 Dequeue 一侧。')
        : t('An internal step of CANN\'s launch path (graph node launch, HCCL task launch).', 'CANN 下发路径中的一个内部步骤（图节点下发、HCCL 任务下发）。'),
      fields: { call: name },
      caveats: [],
      learn: LEARN.npuLanes,
      category: 'host',
    };
  }
  return null;
}
