// The bad-input catalogue, loader side: one named case per thing a learner
// can feed the loader (the CLI side is src/cli/bad-input.test.ts). Each input
// is a fixture named after its edge case (fixtures/) or, when too big to
// commit, built by test-support/bad-inputs.ts under the name shown. Expected
// values are derived by hand from the fixture's lines, as the comments say.
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load.ts';
import type { LoadWarning, TraceModel } from './model.ts';
import { flowIdText, sliceArgs, sliceName } from './query.ts';
import { cutPoints, deepArgs, deepMetadata, hugeArgs, hugeName } from './test-support/bad-inputs.ts';
import { MAX_STRING_BYTES } from './intern.ts';
import { chunked, failure, fixture } from './test-support/fixtures.ts';

const flowIds = (m: TraceModel): string[] => Array.from({ length: m.flows.length }, (_, f) => flowIdText(m, f));


const warning = (m: TraceModel, code: LoadWarning['code']): LoadWarning | undefined => m.stats.warnings.find((w) => w.code === code);
/** "name start..end" (ns) of every slice, in model order. */
const slices = (m: TraceModel): string[] => Array.from({ length: m.slices.length }, (_, i) => `${sliceName(m, i)} ${m.slices.startNs[i]}..${m.slices.startNs[i] + m.slices.durNs[i]}`);

describe('files that are not traces fail with a typed error', () => {
  it('empty.json: empty at byte 0', async () => {
    const e = await failure(fixture('empty.json'));
    expect([e.code, e.position]).toEqual(['empty', 0]);
  });

  it('not-json.html (a proxy error page): not-json, looks like HTML', async () => {
    const e = await failure(fixture('not-json.html'));
    expect([e.code, e.position, e.params]).toEqual(['not-json', 0, { firstByte: "'<'", looksLike: 'html' }]);
  });

  it('not-a-trace.json (valid JSON, no traceEvents): not-a-trace', async () => {
    expect((await failure(fixture('not-a-trace.json'))).code).toBe('not-a-trace');
  });

  it('kernel_details.csv (torch_npu writes it beside the trace): not-json, looks like CSV', async () => {
    const e = await failure(fixture('kernel_details.csv'));
    expect([e.code, e.params.looksLike]).toEqual(['not-json', 'csv']);
    expect(e.message).toMatch(/CSV/);
    // A CSV of numbers starts like a JSON number, and is still called a CSV.
    expect((await failure(new TextEncoder().encode('1,2,3\n4,5,6\n'))).params.looksLike).toBe('csv');
  });

  it('sqlite-header.db (msprof / Nsight .db): unsupported, container sqlite', async () => {
    const e = await failure(fixture('sqlite-header.db'));
    expect([e.code, e.position, e.params]).toEqual(['unsupported', 0, { container: 'sqlite' }]);
  });

  it('corrupt.json.gz: gzip-corrupt', async () => {
    expect((await failure(fixture('corrupt.json.gz'))).code).toBe('gzip-corrupt');
  });

  it('gzip-bomb.json.gz (16 KB inflating to 16 MiB): too-large at the limit, with the limit as a parameter', async () => {
    const bomb = fixture('gzip-bomb.json.gz');
    expect(bomb.length).toBeLessThan(32 << 10);
    const e = await failure(bomb, { maxDecompressedBytes: 1 << 20 });
    expect([e.code, e.params.limitBytes]).toEqual(['too-large', 1 << 20]);
    expect(e.message).toMatch(/more than 1 MiB/);
  });
});

describe('truncated at random points: complete events kept, dropped bytes counted', () => {
  // 300 events of known byte ranges; each cut keeps exactly the events that end before it.
  const events = Array.from({ length: 300 }, (_, i) => `{"ph": "X", "name": "op${i % 7}", "pid": 1, "tid": ${i % 3}, "ts": ${i * 10}.5, "dur": 4, "args": {"i": ${i}}}`);
  const head = '{"traceEvents": [\n';
  const text = head + events.join(',\n') + '\n]}\n';
  const bytes = new TextEncoder().encode(text);
  const starts: number[] = [];
  let off = head.length;
  for (const e of events) {
    starts.push(off);
    off += e.length + 2;
  }

  for (const cut of cutPoints(20261202, 12, starts[0] + 1, bytes.length - 4)) {
    it(`cut at byte ${cut}`, async () => {
      const complete = starts.filter((s, i) => s + events[i].length <= cut).length;
      const next = starts[complete];
      const dropped = next !== undefined && next < cut ? cut - next : 0; // an event begun, not finished
      const m = await loadTrace(chunked(bytes.subarray(0, cut), 4096));
      expect(m.stats.events).toBe(complete);
      expect(m.stats.truncated).toBe(true);
      expect(m.stats.droppedBytes).toBe(dropped);
      const w = warning(m, 'truncated')!;
      if (dropped > 0) expect(w.message).toContain(`kept ${complete} complete events; the last ${dropped} bytes`);
      else expect(w.message).toContain(`all ${complete} events were read`);
    });
  }
});

