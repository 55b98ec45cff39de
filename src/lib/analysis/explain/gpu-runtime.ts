/**
 * The CUDA/HIP side that is not a kernel: copies and memsets on a stream
 * (`Memcpy HtoD (Pageable -> Device)`), device-side syncs that Kineto records
 * as `cuda_sync` (`Event Sync`, `Stream Wait Event`, `Context Sync`), and the
 * host calls of the CUDA runtime/driver (launches, copies, syncs, graphs,
 * events).
 */
import { LEARN } from './learn.ts';
import { t, type FieldValue, type NameDecoding, type Text } from './types.ts';

const DIRECTIONS: Record<string, Text> = {
  HtoD: t('host → device', 'host → device'),
  DtoH: t('device → host', 'device → host'),
  DtoD: t('device → device (same GPU)', 'device → device（同一张 GPU）'),
  PtoP: t('peer GPU → GPU', 'GPU → 另一张 GPU'),
  HtoH: t('host → host', 'host → host'),
};

/** `Memcpy HtoD (Pageable -> Device)`, `Memset (Device)`. */
export function decodeGpuCopy(name: string): NameDecoding | null {
  const cp = /^Memcpy\s+(HtoD|DtoH|DtoD|PtoP|HtoH|DtoA|AtoD)\b(?:\s*\((\w+)\s*->\s*(\w+)\))?/i.exec(name);
  if (cp) {
    const dir = cp[1];
    const fields: Record<string, FieldValue> = { direction: dir };
    if (cp[2]) fields.src_memory = cp[2].toLowerCase();
    if (cp[3]) fields.dst_memory = cp[3].toLowerCase();
    const pageable = /pageable/i.test(name);
    const caveats: Text[] = [];
    if (pageable) {
      caveats.push(
        t(
          'Pageable host memory: the driver stages the copy through a pinned buffer and the host call blocks until it is done, even for cudaMemcpyAsync. Pinned memory (pin_memory=True) lets it run asynchronously.',
          '可分页（pageable）host 内存：驱动要先经一块锁页缓冲中转，host 调用会一直阻塞到拷贝完成，即使是 cudaMemcpyAsync。锁页内存（pin_memory=True）才能真正异步。',
        ),
      );
    }
    if (dir === 'DtoH') {
      caveats.push(t('A copy to the host often means the program needs a value on the CPU (.item(), .tolist(), printing): the host waits for the device.', '拷回 host 往往说明程序要在 CPU 上用一个值（.item()、.tolist()、打印）：host 要等 device。'));
    }
    return {
      family: 'gpu-memcpy',
      label: t('memory copy', '内存拷贝'),
      role: t(`A copy ${DIRECTIONS[dir]?.en ?? dir} by the GPU's copy engine; it can overlap kernels on other streams.`, `由 GPU 拷贝引擎完成的拷贝，方向为 ${DIRECTIONS[dir]?.zh ?? dir}；可以和其他流上的 kernel 重叠。`),
      fields,
      caveats,
      learn: LEARN.timelineTerms,
      category: 'copy',
    };
  }
  if (/^Memset\b/i.test(name)) {
    return {
      family: 'gpu-memset',
      label: t('memory set', '内存置值'),
      role: t('Fills a device buffer with a value (usually zeros: torch.zeros, a cleared workspace).', '把一块 device 缓冲区填成某个值（通常是 0：torch.zeros、清空的 workspace）。'),
      fields: {},
      caveats: [],
      learn: LEARN.timelineTerms,
      category: 'copy',
    };
  }
  return null;
}

/** Kineto's `cuda_sync` device slices. */
export function decodeGpuSync(name: string): NameDecoding | null {
  const m = /^(Event Sync|Stream Sync|Context Sync|Stream Wait Event|Device Sync)$/i.exec(name);
  if (!m) return null;
  const kind = m[1].toLowerCase().replace(/ /g, '_');
  const waitEvent = kind === 'stream_wait_event';
  return {
    family: 'cuda-sync',
    label: t('synchronisation (CUPTI)', '同步（CUPTI）'),
    role: waitEvent
      ? t('This stream waits for an event recorded on another stream (cudaStreamWaitEvent): the dependency between two streams, drawn on the waiting stream.', '这条流在等另一条流上记录的事件（cudaStreamWaitEvent）：两条流之间的依赖，画在等待的那条流上。')
      : t('The host waited here for the device (cudaEventSynchronize / cudaStreamSynchronize / cudaDeviceSynchronize), drawn on the device as the span of the wait.', 'host 在这里等 device（cudaEventSynchronize / cudaStreamSynchronize / cudaDeviceSynchronize），在 device 上画出等待的时段。'),
    fields: { sync: kind },
    caveats: [],
    learn: LEARN.sync,
    category: 'wait',
  };
}

