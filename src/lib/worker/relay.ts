/**
 * A File or Blob read on the page and handed to the trace worker in chunks.
 *
 * Why: a Blob's stream delivers its bytes on the thread that reads it, and only while that thread is free.
 * Read in the worker, the parse and the delivery took turns: in Chromium on a 2-core machine the worker
 * waited ~0.3 s for data over a 100 MB file even though the file streams in ~0.34 s alone and its parse never
 * stops for it (README.md, "The file read on the page"). Read on the page (mostly idle while the worker
 * parses) and posted with its buffers transferred, the next chunk is already there when the parse asks.
 *
 * `relayBlob` (page) posts `chunk` messages and then one `chunk-end`, keeping at most `RELAY_WINDOW_BYTES`
 * ahead of what the worker acknowledged (`chunk-ack`, sent as the loader takes each chunk), so a 1 GB file
 * never piles up in the worker's queue. `ChunkInbox` (worker) is those messages as the async iterable of
 * chunks the loader reads.
 */
import { TraceLoadError } from '../trace/errors.ts';
import type { MessageEndpoint, WorkerRequest } from './protocol.ts';

/** Bytes the page may send ahead of the worker's last acknowledgement: a Blob stream gives 1–2 MB chunks; 8 and 32 MiB read a 100 MB trace alike within the machine's noise, and 32 leaves the loader more slack. */
export const RELAY_WINDOW_BYTES = 32 * 2 ** 20;

/** What `relayBlob` needs from the page's side of the channel. */
export interface RelayControl {
  /** True once the load ended (done, failed, cancelled): the read stops. */
  stopped(): boolean;
  /** Resolves when an acknowledgement beyond `bytes` has come (or the load stopped). */
  ackedBeyond(bytes: number): Promise<void>;
  acked(): number;
  /** Each chunk at its offset in the file, as it is read and before it goes (the upload page's fingerprint). */
  onChunk?: (bytes: Uint8Array, offset: number) => void;
}

/** Reads `blob` and posts it as `chunk` messages for load `id`, then `chunk-end` (with the error when the read failed). */
export async function relayBlob(blob: Blob, endpoint: MessageEndpoint, id: number, control: RelayControl): Promise<void> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let sent = 0;
  try {
    reader = blob.stream().getReader() as ReadableStreamDefaultReader<Uint8Array>;
    for (;;) {
      while (sent - control.acked() > RELAY_WINDOW_BYTES && !control.stopped()) await control.ackedBeyond(control.acked());
      if (control.stopped()) return;
      const { done, value } = await reader.read();
      if (control.stopped()) return;
      if (done) break;
      if (value.length === 0) continue;
      // A chunk that is a view into a larger buffer is copied: transferring its buffer would send the rest too.
      const own = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice();
      control.onChunk?.(own, sent);
      // Counted before it goes: the transfer empties `own`.
      sent += own.length;
      endpoint.postMessage({ type: 'chunk', id, bytes: own } satisfies WorkerRequest, [own.buffer as ArrayBuffer]);
    }
    endpoint.postMessage({ type: 'chunk-end', id } satisfies WorkerRequest);
  } catch (e) {
    if (!control.stopped()) endpoint.postMessage({ type: 'chunk-end', id, error: (e as Error)?.message ?? String(e) } satisfies WorkerRequest);
  } finally {
    if (control.stopped()) void reader?.cancel().catch(() => {});
    reader?.releaseLock();
  }
}

/** The worker's end: `chunk` messages in, chunks out to the loader, an acknowledgement per chunk taken. */
export class ChunkInbox implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private ended = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  private taken = 0;
  private readonly ack: (bytes: number) => void;

  /** `ack(bytes)`: tell the page how many bytes the loader has taken so far. */
  constructor(ack: (bytes: number) => void) {
    this.ack = ack;
  }

  push(bytes: Uint8Array): void {
    if (this.ended) return;
    this.queue.push(bytes);
    this.wakeUp();
  }

  /** No more chunks; with `error`, the read failed (or the load was cancelled) and the loader gets it. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.failure = error;
    this.wakeUp();
  }

  /** The next chunk, or null at the end. */
  async next(): Promise<Uint8Array | null> {
    for (;;) {
      const chunk = this.queue.shift();
      if (chunk) {
        this.taken += chunk.length;
        this.ack(this.taken);
        return chunk;
      }
      if (this.failure !== null) throw this.failure;
      if (this.ended) return null;
      await new Promise<void>((ok) => (this.wake = ok));
    }
  }

  /** The first `n` bytes (fewer if the data is shorter), without taking them from the chunks. */
  async head(n: number): Promise<Uint8Array> {
    while (this.queue.reduce((k, c) => k + c.length, 0) < n && !this.ended) await new Promise<void>((ok) => (this.wake = ok));
    if (this.failure !== null && this.queue.length === 0) throw this.failure;
    const out = new Uint8Array(Math.min(n, this.queue.reduce((k, c) => k + c.length, 0)));
    let o = 0;
    for (const c of this.queue) {
      if (o >= out.length) break;
      const part = c.subarray(0, out.length - o);
      out.set(part, o);
      o += part.length;
    }
    return out;
  }

  /** Every chunk, concatenated (an Ascend database export: SQLite opens one buffer). */
  async all(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let n = 0;
    for (let c = await this.next(); c; c = await this.next()) {
      parts.push(c);
      n += c.length;
    }
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (let c = await this.next(); c; c = await this.next()) yield c;
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}

/** What the loader gets when a load is cancelled while it waits for a chunk. */
export const relayCancelled = (): TraceLoadError => new TraceLoadError('aborted', 'Loading was cancelled.');
