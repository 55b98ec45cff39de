/**
 * What an exercise asks for that the timeline would otherwise say outright. The details panel lists each
 * detector's reason for a selected slice; for launch latency that reason *is* the value ("launched by
 * cudaLaunchKernel, started 14.339 µs later"), so while an exercise measuring launch latency is unsolved,
 * its widget keeps that reason behind a "show" button.
 */
import type { DetectorName } from '../analysis/detectors/types.ts';
import type { Exercise } from './schema.ts';

/** The detectors whose per-slice reasons state the answer of `ex` (empty for most exercises). */
export function detectorsGivingAway(ex: Exercise): DetectorName[] {
  if ((ex.kind === 'measure' || ex.kind === 'compare') && ex.measure.measure === 'launch-latency') return ['launch_latency'];
  return [];
}