interface RuntimeRule {
  re: RegExp;
  kind: string;
  role: Text;
  learn: typeof LEARN[keyof typeof LEARN];
}

const RUNTIME: RuntimeRule[] = [
  {
    re: /^(cuda|hip)GraphLaunch/,
    kind: 'graph_launch',
    role: t('Replays a captured CUDA graph: one host call launches every kernel of the graph (one per decode step under vLLM\'s default CUDA graphs), so the per-kernel launch cost and Python scopes disappear.', '重放一个捕获好的 CUDA Graph：一次 host 调用下发图里的所有 kernel（vLLM 默认开启 CUDA Graph 时每个 decode step 一次），所以逐个 kernel 的下发开销和 Python scope 都不见了。'),
    learn: LEARN.cudaGraph,
  },
  {
    re: /^(cudaLaunchKernel|cudaLaunchKernelExC?|cuLaunchKernel(Ex)?|hipLaunchKernel|hipExtModuleLaunchKernel|hipModuleLaunchKernel|cudaLaunchCooperativeKernel)/,
    kind: 'launch',
    role: t('Puts one kernel on a stream\'s queue and returns; the kernel starts later, when the stream reaches it. The flow arrow leads to it. cuLaunchKernel(Ex) is the driver API that Triton and cuBLASLt use.', '把一个 kernel 放进某条流的队列就返回；kernel 要等流执行到它才开始。flow 箭头指向它。cuLaunchKernel(Ex) 是 Triton 和 cuBLASLt 用的驱动 API。'),
    learn: LEARN.launch,
  },
  {
    re: /^(cudaMemcpy|cudaMemcpyAsync|cuMemcpy|hipMemcpy)/,
    kind: 'copy',
    role: t('Starts a copy. An async copy from pageable memory, or any copy to pageable host memory, blocks the host until the data has moved.', '发起一次拷贝。从可分页内存出发的异步拷贝，或任何拷到可分页 host 内存的拷贝，都会让 host 阻塞到数据搬完。'),
    learn: LEARN.sync,
  },
  {
    re: /^(cudaMemset|cuMemset|hipMemset)/,
    kind: 'memset',
    role: t('Queues a memset on a stream.', '在某条流上排入一次 memset。'),
    learn: LEARN.launch,
  },
  {
    re: /^(cudaStreamSynchronize|cudaDeviceSynchronize|cudaEventSynchronize|cuStreamSynchronize|cuCtxSynchronize|hipDeviceSynchronize|hipStreamSynchronize|hipEventSynchronize)/,
    kind: 'sync',
    role: t('The host blocks until the device has finished the work queued so far: the GPU drains and the host launches nothing meanwhile.', 'host 阻塞到 device 把已排队的工作做完：GPU 的队列被清空，这期间 host 不再下发任何东西。'),
    learn: LEARN.sync,
  },
  {
    re: /^(cudaStreamWaitEvent|cuStreamWaitEvent|hipStreamWaitEvent)/,
    kind: 'stream_wait_event',
    role: t('Makes a stream wait for an event recorded on another stream, without blocking the host: how PyTorch orders the NCCL stream against the compute stream.', '让一条流等待另一条流上记录的事件，host 不阻塞：PyTorch 就是这样让 NCCL 流和计算流排好先后。'),
    learn: LEARN.sync,
  },
  {
    re: /^(cudaEventRecord|cudaEventQuery|cuEventRecord|hipEventRecord|cudaEventCreate|cudaEventDestroy|cudaEventElapsedTime)/,
    kind: 'event',
    role: t('Records or queries a CUDA event: a marker in a stream that other streams or the host can wait for or time.', '记录或查询一个 CUDA 事件：流里的一个标记，其他流或 host 可以等它或用它计时。'),
    learn: LEARN.sync,
  },
  {
    re: /^(cuda|hip|cu)[A-Z]/,
    kind: 'other',
    role: t('A CUDA runtime or driver call (setup, memory management, queries); it launches no device work by itself.', 'CUDA runtime 或驱动调用（初始化、内存管理、查询）；它本身不下发 device 工作。'),
    learn: LEARN.timelineTerms,
  },
];

export function decodeCudaApi(name: string): NameDecoding | null {
  for (const r of RUNTIME) {
    if (!r.re.test(name)) continue;
    return {
      family: 'cuda-api',
      label: t('CUDA runtime/driver call', 'CUDA runtime/驱动调用'),
      role: r.role,
      fields: { call: name.replace(/\(.*$/, ''), kind: r.kind },
      caveats: [],
      learn: r.learn,
      category: 'host',
    };
  }
  return null;
}
