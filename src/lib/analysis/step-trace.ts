/**
 * The per-step breakdown Ascend users read every profile through: the columns
 * of `step_trace_time.csv` (JSON export) and of `analysis.db` StepTraceTime (db
 * export), as torch_npu's profiler writes them and msprof-analyze reads them.
 * Definitions, read in torch_npu's `TraceStepTimeParser` (prof_view/_trace_step_time_parser.py)
 * and `TraceStepTimeDbParser` (prof_db_parse/_trace_step_time_db_parser.py), and the step
 * range in `FwkCANNRelationParser.get_step_range` / the db `StepInfoDbParser`:
 *
 *   step range   ProfilerStep#N on the host gives the framework start; on the device the
 *                step runs from the first start to the last end of the tasks launched by
 *                host calls inside ProfilerStep#N, extended to ProfilerStep#N's end.
 *   tasks        computation (operator kernels) and communication (collectives) of the
 *                device whose start lies in [step start, step end).
 *   Computing    |∪ computation|
 *   Communication  |∪ communication|
 *   Communication(Not Overlapped)  |∪ communication − ∪ computation|
 *   Overlapped   Communication − Communication(Not Overlapped)
 *   Free         the gaps of (∪ computation ∪ ∪ communication) between its first start and last end
 *   Bubble       Σ durations of receive collectives (`hcom_receive*`; on GPUs NCCL recv kernels)
 *   Stage        (last end − first start of the step's tasks) − Bubble
 *   Communication(Not Overlapped and Exclude Receive)  Communication(Not Overlapped) − Bubble
 *   Preparing    first task start − ProfilerStep#N's start (with no steps: − the first host slice's start)
 *
 * Without any ProfilerStep the whole trace is one row with step null (as torch_npu does).
 * Where the terms apply to GPUs: computation = non-collective kernels, communication = NCCL/RCCL
 * and custom all-reduce kernels (activity.ts), Bubble = NCCL receive kernels.
 *
 * Difference from the vendor, on purpose: torch_npu takes the first computing task as the first task
 * and only lets an earlier collective replace it, so a step with no computation gets Preparing 0;
 * here the first task of either kind counts. Everything is integer ns (exact); the vendor's µs floats
 * differ from it in the last digits only.
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { memoize, nameOf } from './access.ts';
import { deviceActivity } from './activity.ts';
import { listDevices } from './devices.ts';
import { EMPTY, complement, subtract, totalNs, unionOfSorted, union, type IntervalSet } from './intervals.ts';
import { launchLinks } from './links.ts';
import { findSteps } from './structure.ts';

export interface StepTraceRow {
  deviceKey: string;
  /** "50" for ProfilerStep#50; null when the trace has no steps (the whole trace is one row). */
  step: string | null;
  /** The step's range on the device (see above). */
  startNs: Ns;
  endNs: Ns;
  computingNs: Ns;
  communicationNotOverlappedNs: Ns;
  overlappedNs: Ns;
  communicationNs: Ns;
  freeNs: Ns;
  stageNs: Ns;
  bubbleNs: Ns;
  communicationNotOverlappedExcludeReceiveNs: Ns;
  preparingNs: Ns;
}

/** The column titles of step_trace_time.csv, in its order, with the row field each one is. */
export const STEP_TRACE_COLUMNS = [
  ['Computing', 'computingNs'],
  ['Communication(Not Overlapped)', 'communicationNotOverlappedNs'],
  ['Overlapped', 'overlappedNs'],
  ['Communication', 'communicationNs'],
  ['Free', 'freeNs'],
  ['Stage', 'stageNs'],
  ['Bubble', 'bubbleNs'],
  ['Communication(Not Overlapped and Exclude Receive)', 'communicationNotOverlappedExcludeReceiveNs'],
  ['Preparing', 'preparingNs'],
] as const satisfies ReadonlyArray<readonly [string, keyof StepTraceRow]>;

/** Receive-only collectives: HCCL `hcom_receive_*`, NCCL recv kernels. */
const RECEIVE = /^hcom_receive|^nccl(Dev)?Kernel_Recv(?![a-z])/i;

export function isReceiveCollective(name: string): boolean {
  return RECEIVE.test(name);
}

interface HostStep {
  step: string | null;
  hostStartNs: Ns;
  hostEndNs: Ns;
}

/**
 * One row per device and step, devices in key order, steps in time order.
 * Memoized per model (key `stepTrace`): the trace worker computes it with its
 * analysis and primes the page's memo (src/lib/worker/analysis.ts), so the
 * upload page's table does not walk a big trace on the main thread.
 */
export function stepTraceTime(model: TraceModel): StepTraceRow[] {
  return memoize(model, 'stepTrace', () => computeStepTraceTime(model));
}

