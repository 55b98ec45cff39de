// `tracewise analyze` on Ascend profiler databases: a db file, a *_ascend_pt folder holding one, and
// SQLite files that are not (or no longer) profiler dbs, built here with node:sqlite. Bad input
// exits 2 with one line naming the file and what is missing; nothing crashes.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_TRACES, sharedTracesPresent, warnIfAbsent } from '../lib/trace/test-support/shared.ts';

const BIN = fileURLToPath(new URL('../../bin/tracewise.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'tracewise-db-'));
warnIfAbsent();

function tracewise(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TRACEWISE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A small SQLite file with these CREATE/INSERT statements. */
function sqlite(name: string, statements: string[]): string {
  const path = join(tmp, name);
  const db = new DatabaseSync(path);
  for (const s of statements) db.exec(s);
  db.close();
  return path;
}

const PROFILER_TABLES = [
  'CREATE TABLE STRING_IDS (id INTEGER PRIMARY KEY, value TEXT)',
  'CREATE TABLE TASK (startNs INTEGER, endNs INTEGER, deviceId INTEGER, connectionId INTEGER, globalTaskId INTEGER, globalPid INTEGER, taskType INTEGER, contextId INTEGER, streamId INTEGER, taskId INTEGER, modelId INTEGER)',
  'CREATE TABLE CANN_API (startNs INTEGER, endNs INTEGER, type INTEGER, globalTid INTEGER, connectionId INTEGER PRIMARY KEY, name INTEGER)',
  "INSERT INTO STRING_IDS VALUES (1, 'KERNEL_AICORE')",
  'INSERT INTO TASK VALUES (1736407067978149663, 1736407067978159663, 0, 7, 1, 4242, 1, 0, 2, 1, 0)',
];

describe('tracewise analyze: SQLite files that are not readable profiler dbs', () => {
  it('exit 2 and one line each: not a profiler db, a missing table, a missing column, an unknown schema, a truncated db', () => {
    const notProfiler = sqlite('nsys.sqlite', ['CREATE TABLE CUPTI_ACTIVITY_KIND_KERNEL (start INTEGER, end INTEGER)']);
    const noTask = sqlite('no-task.db', ['CREATE TABLE STRING_IDS (id INTEGER PRIMARY KEY, value TEXT)', 'CREATE TABLE CANN_API (startNs INTEGER)', 'CREATE TABLE PYTORCH_API (startNs TEXT)']);
    const noColumn = sqlite('no-column.db', ['CREATE TABLE STRING_IDS (id INTEGER PRIMARY KEY, value TEXT)', 'CREATE TABLE TASK (endNs INTEGER, deviceId INTEGER, globalPid INTEGER)', 'INSERT INTO TASK VALUES (1, 0, 1)']);
    const future = sqlite('future.db', [...PROFILER_TABLES, 'CREATE TABLE META_DATA (name TEXT, value TEXT)', "INSERT INTO META_DATA VALUES ('SCHEMA_VERSION', '9.0.0'), ('SCHEMA_VERSION_MAJOR', '9')"]);
    const whole = readFileSync(sqlite('whole.db', [...PROFILER_TABLES, ...Array.from({ length: 400 }, (_, i) => `INSERT INTO TASK VALUES (${1000 + i * 10}, ${1005 + i * 10}, 0, ${i}, ${i + 10}, 4242, 1, 0, 2, ${i}, 0)`)]));
    const truncated = join(tmp, 'truncated.db');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const cases: [string, string][] = [
      [notProfiler, 'This SQLite database is not an Ascend profiler database (no STRING_IDS or TASK table; its tables: CUPTI_ACTIVITY_KIND_KERNEL)'],
      [noTask, 'This Ascend profiler database has no TASK table; it cannot be drawn without it'],
      [noColumn, "This Ascend profiler database's TASK table has no column startNs (an unknown schema version?)"],
      [future, 'This Ascend profiler database has schema version 9.0.0, which Tracewise does not know (it reads 1.x)'],
      [truncated, 'The SQLite database cannot be read (database disk image is malformed); it may be truncated or still being written'],
    ];
    const r = tracewise(['analyze', ...cases.map(([p]) => p), '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual(cases.map(([p, m]) => `tracewise: ${p}: ${m}`));
  });

  it.skipIf(!sharedTracesPresent)("torch_npu's analysis.db (a summary): exit 2, one line pointing at the profiler db", () => {
    const path = resolve(SHARED_TRACES, 'ascend/db-2rank-level2/rank1/analysis.db');
    const r = tracewise(['analyze', path]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`tracewise: ${path}: This is torch_npu's analysis.db (summaries such as StepTraceTime), not a timeline; open the ascend_pytorch_profiler_N.db beside it`);
  });

  it('a folder with no profiler db or trace_view.json: exit 2, one line', () => {
    const dir = join(tmp, 'empty_ascend_pt');
    mkdirSync(dir);
    const r = tracewise(['analyze', dir]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`tracewise: ${dir}: a folder with no ascend_pytorch_profiler_N.db or trace_view.json (in it or in its ASCEND_PROFILER_OUTPUT)`);
  });
});

describe.skipIf(!sharedTracesPresent)('tracewise analyze: the real db samples', () => {
  const rank1 = resolve(SHARED_TRACES, 'ascend/db-2rank-level2/rank1');

  it('a db file: format, the rank, and steps[] with the step_trace columns', () => {
    const r = tracewise(['analyze', join(rank1, 'ascend_pytorch_profiler_1.db'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.format).toBe('ascend');
    expect(j.format_reason).toMatch(/^Ascend profiler database/);
    expect(j.steps.length).toBeGreaterThan(0);
    const t = j.steps[0].devices[0].step_trace;
    for (const k of ['computing_us', 'communication_not_overlapped_us', 'overlapped_us', 'communication_us', 'free_us', 'stage_us', 'bubble_us', 'communication_not_overlapped_exclude_receive_us', 'preparing_us']) expect(typeof t[k]).toBe('number');
  });

  it('a *_ascend_pt folder holding ASCEND_PROFILER_OUTPUT/ascend_pytorch_profiler_N.db reads the db, rank from profiler_info_N.json', () => {
    const pt = join(tmp, 'host_123_20250109_ascend_pt');
    mkdirSync(join(pt, 'ASCEND_PROFILER_OUTPUT'), { recursive: true });
    copyFileSync(join(rank1, 'ascend_pytorch_profiler_1.db'), join(pt, 'ASCEND_PROFILER_OUTPUT', 'ascend_pytorch_profiler_1.db'));
    copyFileSync(join(rank1, 'profiler_info_1.json'), join(pt, 'profiler_info_1.json'));
    const viaFolder = tracewise(['analyze', pt, '--json']);
    const viaFile = tracewise(['analyze', join(rank1, 'ascend_pytorch_profiler_1.db'), '--json']);
    expect(viaFolder.code).toBe(0);
    const { file: _a, ...a } = JSON.parse(viaFolder.out);
    const { file: _b, ...b } = JSON.parse(viaFile.out);
    expect(a).toEqual(b);
  });
});
