/** Test support (Node only): Ascend profiler dbs through the CLI's node:sqlite reader, and the shared db samples. */
import { resolve } from 'node:path';
import { openSqlite } from '../../../cli/sqlite.ts';
import { importAscendDb } from '../ascend-db.ts';
import type { TraceModel } from '../model.ts';
import { SHARED_TRACES } from './shared.ts';

export { openSqlite };

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
