/**
 * Computation/communication overlap, with MindStudio Insight's "Overlap
 * Analysis" categories:
 *
 *   Computing                      C = ∪ computation intervals
 *   Communication                  M = ∪ communication intervals
 *   Communication(Not Overlapped)  M − C
 *   Free                           span − (C ∪ M)
 *
 * where span (no range given) is [first start, last end] of C ∪ M: Insight's
 * lane starts at the first computing/communication task and ends at the last
 * one (checked on both sample ranks: memcpy, event and profiling tasks before
 * or after that are outside the span, and inside it they count as Free).
 * With a range, everything is clipped to the range and the span is the range.
 *
 * overlapRatio is HTA's comm/comp overlap: |M ∩ C| / |M|, null without
 * communication.
 *
 * All arithmetic is on the model's integer ns, so it is exact.
 */
import type { Ns, TraceModel } from '../trace/model.ts';
import { deviceActivity } from './activity.ts';
import { memoize } from './access.ts';
import { listDevices } from './devices.ts';
import {
  EMPTY,
  clip,
  complement,
  intersect,
  subtract,
  totalNs,
  union,
  type IntervalSet,
} from './intervals.ts';

export interface TimeRange {
  startNs: Ns;
  endNs: Ns;
}

export interface OverlapLanes {
  computing: IntervalSet;
  communication: IntervalSet;
  communicationNotOverlapped: IntervalSet;
  free: IntervalSet;
}

export interface OverlapResult {
  deviceKey: string;
  computingNs: Ns;
  communicationNs: Ns;
  communicationNotOverlappedNs: Ns;
  /** |C ∩ M|: communication hidden under computation. */
  overlappedNs: Ns;
  freeNs: Ns;
  spanNs: Ns;
  spanStartNs: Ns;
  spanEndNs: Ns;
  /** |C ∩ M| / |M|; null when there is no communication. */
  overlapRatio: number | null;
  lanes: OverlapLanes;
}

/** Overlap categories from raw computing/communication sets (exported for tests and simulators). */
export function overlapOf(
  deviceKey: string,
  computingAll: IntervalSet,
  communicationAll: IntervalSet,
  range?: TimeRange,
): OverlapResult {
  const computing = range ? clip(computingAll, range.startNs, range.endNs) : computingAll;
  const communication = range ? clip(communicationAll, range.startNs, range.endNs) : communicationAll;
  const active = union(computing, communication);
  let spanStartNs = 0;
  let spanEndNs = 0;
  if (range) {
    spanStartNs = range.startNs;
    spanEndNs = Math.max(range.startNs, range.endNs);
  } else if (active.length) {
    spanStartNs = active[0];
    spanEndNs = active[active.length - 1];
  }
  const notOverlapped = subtract(communication, computing);
  const free = spanEndNs > spanStartNs ? complement(active, spanStartNs, spanEndNs) : EMPTY;
  const communicationNs = totalNs(communication);
  const overlappedNs = totalNs(intersect(communication, computing));
  return {
    deviceKey,
    computingNs: totalNs(computing),
    communicationNs,
    communicationNotOverlappedNs: totalNs(notOverlapped),
    overlappedNs,
    freeNs: totalNs(free),
    spanNs: spanEndNs - spanStartNs,
    spanStartNs,
    spanEndNs,
    overlapRatio: communicationNs > 0 ? overlappedNs / communicationNs : null,
    lanes: { computing, communication, communicationNotOverlapped: notOverlapped, free },
  };
}

/** Over the whole trace (no `range`) it is computed once per model and device (memo key `overlap:<device>`). */
export function overlapForDevice(model: TraceModel, deviceKey: string, range?: TimeRange): OverlapResult {
  const of = () => {
    const act = deviceActivity(model, deviceKey);
    return overlapOf(deviceKey, act.computation, act.communication, range);
  };
  return range ? of() : memoize(model, `overlap:${deviceKey}`, of);
}

/** Lane names exactly as Ascend writes them in its "Overlap Analysis" process. */
export const OVERLAP_LANE_NAMES = [
  'Computing',
  'Communication',
  'Communication(Not Overlapped)',
  'Free',
] as const;
export type OverlapLaneName = (typeof OVERLAP_LANE_NAMES)[number];

export interface SyntheticOverlapTrack {
  deviceKey: string;
  /** "Overlap Analysis (GPU 0)" style title for the widget. */
  label: string;
  lanes: Array<{ name: OverlapLaneName; intervals: IntervalSet; totalNs: Ns }>;
}

/** The synthetic Overlap Analysis track of every device of the trace. */
export function overlapTracks(model: TraceModel, range?: TimeRange): SyntheticOverlapTrack[] {
  return listDevices(model).map((d) => overlapTrack(model, d.key, range));
}

/**
 * An "Overlap Analysis" track computed for any device (GPU ones included), in
 * the four lanes Ascend writes, for the timeline widget to draw.
 */
export function overlapTrack(
  model: TraceModel,
  deviceKey: string,
  range?: TimeRange,
): SyntheticOverlapTrack {
  const r = overlapForDevice(model, deviceKey, range);
  const act = deviceActivity(model, deviceKey);
  const sets: IntervalSet[] = [
    r.lanes.computing,
    r.lanes.communication,
    r.lanes.communicationNotOverlapped,
    r.lanes.free,
  ];
  return {
    deviceKey,
    label: `Overlap Analysis (${act.device.label})`,
    lanes: OVERLAP_LANE_NAMES.map((name, i) => ({ name, intervals: sets[i], totalNs: totalNs(sets[i]) })),
  };
}
