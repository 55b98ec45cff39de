/**
 * Ascend torch_npu profiler database `ascend_pytorch_profiler_N.db` (the
 * `export_type` db form of ASCEND_PROFILER_OUTPUT), as written by torch_npu's
 * db parsers (https://gitee.com/ascend/pytorch/tree/master/torch_npu/profiler/analysis/prof_view/prof_db_parse)
 * and msprof's "msprof db" export (schema: CANN docs, "msprof_*.db 表结构").
 *
 * Read through a small query interface (`SqlQuery`: SQL text → rows), so the
 * same code runs on Node's `node:sqlite` (CLI, tests) and on a WebAssembly
 * SQLite in the browser worker. The rows become the very Trace Event JSON that
 * torch_npu writes as trace_view.json (same process, thread and event names,
 * same args keys, same flow categories), which then goes through the shared
 * loader: lanes, flows, detectors and the computed Overlap Analysis are those
 * of the JSON form. Times are integer ns in the db; SQL casts them to text and
 * they become µs text with 3 decimals, so nothing passes through a float.
 *
 * Honoured tables: STRING_IDS (every name), TASK (+ COMPUTE_TASK_INFO: kernel
 * name and task type; + COMMUNICATION_TASK_INFO: HCCL "Plane N" lanes),
 * COMMUNICATION_OP (HCCL "Group N Communication"), CANN_API (levels acl,
 * model, node, hccl: "AscendCL@…", "Node@…"; the runtime level, which
 * trace_view.json leaves out, is left out too), PYTORCH_API (op → cpu_op,
 * queue → enqueue/dequeue, trace → python_function, mstx), CONNECTION_IDS
 * (op → device tasks: `async_npu`; enqueue ↔ dequeue: `async_task_queue`),
 * CANN_API.connectionId = TASK.connectionId (`HostToDevice`), NPU_INFO,
 * RANK_DEVICE_MAP and META_DATA (schema version, rank, chip: `metadata.ascendDb`
 * and `distributedInfo.rank`), counters HBM, LLC, NPU_MEM, AICORE_FREQ, ACC_PMU,
 * SOC_BANDWIDTH_LEVEL.
 * Ignored: PYTORCH_CALLCHAINS (call stacks), memory tables (MEMORY_RECORD,
 * OP_MEMORY, NPU_OP_MEM, NPU_MODULE_MEM), TASK_PMU_INFO, QOS, fwd/bwd links,
 * STEP_TIME (steps come from the ProfilerStep#N ops, as in the JSON form).
 * There is no "Overlap Analysis" table: the analysis computes those lanes.
 */
import { loadTrace, type LoadOptions } from './load.ts';
import type { TraceModel } from './model.ts';
import { checkAscendDb, safeQuery as safe, type AscendDbInfo, type SqlQuery, type SqlRow, type SqlValue } from './ascend-db-schema.ts';
import { COUNTER_TABLES } from './ascend-db-counters.ts';

export { checkAscendDb, type AscendDbInfo, type SqlQuery, type SqlRow, type SqlValue };

/** msprof format pid: host pid << 10 | layer << 5 | device (layer = sort index, as trace_view.json). */
const LAYER = { cann: 7, hardware: 13, hccl: 15 };
const API_LEVEL_PREFIX: Record<string, string> = { acl: 'AscendCL', model: 'Model', node: 'Node', hccl: 'Hccl', op: 'Op', queue: 'Queue', trace: 'Trace', mstx: 'Mstx' };

/**
 * At profiler level 0 COMPUTE_TASK_INFO.taskType is "N/A": the accelerator is then read from the runtime
 * task type, as the level 1/2 dbs pair them (KERNEL_AICORE ↔ AI_CORE or MIX_AIV, KERNEL_AIVEC ↔
 * AI_VECTOR_CORE, STARS_COMMON ↔ DSA_SQE, checked on both samples).
 */
