/**
 * Runs the host program of each step through torch_npu's launch path and the
 * device streams, producing timed records for every lane of a torch_npu trace.
 *
 * Host model (README "Dispatch"): the Python thread runs each op (`npu::…` →
 * `aclnn…` → `Enqueue`); a second thread dequeues it (`Dequeue@…`) and calls
 * CANN (`AscendCL@…` → `Node@launch`), which sends the task to the device.
 * A blocking read (`aten::item`, `aten::to(cpu)`) waits until the queue is
 * drained and the stream has finished, which is what stalls a host-bound step.
 */

import { createDeviceSim } from './device-sim.ts';
import type { DevTask } from './device-sim.ts';
import { layoutCollective } from './hccl-layout.ts';
import type { CollectiveLayout } from './hccl-layout.ts';
import { collectiveNominalNs, kernelNominalNs } from './npu-model.ts';
import type { DispatchModel, Efficiency, HardwareModel, Ns } from './npu-model.ts';
import { createRng } from './prng.ts';
import type { ArgList, CannSlice, FlowEnd, FlowRec, HcclOp, HwTask, PySlice, SimRecords } from './records.ts';
import { stepProgram } from './workload.ts';
import type { CollectiveOp, KernelOp, Layout, ModelShape, ProgramItem, StreamRole, WorkloadSpec } from './workload.ts';

export interface SimParams {
  hw: HardwareModel;
  eff: Efficiency;
  dispatch: DispatchModel;
  shape: ModelShape;
  layout: Layout;
  workload: WorkloadSpec;
  steps: number;
  seed: number;
  /** Relative jitter (uniform ±) of host durations and device kernel durations. */
  jitter: { host: number; device: number };
  /** Hardware stream ids (the `Stream N` lanes). */
  streams: Record<StreamRole, number>;
  /** First `ProfilerStep#N` number. */
  firstStep: number;
}

const NONE = 4294967295;
const SEQ_FWD: ArgList = [['Sequence number', -1], ['Fwd thread id', 0]];
const GROUP_SUFFIX = '423';

const COLLECTIVE_NAMES = {
  allReduce: { c10d: 'c10d::allreduce_', record: 'HcclAllreduce', cmd: 'HcclAllreduce', hcom: 'hcom_allReduce_', alg: 'MESH-RING' },
  reduceScatter: { c10d: 'c10d::_reduce_scatter_base_', record: 'HcclReduceScatterBase', cmd: 'HcclReduceScatter', hcom: 'hcom_reduceScatter_', alg: 'MESH' },
  allGather: { c10d: 'c10d::_allgather_base_', record: 'HcclAllgatherBase', cmd: 'HcclAllGather', hcom: 'hcom_allGather_', alg: 'MESH' },
  alltoallv: { c10d: 'c10d::alltoall_base_', record: 'HcclAlltoAllV', cmd: 'HcclAlltoAllV', hcom: 'hcom_alltoallv_', alg: 'MESH' },
} as const;

/** What the writer needs about a device task once it has been scheduled. */
interface TaskMeta {
  task: DevTask;
  name: string;
  taskType: string;
  taskId: number;
  subtaskId: number;
  connectionId: number;
  bytes: number;
  /** Python-side start of the async_npu flow, or null. */
  asyncFrom: FlowEnd | null;
  /** CANN-side start of the HostToDevice flow and its id, or null. */
  h2d: { from: FlowEnd; id: string } | null;
  hcom: { name: string; coll: CollectiveOp; layout: CollectiveLayout | null } | null;
}

