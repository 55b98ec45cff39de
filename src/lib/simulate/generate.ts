/**
 * One call from scenario to trace_view.json text: simulate, sample counters,
 * compute the Overlap Analysis lanes from the generated hardware and HCCL
 * lanes (with the analysis engine's own definition, lib/analysis/overlap.ts),
 * and write the file.
 */

import { NPU_COMPUTE_TASK_TYPES } from '../analysis/activity.ts';
import { unionOf } from '../analysis/intervals.ts';
import { overlapOf } from '../analysis/overlap.ts';
import type { OverlapResult } from '../analysis/overlap.ts';
import { writeTraceView } from './ascend-writer.ts';
import type { TraceIdentity } from './ascend-writer.ts';
import { counterSamples } from './counters.ts';
import { createRng } from './prng.ts';
import type { SimRecords } from './records.ts';
import { scenarioParams } from './scenarios.ts';
import type { ScenarioName } from './scenarios.ts';
import { simulate } from './simulate.ts';
import type { SimParams } from './simulate.ts';

/** Fixed identity of the simulated rank (a plausible host pid, device 0, a 2025 clock). */
export const SIMULATED_IDENTITY: TraceIdentity = {
  pid: 2841093,
  dequeueTid: 2841266,
  deviceId: 0,
  originUs: '1763974800000000.000',
};

const COUNTER_PERIOD_NS = 2_000_000;

export interface Generated {
  params: SimParams;
  json: string;
  records: SimRecords;
  overlap: OverlapResult;
}

/** Overlap of the simulated device, from its hardware tasks and hcom ops. */
export function overlapOfRecords(rec: SimRecords): OverlapResult {
  const compute = rec.hw.filter((t) => NPU_COMPUTE_TASK_TYPES.has(t.taskType));
  const computing = unionOf(compute.map((t) => t.startNs), compute.map((t) => t.startNs + t.durNs));
  const communication = unionOf(rec.hccl.map((o) => o.startNs), rec.hccl.map((o) => o.startNs + o.durNs));
  return overlapOf('npu:0', computing, communication);
}

export function generate(params: SimParams, identity: TraceIdentity = SIMULATED_IDENTITY): Generated {
  const records = simulate(params);
  const starts = records.hw.map((t) => t.startNs);
  const ends = records.hw.map((t) => t.startNs + t.durNs);
  const from = Math.min(...starts);
  const to = Math.max(...ends);
  // counters get their own stream of numbers so they never shift the schedule
  records.counters = counterSamples(records, from, to, COUNTER_PERIOD_NS, params.hw, createRng(params.seed ^ 0x5eed));
  const overlap = overlapOfRecords(records);
  return { params, json: writeTraceView(records, overlap.lanes, identity), records, overlap };
}

export function generateScenario(name: ScenarioName, steps?: number, seed?: number): Generated {
  return generate(scenarioParams(name, steps, seed));
}
