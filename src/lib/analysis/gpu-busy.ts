/**
 * Device busy vs idle, and why it was idle.
 *
 * busy = ∪ of kernels, collectives and memcpy/memset over all streams of the
 * device (HTA counts memory kernels as busy too); idle = the gaps of busy
 * inside [first busy start, last busy end]. Each gap is attributed by what was
 * going on at the host (the next device slice is the one starting where the
 * gap ends; its launch comes from flows or correlation ids):
 *
 * - queued: the next slice was launched before the gap began, so work was in
 *   the queue and the device waited on something else (an event, another
 *   stream, a peer);
 * - host-bound: the next launch came after the gap began — nothing was queued;
 *   the part of such a gap during which a host thread sat in a sync call
 *   (cudaStreamSynchronize ... / aten::item) counts as `sync`, the rest as
 *   `host`;
 * - unknown: the next slice has no launch link.
 *
 * Works for NPUs as well (same classification of device work).
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { deviceActivity } from './activity.ts';
import { hostSyncSlices } from './detectors/sync.ts';
import { complement, totalNs, totalNsWithin, unionOf, type IntervalSet } from './intervals.ts';
import { launchLinks } from './links.ts';

export type IdleCause = 'host' | 'queued' | 'unknown';

export interface IdleGap {
  startNs: Ns;
  endNs: Ns;
  cause: IdleCause;
  /** The device slice that ended the gap. */
  next: SliceId;
  /** Its launching host slice, -1 when unknown. */
  launch: SliceId;
  /** Part of the gap during which a host thread was in a sync call (host-bound gaps only). */
  syncNs: Ns;
}

export interface BusyResult {
  deviceKey: string;
  busy: IntervalSet;
  idle: IntervalSet;
  spanStartNs: Ns;
  spanEndNs: Ns;
  busyNs: Ns;
  idleNs: Ns;
  /** Host-bound idle time outside sync calls. */
  hostBoundNs: Ns;
  /** Host-bound idle time while the host was in a sync call. */
  syncNs: Ns;
  queuedNs: Ns;
  unknownNs: Ns;
  gaps: IdleGap[];
}

export function gpuBusy(model: TraceModel, deviceKey: string): BusyResult {
  const act = deviceActivity(model, deviceKey);
  const busy = act.busy;
  const spanStartNs = busy.length ? busy[0] : 0;
  const spanEndNs = busy.length ? busy[busy.length - 1] : 0;
  const idle = complement(busy, spanStartNs, spanEndNs);

  // Device work sorted by start, to find the slice(s) that end each gap.
  const work: SliceId[] = [...act.slices.computation, ...act.slices.communication, ...act.slices.memory];
  const start = model.slices.startNs;
  work.sort((a, b) => start[a] - start[b]);
  const { launcher } = launchLinks(model);

  const syncs = hostSyncSlices(model);
  const syncSet = unionOf(
    syncs.map((s) => start[s]),
    syncs.map((s) => start[s] + model.slices.durNs[s]),
  );

  const gaps: IdleGap[] = [];
  let hostBoundNs = 0;
  let syncNs = 0;
  let queuedNs = 0;
  let unknownNs = 0;
  let w = 0;
  for (let i = 0; i < idle.length; i += 2) {
    const g0 = idle[i];
    const g1 = idle[i + 1];
    while (w < work.length && start[work[w]] < g1) w++;
    // Among the slices starting exactly at g1, the earliest launch decides.
    let next = -1;
    let launch = -1;
    for (let k = w; k < work.length && start[work[k]] === g1; k++) {
      const h = launcher[work[k]];
      if (next < 0) next = work[k];
      if (h >= 0 && (launch < 0 || start[h] < start[launch])) {
        launch = h;
        next = work[k];
      }
    }
    const len = g1 - g0;
    let cause: IdleCause;
    let inSync = 0;
    if (launch < 0) {
      cause = 'unknown';
      unknownNs += len;
    } else if (start[launch] < g0) {
      cause = 'queued';
      queuedNs += len;
    } else {
      cause = 'host';
      inSync = totalNsWithin(syncSet, g0, g1);
      syncNs += inSync;
      hostBoundNs += len - inSync;
    }
    gaps.push({ startNs: g0, endNs: g1, cause, next, launch, syncNs: inSync });
  }

  return {
    deviceKey,
    busy,
    idle,
    spanStartNs,
    spanEndNs,
    busyNs: totalNs(busy),
    idleNs: totalNs(idle),
    hostBoundNs,
    syncNs,
    queuedNs,
    unknownNs,
    gaps,
  };
}
