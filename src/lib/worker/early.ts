/**
 * The trace worker, created and handed its first request before the code that
 * reads its answers has loaded. A lesson page starts a visible widget's trace
 * from a small page script (src/components/timeline/prefetch.ts): with this
 * module alone (no client.ts, no lib/analysis) it creates the worker and posts
 * `open` for the URL, so the worker script's download, the trace's download,
 * parse and analysis all start at once instead of after the page has fetched
 * and run the client's chunks. Its answers wait in a `BufferedEndpoint` until
 * client.ts adopts the request (`takeEarlyLoad`) and sets `onmessage`.
 *
 * The one place that names the worker's script (`newTraceWorker`), so Vite
 * bundles it once.
 */
import type { MessageEndpoint, WorkerRequest } from './protocol.ts';

export type WorkerEndpoint = MessageEndpoint & { terminate: () => void };

/** A new module Worker running trace.worker.ts. */
export function newTraceWorker(): WorkerEndpoint {
  return new Worker(new URL('./trace.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerEndpoint;
}

/**
 * An endpoint that keeps the messages it receives while nobody listens and
 * delivers them, in order, to the first `onmessage` set (then passes every
 * message straight through).
 */
export class BufferedEndpoint implements WorkerEndpoint {
  #handler: ((event: MessageEvent) => void) | null = null;
  #queue: MessageEvent[] = [];
  readonly #inner: WorkerEndpoint;

  constructor(inner: WorkerEndpoint) {
    this.#inner = inner;
    inner.onmessage = (event) => {
      if (this.#handler) this.#handler(event);
      else this.#queue.push(event);
    };
  }

  get onmessage(): ((event: MessageEvent) => void) | null {
    return this.#handler;
  }

  set onmessage(handler: ((event: MessageEvent) => void) | null) {
    this.#handler = handler;
    // Replay what came meanwhile; stop if the handler lets go on the way (after `done` or `error`).
    while (handler && this.#handler === handler && this.#queue.length) handler(this.#queue.shift()!);
  }

  /** Messages received and not yet delivered (tests). */
  get pending(): number {
    return this.#queue.length;
  }

  postMessage(message: unknown, transfer?: Transferable[]): void {
    this.#inner.postMessage(message, transfer);
  }

  terminate(): void {
    this.#queue = [];
    this.#inner.terminate();
  }
}

/** Ids of early requests count down from -1, so they never meet client.ts's (1, 2, …). */
let nextEarlyId = -1;
const early = new Map<string, { endpoint: BufferedEndpoint; id: number }>();

/**
 * Starts loading and analysing `url` in a new worker (an `open` request with
 * `analyze`, as `openTraceWithAnalysis(url)` sends), unless one was started
 * for it and not yet taken. `connect` replaces the Worker (tests).
 */
export function startEarlyLoad(url: string, connect: () => WorkerEndpoint = newTraceWorker): void {
  if (early.has(url)) return;
  const endpoint = new BufferedEndpoint(connect());
  const id = nextEarlyId--;
  endpoint.postMessage({ type: 'open', id, source: url, analyze: true } satisfies WorkerRequest);
  early.set(url, { endpoint, id });
}

/** The early request for `url` (its endpoint and request id), handed over once; null when none was started. */
export function takeEarlyLoad(url: string): { endpoint: BufferedEndpoint; id: number } | null {
  const e = early.get(url);
  if (!e) return null;
  early.delete(url);
  return e;
}
