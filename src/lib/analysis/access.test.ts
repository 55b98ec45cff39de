// The per-model memo: results primed from elsewhere (the trace worker) answer
// without the pass; a lazily primed one is built once, on first use.
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { memoize, primeMemo, primeMemoLazily } from './access.ts';

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
