/**
 * The lesson and glossary sections the card links to. Anchors are the
 * headings' slugs as Starlight writes them (github-slugger); `learn.test.ts`
 * checks each one against the pages, in both languages.
 */
import { t, type LearnLink } from './types.ts';

function link(page: string, en: string, zh: string, titleEn: string, titleZh: string): LearnLink {
  return { page, anchor: t(en, zh), title: t(titleEn, titleZh) };
}

export const LEARN = {
  gemm: link('lessons/gpu-qwen-tp', 'telling-gemms-apart', '分辨-gemm', 'Lesson 2: telling GEMMs apart', '第 2 课：分辨 GEMM'),
  attention: link('lessons/gpu-qwen-tp', 'inside-the-attention-block-gqa', 'attention-模块内部gqa', 'Lesson 2: inside the attention block', '第 2 课：attention 模块内部'),
  ffn: link('lessons/gpu-qwen-tp', 'inside-the-ffn', 'ffn-内部', 'Lesson 2: inside the FFN', '第 2 课：FFN 内部'),
  tpAllReduce: link('lessons/gpu-qwen-tp', 'tensor-parallelism-exactly-two-all-reduces-per-layer', '张量并行每层正好两次-all-reduce', 'Lesson 2: two all-reduces per layer', '第 2 课：每层两次 all-reduce'),
  realVllm: link('lessons/gpu-qwen-tp', 'your-real-vllm-trace-vs-this-sample', '你的真实-vllm-trace-与本样例', 'Lesson 2: your real vLLM trace vs this sample', '第 2 课：你的真实 vLLM trace 与本样例'),
  cudaGraph: link('lessons/gpu-qwen-tp', 'eager-mode-and-cuda-graphs', 'eager-模式与-cuda-graph', 'Lesson 2: eager mode and CUDA graphs', '第 2 课：eager 模式与 CUDA Graph'),
  launch: link('lessons/reading-a-timeline', 'from-a-launch-to-its-kernel-flows', '从下发到-kernelflow-连线', 'Lesson 1: from a launch to its kernel', '第 1 课：从下发到 kernel'),
  sync: link('lessons/reading-a-timeline', 'when-the-host-waits-syncs', 'host-在等的时候同步', 'Lesson 1: when the host waits', '第 1 课：host 在等的时候'),
  timelineTerms: link('reference/glossary', 'reading-a-timeline', '读时间线', 'Glossary: reading a timeline', '术语表：读时间线'),
  modelTerms: link('reference/glossary', 'the-model', '模型', 'Glossary: the model', '术语表：模型'),
  parallelTerms: link('reference/glossary', 'parallelism-and-communication', '并行与通信', 'Glossary: parallelism and communication', '术语表：并行与通信'),
  npuTasks: link('lessons/npu-deepseek', 'from-a-python-module-to-its-npu-tasks', '从-python-模块找到它在-npu-上的任务', 'Lesson 3: from a Python module to its NPU tasks', '第 3 课：从 Python 模块找到 NPU 任务'),
  npuLanes: link('lessons/npu-deepseek', 'the-lanes-top-to-bottom', '从上到下各条泳道', 'Lesson 3: the lanes, top to bottom', '第 3 课：各条泳道'),
  npuEventWait: link('lessons/npu-deepseek', 'event-waits-what-a-hardware-stream-queues-for', '事件等待硬件流在排队等什么', 'Lesson 3: event waits', '第 3 课：事件等待'),
  hccl: link('lessons/npu-deepseek', 'launched-is-not-started-the-lag-of-a-collective', '下发了不等于开始执行集合通信的滞后', 'Lesson 3: the lag of a collective', '第 3 课：集合通信的滞后'),
} as const;
