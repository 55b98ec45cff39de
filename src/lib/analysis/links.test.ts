// Device slices linked to their launching runtime call by `correlation` in
// args (no flows): dense, far-apart, fractional, negative and textual ids,
// and a repeated id (the first host call met keeps the link).
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { SliceId, TraceModel } from '../trace/model.ts';
import { SHARED_TRACE_FILES, sharedBytes, sharedTracesPresent } from '../trace/test-support/shared.ts';
import { enclosingSliceAt, nameOf } from './access.ts';
import { isHostTrack } from './devices.ts';
import { hostContext, hostContinuations, hostTracksByTid, launchLinks } from './links.ts';

async function linked(ids: Array<number | string>, repeatFirst = false) {
  const events: object[] = [
    { ph: 'M', name: 'process_name', pid: 1, args: { name: 'python' } },
    { ph: 'M', name: 'process_name', pid: 0, args: { name: 'GPU 0' } },
    { ph: 'M', name: 'thread_name', pid: 0, tid: 7, args: { name: 'stream 7' } },
  ];
  ids.forEach((id, i) => {
    events.push({ ph: 'X', cat: 'cuda_runtime', name: `launch${i}`, pid: 1, tid: 1, ts: 10 * i, dur: 2, args: { correlation: id } });
    events.push({ ph: 'X', cat: 'kernel', name: `kernel${i}`, pid: 0, tid: 7, ts: 10 * i + 3, dur: 4, args: { correlation: id } });
  });
  // A later runtime call with the first id again: the first one keeps the link.
  if (repeatFirst) events.push({ ph: 'X', cat: 'cuda_runtime', name: 'again', pid: 1, tid: 1, ts: 10 * ids.length, dur: 2, args: { correlation: ids[0] } });
  const m = await loadTrace(new TextEncoder().encode(JSON.stringify({ traceEvents: events })));
  const { launcher } = launchLinks(m);
  const out: Record<string, string> = {};
  for (let s = 0; s < m.slices.length; s++) if (launcher[s] >= 0) out[nameOf(m, s)] = nameOf(m, launcher[s]);
  return out;
}

const expected = (k: number) => Object.fromEntries(Array.from({ length: k }, (_, i) => [`kernel${i}`, `launch${i}`]));

describe('launchLinks by correlation id', () => {
  it('dense ids', async () => expect(await linked([5, 6, 7, 9], true)).toEqual(expected(4)));
  it('ids far apart (past the table)', async () => expect(await linked([1, 1e12, 3e15, 42], true)).toEqual(expected(4)));
  it('fractional and negative ids, and numbers written as text', async () => expect(await linked([0.5, -3, '17', 2], true)).toEqual(expected(4)));
});

/** hostContext as it was before the walks beyond its first hop were kept: one walk, one `seen` set. */
function plainHostContext(model: TraceModel, hostSlice: SliceId): SliceId[] {
  const out: SliceId[] = [];
  if (hostSlice < 0) return out;
  const continuation = hostContinuations(model);
  const seen = new Set<SliceId>();
  let cur = hostSlice;
  const parent = model.slices.parent;
  for (let hop = 0; hop < 4 && cur >= 0 && !seen.has(cur); hop++) {
    let next = -1;
    for (let s = cur; s >= 0; s = parent[s]) {
      if (seen.has(s)) break;
      seen.add(s);
      out.push(s);
      const cont = continuation.get(s);
      if (cont !== undefined) {
        next = cont;
        break;
      }
    }
    if (next < 0) {
      let top = cur;
      while (parent[top] >= 0) top = parent[top];
      const t = model.slices.track[top];
      const p = model.tracks.process[t];
      if (/^CANN$/i.test(model.strings[model.processes.name[p]] ?? '')) {
        for (const other of hostTracksByTid(model).get(model.tracks.tid[t]) ?? []) {
          if (model.tracks.process[other] === p) continue;
          const enc = enclosingSliceAt(model, other, model.slices.startNs[top]);
          if (enc >= 0) {
            next = enc;
            break;
          }
        }
      }
    }
    cur = next;
  }
  return out;
}

/** Host slices whose hostContext differs from the plain walk (none expected). */
function contextMismatches(model: TraceModel): SliceId[] {
  const bad: SliceId[] = [];
  for (let s = 0; s < model.slices.length; s++) {
    if (!isHostTrack(model, model.slices.track[s])) continue;
    const got = hostContext(model, s);
    const want = plainHostContext(model, s);
    if (got.length !== want.length || got.some((x, i) => x !== want[i])) bad.push(s);
  }
  return bad;
}

describe('hostContext: the walks beyond the first hop are kept, the answers are those of one plain walk', () => {
  it('a loop of host continuations (each thread continues on the other) ends where it meets itself', async () => {
    const events: object[] = [
      { ph: 'X', cat: 'cpu_op', name: 'outer_a', pid: 1, tid: 1, ts: 0, dur: 100 },
      { ph: 'X', cat: 'cpu_op', name: 'inner_a', pid: 1, tid: 1, ts: 10, dur: 20 },
      { ph: 'X', cat: 'cpu_op', name: 'b', pid: 1, tid: 2, ts: 40, dur: 20 },
      { ph: 's', cat: 'async_task_queue', name: 'q', id: 1, pid: 1, tid: 1, ts: 15 },
      { ph: 'f', cat: 'async_task_queue', name: 'q', id: 1, pid: 1, tid: 2, ts: 45, bp: 'e' },
      { ph: 's', cat: 'async_task_queue', name: 'q', id: 2, pid: 1, tid: 2, ts: 50 },
      { ph: 'f', cat: 'async_task_queue', name: 'q', id: 2, pid: 1, tid: 1, ts: 12, bp: 'e' },
    ];
    const m = await loadTrace(new TextEncoder().encode(JSON.stringify({ traceEvents: events })));
    expect(hostContinuations(m).size).toBe(2);
    const names = (ids: SliceId[]) => ids.map((s) => nameOf(m, s));
    const b = [...Array(m.slices.length).keys()].find((s) => nameOf(m, s) === 'b')!;
    // b continues on inner_a, which continues on b: met again, the walk ends.
    expect(names(hostContext(m, b))).toEqual(['b', 'inner_a']);
    expect(contextMismatches(m)).toEqual([]);
  });

  it('on the NPU lesson samples (CANN → Python hops, task-queue continuations)', async () => {
    for (const name of ['npu-deepseek-baseline.json.gz', 'npu-deepseek-dual-stream.json.gz']) {
      const bytes = gunzipSync(readFileSync(new URL(`../../../public/traces/${name}`, import.meta.url)));
      const m = await loadTrace(new Uint8Array(bytes));
      expect(contextMismatches(m)).toEqual([]);
      // A kernel's launch context reaches a Python frame beyond its CANN op.
      const kernelCtx = launchLinks(m).context.find((c) => c >= 0 && hostContext(m, c).length > 2);
      expect(kernelCtx).toBeDefined();
    }
  });

  describe.skipIf(!sharedTracesPresent)('on every real trace', () => {
    for (const rel of SHARED_TRACE_FILES) {
      it(rel, async () => {
        const m = await loadTrace(sharedBytes(rel), { fileName: rel });
        expect(contextMismatches(m)).toEqual([]);
      });
    }
  });
});