describe('hostile shapes load without a stack overflow and keep every event', () => {
  it('deep-args-100000-levels.json: the event is kept, its args dropped with a warning', async () => {
    const bytes = deepArgs();
    for (const m of [await loadTrace(bytes), await loadTrace(chunked(bytes, 4096))]) {
      expect(slices(m)).toEqual(['before 0..1000', 'deep 1000..2000', 'after 2000..3000']);
      expect(sliceArgs(m, 1)).toBeNull();
      expect(warning(m, 'args-dropped')?.message).toMatch(/nested deeper than 100 levels/);
    }
  });

  it('deep-metadata-100000-levels.json: the field is skipped with a warning, the events read', async () => {
    for (const m of [await loadTrace(deepMetadata()), await loadTrace(chunked(deepMetadata(), 4096))]) {
      expect(m.slices.length).toBe(1);
      expect(m.metadata.deep).toBeUndefined();
      expect(m.stats.warnings.map((w) => w.message)).toContain('The top-level field "deep" is nested more than 100 levels deep and was not read.');
    }
  });

  it('name-50mb.json: the name is cut to 64 KiB and marked, the events read', async () => {
    const m = await loadTrace(chunked(hugeName(), 1 << 20));
    expect(m.slices.length).toBe(2);
    const name = sliceName(m, 0);
    expect(name.length).toBe(MAX_STRING_BYTES + 1);
    expect(name.endsWith('n…')).toBe(true);
    expect(sliceName(m, 1)).toBe('small');
    expect(warning(m, 'long-string')?.count).toBe(1);
  });

  it('args-80mb.json: args over 64 MiB are dropped, the event kept', async () => {
    const m = await loadTrace(chunked(hugeArgs(), 1 << 20));
    expect(slices(m)).toEqual(['big-args 0..1000', 'small 1000..2000']);
    expect(sliceArgs(m, 0)).toBeNull();
    expect(sliceArgs(m, 1)).toEqual({ k: 1 });
    expect(warning(m, 'args-dropped')?.message).toMatch(/larger than 64 MiB/);
  });
});

describe('bad times', () => {
  it('nan-times.json: NaN and Infinity timestamps are skipped, a NaN duration reads as 0', async () => {
    const m = await loadTrace(fixture('nan-times.json'));
    // ok 10..15; nan-dur at 20 with duration 0; four events without a usable ts.
    expect(slices(m)).toEqual(['ok 0..5000', 'nan-dur 10000..10000']);
    expect(m.instants.length).toBe(0);
    expect(warning(m, 'bad-timestamp')?.count).toBe(4);
    expect(warning(m, 'bad-duration')?.count).toBe(1);
  });

  it('negative-times.json: negative timestamps are fine (the origin is the earliest), a negative duration is skipped', async () => {
    const m = await loadTrace(fixture('negative-times.json'));
    expect(m.originUs).toBe('-20');
    // before-zero -20..-15, at-zero 0..5 on tid 1; B/E -10.5..-0.5 on tid 2.
    expect(slices(m)).toEqual(['before-zero 0..5000', 'at-zero 20000..25000', 'b 9500..19500']);
    expect(warning(m, 'bad-duration')?.message).toMatch(/1 negative/);
  });

  it('huge-times.json: timestamps and durations beyond 2^53 µs are skipped; a one-day duration is kept exactly', async () => {
    const m = await loadTrace(fixture('huge-times.json'));
    expect(m.originUs).toBe('1736408883688177.930');
    // dur-long starts 2.070 µs after the origin and lasts 86 400 000 000 µs.
    expect(slices(m)).toEqual(['ok 0..2000', `dur-long 2070..${2070 + 86_400_000_000_000}`]);
    expect(warning(m, 'bad-timestamp')?.count).toBe(3);
    expect(warning(m, 'bad-duration')?.message).toMatch(/1 beyond 2\^53 µs/);
    expect(m.endNs).toBe(2070 + 86_400_000_000_000);
  });
});

