/**
 * loadTrace: bytes (a stream or an array, gzip or not) → TraceModel.
 *
 * The input is read chunk by chunk through the streaming tokenizer, so neither
 * the whole text nor an object per event ever exists; gzip is recognised by its
 * magic bytes and inflated with the platform's DecompressionStream under a size
 * limit. Long loads yield to the event loop every ~50 ms so that a worker can
 * receive its cancel message; the AbortSignal is checked after every chunk.
 */
import { TraceLoadError } from './errors.ts';
import type { LoadStats, LoadWarning, TraceModel } from './model.ts';
import { TraceTokenizer } from './tokenizer.ts';
import { TraceBuilder } from './builder.ts';
import { assembleModel } from './assemble.ts';
import { WELL_KNOWN_ARGS_KEYS } from './args.ts';

export interface LoadProgress {
  /** Input bytes read (compressed bytes for a .gz). */
  bytesRead: number;
  totalBytes?: number;
  /** Events read so far. */
  events: number;
}

export interface LoadOptions {
  fileName?: string;
  /** Input size when known (a File's size), for progress. */
  totalBytes?: number;
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
  /** Largest decompressed size accepted from a gzip input (default 4 GiB). */
  maxDecompressedBytes?: number;
  /**
   * Inflates a gzip stream; defaults to the platform's DecompressionStream. The
   * CLI passes node:zlib with 1 MB output chunks (Node's DecompressionStream
   * hands out 16 KB at a time through the event loop, ~3× slower).
   */
  gunzip?: (compressed: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;
  /**
   * Top-level args keys whose values are located as the args are read (`ArgsTable.keyed`), so reading
   * them from every slice later needs no search of the text; default `WELL_KNOWN_ARGS_KEYS` (args.ts).
   */
  argsKeys?: readonly string[];
  /**
   * The input's chunks are the loader's once it has read them: nobody else holds or reads them (the
   * worker's relayed File chunks, a fetch body's, a Blob's stream). The loader then stores args in their
   * memory instead of fresh memory (`ArgsBuilder.recycle`). Never set it for a reader that refills one
   * buffer (the CLI's); a Uint8Array input is never recycled.
   */
  ownsInput?: boolean;
}

export const DEFAULT_MAX_DECOMPRESSED_BYTES = 4 * 1024 ** 3;
/** Slice size when the input is one array: big enough to amortise, small enough to report progress. */
const ARRAY_CHUNK_BYTES = 4 * 1024 * 1024;
const YIELD_EVERY_MS = 50;
/** Files smaller than this grow their columns by doubling alone. */
const RESERVE_FROM_BYTES = 8 * 1024 * 1024;
/** The shortest trace event is about this long (`{"ph":"i","ts":0}` and a comma): the cap on rows reserved. */
const MIN_EVENT_BYTES = 16;
const PROGRESS_EVERY_MS = 50;

/**
 * A stream (a File's, a fetch body's), the whole bytes, or any async iterable
 * of chunks (the CLI's file reader: Node's web streams cost ~10 ms to set up,
 * a fifth of a 10 MB load).
 */
type Input = ReadableStream<Uint8Array> | Uint8Array | AsyncIterable<Uint8Array>;

export async function loadTrace(input: Input, opts: LoadOptions = {}): Promise<TraceModel> {
  const signal = opts.signal;
  throwIfAborted(signal);
  const tok = new TraceTokenizer(opts.argsKeys ?? WELL_KNOWN_ARGS_KEYS);
  const builder = new TraceBuilder(tok);
  tok.sink = builder;
  const limit = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const extraWarnings: LoadWarning[] = [];

  let bytesIn = 0;
  let bytesOut = 0;
  let lastYield = now();
  let lastProgress = 0;
  const report = (force: boolean): void => {
    if (!opts.onProgress) return;
    const t = now();
    if (!force && t - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = t;
    opts.onProgress({ bytesRead: bytesIn, totalBytes: opts.totalBytes, events: builder.events });
  };

  let gzipCut: LoadStats['gzipCut'];
  const recycle = opts.ownsInput === true && !(input instanceof Uint8Array);
  // The columns' room is set once a sixteenth of a file of known size is read (TraceBuilder.reserveFor).
  const total = opts.totalBytes ?? 0;
  let reserved = !(total >= RESERVE_FROM_BYTES);
  const raw = rawChunks(input, (n) => (bytesIn += n));
  try {
    const first = await firstBytes(raw);
    checkContainer(first.head);
    checkTable(first.head);
    let chunks: AsyncIterator<Uint8Array>;
    let gzip = false;
    if (first.head.length >= 2 && first.head[0] === 0x1f && first.head[1] === 0x8b) {
      gzip = true;
      chunks = gunzip(first.head, raw, opts.gunzip);
    } else {
      chunks = prepend(first.head, raw);
    }
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await chunks.next();
      } catch (e) {
        if (e instanceof TraceLoadError || !gzip) throw e;
        const problem = gzipProblem(e, bytesIn, bytesOut);
        if (problem) extraWarnings.push(problem);
        if (problem?.code === 'truncated') gzipCut = { compressedBytes: bytesIn, inflatedBytes: bytesOut };
        break;
      }
      if (next.done) break;
      const chunk = next.value;
      bytesOut += chunk.length;
      if (gzip && bytesOut > limit) {
        throw new TraceLoadError('too-large', `The file inflates to more than ${formatBytes(limit)} (the limit); it may be a gzip bomb.`, undefined, { limitBytes: limit });
      }
      tok.push(chunk);
      if (recycle) builder.args.recycle(chunk);
      if (!reserved && bytesIn * 16 >= total) {
        reserved = true;
        if (bytesIn < total) builder.reserveFor(total / bytesIn, Math.ceil(total / MIN_EVENT_BYTES));
      }
      throwIfAborted(signal);
      report(false);
      if (now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        throwIfAborted(signal);
        lastYield = now();
      }
    }
  } catch (e) {
    await raw.return?.(undefined);
    throw e;
  }
  const end = tok.end();
  report(true);
  checkIsTrace(tok, builder, end.truncated, bytesOut);
  throwIfAborted(signal);
  const model = assembleModel({ builder, end, bytes: bytesOut, extraWarnings });
  if (gzipCut) model.stats.gzipCut = gzipCut;
  return model;
}

