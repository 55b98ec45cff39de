/**
 * SQLite in the browser worker, for Ascend profiler dbs only: sql.js (SQLite compiled to WebAssembly)
 * opens the db's bytes in memory and answers the importer's `SqlQuery` (src/lib/trace/ascend-db.ts).
 * host.ts imports this module dynamically when a file starts with SQLite's header, so sql.js and its
 * wasm (~700 KB, served by the site itself, never fetched from elsewhere) load only then; lesson pages
 * never see them. Integers come back as JS numbers, so the importer casts every 64-bit value (ns
 * timestamps, thread ids) to text in SQL.
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import type { SqlQuery, SqlRow } from '../trace/ascend-db.ts';

let engine: Promise<SqlJsStatic> | null = null;

/** sql.js, loaded once; `locateFile` for runtimes where the bundler's URL does not apply (tests in Node). */
export function sqlJs(locateFile: (file: string) => string = () => wasmUrl): Promise<SqlJsStatic> {
  engine ??= initSqlJs({ locateFile });
  engine.catch(() => (engine = null));
  return engine;
}

/** The SqlQuery of an open sql.js database. */
export function sqlJsQuery(db: Database): SqlQuery {
  return (sql) => {
    const out: SqlRow[] = [];
    for (const result of db.exec(sql)) {
      for (const values of result.values) {
        const row: SqlRow = {};
        result.columns.forEach((c, i) => (row[c] = values[i]));
        out.push(row);
      }
    }
    return out;
  };
}

/** Opens db bytes in memory (sql.js copies them into its heap). */
export async function openSqliteBytes(bytes: Uint8Array, engineFor: () => Promise<SqlJsStatic> = () => sqlJs()): Promise<{ query: SqlQuery; close: () => void }> {
  const SQL = await engineFor();
  const db = new SQL.Database(bytes);
  return { query: sqlJsQuery(db), close: () => db.close() };
}