describe('inconsistent events', () => {
  it('unbalanced-B-E.json: stray E dropped, open B run to the end of the trace', async () => {
    const m = await loadTrace(fixture('unbalanced-B-E.json'));
    // tid 1: E@1 has no B; a@2 never closes (→ 10), b 3..4; tid 2: open-1@5, open-2@6 (→ 10); tid 3: E@7 stray, end 8..10.
    expect(slices(m)).toEqual(['a 1000..9000', 'b 2000..3000', 'open-1 4000..9000', 'open-2 5000..9000', 'end 7000..9000']);
    expect(warning(m, 'unmatched-begin')?.count).toBe(3);
    expect(warning(m, 'unmatched-end')?.count).toBe(2);
  });

  it('flows-to-nowhere.json: arrows keep their times, ends with no slice are -1, partnerless ones counted', async () => {
    const m = await loadTrace(fixture('flows-to-nowhere.json'));
    // id 1: launch → pid 9 (no such thread); id 4: 50 → 60, both outside every slice.
    expect(Array.from(m.flows.fromSlice)).toEqual([0, -1]);
    expect(Array.from(m.flows.toSlice)).toEqual([-1, -1]);
    expect(flowIds(m)).toEqual(['1', '4']);
    expect(warning(m, 'flow-unbound')?.count).toBe(2);
    // id 2 (s only), id 3 (f only), and the f without an id.
    expect(warning(m, 'flow-incomplete')?.count).toBe(3);
  });

  it('duplicate-flow-ids.json (an id reused for a second launch): each f joins the s just before it', async () => {
    const m = await loadTrace(fixture('duplicate-flow-ids.json'));
    const arrows = Array.from({ length: m.flows.length }, (_, i) => `${sliceName(m, m.flows.fromSlice[i])}->${sliceName(m, m.flows.toSlice[i])}`);
    expect(arrows).toEqual(['launch-a->kernel-a', 'launch-b->kernel-b']);
    expect(warning(m, 'duplicate-id')?.count).toBe(1);
  });

  it('non-utf8.json: bad bytes become U+FFFD, nothing is lost', async () => {
    const m = await loadTrace(fixture('non-utf8.json'));
    expect(slices(m).map((s) => s.split(' ')[0])).toEqual(['ok', 'latin1-caf\uFFFD', 'cut-\uFFFD']);
    expect(sliceArgs(m, 2)).toEqual({ note: '\uFFFD\uFFFD' });
    expect(warning(m, 'invalid-utf8')?.count).toBe(3);
  });
});

describe('a 2 GB stream', () => {
  it('is read as it arrives and stops when cancelled, long before its end', async () => {
    // 2 GiB of events generated on demand; cancelled after 64 MB.
    const event = new TextEncoder().encode('{"ph": "X", "name": "k", "pid": 1, "tid": 1, "ts": 1, "dur": 1},\n');
    const block = new Uint8Array(event.length * 16384);
    for (let i = 0; i < 16384; i++) block.set(event, i * event.length);
    const total = 2 * 1024 ** 3;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(new TextEncoder().encode('['));
        if (sent >= total) return c.close();
        c.enqueue(block);
        sent += block.length;
      },
    });
    const ac = new AbortController();
    const e = await failure(stream, { signal: ac.signal, onProgress: (p) => p.bytesRead > 64e6 && ac.abort() });
    expect(e.code).toBe('aborted');
    expect(sent).toBeLessThan(80e6);
  });
});

describe('found by the fuzzer (tests/fuzz)', () => {
  it('flipped-first-brace.json (the opening { flipped to \\r): the same error in any chunking, not a CSV', async () => {
    // Seed 1 of the real-trace property: the CSV sniff once looked at one chunk only, so 1-byte chunks disagreed.
    const bytes = fixture('flipped-first-brace.json');
    const errors = await Promise.all([1, 2, 7, 4096].map(async (size) => failure(chunked(bytes, size))));
    for (const e of [await failure(bytes), ...errors]) expect([e.code, e.position, e.params.looksLike]).toEqual(['not-a-trace', 3, undefined]);
  });
});
