/**
 * Writes simulated records as torch_npu's `ASCEND_PROFILER_OUTPUT/trace_view.json`,
 * reproducing what the real files contain, as checked on the public msinsight
 * sample (Ascend/msinsight test/data/pytorch/text/level1, rank 0):
 *
 * - one JSON array on one line, Python `json.dumps` separators (", " / ": ");
 * - `ts` as strings of absolute µs with exactly three decimals, written from
 *   exact integer ns (never through a float of the ~1.7e15 µs value);
 * - per-lane key order: torch's Python events `ph, name, pid, tid, ts, dur,
 *   cat, args`; msprof events `name, pid, tid, ts, dur, args, ph`;
 * - process ids: Python = host pid; msprof processes = pid << 10 | sort << 5 |
 *   device, with their `process_sort_index` (CANN 7, Ascend Hardware 13,
 *   AI Core Freq 14, HCCL 15, HBM 17, Overlap Analysis 23);
 * - flows: `async_npu` torch_to_npu (id = the target's absolute start in ns,
 *   a JSON number), `async_task_queue` enqueue_to_dequeue (id = correlation id),
 *   `HostToDevice<id>` (string id; no `bp` on the start);
 * - event order: Python cpu_ops by end time, Enqueue/Dequeue with their flows,
 *   Python metadata, python_function frames; then msprof metadata and all
 *   msprof events by start time; then the async_npu flow pairs.
 *
 * Not written (present in real files, not modelled): LLC, NPU MEM, QoS,
 * Acc PMU and Stars Soc Info counters, `Call stack` args, fwdbwd flows.
 */

import type { OverlapLanes } from '../analysis/overlap.ts';
import { absoluteUs } from '../trace/time.ts';
import type { Ns } from './npu-model.ts';
import type { ArgList, FlowEnd, SimRecords } from './records.ts';

export interface TraceIdentity {
  /** Host process id (the Python process). */
  pid: number;
  /** Thread id of torch_npu's task-queue (dequeue) thread. */
  dequeueTid: number;
  deviceId: number;
  /** Absolute time of ns 0, decimal µs text with 3 decimals. */
  originUs: string;
}

const SORT = { cann: 7, hw: 13, freq: 14, hccl: 15, hbm: 17, overlap: 23 } as const;
const PLANES = 8;
const MODEL_ID = 4294967295;
const OVERLAP_NAMES = ['Computing', 'Communication', 'Communication(Not Overlapped)', 'Free'] as const;

export function msprofPid(pid: number, sortIndex: number, deviceId: number): number {
  return pid * 1024 + sortIndex * 32 + deviceId;
}

