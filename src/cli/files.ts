/**
 * Node-only helpers for the CLI: read a trace file from disk in 1 MB reads
 * (never the whole file, never one string) into the shared loader; an Ascend
 * profiler db (`ascend_pytorch_profiler_N.db`) through node:sqlite into the db
 * importer; a torch_npu output folder (`*_ascend_pt`) through the db or the
 * trace_view.json inside it.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { loadTrace, type LoadOptions } from '../lib/trace/load.ts';
import type { TraceModel } from '../lib/trace/model.ts';
import { importAscendDb } from '../lib/trace/ascend-db.ts';
import { isSqliteFile, openSqlite } from './sqlite.ts';

const READ_BYTES = 1 << 20;

/**
 * Loads a trace file (plain or gzip JSON, or an Ascend profiler db) or a torch_npu output folder.
 * Throws TraceLoadError for bad content, Node's fs errors for bad paths.
 */
export async function loadTraceFile(path: string, opts: LoadOptions = {}): Promise<TraceModel> {
  if (isDirectory(path)) path = traceInFolder(path);
  if (isSqliteFile(path)) return loadAscendDbFile(path, opts);
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path} is a directory`), { code: 'EISDIR' });
    return await loadTrace(fileChunks(fd, !isGzip(fd)), { fileName: path, totalBytes: info.size, gunzip: nodeGunzip, ...opts });
  } finally {
    closeSync(fd);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // openSync below reports the missing path
  }
}

/**
 * The trace of a torch_npu output folder (`*_ascend_pt`, its ASCEND_PROFILER_OUTPUT, or any folder
 * holding one): the profiler db when there is one, else trace_view.json(.gz). A folder with neither
 * throws an error with code ENOTRACE (describeFileError names it).
 */
export function traceInFolder(dir: string): string {
  const candidates = [dir, join(dir, 'ASCEND_PROFILER_OUTPUT')];
  for (const pattern of [/^ascend_pytorch_profiler(_\d+)?\.db$/, /^trace_view\.json(\.gz)?$/]) {
    for (const d of candidates) {
      if (!existsSync(d)) continue;
      const hit = readdirSync(d).sort().find((f) => pattern.test(f));
      if (hit) return join(d, hit);
    }
  }
  throw Object.assign(new Error(`${dir} is a folder with no ascend_pytorch_profiler_N.db or trace_view.json`), { code: 'ENOTRACE' });
}

/** rank_id of profiler_info_N.json beside the db or in the folder above it (the *_ascend_pt root); null when absent. */
function rankFromProfilerInfo(dbPath: string): number | null {
  for (const d of [dirname(dbPath), dirname(dirname(dbPath))]) {
    let files: string[];
    try {
      files = readdirSync(d).filter((f) => /^profiler_info(_\d+)?\.json$/.test(f));
    } catch {
      continue;
    }
    for (const f of files) {
      try {
        const rank = (JSON.parse(readFileSync(join(d, f), 'utf8')) as { rank_id?: unknown }).rank_id;
        if (typeof rank === 'number' && Number.isInteger(rank) && rank >= 0) return rank;
      } catch {
        // a damaged profiler_info is no reason to refuse the db
      }
    }
  }
  return null;
}

/** An Ascend profiler db through node:sqlite (read-only) into the shared db importer. */
export async function loadAscendDbFile(path: string, opts: LoadOptions = {}): Promise<TraceModel> {
  const { query, close } = await openSqlite(path);
  try {
    return await importAscendDb(query, { signal: opts.signal, onProgress: opts.onProgress, bytes: statSync(path).size, rank: rankFromProfilerInfo(path) });
  } finally {
    close();
  }
}

/**
 * The file in 1 MB reads. Synchronous reads of a local file take well under a
 * millisecond each and the loader yields to the event loop every 50 ms, so
 * nothing waits on them; a web ReadableStream here cost ~10 ms of set-up and
 * a promise round trip per chunk.
 *
 * `reuse`: one buffer for every read. Safe for plain JSON, which the loader
 * reads synchronously before asking for the next chunk (it copies what it
 * keeps); a fresh buffer per read costs ~10% of a load in page faults. Not for
 * gzip, whose inflater may still hold earlier chunks.
 */
async function* fileChunks(fd: number, reuse: boolean): AsyncGenerator<Uint8Array, void, undefined> {
  let buf = new Uint8Array(READ_BYTES);
  for (;;) {
    if (!reuse) buf = new Uint8Array(READ_BYTES);
    const bytesRead = readSync(fd, buf, 0, READ_BYTES, null);
    if (bytesRead === 0) return;
    yield bytesRead === READ_BYTES ? buf : buf.subarray(0, bytesRead);
  }
}

/** Whether the file starts with gzip's magic bytes (read at offset 0; the stream position is unchanged). */
function isGzip(fd: number): boolean {
  const head = new Uint8Array(2);
  return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** node:zlib inflation with 1 MB output chunks (see LoadOptions.gunzip). */
export function nodeGunzip(compressed: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const inflater = createGunzip({ chunkSize: 1 << 20 });
  const out = Readable.fromWeb(compressed as NodeReadableStream<Uint8Array>).pipe(inflater);
  // pipe() does not forward errors from the source; the loader sees them as the stream's error.
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}

/** One short English phrase for a Node fs error ("no such file"), or null when `e` is not one. */
export function describeFileError(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTRACE':
      return 'a folder with no ascend_pytorch_profiler_N.db or trace_view.json (in it or in its ASCEND_PROFILER_OUTPUT)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EMFILE':
      return 'too many open files';
    default:
      return typeof code === 'string' && code.startsWith('E') ? `cannot read (${code})` : null;
  }
}