function checkIsTrace(tok: TraceTokenizer, b: TraceBuilder, truncated: boolean, bytes: number): void {
  if (tok.rootIsArray === null) throw new TraceLoadError('empty', 'The file is empty.', 0);
  if (!tok.sawEventsArray) {
    if (truncated) throw new TraceLoadError('syntax', 'The file ends before its list of trace events begins.', bytes);
    throw new TraceLoadError('not-a-trace', 'The file is JSON but has no "traceEvents" list.');
  }
  const withPhase = b.events;
  if (tok.elements > 0 && withPhase === 0 && !truncated) {
    throw new TraceLoadError('not-a-trace', "The file is JSON, but none of its elements is a trace event (none has a 'ph' field).");
  }
  if (truncated && withPhase === 0) throw new TraceLoadError('syntax', 'The file ends before its first complete trace event.', bytes);
}

const SQLITE_MAGIC = Array.from('SQLite format 3\0', (c) => c.charCodeAt(0));

function checkContainer(head: Uint8Array): void {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => head[i] === b);
  const refuse = (container: string, message: string): TraceLoadError => new TraceLoadError('unsupported', message, 0, { container });
  if (starts(0x50, 0x4b, 0x03, 0x04)) throw refuse('zip', 'This is a zip archive; unzip it and open the trace file inside.');
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) throw refuse('zstd', 'This is zstd-compressed; decompress it first (zstd -d).');
  if (starts(0x42, 0x5a, 0x68)) throw refuse('bzip2', 'This is bzip2-compressed; decompress it first (bunzip2).');
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a)) throw refuse('xz', 'This is xz-compressed; decompress it first (xz -d).');
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) throw refuse('utf-16', 'This file is UTF-16 text; save it as UTF-8.');
  // msprof's .db files and Nsight Systems' .sqlite exports: the data is there, but not as trace events.
  if (starts(...SQLITE_MAGIC)) throw refuse('sqlite', 'This is an SQLite database (.db), not a JSON trace; export the timeline as JSON (for Ascend, trace_view.json).');
}

