/**
 * The part of lib/analysis the checkers use, behind one interface. Checkers
 * take it as a parameter so a test can pin a detector's answer (and test the
 * checker, not the heuristic), and so a page that already ran the analysis in
 * a worker can hand its results in. `defaultAnalysis` calls lib/analysis,
 * whose functions memoise per model.
 */
import { sliceKinds, type WorkKind } from '../analysis/activity.ts';
import { runDetectors, type DetectorResults } from '../analysis/detectors/index.ts';
import { listDevices, type Device } from '../analysis/devices.ts';
import { gpuBusy, type BusyResult } from '../analysis/gpu-busy.ts';
import { kernelGroups, type KernelGroups } from '../analysis/kernel-groups.ts';
import { hostContext, launchLinks, type Links } from '../analysis/links.ts';
import { overlapForDevice, type OverlapResult, type TimeRange } from '../analysis/overlap.ts';
import { findSteps, type Step } from '../analysis/structure.ts';
import type { SliceId, TraceModel } from '../trace/model.ts';

export interface Analysis {
  detectors(model: TraceModel): DetectorResults;
  steps(model: TraceModel): Step[];
  devices(model: TraceModel): Device[];
  overlap(model: TraceModel, deviceKey: string, range?: TimeRange): OverlapResult;
  busy(model: TraceModel, deviceKey: string): BusyResult;
  links(model: TraceModel): Links;
  /** Host scopes around a host slice, innermost first, the slice itself included. */
  hostContext(model: TraceModel, hostSlice: SliceId): SliceId[];
  sliceKinds(model: TraceModel): Array<WorkKind | null>;
  /** Device kernels by normalised name (what the run diff compares). */
  kernelGroups(model: TraceModel): KernelGroups;
}

export const defaultAnalysis: Analysis = {
  detectors: runDetectors,
  steps: findSteps,
  devices: listDevices,
  overlap: overlapForDevice,
  busy: gpuBusy,
  links: launchLinks,
  hostContext,
  sliceKinds,
  kernelGroups,
};
