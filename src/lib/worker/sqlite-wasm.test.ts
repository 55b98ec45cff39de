/**
 * The browser's SQLite (sql.js, WebAssembly) gives the importer the same rows as Node's node:sqlite:
 * the same model and the same step breakdown from a real db sample, and the same one-line refusal
 * for a truncated db.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importAscendDb } from '../trace/ascend-db.ts';
import { TraceLoadError } from '../trace/errors.ts';
import { DB_SAMPLES, loadDb } from '../trace/test-support/sqlite.ts';
import { sharedTracesPresent, warnIfAbsent } from '../trace/test-support/shared.ts';
import { stepTraceTime } from '../analysis/step-trace.ts';
import { openSqliteBytes, sqlJs } from './sqlite-wasm.ts';

warnIfAbsent();
const dist = dirname(createRequire(import.meta.url).resolve('sql.js'));
const nodeEngine = () => sqlJs((file) => join(dist, file));

describe.skipIf(!sharedTracesPresent)('sql.js reads the Ascend db as node:sqlite does', () => {
  const sample = DB_SAMPLES[3];

  it(`${sample.name}: same slices, flows, counters, origin and step breakdown`, async () => {
    const bytes = new Uint8Array(readFileSync(sample.db));
    const db = await openSqliteBytes(bytes, nodeEngine);
    const viaWasm = await importAscendDb(db.query, { bytes: bytes.length });
    db.close();
    const viaNode = await loadDb(sample.db);
    expect([viaWasm.originUs, viaWasm.slices.length, viaWasm.flows.length, viaWasm.counters.length]).toEqual([viaNode.originUs, viaNode.slices.length, viaNode.flows.length, viaNode.counters.length]);
    expect(Array.from(viaWasm.slices.startNs)).toEqual(Array.from(viaNode.slices.startNs));
    expect(stepTraceTime(viaWasm)).toEqual(stepTraceTime(viaNode));
  });

  it('a truncated db: a bad-database error, nothing crashes', async () => {
    const bytes = new Uint8Array(readFileSync(sample.db));
    const db = await openSqliteBytes(bytes.subarray(0, bytes.length >> 1), nodeEngine);
    const e = await importAscendDb(db.query).catch((x: unknown) => x);
    db.close();
    expect(e).toBeInstanceOf(TraceLoadError);
    expect([(e as TraceLoadError).code, (e as TraceLoadError).params.problem]).toEqual(['bad-database', 'damaged']);
  });
});
