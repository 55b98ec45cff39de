/**
 * Event waits: a device stream waits for an event recorded on another stream
 * (or, for HCCL, for a peer's notify) before it may continue.
 *
 * Signals, each wait counted once:
 * - device side: Kineto `cuda_sync` "Stream Wait Event" events; Ascend
 *   hardware tasks of type `EVENT_WAIT_SQE` (name `EVENT_WAIT`) and HCCL
 *   `Notify Wait` tasks — 0.9.
 * - host side: `cudaStreamWaitEvent` / `hipStreamWaitEvent` /
 *   `aclrtStreamWaitEvent` calls whose device-side wait is not in the trace
 *   (no flow or correlation to one) — 0.6.
 *
 * The duration of a device-side wait is the time the stream sat blocked, so
 * `total_us` is the blocked time (waits on different streams may overlap).
 *
 * Blind spots: older Kineto versions record no device-side waits, so only the
 * (µs-long) host calls show up and the blocked time is unknown; implicit
 * dependencies (e.g. the default stream's legacy sync) are not events.
 */
import type { SliceId, TraceModel } from '../../trace/model.ts';
import { argString, catOf, nameOf, perString } from '../access.ts';
import { sliceKinds } from '../activity.ts';
import { isHostTrack } from '../devices.ts';
import { launchLinks } from '../links.ts';
import { MatchList, type DetectorResult } from './types.ts';

const HOST_WAIT_CALL = /^(cuda|hip)StreamWaitEvent$|^cuStreamWaitEvent|aclrtStreamWaitEvent/;

/** Host runtime calls that make a stream wait on an event (used by the run diff's host times too). */
export function isHostWaitCall(name: string): boolean {
  return HOST_WAIT_CALL.test(name);
}

export function detectEventWait(model: TraceModel): DetectorResult {
  const list = new MatchList();
  const kinds = sliceKinds(model);
  const links = launchLinks(model);
  const covered = new Set<SliceId>();
  for (let s = 0; s < model.slices.length; s++) {
    if (kinds[s] !== 'wait') continue;
    const n = nameOf(model, s);
    if (catOf(model, s) === 'cuda_sync' && !/Wait Event/i.test(n)) continue; // host syncs: `sync`
    const task = argString(model, s, 'Task Type');
    list.add(s, 0.9, task && task !== n ? `device wait \`${n}\` (${task})` : `device wait \`${n}\``);
    if (links.launcher[s] >= 0) covered.add(links.launcher[s]);
  }
  const hostWaitCall = perString(model, 'eventWait:hostWaitCall', isHostWaitCall);
  for (let t = 0; t < model.tracks.length; t++) {
    if (!isHostTrack(model, t)) continue;
    for (let s = model.tracks.sliceStart[t]; s < model.tracks.sliceEnd[t]; s++) {
      if (!hostWaitCall(model.slices.name[s]) || covered.has(s)) continue;
      const n = nameOf(model, s);
      list.add(s, 0.6, `host call \`${n}\` (its device-side wait is not in the trace)`);
    }
  }
  return list.result('event_wait', 'streams waiting on events / HCCL notifies, counted on the device when recorded there', model.slices.durNs);
}
