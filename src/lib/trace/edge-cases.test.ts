// One handmade fixture per edge case (fixtures/*.json); every expected value
// is derived by hand from the fixture's few lines, as the comments show.
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load.ts';
import type { LoadWarning, TraceModel } from './model.ts';
import { argsText } from './args.ts';
import { flowIdText, sliceArgs, sliceName, str } from './query.ts';
import { fixture } from './test-support/fixtures.ts';

const load = (name: string): Promise<TraceModel> => loadTrace(fixture(name), { fileName: name });

function warning(m: TraceModel, code: LoadWarning['code']): LoadWarning | undefined {
  return m.stats.warnings.find((w) => w.code === code);
}

/** Slices as "name start..end d<depth> ^parent" per track, µs → ns written out. */
function slicesOf(m: TraceModel, track: number): string[] {
  const out: string[] = [];
  for (let i = m.tracks.sliceStart[track]; i < m.tracks.sliceEnd[track]; i++) {
    const p = m.slices.parent[i];
    out.push(`${sliceName(m, i)} ${m.slices.startNs[i]}..${m.slices.startNs[i] + m.slices.durNs[i]} d${m.slices.depth[i]}${p >= 0 ? ` ^${sliceName(m, p)}` : ''}`);
  }
  return out;
}

describe('B/E pairing (unmatched-E.json)', () => {
  it('closes the most recent B, keeps a never-closed B to the end, drops a stray E', async () => {
    const m = await load('unmatched-E.json');
    // tid 1: B outer@0, B inner@10, E@20 closes inner, E@30 closes outer, E@40 has nothing open.
    expect(slicesOf(m, 0)).toEqual(['outer 0..30000 d0', 'inner 10000..20000 d1 ^outer']);
    // tid 2: B never-ends@5 runs to the trace end, 60 µs (the X "last" ends there).
    expect(slicesOf(m, 1)).toEqual(['never-ends 5000..60000 d0', 'last 50000..60000 d1 ^never-ends']);
    expect(Array.from(m.slices.fromBE)).toEqual([1, 1, 1, 0]);
    expect(sliceArgs(m, 1)).toEqual({ k: 1 });
    expect(warning(m, 'unmatched-end')?.count).toBe(1);
    expect(warning(m, 'unmatched-begin')?.count).toBe(1);
    expect(m.endNs).toBe(60000);
    expect(m.tracks.maxDepth[0]).toBe(2);
  });
});

describe('overlapping X events (overlapping-X.json)', () => {
  it('nests what is contained and moves what only overlaps to the next free row', async () => {
    const m = await load('overlapping-X.json');
    // a 0..10 contains c 6..8; b 5..15 only overlaps a, so it is no child of a
    // and takes row 1; c is inside both a and b: child of the deeper, b, row 2.
    // e 20..24 and the zero-length d at 20: d is inside e (longer first on ties).
    expect(slicesOf(m, 0)).toEqual(['a 0..10000 d0', 'b 5000..15000 d1', 'c 6000..8000 d2 ^b', 'e 20000..24000 d0', 'd 20000..20000 d1 ^e']);
    expect(m.stats.warnings.map((w) => [w.code, w.count])).toEqual([['other', 1]]);
  });
});

describe('flows (flows.json)', () => {
  it('joins s/t/f by (category, id) in time order and binds each end', async () => {
    const m = await load('flows.json');
    const rows = Array.from({ length: m.flows.length }, (_, i) => {
      const from = m.flows.fromSlice[i];
      const to = m.flows.toSlice[i];
      return `${str(m, m.flows.cat[i])}:${flowIdText(m, i)} ${from >= 0 ? sliceName(m, from) : '-'}@${m.flows.fromNs[i]} -> ${to >= 0 ? sliceName(m, to) : '-'}@${m.flows.toNs[i]}`;
    });
    expect(rows).toEqual([
      // f written before its s; s at 2 µs lies in launch 0..10, f (bp e) at 20 in kernel 20..25.
      'ac2g:1 launch@2000 -> kernel@20000',
      // A string id with two ends: both join the one start.
      'HostToDevice:7 launch@3000 -> kernel@20000',
      'HostToDevice:7 launch@3000 -> kernel2@30000',
      // f without bp binds to the next slice starting at or after 26 µs: kernel2 at 30
      // (the row keeps the event's own time).
      'next:2 launch@4000 -> kernel2@26000',
      // id2 chain s → t → f: the t at 22 lies in kernel; the f at 31 in kernel2.
      'chain:{"local": "0x5"} launch@5000 -> kernel@22000',
      'chain:{"local": "0x5"} kernel@22000 -> kernel2@31000',
      // Its start is on a thread with no slices; its end at 40 is after kernel2 ended (35).
      'nowhere:9 -@1000 -> -@40000',
    ]);
    // ac2g:3 has no start; lonely:1 has no end.
    expect(warning(m, 'flow-incomplete')?.count).toBe(2);
    expect(warning(m, 'flow-unbound')?.count).toBe(1);
    // Flow events make no tracks: pid 5 has only a flow start.
    expect(m.processes.pid).toEqual(['1', '2']);
  });
});

