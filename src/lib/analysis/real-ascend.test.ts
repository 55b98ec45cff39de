/**
 * The analysis on the two real Ascend ranks, against what the profiler itself
 * wrote: the "Overlap Analysis" lane (reference for the overlap categories;
 * its slices are not an input of ours), the HCCL Group thread, the hardware
 * task types, and kernel_details.csv (a separate output of the same run).
 */
import { describe, expect, it } from 'vitest';
import {
  ASCEND_RANKS,
  loadShared,
  names,
  nsOf,
  rawEvents,
  readSharedText,
  skipReason,
  tracesPresent,
} from './testing-real.ts';
import { listDevices } from './devices.ts';
import { overlapForDevice } from './overlap.ts';
import { runDetectors } from './detectors/index.ts';
import { analysisReport } from './report.ts';
import { findSteps } from './structure.ts';

if (!tracesPresent) console.warn(skipReason());

/** The lane as written: total ns per category, and its first start / last end. */
function laneReference(rel: string) {
  const ev = rawEvents(rel);
  const { process, thread } = names(ev);
  const totals = new Map<string, bigint>();
  let first: bigint | null = null;
  let last: bigint | null = null;
  for (const e of ev) {
    if (e.ph !== 'X' || process.get(String(e.pid)) !== 'Overlap Analysis') continue;
    const lane = thread.get(`${e.pid}:${e.tid}`) ?? String(e.name);
    const s = nsOf(e.ts);
    const end = s + nsOf(e.dur);
    totals.set(lane, (totals.get(lane) ?? 0n) + (end - s));
    if (first === null || s < first) first = s;
    if (last === null || end > last) last = end;
  }
  return { totals, spanNs: Number(last! - first!) };
}

const rel = (ours: number, ref: number) => Math.abs(ours - ref) / ref;

describe.skipIf(!tracesPresent)('Ascend train-2rank-level1: Overlap Analysis lane', () => {
  for (const { rank, file } of ASCEND_RANKS) {
    it(`rank ${rank}: every category within 0.1% of the profiler's lane, Free over the computing∪communication span`, async () => {
      const model = await loadShared(file);
      const devices = listDevices(model);
      expect(devices.map((d) => d.key)).toEqual([`npu:${rank}`]);
      const o = overlapForDevice(model, devices[0].key);
      const lane = laneReference(file);
      const ref = {
        Computing: Number(lane.totals.get('Computing')),
        Communication: Number(lane.totals.get('Communication')),
        'Communication(Not Overlapped)': Number(lane.totals.get('Communication(Not Overlapped)')),
        Free: Number(lane.totals.get('Free')),
      };
      const ours = {
        Computing: o.computingNs,
        Communication: o.communicationNs,
        'Communication(Not Overlapped)': o.communicationNotOverlappedNs,
        Free: o.freeNs,
      };
      const agreement = Object.fromEntries(
        Object.entries(ref).map(([k, v]) => [k, { lane_us: v / 1000, ours_us: ours[k as keyof typeof ours] / 1000, rel: rel(ours[k as keyof typeof ours], v) }]),
      );
      console.log(`rank ${rank} overlap vs lane`, JSON.stringify(agreement));
      for (const k of Object.keys(ref) as Array<keyof typeof ref>) expect(rel(ours[k], ref[k])).toBeLessThanOrEqual(0.001);
      // Insight's span: first to last computing/communication task, not the hardware span.
      expect(Math.abs(o.spanNs - lane.spanNs)).toBeLessThanOrEqual(2);
    });
  }
});

describe.skipIf(!tracesPresent)('Ascend train-2rank-level1: detectors against the raw trace and kernel_details.csv', () => {
  for (const { rank, file, dir } of ASCEND_RANKS) {
    it(`rank ${rank}: collectives are the hcom ops of the Group thread, once each`, async () => {
      const ev = rawEvents(file);
      const { process, thread } = names(ev);
      const hcom = ev.filter(
        (e) => e.ph === 'X' && process.get(String(e.pid)) === 'HCCL' && /^Group .*Communication/.test(thread.get(`${e.pid}:${e.tid}`) ?? ''),
      );
      const byType = (re: RegExp) => hcom.filter((e) => re.test(String(e.name))).length;
      const r = runDetectors(await loadShared(file));
      expect(r.all_reduce.count).toBe(byType(/^hcom_allReduce/i));
      expect(r.all_gather.count).toBe(byType(/^hcom_allGather/i));
      expect(r.reduce_scatter.count).toBe(byType(/^hcom_reduceScatter/i));
      expect(r.broadcast.count).toBe(byType(/^hcom_broadcast/i));
      expect(r.all_to_all.count).toBe(byType(/^hcom_all(to|2)all/i));
      expect(r.send_recv.count).toBe(byType(/^hcom_(send|receive|BatchSendRecv)/i));
      expect(r.all_reduce.count).toBeGreaterThan(0);
    });

    it(`rank ${rank}: event waits are the EVENT_WAIT / Notify Wait tasks (host calls linked by connection_id not counted again)`, async () => {
      const ev = rawEvents(file);
      const { process } = names(ev);
      const hw = ev.filter((e) => e.ph === 'X' && process.get(String(e.pid)) === 'Ascend Hardware');
      const waits = hw.filter((e) => /^(EVENT_WAIT_SQE|Notify Wait)$/.test(String(e.args?.['Task Type'])));
      const waitIds = new Set(waits.map((e) => String(e.args?.connection_id)));
      const hostOnly = ev.filter(
        (e) => e.ph === 'X' && /aclrtStreamWaitEvent$/.test(String(e.name)) && !waitIds.has(String(e.args?.connection_id)),
      );
      const r = runDetectors(await loadShared(file));
      expect(r.event_wait.count).toBe(waits.length + hostOnly.length);
    });

    it(`rank ${rank}: matmul and activation kernels match kernel_details.csv op types`, async () => {
      const csv = readSharedText(`${dir}/kernel_details.csv`).trim().split('\n');
      const header = csv[0].split(',');
      const typeCol = header.indexOf('Type');
      const types = csv.slice(1).map((l) => l.split(',')[typeCol]);
      const r = runDetectors(await loadShared(file));
      expect(r.matmul.count).toBe(types.filter((t) => /^(MatMul|BatchMatMul|GroupedMatmul)/.test(t)).length);
      expect(r.activation.count).toBe(types.filter((t) => /^(Relu|ReluGrad|Gelu|GeluGrad|Swiglu|SiLU|FastGelu)$/.test(t)).length);
    });

    it(`rank ${rank}: the profiler step and the report`, async () => {
      const ev = rawEvents(file);
      const stepNames = ev.filter((e) => e.ph === 'X' && /^ProfilerStep#\d+$/.test(String(e.name))).map((e) => e.name);
      const model = await loadShared(file);
      expect(findSteps(model).map((s) => s.name)).toEqual(stepNames);
      const report = analysisReport(model);
      expect(report.devices.map((d) => d.id)).toEqual([`npu:${rank}`]);
      const o = report.devices[0].overlap;
      // Computing + Communication(Not Overlapped) + Free tile the span.
      expect(Math.abs(o.computing_us + o.communication_not_overlapped_us + o.free_us - o.span_us)).toBeLessThan(1e-6);
      expect(report.steps[0].devices[0].id).toBe(`npu:${rank}`);
      expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    });
  }
});
