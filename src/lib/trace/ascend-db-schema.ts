/**
 * What makes an SQLite file an Ascend profiler database Tracewise can read, and the query interface the
 * importer (ascend-db.ts) reads it through. A file that is not one, lacks a table or column the
 * timeline needs, has an unknown schema version, or is damaged ends in one TraceLoadError
 * ('bad-database') whose message and params name what is missing.
 */
import { TraceLoadError } from './errors.ts';

export type SqlValue = string | number | bigint | null | Uint8Array;
export type SqlRow = Record<string, SqlValue>;
/** Runs one SELECT and returns its rows; throws on an SQL error. */
export type SqlQuery = (sql: string) => SqlRow[];

/** The tables without which there is no timeline. */
const REQUIRED = ['STRING_IDS', 'TASK'] as const;
/** Tables only the Ascend profiler db has (any two of them say it is one). */
const MARKERS = ['STRING_IDS', 'TASK', 'COMPUTE_TASK_INFO', 'CANN_API', 'PYTORCH_API', 'COMMUNICATION_OP', 'CONNECTION_IDS', 'ENUM_API_TYPE', 'NPU_INFO', 'SESSION_TIME_INFO'];
/** Schema major versions this importer knows (META_DATA SCHEMA_VERSION_MAJOR). */
const KNOWN_MAJOR = ['1'];

export interface AscendDbInfo {
  schemaVersion: string | null;
  tables: string[];
}

function refuse(problem: string, message: string, params: Record<string, string> = {}): TraceLoadError {
  return new TraceLoadError('bad-database', message, undefined, { problem, ...params });
}

/**
 * Checks that `query` reads an Ascend profiler db of a known schema; throws a
 * TraceLoadError ('bad-database') naming what is missing otherwise.
 */
export function checkAscendDb(query: SqlQuery): AscendDbInfo {
  let tables: string[];
  try {
    tables = query("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r.name));
  } catch (e) {
    throw damaged(e);
  }
  const have = new Set(tables);
  const markers = MARKERS.filter((t) => have.has(t));
  if (markers.length < 2 && have.has('StepTraceTime')) {
    throw refuse('summary-db', "This is torch_npu's analysis.db (summaries such as StepTraceTime), not a timeline; open the ascend_pytorch_profiler_N.db beside it.");
  }
  if (markers.length < 2) {
    throw refuse('not-profiler', `This SQLite database is not an Ascend profiler database (no ${REQUIRED.join(' or ')} table${tables.length ? `; its tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}` : '; it has no tables'}).`, { missing: REQUIRED.join(', ') });
  }
  const missing = REQUIRED.filter((t) => !have.has(t));
  if (missing.length) throw refuse('missing-table', `This Ascend profiler database has no ${missing.join(' and ')} table${missing.length > 1 ? 's' : ''}; it cannot be drawn without ${missing.length > 1 ? 'them' : 'it'}.`, { missing: missing.join(', ') });
  let schemaVersion: string | null = null;
  if (have.has('META_DATA')) {
    const meta = new Map(safeQuery(query, 'SELECT name, value FROM META_DATA').map((r) => [String(r.name), String(r.value)]));
    schemaVersion = meta.get('SCHEMA_VERSION') ?? null;
    const major = meta.get('SCHEMA_VERSION_MAJOR') ?? schemaVersion?.split('.')[0];
    if (major !== undefined && !KNOWN_MAJOR.includes(major)) {
      throw refuse('schema-version', `This Ascend profiler database has schema version ${schemaVersion ?? major}, which Tracewise does not know (it reads ${KNOWN_MAJOR.map((m) => `${m}.x`).join(', ')}).`, { schemaVersion: schemaVersion ?? major });
    }
  }
  return { schemaVersion, tables };
}

function damaged(e: unknown): TraceLoadError {
  const detail = ((e as Error)?.message ?? String(e)).split('\n')[0];
  return refuse('damaged', `The SQLite database cannot be read (${detail}); it may be truncated or still being written.`, { detail });
}

/** Runs a query; an SQL error (a damaged page, a missing column) becomes one clear TraceLoadError. */
export function safeQuery(query: SqlQuery, sql: string): SqlRow[] {
  try {
    return query(sql);
  } catch (e) {
    const msg = ((e as Error)?.message ?? String(e)).split('\n')[0];
    const col = /no such column: ([\w.]+)/i.exec(msg);
    if (col) {
      const [alias, column] = col[1].includes('.') ? col[1].split('.') : ['', col[1]];
      const table = tableOfAlias(sql, alias);
      throw refuse('missing-column', `This Ascend profiler database's ${table} table has no column ${column} (an unknown schema version?).`, { missing: `${table}.${column}` });
    }
    throw damaged(e);
  }
}

/** The table an alias of `sql` stands for ("FROM TASK t" → TASK); the first FROM table without an alias. */
function tableOfAlias(sql: string, alias: string): string {
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi)) {
    if (!alias || m[2] === alias) return m[1];
  }
  return 'a';
}