describe('counters (counters.json)', () => {
  it('makes one track per (process, counter, series) with samples in time order', async () => {
    const m = await load('counters.json');
    const tracks = Array.from({ length: m.tracks.length }, (_, t) => `${str(m, m.tracks.name[t])}|${m.tracks.tid[t]}|${m.tracks.kind[t]}`);
    expect(tracks).toEqual([
      'HBM 0 Read(MB/s)|Read(MB/s)|counter', // two series: "name series"
      'HBM 0 Write(MB/s)|Write(MB/s)|counter',
      'Freq|MHz|counter', // "note" is not a number: no series, so "Freq" alone
      'Queue 4|value|counter', // id 4 makes the counter "Queue 4"; 1e2 = 100
      'Escaped|a"b|counter',
    ]);
    const samples = Array.from({ length: m.counters.length }, (_, i) => [m.counters.track[i], m.counters.tsNs[i], m.counters.value[i]]);
    // Origin is the earliest sample, 10 µs; the 20 µs samples were written first.
    expect(samples).toEqual([
      [0, 0, 7],
      [0, 10000, 10],
      [1, 0, 3], // "3" as a string counts
      [1, 10000, 2.5],
      [2, 0, 1800],
      [3, 5000, 100],
      [4, 6000, 1],
    ]);
    expect(m.processes.kind).toEqual(['counters']);
    expect(str(m, m.processes.name[0])).toBe('HBM');
  });
});

describe('exact time', () => {
  it('reads torch_npu string timestamps to the ns, rounding sub-ns ends once (string-timestamps.json)', async () => {
    const m = await load('string-timestamps.json');
    expect(m.originUs).toBe('1736408883688177.930');
    // first: 0 + 145.57 µs. subns: 700059.821 − 688177.930 = 11881.891 µs; its end
    // adds 840.07675 µs = 840076.75 ns → 12721967.75 → 12721968.
    // half: 11881891.5 ns rounds up to 11881892, and its 0.5 ns duration ends there too.
    expect(slicesOf(m, 0)).toEqual(['first 0..145570 d0', 'subns 11881891..12721968 d0', 'half 11881892..11881892 d1 ^subns']);
    expect(Array.from(m.instants.tsNs)).toEqual([1]); // .931 − .930 µs
    expect(m.endNs).toBe(12721968);
  });

  it('reads exponents and numeric strings exactly (exponent-timestamps.json)', async () => {
    const m = await load('exponent-timestamps.json');
    // earliest: 1499 µs (1E0 µs long). exp: 1.5e3 = 1500 µs, 2.5e-1 µs = 250 ns. plain: "1500.5".
    expect(m.originUs).toBe('1499');
    expect(slicesOf(m, 0)).toEqual(['exp 1000..1250 d0', 'plain 1500..2500 d0']);
    expect(slicesOf(m, 1)).toEqual(['earliest 0..1000 d0']);
  });
});

describe('separators and endings', () => {
  it('accepts a trailing comma (trailing-comma.json)', async () => {
    const m = await load('trailing-comma.json');
    expect(m.slices.length).toBe(2);
    expect(m.stats.truncated).toBe(false);
    expect(m.stats.warnings).toEqual([]);
  });

  it('reads an array form without its closing bracket, as the spec allows (array-unclosed.json)', async () => {
    const m = await load('array-unclosed.json');
    expect(m.slices.length).toBe(2);
    expect(m.stats.truncated).toBe(true);
    expect(m.stats.droppedBytes).toBe(0);
    expect(warning(m, 'truncated')?.message).toMatch(/all 2 events were read/);
  });

  it('keeps every complete event of a file cut inside args (truncated-mid-args.json)', async () => {
    const bytes = fixture('truncated-mid-args.json');
    const m = await loadTrace(bytes);
    const text = new TextDecoder().decode(bytes);
    expect(m.slices.length).toBe(1);
    expect(sliceName(m, 0)).toBe('a');
    // Dropped: from the second event's '{' to the end.
    expect(m.stats.droppedBytes).toBe(bytes.length - text.indexOf('{"ph": "X", "name": "b"'));
    expect(m.stats.truncated).toBe(true);
  });
});

describe('metadata (metadata.json)', () => {
  it('names, labels and orders processes and threads; drops processes without events', async () => {
    const m = await load('metadata.json');
    expect(m.format).toBe('kineto'); // categories cpu_op + kernel
    // Order by process_sort_index: 100 (5), 0 (16777216), then "Traces" (none, not numeric).
    expect(m.processes.pid).toEqual(['100', '0', 'Traces']);
    expect(m.processes.kind).toEqual(['host', 'gpu', 'other']);
    expect(Array.from(m.processes.device)).toEqual([-1, 0, -1]);
    expect(m.processes.label.map((l) => str(m, l))).toEqual(['CPU', 'GPU 0', '']);
    // Threads by thread_sort_index: worker (1) before main (2); tid "100" and 100 are one thread.
    const tracks = Array.from({ length: m.tracks.length }, (_, t) => `${m.tracks.process[t]}:${m.tracks.tid[t]}:${str(m, m.tracks.name[t])}:${m.tracks.kind[t]}`);
    expect(tracks).toEqual(['0:101:worker:thread', '0:100:main:thread', '1:7:stream 7:gpu-stream', '2:Trace:Trace:other']);
    expect(m.metadata).toEqual({ traceName: 'metadata.json', displayTimeUnit: 'ms', deviceProperties: [{ id: 0, name: 'A100' }] });
  });
});

