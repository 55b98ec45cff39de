// Device slices linked to their launching runtime call by `correlation` in
// args (no flows): dense, far-apart, fractional, negative and textual ids,
// and a repeated id (the first host call met keeps the link).
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { nameOf } from './access.ts';
import { launchLinks } from './links.ts';

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
