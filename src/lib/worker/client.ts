/**
 * Page side: `openTrace` loads a trace in a Web Worker and resolves with the
 * model (its typed arrays transferred back, not copied). Rejects with a
 * TraceLoadError for anything wrong with the file (same codes as the loader),
 * with code 'aborted' when the signal fires.
 */
import type { TraceModel } from '../trace/model.ts';
import { TraceLoadError } from '../trace/errors.ts';
import type { LoadProgress } from '../trace/load.ts';
import type { MessageEndpoint, TraceSource, WorkerRequest, WorkerResponse } from './protocol.ts';

export interface OpenTraceOptions {
  onProgress?: (p: LoadProgress) => void;
  signal?: AbortSignal;
  fileName?: string;
  maxDecompressedBytes?: number;
  /** Where to run the loader; defaults to a new module Worker (tests pass a MessageChannel port). */
  connect?: () => MessageEndpoint & { terminate?: () => void };
}

/** Errors that are not about the file: a failed download or a bug. */
export class TraceOpenError extends Error {
  readonly code: 'fetch' | 'internal';
  constructor(code: 'fetch' | 'internal', message: string) {
    super(message);
    this.name = 'TraceOpenError';
    this.code = code;
  }
}

let nextId = 1;

function defaultWorker(): MessageEndpoint & { terminate: () => void } {
  return new Worker(new URL('./trace.worker.ts', import.meta.url), { type: 'module' }) as unknown as MessageEndpoint & { terminate: () => void };
}

export function openTrace(source: Blob | File | string | Uint8Array, opts: OpenTraceOptions = {}): Promise<TraceModel> {
  if (opts.signal?.aborted) return Promise.reject(new TraceLoadError('aborted', 'Loading was cancelled.'));
  const endpoint = (opts.connect ?? defaultWorker)();
  const id = nextId++;
  return new Promise<TraceModel>((resolve, reject) => {
    const finish = (): void => {
      opts.signal?.removeEventListener('abort', onAbort);
      endpoint.onmessage = null;
      endpoint.terminate?.();
    };
    const onAbort = (): void => {
      endpoint.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      // Do not wait for the worker: it may be busy for another 50 ms.
      finish();
      reject(new TraceLoadError('aborted', 'Loading was cancelled.'));
    };
    opts.signal?.addEventListener('abort', onAbort);
    endpoint.onmessage = (event: MessageEvent) => {
      const msg = event.data as WorkerResponse;
      if (msg.id !== id) return;
      if (msg.type === 'progress') opts.onProgress?.(msg.progress);
      else if (msg.type === 'done') {
        finish();
        resolve(msg.model);
      } else {
        finish();
        const e = msg.error;
        reject(e.code === 'fetch' || e.code === 'internal' ? new TraceOpenError(e.code, e.message) : new TraceLoadError(e.code, e.message, e.position));
      }
    };
    const request: WorkerRequest = {
      type: 'open',
      id,
      source: source as TraceSource,
      fileName: opts.fileName ?? (typeof File !== 'undefined' && source instanceof File ? source.name : undefined),
      maxDecompressedBytes: opts.maxDecompressedBytes,
    };
    endpoint.postMessage(request);
  });
}
