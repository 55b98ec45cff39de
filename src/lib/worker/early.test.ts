// A lesson's trace started before the client's code is there (early.ts), and a
// small model handed to the page before its detectors (host.ts, copyModelUpTo),
// over the real protocol (a MessageChannel, structured clone and transfer).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { runDetectors } from '../analysis/detectors/index.ts';
import { analysisOf, knownContentExtent, openTraceWithAnalysis } from './client.ts';
import { contentExtentOf } from '../trace/time.ts';
import { BufferedEndpoint, startEarlyLoad, takeEarlyLoad, type WorkerEndpoint } from './early.ts';
import { connectInProcess } from './in-process.ts';
import { CHUNK_STRINGS } from './model-pieces.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../trace/fixtures/${name}`, import.meta.url)));
const dataUrl = (bytes: Uint8Array) => `data:application/json;base64,${Buffer.from(bytes).toString('base64')}`;

/** connectInProcess, counting the workers made. */
function counting(): { connect: () => WorkerEndpoint; made: () => number } {
  let n = 0;
  return {
    connect: () => {
      n++;
      return connectInProcess();
    },
    made: () => n,
  };
}

describe('BufferedEndpoint', () => {
  it('keeps what comes before anyone listens and delivers it in order, then passes messages through', () => {
    const { port1, port2 } = new MessageChannel();
    const inner = Object.assign(port2 as unknown as WorkerEndpoint, { terminate: () => port2.close() });
    const b = new BufferedEndpoint(inner);
    const fire = (data: unknown) => inner.onmessage?.(new MessageEvent('message', { data }));
    fire(1);
    fire(2);
    expect(b.pending).toBe(2);
    const got: unknown[] = [];
    b.onmessage = (e) => got.push(e.data);
    expect(got).toEqual([1, 2]);
    fire(3);
    expect(got).toEqual([1, 2, 3]);
    port1.close();
    b.terminate();
  });

  it('stops replaying when the handler lets go on the way (as client.ts does after done)', () => {
    const inner = { postMessage() {}, onmessage: null, terminate() {} } as unknown as WorkerEndpoint;
    const b = new BufferedEndpoint(inner);
    for (const d of ['done', 'late']) inner.onmessage?.(new MessageEvent('message', { data: d }));
    const got: unknown[] = [];
    b.onmessage = (e) => {
      got.push(e.data);
      b.onmessage = null;
    };
    expect(got).toEqual(['done']);
  });
});

describe('startEarlyLoad', () => {
  it('starts the worker at once, and openTraceWithAnalysis of that URL takes its request over (one worker, one load)', async () => {
    const bytes = fixture('flows.json');
    const url = dataUrl(bytes);
    const workers = counting();
    startEarlyLoad(url, workers.connect);
    startEarlyLoad(url, workers.connect); // once per URL until taken
    expect(workers.made()).toBe(1);
    // Let the worker load and analyse before the client is there: its answers wait in the buffer.
    await new Promise((r) => setTimeout(r, 50));
    const opened = openTraceWithAnalysis(url, { connect: workers.connect });
    const [model, tracks, detectors] = await Promise.all([opened.model, opened.tracks, opened.detectors]);
    await opened.analysed;
    expect(workers.made()).toBe(1);
    expect(model).toEqual(await loadTrace(bytes));
    expect(tracks.failures).toEqual([]);
    expect(detectors.detectors.length).toBeGreaterThan(0);
    expect(analysisOf(model).detectors).toBe(opened.detectors);
    // Taken: the next load of that URL is a load of its own.
    expect(takeEarlyLoad(url)).toBeNull();
  });

  it('is not taken by a request that asks for something else (re-targeting)', async () => {
    const url = dataUrl(fixture('flows.json'));
    const workers = counting();
    startEarlyLoad(url, workers.connect);
    const opened = openTraceWithAnalysis(url, { connect: workers.connect, retarget: 'upload:x' });
    await opened.model;
    expect(workers.made()).toBe(2);
    const left = takeEarlyLoad(url);
    expect(left).not.toBeNull();
    left!.endpoint.terminate();
  });
});

