import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchStart, type SliceIndex } from './flows.ts';
import { loadTrace } from './load.ts';
import { flowIdText } from './query.ts';
import { MAX_STRING_BYTES } from './intern.ts';
import type { SliceTable } from './model.ts';

/** One track after another, each with sorted starts (ties included), as the slice table keeps them. */
function index(tracks: number[][]): SliceIndex {
  const starts = tracks.flatMap((t) => [...t].sort((a, b) => a - b));
  const sliceStart = new Int32Array(tracks.length);
  const sliceEnd = new Int32Array(tracks.length);
  let k = 0;
  tracks.forEach((t, i) => {
    sliceStart[i] = k;
    k += t.length;
    sliceEnd[i] = k;
  });
  const slices = { length: starts.length, startNs: Float64Array.from(starts) } as unknown as SliceTable;
  return { slices, sliceStart, sliceEnd };
}

/** The plain answer: the first index in the track whose start is > t (strict) or ≥ t. */
function linear(ix: SliceIndex, track: number, t: number, strict: boolean): number {
  let k = ix.sliceStart[track];
  while (k < ix.sliceEnd[track] && (strict ? ix.slices.startNs[k] <= t : ix.slices.startNs[k] < t)) k++;
  return k;
}

describe('searchStart (the galloping search that binds flow ends)', () => {
  it('gives the plain answer from any hint, in and out of the track, for strict and non-strict bounds', () => {
    const track = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 80 });
    fc.assert(
      fc.property(fc.array(track, { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: -5, max: 65 }), fc.integer({ min: -2, max: 400 }), fc.boolean()), { maxLength: 30 }), (tracks, queries) => {
        const ix = index(tracks);
        for (const [tr, t, hint, strict] of queries) {
          const trackId = tr % tracks.length;
          expect(searchStart(ix, trackId, t, hint, strict)).toBe(linear(ix, trackId, t, strict));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('follows a track in time order with each answer as the next hint', () => {
    const ix = index([Array.from({ length: 5000 }, (_, i) => Math.floor(i / 3) * 10)]);
    let hint = -1;
    for (let t = -5; t < 17_000; t += 7) {
      const k = searchStart(ix, 0, t, hint, true);
      expect(k).toBe(linear(ix, 0, t, true));
      hint = k;
    }
  });
});

describe('flow grouping', () => {
  it('binds the same arrows whether ids are small numbers, huge numbers or strings', async () => {
    const trace = (idOf: (i: number) => unknown): Uint8Array => {
      const ev: unknown[] = [];
      for (let i = 0; i < 50; i++) {
        ev.push({ ph: 'X', name: `op${i}`, pid: 1, tid: 1, ts: i * 10, dur: 5 });
        ev.push({ ph: 'X', name: `k${i}`, pid: 2, tid: 7, ts: i * 10 + 3, dur: 4 });
        // Two categories share ids; a third of the chains are written end first.
        const cat = i % 2 ? 'ac2g' : 'fwdbwd';
        const s = { ph: 's', id: idOf(i), cat, name: cat, pid: 1, tid: 1, ts: i * 10 + 1 };
        const f = { ph: 'f', id: idOf(i), cat, name: cat, pid: 2, tid: 7, ts: i * 10 + 3, bp: 'e' };
        if (i % 3 === 0) ev.push(f, s);
        else ev.push(s, f);
      }
      ev.push({ ph: 'f', id: idOf(999), cat: 'ac2g', name: 'ac2g', pid: 2, tid: 7, ts: 7 }); // no start
      return new TextEncoder().encode(JSON.stringify({ traceEvents: ev }));
    };
    const arrows = async (idOf: (i: number) => unknown) => {
      const m = await loadTrace(trace(idOf));
      return Array.from({ length: m.flows.length }, (_, i) => `${m.strings[m.flows.cat[i]]} ${m.flows.fromSlice[i]}→${m.flows.toSlice[i]}`).sort();
    };
    const small = await arrows((i) => i + 1);
    expect(small).toHaveLength(50);
    expect(await arrows((i) => 1e14 + i * 7919)).toEqual(small); // sparse numbers: the Map path
    expect(await arrows((i) => `0x${(i + 1).toString(16)}`)).toEqual(small); // strings
    // All three in one trace (torch_npu writes small and 15-digit numbers and 20-digit strings side by side):
    // the small ones in the table, the rest through the Map, numbered as they come.
    expect(await arrows((i) => (i % 3 === 0 ? i + 1 : i % 3 === 1 ? 1e14 + i * 7919 : `${10n ** 19n + BigInt(i)}`))).toEqual(small);
  });
});

describe('flow ids and names', () => {
  const flowTrace = (events: string[]): Uint8Array =>
    new TextEncoder().encode(
      `[{"ph":"X","name":"HostToDevice7","pid":1,"tid":1,"ts":0,"dur":5},{"ph":"X","name":"k","pid":2,"tid":7,"ts":3,"dur":4},${events.join(',')}]`,
    );

  it('reads each id as written, text ids made strings only on reading, escaped spellings one id with the plain one', async () => {
    const long = '9'.repeat(MAX_STRING_BYTES + 10);
    const m = await loadTrace(
      flowTrace([
        '{"ph":"s","id":"12345678901234567890","cat":"HostToDevice","name":"HostToDevice12345678901234567890","pid":1,"tid":1,"ts":1}',
        // The same id with an escape, the end first: one group, so one arrow.
        '{"ph":"f","bp":"e","id":"1234567890123456789\\u0030","cat":"HostToDevice","name":"HostToDevice12345678901234567890","pid":2,"tid":7,"ts":3}',
        '{"ph":"s","id":42,"cat":"ac2g","name":"ac2g","pid":1,"tid":1,"ts":2}',
        '{"ph":"f","bp":"e","id":42,"cat":"ac2g","name":"ac2g","pid":2,"tid":7,"ts":4}',
        `{"ph":"s","id":"é-${long}","cat":"x","pid":1,"tid":1,"ts":2}`,
        `{"ph":"f","bp":"e","id":"é-${long}","cat":"x","pid":2,"tid":7,"ts":5}`,
      ]),
    );
    const ids = Array.from({ length: m.flows.length }, (_, f) => `${m.strings[m.flows.cat[f]]} ${flowIdText(m, f).slice(0, 24)} ${flowIdText(m, f).length}`).sort();
    expect(ids).toEqual(['HostToDevice 12345678901234567890 20', 'ac2g 42 2', `x é-${'9'.repeat(22)} ${MAX_STRING_BYTES}`]); // cut to MAX_STRING_BYTES bytes, '…' added
    expect(flowIdText(m, m.flows.idText.findIndex((k, f) => k >= 0 && m.strings[m.flows.cat[f]] === 'x')).endsWith('9…')).toBe(true);
    expect(m.flows.idText.filter((k) => k >= 0)).toHaveLength(2); // 42 is a number, not text
    expect(m.stats.warnings.find((w) => w.code === 'long-string')?.count ?? 0).toBeGreaterThan(0);
  });

  it('interns no flow event name; a slice of the same name keeps it', async () => {
    const m = await loadTrace(
      flowTrace([
        '{"name":"HostToDevice7","ph":"s","id":"7","cat":"HostToDevice","pid":1,"tid":1,"ts":1}',
        '{"name":"HostToDevice7","ph":"f","bp":"e","id":"7","cat":"HostToDevice","pid":2,"tid":7,"ts":3}',
        '{"name":"only-a-flow","ph":"t","id":"7","cat":"HostToDevice","pid":2,"tid":7,"ts":3}',
        '{"ph":"s","name":"also-only-a-flow","id":"8","cat":"HostToDevice","pid":1,"tid":1,"ts":1}',
      ]),
    );
    expect(m.flows.length).toBeGreaterThan(0);
    expect(m.strings.filter((s) => s.startsWith('HostToDevice7'))).toEqual(['HostToDevice7']);
    expect(m.strings).not.toContain('only-a-flow');
    expect(m.strings).not.toContain('also-only-a-flow');
    expect(m.slices.name[0] >= 0 && m.strings[m.slices.name[0]]).toBe('HostToDevice7');
  });
});