export function simulate(p: SimParams): SimRecords {
  const rng = createRng(p.seed);
  const d = p.dispatch;
  const dev = createDeviceSim();
  const rec: SimRecords = { py: [], cann: [], hw: [], hccl: [], flows: [], counters: [], traffic: [] };
  const metas: TaskMeta[] = [];

  // host durations: jittered, slowed down, rounded to the 10 ns of torch's host clock
  const H = (us: number): Ns => Math.max(10, Math.round((rng.jitter(us, p.jitter.host) * d.hostSlowdown * 1000) / 10) * 10);
  let tPy: Ns = 0;
  let tDq: Ns = 0;
  let corr = 81423;
  let conn = 23510;
  let pyId = 2000;
  let hcomSeq = 0;
  const taskIds = new Map<number, number>([[p.streams.main, 20411], [p.streams.second, 311], [p.streams.comm, 806]]);
  const nextTaskId = (stream: number): number => {
    const id = taskIds.get(stream) ?? 1;
    taskIds.set(stream, (id + 1) % 65536);
    return id;
  };

  const py = (thread: PySlice['thread'], name: string, cat: PySlice['cat'], startNs: Ns, durNs: Ns, args: ArgList): void => {
    rec.py.push({ thread, name, cat, startNs, durNs, args });
  };
  const cann = (thread: CannSlice['thread'], name: string, startNs: Ns, durNs: Ns, mode: string, level: string, id: string, itemId: string): number => {
    const c = conn++;
    rec.cann.push({ thread, name, startNs, durNs, mode, level, id, itemId, connectionId: c });
    return c;
  };

  /** `Enqueue` at `startNs` on the Python thread; returns its correlation id and end. */
  interface Queued {
    corr: number;
    endNs: Ns;
    flow: FlowRec;
  }
  const enqueue = (startNs: Ns, maxDur: Ns): Queued => {
    const c = corr++;
    const dur = Math.min(H(d.enqueueUs), maxDur);
    py('main', 'Enqueue', 'enqueue', startNs, dur, [['correlation_id', c]]);
    const flow: FlowRec = { cat: 'async_task_queue', id: String(c), numeric: true, from: { proc: 'python', thread: 'main', tsNs: startNs }, to: { proc: 'python', thread: 'dequeue', tsNs: 0 } };
    rec.flows.push(flow);
    return { corr: c, endNs: startNs + dur, flow };
  };
  /** The dequeue thread picks up a queued task; `body` emits the CANN calls from a start time and returns their end. */
  const dequeue = (q: Queued, label: string, body: (startNs: Ns) => Ns): void => {
    // the task becomes visible to the dequeue thread when Enqueue finishes
    const start = Math.max(tDq, q.endNs + H(d.queueLatencyUs));
    const bodyEnd = body(start + H(1.5));
    const end = bodyEnd + H(1.5);
    py('dequeue', `Dequeue@${label}`, 'dequeue', start, end - start, [['correlation_id', q.corr]]);
    q.flow.to.tsNs = start;
    tDq = end;
  };

  const emitKernel = (k: KernelOp): void => {
    const t0 = tPy;
    const pre = H(d.pyPreUs);
    const acl = H(d.pyAclnnUs);
    const aclStart = t0 + pre;
    const enq = enqueue(aclStart + Math.round(acl * 0.15 / 10) * 10, Math.round(acl * 0.75));
    py('main', k.api, 'cpu_op', aclStart, acl, SEQ_FWD);
    const end = aclStart + acl + H(d.pyPostUs);
    py('main', k.pyOp, 'cpu_op', t0, end - t0, [...SEQ_FWD, ['Input Dims', k.inputDims], ['Input type', k.inputTypes]]);
    let ready = 0;
    let h2dTs = 0;
    let nodeConn = 0;
    dequeue(enq, k.api, (s) => {
      const aDur = H(d.aclUs);
      const lDur = Math.min(H(d.launchUs), Math.round(aDur * 0.7));
      const l0 = s + Math.round(aDur * 0.2 / 10) * 10;
      cann('dequeue', `AscendCL@${k.api}`, s, aDur, 'ACL_NN', 'acl', k.api, '0');
      nodeConn = cann('dequeue', 'Node@launch', l0, lDur, 'launch', 'node', '0', k.kernel);
      h2dTs = l0 + Math.round(lDur * 0.5 / 10) * 10;
      ready = h2dTs + d.launchToDeviceUs * 1000;
      return s + aDur;
    });
    const streamId = p.streams[k.stream];
    const task = dev.submit({
      streamId, kind: 'kernel', readyNs: ready, usesCore: true, waitFor: null, expand: null, uniqueStart: true,
      durNs: Math.round(rng.jitter(kernelNominalNs(k.unit, k.flops, k.bytes, p.hw, p.eff), p.jitter.device)),
    });
    const taskId = nextTaskId(streamId);
    const subtaskId = k.taskType.startsWith('MIX') ? 0 : NONE;
    metas.push({
      task, name: k.kernel, taskType: k.taskType, taskId, subtaskId, connectionId: nodeConn, bytes: k.bytes,
      asyncFrom: { proc: 'python', thread: 'main', tsNs: aclStart },
      h2d: { from: { proc: 'cann', thread: 'dequeue', tsNs: h2dTs }, id: hostToDeviceId(streamId, taskId, subtaskId) },
      hcom: null,
    });
    tPy = end + H(d.pyGapUs);
  };

  /** `record_event` / `wait_event` on the Python thread and its device task. */
  const emitEvent = (kind: 'record' | 'wait', streamId: number, waitFor: DevTask | null): DevTask => {
    const t0 = tPy;
    const dur = H(4);
    py('main', kind === 'record' ? 'record_event' : 'wait_event', 'cpu_op', t0, dur, SEQ_FWD);
    const enq = enqueue(t0 + Math.round(dur * 0.3 / 10) * 10, Math.round(dur * 0.6));
    let ready = 0;
    let c = 0;
    const api = kind === 'record' ? 'aclrtRecordEvent' : 'aclrtStreamWaitEvent';
    dequeue(enq, kind === 'record' ? 'record_event' : 'wait_event', (s) => {
      const aDur = H(d.eventApiUs);
      c = cann('dequeue', `AscendCL@${api}`, s, aDur, 'ACL_RTS', 'acl', api, '0');
      ready = s + aDur + d.launchToDeviceUs * 1000;
      return s + aDur;
    });
    const task = dev.submit({ streamId, kind, readyNs: ready, durNs: 20, usesCore: false, waitFor, expand: null, uniqueStart: false });
    metas.push({
      task, name: kind === 'record' ? 'EVENT_RECORD' : 'EVENT_WAIT', taskType: kind === 'record' ? 'EVENT_RECORD_SQE' : 'EVENT_WAIT_SQE',
      taskId: nextTaskId(streamId), subtaskId: NONE, connectionId: c, bytes: 0, asyncFrom: null, h2d: null, hcom: null,
    });
    tPy = t0 + dur + H(1);
    return task;
  };

  const emitCollective = (c: CollectiveOp): void => {
    const names = COLLECTIVE_NAMES[c.coll];
    const compute = p.streams[c.stream];
    const comm = p.streams.comm;
    const outerStart = tPy;
    tPy += H(3);
    const r1 = emitEvent('record', compute, null);
    emitEvent('wait', comm, r1);
    const hStart = tPy;
    const innerStart = hStart + H(4);
    const innerDur = H(5);
    const enq = enqueue(innerStart + Math.round(innerDur * 0.25 / 10) * 10, Math.round(innerDur * 0.6));
    py('main', names.cmd, 'cpu_op', innerStart, innerDur, SEQ_FWD);
    const hEnd = innerStart + innerDur + H(2);
    py('main', names.record, 'cpu_op', hStart, hEnd - hStart, [...SEQ_FWD, ['Input Dims', c.inputDims], ['Input type', 'c10::BFloat16']]);
    tPy = hEnd + H(1);
    let ready = 0;
    let apiConn = 0;
    let nodeConn = 0;
    let h2dTs = 0;
    dequeue(enq, names.cmd, (s) => {
      const aDur = H(d.hcomLaunchUs);
      apiConn = cann('dequeue', `AscendCL@${names.hcom}`, s, aDur, 'HOST_HCCL', 'acl', names.hcom, names.hcom);
      nodeConn = cann('dequeue', 'Node@launch', s, aDur, 'launch', 'node', '0', names.hcom);
      cann('dequeue', 'Hccl@Launch_Ffts', s + Math.round(aDur * 0.55 / 10) * 10, Math.round(aDur * 0.4 / 10) * 10, 'master', 'hccl', '0', 'Launch_Ffts');
      h2dTs = s;
      ready = s + aDur + d.launchToDeviceUs * 1000;
      return s + aDur;
    });
    const meta: TaskMeta = {
      task: null as unknown as DevTask, name: `${names.hcom}_${GROUP_SUFFIX}_${hcomSeq++}_1`, taskType: 'HCCL',
      taskId: nextTaskId(comm), subtaskId: NONE, connectionId: nodeConn, bytes: 0,
      asyncFrom: { proc: 'python', thread: 'main', tsNs: innerStart },
      h2d: { from: { proc: 'cann', thread: 'dequeue', tsNs: h2dTs }, id: ((BigInt(apiConn) << 32n) | 0xffffffffn).toString() },
      hcom: { name: '', coll: c, layout: null },
    };
    const skew = rng.int(0, p.eff.peerSkewMaxUs * 1000);
    meta.task = dev.submit({
      streamId: comm, kind: 'hcom', readyNs: ready, durNs: collectiveNominalNs(c.coll, c.bytes, p.hw, p.eff), usesCore: false, waitFor: null, uniqueStart: true,
      expand: (start) => {
        const lay = layoutCollective(c.coll, c.bytes, start, skew, p.hw, p.eff, rng);
        meta.hcom!.layout = lay;
        return lay.endNs;
      },
    });
    metas.push(meta);
    const r2 = emitEvent('record', comm, null);
    emitEvent('wait', compute, r2);
    const outerEnd = tPy + H(2);
    py('main', names.c10d, 'cpu_op', outerStart, outerEnd - outerStart, [...SEQ_FWD, ['Input Dims', ';\r\n;\r\n;\r\n;\r\n'], ['Input type', 'TensorList;\r\nNone;\r\nNone;\r\nNone;\r\nScalar']]);
    tPy = outerEnd + H(d.pyGapUs);
  };

  const emitH2D = (bytes: number, inputDims: string): void => {
    const t0 = tPy;
    const names = ['aten::to', 'aten::_to_copy', 'aten::copy_'];
    const leafStart = t0 + H(12);
    const leafDur = H(14);
    const enq = enqueue(leafStart + Math.round(leafDur * 0.4 / 10) * 10, Math.round(leafDur * 0.5));
    py('main', 'acl_memcpy_host_to_device', 'cpu_op', leafStart, leafDur, SEQ_FWD);
    let end = leafStart + leafDur;
    for (let i = names.length - 1; i >= 0; i--) {
      end += H(3);
      const s = t0 + i * H(4);
      py('main', names[i], 'cpu_op', s, end - s, [...SEQ_FWD, ['Input Dims', inputDims], ['Input type', 'long int;\r\nScalar;\r\nScalar;\r\nNone;\r\nNone;\r\nScalar;\r\nScalar;\r\nNone']]);
    }
    let ready = 0;
    let c = 0;
    let apiStart = 0;
    dequeue(enq, 'acl_memcpy_host_to_device', (s) => {
      const aDur = H(30);
      c = cann('dequeue', 'AscendCL@aclrtMemcpyAsync', s, aDur, 'ACL_RTS', 'acl', 'aclrtMemcpyAsync', '0');
      apiStart = s;
      ready = s + aDur + d.launchToDeviceUs * 1000;
      return s + aDur;
    });
    const task = dev.submit({
      streamId: p.streams.main, kind: 'memcpy', readyNs: ready, usesCore: false, waitFor: null, expand: null, uniqueStart: true,
      durNs: Math.round(bytes / p.hw.pcieGBps + 2000),
    });
    metas.push({
      task, name: 'MEMCPY_ASYNC', taskType: 'PCIE_DMA_SQE', taskId: nextTaskId(p.streams.main), subtaskId: NONE, connectionId: c, bytes: 0,
      asyncFrom: { proc: 'python', thread: 'main', tsNs: leafStart },
      h2d: { from: { proc: 'cann', thread: 'dequeue', tsNs: apiStart }, id: String(c) },
      hcom: null,
    });
    tPy = end + H(d.pyGapUs);
  };

  /** Blocking read: waits for the task queue and the main stream, then copies to the host. */
  const emitSync = (op: 'item' | 'to', inputDims: string, inputTypes: string): void => {
    const t0 = tPy;
    const names = op === 'item' ? ['aten::item', 'aten::_local_scalar_dense'] : ['aten::to', 'aten::_to_copy', 'aten::copy_'];
    const syncStart = t0 + names.length * H(3);
    dev.drain();
    // the host clock ticks in 10 ns
    const done = Math.ceil(Math.max(tDq, dev.streamIdleNs(p.streams.main), syncStart + 1000) / 10) * 10;
    const syncEnd = done + H(2);
    cann('main', 'AscendCL@aclrtSynchronizeStreamWithTimeout', syncStart, syncEnd - syncStart, 'ACL_RTS', 'acl', 'aclrtSynchronizeStreamWithTimeout', '0');
    const mStart = syncEnd + H(1);
    const mDur = H(d.memcpyApiUs);
    cann('main', 'AscendCL@aclrtMemcpy', mStart, mDur, 'ACL_RTS', 'acl', 'aclrtMemcpy', '0');
    let end = mStart + mDur;
    for (let i = names.length - 1; i >= 0; i--) {
      end += H(2);
      const s = t0 + i * H(3);
      py('main', names[i], 'cpu_op', s, end - s, [...SEQ_FWD, ['Input Dims', inputDims], ['Input type', inputTypes]]);
    }
    tPy = end + H(d.pyGapUs);
  };

  const scopes: { module: string; start: Ns; id: number; parent: number }[] = [];
  const moduleIds = new Map<string, number>();
  const run = (item: ProgramItem): void => {
    switch (item.kind) {
      case 'kernel':
        return emitKernel(item);
      case 'collective':
        return emitCollective(item);
      case 'sync':
        return emitSync(item.op, item.inputDims, item.inputTypes);
      case 'h2d':
        return emitH2D(item.bytes, item.inputDims);
      case 'streamWait': {
        const r = emitEvent('record', p.streams[item.from], null);
        emitEvent('wait', p.streams[item.to], r);
        tPy += H(d.pyGapUs);
        return;
      }
      case 'hostWork': {
        const dur = H(item.durUs);
        py('main', item.frame, 'python_function', tPy, dur, [['Python id', pyId++], ['Python parent id', scopes.at(-1)?.id ?? 1]]);
        tPy += dur + H(2);
        return;
      }
      case 'scope': {
        if (item.enter) {
          scopes.push({ module: item.module, start: tPy, id: pyId++, parent: scopes.at(-1)?.id ?? 1 });
          tPy += H(1.5);
          return;
        }
        const s = scopes.pop()!;
        const end = tPy + H(1);
        if (!moduleIds.has(s.module)) moduleIds.set(s.module, moduleIds.size);
        py('main', `nn.Module: ${s.module}`, 'python_function', s.start, end - s.start, [['Python id', s.id], ['Python parent id', s.parent], ['Python module id', moduleIds.get(s.module)!]]);
        tPy = end + H(1);
        return;
      }
    }
  };

  const program = stepProgram(p.workload, p.shape, p.layout, { prepareUs: d.prepareInputsUs, postUs: d.postStepUs });
  tPy = 1_000_000; // the trace starts 1 ms before the first step, as profiler warm-up does
  tDq = tPy;
  for (let s = 0; s < p.steps; s++) {
    const stepStart = tPy;
    tPy += H(5);
    for (const item of program) run(item);
    py('main', `ProfilerStep#${p.firstStep + s}`, 'cpu_op', stepStart, tPy - stepStart, SEQ_FWD);
    tPy += H(3);
  }
  dev.drain();

  finishDevice(metas, rec);
  return rec;
}

