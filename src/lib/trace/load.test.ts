// loadTrace's contract: typed errors with positions, gzip (corrupt, bomb),
// abort, progress, and the same model whatever the input's packaging.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace, type LoadProgress } from './load.ts';
import { argsAsTexts, chunked, failure, fixture } from './test-support/fixtures.ts';
import { flowIdText } from './query.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);


describe('bad input gives a typed error', () => {
  it('empty and whitespace-only files', async () => {
    expect((await failure(new Uint8Array(0))).code).toBe('empty');
    expect((await failure(enc(' \n\t '))).code).toBe('empty');
  });

  it('text that is not JSON, at byte 0', async () => {
    for (const text of ['hello', '<!doctype html>', 'ph,name,ts\n']) {
      const e = await failure(enc(text));
      expect(e.code).toBe('not-json');
      expect(e.position).toBe(0);
    }
  });

  it('JSON that is not a trace', async () => {
    expect((await failure(enc('42'))).code).toBe('not-a-trace');
    expect((await failure(enc('"text"'))).code).toBe('not-a-trace');
    expect((await failure(enc('{"a": 1, "b": [1, 2]}'))).code).toBe('not-a-trace');
    expect((await failure(enc('[1, 2, {"name": "no ph"}]'))).code).toBe('not-a-trace');
  });

  it('syntax errors name the byte where they are, whatever the chunking', async () => {
    const cases = [
      ['[{"ph": "X" "ts": 1}]', '"ts"'],
      ['{"traceEvents": [{"ph": "X", "ts": 1,}]}', '}]}'],
      ['[{"ph": "X", "ts": 1]', ']'],
      ['[{"ph": "X", "ts": tru}]', 'tru'],
      ['{"traceEvents" [] }', '[]'],
      ['{"meta": {"a": 1]}, "traceEvents": []}', ']}'],
    ];
    for (const [text, at] of cases) {
      const where = text.indexOf(at);
      for (const size of [1, 4, 1 << 20]) {
        const e = await failure(chunked(enc(text), size));
        expect(e.code, text).toBe('syntax');
        expect(e.position, `${text} in chunks of ${size}`).toBe(where);
      }
    }
  });

  it('known containers it does not read', async () => {
    expect((await failure(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]))).code).toBe('unsupported');
    expect((await failure(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0]))).code).toBe('unsupported');
  });
});

describe('gzip', () => {
  it('gives the same model as the plain file', async () => {
    const plain = fixture('metadata.json');
    const a = await loadTrace(plain);
    const b = await loadTrace(new Uint8Array(gzipSync(plain)));
    const c = await loadTrace(chunked(new Uint8Array(gzipSync(plain)), 10));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('corrupt data before anything inflates is gzip-corrupt', async () => {
    const gz = new Uint8Array(gzipSync(fixture('flows.json')));
    gz[3] = 0xff; // reserved flag bits
    for (let i = 10; i < 20; i++) gz[i] ^= 0x5a;
    expect((await failure(gz)).code).toBe('gzip-corrupt');
  });

  it('stops a gzip bomb at the limit', async () => {
    const bomb = new Uint8Array(gzipSync(Buffer.concat([Buffer.from('['), Buffer.alloc(8 << 20, 0x20), Buffer.from(']')])));
    expect(bomb.length).toBeLessThan(64 << 10);
    const e = await failure(bomb, { maxDecompressedBytes: 1 << 20 });
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/1 MiB/);
  });
});

describe('abort and progress', () => {
  it('an aborted signal stops before reading', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await failure(fixture('flows.json'), { signal: ac.signal })).code).toBe('aborted');
  });

  it('aborting while loading stops the load', async () => {
    const ac = new AbortController();
    const big = enc(`[${Array.from({ length: 20000 }, (_, i) => `{"ph":"X","name":"n${i % 50}","pid":1,"tid":1,"ts":${i},"dur":1}`).join(',')}]`);
    const e = await failure(chunked(big, 4096), {
      signal: ac.signal,
      onProgress: (p: LoadProgress) => {
        if (p.bytesRead > 100_000) ac.abort();
      },
    });
    expect(e.code).toBe('aborted');
  });

  it('reports progress up to the total', async () => {
    const bytes = fixture('metadata.json');
    const seen: LoadProgress[] = [];
    await loadTrace(chunked(bytes, 64), { totalBytes: bytes.length, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    const last = seen[seen.length - 1];
    expect(last.bytesRead).toBe(bytes.length);
    expect(last.totalBytes).toBe(bytes.length);
    expect(last.events).toBe(15);
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytesRead).toBeGreaterThanOrEqual(seen[i - 1].bytesRead);
  });
});

