/**
 * The simulator's performance model: an Atlas 800T A2-class NPU seen as a
 * roofline (peak compute, HBM bandwidth, HCCS peer bandwidth) times stated
 * efficiency factors, plus the host-side dispatch latencies of torch_npu's
 * two-thread launch path. Every number here is a parameter of the simulated
 * sample and is copied verbatim into its manifest entry; the sources and the
 * reasoning are in ./README.md ("Roofline" and "Dispatch").
 *
 * Pure functions of their inputs: no randomness here (jitter is applied by the
 * scheduler), so tests can recompute any nominal duration independently.
 */

/** Integer nanoseconds. */
export type Ns = number;
/** Microseconds (may be fractional). */
export type Us = number;

export interface HardwareModel {
  name: string;
  /** Dense BF16/FP16 Cube peak, TFLOP/s. */
  cubeBf16Tflops: number;
  /** INT8 Cube peak, TOP/s. */
  cubeInt8Tops: number;
  /** HBM bandwidth, GB/s (1 GB = 1e9 B). */
  hbmGBps: number;
  /** Effective SDMA bandwidth to one peer over HCCS, GB/s, all peers concurrently. */
  hccsPeerGBps: number;
  /** Host→device PCIe copy bandwidth, GB/s. */
  pcieGBps: number;
  npusPerNode: number;
  /** AI Core clock reported on the "AI Core Freq" counter. */
  aiCoreMHz: number;
}

/**
 * Nominal figures (see README for sources and their spread). The HCCS figure
 * is an *effective* per-peer rate calibrated on the measured
 * `HCCS Bandwidth(GB/s)` (12.9–15.8) of the public msinsight sample trace.
 */
export const ATLAS_800T_A2: HardwareModel = {
  name: 'Atlas 800T A2-class NPU (Ascend 910B), simulated',
  cubeBf16Tflops: 320,
  cubeInt8Tops: 640,
  hbmGBps: 1200,
  hccsPeerGBps: 16,
  pcieGBps: 20,
  npusPerNode: 8,
  aiCoreMHz: 1800,
};

/** How a kernel uses the device; picks its peak and efficiency. */
export type ComputeUnit = 'cube-bf16' | 'cube-int8' | 'grouped-int8' | 'attention' | 'vector';

export interface Efficiency {
  /** Fraction of the Cube peak reached, per unit kind. */
  cube: Record<Exclude<ComputeUnit, 'vector'>, number>;
  /** Fraction of HBM bandwidth reached by streaming kernels. */
  hbm: number;
  /** Fixed per-kernel device overhead (task scheduling, pipeline fill), µs. */
  kernelOverheadUs: Us;
  /** Fixed cost of one collective phase (notify handshake across the mesh), µs. */
  collectivePhaseUs: Us;
  /** Fixed cost per collective on the device before data moves, µs. */
  collectiveStartUs: Us;
  /** Final completion handshake of a collective, µs. */
  collectiveEndUs: Us;
  /** Peers reach a collective up to this much later than the traced rank (uniform), µs. */
  peerSkewMaxUs: Us;
}

export const DEFAULT_EFFICIENCY: Efficiency = {
  cube: { 'cube-bf16': 0.6, 'cube-int8': 0.6, 'grouped-int8': 0.5, attention: 0.45 },
  hbm: 0.7,
  kernelOverheadUs: 3,
  collectivePhaseUs: 8,
  collectiveStartUs: 12,
  collectiveEndUs: 1.5,
  peerSkewMaxUs: 8,
};

/**
 * Host-side costs of torch_npu's launch path, µs, before `hostSlowdown`.
 * Medians measured on the public msinsight sample (rank 0): Enqueue 3.0,
 * `aclnn*` on the Python thread 10.5, `Dequeue@*` 17.7, `AscendCL@aclnn*` 11.1,
 * `Node@launch` 5.2, `aclrtMemcpy` 42.8, `record_event` 4.2.
 */
