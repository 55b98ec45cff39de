/**
 * Loaded traces shared by every widget on a page, keyed by URL: two widgets
 * showing the same sample load it once. A load is cancelled only when every
 * widget waiting for it has cancelled; a failed or cancelled load is dropped
 * so that the next request starts afresh.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { openTrace } from '../../lib/worker/client.ts';

export interface LoadProgress {
  bytesRead: number;
  totalBytes?: number;
  events: number;
}

interface Entry {
  promise: Promise<TraceModel>;
  controller: AbortController;
  listeners: Set<(p: LoadProgress) => void>;
  waiting: number;
  last: LoadProgress | null;
  model: TraceModel | null;
}

const cache = new Map<string, Entry>();

export interface SharedLoad {
  promise: Promise<TraceModel>;
  /** Stop waiting; aborts the load when no other widget waits for it. */
  cancel(): void;
}

/** The model of `url` when it is already loaded (to render without a flash). */
export function cachedTrace(url: string): TraceModel | null {
  return cache.get(url)?.model ?? null;
}

export function loadSharedTrace(url: string, onProgress: (p: LoadProgress) => void): SharedLoad {
  let entry = cache.get(url);
  if (!entry) {
    const controller = new AbortController();
    const listeners = new Set<(p: LoadProgress) => void>();
    const e: Entry = { promise: Promise.resolve(null as unknown as TraceModel), controller, listeners, waiting: 0, last: null, model: null };
    e.promise = openTrace(url, {
      signal: controller.signal,
      onProgress: (p: LoadProgress) => {
        e.last = p;
        for (const l of listeners) l(p);
      },
    }).then(
      (model) => {
        e.model = model;
        return model;
      },
      (err) => {
        if (cache.get(url) === e) cache.delete(url);
        throw err;
      },
    );
    cache.set(url, e);
    entry = e;
  }
  const e = entry;
  e.waiting++;
  e.listeners.add(onProgress);
  if (e.last) onProgress(e.last);
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    e.waiting--;
    e.listeners.delete(onProgress);
  };
  e.promise.then(finish, finish);
  return {
    promise: e.promise,
    cancel() {
      if (done) return;
      finish();
      if (e.waiting === 0 && !e.model) {
        e.controller.abort();
        if (cache.get(url) === e) cache.delete(url);
      }
    },
  };
}

/** A local file is never shared: its own load, cancellable by its own controller. */
export function loadFile(file: Blob, onProgress: (p: LoadProgress) => void): SharedLoad {
  const controller = new AbortController();
  return { promise: openTrace(file, { signal: controller.signal, onProgress }), cancel: () => controller.abort() };
}
