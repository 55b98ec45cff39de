/**
 * Adapter from the analysis to what the widget draws: computed tracks
 * (overlap lanes per device, GPU busy), per-slice work-kind colours, detector
 * labels, and the overlap breakdown of a selected range. The analysis itself
 * runs in the trace worker (src/lib/worker/analysis.ts); this file only turns
 * its finished typed arrays into the widget's shapes, in O(devices + lanes),
 * never O(slices). The widget touches the analysis only through this file.
 */
import { overlapOf } from '../../lib/analysis/overlap.ts';
import { blocksPerSm, blocksPerSmBand } from '../../lib/analysis/occupancy.ts';
import { explainSlice, type SliceExplanation } from '../../lib/analysis/explain/index.ts';
import type { TraceModel } from '../../lib/trace/model.ts';
import type { SliceDetails } from './slice-info.ts';
import type { IntervalSet } from '../../lib/analysis/intervals.ts';
import { DETECTOR_NAMES, type DetectorName } from '../../lib/analysis/detectors/index.ts';
import { WORK_KINDS, detectorHitsOf, type PackedDetectors, type TrackAnalysis } from '../../lib/worker/analysis.ts';
import { COLOR_KEYS, DETECTOR_FAMILIES, keyOfWorkKind, laneKey, type ColorKey, type DetectorFamily } from './colors.ts';
import type { ComputedGroupSpec } from './layout.ts';
import { intervalLodOf } from './lod.ts';
import type { Ns, SliceId, TimeRange } from './units.ts';

export interface ComputedLane {
  label: string;
  intervals: IntervalSet;
  totalNs: Ns;
  colorKey: ColorKey;
}

export interface ComputedTrack extends ComputedGroupSpec {
  deviceKey: string;
  deviceLabel: string;
  lanes: ComputedLane[];
}

/** Computed tracks sit after the profiler's own overlap lanes, before counters. */
const COMPUTED_RANK = 4.5;

export function computedTracksOf(a: TrackAnalysis): ComputedTrack[] {
  return a.deviceLanes.map((dev) => {
    const lanes = dev.lanes.map((l): ComputedLane => {
      // The worker drew up the lane's LOD levels: no gap-closing pass over millions of intervals here.
      if (l.levels) intervalLodOf(l.intervals).adopt(l.levels);
      return { label: l.name, intervals: l.intervals, totalNs: l.totalNs, colorKey: laneKey(l.name) };
    });
    return {
      key: `computed:${dev.deviceKey}`,
      label: `${dev.deviceLabel} · Overlap Analysis (computed)`,
      rank: COMPUTED_RANK,
      laneLabels: lanes.map((l) => l.label),
      deviceKey: dev.deviceKey,
      deviceLabel: dev.deviceLabel,
      lanes,
    };
  });
}

/**
 * "Colour by blocks per SM": each slice's band (BLOCK_BANDS index, -1 for no
 * value), worked out the first time the slice is drawn and kept, so no pass
 * over the slices runs when the mode is chosen (only drawn slices are read).
 */
export function blocksPerSmBands(model: TraceModel): (id: SliceId) => number {
  const NOT_YET = -2;
  const band = new Int8Array(model.slices.length).fill(NOT_YET);
  return (id) => {
    let b = band[id];
    if (b === NOT_YET) band[id] = b = blocksPerSmBand(blocksPerSm(model, id));
    return b;
  };
}

/** COLOR_KEYS index per WORK_KINDS code (the slices' codes stay in the worker's array). */
export const WORK_KIND_COLOR: Int8Array = Int8Array.from(WORK_KINDS, (k) => {
  const key = keyOfWorkKind(k);
  return key ? COLOR_KEYS.indexOf(key) : -1;
});

export interface RangeOverlap {
  deviceLabel: string;
  computingNs: Ns;
  communicationNs: Ns;
  communicationNotOverlappedNs: Ns;
  freeNs: Ns;
  spanNs: Ns;
  overlapRatio: number | null;
}

/**
 * Overlap breakdown of every device over a range (the area selection), from
 * the computed lanes: Computing and Communication clipped to the range give
 * the same numbers as lib/analysis' overlapForDevice with that range.
 */
export function overlapInRange(tracks: readonly ComputedTrack[], range: TimeRange): RangeOverlap[] {
  return tracks.flatMap((t) => {
    const computing = t.lanes.find((l) => l.label === 'Computing');
    const communication = t.lanes.find((l) => l.label === 'Communication');
    if (!computing || !communication) return [];
    const r = overlapOf(t.deviceKey, computing.intervals, communication.intervals, range);
    return [
      {
        deviceLabel: t.deviceLabel,
        computingNs: r.computingNs,
        communicationNs: r.communicationNs,
        communicationNotOverlappedNs: r.communicationNotOverlappedNs,
        freeNs: r.freeNs,
        spanNs: r.spanNs,
        overlapRatio: r.overlapRatio,
      },
    ];
  });
}

export interface DetectorHit {
  detector: string;
  confidence: number;
  reason: string;
}

export interface DetectorIndex {
  /** The detectors matching one slice (looked up when a slice is selected). */
  hitsOf(id: SliceId): DetectorHit[];
  /** Family (index into DETECTOR_FAMILIES) per first-detector code: SliceColors maps each slice through it. */
  familyOfCode: Int8Array;
  /** Index into DETECTOR_NAMES of the first detector matching each slice, -1 for none (the worker's array). */
  firstDetector: Int8Array;
}

const FAMILY_OF_DETECTOR: Record<DetectorName, DetectorFamily> = {
  all_reduce: 'collective',
  reduce_scatter: 'collective',
  all_gather: 'collective',
  all_to_all: 'collective',
  broadcast: 'collective',
  send_recv: 'collective',
  attention: 'attention',
  paged_attention: 'attention',
  matmul: 'matmul',
  norm: 'norm',
  activation: 'activation',
  rope: 'position-kv',
  kv_cache_write: 'position-kv',
  moe: 'moe',
  event_wait: 'wait',
  sync: 'wait',
  launch_latency: 'wait',
};

/** The worker's detector matches as the widget reads them; null when the detectors failed. */
export function detectorIndexOf(packed: PackedDetectors): DetectorIndex | null {
  if (packed.failure || packed.detectors.length !== DETECTOR_NAMES.length) return null;
  return {
    hitsOf: (id) => detectorHitsOf(packed, id),
    familyOfCode: Int8Array.from(packed.detectors, (d) => DETECTOR_FAMILIES.indexOf(FAMILY_OF_DETECTOR[d.name] ?? 'wait')),
    firstDetector: packed.firstDetector,
  };
}

/**
 * "What is this?" for the selected slice, from the details the panel already has: the flows ending at
 * the slice give its launcher, so nothing walks every slice or flow on the main thread.
 */
export function explainSelected(model: TraceModel, details: SliceDetails): SliceExplanation {
  const flowSources = details.linked.filter((l) => l.direction === 'in').map((l) => ({ sliceId: l.sliceId, flowCat: l.flowCat }));
  return explainSlice(model, details.sliceId, { flowSources });
}
