import { describe, expect, it } from 'vitest';
import { answerFromSelection, lessonFromPath, parseNumber, pickLang, revealCalls } from './answer.ts';

describe('pickLang', () => {
  it('any Chinese page language is zh-CN, everything else en', () => {
    expect(['zh-CN', 'zh-cn', 'zh', 'zh-Hans', 'en', 'en-US', '', undefined, null].map(pickLang)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'en', 'en', 'en', 'en', 'en']);
  });
});

describe('lessonFromPath', () => {
  it('both language versions of a page share one key', () => {
    expect(lessonFromPath('/en/npu/overlap/')).toBe('npu/overlap');
    expect(lessonFromPath('/zh-cn/npu/overlap/')).toBe('npu/overlap');
    expect(lessonFromPath('/tracewise/zh-cn/npu/overlap', '/tracewise/')).toBe('npu/overlap');
    expect(lessonFromPath('/en/')).toBe('index');
  });
});

describe('answerFromSelection', () => {
  it('a slice or a non-empty range; nothing otherwise', () => {
    expect(answerFromSelection({ kind: 'slice', sliceId: 7, trackId: 1, startNs: 0, endNs: 5, name: 'k' })).toEqual({ kind: 'slice', sliceId: 7 });
    expect(answerFromSelection({ kind: 'range', startNs: 10, endNs: 30, rowKeys: ['a'] })).toEqual({ kind: 'range', startNs: 10, endNs: 30 });
    expect(answerFromSelection({ kind: 'range', startNs: 10, endNs: 10, rowKeys: [] })).toBeNull();
    expect(answerFromSelection({ kind: 'none' })).toBeNull();
    expect(answerFromSelection(null)).toBeNull();
  });
});

describe('parseNumber', () => {
  it('reads numbers as people type them', () => {
    const cases: Array<[string, number | null]> = [
      ['1.25', 1.25],
      [' 12 ', 12],
      ['1,234.5', 1234.5],
      ['1 234', 1234],
      ['1,5', 1.5],
      ['.5', 0.5],
      ['-3', -3],
      ['1e3', 1000],
      ['１．２', 1.2],
      ['１２３', 123],
      ['', null],
      ['1.2.3', null],
      ['12ms', null],
      ['abc', null],
      ['1,23,4', null],
    ];
    for (const [text, want] of cases) expect(parseNumber(text), text).toBe(want);
  });
});

describe('revealCalls', () => {
  it('one slice: outline it, zoom, select it; ranges shaded', () => {
    const label = { en: 'answer', 'zh-CN': '答案' };
    expect(revealCalls({ role: 'model', sliceIds: [4], ranges: [], window: { startNs: 0, endNs: 9 }, label }, 'zh-CN')).toEqual({
      window: { startNs: 0, endNs: 9 },
      highlights: [{ label: '答案', sliceIds: [4] }],
      select: 4,
    });
    const r = revealCalls({ role: 'model', sliceIds: [1, 2], ranges: [{ startNs: 5, endNs: 6 }], window: null, label }, 'en');
    expect(r).toEqual({ window: null, highlights: [{ label: 'answer', sliceIds: [1, 2] }, { label: 'answer', startNs: 5, endNs: 6 }], select: null });
  });
});
