/**
 * Two runs compared: what changed between a trace "before" (a) and one
 * "after" (b) an optimisation. Pure: the page, the worker and
 * `tracewise diff` share it.
 *
 * - steps: ProfilerStep/user steps matched by step number when both runs
 *   number them and share numbers, else in order; each with both durations
 *   (the step slice's duration, as `analyze` reports `steps[].dur_us`);
 * - devices: matched by key (`gpu:0` ↔ `gpu:0`), the rest paired in order;
 *   each with Insight's overlap categories and busy/idle with its causes;
 * - findings: every detector's count and time in both runs;
 * - kernels: device kernels grouped by normalised name (`kernel-groups.ts`),
 *   sorted by |Δ time|; the groups cover every kernel of each run;
 * - host: launch, sync and wait time (`host-time.ts`).
 *
 * Traces that share little still compare at the level they share; every
 * part that could not be matched is said in `notes` (a code for the page to
 * translate, and an English message for the CLI).
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { DETECTOR_NAMES, runDetectors, type DetectorName } from './detectors/index.ts';
import { listDevices } from './devices.ts';
import { gpuBusy, type BusyResult } from './gpu-busy.ts';
import { hostTimes, type HostTimes } from './host-time.ts';
import { kernelGroups } from './kernel-groups.ts';
import { overlapForDevice, type OverlapResult } from './overlap.ts';
import { findSteps, type Step } from './structure.ts';

export interface StepPair {
  a: Step;
  b: Step;
  aDurNs: Ns;
  bDurNs: Ns;
  deltaNs: Ns;
}

/** A device's overlap categories and GPU busy/idle (with its attribution), as overlapForDevice and gpuBusy give them. */
export type DeviceStats = Pick<OverlapResult, 'computingNs' | 'communicationNs' | 'communicationNotOverlappedNs' | 'freeNs' | 'spanNs' | 'overlapRatio'> &
  Pick<BusyResult, 'busyNs' | 'idleNs' | 'hostBoundNs' | 'syncNs' | 'queuedNs' | 'unknownNs'>;

export interface DevicePair {
  aKey: string | null;
  bKey: string | null;
  a: DeviceStats | null;
  b: DeviceStats | null;
}

export interface CountTime {
  count: number;
  totalNs: Ns;
}

export interface SideSlices extends CountTime {
  /** The matched slices of this run (for highlighting). */
  slices: SliceId[];
}

export interface FindingPair {
  name: DetectorName;
  a: SideSlices;
  b: SideSlices;
  delta: CountTime;
}

export interface KernelGroupPair {
  name: string;
  a: SideSlices;
  b: SideSlices;
  deltaNs: Ns;
}

export type DiffNoteCode =
  | 'formats-differ'
  | 'steps-missing'
  | 'steps-by-order'
  | 'steps-unmatched'
  | 'devices-missing'
  | 'devices-by-order'
  | 'devices-unmatched'
  | 'kernels-missing'
  | 'kernels-disjoint';

export interface DiffNote {
  code: DiffNoteCode;
  /** One English sentence (the CLI prints it; the page translates by code and `detail`). */
  message: string;
  /** What the sentence names: the run(s) missing something, counts, the pairs or leftovers, formats. */
  detail: { side?: 'a' | 'b' | 'both'; n?: number; aCount?: number; bCount?: number; list?: string; formats?: [string, string] };
}

const sideOf = (a: boolean, b: boolean): 'a' | 'b' | 'both' => (a && b ? 'both' : a ? 'a' : 'b');
const SIDE_TEXT = { both: 'neither run has', a: 'run A has no', b: 'run B has no' } as const;

export interface RunDiff {
  format: { a: string; b: string };
  stepMatch: 'number' | 'order' | 'none';
  steps: StepPair[];
  devices: DevicePair[];
  findings: FindingPair[];
  kernels: KernelGroupPair[];
  /** Every device kernel of each run: the kernel groups add up to these. */
  kernelTotals: { a: CountTime; b: CountTime };
  host: { a: HostTimes; b: HostTimes };
  notes: DiffNote[];
}

const durOf = (s: Step): Ns => s.endNs - s.startNs;

function pairSteps(a: Step[], b: Step[], notes: DiffNote[]): { match: RunDiff['stepMatch']; pairs: StepPair[] } {
  const pair = (x: Step, y: Step): StepPair => ({ a: x, b: y, aDurNs: durOf(x), bDurNs: durOf(y), deltaNs: durOf(y) - durOf(x) });
  if (!a.length || !b.length) {
    const side = sideOf(!a.length, !b.length);
    notes.push({ code: 'steps-missing', message: `steps not compared: ${SIDE_TEXT[side]} profiler or user steps`, detail: { side } });
    return { match: 'none', pairs: [] };
  }
  const numbered = (xs: Step[]) => xs.every((s) => s.number !== null) && new Set(xs.map((s) => s.number)).size === xs.length;
  if (numbered(a) && numbered(b)) {
    const byNumber = new Map(b.map((s) => [s.number, s]));
    const pairs = a.filter((s) => byNumber.has(s.number)).map((s) => pair(s, byNumber.get(s.number)!));
    if (pairs.length) {
      const left = a.length + b.length - 2 * pairs.length;
      if (left > 0) notes.push({ code: 'steps-unmatched', message: `${left} step(s) have no step of the same number in the other run`, detail: { n: left, aCount: a.length, bCount: b.length } });
      return { match: 'number', pairs };
    }
  }
  const n = Math.min(a.length, b.length);
  notes.push({ code: 'steps-by-order', message: 'steps matched in order (their numbers do not match)', detail: {} });
  if (a.length !== b.length) {
    const left = Math.abs(a.length - b.length);
    notes.push({ code: 'steps-unmatched', message: `run A has ${a.length} steps and run B ${b.length}: the last ${left} are not compared`, detail: { n: left, aCount: a.length, bCount: b.length } });
  }
  return { match: 'order', pairs: Array.from({ length: n }, (_, i) => pair(a[i], b[i])) };
}

