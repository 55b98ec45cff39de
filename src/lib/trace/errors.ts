/**
 * The one error type the loader throws. Everything a learner can feed it
 * (garbage, a zip, a cut-off download, a gzip bomb) ends here with a stable
 * `code` the UI translates and an English `message` the CLI prints as is.
 */

export type TraceLoadErrorCode =
  | 'empty' // zero bytes, or only whitespace
  | 'not-json' // the first byte cannot start JSON (HTML, CSV, binary ...)
  | 'not-a-trace' // valid JSON, but no trace events in it
  | 'syntax' // JSON syntax error at `position`
  | 'gzip-corrupt' // gzip header or data that cannot be decompressed
  | 'too-large' // decompressed size over `maxDecompressedBytes`
  | 'aborted' // the AbortSignal fired
  | 'unsupported' // a known container we do not read (zip, zstd, bzip2, xz, UTF-16, SQLite)
  | 'bad-database'; // an SQLite file that is not an Ascend profiler db, of an unknown schema, or damaged

/**
 * The values a translated message needs besides `code` and `position`, per
 * code (all optional; absent when unknown):
 * - `not-json`: `firstByte` (as shown, e.g. "'h'" or "byte 0x00"), `looksLike` ('csv' | 'html')
 * - `unsupported`: `container` ('zip' | 'zstd' | 'bzip2' | 'xz' | 'utf-16' | 'sqlite' | 'gzip-unavailable')
 * - `too-large`: `limitBytes`
 * - `syntax`: `expected` (English phrase), `found` (as shown)
 * - `gzip-corrupt`: `zlibCode` (e.g. 'Z_DATA_ERROR')
 * - `bad-database`: `problem` ('not-profiler' | 'summary-db' | 'missing-table' | 'missing-column' | 'schema-version' | 'damaged'),
 *   `missing` (table or table.column names), `schemaVersion`, `detail` (SQLite's message)
 */
export type TraceLoadErrorParams = Readonly<Record<string, string | number>>;

export class TraceLoadError extends Error {
  readonly code: TraceLoadErrorCode;
  /** Byte offset in the (decompressed) input where the problem was found. */
  readonly position: number | undefined;
  /** See TraceLoadErrorParams. */
  readonly params: TraceLoadErrorParams;

  constructor(code: TraceLoadErrorCode, message: string, position?: number, params: TraceLoadErrorParams = {}) {
    super(message);
    this.name = 'TraceLoadError';
    this.code = code;
    this.position = position;
    this.params = params;
  }
}

export function isTraceLoadError(e: unknown): e is TraceLoadError {
  return e instanceof TraceLoadError;
}