/**
 * A CSV/TSV file (torch_npu writes kernel_details.csv and friends beside
 * trace_view.json, easy to pick by mistake) gets its own message. It reads
 * like one when its first line (within the first 4 KB) has a comma, tab or
 * semicolon outside quotes, no `":` (a JSON key), and a line follows. Decided
 * on the head the loader reads before anything else, so it does not depend
 * on how the input is chunked. Plain (not gzip) input only.
 */
function checkTable(head: Uint8Array): void {
  let p = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (p < head.length && (head[p] === 32 || head[p] === 10 || head[p] === 13 || head[p] === 9)) p++;
  if (p >= head.length || head[p] === 0x5b || head[p] === 0x7b || head[0] === 0x1f) return;
  const stop = Math.min(head.length, p + 4096);
  let separators = 0;
  let inQuotes = false;
  for (let i = p; i < stop; i++) {
    const c = head[i];
    if (c === 10 || c === 13) {
      if (separators === 0 || i + 1 >= head.length) return;
      const firstByte = head[p] >= 33 && head[p] < 127 ? `'${String.fromCharCode(head[p])}'` : `byte 0x${head[p].toString(16).padStart(2, '0')}`;
      throw new TraceLoadError('not-json', 'This looks like a CSV table, not a JSON trace (for Ascend output, open trace_view.json).', p, { firstByte, looksLike: 'csv' });
    }
    if (c === 0x22) {
      if (inQuotes && head[i + 1] === 0x3a) return; // "key": is JSON, however broken
      inQuotes = !inQuotes;
    } else if (!inQuotes && (c === 0x2c || c === 9 || c === 0x3b)) separators++;
    else if (c < 32) return;
  }
}

/** A gzip read error after `bytesIn` compressed and `bytesOut` inflated bytes → a warning, or a thrown error when nothing came out. */
function gzipProblem(e: unknown, bytesIn: number, bytesOut: number): LoadWarning | null {
  const code = (e as { code?: string } | null)?.code ?? '';
  if (code === 'ERR_TRAILING_JUNK_AFTER_STREAM_END') {
    return { code: 'other', message: 'Bytes after the end of the gzip stream were ignored.', count: 1 };
  }
  if (bytesOut === 0) {
    throw new TraceLoadError('gzip-corrupt', `The gzip data cannot be decompressed${code ? ` (${code})` : ''}.`, undefined, code ? { zlibCode: code } : {});
  }
  return {
    code: 'truncated',
    message: `The gzip stream is cut off or damaged: the ${bytesIn} compressed bytes read inflated to ${bytesOut} bytes of JSON, all of which were read; whatever the file held after that point is missing.`,
    count: 1,
  };
}

// ---- byte sources ---------------------------------------------------------

async function* rawChunks(input: Input, count: (n: number) => void): AsyncGenerator<Uint8Array, void, undefined> {
  if (input instanceof Uint8Array) {
    for (let off = 0; off < input.length; off += ARRAY_CHUNK_BYTES) {
      const chunk = input.subarray(off, Math.min(input.length, off + ARRAY_CHUNK_BYTES));
      count(chunk.length);
      yield chunk;
    }
    return;
  }
  if (!('getReader' in input)) {
    for await (const value of input) {
      if (value.length === 0) continue;
      count(value.length);
      yield value;
    }
    return;
  }
  const reader = input.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.length === 0) continue;
      count(value.length);
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads until at least 4 KB (magic numbers, a CSV's first line) or the end. */
async function firstBytes(it: AsyncIterator<Uint8Array>): Promise<{ head: Uint8Array }> {
  const parts: Uint8Array[] = [];
  let n = 0;
  while (n < 4096) {
    const r = await it.next();
    if (r.done) break;
    parts.push(r.value);
    n += r.value.length;
  }
  if (parts.length === 1) return { head: parts[0] };
  const head = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    head.set(p, off);
    off += p.length;
  }
  return { head };
}

