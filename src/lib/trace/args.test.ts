import { describe, expect, it } from 'vitest';
import { ArgsBuilder, MIN_RECYCLED_BYTES, SEGMENT_BYTES, argsField, argsNumber, argsNumbers, argsTableOf, argsText } from './args.ts';
import { loadTrace } from './load.ts';
import { SHARED_TRACE_FILES, sharedBytes, sharedTracesPresent, warnIfAbsent } from './test-support/shared.ts';

/** What the analysis used before args were bytes: a regex over the decoded text (the reference). */
function regexField(text: string, key: string): string | number | null {
  const re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?[0-9][0-9.eE+-]*))`);
  const m = re.exec(text);
  if (!m) return null;
  return m[1] !== undefined ? m[1] : Number(m[2]);
}

describe('args kept as bytes', () => {
  it('gives back every text exactly, across segment boundaries and in a segment of its own when larger', () => {
    const texts = [
      '{"a":1}',
      `{"pad":"${'x'.repeat(70_000)}"}`, // past the first 64 KB segment
      '{"名":"值","e":"😀"}',
      `{"big":"${'y'.repeat(SEGMENT_BYTES + 5)}"}`, // larger than a full segment
      '{"b":[1,2,{"c":null}]}',
    ];
    const t = argsTableOf(texts);
    expect(t.length).toBe(texts.length);
    expect(texts.map((_, i) => argsText(t, i))).toEqual(texts);
    expect(new Set(t.segment).size).toBeGreaterThan(2);
    // No text spans two segments.
    for (let i = 0; i < t.length; i++) expect(t.end[i]).toBeLessThanOrEqual(t.segments[t.segment[i]].length);
    expect(argsText(t, -1)).toBe('');
    expect(argsText(t, texts.length)).toBe('');
  });

  it('shows invalid UTF-8 as U+FFFD and stores bytes from any offset of a chunk', () => {
    const b = new ArgsBuilder();
    const chunk = new Uint8Array([0x20, 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x20]);
    const i = b.add(chunk, 1, 10);
    expect(argsText(b.finish(), i)).toBe('{"a":"\uFFFD"}');
  });

  it('recycle: the next segment is a whole input chunk it was given, never a view or a small chunk', () => {
    const text = new TextEncoder().encode(`{"pad":"${'z'.repeat(1000)}"}`);
    const fill = (b: ArgsBuilder, n: number): number[] => Array.from({ length: n }, () => b.add(text, 0, text.length));
    // A view of a larger buffer and a chunk under the minimum are refused: the segments stay fresh memory.
    const refused = new ArgsBuilder();
    const big = new Uint8Array(4 * MIN_RECYCLED_BYTES);
    refused.recycle(big.subarray(0, 2 * MIN_RECYCLED_BYTES));
    refused.recycle(new Uint8Array(MIN_RECYCLED_BYTES - 1));
    fill(refused, 200);
    const r = refused.finish();
    expect(r.segments.some((s) => s.buffer === big.buffer || s.buffer.byteLength === MIN_RECYCLED_BYTES - 1)).toBe(false);
    expect(big.every((x) => x === 0)).toBe(true);
    // A whole chunk is taken for the segment after the current one fills, and every text reads back.
    const taken = new ArgsBuilder();
    const chunk = new Uint8Array(3 * MIN_RECYCLED_BYTES).fill(0x41);
    taken.recycle(chunk);
    const rows = fill(taken, 200);
    const t = taken.finish();
    expect(t.segments.some((s) => s.buffer === chunk.buffer)).toBe(true);
    expect(rows.map((i) => argsText(t, i)).every((s) => s === new TextDecoder().decode(text))).toBe(true);
  });

  it('argsField reads the first scalar field like the regex it replaced; a noted key, at the top level only', () => {
    const texts = [
      '{"correlation": 42, "External id": 7}',
      '{"x": {"correlation": -3.5e2}}', // nested: the regex finds it, a noted key does not
      '{"Task Type": "EVENT_WAIT", "note": "a \\"quoted\\" word"}',
      '{"note": "\\"Task Type\\": no", "Task Type": "AI_CORE"}',
      '{"Collective name": "allreduce", "名": "值"}',
      '{"Task Type":["not", "scalar"], "Task Type": "MIX_AIC"}',
      '{"correlation": null, "correlation": 9}',
      '{"k": "v"}',
      '{"stream":7}',
      // The hand reader's edges (noted keys are read without the regex; these must agree with it):
      '{"note": "correlation", "correlation" :\t 12 }', // the key as a value first; spaces around the colon
      '{"correlation" 5, "correlation": 6}', // first occurrence without a colon: the later one
      '{"correlation": -x, "correlation": -8}', // a minus without a digit
      '{"correlation": 1234567890123456789, "stream": 007}', // beyond 15 digits; leading zeros
      '{"correlation": 1.5e3, "Task Type": "a\\b"}', // exponent; an escape in the string
      '{"Task Type": "cut off', // unterminated string at the end of the args
      '{"stream": 3', // a number running into the end
      '{"corr', // the key cut by the end of the args, which the next args completes
      'elation": 99}',
      '{"connection_id": "12", "Task Type": "名前"}', // a number as a string; a non-ASCII value
    ];
    const t = argsTableOf(texts);
    expect(Object.keys(t.keyed).sort()).toEqual(['Collective name', 'Process Group Name', 'Task Type', 'connection_id', 'correlation']);
    const nested = new Set([1]); // texts whose only "correlation" is nested
    for (const key of ['correlation', 'connection_id', 'External id', 'Task Type', 'Collective name', 'note', '名', 'stream', 'missing']) {
      texts.forEach((text, i) => {
        const want = key === 'correlation' && nested.has(i) ? null : regexField(text, key);
        expect(argsField(t, i, key), `${key} in ${text}`).toEqual(want);
        const n = typeof want === 'number' ? want : typeof want === 'string' ? Number(want) : NaN;
        expect(argsNumber(t, i, key), `number of ${key} in ${text}`).toEqual(Number.isFinite(n) ? n : null);
      });
      const read = argsNumbers(t, key);
      for (let i = -1; i <= texts.length; i++) expect(read(i), `argsNumbers of ${key} at ${i}`).toEqual(argsNumber(t, i, key));
    }
    expect(argsField(t, 0, 'correlation')).toBe(42);
    expect(argsField(t, 1, 'correlation')).toBeNull();
    expect(argsField(t, 3, 'Task Type')).toBe('AI_CORE');
    expect(argsField(t, 6, 'correlation')).toBe(9);
    expect(argsField(t, 18, 'Task Type')).toBe('名前');
    expect(argsNumber(t, 18, 'connection_id')).toBe(12);
    expect(argsField(t, -1, 'correlation')).toBeNull();
    expect(argsNumber(t, texts.length, 'correlation')).toBeNull();
    // Without noted keys, every key goes through the regex (nested ones included).
    const plain = argsTableOf(texts, []);
    expect(plain.keyed).toEqual({});
    // A noted key no args have: an empty column, and null for every args (no search).
    const none = argsTableOf(['{"x": {"connection_id": 3}}', '{"a": 1}'], ['connection_id']);
    expect(none.keyed.connection_id).toEqual(new Int32Array(0));
    expect([argsField(none, 0, 'connection_id'), argsNumber(none, 1, 'connection_id'), argsNumbers(none, 'connection_id')(0)]).toEqual([null, null, null]);
    texts.forEach((text, i) => expect(argsField(plain, i, 'correlation')).toEqual(regexField(text, 'correlation')));
  });

  it('keeps a noted key\'s plain integer in its column: read without the args\' bytes', () => {
    const texts = ['{"correlation": 42, "x": 1}', '{"correlation": 2147483645}', '{"correlation": 2147483646}', '{"correlation": "7"}', '{"correlation": 3.5}', '{"y": 0}', '{"correlation": 0}'];
    const t = argsTableOf(texts);
    const want = [42, 2147483645, 2147483646, 7, 3.5, null, 0];
    texts.forEach((_, i) => expect(argsNumber(t, i, 'correlation')).toBe(want[i]));
    // The bytes gone: the integers that fit the column still read; one kept as an offset reads from the bytes.
    for (const seg of t.segments) seg.fill(0x20);
    const read = argsNumbers(t, 'correlation');
    expect([0, 1, 5, 6].map((i) => [argsField(t, i, 'correlation'), argsNumber(t, i, 'correlation'), read(i)])).toEqual([
      [42, 42, 42],
      [2147483645, 2147483645, 2147483645],
      [null, null, null],
      [0, 0, 0],
    ]);
    expect(argsNumber(t, 2, 'correlation')).not.toBe(2147483646);
  });

  it('argsField gives the same answers while a segment\'s args are decoded one by one and after it is decoded whole', () => {
    for (const extra of ['', '名']) {
      const texts = Array.from({ length: 700 }, (_, i) => `{"Task Type": "T${i % 7}${extra}", "stream": ${i}, "note": "${'n'.repeat(i % 50)}"}`);
      const t = argsTableOf(texts);
      expect(new Set(t.segment).size).toBeLessThan(4);
      for (const pass of [1, 2]) {
        texts.forEach((text, i) => {
          expect(argsField(t, i, 'Task Type'), `pass ${pass}: ${text}`).toEqual(regexField(text, 'Task Type'));
          expect(argsField(t, i, 'stream')).toBe(i);
        });
      }
    }
  });
});

describe.skipIf(!sharedTracesPresent)('argsField on every args object of the real traces', () => {
  warnIfAbsent();
  const keys = ['correlation', 'External id', 'connection_id', 'Task Type', 'Collective name', 'stream', 'device', 'Sequence number'];
  for (const rel of SHARED_TRACE_FILES) {
    it(rel, async () => {
      const m = await loadTrace(sharedBytes(rel));
      let found = 0;
      for (let i = 0; i < m.args.length; i++) {
        const text = argsText(m.args, i);
        for (const key of keys) {
          const want = regexField(text, key);
          const got = argsField(m.args, i, key);
          if (got !== want && !(Number.isNaN(got) && Number.isNaN(want))) expect(got, `${key} in ${text}`).toEqual(want);
          if (want !== null) found++;
        }
      }
      expect(m.args.length).toBeGreaterThan(0);
      expect(found).toBeGreaterThan(0);
    });
  }
});