function deviceStats(model: TraceModel, key: string): DeviceStats {
  const o = overlapForDevice(model, key);
  const g = gpuBusy(model, key);
  return {
    computingNs: o.computingNs,
    communicationNs: o.communicationNs,
    communicationNotOverlappedNs: o.communicationNotOverlappedNs,
    freeNs: o.freeNs,
    spanNs: o.spanNs,
    overlapRatio: o.overlapRatio,
    busyNs: g.busyNs,
    idleNs: g.idleNs,
    hostBoundNs: g.hostBoundNs,
    syncNs: g.syncNs,
    queuedNs: g.queuedNs,
    unknownNs: g.unknownNs,
  };
}

function pairDevices(a: TraceModel, b: TraceModel, notes: DiffNote[]): DevicePair[] {
  const ka = listDevices(a).map((d) => d.key);
  const kb = listDevices(b).map((d) => d.key);
  if (!ka.length || !kb.length) {
    const side = sideOf(!ka.length, !kb.length);
    notes.push({ code: 'devices-missing', message: `devices not compared: ${SIDE_TEXT[side]} GPU/NPU activity`, detail: { side } });
  }
  const pairs: Array<[string | null, string | null]> = ka.filter((k) => kb.includes(k)).map((k) => [k, k]);
  const restA = ka.filter((k) => !kb.includes(k));
  const restB = kb.filter((k) => !ka.includes(k));
  const n = Math.min(restA.length, restB.length);
  if (n > 0) {
    const list = restA.slice(0, n).map((k, i) => `${k} ↔ ${restB[i]}`).join(', ');
    notes.push({ code: 'devices-by-order', message: `devices with different ids paired in order: ${list}`, detail: { list } });
  }
  for (let i = 0; i < n; i++) pairs.push([restA[i], restB[i]]);
  const alone = [...restA.slice(n).map((k) => `${k} (A)`), ...restB.slice(n).map((k) => `${k} (B)`)];
  if (ka.length && kb.length && alone.length) {
    notes.push({ code: 'devices-unmatched', message: `no device to compare with: ${alone.join(', ')}`, detail: { list: alone.join(', ') } });
  }
  for (const k of restA.slice(n)) pairs.push([k, null]);
  for (const k of restB.slice(n)) pairs.push([null, k]);
  return pairs.map(([x, y]) => ({ aKey: x, bKey: y, a: x ? deviceStats(a, x) : null, b: y ? deviceStats(b, y) : null }));
}

const EMPTY_SIDE = (): SideSlices => ({ count: 0, totalNs: 0, slices: [] });

function pairKernels(a: TraceModel, b: TraceModel, notes: DiffNote[]) {
  const ga = kernelGroups(a);
  const gb = kernelGroups(b);
  const names = new Set([...ga.groups.keys(), ...gb.groups.keys()]);
  const kernels: KernelGroupPair[] = [];
  let shared = 0;
  for (const name of names) {
    const x = ga.groups.get(name);
    const y = gb.groups.get(name);
    if (x && y) shared++;
    const sa = x ? { count: x.count, totalNs: x.totalNs, slices: x.slices } : EMPTY_SIDE();
    const sb = y ? { count: y.count, totalNs: y.totalNs, slices: y.slices } : EMPTY_SIDE();
    kernels.push({ name, a: sa, b: sb, deltaNs: sb.totalNs - sa.totalNs });
  }
  kernels.sort((p, q) => Math.abs(q.deltaNs) - Math.abs(p.deltaNs) || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
  if (!ga.count || !gb.count) {
    const side = sideOf(!ga.count, !gb.count);
    notes.push({ code: 'kernels-missing', message: `kernels not compared: ${SIDE_TEXT[side]} device kernels`, detail: { side } });
  } else if (shared === 0) {
    notes.push({ code: 'kernels-disjoint', message: 'no kernel group appears in both runs: each side is listed alone', detail: {} });
  }
  return { kernels, kernelTotals: { a: { count: ga.count, totalNs: ga.totalNs }, b: { count: gb.count, totalNs: gb.totalNs } } };
}

export function diffRuns(a: TraceModel, b: TraceModel): RunDiff {
  const notes: DiffNote[] = [];
  if (a.format !== b.format) {
    notes.push({ code: 'formats-differ', message: `the runs are of different formats (${a.format} and ${b.format}): only what both record is compared`, detail: { formats: [a.format, b.format] } });
  }
  const { match, pairs } = pairSteps(findSteps(a), findSteps(b), notes);
  const devices = pairDevices(a, b, notes);
  const ra = runDetectors(a);
  const rb = runDetectors(b);
  const findings: FindingPair[] = DETECTOR_NAMES.map((name) => {
    const x = ra[name];
    const y = rb[name];
    return {
      name,
      a: { count: x.count, totalNs: x.totalNs, slices: x.slices },
      b: { count: y.count, totalNs: y.totalNs, slices: y.slices },
      delta: { count: y.count - x.count, totalNs: y.totalNs - x.totalNs },
    };
  });
  const { kernels, kernelTotals } = pairKernels(a, b, notes);
  return {
    format: { a: a.format, b: b.format },
    stepMatch: match,
    steps: pairs,
    devices,
    findings,
    kernels,
    kernelTotals,
    host: { a: hostTimes(a), b: hostTimes(b) },
    notes,
  };
}
