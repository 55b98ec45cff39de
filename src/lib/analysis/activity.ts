/**
 * Device activity: every slice on a device track sorted into what the device
 * was doing.
 *
 * - computation: GPU kernels that are not collectives; on Ascend the op tasks
 *   of the "Ascend Hardware" streams (task types AI_CORE, AI_VECTOR_CORE,
 *   MIX_AIC, MIX_AIV, AI_CPU, and DSA_SQE, the data-streaming engine that runs
 *   e.g. dropout mask generation). DSA_SQE is included because Ascend's own
 *   Overlap Analysis counts it as Computing (checked on the sample traces, and
 *   kernel_details.csv lists those tasks as operator kernels).
 * - communication: the collective as one interval. GPU: NCCL/RCCL kernels
 *   (`ncclDevKernel_*`, `ncclKernel_*`) and custom all-reduce kernels (vLLM's
 *   `cross_device_reduce_*`, `one_shot_all_reduce`, TRT-LLM/FlashInfer
 *   all-reduce fusions, DeepEP dispatch/combine). Ascend: the `hcom_*` ops on
 *   the HCCL "Group N Communication" threads.
 * - comm-task: pieces of a collective that the collective's interval already
 *   covers (Ascend HCCL "Plane" threads; Notify Record / Write Value / SDMA /
 *   RDMA / Reduce_Inline tasks that HCCL puts on hardware streams). Kept apart
 *   so communication is counted once.
 * - memory: memcpy/memset (Kineto gpu_memcpy/gpu_memset; Ascend MEMCPY_ASYNC on
 *   PCIE_DMA_SQE/SDMA_SQE tasks).
 * - wait: device-side waits (Kineto cuda_sync events on the device, Ascend
 *   EVENT_WAIT_SQE and HCCL "Notify Wait" tasks).
 * - annotation: gpu_user_annotation ranges (the CPU scope mirrored on a stream).
 * - other: runtime bookkeeping (EVENT_RECORD, PLACE_HOLDER, profiling markers).
 *
 * Blind spots: an unknown Ascend task type counts as 'other'; a GPU slice with
 * no category (hand-written chrome-json) counts as a kernel.
 */
import type { SliceId, TraceModel } from '../trace/model.ts';
import { argString, catOf, memoize, nameOf, trackName } from './access.ts';
import { deviceByKey, deviceOfTrack, effectiveProcessKind, listDevices, type Device } from './devices.ts';
import { sliceCoverage } from './coverage.ts';
import { unionAll, type IntervalSet } from './intervals.ts';

export type WorkKind =
  | 'computation'
  | 'communication'
  | 'comm-task'
  | 'memory'
  | 'wait'
  | 'annotation'
  | 'other';

/** Collective kernels on GPUs, by name. */
export const COMM_KERNEL_PATTERNS: readonly RegExp[] = [
  /nccl(Dev)?Kernel/i, // NCCL and RCCL (RCCL keeps NCCL's kernel names)
  /^rccl/i,
  /cross_device_reduce/, // vLLM custom all-reduce (1stage / 2stage)
  /one_?shot_?all_?reduce|two_?shot_?all_?reduce/i, // vLLM/SGLang/torch symm-mem all-reduce
  /custom_?all_?reduce/i,
  /allreduce_fusion|trtllm_?all_?reduce|lamport/i, // TRT-LLM / FlashInfer all-reduce fusion
  /multimem_all_reduce|multimem_all_gather/i,
  /deep_ep::.*(dispatch|combine)/i, // DeepEP all-to-all for MoE
  /quickreduce|quick_all_reduce/i, // ROCm quick all-reduce
];

/** Ascend hardware task types that are operator kernels (Overlap "Computing"). */
export const NPU_COMPUTE_TASK_TYPES: ReadonlySet<string> = new Set([
  'AI_CORE',
  'AI_VECTOR_CORE',
  'MIX_AIC',
  'MIX_AIV',
  'AI_CPU',
  'AICPU',
  'DSA_SQE',
  'FFTS_PLUS',
  'KERNEL_AICORE',
  'KERNEL_AIVEC',
  'KERNEL_AICPU',
  'KERNEL_MIX_AIC',
  'KERNEL_MIX_AIV',
]);

const NPU_WAIT_TASK = /^(EVENT_WAIT(_SQE)?|Notify[ _]?Wait|NOTIFY_WAIT(_SQE)?)$/i;
const NPU_MEMORY_TASK = /^(PCIE_DMA_SQE|SDMA_SQE|MEMCPY_ASYNC|MEMSET)/i;
const NPU_COMM_TASK = /^(Notify[ _]?Record|Write[ _]?Value|SDMA|RDMA|Reduce[ _]?Inline|Inline[ _]?Reduce|Memcpy|Reduce[ _]?TBE|LOCAL|Local[ _]?Copy)$/i;

export function isCommKernelName(name: string): boolean {
  return COMM_KERNEL_PATTERNS.some((re) => re.test(name));
}

function classifyGpuSlice(model: TraceModel, id: SliceId): WorkKind {
  const cat = catOf(model, id).toLowerCase();
  const name = nameOf(model, id);
  switch (cat) {
    case 'kernel':
      return isCommKernelName(name) ? 'communication' : 'computation';
    case 'gpu_memcpy':
    case 'memcpy':
    case 'gpu_memset':
    case 'memset':
      return 'memory';
    case 'cuda_sync':
      return 'wait';
    case 'gpu_user_annotation':
      return 'annotation';
    case '':
      if (/^Mem(cpy|set)\b/i.test(name)) return 'memory';
      return isCommKernelName(name) ? 'communication' : 'computation';
    default:
      // An unknown category on a GPU stream: judge by name like a kernel.
      if (/annotation/.test(cat)) return 'annotation';
      if (/^Mem(cpy|set)\b/i.test(name)) return 'memory';
      return isCommKernelName(name) ? 'communication' : 'computation';
  }
}