const RUNTIME_TO_ACCELERATOR: Record<string, string> = {
  KERNEL_AICORE: 'AI_CORE',
  KERNEL_AIVEC: 'AI_VECTOR_CORE',
  KERNEL_AICPU: 'AI_CPU',
  KERNEL_MIX_AIC: 'MIX_AIC',
  KERNEL_MIX_AIV: 'MIX_AIV',
  STARS_COMMON: 'DSA_SQE',
};

/**
 * Kernel launches that COMPUTE_TASK_INFO does not describe (no op, no shapes): torch_npu's step trace
 * (TraceStepTimeDbParser) counts as Computing only the tasks it joins to COMPUTE_TASK_INFO, so these
 * keep their runtime type marked " (no op info)", which the analysis counts as other work.
 */
const NPU_KERNEL_TYPES = new Set(['AI_CORE', 'AI_VECTOR_CORE', 'AI_CPU', 'MIX_AIC', 'MIX_AIV', 'DSA_SQE', 'FFTS_PLUS']);

function computeTaskType(fromInfo: string, fromTask: string): string {
  if (fromInfo && fromInfo !== 'N/A') return fromInfo;
  return RUNTIME_TO_ACCELERATOR[fromTask] ?? fromTask;
}

/** Integer ns text → µs text with 3 decimals ("1736414119620696762" → "1736414119620696.762"). */
export function nsTextToUs(ns: string): string {
  const neg = ns.startsWith('-');
  let d = neg ? ns.slice(1) : ns;
  if (d.length < 4) d = d.padStart(4, '0');
  return `${neg ? '-' : ''}${d.slice(0, -3)}.${d.slice(-3)}`;
}

/** A non-negative integer ns duration → µs number text, exact. */
function durUs(ns: SqlValue): string {
  const n = Number(ns);
  return Number.isFinite(n) ? nsTextToUs(String(Math.trunc(n))) : '0';
}

const q = JSON.stringify;
/** Integer column as exact text (SQLite 64-bit; never through a float). */
const T = (col: string, as = col) => `CAST(${col} AS TEXT) AS ${as}`;
const has = (tables: Set<string>, t: string) => tables.has(t);

