// "Partial json import, chunked" (speedscope's test of the same name): the same
// file cut at many points and fed in small chunks must give back exactly the
// events a JSON.parse of the longest complete prefix holds, for every reader
// shape (object form, array form, gzip).
import { gunzipSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TraceLoadError } from './errors.ts';
import { loadTrace } from './load.ts';
import type { TraceModel } from './model.ts';
import { completeEventsInPrefix, eventsOf, reference } from './test-support/reference.ts';
import { sharedJsonBytes, sharedTracesPresent, warnIfAbsent } from './test-support/shared.ts';
import { fixture } from './test-support/fixtures.ts';

warnIfAbsent();

function streamOf(bytes: Uint8Array, chunkSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

async function loadOrError(bytes: Uint8Array, chunkSize: number): Promise<TraceModel | TraceLoadError> {
  try {
    return await loadTrace(streamOf(bytes, chunkSize));
  } catch (e) {
    if (e instanceof TraceLoadError) return e;
    throw e; // anything else fails the test
  }
}

/** Latin-1 text keeps byte offsets equal to character offsets. */
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** What a JSON.parse reading of `bytes[0, cut)` says the loader must return. */
function expected(bytes: Uint8Array, cut: number, closers: string[]) {
  const text = latin1(bytes.subarray(0, cut));
  let complete = false;
  try {
    JSON.parse(text);
    complete = true;
  } catch {
    complete = false;
  }
  const { count: elements, end } = completeEventsInPrefix(text, closers);
  const events = elements === 0 ? [] : eventsOf(JSON.parse(text.slice(0, end) + closers.find((c) => canParse(text.slice(0, end) + c))!));
  const count = reference(events).events; // elements with a 'ph'
  // Dropped bytes: an event begun after the last complete one.
  const rest = text.slice(end);
  const skipped = rest.length - rest.replace(/^[\s,]*/, '').length;
  const partialEvent = elements > 0 && rest[skipped] === '{' ? rest.length - skipped : null;
  return { complete, count, byPhase: reference(events).byPhase, partialEvent };
}

function canParse(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function checkCut(bytes: Uint8Array, cut: number, chunkSize: number, closers: string[]): Promise<void> {
  const want = expected(bytes, cut, closers);
  const got = await loadOrError(bytes.subarray(0, cut), chunkSize);
  const where = `cut at ${cut} of ${bytes.length}, chunks of ${chunkSize}`;
  if (want.count === 0) {
    expect(got, where).toBeInstanceOf(TraceLoadError);
    expect(['empty', 'syntax'], where).toContain((got as TraceLoadError).code);
    return;
  }
  expect(got, where).not.toBeInstanceOf(TraceLoadError);
  const m = got as TraceModel;
  expect(m.stats.events, where).toBe(want.count);
  expect(m.stats.byPhase, where).toEqual(want.byPhase);
  expect(m.stats.truncated, where).toBe(!want.complete);
  if (want.partialEvent !== null) expect(m.stats.droppedBytes, where).toBe(want.partialEvent);
  if (!want.complete) expect(m.stats.warnings.some((w) => w.code === 'truncated'), where).toBe(true);
}

/** `count` cut points spread over the file, always including its start and end. */
function cuts(length: number, count: number): number[] {
  const out = new Set<number>([0, 1, length - 1, length]);
  for (let k = 1; k < count; k++) out.add(Math.floor((length * k) / count) + (k % 7));
  return [...out].filter((c) => c >= 0 && c <= length).sort((a, b) => a - b);
}

describe('truncated input, tiny fixtures cut at every byte', () => {
  for (const [name, closers] of [
    ['flows.json', [']']],
    ['metadata.json', [']}']],
    ['unmatched-E.json', [']']],
    ['counters.json', [']}']],
  ] as const) {
    it(`${name}: every cut, chunks of 1 and 5 bytes`, async () => {
      const bytes = fixture(name);
      for (let cut = 0; cut <= bytes.length; cut++) {
        await checkCut(bytes, cut, cut % 2 === 0 ? 1 : 5, [...closers]);
      }
    });
  }
});

describe.skipIf(!sharedTracesPresent)('truncated input, real traces', () => {
  // Object form (Kineto) and array form (Ascend); chunk sizes from 3 bytes up.
  const files: [string, number, number[]][] = [
    ['pytorch/hta-triton.json.gz', 60, [3, 64, 4096]],
    ['pytorch/hta-event-sync-multistream.json.gz', 40, [7, 1000]],
    ['pytorch/hta-amd-mi250.json.gz', 40, [13, 65536]],
    ['ascend/train-2rank-level1/rank0/trace_view.json', 8, [4096, 65521]],
  ];
  for (const [rel, count, chunkSizes] of files) {
    it(`${rel}: ${count} cuts`, async () => {
      const bytes = sharedJsonBytes(rel);
      const closers = rel.startsWith('ascend/') ? [']'] : [']}'];
      let k = 0;
      for (const cut of cuts(bytes.length, count)) await checkCut(bytes, cut, chunkSizes[k++ % chunkSizes.length], closers);
    });
  }
});

describe('truncated gzip', () => {
  it('recovers the events of the part that inflates, and says the stream was cut', async () => {
    const plain = fixture('metadata.json');
    // Pad with whitespace inside the array so that cuts land in several deflate blocks.
    const text = latin1(plain).replace('"traceEvents": [', `"traceEvents": [${' '.repeat(2000)}`);
    const gz = gzipSync(Buffer.from(text, 'latin1'), { level: 1 });
    let previous = 0;
    for (const cut of cuts(gz.length, 12)) {
      const got = await loadOrError(new Uint8Array(gz.subarray(0, cut)), 97);
      // What zlib can inflate from the cut stream; the platform's DecompressionStream
      // may hold back the last partial block, so the loader gets at most this.
      const inflated = cut < 10 ? new Uint8Array(0) : new Uint8Array(gunzipSync(gz.subarray(0, cut), { finishFlush: zlibConstants.Z_SYNC_FLUSH }));
      const most = completeEventsInPrefix(latin1(inflated), [']}']).count;
      if (got instanceof TraceLoadError) {
        // Under 2 bytes there is no gzip magic to recognise yet.
        expect(cut < 2 ? ['empty', 'not-json'] : ['gzip-corrupt', 'syntax']).toContain(got.code);
        expect(previous, `cut ${cut}`).toBe(0);
      } else {
        expect(got.stats.events, `cut ${cut}`).toBeLessThanOrEqual(most);
        expect(got.stats.events, `cut ${cut}`).toBeGreaterThanOrEqual(previous);
        previous = got.stats.events;
        if (cut < gz.length) expect(got.stats.warnings.some((w) => w.code === 'truncated')).toBe(true);
        else expect(got.stats.events).toBe(reference(eventsOf(JSON.parse(text))).events);
      }
    }
  });
});