export interface DispatchModel {
  /** Python time in an `npu::`/`aten::` op before its `aclnn*` call. */
  pyPreUs: Us;
  /** The `aclnn*` slice on the Python thread (GetWorkspaceSize + Enqueue). */
  pyAclnnUs: Us;
  enqueueUs: Us;
  pyPostUs: Us;
  /** Python time between two ops (module code, tensor views). */
  pyGapUs: Us;
  /** Queue hand-off before the dequeue thread picks a task up. */
  queueLatencyUs: Us;
  /** `AscendCL@aclnn*` on the dequeue thread; `Node@launch` nests inside. */
  aclUs: Us;
  launchUs: Us;
  /** From the HostToDevice flow start to the earliest device start. */
  launchToDeviceUs: Us;
  /** Event record/wait API cost on the dequeue thread. */
  eventApiUs: Us;
  /** `AscendCL@hcom_*` on the dequeue thread (HCCL builds the task graph). */
  hcomLaunchUs: Us;
  memcpyApiUs: Us;
  /** Host work between forward passes (input preparation). */
  prepareInputsUs: Us;
  /** Host work after the forward pass (sampling, scheduling). */
  postStepUs: Us;
  /** Multiplies every host duration: >1 models a slow or contended host. */
  hostSlowdown: number;
}

export const DEFAULT_DISPATCH: DispatchModel = {
  pyPreUs: 6,
  pyAclnnUs: 10.5,
  enqueueUs: 3,
  pyPostUs: 3,
  pyGapUs: 8,
  queueLatencyUs: 5,
  aclUs: 11,
  launchUs: 5,
  launchToDeviceUs: 3,
  eventApiUs: 8,
  hcomLaunchUs: 250,
  memcpyApiUs: 40,
  prepareInputsUs: 400,
  postStepUs: 300,
  hostSlowdown: 1,
};

export function peakOpsPerNs(unit: ComputeUnit, hw: HardwareModel): number {
  switch (unit) {
    case 'cube-int8':
    case 'grouped-int8':
      return hw.cubeInt8Tops * 1e3; // 1 TOP/s = 1e3 op/ns
    case 'cube-bf16':
    case 'attention':
      return hw.cubeBf16Tflops * 1e3;
    case 'vector':
      return Infinity; // vector kernels are modelled as memory-bound only
  }
}

/**
 * Roofline duration of one kernel: the slower of compute and memory traffic,
 * plus a fixed overhead. Rounded to integer ns (the trace's resolution).
 */
export function kernelNominalNs(
  unit: ComputeUnit,
  flops: number,
  bytes: number,
  hw: HardwareModel,
  eff: Efficiency,
): Ns {
  const computeNs = unit === 'vector' ? 0 : flops / (peakOpsPerNs(unit, hw) * eff.cube[unit]);
  const memoryNs = bytes / (hw.hbmGBps * eff.hbm); // GB/s = B/ns
  return Math.round(Math.max(computeNs, memoryNs) + eff.kernelOverheadUs * 1000);
}

export type CollectiveKind = 'allReduce' | 'reduceScatter' | 'allGather' | 'alltoallv';

/**
 * Phases of a collective on a fully connected 8-NPU HCCS mesh, each moving a
 * chunk to every peer concurrently at `hccsPeerGBps`:
 * - allReduce = reduce-scatter + all-gather: 2 phases of S/P bytes per peer;
 * - reduceScatter (S = input bytes) and allGather (S = output bytes): 1 phase of S/P;
 * - alltoallv (S = this rank's send bytes): 1 phase of S/P per peer.
 */
export function collectivePhases(kind: CollectiveKind, bytes: number, ranks: number): { phase: 'reduce' | 'gather' | 'exchange'; bytesPerPeer: number }[] {
  const chunk = bytes / ranks;
  switch (kind) {
    case 'allReduce':
      return [
        { phase: 'reduce', bytesPerPeer: chunk },
        { phase: 'gather', bytesPerPeer: chunk },
      ];
    case 'reduceScatter':
      return [{ phase: 'reduce', bytesPerPeer: chunk }];
    case 'allGather':
      return [{ phase: 'gather', bytesPerPeer: chunk }];
    case 'alltoallv':
      return [{ phase: 'exchange', bytesPerPeer: chunk }];
  }
}

/** Nominal duration of a collective as the Group lane shows it, ns (peer skew excluded: its mean is peerSkewMaxUs / 2). */
export function collectiveNominalNs(kind: CollectiveKind, bytes: number, hw: HardwareModel, eff: Efficiency): Ns {
  let ns = (eff.collectiveStartUs + eff.collectiveEndUs) * 1000;
  for (const p of collectivePhases(kind, bytes, hw.npusPerNode)) {
    ns += eff.collectivePhaseUs * 1000 + p.bytesPerPeer / hw.hccsPeerGBps;
  }
  return Math.round(ns);
}
