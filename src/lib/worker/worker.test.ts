// The worker protocol end to end over a real MessageChannel (structured clone
// and transfer included): host.ts on one port, openTrace on the other.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { TraceLoadError } from '../trace/errors.ts';
import { openTrace, openTraceWithAnalysis } from './client.ts';
import { connectInProcess as connect } from './in-process.ts';
import { analysisMsOf, transferablesOf } from './protocol.ts';
import { retargetExercises } from '../exercises/retarget.ts';
import { defaultAnalysis } from '../exercises/analysis.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../trace/fixtures/${name}`, import.meta.url)));


describe('openTrace through the worker protocol', () => {
  it('returns the same model as loading in place, typed arrays and all', async () => {
    const bytes = fixture('flows.json');
    const direct = await loadTrace(bytes);
    const viaWorker = await openTrace(bytes, { connect });
    expect(viaWorker).toEqual(direct);
    expect(viaWorker.slices.startNs).toBeInstanceOf(Float64Array);
  });

  it('opens a Blob and reports progress', async () => {
    const bytes = fixture('metadata.json');
    const progress: number[] = [];
    const m = await openTrace(new Blob([bytes]), { connect, onProgress: (p) => progress.push(p.bytesRead) });
    expect(m.processes.length).toBe(3);
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('reads a Blob of several MiB whole, in order, across its stream\'s chunks', async () => {
    // ~5.5 MiB: many stream chunks, events straddling their seams.
    const events = Array.from({ length: 32000 }, (_, i) => `{"ph":"X","cat":"kernel","name":"k${i % 97}","pid":1,"tid":${1 + (i % 3)},"ts":${i * 10},"dur":5,"args":{"correlation":${i},"pad":"${'x'.repeat(90)}"}}`);
    const bytes = new TextEncoder().encode(`{"traceEvents":[${events.join(',')}]}`);
    expect(bytes.length).toBeGreaterThan(4 * 2 ** 20);
    const progress: number[] = [];
    const viaWorker = await openTrace(new Blob([bytes]), { connect, onProgress: (p) => progress.push(p.bytesRead) });
    expect(viaWorker).toEqual(await loadTrace(bytes));
    expect(progress.at(-1)).toBe(bytes.length);
  });

  it('re-targets with a trace ref that comes after the load started (the upload page fingerprints meanwhile)', async () => {
    const bytes = fixture('flows.json');
    const direct = await loadTrace(bytes);
    let give!: (ref: string) => void;
    const ref = new Promise<string>((ok) => (give = ok));
    const opened = openTraceWithAnalysis(new Blob([bytes]), { connect, retarget: ref });
    let slotsIn = false;
    void opened.slots.then(() => (slotsIn = true));
    // The load and the analysis run; the exercises wait for the ref.
    await opened.tracks;
    await new Promise((r) => setTimeout(r, 20));
    expect(slotsIn).toBe(false);
    give('upload:later');
    expect(await opened.slots).toEqual(retargetExercises(direct, defaultAnalysis, 'upload:later'));
    // A ref that fails to come still ends the load: the exercises then name the trace "upload".
    const failed = openTraceWithAnalysis(new Blob([bytes]), { connect, retarget: Promise.reject(new Error('no key')) });
    expect(await failed.slots).toEqual(retargetExercises(direct, defaultAnalysis, ''));
    expect((await failed.model).slices.length).toBe(direct.slices.length);
  });

  it('with analysis, says when the load is done and the analysis starts, before the model comes', async () => {
    const bytes = fixture('flows.json');
    const seen: Array<{ analysing: boolean; modelIn: boolean }> = [];
    let modelIn = false;
    const opened = openTraceWithAnalysis(new Blob([bytes]), { connect, onProgress: (p) => seen.push({ analysing: p.analysing === true, modelIn }) });
    const m = await opened.model;
    modelIn = true;
    expect(seen.filter((p) => p.analysing)).toEqual([{ analysing: true, modelIn: false }]);
    expect(seen.at(-1)?.analysing).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    // Without analysis there is no such phase.
    const plain: boolean[] = [];
    await openTrace(new Blob([bytes]), { connect, onProgress: (p) => plain.push(p.analysing === true) });
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.some(Boolean)).toBe(false);
    expect(m.slices.length).toBeGreaterThan(0);
  });

  it('says where its time went: the read, then each analysis pass in order (the exercises only when re-targeting)', async () => {
    const bytes = fixture('flows.json');
    const withExercises = openTraceWithAnalysis(bytes, { connect, retarget: 'r' });
    const [, t] = await Promise.all([withExercises.model, withExercises.timing]);
    expect(t!.readMs).toBeGreaterThanOrEqual(0);
    expect(t!.analysis!.map((p) => p.pass)).toEqual(['tracks', 'zoom levels', 'step table', 'detectors', 'exercises', 'memo']);
    for (const p of t!.analysis!) expect(p.ms).toBeGreaterThanOrEqual(0);
    // The page's "analysed in" sum; a load without analysis has none.
    expect(analysisMsOf({ readMs: 9, analysis: [{ pass: 'tracks', ms: 1.5 }, { pass: 'detectors', ms: 2.25 }] })).toBe(3.75);
    expect(analysisMsOf({ readMs: 9 })).toBeNull();
    // A lesson's load (a copy of the model comes ahead of `done`): no exercises pass.
    const lesson = openTraceWithAnalysis(bytes, { connect });
    expect((await lesson.timing)!.analysis!.map((p) => p.pass)).toEqual(['tracks', 'zoom levels', 'step table', 'detectors', 'memo']);
  });

  it('passes load errors through with their code and position', async () => {
    const err = await openTrace(new TextEncoder().encode('[{"ph": "X" "ts": 1}]'), { connect }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceLoadError);
    expect((err as TraceLoadError).code).toBe('syntax');
    expect((err as TraceLoadError).position).toBe(12);
  });

  it('passes the loader\'s structured params through, so the page can word the message itself', async () => {
    const csv = new TextEncoder().encode('name,start,dur\nkernel_a,1,2\nkernel_b,3,4\n');
    const direct = await loadTrace(csv).catch((e: unknown) => e);
    const viaWorker = await openTrace(csv, { connect }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(TraceLoadError);
    expect((direct as TraceLoadError).params.looksLike).toBe('csv');
    expect(viaWorker).toBeInstanceOf(TraceLoadError);
    expect((viaWorker as TraceLoadError).params).toEqual((direct as TraceLoadError).params);
  });

  it('cancels', async () => {
    const ac = new AbortController();
    const big = new TextEncoder().encode(`[${Array.from({ length: 50000 }, (_, i) => `{"ph":"X","name":"n","pid":1,"tid":1,"ts":${i},"dur":1}`).join(',')}]`);
    const pending = openTrace(new Blob([big]), { connect, signal: ac.signal });
    ac.abort();
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TraceLoadError);
    expect((err as TraceLoadError).code).toBe('aborted');
  });

  it('lists each typed-array buffer once for transfer', async () => {
    const m = await loadTrace(fixture('counters.json'));
    const buffers = transferablesOf(m);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers).toContain(m.counters.value.buffer);
    expect(buffers).toContain(m.slices.startNs.buffer);
  });
});
