// A Blob read on the page and sent to the worker in chunks (relay.ts): the window that bounds what is in
// flight, a failed read, a cancel, and an Ascend db sent this way, over the real protocol.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { TraceLoadError } from '../trace/errors.ts';
import { DB_SAMPLES, loadDb } from '../trace/test-support/sqlite.ts';
import { argsAsTexts } from '../trace/test-support/fixtures.ts';
import { sharedTracesPresent, warnIfAbsent } from '../trace/test-support/shared.ts';
import { openTrace, TraceOpenError } from './client.ts';
import { connectInProcess as connect } from './in-process.ts';
import { ChunkInbox, RELAY_WINDOW_BYTES, relayBlob } from './relay.ts';
import type { MessageEndpoint, WorkerRequest } from './protocol.ts';
import { sqlJs } from './sqlite-wasm.ts';

warnIfAbsent();

/** A Blob whose stream gives `chunks` one by one (and records a cancel). */
class ChunkedBlob extends Blob {
  cancelled = false;
  private readonly parts: Uint8Array[];
  private readonly failAfter: number;
  private readonly onPull: (k: number) => void;
  /** `failAfter`: the stream errors after that many chunks; `onPull(k)`: called as chunk k is read. */
  constructor(parts: Uint8Array[], failAfter = Infinity, onPull: (k: number) => void = () => {}) {
    super(parts as BlobPart[]);
    this.parts = parts;
    this.failAfter = failAfter;
    this.onPull = onPull;
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    let i = 0;
    return new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull: (c) => {
        this.onPull(i);
        if (i >= this.failAfter) c.error(new Error('the disk went away'));
        else if (i < this.parts.length) c.enqueue(this.parts[i++].slice() as Uint8Array<ArrayBuffer>);
        else c.close();
      },
      cancel: () => {
        this.cancelled = true;
      },
    });
  }
}

/** `n` MiB of a pattern that differs per `seed` (a plain loop: Uint8Array.from with a function took ~2.5 s for the window test's 68 MiB). */
const mib = (n: number, seed: number) => {
  const b = new Uint8Array(n * 2 ** 20);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
};

describe('relayBlob', () => {
  it('keeps at most the window ahead of the acknowledgements, then sends everything in order', async () => {
    const parts = Array.from({ length: 2 + RELAY_WINDOW_BYTES / (2 * 2 ** 20) * 2 }, (_, k) => mib(2, k));
    const blob = new ChunkedBlob(parts);
    const sent: Uint8Array[] = [];
    let ended = false;
    const endpoint: MessageEndpoint = {
      onmessage: null,
      // As a real port does: the transfer empties the sender's chunk.
      postMessage: (m, transfer) => {
        const msg = structuredClone(m, { transfer }) as WorkerRequest;
        if (msg.type === 'chunk') sent.push(msg.bytes);
        if (msg.type === 'chunk-end') ended = true;
      },
    };
    let acked = 0;
    let wake = (): void => {};
    const done = relayBlob(blob, endpoint, 1, {
      stopped: () => false,
      acked: () => acked,
      ackedBeyond: (b) => new Promise<void>((ok) => (wake = () => acked > b && ok())),
    });
    await new Promise((r) => setTimeout(r, 30));
    const inFlight = () => sent.reduce((n, c) => n + c.length, 0) - acked;
    // Nothing acknowledged yet: the window and one chunk past it at most.
    expect(inFlight()).toBeGreaterThan(RELAY_WINDOW_BYTES);
    expect(inFlight()).toBeLessThanOrEqual(RELAY_WINDOW_BYTES + 2 * 2 ** 20);
    expect(ended).toBe(false);
    // Acknowledge as a loader would, chunk by chunk, until the end.
    for (let k = 0; !ended && k < 100; k++) {
      acked = Math.min(acked + 2 ** 20 * 2, sent.reduce((n, c) => n + c.length, 0));
      wake();
      await new Promise((r) => setTimeout(r, 1));
      expect(inFlight()).toBeLessThanOrEqual(RELAY_WINDOW_BYTES + 2 * 2 ** 20);
    }
    await done;
    expect(ended).toBe(true);
    // Byte for byte, in order (a deep equality of 68 MiB of typed arrays took ~10 s).
    expect(sent.length).toBe(parts.length);
    expect(sent.map((c, k) => Buffer.compare(c, parts[k]))).toEqual(parts.map(() => 0));
  });
});

