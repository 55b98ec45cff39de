/**
 * Timed records produced by the simulation and consumed by the writer. Times
 * are integer ns from the trace origin; the writer turns them into torch_npu's
 * absolute µs text. Args are ordered `[key, value]` lists because the real
 * files have a fixed key order per lane and the writer reproduces it.
 */

import type { Ns } from './npu-model.ts';

export type ArgList = [string, unknown][];

/** A slice on the Python process (cpu_op, enqueue, dequeue, python_function). */
export interface PySlice {
  thread: 'main' | 'dequeue';
  name: string;
  cat: 'cpu_op' | 'enqueue' | 'dequeue' | 'python_function';
  startNs: Ns;
  durNs: Ns;
  args: ArgList;
}

/** A slice on the CANN process (AscendCL@…, Node@launch, Hccl@…). */
export interface CannSlice {
  thread: 'main' | 'dequeue';
  name: string;
  startNs: Ns;
  durNs: Ns;
  mode: string;
  level: string;
  id: string;
  itemId: string;
  connectionId: number;
}

/** A task on an Ascend Hardware stream. */
export interface HwTask {
  streamId: number;
  name: string;
  taskType: string;
  startNs: Ns;
  durNs: Ns;
  taskId: number;
  subtaskId: number;
  connectionId: number;
}

export type PlaneTaskType = 'Notify_Record' | 'Notify_Wait' | 'Memcpy' | 'Reduce_Inline';

/** One HCCL sub-task on a `Plane N` thread (mirrored on the hardware stream). */
export interface PlaneTask {
  plane: number;
  type: PlaneTaskType;
  startNs: Ns;
  durNs: Ns;
  contextId: number;
  notifyId: string;
  estimatedUs: number;
  dstRank: number;
  transport: 'SDMA' | 'LOCAL';
  sizeBytes: number;
  dataType: string;
  linkType: string;
}

/** An `hcom_*` op on the `Group N Communication` thread. */
export interface HcclOp {
  name: string;
  startNs: Ns;
  durNs: Ns;
  connectionId: number;
  dataType: string;
  algType: string;
  count: number;
  streamId: number;
  taskId: number;
  planes: PlaneTask[];
}

export type FlowCat = 'async_npu' | 'async_task_queue' | 'HostToDevice';
export type ProcRole = 'python' | 'cann' | 'hw' | 'hccl';

export interface FlowEnd {
  proc: ProcRole;
  /** Thread: 'main' | 'dequeue' for host processes, stream id / HCCL tid for device ones. */
  thread: 'main' | 'dequeue' | number;
  tsNs: Ns;
}

export interface FlowRec {
  cat: FlowCat;
  /** Decimal digits; `numeric` says whether the real file writes it as a JSON number. */
  id: string;
  numeric: boolean;
  from: FlowEnd;
  to: FlowEnd;
}

export interface CounterSample {
  proc: 'hbm' | 'freq';
  name: string;
  tsNs: Ns;
  key: string;
  value: number;
}

export interface SimRecords {
  py: PySlice[];
  cann: CannSlice[];
  hw: HwTask[];
  hccl: HcclOp[];
  flows: FlowRec[];
  counters: CounterSample[];
  /** Kernels with their HBM bytes, for the HBM counters. */
  traffic: { startNs: Ns; durNs: Ns; bytes: number }[];
}
