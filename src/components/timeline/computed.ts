/**
 * Adapter from the analysis (src/lib/analysis) to what the widget draws:
 * computed tracks (overlap lanes per device, GPU busy), per-slice work kinds
 * for colours, and the overlap breakdown of a selected range. The widget only
 * touches the analysis through this file, so a change there is one edit here.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { listDevices } from '../../lib/analysis/devices.ts';
import { deviceActivity, sliceKinds } from '../../lib/analysis/activity.ts';
import { overlapForDevice, overlapTrack } from '../../lib/analysis/overlap.ts';
import { totalNs, type IntervalSet } from '../../lib/analysis/intervals.ts';
import { runDetectors } from '../../lib/analysis/detectors/index.ts';
import { DETECTOR_FAMILIES, laneKey, type ColorKey, type DetectorFamily } from './colors.ts';
import type { ComputedGroupSpec } from './layout.ts';
import type { Ns, SliceId, TimeRange } from './units.ts';

export interface ComputedLane {
  label: string;
  intervals: IntervalSet;
  totalNs: Ns;
  colorKey: ColorKey;
}

export interface ComputedTrack extends ComputedGroupSpec {
  deviceKey: string;
  lanes: ComputedLane[];
}

/** Computed tracks sit after the profiler's own overlap lanes, before counters. */
const COMPUTED_RANK = 4.5;

export function computeTracks(model: TraceModel): ComputedTrack[] {
  const out: ComputedTrack[] = [];
  for (const dev of listDevices(model)) {
    const lanes: ComputedLane[] = [];
    if (dev.kind === 'gpu') {
      const busy = deviceActivity(model, dev.key).busy;
      lanes.push({ label: 'GPU busy', intervals: busy, totalNs: totalNs(busy), colorKey: 'kernel' });
    }
    for (const lane of overlapTrack(model, dev.key).lanes) {
      lanes.push({ label: lane.name, intervals: lane.intervals, totalNs: lane.totalNs, colorKey: laneKey(lane.name) });
    }
    out.push({
      key: `computed:${dev.key}`,
      label: `${dev.label} · Overlap Analysis (computed)`,
      rank: COMPUTED_RANK,
      laneLabels: lanes.map((l) => l.label),
      deviceKey: dev.key,
      lanes,
    });
  }
  return out;
}

/** Device work kind of every slice (null off-device), for colouring. */
export function workKindsOf(model: TraceModel): ArrayLike<string | null> {
  return sliceKinds(model);
}

export interface RangeOverlap {
  deviceLabel: string;
  computingNs: Ns;
  communicationNs: Ns;
  communicationNotOverlappedNs: Ns;
  freeNs: Ns;
  spanNs: Ns;
  overlapRatio: number | null;
}

/** Overlap breakdown of every device over a range (the area selection). */
export function overlapInRange(model: TraceModel, range: TimeRange): RangeOverlap[] {
  return listDevices(model).map((dev) => {
    const r = overlapForDevice(model, dev.key, range);
    return {
      deviceLabel: dev.label,
      computingNs: r.computingNs,
      communicationNs: r.communicationNs,
      communicationNotOverlappedNs: r.communicationNotOverlappedNs,
      freeNs: r.freeNs,
      spanNs: r.spanNs,
      overlapRatio: r.overlapRatio,
    };
  });
}

export interface DetectorHit {
  detector: string;
  confidence: number;
  reason: string;
}

export interface DetectorIndex {
  bySlice: Map<SliceId, DetectorHit[]>;
  /** Family (index into DETECTOR_FAMILIES) of the first detector matching each slice, -1 for none. */
  familyOf: Int8Array;
}

const FAMILY_OF_DETECTOR: Record<string, DetectorFamily> = {
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

/** Every detector's matches, indexed by slice (computed once per model by the analysis). */
export function detectorIndex(model: TraceModel): DetectorIndex {
  const results = runDetectors(model);
  const bySlice = new Map<SliceId, DetectorHit[]>();
  const familyOf = new Int8Array(model.slices.length).fill(-1);
  for (const r of Object.values(results)) {
    const family = DETECTOR_FAMILIES.indexOf(FAMILY_OF_DETECTOR[r.name] ?? 'wait');
    r.slices.forEach((id, i) => {
      let hits = bySlice.get(id);
      if (!hits) bySlice.set(id, (hits = []));
      hits.push({ detector: r.name, confidence: r.confidence[i] ?? 1, reason: r.reasons[i] ?? r.reason });
      if (familyOf[id] < 0) familyOf[id] = family;
    });
  }
  return { bySlice, familyOf };
}
