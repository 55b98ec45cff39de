/**
 * Ascend torch_npu profiler `trace_view.json` (ASCEND_PROFILER_OUTPUT), as
 * written by torch_npu's profiler analysis and CANN msprof:
 * https://gitee.com/ascend/pytorch/tree/master/torch_npu/profiler/analysis and
 * msprof's TraceViewManager (format pid = host pid << 10 | layer << 5 | device).
 *
 * Honoured: the bare-array form; timestamps as strings of µs with 3 (or more)
 * decimals, read exactly ("1736408883688177.930"); processes by name: Python
 * and CANN (host threads), Ascend Hardware (one track per stream), HCCL
 * ("Group N Communication" and "Plane N" lanes), Overlap Analysis (the
 * profiler's own Computing / Communication / Communication(Not Overlapped) /
 * Free lanes), and counter processes (HBM, LLC, NPU MEM, AI Core Freq, QoS,
 * Acc PMU, Stars Soc Info ...: one track per counter name and series);
 * flows `async_npu` (torch op → device task), `HostToDevice` (CANN API →
 * device task; the start has no `bp`, it binds to its enclosing slice),
 * `async_task_queue` (enqueue → dequeue) and `fwdbwd`.
 * The device index of Ascend Hardware / HCCL processes is the format pid's low
 * 5 bits (31 means host).
 * Ignored: `args` fields are kept raw (Task Type, connection_id ... are read by
 * the analysis), `process_labels` "CPU"/"NPU" are kept as labels.
 */
import { trackKindFor, type FormatEvidence, type ProcessClass, type ProcessFacts, type TraceImporter } from './importer.ts';

const ASCEND_PROCESSES = ['Ascend Hardware', 'CANN', 'HCCL', 'Overlap Analysis', 'AscendCL'];
const ASCEND_CATS = ['async_npu', 'HostToDevice', 'async_task_queue'];

/** A reason string when the evidence says torch_npu wrote the trace, else null. */
export function isAscendTrace(e: FormatEvidence): string | null {
  const names = ASCEND_PROCESSES.filter((n) => e.processNames.includes(n));
  if (names.length > 0) return `torch_npu process names ${names.slice(0, 3).map((n) => `'${n}'`).join(', ')}`;
  const cats = ASCEND_CATS.filter((c) => e.cats.includes(c));
  if (cats.length > 0) return `torch_npu flow categories ${cats.map((c) => `'${c}'`).join(', ')}`;
  if (e.stringTimestamps && e.processLabels.includes('NPU')) return "string timestamps and a process labelled 'NPU'";
  return null;
}

/** Device index from an msprof format pid, -1 when the pid is not one. */
export function ascendDeviceOf(pid: string): number {
  const n = Number(pid);
  if (!Number.isSafeInteger(n) || n < 1024) return -1;
  const device = n % 32;
  return device === 31 ? -1 : device;
}

export function classifyAscendProcess(p: ProcessFacts): ProcessClass {
  switch (p.name) {
    case 'Python':
    case 'CANN':
    case 'AscendCL':
      return { kind: 'host', device: -1 };
    case 'Ascend Hardware':
      return { kind: 'npu', device: ascendDeviceOf(p.pid) };
    case 'HCCL':
      return { kind: 'comm', device: ascendDeviceOf(p.pid) };
    case 'Overlap Analysis':
      return { kind: 'overlap', device: ascendDeviceOf(p.pid) };
  }
  if (p.sliceTracks === 0 && p.counterTracks > 0) return { kind: 'counters', device: -1 };
  if (p.label === 'NPU' && p.sliceTracks > 0) return { kind: 'npu', device: ascendDeviceOf(p.pid) };
  if (p.sliceTracks > 0) return { kind: 'host', device: -1 };
  return { kind: 'other', device: -1 };
}

export const ascendImporter: TraceImporter = {
  format: 'ascend',
  title: 'Ascend torch_npu trace_view.json',
  classifyProcess: classifyAscendProcess,
  trackKind: trackKindFor,
};
