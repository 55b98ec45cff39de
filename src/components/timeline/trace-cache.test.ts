import { describe, expect, it, vi, beforeEach } from 'vitest';

// The worker client is replaced by a controllable fake: each call returns a
// promise we settle by hand and records the AbortSignal it was given.
const calls: Array<{ source: unknown; signal?: AbortSignal; resolve: (m: unknown) => void; reject: (e: unknown) => void; onProgress?: (p: unknown) => void }> = [];
vi.mock('../../lib/worker/client.ts', () => ({
  openTraceWithAnalysis: (source: unknown, opts: { signal?: AbortSignal; onProgress?: (p: unknown) => void }) => ({
    model: new Promise((resolve, reject) => {
      calls.push({ source, signal: opts.signal, resolve, reject, onProgress: opts.onProgress });
      opts.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'aborted' })));
    }),
  }),
}));
const { loadSharedTrace, cachedTrace, cacheEntries, prefetchTrace } = await import('./trace-cache.ts');

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('loadSharedTrace', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('loads a URL once for every widget waiting on it, and shares progress', async () => {
    const seenA: unknown[] = [];
    const seenB: unknown[] = [];
    const a = loadSharedTrace('/traces/one.json.gz', (p) => seenA.push(p));
    calls[0].onProgress?.({ bytesRead: 10, events: 1 });
    const b = loadSharedTrace('/traces/one.json.gz', (p) => seenB.push(p));
    expect(calls.length).toBe(1);
    // A late widget is told where the load is at once.
    expect(seenB).toEqual([{ bytesRead: 10, events: 1 }]);
    const model = { tag: 'model' };
    calls[0].resolve(model);
    expect(await a.promise).toBe(model);
    expect(await b.promise).toBe(model);
    expect(seenA).toEqual([{ bytesRead: 10, events: 1 }]);
    expect(cachedTrace('/traces/one.json.gz')).toBe(model);
  });

  it('keeps loading while another widget still waits, aborts when the last one cancels', async () => {
    const a = loadSharedTrace('/traces/two.json.gz', () => {});
    const b = loadSharedTrace('/traces/two.json.gz', () => {});
    a.cancel();
    expect(calls[0].signal?.aborted).toBe(false);
    b.cancel();
    expect(calls[0].signal?.aborted).toBe(true);
    await expect(b.promise).rejects.toMatchObject({ code: 'aborted' });
    // A cancelled load is forgotten: the next request starts afresh.
    loadSharedTrace('/traces/two.json.gz', () => {});
    expect(calls.length).toBe(2);
  });

  it('forgets a failed load so that retrying loads again', async () => {
    const a = loadSharedTrace('/traces/bad.json', () => {});
    calls[0].reject(new Error('HTTP 404'));
    await expect(a.promise).rejects.toThrow('HTTP 404');
    await flush();
    expect(cachedTrace('/traces/bad.json')).toBeNull();
    loadSharedTrace('/traces/bad.json', () => {});
    expect(calls.length).toBe(2);
  });

  it('keeps a loaded model while a widget holds it and forgets it when the last hold is released', async () => {
    const url = '/traces/held.json.gz';
    const a = loadSharedTrace(url, () => {});
    const b = loadSharedTrace(url, () => {});
    const model = { tag: 'held' };
    calls[0].resolve(model);
    await a.promise;
    expect(cacheEntries().find((e) => e.url === url)).toEqual({ url, holders: 2, loaded: true });
    a.cancel();
    a.cancel(); // a second release of the same hold counts once
    expect(cachedTrace(url)).toBe(model);
    b.cancel();
    expect(cachedTrace(url)).toBeNull();
    expect(cacheEntries().some((e) => e.url === url)).toBe(false);
    // Its worker (still analysing) is stopped too.
    expect(calls[0].signal?.aborted).toBe(true);
    // Showing it again loads it again.
    loadSharedTrace(url, () => {});
    expect(calls.length).toBe(2);
  });

  it('holds only the current model when one widget loads ten traces in a row', async () => {
    let current: ReturnType<typeof loadSharedTrace> | null = null;
    for (let i = 0; i < 10; i++) {
      current?.cancel();
      const next = loadSharedTrace(`/traces/seq-${i}.json.gz`, () => {});
      current = next;
      calls[i].resolve({ tag: i });
      await next.promise.catch(() => {});
    }
    const seq = cacheEntries().filter((e) => e.url.startsWith('/traces/seq-'));
    expect(seq).toEqual([{ url: '/traces/seq-9.json.gz', holders: 1, loaded: true }]);
    expect(calls.slice(0, 9).every((c) => c.signal?.aborted)).toBe(true);
    current?.cancel();
    expect(cacheEntries().filter((e) => e.url.startsWith('/traces/seq-'))).toEqual([]);
  });

  it('a widget that arrives after the load shares the model and drops no listener on it', async () => {
    const url = '/traces/late.json.gz';
    const a = loadSharedTrace(url, () => {});
    calls[0].resolve({ tag: 'late' });
    await a.promise;
    const seen: unknown[] = [];
    const b = loadSharedTrace(url, (p) => seen.push(p));
    expect(await b.promise).toEqual({ tag: 'late' });
    expect(calls.length).toBe(1);
    expect(seen).toEqual([]);
    a.cancel();
    expect(cachedTrace(url)).toEqual({ tag: 'late' });
    b.cancel();
    expect(cachedTrace(url)).toBeNull();
  });
});

describe('prefetchTrace', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('starts the load before any widget asks; the first widget takes it over, nothing loads twice', async () => {
    prefetchTrace('/traces/early.json.gz');
    expect(calls.length).toBe(1);
    prefetchTrace('/traces/early.json.gz');
    expect(calls.length).toBe(1);
    calls[0].onProgress?.({ bytesRead: 5, events: 2 });
    const seen: unknown[] = [];
    const widget = loadSharedTrace('/traces/early.json.gz', (p) => seen.push(p));
    expect(calls.length).toBe(1);
    expect(seen).toEqual([{ bytesRead: 5, events: 2 }]);
    // The prefetch let go: the widget is the only holder, and its cancel stops the load.
    expect(cacheEntries().find((e) => e.url === '/traces/early.json.gz')?.holders).toBe(1);
    widget.cancel();
    expect(calls[0].signal?.aborted).toBe(true);
    await expect(widget.promise).rejects.toMatchObject({ code: 'aborted' });
  });

  it('keeps a prefetched model nobody asked for yet, and hands it over loaded', async () => {
    prefetchTrace('/traces/later.json.gz');
    const model = { tag: 'later' };
    calls[0].resolve(model);
    await flush();
    expect(cachedTrace('/traces/later.json.gz')).toBe(model);
    const widget = loadSharedTrace('/traces/later.json.gz', () => {});
    expect(await widget.promise).toBe(model);
    expect(calls.length).toBe(1);
    expect(cacheEntries().find((e) => e.url === '/traces/later.json.gz')?.holders).toBe(1);
  });

  it('does nothing for a trace a widget already holds', async () => {
    const widget = loadSharedTrace('/traces/held-by-widget.json.gz', () => {});
    prefetchTrace('/traces/held-by-widget.json.gz');
    expect(calls.length).toBe(1);
    expect(cacheEntries().find((e) => e.url === '/traces/held-by-widget.json.gz')?.holders).toBe(1);
    widget.cancel();
    await expect(widget.promise).rejects.toMatchObject({ code: 'aborted' });
  });
});
