/**
 * The Ascend db importer on tiny databases built here with node:sqlite (one per edge case): what it
 * refuses and how it names what is missing, a truncated file, and a minimal export read exactly
 * (timestamps past 2^53 ns, flows host → CANN → device, rank, names through STRING_IDS).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryOf } from '../../cli/sqlite.ts';
import { importAscendDb, nsTextToUs } from './ascend-db.ts';
import { TraceLoadError } from './errors.ts';
import { absoluteUs } from './time.ts';

const tmp = mkdtempSync(join(tmpdir(), 'tracewise-ascend-db-'));

function memoryDb(statements: string[]) {
  const db = new DatabaseSync(':memory:');
  for (const s of statements) db.exec(s);
  return queryOf(db);
}

async function refusal(statements: string[]): Promise<TraceLoadError> {
  const e = await importAscendDb(memoryDb(statements)).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(TraceLoadError);
  expect((e as TraceLoadError).code).toBe('bad-database');
  return e as TraceLoadError;
}

const STRING_IDS = 'CREATE TABLE STRING_IDS (id INTEGER PRIMARY KEY, value TEXT)';
const TASK = 'CREATE TABLE TASK (startNs INTEGER, endNs INTEGER, deviceId INTEGER, connectionId INTEGER, globalTaskId INTEGER, globalPid INTEGER, taskType INTEGER, contextId INTEGER, streamId INTEGER, taskId INTEGER, modelId INTEGER)';
const CANN_API = 'CREATE TABLE CANN_API (startNs INTEGER, endNs INTEGER, type INTEGER, globalTid INTEGER, connectionId INTEGER PRIMARY KEY, name INTEGER)';
const ENUM_API_TYPE = "CREATE TABLE ENUM_API_TYPE (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO ENUM_API_TYPE VALUES (5000, 'runtime'), (10000, 'node'), (20000, 'acl'), (50001, 'op')";

/** pid 4242, tid 7 as torch_npu packs them into globalTid. */
const GLOBAL_TID = 4242 * 2 ** 32 + 7;
/** A minimal export: a step with one op on the host, its launch on CANN, the kernel on stream 2. */
const MINIMAL = [
  STRING_IDS,
  "INSERT INTO STRING_IDS VALUES (1, 'KERNEL_AIVEC'), (2, 'MatMul'), (3, 'AI_VECTOR_CORE'), (4, 'ProfilerStep#3'), (5, 'aten::mm'), (6, 'launch'), (7, 'rtKernelLaunch')",
  TASK,
  'INSERT INTO TASK VALUES (1736414119620675000, 1736414119620675100, 0, 11, 1, 4242, 1, 0, 2, 1, 0)',
  'CREATE TABLE COMPUTE_TASK_INFO (name INTEGER, globalTaskId INTEGER PRIMARY KEY, blockDim INTEGER, mixBlockDim INTEGER, taskType INTEGER, opType INTEGER, inputFormats INTEGER, inputDataTypes INTEGER, inputShapes INTEGER, outputFormats INTEGER, outputDataTypes INTEGER, outputShapes INTEGER, attrInfo INTEGER)',
  'INSERT INTO COMPUTE_TASK_INFO VALUES (2, 1, 8, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0)',
  CANN_API,
  `INSERT INTO CANN_API VALUES (1736414119620674500, 1736414119620674560, 10000, ${GLOBAL_TID}, 11, 6), (1736414119620674510, 1736414119620674520, 5000, ${GLOBAL_TID}, 12, 7)`,
  'CREATE TABLE PYTORCH_API (startNs TEXT, endNs TEXT, globalTid INTEGER, connectionId INTEGER, name INTEGER, sequenceNumber INTEGER, fwdThreadId INTEGER, inputDtypes INTEGER, inputShapes INTEGER, callchainId INTEGER, type INTEGER)',
  `INSERT INTO PYTORCH_API VALUES ('1736414119620674000', '1736414119620675500', ${GLOBAL_TID}, NULL, 4, NULL, NULL, NULL, NULL, NULL, 50001), ('1736414119620674400', '1736414119620674600', ${GLOBAL_TID}, 0, 5, 3, 0, NULL, NULL, NULL, 50001)`,
  'CREATE TABLE CONNECTION_IDS (id INTEGER, connectionId INTEGER); INSERT INTO CONNECTION_IDS VALUES (0, 11)',
  ENUM_API_TYPE,
  'CREATE TABLE RANK_DEVICE_MAP (rankId INTEGER, deviceId INTEGER); INSERT INTO RANK_DEVICE_MAP VALUES (5, 0)',
];

