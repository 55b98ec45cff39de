/**
 * The learner-facing text of the re-targeted exercises (retarget.ts), in both
 * site languages: prompts, hints, explanations, and the reasons shown when a
 * detector finds nothing. Kept apart so retarget.ts reads as logic.
 */
import type { CollectiveName } from '../analysis/detectors/types.ts';
import type { L10n } from './schema.ts';
import type { RetargetId } from './retarget.ts';

const t = (en: string, zh: string): L10n => ({ en, 'zh-CN': zh });

/** "an all-reduce", "a broadcast". */
const article = (noun: string): string => `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;

const COLLECTIVE: Record<CollectiveName, L10n> = {
  all_reduce: t('all-reduce', 'all-reduce'),
  reduce_scatter: t('reduce-scatter', 'reduce-scatter'),
  all_gather: t('all-gather', 'all-gather'),
  all_to_all: t('all-to-all', 'all-to-all'),
  broadcast: t('broadcast', 'broadcast'),
  send_recv: t('send/recv', 'send/recv'),
};

const findHint = t(
  'Search (the magnifier in the toolbar) filters the lanes by name; the colours by kind show communication, computation and waits apart.',
  '工具栏里的搜索可以按名称过滤泳道；按类型着色能把通信、计算和等待区分开。',
);

export const M = {
  title: {
    'find-collective': t('Find a collective', '找到一次集合通信'),
    'find-rope': t('Find RoPE', '找到 RoPE'),
    'find-paged-attention': t('Find paged attention', '找到 paged attention'),
    'find-kv-cache-write': t('Find the KV-cache write', '找到 KV cache 写入'),
    'find-event-wait': t('Find an event wait', '找到一次 event wait'),
    'measure-layer-host': t('Measure one layer (host time)', '测量一层的 host 时间'),
    'measure-layer-device': t('Measure one layer (device span)', '测量一层的 device 跨度'),
    'measure-step': t('Measure one step', '测量一个 step'),
    'overlap-hidden': t('How much communication is hidden?', '有多少通信被计算掩盖？'),
  } satisfies Record<RetargetId, L10n>,

  collectiveText: (kind: CollectiveName, count: number) => ({
    prompt: t(
      `Click any ${COLLECTIVE[kind].en} on the timeline (the detector found ${count} in your trace).`,
      `在时间线上点选任意一次 ${COLLECTIVE[kind]['zh-CN']}（检测器在你的 trace 中找到了 ${count} 次）。`,
    ),
    hints: [
      t(
        'Collectives run on the device: NCCL kernels (ncclDevKernel_AllReduce…, ncclKernel_…) on a GPU stream, or hcom_* ops on the HCCL lane of an NPU.',
        '集合通信在设备上执行：GPU stream 上的 NCCL kernel（ncclDevKernel_AllReduce…、ncclKernel_…），或 NPU 的 HCCL 泳道上的 hcom_* 算子。',
      ),
      findHint,
    ],
    explanation: t(
      'Every rank has to reach the collective before data moves, so its duration includes waiting for the slowest rank: a long all-reduce is often a late peer, not a slow network. Compare ranks in the table above when you loaded several.',
      '所有 rank 都到达集合通信后数据才开始传输，所以它的时长包含了等待最慢 rank 的时间：一次很长的 all-reduce 往往是某个 rank 到得晚，而不是网络慢。若加载了多个 rank，可在上方表格中对比。',
    ),
  }),
  otherCollective: (got: CollectiveName, want: CollectiveName): L10n =>
    t(
      `That is ${article(COLLECTIVE[got].en)}, a collective too, but the question asks for ${article(COLLECTIVE[want].en)}.`,
      `这是一次 ${COLLECTIVE[got]['zh-CN']}，同样是集合通信，但题目要找的是 ${COLLECTIVE[want]['zh-CN']}。`,
    ),

  semanticText: (id: 'find-rope' | 'find-paged-attention' | 'find-kv-cache-write', count: number, kernels = count) =>
    id === 'find-kv-cache-write'
      ? {
          prompt: t(
            `Click a kernel or op that writes this step's new K/V into the KV cache (the detector found ${count}).`,
            `点选一个把本步新算出的 K/V 写入 KV cache 的 kernel 或算子（检测器找到了 ${count} 个）。`,
          ),
          hints: [
            t(
              'The write comes after the K/V projection (and RoPE) and before attention reads the cache; names such as reshape_and_cache(_flash), concat_and_cache_mla, store_kvcache, or ReshapeAndCache / ScatterPaKvCache on Ascend.',
              '写入发生在 K/V 投影（以及 RoPE）之后、attention 读取 cache 之前；名称如 reshape_and_cache(_flash)、concat_and_cache_mla、store_kvcache，昇腾上则是 ReshapeAndCache / ScatterPaKvCache。',
            ),
            findHint,
          ],
          explanation: t(
            'Every layer writes the K and V of the new tokens into the cache once per step, so attention never recomputes them. The write is a short memory-bound kernel; in decode it moves only a few tokens, and its length mostly tells you how scattered the cache slots are.',
            '每一层在每个 step 都要把新 token 的 K 和 V 写入 cache 一次，这样 attention 就不必重新计算它们。这次写入是一个短小的访存密集型 kernel；decode 阶段它只搬运少量 token，它的时长主要反映 cache 槽位有多分散。',
          ),
        }
      : id === 'find-rope'
      ? {
          prompt:
            kernels > count
              ? t(
                  `Click a RoPE (rotary position embedding) kernel or op (the detector found ${count} applications, ${kernels} kernels).`,
                  `点选一个 RoPE（旋转位置编码）kernel 或算子（检测器找到了 ${count} 次应用，共 ${kernels} 个 kernel）。`,
                )
              : t(
                  `Click a RoPE (rotary position embedding) kernel or op (the detector found ${count}).`,
                  `点选一个 RoPE（旋转位置编码）kernel 或算子（检测器找到了 ${count} 个）。`,
                ),
          hints: [
            t(
              'RoPE sits right after the Q/K projection and before attention; names contain "rotary" or "rope" (rotary_embedding_kernel, RotaryMul, apply_rotary_pos_emb).',
              'RoPE 位于 Q/K 投影之后、attention 之前；名称里含有 "rotary" 或 "rope"（rotary_embedding_kernel、RotaryMul、apply_rotary_pos_emb）。',
            ),
            findHint,
          ],
          explanation: t(
            'RoPE runs once per layer: one short fused kernel in serving engines, or a dozen generic elementwise kernels under one call in eager PyTorch (HF\'s apply_rotary_pos_emb). When it is fused into the QKV or attention kernel it disappears as a separate slice.',
            'RoPE 每层运行一次：在推理服务引擎里是一个短小的融合 kernel，在 eager PyTorch 里则是一次调用下的十几个通用逐元素 kernel（HF 的 apply_rotary_pos_emb）。如果被融合进 QKV 或 attention kernel，就不会再以单独的 slice 出现。',
          ),
        }
      : {
          prompt: t(
            `Click a paged-attention kernel (the detector found ${count}).`,
            `点选一个 paged attention kernel（检测器找到了 ${count} 个）。`,
          ),
          hints: [
            t(
              'Paged attention reads K/V through a block table: paged_attention_v1/v2, flash_fwd_splitkv, unified_attention, or PagedAttention / IncreFlashAttention on Ascend.',
              'paged attention 通过 block table 读取 K/V：paged_attention_v1/v2、flash_fwd_splitkv、unified_attention，昇腾上则是 PagedAttention / IncreFlashAttention。',
            ),
            findHint,
          ],
          explanation: t(
            'In decode, attention reads the whole KV cache of every sequence, so paged attention grows with context length while the matmuls stay the same size.',
            '在 decode 阶段，attention 要读取每条序列的全部 KV cache，所以 paged attention 的耗时随上下文长度增长，而矩阵乘的规模不变。',
          ),
        },

  waitText: (ascend: boolean, count: number) => ({
    prompt: t(
      `Click a slice where a device stream waits for an event (the detector found ${count}).`,
      `点选一个设备 stream 等待 event 的 slice（检测器找到了 ${count} 个）。`,
    ),
    hints: [
      ascend
        ? t(
            'On Ascend hardware streams the waits are EVENT_WAIT tasks (EVENT_WAIT_SQE) and, for HCCL, Notify Wait.',
            '在昇腾硬件 stream 上，等待是 EVENT_WAIT 任务（EVENT_WAIT_SQE），HCCL 的则是 Notify Wait。',
          )
        : t(
            'On a GPU, Kineto writes "Stream Wait Event" (category cuda_sync) on the waiting stream; the host call is cudaStreamWaitEvent.',
            '在 GPU 上，Kineto 会在等待的 stream 上记录 "Stream Wait Event"（类别 cuda_sync）；对应的 host 调用是 cudaStreamWaitEvent。',
          ),
      findHint,
    ],
    explanation: t(
      'While a stream waits it does no work: the time is attributed to whatever it waits for (another stream, or a peer rank for HCCL Notify Wait).',
      'stream 等待期间不做任何计算：这段时间应归到它所等待的对象上（另一条 stream，或 HCCL Notify Wait 中的对端 rank）。',
    ),
  }),
  /** Kineto traces that record only the host call (no "Stream Wait Event" on the device): ask about what is there. */
  waitHostText: (count: number) => ({
    prompt: t(
      `Click a host call that makes a GPU stream wait for an event (cudaStreamWaitEvent; the detector found ${count}). This trace records only the call on the CPU, not the wait on the device.`,
      `点选一个让 GPU stream 等待 event 的 host 调用（cudaStreamWaitEvent；检测器找到了 ${count} 个）。这个 trace 只在 CPU 上记录了这次调用，没有记录设备上的等待本身。`,
    ),
    hints: [
      t(
        'Search for cudaStreamWaitEvent: it sits on a host thread (category cuda_runtime) and lasts about a microsecond, because it only queues the wait.',
        '搜索 cudaStreamWaitEvent：它在 host 线程上（类别 cuda_runtime），只持续约 1 微秒，因为它只是把等待放进队列。',
      ),
      t(
        'Its args name the stream that will wait and the event; the event was recorded (cudaEventRecord) on another stream.',
        '它的 args 给出要等待的 stream 和 event；这个 event 是在另一条 stream 上记录的（cudaEventRecord）。',
      ),
      findHint,
    ],
    explanation: t(
      'The call itself is cheap. What it causes is on the device: the waiting stream cannot start its next kernel until the other stream reaches the recorded event. This trace has no slice for that wait (newer Kineto versions write "Stream Wait Event" on the waiting stream); look at the waiting stream for a gap after the call.',
      '这次调用本身很便宜，它造成的影响在设备上：等待的 stream 要等另一条 stream 执行到记录的 event 之后，才能开始下一个 kernel。这个 trace 中没有表示这段等待的 slice（较新版本的 Kineto 会在等待的 stream 上写出 "Stream Wait Event"）；可以在等待的 stream 上，看调用之后的空隙。',
    ),
  }),
  hostSync: t(
    'That is the host waiting for the device (a synchronize), not a device stream waiting for an event.',
    '这是 host 在等待设备（synchronize），而不是设备 stream 在等待 event。',
  ),

  layerText: (scope: string, count: number) => ({
    prompt: t(
      `How long does the host spend in one ${scope}? Select one on a host thread (shift+drag) or type a value (${count} instances in the first step; any one counts).`,
      `host 在一个 ${scope} 中花了多长时间？在 host 线程上框选一个（shift+拖动），或直接输入数值（第一个 step 中有 ${count} 个，任意一个都算）。`,
    ),
    hints: [
      t(`Search for "${scope}" and look at the host (CPU) rows, not the device streams.`, `搜索 "${scope}"，看 host（CPU）行，而不是设备 stream。`),
      t('Clicking the slice shows its duration in the details panel.', '点选该 slice，详情面板会显示它的时长。'),
    ],
    explanation: t(
      'Host time per layer is what the CPU needs to launch the layer. When it is longer than the device time, the device waits for the host (host-bound); CUDA graphs or ACL graphs remove most of it.',
      '每层的 host 时间是 CPU 下发这一层所需的时间。当它比设备时间还长时，设备就在等 host（host-bound）；CUDA graph 或 ACL graph 可以去掉其中大部分开销。',
    ),
  }),
  layerDeviceText: (scope: string, count: number, inStep: boolean) => ({
    prompt: t(
      `How long is one ${scope} on the device? This is the layer's device span: from the first kernel launched inside the layer to the end of the last one. Select that span on the device stream (shift+drag) or type a value (${count} layers with device work${inStep ? ' in the first step' : ''}; any one counts).`,
      `一个 ${scope} 在设备上有多长？这里问的是这一层的 device 跨度：从这一层里下发的第一个 kernel 开始，到最后一个 kernel 结束。在设备 stream 上框选这段跨度（shift+拖动），或直接输入数值（${inStep ? '第一个 step 中' : ''}有 ${count} 层带有设备工作，任意一层都算）。`,
    ),
    hints: [
      t(
        `Find one ${scope} on a host thread, then follow its launches (the arrows, or click a kernel to see its host op) to the device stream: the layer's kernels lie between the first and the last of them.`,
        `先在 host 线程上找到一个 ${scope}，再顺着它的下发（箭头，或点选 kernel 查看它的 host 算子）找到设备 stream：这一层的 kernel 就在其中第一个与最后一个之间。`,
      ),
      t('Shift+drag from the start of the first kernel to the end of the last; the selection shows its length.', '按住 Shift，从第一个 kernel 的开头拖到最后一个 kernel 的结尾；选区会显示长度。'),
    ],
    explanation: t(
      'The device span starts when the first kernel runs, not when the host enters the layer, and ends when the last kernel finishes, which can be after the host has left. In launch-bound decode the kernels are shorter than their launches, so the span is about the host time and the device sits mostly idle inside it; when the device is the bottleneck, the host runs ahead and the span is the device\'s own time. The span also counts the gaps between kernels: add up the kernels to see how busy the device really was.',
      'device 跨度从第一个 kernel 开始运行时算起，而不是从 host 进入这一层时算起；到最后一个 kernel 结束为止，这可能晚于 host 离开这一层。在受下发限制的 decode 中，kernel 比它们的下发还短，所以跨度与 host 时间相近，设备在其中大多空闲；当设备是瓶颈时，host 会提前跑到前面，跨度就是设备自己的时间。跨度还包含 kernel 之间的空隙：把各个 kernel 加起来，才能看出设备实际有多忙。',
    ),
  }),
  layerHostTime: t(
    'That is how long the host spends in the layer (its scope on the host thread); the question asks for the device span, from the layer\'s first kernel to the end of its last.',
    '这是 host 在这一层中花的时间（host 线程上的作用域）；题目问的是 device 跨度，即从这一层的第一个 kernel 到最后一个 kernel 结束。',
  ),
  layerDeviceTime: t(
    'That is how long the device works on the layer; the question asks for the host time.',
    '这是设备执行这一层的时间；题目问的是 host 时间。',
  ),

  stepDeviceSpan: (longer: boolean) =>
    t(
      `That is the step as the device ran it (from its first kernel to its last), which is ${longer ? 'longer' : 'shorter'} than the host's step: the host issues work ahead of the device${longer ? ', and the device finishes the step after the host has moved on' : ''}. The question asks for the host's ProfilerStep range.`,
      `这是设备执行这个 step 的时间（从第一个 kernel 到最后一个），它比 host 的 step ${longer ? '长' : '短'}：host 会提前下发工作${longer ? '，host 进入下一步后设备还在完成这个 step' : ''}。题目问的是 host 上 ProfilerStep 的区间。`,
    ),
  stepText: (name: string, count: number) => ({
    prompt: t(
      `How long is the first profiler step (${name})? Select it (shift+drag) or type a value.`,
      `第一个 profiler step（${name}）有多长？框选它（shift+拖动）或直接输入数值。`,
    ),
    hints: [
      t(
        `ProfilerStep#N ranges are written by the profiler's schedule on the host thread; this trace has ${count}.`,
        `ProfilerStep#N 区间由 profiler 的 schedule 写在 host 线程上；这个 trace 中有 ${count} 个。`,
      ),
    ],
    explanation: t(
      'A step is one iteration as the host saw it. Compare steps: the first one after warm-up is often longer (allocations, autotuning, lazy initialisation).',
      '一个 step 是 host 视角下的一次迭代。对比各个 step：预热之后的第一个 step 往往更长（内存分配、自动调优、延迟初始化）。',
    ),
  }),

  overlapText: (key: string, label: string, ascend: boolean) => ({
    prompt: t(
      `On ${label} (${key}), what share of the communication time runs while computation is also running (hidden)? Answer in %.`,
      `在 ${label}（${key}）上，通信时间中有多大比例与计算同时进行（被掩盖）？用 % 作答。`,
    ),
    hints: [
      ascend
        ? t(
            'The Overlap Analysis lane shows Communication and Communication(Not Overlapped); hidden = Communication − Not Overlapped.',
            'Overlap Analysis 泳道给出 Communication 与 Communication(Not Overlapped)；被掩盖的部分 = Communication − Not Overlapped。',
          )
        : t(
            'Select the whole trace (shift+drag over everything): the aggregate panel shows computation, communication and their overlap for the device.',
            '框选整个 trace（shift+拖过全部范围）：聚合面板会显示该设备的计算、通信以及二者的重叠。',
          ),
      t('Hidden share = |computation ∩ communication| / |communication|, with each as the union of its slices.', '被掩盖比例 = |计算 ∩ 通信| / |通信|，二者均取各自 slice 的并集。'),
    ],
    explanation: t(
      'Communication that overlaps computation costs nothing extra; the rest (not overlapped) adds directly to the step time. This is what Ascend Insight reports in its Overlap Analysis lane.',
      '与计算重叠的通信不增加额外耗时；其余未被掩盖的部分会直接加到 step 时间上。这正是 MindStudio Insight 在 Overlap Analysis 泳道中给出的结果。',
    ),
  }),

  noTimedEvents: t(
    'This trace has no timed events at all: only metadata (process and thread names), so there is no timeline and nothing to find or measure. It is not a CPU-only trace; the profiler recorded nothing in it.',
    '这个 trace 完全没有带时间的事件：只有元数据（进程和线程名），因此没有时间线，也没有可找或可测的内容。这不是只有 CPU 的 trace；profiler 在其中什么都没录到。',
  ),
  noDevice: t(
    'This trace has no device activity at all (a CPU-only trace, or the profiler ran without CUDA/NPU activities), so there is nothing on a GPU or NPU to find.',
    '这个 trace 完全没有设备活动（只有 CPU，或录制时没有开启 CUDA/NPU activity），因此在 GPU 或 NPU 上没有可找的内容。',
  ),
  noCollective: (ascend: boolean): L10n =>
    ascend
      ? t(
          'No collective communication (hcom_* ops, HCCL tasks) found: was this a single-NPU run? With one device there is nothing to all-reduce.',
          '没有找到集合通信（hcom_* 算子、HCCL 任务）：这是单卡 NPU 的运行吗？只有一个设备时没有需要 all-reduce 的数据。',
        )
      : t(
          'No collective kernels (NCCL/RCCL all-reduce, all-gather, …) found: was this a single-GPU run? With one device there is nothing to all-reduce.',
          '没有找到集合通信 kernel（NCCL/RCCL 的 all-reduce、all-gather 等）：这是单 GPU 的运行吗？只有一个设备时没有需要 all-reduce 的数据。',
        ),
  noCollectiveMultiRank: (world: number): L10n =>
    t(
      `No collective kernels found, although the trace says it is one rank of ${world}: the profiled window may contain no communication, or the backend (e.g. gloo on CPU) runs it off the device.`,
      `没有找到集合通信 kernel，尽管 trace 表明它是 ${world} 个 rank 之一：录制窗口里可能没有通信，或者通信后端（例如 CPU 上的 gloo）不在设备上执行。`,
    ),
  noSemantic: {
    'find-rope': t(
      'No RoPE found (kernels, ops or scopes named rotary/rope). Models without rotary position embeddings (CNNs such as ResNet, BERT-style encoders) have none, and RoPE fused into another kernel cannot be told apart by name.',
      '没有找到 RoPE（名称含 rotary/rope 的 kernel、算子或作用域）。不使用旋转位置编码的模型（ResNet 等 CNN、BERT 类编码器）没有 RoPE；被融合进其他 kernel 的 RoPE 也无法按名称识别。',
    ),
    'find-paged-attention': t(
      'No paged attention found (paged_attention_v1/v2, flash_fwd_splitkv, PagedAttention, …). It is the attention of LLM serving engines over a paged KV cache (vLLM, SGLang, MindIE); training runs and plain model.generate() do not use it.',
      '没有找到 paged attention（paged_attention_v1/v2、flash_fwd_splitkv、PagedAttention 等）。它是 LLM 推理服务引擎（vLLM、SGLang、MindIE）在分页 KV cache 上的 attention；训练任务和普通的 model.generate() 都不会用到。',
    ),
    'find-kv-cache-write': t(
      'No KV-cache write found (reshape_and_cache, concat_and_cache_mla, store_kvcache, ReshapeAndCache, ScatterPaKvCache, or a scope named kv_cache_write). Serving engines (vLLM, SGLang, MindIE) write the cache with such kernels; plain Hugging Face transformers keeps its KV cache as tensors grown with torch.cat or index_copy_, generic copies the detector cannot tell apart, and training runs have no KV cache at all.',
      '没有找到 KV cache 写入（reshape_and_cache、concat_and_cache_mla、store_kvcache、ReshapeAndCache、ScatterPaKvCache，或名为 kv_cache_write 的作用域）。推理服务引擎（vLLM、SGLang、MindIE）用这类 kernel 写 cache；普通的 Hugging Face transformers 用 torch.cat 或 index_copy_ 扩展张量来保存 KV cache，这些是通用的拷贝，检测器无法区分；训练任务则根本没有 KV cache。',
    ),
  } satisfies Record<'find-rope' | 'find-paged-attention' | 'find-kv-cache-write', L10n>,
  noWaitGpu: t(
    'No event waits found. This is a GPU trace, so Ascend EVENT_WAIT tasks do not exist here; Kineto writes GPU-side "Stream Wait Event" slices only in recent PyTorch versions, and only when a stream actually waits for another.',
    '没有找到 event wait。这是 GPU trace，不存在昇腾的 EVENT_WAIT 任务；Kineto 只在较新的 PyTorch 版本中、且确有 stream 等待另一条 stream 时，才会记录 GPU 侧的 "Stream Wait Event"。',
  ),
  noWaitAscend: t(
    'No EVENT_WAIT or Notify Wait tasks on the NPU streams: in this window no stream waited for another (or the trace was recorded at a profiler level that leaves them out).',
    'NPU stream 上没有 EVENT_WAIT 或 Notify Wait 任务：在这段时间里没有 stream 等待另一条 stream（或者录制时的 profiler level 不记录它们）。',
  ),
  noLayers: t(
    'No decoder-layer scopes (…DecoderLayer ranges from nn.Module annotations or record_function), so the trace does not say where a layer begins on the host.',
    '没有 decoder layer 作用域（来自 nn.Module 标注或 record_function 的 …DecoderLayer 区间），因此 trace 无法说明一层在 host 上从哪里开始。',
  ),
  noLayersStep: t(
    'No decoder-layer scopes (…DecoderLayer ranges from nn.Module annotations or record_function), so the trace does not say where a layer begins on the host. Measure a whole step instead (next exercise); to see layers, wrap them in record_function or record with with_stack=True (nn.Module scopes).',
    '没有 decoder layer 作用域（来自 nn.Module 标注或 record_function 的 …DecoderLayer 区间），因此 trace 无法说明一层在 host 上从哪里开始。可以改为测量整个 step（下一题）；若要看到各层，请用 record_function 包住它们，或用 with_stack=True 重新录制（会产生 nn.Module 作用域）。',
  ),
  noLayersDevice: t(
    'No decoder-layer scopes (…DecoderLayer ranges from nn.Module annotations or record_function), so the trace does not say which kernels belong to a layer. To see layers, wrap them in record_function or record with with_stack=True (nn.Module scopes).',
    '没有 decoder layer 作用域（来自 nn.Module 标注或 record_function 的 …DecoderLayer 区间），因此 trace 无法说明哪些 kernel 属于某一层。若要看到各层，请用 record_function 包住它们，或用 with_stack=True 重新录制（会产生 nn.Module 作用域）。',
  ),
  noLayerDeviceWork: (scope: string): L10n =>
    t(
      `The trace has ${scope} scopes on the host, but no device work is linked to them: the kernels launched inside a layer could not be matched to it (the trace lacks the launch correlation, or the layers ran on the CPU), so there is no device span to measure.`,
      `trace 中在 host 上有 ${scope} 作用域，但没有设备工作与之关联：层内下发的 kernel 无法对应到这一层（trace 缺少下发的关联信息，或这些层在 CPU 上运行），因此没有可测量的 device 跨度。`,
    ),
  noSteps: t(
    'No ProfilerStep#N ranges: the trace was recorded without a schedule (prof.step() was never called), so it has no steps to measure.',
    '没有 ProfilerStep#N 区间：录制时没有使用 schedule（从未调用 prof.step()），因此没有可测量的 step。',
  ),
  noCommunication: t(
    'No device communicates in this trace (no collective kernels or HCCL ops), so there is no communication to hide: was this a single-device run?',
    '这个 trace 中没有设备进行通信（没有集合通信 kernel 或 HCCL 算子），所以不存在需要掩盖的通信：这是单设备的运行吗？',
  ),
  onlyTarget: t(
    'The detector found something, but the trace has nothing else to contrast it with, so this exercise would not teach anything here.',
    '检测器找到了目标，但 trace 中没有其他可供对照的内容，所以这道题在这里没有意义。',
  ),
};