function computeStepTraceTime(model: TraceModel): StepTraceRow[] {
  const steps: HostStep[] = findSteps(model).map((s) => ({ step: s.number === null ? s.name : String(s.number), hostStartNs: s.startNs, hostEndNs: s.endNs }));
  const rows: StepTraceRow[] = [];
  const links = steps.length ? launchLinks(model) : null;
  for (const d of listDevices(model)) {
    const act = deviceActivity(model, d.key);
    const compute = act.slices.computation;
    const comm = act.slices.communication;
    if (!compute.length && !comm.length) continue;
    if (!steps.length) {
      rows.push(rowFor(model, d.key, null, -Infinity, Infinity, firstHostStartNs(model), byStart(model, compute), byStart(model, comm)));
      continue;
    }
    // Each launched device slice counts for the step its launch falls in: one pass, a binary search per slice.
    const first = new Float64Array(steps.length).fill(Infinity);
    const last = new Float64Array(steps.length).fill(-Infinity);
    const hostStarts = steps.map((s) => s.hostStartNs);
    for (const kind of ['computation', 'communication', 'memory', 'wait', 'other', 'comm-task'] as const) {
      for (const id of act.slices[kind]) {
        const l = links!.launcher[id];
        if (l < 0) continue;
        const at = model.slices.startNs[l];
        const i = lastAtOrBefore(hostStarts, at);
        if (i < 0 || at > steps[i].hostEndNs) continue;
        first[i] = Math.min(first[i], model.slices.startNs[id]);
        last[i] = Math.max(last[i], model.slices.startNs[id] + model.slices.durNs[id]);
      }
    }
    const computeByStart = byStart(model, compute);
    const commByStart = byStart(model, comm);
    steps.forEach((s, i) => {
      const startNs = first[i] === Infinity ? s.hostStartNs : first[i];
      const endNs = Math.max(last[i], s.hostEndNs);
      rows.push(rowFor(model, d.key, s.step, startNs, endNs, s.hostStartNs, computeByStart, commByStart));
    });
  }
  return rows;
}

function firstHostStartNs(model: TraceModel): Ns {
  const devTracks = new Set(listDevices(model).flatMap((d) => d.tracks));
  let first = Infinity;
  for (let t = 0; t < model.tracks.length; t++) {
    if (devTracks.has(t) || model.tracks.sliceEnd[t] === model.tracks.sliceStart[t]) continue;
    const kind = model.processes.kind[model.tracks.process[t]];
    if (kind !== 'host') continue;
    first = Math.min(first, model.slices.startNs[model.tracks.sliceStart[t]]);
  }
  return first === Infinity ? 0 : first;
}

/** Index of the last value ≤ x in ascending `sorted`, -1 when none. */
function lastAtOrBefore(sorted: readonly number[] | Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

interface ByStart {
  ids: SliceId[];
  starts: Float64Array;
  ends: Float64Array;
}

/** Slice ids ordered by start, with their starts and ends, so a step's range is two binary searches. */
function byStart(model: TraceModel, ids: readonly SliceId[]): ByStart {
  const { startNs, durNs } = model.slices;
  const sorted = ids.slice().sort((a, b) => startNs[a] - startNs[b]);
  const starts = new Float64Array(sorted.length);
  const ends = new Float64Array(sorted.length);
  for (let k = 0; k < sorted.length; k++) {
    starts[k] = startNs[sorted[k]];
    ends[k] = starts[k] + durNs[sorted[k]];
  }
  return { ids: sorted, starts, ends };
}

/** The slices of `all` starting in [fromNs, toNs): their union (already in start order: no sort) and their range in `all`. */
function intervalsStartingIn(all: ByStart, fromNs: Ns, toNs: Ns): { set: IntervalSet; from: number; to: number } {
  const from = lastAtOrBefore(all.starts, fromNs - 1) + 1; // first start ≥ fromNs (integer ns)
  const to = Math.max(from, lastAtOrBefore(all.starts, toNs - 1) + 1); // past the last start < toNs
  return { set: to > from ? unionOfSorted(all.starts, all.ends, from, to) : EMPTY, from, to };
}

function rowFor(model: TraceModel, deviceKey: string, step: string | null, startNs: Ns, endNs: Ns, frameworkStartNs: Ns, computeIds: ByStart, commIds: ByStart): StepTraceRow {
  const compute = intervalsStartingIn(computeIds, startNs, endNs);
  const comm = intervalsStartingIn(commIds, startNs, endNs);
  const active = union(compute.set, comm.set);
  const first = active.length ? active[0] : 0;
  const last = active.length ? active[active.length - 1] : 0;
  const computingNs = totalNs(compute.set);
  const communicationNs = totalNs(comm.set);
  const communicationNotOverlappedNs = totalNs(subtract(comm.set, compute.set));
  const freeNs = active.length ? totalNs(complement(active, first, last)) : 0;
  let bubbleNs = 0;
  for (let k = comm.from; k < comm.to; k++) {
    const id = commIds.ids[k];
    if (isReceiveCollective(nameOf(model, id))) bubbleNs += model.slices.durNs[id];
  }
  return {
    deviceKey,
    step,
    startNs: Number.isFinite(startNs) ? startNs : first,
    endNs: Number.isFinite(endNs) ? endNs : last,
    computingNs,
    communicationNotOverlappedNs,
    overlappedNs: communicationNs - communicationNotOverlappedNs,
    communicationNs,
    freeNs,
    stageNs: last - first - bubbleNs,
    bubbleNs,
    communicationNotOverlappedExcludeReceiveNs: communicationNotOverlappedNs - bubbleNs,
    preparingNs: active.length ? first - frameworkStartNs : 0,
  };
}
