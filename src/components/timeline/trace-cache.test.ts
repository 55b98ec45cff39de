import { describe, expect, it, vi, beforeEach } from 'vitest';

// The worker client is replaced by a controllable fake: each call returns a
// promise we settle by hand and records the AbortSignal it was given.
const calls: Array<{ source: unknown; signal?: AbortSignal; resolve: (m: unknown) => void; reject: (e: unknown) => void; onProgress?: (p: unknown) => void }> = [];
vi.mock('../../lib/worker/client.ts', () => ({
  openTrace: (source: unknown, opts: { signal?: AbortSignal; onProgress?: (p: unknown) => void }) =>
    new Promise((resolve, reject) => {
      calls.push({ source, signal: opts.signal, resolve, reject, onProgress: opts.onProgress });
      opts.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'aborted' })));
    }),
}));
const { loadSharedTrace, cachedTrace } = await import('./trace-cache.ts');

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
});
