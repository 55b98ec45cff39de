import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeViewLink, encodeViewLink, isSitePath, type ViewLink } from './view-link.ts';

describe('deep links', () => {
  it('round-trip a full view, readable', () => {
    const v: ViewLink = { pack: '/workshops/example.json', exercise: 'find-mla-attention', trace: '/traces/npu-deepseek-baseline.json.gz', window: { startNs: 1200, endNs: 5400 }, selection: 812, presenter: true };
    const q = encodeViewLink(v);
    expect(q).toBe('pack=/workshops/example.json&ex=find-mla-attention&trace=/traces/npu-deepseek-baseline.json.gz&t=1200-5400&sel=812&present=1');
    expect(decodeViewLink(`?${q}`)).toEqual(v);
  });
  it('round-trip any valid view (property)', () => {
    const path = fc.stringMatching(/^\/[a-z0-9_.-]{1,20}(\/[a-z0-9_.-]{1,20}){0,2}$/);
    fc.assert(
      fc.property(
        fc.record({ pack: path, trace: path, exercise: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/), a: fc.nat(2 ** 52), len: fc.integer({ min: 1, max: 2 ** 40 }), selection: fc.nat(2 ** 29) }, { requiredKeys: ['a', 'len'] }),
        ({ a, len, ...rest }) => {
          const v: ViewLink = { ...rest, window: { startNs: a, endNs: a + len } };
          expect(decodeViewLink(encodeViewLink(v))).toEqual(v);
        },
      ),
    );
  });
  it('ignores garbage safely', () => {
    expect(decodeViewLink('')).toEqual({});
    expect(decodeViewLink('?%E0%A4%A')).toEqual({});
    expect(decodeViewLink('trace=https://evil.example/x.json&pack=//evil.example/p.json')).toEqual({});
    expect(decodeViewLink('trace=javascript:alert(1)&pack=%2F%2Fx')).toEqual({});
    expect(decodeViewLink('t=5000-100&sel=-3&ex=<img>')).toEqual({});
    expect(decodeViewLink('t=1e3-2e3&sel=1.5')).toEqual({});
    expect(decodeViewLink('t=99999999999999999-999999999999999999')).toEqual({});
    expect(decodeViewLink('t=10-20&sel=7&present=yes')).toEqual({ window: { startNs: 10, endNs: 20 }, selection: 7 });
    fc.assert(fc.property(fc.string(), (s) => void decodeViewLink(s)));
  });
  it('encode drops what decode would refuse', () => {
    expect(encodeViewLink({ trace: 'https://x/y', window: { startNs: 5, endNs: 5 }, selection: -1, exercise: 'a b' })).toBe('');
    expect(isSitePath('/a b')).toBe(false);
    expect(isSitePath('/traces/x.json.gz')).toBe(true);
  });
});
