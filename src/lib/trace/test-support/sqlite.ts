/** Test support (Node only): Ascend profiler dbs through the CLI's node:sqlite reader, and the shared db samples. */
import { resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { queryOf } from '../../../cli/sqlite.ts';
import { importAscendDb, type SqlQuery } from '../ascend-db.ts';
import type { TraceModel } from '../model.ts';
import { SHARED_TRACES } from './shared.ts';

/** Opens a db read-only, synchronously (tests run on Node 24, which has node:sqlite). */
export function openSqlite(path: string): { query: SqlQuery; close: () => void } {
  const db = new DatabaseSync(path, { readOnly: true });
  return { query: queryOf(db), close: () => db.close() };
}

/** The four db samples: level × rank, with the db and the vendor's analysis.db. */
export const DB_SAMPLES = ['db-2rank-level0', 'db-2rank-level2'].flatMap((level) =>
  [0, 1].map((rank) => ({
    name: `${level}/rank${rank}`,
    rank,
    db: resolve(SHARED_TRACES, `ascend/${level}/rank${rank}/ascend_pytorch_profiler_${rank}.db`),
    analysisDb: resolve(SHARED_TRACES, `ascend/${level}/rank${rank}/analysis.db`),
  })),
);

export async function loadDb(path: string): Promise<TraceModel> {
  const { query, close } = openSqlite(path);
  try {
    return await importAscendDb(query);
  } finally {
    close();
  }
}