/** Trace Event JSON of the whole db, in chunks of about 1 MB. */
export function* ascendDbEvents(query: SqlQuery, info: AscendDbInfo, opts: { rank?: number | null } = {}): Generator<string, void, undefined> {
  const tables = new Set(info.tables);
  const strings = new Map<number, string>();
  for (const r of safe(query, 'SELECT id, value FROM STRING_IDS')) strings.set(Number(r.id), r.value === null ? '' : String(r.value));
  const str = (id: SqlValue): string => (id === null ? '' : (strings.get(Number(id)) ?? String(id)));
  const enumOf = (table: string): Map<number, string> => {
    const m = new Map<number, string>();
    if (has(tables, table)) for (const r of safe(query, `SELECT id, name FROM ${table}`)) m.set(Number(r.id), String(r.name));
    return m;
  };
  const apiType = enumOf('ENUM_API_TYPE');
  const dataType = enumOf('ENUM_HCCL_DATA_TYPE');
  const linkType = enumOf('ENUM_HCCL_LINK_TYPE');
  const transportType = enumOf('ENUM_HCCL_TRANSPORT_TYPE');
  const enumName = (m: Map<number, string>, v: SqlValue) => (v === null ? '' : (m.get(Number(v)) ?? String(v)));

  // Device, rank, chip, host process.
  const devices = [...new Set(safe(query, 'SELECT DISTINCT deviceId FROM TASK').map((r) => Number(r.deviceId)))].sort((a, b) => a - b);
  const rankRow = has(tables, 'RANK_DEVICE_MAP') ? safe(query, 'SELECT rankId, deviceId FROM RANK_DEVICE_MAP')[0] : undefined;
  const rank = rankRow && Number(rankRow.rankId) >= 0 ? Number(rankRow.rankId) : (opts.rank ?? null);
  const chip = has(tables, 'NPU_INFO') ? (safe(query, 'SELECT name FROM NPU_INFO')[0]?.name ?? null) : null;
  const hostPids = safe(query, 'SELECT DISTINCT globalPid FROM TASK').map((r) => Number(r.globalPid));
  const hostPid = hostPids[0] ?? 0;
  const fmt = (layer: number, device: number) => hostPid * 1024 + layer * 32 + (device & 31);
  const dev0 = devices[0] ?? 0;

  const head = {
    ascendDb: { schemaVersion: info.schemaVersion, chip, rank, devices },
    ...(rank !== null ? { distributedInfo: { rank } } : {}),
  };
  let out = `{${Object.entries(head).map(([k, v]) => `${q(k)}:${q(v)}`).join(',')},"traceEvents":[`;
  let first = true;
  const parts: string[] = [];
  let size = 0;
  const emit = (e: string): string | null => {
    parts.push(first ? e : `,${e}`);
    first = false;
    size += e.length;
    if (size < 1 << 20) return null;
    const chunk = out + parts.join('');
    out = '';
    parts.length = 0;
    size = 0;
    return chunk;
  };
  const meta = (kind: string, pid: number, tid: number | string, args: Record<string, unknown>) => `{"ph":"M","name":${q(kind)},"pid":${pid},"tid":${q(tid)},"args":${q(args)}}`;
  const x = (name: string, pid: number, tid: number | string, tsNs: SqlValue, dur: SqlValue, cat: string | null, args: Record<string, unknown> | null) =>
    `{"ph":"X","name":${q(name)},"pid":${pid},"tid":${q(tid)},"ts":"${nsTextToUs(String(tsNs))}","dur":${durUs(dur)}${cat ? `,"cat":${q(cat)}` : ''}${args ? `,"args":${q(args)}` : ''}}`;
  const flow = (ph: 's' | 'f', name: string, cat: string, id: string, pid: number, tid: number | string, tsNs: SqlValue) =>
    `{"ph":"${ph}","bp":"e","name":${q(name)},"cat":${q(cat)},"id":${q(id)},"pid":${pid},"tid":${q(tid)},"ts":"${nsTextToUs(String(tsNs))}"}`;
  const counter = (name: string, pid: number, tsNs: SqlValue, args: Record<string, unknown>) => `{"ph":"C","name":${q(name)},"pid":${pid},"tid":0,"ts":"${nsTextToUs(String(tsNs))}","args":${q(args)}}`;

  function* process(pid: number, name: string, label: string, sortIndex: number): Generator<string> {
    for (const e of [meta('process_name', pid, 0, { name }), meta('process_labels', pid, 0, { labels: label }), meta('process_sort_index', pid, 0, { sort_index: sortIndex })]) {
      const c = emit(e);
      if (c) yield c;
    }
  }
  function* thread(pid: number, tid: number, name: string, sortIndex: number): Generator<string> {
    const a = emit(meta('thread_name', pid, tid, { name }));
    if (a) yield a;
    const b = emit(meta('thread_sort_index', pid, tid, { sort_index: sortIndex }));
    if (b) yield b;
  }
  const one = function* (e: string): Generator<string> {
    const c = emit(e);
    if (c) yield c;
  };

  // ---- host: Python (PYTORCH_API) ------------------------------------------
  const tidSql = (col: string) => `CAST(${col} >> 32 AS TEXT) AS pid, CAST(${col} & 4294967295 AS TEXT) AS tid`;
  const hostThreads = new Map<string, Set<number>>(); // process → tids
  const noteThread = (proc: string, tid: number) => {
    let s = hostThreads.get(proc);
    if (!s) hostThreads.set(proc, (s = new Set()));
    s.add(tid);
  };
  // Connection ids of each PYTORCH_API row (CONNECTION_IDS: id → connectionId, one row per link).
  const linksOf = new Map<string, string[]>();
  if (has(tables, 'CONNECTION_IDS')) {
    for (const r of safe(query, `SELECT ${T('id')}, ${T('connectionId')} FROM CONNECTION_IDS`)) {
      const k = String(r.id);
      const l = linksOf.get(k);
      if (l) l.push(String(r.connectionId));
      else linksOf.set(k, [String(r.connectionId)]);
    }
  }
  // Device work by connection id, for async_npu and HostToDevice flows.
  interface Target {
    pid: number;
    tid: number | string;
    startNs: string;
    key: string;
  }
  const targets = new Map<string, Target[]>();
  const addTarget = (conn: string, t: Target) => {
    const l = targets.get(conn);
    if (l) l.push(t);
    else targets.set(conn, [t]);
  };

  // Collect device-side rows first (flows need their positions), emit host rows after.
  const taskRows = safe(
    query,
    `SELECT ${T('t.startNs', 'startNs')}, CAST(t.endNs - t.startNs AS TEXT) AS dur, t.deviceId, ${T('t.connectionId', 'connectionId')}, ${T('t.globalTaskId', 'globalTaskId')}, t.taskType, t.streamId, t.taskId, ${T('t.contextId', 'contextId')}, ${T('t.modelId', 'modelId')}` +
      (has(tables, 'COMPUTE_TASK_INFO') ? ', c.name AS kernel, c.taskType AS computeType, c.blockDim, c.mixBlockDim, c.opType, c.inputShapes, c.inputDataTypes, c.inputFormats, c.outputShapes, c.outputDataTypes, c.outputFormats' : '') +
      ` FROM TASK t` +
      (has(tables, 'COMPUTE_TASK_INFO') ? ' LEFT JOIN COMPUTE_TASK_INFO c ON c.globalTaskId = t.globalTaskId' : '') +
      ' ORDER BY t.startNs',
  );

  const collectiveConnections = new Set(has(tables, 'COMMUNICATION_OP') ? safe(query, `SELECT ${T('connectionId')} FROM COMMUNICATION_OP`).map((r) => String(r.connectionId)) : []);
  const commTasks = new Set(has(tables, 'COMMUNICATION_TASK_INFO') ? safe(query, `SELECT ${T('globalTaskId')} FROM COMMUNICATION_TASK_INFO`).map((r) => String(r.globalTaskId)) : []);
  for (const d of devices) {
    yield* process(fmt(LAYER.hardware, d), 'Ascend Hardware', 'NPU', LAYER.hardware);
  }
  const streams = new Set<string>();
  for (const r of taskRows) {
    const d = Number(r.deviceId);
    const pid = fmt(LAYER.hardware, d);
    const stream = Number(r.streamId);
    const key = `${d}:${stream}`;
    if (!streams.has(key)) {
      streams.add(key);
      yield* thread(pid, stream, `Stream ${stream}`, stream);
    }
    const compute = r.kernel !== undefined && r.kernel !== null;
    const taskType = str(r.taskType);
    // A collective's own envelope task (its connection id is a COMMUNICATION_OP's): trace_view.json
    // shows the op on the HCCL lane only, so does this.
    if (!compute && collectiveConnections.has(String(r.connectionId)) && !commTasks.has(String(r.globalTaskId))) continue;
    const args: Record<string, unknown> = {
      'Model Id': Number(r.modelId),
      'Task Type': compute ? computeTaskType(str(r.computeType), taskType) : RUNTIME_TO_ACCELERATOR[taskType] || NPU_KERNEL_TYPES.has(taskType) ? `${taskType} (no op info)` : taskType,
      'Physic Stream Id': stream,
      'Task Id': Number(r.taskId),
      'Subtask Id': Number(r.contextId),
      connection_id: Number(r.connectionId),
    };
    if (compute) {
      args['Block Dim'] = Number(r.blockDim);
      args['Mix Block Dim'] = Number(r.mixBlockDim);
      args['OP Type'] = str(r.opType);
      args['Input Shapes'] = str(r.inputShapes);
      args['Input Data Types'] = str(r.inputDataTypes);
      args['Input Formats'] = str(r.inputFormats);
      args['Output Shapes'] = str(r.outputShapes);
      args['Output Data Types'] = str(r.outputDataTypes);
      args['Output Formats'] = str(r.outputFormats);
    }
    yield* one(x(compute ? str(r.kernel) : taskType, pid, stream, r.startNs, r.dur, null, args));
    addTarget(String(r.connectionId), { pid, tid: stream, startNs: String(r.startNs), key: `t${String(r.globalTaskId)}` });
  }

  // ---- HCCL: COMMUNICATION_OP (groups) and COMMUNICATION_TASK_INFO (planes) --
  if (has(tables, 'COMMUNICATION_OP')) {
    const deviceOfOp = new Map<string, number>();
    if (has(tables, 'COMMUNICATION_TASK_INFO')) {
      for (const r of safe(query, `SELECT DISTINCT ${T('i.opId', 'opId')}, t.deviceId FROM COMMUNICATION_TASK_INFO i JOIN TASK t ON t.globalTaskId = i.globalTaskId`)) deviceOfOp.set(String(r.opId), Number(r.deviceId));
    }
    const ops = safe(query, `SELECT opName, ${T('startNs')}, CAST(endNs - startNs AS TEXT) AS dur, ${T('connectionId')}, groupName, ${T('opId')}, relay, retry, dataType, algType, ${T('count')}, opType FROM COMMUNICATION_OP ORDER BY startNs`);
    const groups = new Map<string, number>();
    for (const o of ops) if (!groups.has(String(o.groupName))) groups.set(String(o.groupName), groups.size);
    const planes = has(tables, 'COMMUNICATION_TASK_INFO')
      ? safe(
          query,
          `SELECT i.name, i.taskType, i.planeId, i.groupName, ${T('i.notifyId', 'notifyId')}, i.rdmaType, ${T('i.srcRank', 'srcRank')}, ${T('i.dstRank', 'dstRank')}, i.transportType, ${T('i.size', 'size')}, i.dataType, i.linkType, ${T('i.opId', 'opId')}, ${T('t.startNs', 'startNs')}, CAST(t.endNs - t.startNs AS TEXT) AS dur, t.deviceId, t.streamId, t.taskId, ${T('t.contextId', 'contextId')}, ${T('t.modelId', 'modelId')} FROM COMMUNICATION_TASK_INFO i JOIN TASK t ON t.globalTaskId = i.globalTaskId ORDER BY t.startNs`,
        )
      : [];
    const hcclDevices = new Set<number>([...deviceOfOp.values(), ...planes.map((p) => Number(p.deviceId))]);
    if (!hcclDevices.size && ops.length) hcclDevices.add(dev0);
    for (const d of hcclDevices) {
      const pid = fmt(LAYER.hccl, d);
      yield* process(pid, 'HCCL', 'NPU', LAYER.hccl);
      for (const [, g] of groups) yield* thread(pid, g, `Group ${g} Communication`, g);
    }
    // Level 0 records no plane (planeId 0xFFFFFFFF): those tasks stay on their hardware stream only.
    const planeRows = planes.filter((p) => Number(p.planeId) !== 4294967295);
    const planeIds = [...new Set(planeRows.map((p) => Number(p.planeId)))].sort((a, b) => a - b);
    const planeTid = (plane: number) => groups.size + plane;
    for (const d of hcclDevices) for (const p of planeIds) yield* thread(fmt(LAYER.hccl, d), planeTid(p), `Plane ${p}`, planeTid(p));
    for (const o of ops) {
      const d = deviceOfOp.get(String(o.opId)) ?? dev0;
      const pid = fmt(LAYER.hccl, d);
      const g = groups.get(String(o.groupName))!;
      const args = { connection_id: Number(o.connectionId), data_type: enumName(dataType, o.dataType), alg_type: str(o.algType), count: Number(o.count), relay: Number(o.relay), retry: Number(o.retry), group_name: str(o.groupName), op_type: str(o.opType) };
      yield* one(x(str(o.opName), pid, g, o.startNs, o.dur, null, args));
      addTarget(String(o.connectionId), { pid, tid: g, startNs: String(o.startNs), key: `o${String(o.opId)}` });
    }
    for (const p of planeRows) {
      const args = {
        notify_id: String(p.notifyId),
        'stream id': Number(p.streamId),
        'task id': Number(p.taskId),
        'context id': Number(p.contextId),
        'task type': str(p.taskType),
        'src rank': Number(p.srcRank),
        'dst rank': Number(p.dstRank),
        'transport type': enumName(transportType, p.transportType),
        'size(Byte)': Number(p.size),
        'data type': enumName(dataType, p.dataType),
        'link type': enumName(linkType, p.linkType),
        'model id': Number(p.modelId),
        op_id: Number(p.opId),
      };
      yield* one(x(str(p.taskType), fmt(LAYER.hccl, Number(p.deviceId)), planeTid(Number(p.planeId)), p.startNs, p.dur, null, args));
    }
  }

  // ---- host: CANN (CANN_API) ------------------------------------------------
  const runtime = [...apiType].find(([, n]) => n === 'runtime')?.[0];
  if (has(tables, 'CANN_API')) {
    const cannPid = fmt(LAYER.cann, 0);
    yield* process(cannPid, 'CANN', 'CPU', LAYER.cann);
    const rows = safe(query, `SELECT ${T('startNs')}, CAST(endNs - startNs AS TEXT) AS dur, type, ${tidSql('globalTid')}, ${T('connectionId')}, name FROM CANN_API${runtime !== undefined ? ` WHERE type <> ${runtime}` : ''} ORDER BY startNs`);
    for (const r of rows) {
      const tid = Number(r.tid);
      if (!hostThreads.get('cann')?.has(tid)) {
        noteThread('cann', tid);
        yield* thread(cannPid, tid, `Thread ${tid}`, tid);
      }
      const level = enumName(apiType, r.type);
      const name = str(r.name);
      const conn = String(r.connectionId);
      yield* one(x(`${API_LEVEL_PREFIX[level] ?? level}@${name}`, cannPid, tid, r.startNs, r.dur, null, { 'Thread Id': tid, level, id: name, connection_id: Number(conn) }));
      const to = targets.get(conn);
      if (to) {
        yield* one(flow('s', `HostToDevice${conn}`, 'HostToDevice', conn, cannPid, tid, r.startNs));
        for (const t of to) yield* one(flow('f', `HostToDevice${conn}`, 'HostToDevice', conn, t.pid, t.tid, t.startNs));
      }
    }
  }

  // ---- host: Python (PYTORCH_API) --------------------------------------------
  if (has(tables, 'PYTORCH_API')) {
    const rows = safe(query, `SELECT ${T('startNs')}, CAST(CAST(endNs AS INTEGER) - CAST(startNs AS INTEGER) AS TEXT) AS dur, ${tidSql('globalTid')}, ${T('connectionId')}, name, sequenceNumber, fwdThreadId, inputDtypes, inputShapes, type FROM PYTORCH_API ORDER BY CAST(startNs AS INTEGER)`);
    const pyPid = rows.length ? Number(rows[0].pid) : hostPid;
    yield* process(pyPid, 'Python', 'CPU', 0);
    const queued = new Map<string, { tid: number; startNs: SqlValue }>();
    for (const r of rows) {
      const tid = Number(r.tid);
      if (!hostThreads.get('python')?.has(tid)) {
        noteThread('python', tid);
        yield* thread(pyPid, tid, `Thread ${tid}`, tid);
      }
      const kind = enumName(apiType, r.type);
      const name = str(r.name);
      const conns = r.connectionId === null ? [] : (linksOf.get(String(r.connectionId)) ?? []);
      let cat = kind === 'op' ? 'cpu_op' : kind === 'trace' ? 'python_function' : kind;
      const args: Record<string, unknown> = {};
      if (kind === 'queue') {
        cat = name.startsWith('Enqueue') ? 'enqueue' : 'dequeue';
        if (conns[0] !== undefined) args.correlation_id = Number(conns[0]);
      } else if (kind === 'op') {
        if (r.sequenceNumber !== null) args['Sequence number'] = Number(r.sequenceNumber);
        if (r.fwdThreadId !== null) args['Fwd thread id'] = Number(r.fwdThreadId);
        if (r.inputShapes !== null) args['Input Dims'] = str(r.inputShapes);
        if (r.inputDtypes !== null) args['Input type'] = str(r.inputDtypes);
      }
      yield* one(x(name, pyPid, tid, r.startNs, r.dur, cat, Object.keys(args).length ? args : null));
      if (kind === 'queue' && conns[0] !== undefined) {
        const c = conns[0];
        if (cat === 'enqueue') queued.set(c, { tid, startNs: r.startNs });
        else {
          const from = queued.get(c);
          if (from) {
            yield* one(flow('s', 'enqueue_to_dequeue', 'async_task_queue', c, pyPid, from.tid, from.startNs));
            yield* one(flow('f', 'enqueue_to_dequeue', 'async_task_queue', c, pyPid, tid, r.startNs));
          }
        }
      } else if (kind === 'op') {
        for (const c of conns) {
          for (const t of targets.get(c) ?? []) {
            const id = `${c}:${t.key}`;
            yield* one(flow('s', 'torch_to_npu', 'async_npu', id, pyPid, tid, r.startNs));
            yield* one(flow('f', 'torch_to_npu', 'async_npu', id, t.pid, t.tid, t.startNs));
          }
        }
      }
    }
  }

  // ---- counters (ascend-db-counters.ts) --------------------------------------------
  for (const spec of COUNTER_TABLES) {
    if (!has(tables, spec.table)) continue;
    const seen = new Set<number>();
    for (const r of safe(query, spec.sql)) {
      const d = r.deviceId === null || r.deviceId === undefined ? dev0 : Number(r.deviceId);
      const pid = fmt(spec.layer, d);
      if (!seen.has(d)) {
        seen.add(d);
        yield* process(pid, spec.process, 'NPU', spec.layer);
      }
      for (const [name, args] of spec.samples(r, str)) yield* one(counter(name, pid, r.ts, args));
    }
  }

  yield out + parts.join('') + ']}';
}

export interface AscendDbLoadOptions extends Pick<LoadOptions, 'signal' | 'onProgress'> {
  /** Size of the db file, reported as the model's bytes. */
  bytes?: number;
  /** Rank from profiler_info_N.json, used when RANK_DEVICE_MAP has none. */
  rank?: number | null;
}

/** Reads an Ascend profiler db through `query` into the TraceModel that its trace_view.json would give. */
export async function importAscendDb(query: SqlQuery, opts: AscendDbLoadOptions = {}): Promise<TraceModel> {
  const info = checkAscendDb(query);
  const encoder = new TextEncoder();
  const events = ascendDbEvents(query, info, { rank: opts.rank });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const text of events) yield encoder.encode(text);
  }
  const model = await loadTrace(chunks(), { signal: opts.signal, onProgress: opts.onProgress });
  model.stats.formatReason = `Ascend profiler database (ascend_pytorch_profiler_N.db${info.schemaVersion ? `, schema ${info.schemaVersion}` : ''})`;
  if (opts.bytes !== undefined) model.stats.bytes = opts.bytes;
  return model;
}