describe('odd events (odd-events.json)', () => {
  it('skips what it cannot read, counts it, and keeps the rest', async () => {
    const m = await load('odd-events.json');
    // 13 elements have a ph; "no-ph", 42 and "text" are not events.
    expect(m.stats.events).toBe(13);
    expect(m.stats.byPhase).toEqual({ X: 7, b: 1, e: 1, P: 1, Xyz: 1, R: 1, I: 1 });
    // no-dur (kept, 0 long) and the three readable ones; negative, no-ts and bad-ts are skipped.
    expect(Array.from({ length: m.slices.length }, (_, i) => sliceName(m, i))).toEqual(['no-dur', 'esc"aped é 😀', 'esc"aped é 😀', '名字']);
    // Escaped and raw UTF-8 spellings of one name are one string.
    expect(m.slices.name[1]).toBe(m.slices.name[2]);
    expect(sliceArgs(m, 1)).toBeNull(); // NaN is kept as written; not JSON
    expect(argsText(m.args, m.slices.args[1])).toContain('NaN');
    expect(m.slices.args[2]).toBe(-1); // {} is stored as absent
    expect(sliceArgs(m, 3)).toEqual({ 名: '值' });
    expect(m.instants.length).toBe(2);
    const counts = Object.fromEntries(m.stats.warnings.filter((w) => w.code !== 'other').map((w) => [w.code, w.count]));
    expect(counts).toEqual({ 'bad-event': 3, 'bad-timestamp': 2, 'bad-duration': 2 });
    const ignored = m.stats.warnings.filter((w) => w.code === 'other').map((w) => w.message);
    expect(ignored).toEqual([
      "1 events of phase 'b' were not read (phase not supported).",
      "1 events of phase 'e' were not read (phase not supported).",
      "1 events of phase 'P' were not read (phase not supported).",
      "1 events of phase 'Xyz' were not read (phase not supported).",
    ]);
  });

  it('replaces invalid UTF-8 and says so', async () => {
    const head = new TextEncoder().encode('[{"ph":"X","pid":1,"tid":1,"ts":0,"dur":1,"name":"bad');
    const tail = new TextEncoder().encode('","args":{"k":"x"}}]');
    const bytes = new Uint8Array([...head, 0xff, 0xfe, ...tail]);
    const m = await loadTrace(bytes);
    expect(sliceName(m, 0)).toBe('bad\uFFFD\uFFFD');
    expect(warning(m, 'invalid-utf8')?.count).toBe(1);
  });
});

describe('metadata only (metadata-only.json)', () => {
  it('loads, and says that the file has no timed events at all', async () => {
    const m = await load('metadata-only.json');
    expect(m.stats.events).toBe(10);
    expect(m.slices.length + m.instants.length + m.counters.length).toBe(0);
    const w = m.stats.warnings.find((x) => x.code === 'no-timed-events');
    expect(w?.message).toBe('The file holds 10 events, all metadata (process and thread names, labels, sort order): no event has a time, so there is no timeline.');
  });

  it('a trace with one timed event gets no such warning', async () => {
    const text = new TextDecoder().decode(fixture('metadata-only.json')).replace('"traceEvents": [', '"traceEvents": [{"ph": "X", "name": "a", "pid": 0, "tid": 7, "ts": 1, "dur": 2},');
    const m = await loadTrace(new TextEncoder().encode(text));
    expect(m.stats.warnings.some((x) => x.code === 'no-timed-events')).toBe(false);
  });
});

describe('duplicate top-level keys (duplicate-traceEvents.json)', () => {
  it('reads and merges both traceEvents lists, and says so; for other keys the last value is used, and says so', async () => {
    const m = await load('duplicate-traceEvents.json');
    expect(Array.from({ length: m.slices.length }, (_, i) => sliceName(m, i))).toEqual(['first', 'first-2', 'second']);
    expect(m.metadata.displayTimeUnit).toBe('ms');
    const dup = m.stats.warnings.filter((w) => w.code === 'duplicate-key').map((w) => w.message);
    expect(dup).toEqual([
      'The file has 2 "traceEvents" lists (the key is written 2 times); all were read and merged (2 + 1 elements). A plain JSON reader (JSON.parse, Python\'s json) would keep only the last one.',
      'The top-level key "displayTimeUnit" is written 2 times; the last value was used.',
    ]);
  });

  it('a file with each key once gets no such warning', async () => {
    const m = await load('metadata.json');
    expect(m.stats.warnings.some((w) => w.code === 'duplicate-key')).toBe(false);
  });
});
