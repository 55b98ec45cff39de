/**
 * PyTorch profiler traces written by Kineto (`torch.profiler` →
 * `export_chrome_trace` / `tensorboard_trace_handler`), NVIDIA CUDA and AMD
 * ROCm alike. Producer: https://github.com/pytorch/kineto/blob/main/libkineto/src/output_json.cpp
 *
 * Honoured (on top of chrome-json.ts): the `process_labels` "GPU N" / "CPU"
 * that Kineto writes next to a process_name that is the Python executable for
 * every pid; device pids (0, 1, ...) with one track per CUDA/HIP stream (tid =
 * stream id; the 2021 format wrote tid as "stream 7"); the `ac2g` (launch →
 * kernel; 2021: `async`/"launch") and `fwdbwd` flows with `bp:"e"`; the
 * "Spans"/"Traces" pseudo-processes of the "PyTorch Profiler (0)" span.
 * Categories seen across versions: 2021 `Operator, Runtime, Kernel, Memcpy,
 * Memset, Trace`; today `cpu_op, user_annotation, cuda_runtime, cuda_driver,
 * kernel, gpu_memcpy, gpu_memset, gpu_user_annotation, cuda_sync, ac2g,
 * fwdbwd, python_function, cpu_instant_event, Trace`.
 * Ignored: `deviceProperties`, `distributedInfo`, `baseTimeNanoseconds` are
 * kept in metadata but not interpreted here (timestamps are already µs).
 */
import { gpuIndexOf, trackKindFor, type FormatEvidence, type ProcessClass, type ProcessFacts, type TraceImporter } from './importer.ts';

/** Categories only device activity has, 2021 and current spellings. */
const DEVICE_CATS = ['kernel', 'gpu_memcpy', 'gpu_memset', 'gpu_user_annotation', 'Kernel', 'Memcpy', 'Memset'];
/** Categories only host threads have. */
const HOST_CATS = ['cpu_op', 'user_annotation', 'cuda_runtime', 'cuda_driver', 'python_function', 'Operator', 'Runtime', 'privateuse1_runtime', 'privateuse1_driver'];
/** Categories that, together, only Kineto writes. */
const KINETO_CATS = new Set(['cpu_op', 'cuda_runtime', 'cuda_driver', 'ac2g', 'gpu_memcpy', 'gpu_memset', 'gpu_user_annotation', 'cuda_sync', 'python_function', 'Operator', 'Runtime', 'Kernel', 'Memcpy', 'Memset']);
const KINETO_ROOT_KEYS = ['schemaVersion', 'deviceProperties', 'distributedInfo', 'baseTimeNanoseconds', 'traceName'];

/** A reason string when the evidence says Kineto wrote the trace, else null. */
export function isKinetoTrace(e: FormatEvidence): string | null {
  const cats = e.cats.filter((c) => KINETO_CATS.has(c));
  const keys = e.rootKeys.filter((k) => KINETO_ROOT_KEYS.includes(k));
  if (cats.length >= 2 || (cats.length >= 1 && keys.length >= 1)) {
    const shown = cats.slice(0, 3).map((c) => `'${c}'`).join(', ');
    return `Kineto categories ${shown}${keys.length ? ` and top-level ${keys.slice(0, 2).join(', ')}` : ''}`;
  }
  return null;
}

export function classifyKinetoProcess(p: ProcessFacts): ProcessClass {
  const gpu = gpuIndexOf(p.label) ?? gpuIndexOf(p.name);
  if (gpu !== null) return { kind: 'gpu', device: gpu };
  if (DEVICE_CATS.some((c) => p.cats.has(c))) {
    const n = Number(p.pid);
    return { kind: 'gpu', device: Number.isInteger(n) && n >= 0 && n < 1024 ? n : -1 };
  }
  if (p.sliceTracks === 0 && p.counterTracks > 0) return { kind: 'counters', device: -1 };
  if (p.label === 'CPU' || HOST_CATS.some((c) => p.cats.has(c))) return { kind: 'host', device: -1 };
  // "Spans" / "Traces": the profiler's own bookkeeping lanes.
  return { kind: 'other', device: -1 };
}

export const kinetoImporter: TraceImporter = {
  format: 'kineto',
  title: 'PyTorch profiler (Kineto) trace',
  classifyProcess: classifyKinetoProcess,
  trackKind: trackKindFor,
};
