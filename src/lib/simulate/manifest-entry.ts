/**
 * The provenance entry of a simulated sample for public/traces/manifest.json:
 * kind "simulated", the command that regenerates it, the generator, and every
 * model parameter, so a reader can see exactly what the file is made of.
 *
 * The reader-facing prose (title, hardware, notes) is written here and in
 * scenarios.ts in both languages, so `simulate-npu --manifest` regenerates the
 * zh-CN text too and the committed entries stay exactly what it writes.
 */

import type { ManifestEntry } from '../trace/manifest.ts';
import type { Generated } from './generate.ts';
import { SCENARIOS } from './scenarios.ts';
import type { ScenarioName } from './scenarios.ts';

export const GENERATOR_PATH = 'src/lib/simulate/';
/** Date of the model version the committed samples come from (not the run date: output must not depend on the clock). */
export const GENERATOR_DATE = '2026-11-24';

export function sampleFileName(name: ScenarioName): string {
  return `npu-deepseek-${name}.json.gz`;
}

export type SimulatedManifestEntry = ManifestEntry & { kind: 'simulated' };

const ms = (ns: number): number => Math.round(ns / 1000) / 1000;

export function manifestEntry(name: ScenarioName, g: Generated, sha256: string, file = sampleFileName(name)): SimulatedManifestEntry {
  const sc = SCENARIOS[name];
  const p = g.params;
  const o = g.overlap;
  return {
    id: `npu-deepseek-${name}`,
    file,
    title: sc.title,
    kind: 'simulated',
    hardware: {
      en: `Simulated: rank ${p.layout.rank} of one ${p.layout.npusPerNode}-NPU Atlas 800T A2-class node (Ascend 910B roofline model); no real device was used`,
      'zh-CN': `模拟：一台 ${p.layout.npusPerNode} 卡 Atlas 800T A2 级节点中的 rank ${p.layout.rank}（按 Ascend 910B 的 roofline 模型）；没有使用任何真实设备`,
    },
    software: 'Tracewise NPU trace simulator, writing torch_npu profiler trace_view.json format (checked against a real torch_npu trace)',
    recipe: GENERATOR_PATH,
    command: `npx tracewise simulate-npu --scenario ${name} --steps ${p.steps} --seed ${p.seed} -o public/traces/${file}`,
    date: GENERATOR_DATE,
    cropped: false,
    sha256,
    notes: {
      en: `SIMULATED, not recorded. ${sc.summary.en} Durations come from a stated roofline model (see src/lib/simulate/README.md), not from measurements.`,
      'zh-CN': `模拟生成，并非实测录制。${sc.summary['zh-CN']}各段时长来自一个明确给出的 roofline 模型（见 src/lib/simulate/README.md），不是测量值。`,
    },
    parameters: {
      scenario: name,
      steps: p.steps,
      seed: p.seed,
      model: { name: 'DeepSeek-V3 (MLA + MoE), reduced layer stack', ...p.shape },
      layout: p.layout,
      workload: p.workload,
      hardware: p.hw,
      efficiency: p.eff,
      dispatch: p.dispatch,
      jitter: p.jitter,
      streams: p.streams,
      overlapMs: {
        span: ms(o.spanNs),
        computing: ms(o.computingNs),
        communication: ms(o.communicationNs),
        communicationNotOverlapped: ms(o.communicationNotOverlappedNs),
        free: ms(o.freeNs),
      },
    },
  };
}
