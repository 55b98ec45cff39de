// The per-model memo: results primed from elsewhere (the trace worker) answer
// without the pass; a lazily primed one is built once, on first use.
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { memoize, perString, primeMemo, primeMemoLazily } from './access.ts';

const model = () => loadTrace(new TextEncoder().encode('[{"ph":"X","name":"a","pid":1,"tid":1,"ts":0,"dur":1}]'));

describe('memoize with primed results', () => {
  it('returns a primed value without computing', async () => {
    const m = await model();
    primeMemo(m, 'k', 42);
    expect(memoize(m, 'k', () => 7)).toBe(42);
  });

  it('builds a lazily primed value on first use only, and never runs the pass', async () => {
    const m = await model();
    let made = 0;
    primeMemoLazily(m, 'kinds', () => {
      made++;
      return ['x'];
    });
    expect(made).toBe(0);
    const pass = () => ['from the pass'];
    const first = memoize(m, 'kinds', pass);
    expect(first).toEqual(['x']);
    expect(memoize(m, 'kinds', pass)).toBe(first);
    expect(made).toBe(1);
  });

  it('keeps a value computed here over a later priming', async () => {
    const m = await model();
    expect(memoize(m, 'k', () => 1)).toBe(1);
    primeMemoLazily(m, 'k', () => 2);
    expect(memoize(m, 'k', () => 3)).toBe(1);
  });
});

describe('perString', () => {
  it('answers per string index, asking the test once per string however many slices share it', async () => {
    const events = ['a', 'bb', 'a', 'a', 'bb', 'ccc'].map((name, i) => ({ ph: 'X', name, pid: 1, tid: 1, ts: i * 10, dur: 1 }));
    const m = await loadTrace(new TextEncoder().encode(JSON.stringify(events)));
    const asked: string[] = [];
    const long = perString(m, 'long', (s) => {
      asked.push(s);
      return s.length > 1;
    });
    const answers = Array.from({ length: m.slices.length }, (_, s) => long(m.slices.name[s]));
    expect(answers).toEqual(Array.from({ length: m.slices.length }, (_, s) => (m.strings[m.slices.name[s]] ?? '').length > 1));
    expect(answers.filter(Boolean).length).toBe(3);
    expect(asked.sort()).toEqual(['a', 'bb', 'ccc']);
    // The same key on the same model shares the answers; a missing index (-1) is asked about ''.
    expect(perString(m, 'long', () => false)(m.slices.name[1])).toBe(true);
    expect(perString(m, 'empty', (s) => s === '')(-1)).toBe(true);
  });
});