/** `dur` as torch/msprof print it: µs with up to 3 decimals (a float, so "5.0" not "5"). */
export function durText(ns: Ns): string {
  const n = Math.round(ns);
  if (n < 0) throw new RangeError(`negative duration ${ns} ns`);
  if (n === 0) return '0';
  const us = Math.floor(n / 1000);
  const frac = n % 1000;
  if (frac === 0) return `${us}.0`;
  return `${us}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** A Python float as `json.dumps` prints it (integral values keep ".0"). */
function pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

function value(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'float' in v) return pyFloat((v as { float: number }).float);
  return JSON.stringify(v);
}

function argsText(args: ArgList): string {
  return `{${args.map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`).join(', ')}}`;
}

/** Float-valued arg (written with ".0" when integral, as Python does). */
function f(x: number): { float: number } {
  return { float: x };
}

export function writeTraceView(rec: SimRecords, lanes: OverlapLanes, id: TraceIdentity): string {
  const ts = (ns: Ns): string => JSON.stringify(absoluteUs(id.originUs, ns));
  const P = id.pid;
  const pidOf = { cann: msprofPid(P, SORT.cann, id.deviceId), hw: msprofPid(P, SORT.hw, id.deviceId), hccl: msprofPid(P, SORT.hccl, id.deviceId), hbm: msprofPid(P, SORT.hbm, id.deviceId), freq: msprofPid(P, SORT.freq, id.deviceId), overlap: msprofPid(P, SORT.overlap, id.deviceId) };
  const hostTid = (t: 'main' | 'dequeue'): number => (t === 'main' ? P : id.dequeueTid);
  const endPid = (e: FlowEnd): number => (e.proc === 'python' ? P : e.proc === 'cann' ? pidOf.cann : e.proc === 'hw' ? pidOf.hw : pidOf.hccl);
  const endTid = (e: FlowEnd): number => (typeof e.thread === 'number' ? e.thread : hostTid(e.thread));
  const out: string[] = [];

  // --- Python process -------------------------------------------------------
  const pyX = (s: (typeof rec.py)[number]): string =>
    `{"ph": "X", "name": ${JSON.stringify(s.name)}, "pid": ${P}, "tid": ${hostTid(s.thread)}, "ts": ${ts(s.startNs)}, "dur": ${durText(s.durNs)}, "cat": "${s.cat}", "args": ${argsText(s.args)}}`;
  const torchFlow = (ph: 's' | 'f', name: string, idText: string, e: FlowEnd, cat: string): string =>
    `{"ph": "${ph}", "bp": "e", "name": "${name}", "id": ${idText}, "pid": ${endPid(e)}, "tid": ${endTid(e)}, "ts": ${ts(e.tsNs)}, "cat": "${cat}"}`;
  // profilers record an op when it ends: children before parents
  const byEnd = (a: { startNs: Ns; durNs: Ns }, b: { startNs: Ns; durNs: Ns }): number => a.startNs + a.durNs - (b.startNs + b.durNs) || b.startNs - a.startNs;
  for (const s of rec.py.filter((s) => s.cat === 'cpu_op').sort(byEnd)) out.push(pyX(s));
  const queueFlows = new Map(rec.flows.filter((fl) => fl.cat === 'async_task_queue').map((fl) => [fl.id, fl]));
  for (const cat of ['enqueue', 'dequeue'] as const) {
    for (const s of rec.py.filter((s) => s.cat === cat).sort((a, b) => a.startNs - b.startNs)) {
      out.push(pyX(s));
      const fl = queueFlows.get(String(s.args[0][1]));
      if (fl) out.push(torchFlow(cat === 'enqueue' ? 's' : 'f', 'enqueue_to_dequeue', fl.id, cat === 'enqueue' ? fl.from : fl.to, 'async_task_queue'));
    }
  }
  const pyMeta = (name: string, tid: number, args: string): string => `{"ph": "M", "name": "${name}", "pid": ${P}, "tid": ${tid}, "args": ${args}}`;
  out.push(pyMeta('process_name', 0, '{"name": "Python"}'), pyMeta('process_labels', 0, '{"labels": "CPU"}'), pyMeta('process_sort_index', 0, '{"sort_index": 0}'));
  for (const tid of [P, id.dequeueTid]) {
    out.push(pyMeta('thread_name', tid, `{"name": "Thread ${tid}"}`), pyMeta('thread_sort_index', tid, `{"sort_index": ${tid}}`));
  }
  for (const s of rec.py.filter((s) => s.cat === 'python_function').sort(byEnd)) out.push(pyX(s));

  // --- msprof processes: metadata ---------------------------------------------
  const meta = (name: string, pid: number, tid: number, args: string): string => `{"name": "${name}", "pid": ${pid}, "tid": ${tid}, "args": ${args}, "ph": "M"}`;
  const labels = (pid: number, label: string, sort: number): string[] => [meta('process_labels', pid, 0, `{"labels": "${label}"}`), meta('process_sort_index', pid, 0, `{"sort_index": ${sort}}`)];
  const streams = [...new Set(rec.hw.map((t) => t.streamId))].sort((a, b) => a - b);
  out.push(meta('process_name', pidOf.hw, 0, '{"name": "Ascend Hardware"}'));
  for (const s of streams) out.push(meta('thread_name', pidOf.hw, s, `{"name": "Stream ${s}"}`), meta('thread_sort_index', pidOf.hw, s, `{"sort_index": ${s}}`));
  out.push(...labels(pidOf.hw, 'NPU', SORT.hw));
  out.push(meta('process_name', pidOf.hbm, 0, '{"name": "HBM"}'), ...labels(pidOf.hbm, 'NPU', SORT.hbm));
  out.push(meta('process_name', pidOf.hccl, 0, '{"name": "HCCL"}'));
  out.push(meta('thread_name', pidOf.hccl, 0, '{"name": "Group 0 Communication"}'), meta('thread_sort_index', pidOf.hccl, 0, '{"sort_index": 0}'));
  for (let p = 0; p < PLANES; p++) out.push(meta('thread_name', pidOf.hccl, p + 1, `{"name": "Plane ${p}"}`));
  for (let p = 0; p < PLANES; p++) out.push(meta('thread_sort_index', pidOf.hccl, p + 1, `{"sort_index": ${p + 1}}`));
  out.push(...labels(pidOf.hccl, 'NPU', SORT.hccl));
  out.push(meta('process_name', pidOf.cann, 0, '{"name": "CANN"}'));
  for (const tid of [P, id.dequeueTid]) out.push(meta('thread_name', pidOf.cann, tid, `{"name": "Thread ${tid}"}`));
  for (const tid of [P, id.dequeueTid]) out.push(meta('thread_sort_index', pidOf.cann, tid, `{"sort_index": ${tid}}`));
  out.push(...labels(pidOf.cann, 'CPU', SORT.cann));
  out.push(meta('process_name', pidOf.overlap, 0, '{"name": "Overlap Analysis"}'));
  OVERLAP_NAMES.forEach((n, i) => out.push(meta('thread_name', pidOf.overlap, i, `{"name": "${n}"}`)));
  out.push(...labels(pidOf.overlap, 'NPU', SORT.overlap));
  out.push(meta('process_name', pidOf.freq, 0, '{"name": "AI Core Freq"}'), ...labels(pidOf.freq, 'NPU', SORT.freq));

  // --- msprof processes: events, by start time ----------------------------------
  const timed: { t: Ns; text: string }[] = [];
  const add = (t: Ns, text: string): void => {
    timed.push({ t, text });
  };
  const msX = (name: string, pid: number, tid: number, start: Ns, dur: Ns, args: ArgList | null): string =>
    `{"name": ${JSON.stringify(name)}, "pid": ${pid}, "tid": ${tid}, "ts": ${ts(start)}, "dur": ${durText(dur)}, ${args ? `"args": ${argsText(args)}, ` : ''}"ph": "X"}`;
  for (const c of rec.counters) {
    const pid = c.proc === 'hbm' ? pidOf.hbm : pidOf.freq;
    add(c.tsNs, `{"name": "${c.name}", "ts": ${ts(c.tsNs)}, "pid": ${pid}, "tid": 0, "args": {"${c.key}": ${c.proc === 'hbm' ? pyFloat(c.value) : c.value}}, "ph": "C"}`);
  }
  for (const c of rec.cann) {
    const tid = hostTid(c.thread);
    add(c.startNs, msX(c.name, pidOf.cann, tid, c.startNs, c.durNs, [['Thread Id', tid], ['Mode', c.mode], ['level', c.level], ['id', c.id], ['item_id', c.itemId], ['connection_id', c.connectionId]]));
  }
  for (const t of rec.hw) {
    add(t.startNs, msX(t.name, pidOf.hw, t.streamId, t.startNs, t.durNs, [
      ['Model Id', MODEL_ID], ['Task Type', t.taskType], ['Physic Stream Id', t.streamId], ['Task Id', t.taskId],
      ['Batch Id', 0], ['Subtask Id', t.subtaskId], ['connection_id', t.connectionId],
    ]));
  }
  for (const op of rec.hccl) {
    add(op.startNs, msX(op.name, pidOf.hccl, 0, op.startNs, op.durNs, [['connection_id', op.connectionId], ['model id', MODEL_ID], ['data_type', op.dataType], ['alg_type', op.algType], ['count', op.count]]));
    for (const pl of op.planes) {
      add(pl.startNs, msX(pl.type, pidOf.hccl, pl.plane + 1, pl.startNs, pl.durNs, [
        ['notify_id', pl.notifyId], ['duration estimated(us)', pl.estimatedUs], ['stream id', op.streamId], ['task id', op.taskId],
        ['context id', pl.contextId], ['task type', pl.type], ['src rank', 0], ['dst rank', pl.dstRank], ['transport type', pl.transport],
        ['size(Byte)', pl.sizeBytes], ['data type', pl.dataType], ['link type', pl.linkType],
        ['bandwidth(GB/s)', f(pl.durNs > 0 ? pl.sizeBytes / pl.durNs : 0)], ['model id', MODEL_ID],
      ]));
    }
  }
  const laneSets = [lanes.computing, lanes.communication, lanes.communicationNotOverlapped, lanes.free];
  laneSets.forEach((set, i) => {
    for (let k = 0; k < set.length; k += 2) add(set[k], msX(OVERLAP_NAMES[i], pidOf.overlap, i, set[k], set[k + 1] - set[k], null));
  });
  for (const fl of rec.flows) {
    if (fl.cat !== 'HostToDevice') continue;
    const name = JSON.stringify(`HostToDevice${fl.id}`);
    add(fl.from.tsNs, `{"name": ${name}, "ph": "s", "cat": "HostToDevice", "id": "${fl.id}", "pid": ${endPid(fl.from)}, "tid": ${endTid(fl.from)}, "ts": ${ts(fl.from.tsNs)}}`);
    add(fl.to.tsNs, `{"name": ${name}, "ph": "f", "id": "${fl.id}", "ts": ${ts(fl.to.tsNs)}, "cat": "HostToDevice", "pid": ${endPid(fl.to)}, "tid": ${endTid(fl.to)}, "bp": "e"}`);
  }
  // stable: same-time events keep their insertion order
  timed.sort((a, b) => a.t - b.t);
  for (const e of timed) out.push(e.text);

  // --- async_npu flows: torch op → device task, id = target start in absolute ns
  const npuFlows = rec.flows.filter((fl) => fl.cat === 'async_npu').sort((a, b) => a.from.tsNs - b.from.tsNs);
  for (const fl of npuFlows) {
    const idText = absoluteUs(id.originUs, fl.to.tsNs).replace('.', '');
    out.push(torchFlow('s', 'torch_to_npu', idText, fl.from, 'async_npu'), torchFlow('f', 'torch_to_npu', idText, fl.to, 'async_npu'));
  }
  return `[${out.join(', ')}]`;
}
