/**
 * The provenance entry of a simulated sample for public/traces/manifest.json:
 * kind "simulated", the command that regenerates it, the generator, and every
 * model parameter, so a reader can see exactly what the file is made of.
 */

import type { Generated } from './generate.ts';
import { SCENARIOS } from './scenarios.ts';
import type { ScenarioName } from './scenarios.ts';

export const GENERATOR_PATH = 'src/lib/simulate/';
/** Date of the model version the committed samples come from (not the run date: output must not depend on the clock). */
export const GENERATOR_DATE = '2026-11-24';

export function sampleFileName(name: ScenarioName): string {
  return `npu-deepseek-${name}.json.gz`;
}

export interface SimulatedManifestEntry {
  id: string;
  file: string;
  title: { en: string; 'zh-CN': string };
  kind: 'simulated';
  hardware: string;
  software: string;
  recipe: string;
  command: string;
  date: string;
  cropped: boolean;
  sha256: string;
  notes: string;
  parameters: Record<string, unknown>;
}

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
    hardware: `Simulated: rank ${p.layout.rank} of one ${p.layout.npusPerNode}-NPU Atlas 800T A2-class node (Ascend 910B roofline model); no real device was used`,
    software: 'Tracewise NPU trace simulator, writing torch_npu profiler trace_view.json format (checked against a real torch_npu trace)',
    recipe: GENERATOR_PATH,
    command: `npx tracewise simulate-npu --scenario ${name} --steps ${p.steps} --seed ${p.seed} -o public/traces/${file}`,
    date: GENERATOR_DATE,
    cropped: false,
    sha256,
    notes: `SIMULATED, not recorded. ${sc.summary} Durations come from a stated roofline model (see src/lib/simulate/README.md), not from measurements.`,
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
