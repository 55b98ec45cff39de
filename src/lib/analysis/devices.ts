/**
 * Which accelerators a trace shows, and which processes and tracks belong to
 * each. A device key is `gpu:N` or `npu:N`.
 *
 * - Kineto: each "GPU N" process (kind 'gpu', `device` N) is one device; its
 *   threads are CUDA/HIP streams (plus the "Device N" track of cuda_sync events).
 * - Ascend: the "Ascend Hardware" process (streams) and the "HCCL" process
 *   (Group N Communication threads and Plane threads) are one NPU. msprof packs
 *   the device id into the low 5 bits of those pids
 *   (pid = hostPid << 10 | sortIndex << 5 | deviceId), which we use when the
 *   loader left `device` at -1. The written "Overlap Analysis" process is not
 *   device work and is never part of a device.
 *
 * Process kinds come from the loader; a process it left as 'other' is still
 * recognised by its label ("GPU 3") or name ("Ascend Hardware", "HCCL"), so the
 * analysis also works on hand-written chrome-json traces.
 */
import type { ProcessId, ProcessKind, TrackId, TraceModel } from '../trace/model.ts';
import { memoize, processLabel, processName } from './access.ts';

export type DeviceKind = 'gpu' | 'npu';

export interface Device {
  key: string;
  kind: DeviceKind;
  index: number;
  label: string;
  processes: ProcessId[];
  tracks: TrackId[];
}

/** The process kind, recognising common names when the loader could not. */
export function effectiveProcessKind(model: TraceModel, p: ProcessId): ProcessKind {
  const k = model.processes.kind[p];
  if (k !== 'other') return k;
  const name = processName(model, p);
  const label = processLabel(model, p);
  if (/^GPU\s*\d+/i.test(label) || /^GPU\s*\d+/i.test(name)) return 'gpu';
  if (/^Ascend Hardware$/i.test(name)) return 'npu';
  if (/^HCCL$/i.test(name)) return 'comm';
  if (/^Overlap Analysis$/i.test(name)) return 'overlap';
  return k;
}

function deviceIndex(model: TraceModel, p: ProcessId): number {
  const d = model.processes.device[p];
  if (d >= 0) return d;
  const m = /(?:GPU|NPU|Device)\s*(\d+)/i.exec(processLabel(model, p) || processName(model, p));
  if (m) return Number(m[1]);
  const pid = Number(model.processes.pid[p]);
  // msprof device pids: hostPid << 10 | sortIndex << 5 | deviceId.
  if (model.format === 'ascend' && Number.isSafeInteger(pid) && pid >= 1024) return pid & 31;
  return 0;
}

/** Devices with at least one slice, ordered by kind then index. */
export function listDevices(model: TraceModel): Device[] {
  return memoize(model, 'devices', () => {
    const byKey = new Map<string, Device>();
    for (let p = 0; p < model.processes.length; p++) {
      const kind = effectiveProcessKind(model, p);
      if (kind !== 'gpu' && kind !== 'npu' && kind !== 'comm') continue;
      const dkind: DeviceKind = kind === 'gpu' ? 'gpu' : 'npu';
      const index = deviceIndex(model, p);
      const key = `${dkind}:${index}`;
      let dev = byKey.get(key);
      if (!dev) {
        dev = { key, kind: dkind, index, label: `${dkind.toUpperCase()} ${index}`, processes: [], tracks: [] };
        byKey.set(key, dev);
      }
      dev.processes.push(p);
    }
    for (let t = 0; t < model.tracks.length; t++) {
      const p = model.tracks.process[t];
      for (const dev of byKey.values()) if (dev.processes.includes(p)) dev.tracks.push(t);
    }
    const out = [...byKey.values()].filter((d) =>
      d.tracks.some((t) => model.tracks.sliceEnd[t] > model.tracks.sliceStart[t]),
    );
    out.sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind < b.kind ? -1 : 1));
    return out;
  });
}

export function deviceByKey(model: TraceModel, key: string): Device | undefined {
  return listDevices(model).find((d) => d.key === key);
}

/** Device key of every track (undefined for host and other tracks). */
export function deviceOfTrack(model: TraceModel): Array<string | undefined> {
  return memoize(model, 'deviceOfTrack', () => {
    const out: Array<string | undefined> = new Array(model.tracks.length).fill(undefined);
    for (const d of listDevices(model)) for (const t of d.tracks) out[t] = d.key;
    return out;
  });
}

/** Whether the track belongs to a host (CPU) process. */
export function isHostTrack(model: TraceModel, t: TrackId): boolean {
  return effectiveProcessKind(model, model.tracks.process[t]) === 'host';
}
