/**
 * The four simulated samples of the NPU lesson, as parameter sets of one
 * model. Everything that shapes a file is here, so a manifest entry can carry
 * it and a test can recompute predictions from it.
 */

import { ATLAS_800T_A2, DEFAULT_DISPATCH, DEFAULT_EFFICIENCY } from './npu-model.ts';
import type { DispatchModel } from './npu-model.ts';
import type { SimParams } from './simulate.ts';
import { DEEPSEEK_V3, ONE_NODE_TP8_EP8 } from './workload.ts';
import type { WorkloadSpec } from './workload.ts';

export const SCENARIO_NAMES = ['baseline', 'rs-ag', 'dual-stream', 'host-bound'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioInfo {
  name: ScenarioName;
  title: { en: string; 'zh-CN': string };
  /** One paragraph for the manifest's notes, in both languages: what the sample shows. */
  summary: { en: string; 'zh-CN': string };
  workload: WorkloadSpec;
  dispatch: DispatchModel;
}

export const DEFAULT_STEPS = 2;
export const DEFAULT_SEED = 20251124;

const PREFILL: WorkloadSpec = {
  phase: 'prefill', tokens: 8192, seqLen: 1024, contextLen: 0, layers: 4, microBatches: 1, comm: 'allreduce',
};

export const SCENARIOS: Record<ScenarioName, ScenarioInfo> = {
  baseline: {
    name: 'baseline',
    title: {
      en: 'Simulated: DeepSeek-V3 prefill on Ascend, AllReduce after attention and MoE',
      'zh-CN': '模拟：昇腾上 DeepSeek-V3 prefill，attention 与 MoE 之后做 AllReduce',
    },
    summary: {
      en: 'Prefill of 8 × 1024 tokens through 4 MLA+MoE layers, TP=8 attention and EP=8 experts on one 8-NPU node; each layer all-reduces the attention output and the MoE output on the HCCL stream while the compute stream waits.',
      'zh-CN':
        '在一台 8 卡节点上对 8 × 1024 个 token 做 prefill，经过 4 层 MLA+MoE，attention 按 TP=8 切分，专家按 EP=8 分布；每层在 HCCL 流上对 attention 输出和 MoE 输出各做一次 AllReduce，计算流在此期间等待。',
    },
    workload: PREFILL,
    dispatch: DEFAULT_DISPATCH,
  },
  'rs-ag': {
    name: 'rs-ag',
    title: {
      en: 'Simulated: DeepSeek-V3 prefill on Ascend, ReduceScatter + AllGather',
      'zh-CN': '模拟：昇腾上 DeepSeek-V3 prefill，ReduceScatter + AllGather',
    },
    summary: {
      en: 'Same workload as baseline, but every AllReduce is split into a ReduceScatter and, after the residual add and RMSNorm run on 1/8 of the tokens, an AllGather: the same bytes on the wire, less normalisation work.',
      'zh-CN':
        '负载与 baseline 相同，但每次 AllReduce 都拆成一次 ReduceScatter 和一次 AllGather，两者之间的残差相加和 RMSNorm 只在 1/8 的 token 上执行：链路上传输的字节数不变，归一化的计算量减少。',
    },
    workload: { ...PREFILL, comm: 'rs-ag' },
    dispatch: DEFAULT_DISPATCH,
  },
  'dual-stream': {
    name: 'dual-stream',
    title: {
      en: 'Simulated: DeepSeek-V3 prefill on Ascend, two micro-batches on two streams',
      'zh-CN': '模拟：昇腾上 DeepSeek-V3 prefill，两个 micro-batch 跑在两条流上',
    },
    summary: {
      en: 'Same workload as baseline split into two micro-batches of 4096 tokens on compute streams 2 and 3 (EVENT_RECORD/EVENT_WAIT join them at the ends), so the AllReduce of one micro-batch runs while the other computes.',
      'zh-CN':
        '负载与 baseline 相同，拆成两个各 4096 个 token 的 micro-batch，分别跑在计算流 2 和 3 上（首尾用 EVENT_RECORD/EVENT_WAIT 汇合），因此一个 micro-batch 做 AllReduce 时，另一个正在计算。',
    },
    workload: { ...PREFILL, microBatches: 2 },
    dispatch: DEFAULT_DISPATCH,
  },
  'host-bound': {
    name: 'host-bound',
    title: {
      en: 'Simulated: DeepSeek-V3 small-batch decode on Ascend, host-bound',
      'zh-CN': '模拟：昇腾上 DeepSeek-V3 小批量 decode，Host 侧瓶颈',
    },
    summary: {
      en: 'Decode of 32 sequences (2048-token context) in eager mode on a slow host (host costs × 1.5): experts are reached with all-to-all, whose split sizes and received row count need a blocking aten::to and aten::item per layer, and the host spends milliseconds between steps, so the NPU idles (Free) waiting for launches.',
      'zh-CN':
        '在一台较慢的 Host 上（Host 侧开销 × 1.5）以 eager 模式对 32 条序列（上下文 2048 个 token）做 decode：token 通过 all-to-all 发往专家，切分大小和接收行数每层都要靠一次阻塞的 aten::to 和 aten::item 取回 Host；Host 在两步之间还要花几毫秒，所以 NPU 空闲（Free），等着算子下发。',
    },
    workload: { phase: 'decode', tokens: 32, seqLen: 1, contextLen: 2048, layers: 4, microBatches: 1, comm: 'alltoall-ep' },
    dispatch: { ...DEFAULT_DISPATCH, hostSlowdown: 1.5, prepareInputsUs: 1500, postStepUs: 1200 },
  },
};

/** Full simulation parameters of a scenario. */
export function scenarioParams(name: ScenarioName, steps = DEFAULT_STEPS, seed = DEFAULT_SEED): SimParams {
  const sc = SCENARIOS[name];
  return {
    hw: ATLAS_800T_A2,
    eff: DEFAULT_EFFICIENCY,
    dispatch: sc.dispatch,
    shape: DEEPSEEK_V3,
    layout: ONE_NODE_TP8_EP8,
    workload: sc.workload,
    steps,
    seed,
    jitter: { host: 0.15, device: 0.03 },
    streams: { main: 2, second: 3, comm: 4 },
    firstStep: 7,
  };
}