describe('input packaging', () => {
  it('a stream in odd chunks and one array give the same model', async () => {
    for (const name of ['flows.json', 'counters.json', 'string-timestamps.json', 'odd-events.json']) {
      const bytes = fixture(name);
      const whole = await loadTrace(bytes);
      for (const size of [1, 2, 3, 7, 64]) expect(await loadTrace(chunked(bytes, size)), `${name} / ${size}`).toEqual(whole);
    }
  });

  it('args stored in the input chunks it owns (ownsInput) read the same, and a caller\'s bytes are never written', async () => {
    // ~0.5 MB of X events with args (some over 64 bytes, some with non-ASCII text), read in 64 KiB chunks.
    const events = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({ ph: 'X', name: `op${i % 7}`, pid: 1, tid: 1 + (i % 3), ts: i * 10, dur: 5, args: { correlation: i, 'Input Dims': [[i % 5, 4096], [4096]], note: i % 11 ? 'x' : '注意' } }),
    );
    const bytes = enc(`{"traceEvents": [${events.join(',')}]}`);
    const chunks = (): Uint8Array[] => Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, k) => bytes.slice(k * 65536, (k + 1) * 65536));
    const stream = (cs: Uint8Array[]): AsyncIterable<Uint8Array> => ({ async *[Symbol.asyncIterator]() { yield* cs; } });

    const whole = await loadTrace(bytes);
    const owned = chunks();
    const recycled = await loadTrace(stream(owned), { ownsInput: true });
    expect(argsAsTexts(recycled)).toEqual(argsAsTexts(whole));
    // The args really are in the input's memory: some segment lies in one of the chunks' buffers.
    const chunkBuffers = new Set(owned.map((c) => c.buffer));
    expect(recycled.args.segments.some((s) => chunkBuffers.has(s.buffer))).toBe(true);

    // Without ownsInput the chunks are only read; a Uint8Array input is never written, even with it.
    const kept = chunks();
    const copies = kept.map((c) => c.slice());
    expect(await loadTrace(stream(kept))).toEqual(whole);
    expect(kept).toEqual(copies);
    const single = bytes.slice();
    await loadTrace(single, { ownsInput: true });
    expect(single).toEqual(bytes);
  });

  it('a file of known size (columns reserved once a sixteenth is read) gives the same model as one of unknown size', async () => {
    // ~9 MB: X slices, B/E pairs, instants, counters and flows, so that every kind of column is reserved.
    const parts: string[] = [];
    for (let i = 0; i < 36000; i++) {
      const ts = i * 10;
      parts.push(
        JSON.stringify({ ph: 'X', name: `k${i % 13}`, cat: 'kernel', pid: 1, tid: 7, ts, dur: 4, args: { correlation: i, grid: [i % 9, 1, 1] } }),
        JSON.stringify({ ph: 'B', name: 'b', pid: 2, tid: 1, ts }),
        JSON.stringify({ ph: 'E', pid: 2, tid: 1, ts: ts + 3 }),
        JSON.stringify({ ph: 'i', name: 'mark', s: 't', pid: 2, tid: 2, ts: ts + 1 }),
        JSON.stringify({ ph: 'C', name: 'mem', pid: 3, ts, args: { used: i % 1000 } }),
        JSON.stringify({ ph: 's', id: i, name: 'f', cat: 'ac2g', pid: 2, tid: 1, ts: ts + 1 }),
        JSON.stringify({ ph: 'f', id: i, name: 'f', cat: 'ac2g', pid: 1, tid: 7, ts: ts + 1, bp: 'e' }),
      );
    }
    const bytes = enc(`{"traceEvents": [${parts.join(',')}]}`);
    expect(bytes.length).toBeGreaterThan(8 * 1024 * 1024);
    const unknown = await loadTrace(chunked(bytes, 1 << 20));
    const known = await loadTrace(chunked(bytes, 1 << 20), { totalBytes: bytes.length });
    expect(known.slices.length).toBe(36000 * 2);
    expect(known).toEqual(unknown);
    // A size that is wrong (too small, too large) only changes how the columns grow.
    expect(await loadTrace(chunked(bytes, 1 << 20), { totalBytes: 9 * 1024 * 1024 - 1 })).toEqual(unknown);
    expect(await loadTrace(chunked(bytes, 1 << 20), { totalBytes: bytes.length * 40 })).toEqual(unknown);
  });

  it('skips a UTF-8 byte order mark', async () => {
    const bytes = fixture('flows.json');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    const a = await loadTrace(bytes);
    const b = await loadTrace(withBom);
    expect(b.slices).toEqual(a.slices);
    expect(b.stats.bytes).toBe(a.stats.bytes + 3);
  });

  it('joins a numeric and a string flow id with the same digits', async () => {
    const m = await loadTrace(
      enc(
        '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":5},{"ph":"X","name":"b","pid":1,"tid":2,"ts":6,"dur":5},' +
          '{"ph":"s","id":5,"cat":"c","pid":1,"tid":1,"ts":1},{"ph":"f","id":"5","cat":"c","pid":1,"tid":2,"ts":7,"bp":"e"},' +
          '{"ph":"s","id":12345678901234567890,"cat":"big","pid":1,"tid":1,"ts":2},{"ph":"f","id":12345678901234567890,"cat":"big","pid":1,"tid":2,"ts":8,"bp":"e"}]',
      ),
    );
    expect(Array.from({ length: m.flows.length }, (_, f) => flowIdText(m, f))).toEqual(['5', '12345678901234567890']); // ids beyond 2^53 keep their digits
    expect(Array.from(m.flows.fromSlice)).toEqual([0, 0]);
    expect(Array.from(m.flows.toSlice)).toEqual([1, 1]);
  });
});