describe('ChunkInbox', () => {
  it('peeks a head across chunks without taking them, then gives every chunk and acknowledges each', async () => {
    const acks: number[] = [];
    const inbox = new ChunkInbox((b) => acks.push(b));
    inbox.push(new Uint8Array([1, 2, 3]));
    const head = inbox.head(5);
    inbox.push(new Uint8Array([4, 5, 6, 7]));
    expect(Array.from(await head)).toEqual([1, 2, 3, 4, 5]);
    expect(acks).toEqual([]);
    inbox.end();
    const got: number[] = [];
    for await (const c of inbox) got.push(...c);
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(acks).toEqual([3, 7]);
  });

  it('a head longer than the data is the data; a failed read reaches the reader after the chunks that came', async () => {
    const inbox = new ChunkInbox(() => {});
    inbox.push(new Uint8Array([9]));
    inbox.end(new Error('gone'));
    expect(Array.from(await inbox.head(16))).toEqual([9]);
    expect(Array.from((await inbox.next())!)).toEqual([9]);
    await expect(inbox.next()).rejects.toThrow('gone');
  });
});

describe('a Blob through the worker protocol, read on the page', () => {
  const events = Array.from({ length: 20000 }, (_, i) => `{"ph":"X","cat":"kernel","name":"k${i % 13}","pid":1,"tid":1,"ts":${i * 10},"dur":5,"args":{"correlation":${i}}}`);
  const bytes = new TextEncoder().encode(`{"traceEvents":[${events.join(',')}]}`);
  // Seams anywhere, including inside a number and a string.
  const pieces = (size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, k) => bytes.subarray(k * size, (k + 1) * size));

  it('gives the model of the bytes, whatever the chunks', async () => {
    // The worker keeps args in the chunks it was sent (LoadOptions.ownsInput): compared as texts.
    const direct = argsAsTexts(await loadTrace(bytes));
    for (const size of [4093, 65536, 2 ** 20]) expect(argsAsTexts(await openTrace(new ChunkedBlob(pieces(size)), { connect }))).toEqual(direct);
    // The head (the loader sniffs its first 4 KB) in one-byte chunks.
    const oneByOne = Array.from({ length: 200 }, (_, i) => bytes.subarray(i, i + 1));
    expect(argsAsTexts(await openTrace(new ChunkedBlob([...oneByOne, bytes.subarray(200)]), { connect }))).toEqual(direct);
  });

  it('hands every chunk to onChunk at its offset before it goes (the upload page\'s key reads them)', async () => {
    const got = new Uint8Array(bytes.length);
    const offsets: number[] = [];
    await openTrace(new ChunkedBlob(pieces(65536)), { connect, onChunk: (b, at) => (got.set(b, at), offsets.push(at)) });
    expect(offsets).toEqual(pieces(65536).map((_, k) => k * 65536));
    expect(got).toEqual(bytes);
  });

  it('a read that fails on the page: the load fails with what the browser said, nothing hangs', async () => {
    const blob = new ChunkedBlob(pieces(65536), 3);
    const err = await openTrace(blob, { connect }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceOpenError);
    expect((err as Error).message).toContain('could not be read (the disk went away)');
  });

  it('a cancel stops the page\'s read too', async () => {
    const ac = new AbortController();
    // Cancelled while the page reads its fourth chunk.
    const blob = new ChunkedBlob(pieces(4096), Infinity, (k) => k === 3 && ac.abort());
    const pending = openTrace(blob, { connect, signal: ac.signal });
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceLoadError);
    expect((err as TraceLoadError).code).toBe('aborted');
    await new Promise((r) => setTimeout(r, 20));
    expect(blob.cancelled).toBe(true);
  });
});