/** HostToDevice flow id of a kernel: stream, task id, batch id and sub-task id packed as in msprof output. */
export function hostToDeviceId(streamId: number, taskId: number, subtaskId: number): string {
  return ((BigInt(streamId) << 64n) | (BigInt(taskId) << 48n) | BigInt(subtaskId >>> 0)).toString();
}

const PLANE_HW: Record<string, string> = { Notify_Record: 'Write Value', Notify_Wait: 'Notify Wait', Memcpy: 'SDMA', Reduce_Inline: 'SDMA' };

/** Turn scheduled device tasks into hardware/HCCL records and their flows. */
function finishDevice(metas: TaskMeta[], rec: SimRecords): void {
  for (const m of metas) {
    const t = m.task;
    if (m.hcom) {
      const lay = m.hcom.layout!;
      const op: HcclOp = {
        name: m.name, startNs: t.startNs, durNs: t.endNs - t.startNs, connectionId: m.connectionId, dataType: 'BF16',
        algType: COLLECTIVE_NAMES[m.hcom.coll.coll].alg, count: m.hcom.coll.count, streamId: t.streamId, taskId: m.taskId, planes: lay.planes,
      };
      rec.hccl.push(op);
      for (const pl of lay.planes) {
        rec.hw.push({
          streamId: t.streamId, name: PLANE_HW[pl.type], taskType: PLANE_HW[pl.type], startNs: pl.startNs, durNs: pl.durNs,
          taskId: m.taskId, subtaskId: pl.contextId, connectionId: m.connectionId,
        });
      }
      const to: FlowEnd = { proc: 'hccl', thread: 0, tsNs: t.startNs };
      if (m.asyncFrom) rec.flows.push({ cat: 'async_npu', id: '', numeric: true, from: m.asyncFrom, to });
      if (m.h2d) rec.flows.push({ cat: 'HostToDevice', id: m.h2d.id, numeric: false, from: m.h2d.from, to });
      continue;
    }
    const hw: HwTask = {
      streamId: t.streamId, name: m.name, taskType: m.taskType, startNs: t.startNs, durNs: t.endNs - t.startNs,
      taskId: m.taskId, subtaskId: m.subtaskId, connectionId: m.connectionId,
    };
    rec.hw.push(hw);
    if (m.bytes > 0) rec.traffic.push({ startNs: t.startNs, durNs: hw.durNs, bytes: m.bytes });
    const to: FlowEnd = { proc: 'hw', thread: t.streamId, tsNs: t.startNs };
    // async_npu ids are the target's absolute start in ns; the writer fills them in
    if (m.asyncFrom) rec.flows.push({ cat: 'async_npu', id: '', numeric: true, from: m.asyncFrom, to });
    if (m.h2d) rec.flows.push({ cat: 'HostToDevice', id: m.h2d.id, numeric: false, from: m.h2d.from, to });
  }
}
