/**
 * Ascend profiler databases from disk with Node's own `node:sqlite` (Node ≥ 22.13 without a flag; this
 * repository runs Node 24): the `SqlQuery` the shared importer (src/lib/trace/ascend-db.ts) reads through.
 * Integers beyond 2^53 come back as exact decimal text, never as rounded floats. node:sqlite is imported
 * only when a db is opened, so the rest of the CLI runs on a Node without it (22.12 needs a flag for it).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';
import { TraceLoadError } from '../lib/trace/errors.ts';
import type { SqlQuery, SqlRow, SqlValue } from '../lib/trace/ascend-db.ts';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Whether the file starts with SQLite's header (false for a missing or short file). */
export function isSqliteFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = new Uint8Array(16);
    return readSync(fd, head, 0, 16, 0) === 16 && String.fromCharCode(...head) === SQLITE_MAGIC;
  } finally {
    closeSync(fd);
  }
}

function plain(v: unknown): SqlValue {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  return v as SqlValue;
}

/** Opens `path` read-only and returns its query function and a close. */
export async function openSqlite(path: string): Promise<{ query: SqlQuery; close: () => void }> {
  let sqlite: typeof import('node:sqlite');
  try {
    sqlite = await import('node:sqlite');
  } catch {
    throw new TraceLoadError('unsupported', `This Node (${process.version}) has no node:sqlite to read the database; use Node 22.13 or later.`, undefined, { container: 'sqlite-unavailable' });
  }
  let db: DatabaseSync;
  try {
    db = new sqlite.DatabaseSync(path, { readOnly: true });
  } catch (e) {
    const detail = ((e as Error)?.message ?? String(e)).split('\n')[0];
    throw new TraceLoadError('bad-database', `The SQLite database cannot be opened (${detail}).`, undefined, { problem: 'damaged', detail });
  }
  return { query: queryOf(db), close: () => db.close() };
}

/** The SqlQuery of an open node:sqlite database. */
export function queryOf(db: DatabaseSync): SqlQuery {
  return (sql) => {
    const st = db.prepare(sql);
    st.setReadBigInts(true);
    return (st.all() as Record<string, unknown>[]).map((r) => {
      const out: SqlRow = {};
      for (const k in r) out[k] = plain(r[k]);
      return out;
    });
  };
}
