/**
 * Blocks per SM: how much of a GPU one kernel launch can give work to.
 *
 * "GPU busy" (gpu-busy.ts) only says that some kernel was resident. A kernel
 * launched with a grid of 2 blocks runs on at most 2 of an H100's 132
 * streaming multiprocessors (SMs), whatever its duration: the GPU is busy and
 * mostly unused. Blocks per SM = grid size (x·y·z, Kineto's `grid` arg) ÷ the
 * device's SM count (Kineto's `deviceProperties[].numSms`, or
 * `multiProcessorCount`). Below 1 some SMs get no block at all; at 1 and above
 * every SM gets at least one (how many blocks fit on one SM at a time depends
 * on registers and shared memory, which traces do not record, so this is not
 * the achieved occupancy a profiler such as Nsight Compute measures).
 *
 * Blind spots: traces without `deviceProperties` (older Kineto, ROCm traces
 * without `numSms`), kernels without a `grid` arg (Ascend tasks, memcpy,
 * memset) give null; a persistent kernel that loops over work inside few
 * blocks (NCCL, some attention kernels) is reported by its grid, which is
 * what it occupies.
 */
import { argsText } from '../trace/args.ts';
import type { SliceId, TraceModel } from '../trace/model.ts';
import { memoize } from './access.ts';
import { deviceOfTrack } from './devices.ts';

export type Dim3 = [number, number, number];

export interface LaunchShape {
  grid: Dim3;
  block: Dim3 | null;
  /** SMs of the kernel's device; null when the trace does not say. */
  sms: number | null;
  /** grid.x·y·z ÷ sms; null without an SM count. */
  blocksPerSm: number | null;
}

/** SM count of each GPU id, from Kineto's `deviceProperties` (empty when absent). */
export function smsByDevice(model: TraceModel): Map<number, number> {
  return memoize(model, 'occupancy:sms', () => {
    const out = new Map<number, number>();
    const props = model.metadata.deviceProperties;
    if (Array.isArray(props)) {
      for (const p of props as Array<Record<string, unknown>>) {
        const id = Number(p?.id);
        const sms = Number(p?.numSms ?? p?.multiProcessorCount);
        if (Number.isInteger(id) && Number.isFinite(sms) && sms > 0) out.set(id, sms);
      }
    }
    return out;
  });
}

function triple(raw: string, key: string): Dim3 | null {
  const m = new RegExp(`"${key}"\\s*:\\s*\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]`).exec(raw);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Grid, block and blocks per SM of a GPU kernel; null for anything without a `grid` arg or off the GPUs. */
export function launchShape(model: TraceModel, id: SliceId): LaunchShape | null {
  const deviceKey = deviceOfTrack(model)[model.slices.track[id]];
  if (!deviceKey?.startsWith('gpu') || model.slices.args[id] < 0) return null;
  const raw = argsText(model.args, model.slices.args[id]);
  const grid = triple(raw, 'grid');
  if (!grid) return null;
  // The kernel's own `device` arg, else the device of its process.
  const dev = Number(/"device"\s*:\s*(\d+)/.exec(raw)?.[1] ?? deviceKey.split(':')[1]);
  const sms = smsByDevice(model).get(dev) ?? null;
  return { grid, block: triple(raw, 'block'), sms, blocksPerSm: sms ? (grid[0] * grid[1] * grid[2]) / sms : null };
}

/** Blocks per SM of a kernel, or null (no grid, or no SM count for its device). */
export function blocksPerSm(model: TraceModel, id: SliceId): number | null {
  return launchShape(model, id)?.blocksPerSm ?? null;
}

/**
 * Bands the timeline colours by (upper bounds, exclusive): under 1/16 of the
 * SMs get a block, under 1/4, under 1 (some SMs get none), and 1 or more
 * (every SM gets a block). `blocksPerSmBand` gives the band index, or -1.
 */
export const BLOCKS_PER_SM_BANDS = [1 / 16, 1 / 4, 1, Infinity] as const;

export function blocksPerSmBand(perSm: number | null): number {
  if (perSm === null || !Number.isFinite(perSm)) return -1;
  return BLOCKS_PER_SM_BANDS.findIndex((b) => perSm < b);
}