async function* prepend(head: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  if (head.length > 0) yield head;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

function gunzip(
  head: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  inflate: LoadOptions['gunzip'],
): AsyncIterator<Uint8Array> {
  if (!inflate && typeof DecompressionStream === 'undefined') {
    throw new TraceLoadError('unsupported', 'This environment cannot decompress gzip (no DecompressionStream); decompress the file first.', undefined, { container: 'gzip-unavailable' });
  }
  if (!inflate) return platformGunzip(head, rest);
  let sentHead = false;
  const source = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(head);
        return;
      }
      const r = await rest.next();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    async cancel() {
      await rest.return?.(undefined);
    },
  });
  const reader = inflate(source).getReader();
  return {
    async next(): Promise<IteratorResult<Uint8Array>> {
      const { done, value } = await reader.read();
      return done ? { done: true, value: undefined } : { done: false, value };
    },
    async return(): Promise<IteratorResult<Uint8Array>> {
      await reader.cancel().catch(() => undefined);
      return { done: true, value: undefined };
    },
  };
}

/**
 * The platform's DecompressionStream, fed by hand rather than piped. A cut
 * stream makes it error when its input is closed, and erroring a stream
 * empties its queue: Chromium enqueues all that one input chunk inflates to at
 * once, so a pipe that closed the input as soon as it ran out threw away most
 * of a cut file, more or less depending on timing. Here the input is closed
 * only once every chunk has been written and the reader has emptied the queue
 * (its read still waits after a macrotask turn), so everything inflated before
 * the cut reaches the tokenizer; the error that follows only says "cut here".
 */
function platformGunzip(head: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncIterator<Uint8Array> {
  const ds = new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>;
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let inputError: { error: unknown } | null = null;
  let closed = false;
  // Resolves once every input chunk is written (or the input or the inflater failed).
  const fed = (async () => {
    let chunk: Uint8Array | undefined = head;
    while (chunk) {
      // Resolves after the inflater took the chunk, which waits until its output is being read.
      // A failing write is the inflater's error, which the reader reports.
      if (!(await writer.write(chunk).then(() => true, () => false))) return;
      try {
        const r = await rest.next();
        chunk = r.done ? undefined : r.value;
      } catch (e) {
        inputError = { error: e };
        return;
      }
    }
  })();
  const closeWhenDrained = async (read: Promise<unknown>): Promise<void> => {
    let settled = false;
    void read.then(
      () => (settled = true),
      () => (settled = true),
    );
    await Promise.race([read.catch(() => undefined), fed]);
    while (!settled && !closed) {
      if (inputError) throw inputError.error;
      await yieldToEventLoop();
      if (settled) return;
      closed = true;
      writer.close().catch(() => undefined);
    }
  };
  return {
    async next(): Promise<IteratorResult<Uint8Array>> {
      const read = reader.read();
      if (!closed) await closeWhenDrained(read);
      const { done, value } = await read;
      return done ? { done: true, value: undefined } : { done: false, value };
    },
    async return(): Promise<IteratorResult<Uint8Array>> {
      await reader.cancel().catch(() => undefined);
      await rest.return?.(undefined);
      return { done: true, value: undefined };
    },
  };
}

// ---- small helpers ----------------------------------------------------------

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TraceLoadError('aborted', 'Loading was cancelled.');
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

/** A macrotask turn (not a microtask), so queued messages such as "cancel" get through. */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel !== 'undefined') {
    // setTimeout(0) is clamped to 4 ms in browsers; a message is not.
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    return new Promise((resolve) => {
      waiting.push(resolve);
      channel!.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(n % 1024 ** 3 === 0 ? 0 : 1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n % 1024 ** 2 === 0 ? 0 : 1)} MiB`;
  return `${n} bytes`;
}
