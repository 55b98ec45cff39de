/**
 * Device side of the simulation: hardware streams as FIFO queues, scheduled
 * by a list scheduler in time order.
 *
 * Semantics (stated in README "Device model"):
 * - a task starts when it is at the head of its stream, its launch has reached
 *   the device (`readyNs`), and, for compute tasks, the AI Cores are free:
 *   compute kernels of different streams never run at the same time (each
 *   kernel is assumed to use all cores);
 * - EVENT_WAIT ends when its EVENT_RECORD has executed (cross-stream order);
 * - HCCL and DMA work does not use the AI Cores, so it overlaps compute.
 *
 * Always picking the head with the earliest feasible start keeps the schedule
 * causal: a head blocked on an unexecuted record cannot start before that
 * record ends, and the record is itself a head somewhere.
 */

import type { Ns } from './npu-model.ts';

export type DevTaskKind = 'kernel' | 'record' | 'wait' | 'memcpy' | 'hcom';

export interface DevTask {
  seq: number;
  streamId: number;
  kind: DevTaskKind;
  readyNs: Ns;
  durNs: Ns;
  usesCore: boolean;
  /** For `wait`: the record it waits for. */
  waitFor: DevTask | null;
  /** For `hcom`: lays out the sub-tasks from the start time and returns the end. */
  expand: ((startNs: Ns) => Ns) | null;
  /**
   * Never start at the same ns as another such task: torch_npu's async_npu
   * flow id is the target's start time, so equal starts would share an id.
   */
  uniqueStart: boolean;
  scheduled: boolean;
  startNs: Ns;
  endNs: Ns;
}

export interface DeviceSim {
  submit(t: Omit<DevTask, 'seq' | 'scheduled' | 'startNs' | 'endNs'>): DevTask;
  /** Schedule everything submitted so far. */
  drain(): void;
  /** End of the last scheduled task on a stream (0 when none). */
  streamIdleNs(streamId: number): Ns;
  tasks(): readonly DevTask[];
}

export function createDeviceSim(): DeviceSim {
  const all: DevTask[] = [];
  const queues = new Map<number, { items: DevTask[]; head: number }>();
  const streamFree = new Map<number, Ns>();
  let coreFree: Ns = 0;
  const usedStarts = new Set<Ns>();

  const earliest = (t: DevTask): Ns => {
    let est = Math.max(t.readyNs, streamFree.get(t.streamId) ?? 0);
    if (t.usesCore) est = Math.max(est, coreFree);
    return est;
  };

  const run = (t: DevTask, est: Ns): void => {
    let startNs = est;
    if (t.uniqueStart) {
      while (usedStarts.has(startNs)) startNs++;
      usedStarts.add(startNs);
    }
    t.startNs = startNs;
    if (t.kind === 'wait') {
      t.endNs = Math.max(startNs + t.durNs, t.waitFor ? t.waitFor.endNs : 0);
    } else if (t.kind === 'hcom' && t.expand) {
      t.endNs = t.expand(startNs);
    } else {
      t.endNs = startNs + t.durNs;
    }
    t.scheduled = true;
    streamFree.set(t.streamId, t.endNs);
    if (t.usesCore) coreFree = t.endNs;
  };

  return {
    submit(spec) {
      const t: DevTask = { ...spec, seq: all.length, scheduled: false, startNs: 0, endNs: 0 };
      all.push(t);
      let q = queues.get(t.streamId);
      if (!q) {
        q = { items: [], head: 0 };
        queues.set(t.streamId, q);
      }
      q.items.push(t);
      return t;
    },
    drain() {
      for (;;) {
        let best: DevTask | null = null;
        let bestEst = Infinity;
        for (const q of queues.values()) {
          const h = q.items[q.head];
          if (!h) continue;
          if (h.waitFor && !h.waitFor.scheduled) continue;
          const est = earliest(h);
          if (est < bestEst || (est === bestEst && best !== null && h.seq < best.seq)) {
            best = h;
            bestEst = est;
          }
        }
        if (!best) break;
        run(best, bestEst);
        queues.get(best.streamId)!.head++;
      }
      for (const q of queues.values()) {
        if (q.head < q.items.length) {
          throw new Error(`device simulation deadlock: stream ${q.items[q.head].streamId} waits on an event never recorded`);
        }
      }
    },
    streamIdleNs(streamId) {
      return streamFree.get(streamId) ?? 0;
    },
    tasks() {
      return all;
    },
  };
}
