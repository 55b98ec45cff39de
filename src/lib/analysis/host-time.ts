/**
 * Where the host threads spent time on the device, for the run diff:
 *
 * - launch: host calls that launched device work (kernels, collectives,
 *   memcpy/memset), as `links.ts` finds them (flows, correlation ids);
 * - sync: host calls that block until the device catches up
 *   (`hostSyncSlices`: sync calls, blocking copies, scalar reads);
 * - wait: host calls that make a stream wait on an event
 *   (`cudaStreamWaitEvent`, `aclrtStreamWaitEvent`, …).
 *
 * Each time is the union of the calls' intervals over all host threads (a
 * sync call inside an `aten::item` counts once), so it is "time during which
 * some host thread was in such a call"; `count` is the number of calls.
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { memoize, nameOf } from './access.ts';
import { sliceKinds } from './activity.ts';
import { isHostWaitCall } from './detectors/event-wait.ts';
import { hostSyncSlices } from './detectors/sync.ts';
import { isHostTrack } from './devices.ts';
import { totalNs, unionOf } from './intervals.ts';
import { launchLinks } from './links.ts';

export interface HostCallTime {
  count: number;
  totalNs: Ns;
  slices: SliceId[];
}

export interface HostTimes {
  launch: HostCallTime;
  sync: HostCallTime;
  wait: HostCallTime;
}

function timeOf(model: TraceModel, slices: readonly SliceId[]): HostCallTime {
  const sorted = [...new Set(slices)].sort((a, b) => a - b);
  const start = model.slices.startNs;
  const dur = model.slices.durNs;
  const set = unionOf(
    sorted.map((s) => start[s]),
    sorted.map((s) => start[s] + dur[s]),
  );
  return { count: sorted.length, totalNs: totalNs(set), slices: sorted };
}

export function hostTimes(model: TraceModel): HostTimes {
  return memoize(model, 'hostTimes', () => {
    const kinds = sliceKinds(model);
    const { launcher } = launchLinks(model);
    const launches: SliceId[] = [];
    for (let s = 0; s < model.slices.length; s++) {
      const k = kinds[s];
      if ((k === 'computation' || k === 'communication' || k === 'memory') && launcher[s] >= 0) launches.push(launcher[s]);
    }
    const waits: SliceId[] = [];
    for (let t = 0; t < model.tracks.length; t++) {
      if (!isHostTrack(model, t)) continue;
      for (let s = model.tracks.sliceStart[t]; s < model.tracks.sliceEnd[t]; s++) if (isHostWaitCall(nameOf(model, s))) waits.push(s);
    }
    return { launch: timeOf(model, launches), sync: timeOf(model, hostSyncSlices(model)), wait: timeOf(model, waits) };
  });
}