describe('importAscendDb on handmade databases', () => {
  it('a minimal export: lanes named as trace_view.json, times exact past 2^53 ns, flows bound, runtime-level CANN calls left out', async () => {
    const m = await importAscendDb(memoryDb(MINIMAL), { rank: 9 });
    const names = (ids: ArrayLike<number>) => Array.from(ids, (i) => m.strings[i]);
    expect(new Set(names(m.processes.name))).toEqual(new Set(['Python', 'CANN', 'Ascend Hardware']));
    expect(names(m.tracks.name).sort()).toEqual(['Stream 2', 'Thread 7', 'Thread 7']);
    expect(names(m.slices.name).sort()).toEqual(['MatMul', 'Node@launch', 'ProfilerStep#3', 'aten::mm']);
    const kernel = names(m.slices.name).indexOf('MatMul');
    expect(absoluteUs(m.originUs, m.slices.startNs[kernel])).toBe(nsTextToUs('1736414119620675000'));
    expect(m.slices.durNs[kernel]).toBe(100);
    expect(names(m.flows.cat).sort()).toEqual(['HostToDevice', 'async_npu']);
    for (let i = 0; i < m.flows.length; i++) expect(m.slices.name[m.flows.toSlice[i]]).toBe(m.slices.name[kernel]);
    // RANK_DEVICE_MAP wins over the rank the caller read from profiler_info_N.json.
    expect(m.metadata.distributedInfo).toEqual({ rank: 5 });
  });

  it('the rank from the caller (profiler_info_N.json) when RANK_DEVICE_MAP is absent', async () => {
    const m = await importAscendDb(memoryDb(MINIMAL.filter((s) => !s.includes('RANK_DEVICE_MAP'))), { rank: 9 });
    expect(m.metadata.distributedInfo).toEqual({ rank: 9 });
  });

  it('not a profiler db (Nsight Systems tables): names its tables', async () => {
    const e = await refusal(['CREATE TABLE CUPTI_ACTIVITY_KIND_KERNEL (start INTEGER)', 'CREATE TABLE StringIds (id INTEGER, value TEXT)']);
    expect(e.params).toMatchObject({ problem: 'not-profiler' });
    expect(e.message).toMatch(/its tables: CUPTI_ACTIVITY_KIND_KERNEL, StringIds/);
  });

  it("torch_npu's analysis.db: a summary, pointed at the profiler db", async () => {
    const e = await refusal(['CREATE TABLE StepTraceTime (step TEXT, computing NUMERIC)']);
    expect(e.params).toMatchObject({ problem: 'summary-db' });
  });

  it('a missing table, a missing column, an unknown schema version: each named', async () => {
    expect((await refusal([STRING_IDS, CANN_API, ENUM_API_TYPE])).params).toMatchObject({ problem: 'missing-table', missing: 'TASK' });
    const noColumn = await refusal([STRING_IDS, 'CREATE TABLE TASK (endNs INTEGER, deviceId INTEGER, globalPid INTEGER)', 'INSERT INTO TASK VALUES (1, 0, 1)']);
    expect(noColumn.params).toMatchObject({ problem: 'missing-column', missing: 'TASK.startNs' });
    const future = await refusal([...MINIMAL, "CREATE TABLE META_DATA (name TEXT, value TEXT); INSERT INTO META_DATA VALUES ('SCHEMA_VERSION', '2.1.0'), ('SCHEMA_VERSION_MAJOR', '2')"]);
    expect(future.params).toMatchObject({ problem: 'schema-version', schemaVersion: '2.1.0' });
  });

  it('a truncated file: damaged, with SQLite’s own words', async () => {
    const path = join(tmp, 'whole.db');
    const db = new DatabaseSync(path);
    for (const s of MINIMAL) db.exec(s);
    for (let i = 0; i < 300; i++) db.exec(`INSERT INTO TASK VALUES (${1000 + i}, ${1010 + i}, 0, 11, ${i + 2}, 4242, 1, 0, 2, ${i}, 0)`);
    db.close();
    const bytes = readFileSync(path);
    const cut = join(tmp, 'cut.db');
    writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const e = await importAscendDb(queryOf(new DatabaseSync(cut, { readOnly: true }))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TraceLoadError);
    expect((e as TraceLoadError).params).toMatchObject({ problem: 'damaged' });
    expect((e as TraceLoadError).message).toMatch(/malformed/);
  });

  it('nsTextToUs: integer ns text → µs text with 3 decimals, short and negative values too', () => {
    expect(['1736414119620696762', '5', '1234', '-42'].map(nsTextToUs)).toEqual(['1736414119620696.762', '0.005', '1.234', '-0.042']);
  });
});
