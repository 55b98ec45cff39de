// How the worker hands a model to the page, over the real protocol (a
// MessageChannel, structured clone and transfer): a small model before its
// detectors (host.ts, copyModelUpTo), a big one a task after `done`, its big
// string arrays in chunks ahead of `done`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { runDetectors } from '../analysis/detectors/index.ts';
import { analysisOf, knownContentExtent, openTraceWithAnalysis } from './client.ts';
import { contentExtentOf } from '../trace/time.ts';
import { connectInProcess } from './in-process.ts';
import { CHUNK_STRINGS } from './model-pieces.ts';
import type { MessageEndpoint } from './protocol.ts';

type WorkerEndpoint = MessageEndpoint & { terminate: () => void };

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../trace/fixtures/${name}`, import.meta.url)));

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
