/**
 * Runs every detector over a model. Each detector lives in its own module with
 * its patterns, reasons and blind spots; the semantic ones (rope ... moe) run
 * together because "innermost matching scope wins" needs all their patterns.
 */
import type { TraceModel } from '../../trace/model.ts';
import { memoize } from '../access.ts';
import { activation } from './activation.ts';
import { attention } from './attention.ts';
import { detectCollectives } from './collectives.ts';
import { detectEventWait } from './event-wait.ts';
import { kvCacheWrite } from './kv-cache-write.ts';
import { detectLaunchLatency } from './launch-latency.ts';
import { matmul } from './matmul.ts';
import { moe } from './moe.ts';
import { norm } from './norm.ts';
import { pagedAttention } from './paged-attention.ts';
import { rope } from './rope.ts';
import { runSemantic, type SemanticSpec } from './semantic.ts';
import { detectSync } from './sync.ts';
import { DETECTOR_NAMES, type DetectorName, type DetectorResult } from './types.ts';

export { DETECTOR_NAMES, type DetectorName, type DetectorResult } from './types.ts';

export const SEMANTIC_SPECS: readonly SemanticSpec[] = [
  rope,
  attention,
  pagedAttention,
  kvCacheWrite,
  matmul,
  norm,
  activation,
  moe,
];

export type DetectorResults = Record<DetectorName, DetectorResult>;

export function runDetectors(model: TraceModel): DetectorResults {
  return memoize(model, 'detectors', () => {
    const out: Partial<DetectorResults> = {};
    for (const [k, v] of detectCollectives(model)) out[k] = v;
    for (const [k, v] of runSemantic(model, SEMANTIC_SPECS)) out[k] = v;
    out.event_wait = detectEventWait(model);
    out.sync = detectSync(model);
    out.launch_latency = detectLaunchLatency(model);
    for (const n of DETECTOR_NAMES) if (!out[n]) throw new Error(`detector ${n} produced no result`);
    return out as DetectorResults;
  });
}