function classifyNpuStreamSlice(model: TraceModel, id: SliceId): WorkKind {
  const task = argString(model, id, 'Task Type');
  const name = nameOf(model, id);
  if (task !== null) {
    if (NPU_COMPUTE_TASK_TYPES.has(task)) return 'computation';
    if (NPU_WAIT_TASK.test(task)) return 'wait';
    if (NPU_MEMORY_TASK.test(task)) return 'memory';
    if (NPU_COMM_TASK.test(task)) return 'comm-task';
    return 'other';
  }
  // No task type (simulated or hand-written trace): judge by name.
  if (NPU_WAIT_TASK.test(name) || /^EVENT_WAIT/i.test(name)) return 'wait';
  if (/^(MEMCPY|MEMSET)/i.test(name)) return 'memory';
  if (NPU_COMM_TASK.test(name)) return 'comm-task';
  if (/^hcom_|^Hccl/i.test(name)) return 'communication';
  if (/^(EVENT_RECORD|PROFILING_|PLACE_HOLDER|STARS_)/i.test(name)) return 'other';
  return 'computation';
}

/** HCCL "Group N Communication" threads carry one slice per collective. */
export function isCommGroupTrackName(name: string): boolean {
  return /^Group\b.*Communication/i.test(name);
}

/** What the device was doing in slice `id` (null when not on a device track). */
export function classifyDeviceSlice(model: TraceModel, id: SliceId): WorkKind | null {
  return sliceKinds(model)[id] ?? null;
}

function classifyOnTrack(model: TraceModel, id: SliceId, pkind: string, tname: string): WorkKind {
  if (pkind === 'gpu') return classifyGpuSlice(model, id);
  if (pkind === 'comm') return isCommGroupTrackName(tname) ? 'communication' : 'comm-task';
  return classifyNpuStreamSlice(model, id);
}

/** Work kind of every slice (null for non-device slices), computed once per model. */
export function sliceKinds(model: TraceModel): Array<WorkKind | null> {
  return memoize(model, 'sliceKinds', () => {
    const out: Array<WorkKind | null> = new Array(model.slices.length).fill(null);
    // A GPU slice's kind depends on its category and name only: classified once per pair (names repeat).
    const byNameAndCat = new Map<number, WorkKind>();
    const cats = model.strings.length + 1;
    const gpuKind = (id: SliceId): WorkKind => {
      const key = model.slices.name[id] * cats + model.slices.cat[id] + 1;
      let k = byNameAndCat.get(key);
      if (k === undefined) byNameAndCat.set(key, (k = classifyGpuSlice(model, id)));
      return k;
    };
    for (const dev of listDevices(model)) {
      for (const t of dev.tracks) {
        const pkind = effectiveProcessKind(model, model.tracks.process[t]);
        const tname = trackName(model, t);
        const from = model.tracks.sliceStart[t];
        const to = model.tracks.sliceEnd[t];
        for (let id = from; id < to; id++) out[id] = pkind === 'gpu' ? gpuKind(id) : classifyOnTrack(model, id, pkind, tname);
      }
    }
    return out;
  });
}

/** The work kind of one slice without classifying the others (the page's card; O(tracks) once per model). */
export function workKindOf(model: TraceModel, id: SliceId): WorkKind | null {
  const t = model.slices.track[id];
  if (deviceOfTrack(model)[t] === undefined) return null;
  return classifyOnTrack(model, id, effectiveProcessKind(model, model.tracks.process[t]), trackName(model, t));
}

export interface DeviceActivity {
  device: Device;
  /** Slice ids of each kind on this device, in id order. */
  slices: Record<WorkKind, SliceId[]>;
  computation: IntervalSet;
  communication: IntervalSet;
  memory: IntervalSet;
  wait: IntervalSet;
  /** Computation ∪ communication ∪ memory: the device is executing something. */
  busy: IntervalSet;
}

export function deviceActivity(model: TraceModel, deviceKey: string): DeviceActivity {
  return memoize(model, `activity:${deviceKey}`, () => {
    const device = deviceByKey(model, deviceKey);
    if (!device) throw new Error(`no device ${deviceKey} in this trace`);
    const kinds = sliceKinds(model);
    const slices: Record<WorkKind, SliceId[]> = {
      computation: [],
      communication: [],
      'comm-task': [],
      memory: [],
      wait: [],
      annotation: [],
      other: [],
    };
    const tracks = device.tracks.slice().sort((a, b) => a - b);
    for (const t of tracks) {
      for (let id = model.tracks.sliceStart[t]; id < model.tracks.sliceEnd[t]; id++) {
        const k = kinds[id];
        if (k) slices[k].push(id);
      }
    }
    const computation = sliceCoverage(model, slices.computation);
    const communication = sliceCoverage(model, slices.communication);
    const memory = sliceCoverage(model, slices.memory);
    const wait = sliceCoverage(model, slices.wait);
    return {
      device,
      slices,
      computation,
      communication,
      memory,
      wait,
      busy: unionAll([computation, communication, memory]),
    };
  });
}