describe.skipIf(!sharedTracesPresent)('an Ascend db export as a Blob (read on the page, opened by sql.js in the worker)', () => {
  it(`${DB_SAMPLES[3].name}: the same model as node:sqlite`, async () => {
    const dist = dirname(createRequire(import.meta.url).resolve('sql.js'));
    await sqlJs((file) => join(dist, file));
    const dbBytes = new Uint8Array(readFileSync(DB_SAMPLES[3].db));
    const viaWorker = await openTrace(new ChunkedBlob([dbBytes.subarray(0, 10), dbBytes.subarray(10, 70000), dbBytes.subarray(70000)]), { connect });
    const viaNode = await loadDb(DB_SAMPLES[3].db);
    expect([viaWorker.originUs, viaWorker.slices.length, viaWorker.flows.length]).toEqual([viaNode.originUs, viaNode.slices.length, viaNode.flows.length]);
    expect(Array.from(viaWorker.slices.startNs)).toEqual(Array.from(viaNode.slices.startNs));
  });
});

describe('the warm-up of a worker started ahead (host.ts warmUp)', () => {
  const trace = new TextEncoder().encode('{"traceEvents":[{"ph":"X","name":"k","pid":1,"tid":1,"ts":1,"dur":2}]}');
  /** fetch replaced: each call counted; `hold` keeps the answers until released. */
  function stubFetch(hold: boolean) {
    const real = globalThis.fetch;
    const calls: string[] = [];
    let release = (): void => {};
    const held = new Promise<void>((ok) => (release = ok));
    globalThis.fetch = (async (url: string) => {
      calls.push(String(url));
      if (hold) await held;
      return new Response(trace.slice());
    }) as typeof fetch;
    return { calls, release, restore: () => (globalThis.fetch = real) };
  }
  const settle = () => new Promise((r) => setTimeout(r, 30));

  it('an idle worker loads each URL twice and drops the models', async () => {
    const f = stubFetch(false);
    try {
      const w = connect();
      w.postMessage({ type: 'warm', urls: ['a.json', 'b.json'] } satisfies WorkerRequest);
      for (let k = 0; k < 20 && f.calls.length < 4; k++) await settle();
      expect(f.calls).toEqual(['a.json', 'b.json', 'a.json', 'b.json']);
      w.terminate();
    } finally {
      f.restore();
    }
  });

  it('a load that comes during the warm-up does not wait for it, and stops it', async () => {
    const f = stubFetch(true);
    try {
      const w = connect();
      w.postMessage({ type: 'warm', urls: ['a.json', 'b.json'] } satisfies WorkerRequest);
      await settle();
      expect(f.calls).toEqual(['a.json']);
      // The warm-up's download hangs; the load goes ahead and gives the same model as a cold load.
      expect(argsAsTexts(await openTrace(new ChunkedBlob([trace]), { connect: () => w }))).toEqual(argsAsTexts(await loadTrace(trace)));
      f.release();
      await settle();
      expect(f.calls).toEqual(['a.json']);
    } finally {
      f.release();
      f.restore();
    }
  });

  it('a worker that is loading ignores a warm-up', async () => {
    const f = stubFetch(false);
    try {
      const w = connect();
      // Asked for while the page reads the load's third chunk: the worker is loading.
      const blob = new ChunkedBlob([trace.subarray(0, 20), trace.subarray(20, 40), trace.subarray(40, 60), trace.subarray(60)], Infinity, (k) => {
        if (k === 2) w.postMessage({ type: 'warm', urls: ['a.json'] } satisfies WorkerRequest);
      });
      expect((await openTrace(blob, { connect: () => w })).slices.length).toBe(1);
      await settle();
      expect(f.calls).toEqual([]);
    } finally {
      f.restore();
    }
  });
});
