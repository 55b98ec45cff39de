/**
 * Loaded traces shared by every widget on a page, keyed by URL: two widgets
 * showing the same sample load it once. Each `loadSharedTrace` is a hold on
 * the entry until its `cancel()` (a widget calls it when it shows something
 * else or goes away): the last hold released aborts a load still running, or
 * drops a loaded model from the cache, so a page that loads trace after trace
 * keeps only the models some widget still shows. A failed or cancelled load is
 * dropped so that the next request starts afresh. Loads go through the worker
 * with its analysis (`analysisOf(model)` in src/lib/worker/client.ts finds it).
 *
 * `prefetchTrace` starts a load before any widget asks (prefetch.ts: a widget
 * scrolled into view while its code is still on the way); its hold passes to
 * the first widget that asks for that URL.
 */
import type { TraceModel } from '../../lib/trace/model.ts';
import { openTraceWithAnalysis } from '../../lib/worker/client.ts';

export interface LoadProgress {
  bytesRead: number;
  totalBytes?: number;
  events: number;
}

interface Entry {
  promise: Promise<TraceModel>;
  controller: AbortController;
  listeners: Set<(p: LoadProgress) => void>;
  /** Open holds (loadSharedTrace calls not yet cancelled). */
  holders: number;
  last: LoadProgress | null;
  model: TraceModel | null;
}

const cache = new Map<string, Entry>();
/** Holds taken by `prefetchTrace`, until a widget takes the load over. */
const prefetched = new Map<string, SharedLoad>();

export interface SharedLoad {
  promise: Promise<TraceModel>;
  /** Release this hold: aborts the load, or forgets the loaded model, when no other widget holds it. */
  cancel(): void;
}

/** The model of `url` when it is already loaded (to render without a flash). */
export function cachedTrace(url: string): TraceModel | null {
  return cache.get(url)?.model ?? null;
}

/** URLs in the cache and their hold counts (for tests and the memory benchmark). */
export function cacheEntries(): Array<{ url: string; holders: number; loaded: boolean }> {
  return [...cache].map(([url, e]) => ({ url, holders: e.holders, loaded: e.model !== null }));
}

export function loadSharedTrace(url: string, onProgress: (p: LoadProgress) => void): SharedLoad {
  let entry = cache.get(url);
  if (!entry) {
    const controller = new AbortController();
    const listeners = new Set<(p: LoadProgress) => void>();
    const e: Entry = { promise: Promise.resolve(null as unknown as TraceModel), controller, listeners, holders: 0, last: null, model: null };
    e.promise = openTraceWithAnalysis(url, {
      signal: controller.signal,
      onProgress: (p: LoadProgress) => {
        e.last = p;
        for (const l of listeners) l(p);
      },
    }).model.then(
      (model) => {
        e.listeners.clear();
        e.last = null;
        // Every hold was released while the worker finished: nobody shows it.
        if (e.holders === 0) {
          if (cache.get(url) === e) cache.delete(url);
        } else e.model = model;
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
  e.holders++;
  // A widget now holds what was prefetched for it: the prefetch lets go (the entry stays, held by the widget).
  const early = prefetched.get(url);
  if (early) {
    prefetched.delete(url);
    early.cancel();
  }
  if (!e.model) {
    e.listeners.add(onProgress);
    if (e.last) onProgress(e.last);
  }
  let released = false;
  return {
    promise: e.promise,
    cancel() {
      if (released) return;
      released = true;
      e.holders--;
      e.listeners.delete(onProgress);
      if (e.holders > 0) return;
      // Stops the load, or the worker still analysing a model nobody shows.
      e.controller.abort();
      if (cache.get(url) === e) cache.delete(url);
    },
  };
}

/**
 * Starts loading `url` for a widget that will ask for it soon; nothing when it
 * is already in the cache. The load is held until the first `loadSharedTrace`
 * of `url`, which takes it over (so it is never loaded twice); a prefetched
 * trace no widget asks for stays in the cache.
 */
export function prefetchTrace(url: string): void {
  if (cache.has(url) || prefetched.has(url)) return;
  prefetched.set(url, loadSharedTrace(url, () => {}));
}

/** A local file is never shared: its own load, cancellable by its own controller. */
export function loadFile(file: Blob, onProgress: (p: LoadProgress) => void): SharedLoad {
  const controller = new AbortController();
  return { promise: openTraceWithAnalysis(file, { signal: controller.signal, onProgress }).model, cancel: () => controller.abort() };
}
