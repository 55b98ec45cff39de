// The slimmer on a tiny handmade trace (every expected value derived by hand from its lines, as the
// comments say) and on real Kineto traces, where what must survive is counted independently with the
// project loader on the original file: slices and instants wholly inside the window, and the arrows
// whose two slices are both inside.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load.ts';
import type { TraceModel } from './model.ts';
import { sliceCat, sliceName } from './query.ts';
import { parseDropFields, profilerSteps, slimTrace, SlimError, stepWindowUs, traceStartUs } from './slim.ts';
import { sharedText, sharedTracesPresent, warnIfAbsent } from './test-support/shared.ts';

warnIfAbsent();

type Ev = Record<string, unknown>;
const H = { pid: 1, tid: 1 }; // host thread
const G = { pid: 0, tid: 7 }; // GPU stream

/** Steps 1..3 at 0, 100, 200 µs, 100 µs each; the window for --steps 2-2 is [100, 200]. */
function tinyTrace(): { traceEvents: Ev[]; deviceProperties: unknown[]; schemaVersion: number } {
  const X = (name: string, ts: number, dur: number, where = H, extra: Ev = {}): Ev => ({ ph: 'X', name, ts, dur, ...where, cat: 'cpu_op', ...extra });
  const flow = (ph: string, id: number, ts: number, where: { pid: number; tid: number }, bp = true): Ev => ({
    ph, id, ts, ...where, cat: 'ac2g', name: 'ac2g', ...(bp && ph === 'f' ? { bp: 'e' } : {}),
  });
  return {
    schemaVersion: 1,
    deviceProperties: [{ id: 0, name: 'Tiny GPU' }],
    traceEvents: [
      { ph: 'M', name: 'process_name', pid: 1, tid: 0, args: { name: 'python' } },
      { ph: 'M', name: 'process_name', pid: 0, tid: 0, args: { name: 'GPU 0' } },
      { ph: 'M', name: 'thread_name', pid: 0, tid: 7, args: { name: 'stream 7' } },
      X('ProfilerStep#1', 0, 100, H, { cat: 'user_annotation' }),
      X('ProfilerStep#2', 100, 100, H, { cat: 'user_annotation' }),
      X('ProfilerStep#3', 200, 100, H, { cat: 'user_annotation' }),
      X('ProfilerStep#2', 150, 120, G, { cat: 'gpu_user_annotation' }), // device side: not the window, ends at 270
      X('op-a', 110, 20, H, { args: { 'Input Dims': [[2, 3]], 'External id': 5 } }),
      X('launch-a', 115, 5, H, { cat: 'cuda_runtime' }),
      X('kernel-a', 125, 10, G, { cat: 'kernel' }),
      flow('s', 1, 115, H), // launch-a → kernel-a: both inside
      flow('f', 1, 125, G),
      X('launch-b', 180, 5, H, { cat: 'cuda_runtime' }),
      X('kernel-b', 205, 10, G, { cat: 'kernel' }), // runs after the window
      flow('s', 2, 180, H), // its partner is cropped
      flow('f', 2, 205, G),
      X('straddle', 195, 10), // 195..205 crosses the end
      flow('s', 3, 196, H), // binds to straddle (deepest), not to ProfilerStep#2
      flow('f', 3, 130, G), // inside kernel-a, but its start is gone
      flow('f', 4, 150, H), // no s anywhere: unpaired in the input already
      flow('s', 5, 116, H), // in launch-a; its f (no bp) binds to the next slice at or after 138:
      flow('f', 5, 138, G, false), //   the device ProfilerStep#2 at 150, which is dropped
      flow('s', 6, 111, H), // in op-a; its f (no bp) binds to kernel-a at 125, kept
      flow('f', 6, 124, G, false),
      { ph: 'i', name: '[memory]', ts: 140, s: 't', ...H, cat: 'cpu_instant_event', args: { Bytes: 512 } },
      { ph: 'i', name: '[memory]', ts: 250, s: 't', ...H, cat: 'cpu_instant_event', args: { Bytes: -512 } },
      { ph: 'C', name: 'mem', ts: 100, pid: 0, args: { used: 1 } }, // on the edge: kept
      { ph: 'C', name: 'mem', ts: 99, pid: 0, args: { used: 2 } },
      X('f.py(1): g', 105, 3, H, { cat: 'python_function' }),
      { ph: 'B', name: 'b-inside', ts: 120, pid: 1, tid: 2 },
      { ph: 'E', ts: 140, pid: 1, tid: 2 },
      { ph: 'B', name: 'b-cross', ts: 190, pid: 1, tid: 2 },
      { ph: 'E', ts: 210, pid: 1, tid: 2 },
      { ph: 'E', ts: 150, pid: 1, tid: 3 }, // unmatched
      { ph: 'b', name: 'async-in', cat: 'a', id: 9, ts: 120, ...H },
      { ph: 'e', name: 'async-in', cat: 'a', id: 9, ts: 150, ...H },
      { ph: 'b', name: 'async-cross', cat: 'a', id: 10, ts: 150, ...H },
      { ph: 'e', name: 'async-cross', cat: 'a', id: 10, ts: 250, ...H },
    ],
  };
}