describe('a small model before its detectors', () => {
  /** The order in which the answers resolve. */
  async function order(opts: { copyModelUpTo?: number }) {
    const bytes = fixture('flows.json');
    const seen: string[] = [];
    const opened = openTraceWithAnalysis(bytes, { connect: connectInProcess, ...opts });
    const model = opened.model.then((m) => (seen.push('model'), m));
    const detectors = opened.detectors.then((d) => (seen.push('detectors'), d));
    const analysed = opened.analysed.then(() => seen.push('analysed'));
    await Promise.all([model, detectors, analysed]);
    return { seen, model: await model, detectors: await detectors, bytes };
  }

  it('comes as a copy right after tracks and lod; the detectors follow with the memo primed', async () => {
    const { seen, model, detectors, bytes } = await order({});
    expect(seen).toEqual(['model', 'detectors', 'analysed']);
    const direct = await loadTrace(bytes);
    expect(model).toEqual(direct);
    // The widget's initial window comes with the model, not from a pass on the page.
    expect(knownContentExtent(model)).toEqual(contentExtentOf(direct));
    expect(knownContentExtent(direct)).toBeNull();
    // Once analysed, the page's runDetectors answers from the worker's result (lazy getters), not a second pass.
    const onPage = runDetectors(model);
    const name = detectors.detectors[0].name as keyof typeof onPage;
    expect(Object.getOwnPropertyDescriptor(onPage, name)?.get).toBeTypeOf('function');
    expect(onPage[name].slices).toEqual(runDetectors(direct)[name].slices);
  });

  it('above the limit, is transferred once analysed, after the detectors (one model)', async () => {
    const { seen, model, bytes } = await order({ copyModelUpTo: 0 });
    expect(seen).toEqual(['detectors', 'analysed', 'model']);
    const direct = await loadTrace(bytes);
    expect(model).toEqual(direct);
    expect(knownContentExtent(model)).toEqual(contentExtentOf(direct));
  });
});

describe('a transferred model', () => {
  it('is handed out a task after its `done` message, so receiving it and what the page builds from it are two tasks', async () => {
    const model = await loadTrace(fixture('flows.json'));
    let reqId = 0;
    const endpoint = { postMessage: (m: { id: number }) => (reqId = m.id), onmessage: null, terminate() {} } as unknown as WorkerEndpoint;
    const opened = openTraceWithAnalysis(new Uint8Array([1]), { connect: () => endpoint });
    let got: unknown = null;
    void opened.model.then((m) => (got = m));
    endpoint.onmessage?.(new MessageEvent('message', { data: { type: 'done', id: reqId, model } }));
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(got).toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toBe(model);
  });
});

describe('a big model\'s string arrays', () => {
  it('come ahead of `done` in chunks, one message each, and the model equals loading in place', async () => {
    const n = CHUNK_STRINGS * 2 + 5;
    const events = Array.from({ length: n }, (_, i) => `{"ph":"X","name":"op_${i}","pid":1,"tid":1,"ts":${i * 2},"dur":1}`);
    const bytes = new TextEncoder().encode(`{"traceEvents":[${events.join(',')}]}`);
    const direct = await loadTrace(bytes);
    expect(direct.strings.length).toBeGreaterThan(CHUNK_STRINGS * 2);
    const seen: Array<{ type: string; strings?: number }> = [];
    const connect = (): WorkerEndpoint => {
      const inner = connectInProcess();
      let handler: ((e: MessageEvent) => void) | null = null;
      inner.onmessage = (e) => {
        seen.push({ type: e.data.type, ...(e.data.type === 'done' ? { strings: e.data.model.strings.length } : {}) });
        handler?.(e);
      };
      return { postMessage: (m, t) => inner.postMessage(m, t), terminate: () => inner.terminate(), set onmessage(h) { handler = h; }, get onmessage() { return handler; } } as WorkerEndpoint;
    };
    const model = await openTraceWithAnalysis(bytes, { connect, copyModelUpTo: 0 }).model;
    expect(model).toEqual(direct);
    const types = seen.map((s) => s.type).filter((t) => t !== 'progress');
    expect(types.filter((t) => t === 'strings').length).toBe(3);
    expect(types.indexOf('strings')).toBeGreaterThan(types.indexOf('detectors'));
    expect(types.at(-1)).toBe('done');
    expect(seen.at(-1)?.strings).toBe(0);
  });
});
