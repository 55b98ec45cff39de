/**
 * The worker side of protocol.ts, written against a plain message endpoint so
 * that tests can drive it over a MessageChannel. Loads one trace per request,
 * posts throttled progress, honours cancel, and transfers the model.
 */
import { loadTrace, type LoadProgress } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { TraceLoadError } from '../trace/errors.ts';
import { transferablesOf, type MessageEndpoint, type TraceSource, type WorkerError, type WorkerRequest, type WorkerResponse } from './protocol.ts';

export function serveTraceRequests(endpoint: MessageEndpoint): void {
  const running = new Map<number, AbortController>();
  const post = (msg: WorkerResponse, transfer?: Transferable[]): void => endpoint.postMessage(msg, transfer);

  endpoint.onmessage = (event: MessageEvent) => {
    const req = event.data as WorkerRequest;
    if (req.type === 'cancel') {
      running.get(req.id)?.abort();
      return;
    }
    if (req.type !== 'open') return;
    const controller = new AbortController();
    running.set(req.id, controller);
    void open(req.source, controller.signal, req, (progress) => post({ type: 'progress', id: req.id, progress }))
      .then((model) => post({ type: 'done', id: req.id, model }, transferablesOf(model)))
      .catch((e: unknown) => post({ type: 'error', id: req.id, error: toWorkerError(e) }))
      .finally(() => running.delete(req.id));
  };
}

async function open(
  source: TraceSource,
  signal: AbortSignal,
  req: { fileName?: string; maxDecompressedBytes?: number },
  onProgress: (p: LoadProgress) => void,
): Promise<TraceModel> {
  const opts = { fileName: req.fileName, maxDecompressedBytes: req.maxDecompressedBytes, signal, onProgress };
  if (source instanceof Uint8Array) return loadTrace(source, { ...opts, totalBytes: source.length });
  if (typeof source === 'string') {
    let response: Response;
    try {
      response = await fetch(source, { signal });
    } catch (e) {
      if (signal.aborted) throw new TraceLoadError('aborted', 'Loading was cancelled.');
      throw new FetchError(`Could not download ${source}: ${(e as Error).message}`);
    }
    if (!response.ok || !response.body) throw new FetchError(`Could not download ${source}: HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length'));
    return loadTrace(response.body, { ...opts, totalBytes: Number.isFinite(length) && length > 0 ? length : undefined });
  }
  return loadTrace(source.stream() as ReadableStream<Uint8Array>, { ...opts, totalBytes: source.size });
}

class FetchError extends Error {}

function toWorkerError(e: unknown): WorkerError {
  if (e instanceof TraceLoadError) return { code: e.code, message: e.message, position: e.position };
  if (e instanceof FetchError) return { code: 'fetch', message: e.message };
  return { code: 'internal', message: `Unexpected error while loading: ${(e as Error)?.message ?? String(e)}` };
}