/** A short label per event: name, or ph+id for flows, or ph+ts. */
function labels(events: unknown[]): string[] {
  return (events as Ev[]).map((e) => {
    if (e.ph === 's' || e.ph === 'f') return `${e.ph}${e.id}`;
    if (e.ph === 'E' || e.ph === 'e') return `${e.ph}@${e.ts}`;
    if (e.ph === 'i' || e.ph === 'C') return `${e.name}@${e.ts}`;
    return String(e.name);
  });
}

function eventsOf(trace: unknown): Ev[] {
  return (trace as { traceEvents: Ev[] }).traceEvents;
}

const textBytes = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

describe('slimTrace on a tiny trace', () => {
  it('keeps exactly the events inside ProfilerStep#2, whole metadata and paired flows', () => {
    const input = tinyTrace();
    const before = structuredClone(input);
    const { trace, stats } = slimTrace(input, { steps: { first: 2, last: 2 } });
    expect(labels(eventsOf(trace))).toEqual([
      'process_name', 'process_name', 'thread_name',
      'ProfilerStep#2', 'op-a', 'launch-a', 'kernel-a', 's1', 'f1', 'launch-b',
      's6', 'f6', '[memory]@140', 'mem@100', 'f.py(1): g', 'b-inside', 'E@140', 'async-in', 'e@150',
    ]);
    expect(stats.windowUs).toEqual({ fromUs: 100, toUs: 200 });
    // Flow events dropped as unbound or unpaired: s3 (straddle gone) and f5 (bound slice gone) unbound,
    // then the groups left without a partner: s2 (f2 is outside), f3, f4, s5.
    expect(stats.droppedFlowEvents).toBe(6);
    expect(stats.sourceEvents).toBe(input.traceEvents.length);
    expect(stats.droppedUnmatched).toBe(1); // the E on tid 3
    expect(stats.keptEvents + stats.droppedOutsideWindow + stats.droppedByField + stats.droppedFlowEvents + stats.droppedUnmatched).toBe(
      stats.sourceEvents,
    );
    expect(input).toEqual(before); // pure: the input is not touched
  });

  it('keeps the top-level fields and notes what it did', () => {
    const { trace } = slimTrace(tinyTrace(), { steps: { first: 2, last: 2 } });
    const t = trace as Ev;
    expect(Object.keys(t)).toEqual(['schemaVersion', 'deviceProperties', 'traceEvents', 'tracewiseSlim']);
    expect(t.deviceProperties).toEqual([{ id: 0, name: 'Tiny GPU' }]);
    expect(t.tracewiseSlim).toMatchObject({ steps: '2-2', windowUs: [100, 200], sourceEvents: 38, keptEvents: 19 });
  });

  it('gives the same result for the same window in µs', () => {
    const bySteps = slimTrace(tinyTrace(), { steps: { first: 2, last: 2 } });
    const byWindow = slimTrace(tinyTrace(), { windowUs: { fromUs: 100, toUs: 200 } });
    expect(eventsOf(byWindow.trace)).toEqual(eventsOf(bySteps.trace));
  });

  it('takes in device work that runs after the host step with endPadUs', () => {
    const { trace } = slimTrace(tinyTrace(), { steps: { first: 2, last: 2 }, endPadUs: 20 });
    const got = labels(eventsOf(trace));
    // [100, 220]: kernel-b (205..215) and straddle (195..205) now fit, so flows 2 and 3 pair up;
    // ProfilerStep#3 (200..300), b-cross (190..210 fits!) and the device step (150..270) are decided alike.
    for (const l of ['kernel-b', 'straddle', 's2', 'f2', 's3', 'f3', 'b-cross']) expect(got).toContain(l);
    for (const l of ['ProfilerStep#3', 'f4', 's5', 'f5']) expect(got).not.toContain(l);
  });

  it('drops memory instants, python_function slices and shape args on request, on copies', () => {
    const input = tinyTrace();
    const { trace, stats } = slimTrace(input, { steps: { first: 2, last: 2 }, drop: ['memory', 'stack', 'shapes'] });
    const got = eventsOf(trace);
    expect(labels(got)).not.toContain('[memory]@140');
    expect(labels(got)).not.toContain('f.py(1): g');
    expect(got.find((e) => e.name === 'op-a')?.args).toEqual({ 'External id': 5 });
    expect(input.traceEvents.find((e) => e.name === 'op-a')?.args).toEqual({ 'Input Dims': [[2, 3]], 'External id': 5 });
    // Whole events dropped by field: two [memory] instants and the python_function slice.
    expect(stats.droppedByField).toBe(3);
    expect(stats.eventsWithArgsTrimmed).toBe(1);
    const named = slimTrace(input, { drop: ['args:External id'] });
    expect(eventsOf(named.trace).find((e) => e.name === 'op-a')?.args).toEqual({ 'Input Dims': [[2, 3]] });
  });

  it('without a window keeps every event except unpaired flow halves and unmatched B/E', () => {
    const input = tinyTrace();
    const { stats } = slimTrace(input, {});
    // f4 has no start (every other flow has both halves bound in the full trace); the E on tid 3 has no B.
    expect(stats.keptEvents).toBe(input.traceEvents.length - 2);
    expect(stats.droppedFlowEvents).toBe(1);
    expect(stats.droppedUnmatched).toBe(1);
  });

  it('keeps a bare array a bare array', () => {
    const { trace } = slimTrace(tinyTrace().traceEvents, { steps: { first: 1, last: 1 } });
    expect(Array.isArray(trace)).toBe(true);
    expect(labels(trace as unknown[])).toContain('ProfilerStep#1');
  });

  it('keeps the last step of the range on a clock near 5.3e12 µs, where ts + dur rounds past the window end', () => {
    // Numbers from a real recording (rank 0 of the TP=2 Qwen trace): step 1 starts at from, step 2
    // ends at ts + dur, which as doubles is 0.27 ns past (ts - from) + dur: a 0.1 ns edge dropped it.
    const from = 5330103413568.311;
    const ts = 5330103509297.985;
    const dur = 9403.928;
    const events = [
      { ph: 'X', name: 'ProfilerStep#1', ts: from, dur: ts - from - 20, ...H, cat: 'user_annotation' },
      { ph: 'X', name: 'ProfilerStep#2', ts, dur, ...H, cat: 'user_annotation' },
    ];
    const { trace } = slimTrace({ traceEvents: events }, { steps: { first: 1, last: 2 } });
    expect(labels((trace as { traceEvents: unknown[] }).traceEvents)).toEqual(expect.arrayContaining(['ProfilerStep#1', 'ProfilerStep#2']));
  });

  it('names the steps a trace has when asked for one it lacks', () => {
    expect(() => slimTrace(tinyTrace(), { steps: { first: 3, last: 4 } })).toThrow(/no ProfilerStep#4 .*#1, #2, #3/);
    expect(() => slimTrace({ traceEvents: [] }, { steps: { first: 1, last: 1 } })).toThrow(/no ProfilerStep#N/);
    expect(() => slimTrace(tinyTrace(), { steps: { first: 1, last: 1 }, windowUs: { fromUs: 0, toUs: 1 } })).toThrow(SlimError);
    expect(() => slimTrace({ events: [] }, {})).toThrow(/not a trace-event file/);
    expect(() => slimTrace(tinyTrace(), { windowUs: { fromUs: 5, toUs: 1 } })).toThrow(/empty time window/);
  });

  it('reads drop-field lists and step helpers', () => {
    expect(parseDropFields('stack, memory,shapes,args:Ev Idx')).toEqual(['stack', 'memory', 'shapes', 'args:Ev Idx']);
    expect(() => parseDropFields('stack,python')).toThrow(/unknown field 'python'/);
    expect(profilerSteps(tinyTrace())).toEqual([1, 2, 3]);
    expect(stepWindowUs(tinyTrace(), 1, 3)).toEqual({ fromUs: 0, toUs: 300 });
    expect(traceStartUs(tinyTrace())).toBe(0);
  });

  it('writes a trace the project loader reads with every arrow bound', async () => {
    const { trace } = slimTrace(tinyTrace(), { steps: { first: 2, last: 2 } });
    const m = await loadTrace(textBytes(trace));
    expect(m.stats.warnings.filter((w) => w.code.startsWith('flow'))).toEqual([]);
    // s1 → f1 and s6 → f6.
    expect(m.flows.length).toBe(2);
  });
});

/** Host ProfilerStep#first..#last span in the loader's exact integer ns. */
function stepSpanNs(m: TraceModel, first: number, last: number): { fromNs: number; toNs: number } {
  let fromNs = Infinity;
  let toNs = -Infinity;
  for (let i = 0; i < m.slices.length; i++) {
    const hit = /^ProfilerStep#(\d+)$/.exec(sliceName(m, i));
    if (!hit || sliceCat(m, i) === 'gpu_user_annotation') continue;
    const n = Number(hit[1]);
    if (n < first || n > last) continue;
    fromNs = Math.min(fromNs, m.slices.startNs[i]);
    toNs = Math.max(toNs, m.slices.startNs[i] + m.slices.durNs[i]);
  }
  return { fromNs, toNs };
}

function trackKey(m: TraceModel, t: number): string {
  return `${m.processes.pid[m.tracks.process[t]]}\t${m.tracks.tid[t]}`;
}

/** What must survive, read off the original with the loader: per-track slices and instants wholly inside, and arrows between two kept slices. */
function expected(m: TraceModel, fromNs: number, toNs: number) {
  const inside = (s: number): boolean => m.slices.startNs[s] >= fromNs && m.slices.startNs[s] + m.slices.durNs[s] <= toNs;
  const slices = new Map<string, number>();
  for (let t = 0; t < m.tracks.length; t++) {
    let n = 0;
    for (let s = m.tracks.sliceStart[t]; s < m.tracks.sliceEnd[t]; s++) if (inside(s)) n++;
    if (n > 0) slices.set(trackKey(m, t), n);
  }
  let instants = 0;
  for (let i = 0; i < m.instants.length; i++) if (m.instants.tsNs[i] >= fromNs && m.instants.tsNs[i] <= toNs) instants++;
  let arrows = 0;
  for (let f = 0; f < m.flows.length; f++) {
    const a = m.flows.fromSlice[f];
    const b = m.flows.toSlice[f];
    if (a >= 0 && b >= 0 && inside(a) && inside(b)) arrows++;
  }
  return { slices, instants, arrows };
}

function slicesPerTrack(m: TraceModel): Map<string, number> {
  const out = new Map<string, number>();
  for (let t = 0; t < m.tracks.length; t++) {
    const n = m.tracks.sliceEnd[t] - m.tracks.sliceStart[t];
    if (n > 0) out.set(trackKey(m, t), n);
  }
  return out;
}

const REAL: Array<{ rel: string; first: number; last: number }> = [
  { rel: 'pytorch/kineto-resnet50-2021.json.gz', first: 6, last: 7 },
  { rel: 'pytorch/hta-nccl-data.json.gz', first: 5, last: 5 },
];

describe.skipIf(!sharedTracesPresent)('slimTrace on real Kineto traces (../shared/traces)', () => {
  for (const { rel, first, last } of REAL) {
    it(`${rel}: ProfilerStep#${first}-#${last} keeps what lies inside, arrows paired, top-level fields whole`, async () => {
      const text = sharedText(rel);
      const json = JSON.parse(text) as Ev;
      const original = await loadTrace(new TextEncoder().encode(text), { fileName: rel });
      const { fromNs, toNs } = stepSpanNs(original, first, last);
      const want = expected(original, fromNs, toNs);

      const { trace, stats } = slimTrace(json, { steps: { first, last } });
      const bytes = textBytes(trace);
      expect(() => JSON.parse(new TextDecoder().decode(bytes))).not.toThrow();
      const slim = await loadTrace(bytes, { fileName: `${rel} (slim)` });

      expect(slicesPerTrack(slim)).toEqual(want.slices);
      expect(slim.instants.length).toBe(want.instants);
      expect(slim.flows.length).toBe(want.arrows);
      expect(want.arrows).toBeGreaterThan(0);
      expect(slim.stats.warnings.filter((w) => w.code.startsWith('flow'))).toEqual([]);
      // Every kept flow event is half of an arrow: as many s as arrows (Kineto: one f per s).
      expect(slim.stats.byPhase.s).toBe(want.arrows);
      expect(slim.stats.byPhase.M).toBe(original.stats.byPhase.M);
      for (const [k, v] of Object.entries(json)) if (k !== 'traceEvents') expect((trace as Ev)[k]).toEqual(v);
      expect(stats.keptEvents).toBe(slim.stats.events);
    });
  }
});

describe('slimTrace on the committed recorded sample', () => {
  const path = new URL('../../../public/traces/qwen2_5-7b-shape-tp1-h100.json.gz', import.meta.url);
  it('crops ProfilerStep#2 out of it with every arrow paired', async () => {
    const { gunzipSync } = await import('node:zlib');
    const json = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as Ev;
    const original = await loadTrace(textBytes(json));
    const { fromNs, toNs } = stepSpanNs(original, 2, 2);
    const want = expected(original, fromNs, toNs);
    const slim = await loadTrace(textBytes(slimTrace(json, { steps: { first: 2, last: 2 } }).trace));
    expect(slicesPerTrack(slim)).toEqual(want.slices);
    expect(slim.instants.length).toBe(want.instants);
    expect(slim.flows.length).toBe(want.arrows);
    expect(slim.stats.warnings.filter((w) => w.code.startsWith('flow'))).toEqual([]);
  });
});
