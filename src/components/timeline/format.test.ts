import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixed3, formatDurationExact, formatTick, groupDigits, isolateQuoted } from './format.ts';

const intl3 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

describe('groupDigits', () => {
  it('writes integers exactly as toLocaleString does in both site languages', () => {
    const ns = [0, 7, 999, 1000, 1234, 99_999, 100_000, 1_234_567, 2 ** 31, 2 ** 53 - 1, 1e20, -1, -1000, -1_234_567];
    for (const n of ns) {
      expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
      expect(groupDigits(n)).toBe(n.toLocaleString('zh-CN'));
    }
  });
  it('leaves non-integers and huge values to Intl', () => {
    for (const n of [1.23456, -0.5, 1e21, Number.NaN, Infinity]) expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});

describe('fixed3', () => {
  it('writes what Intl writes with three decimals, halves and signs included', () => {
    const xs = [0, -0, 0.0005, 0.0015, 1.0005, 2.0005, 0.00049999, 1234.5675, 1234.567, 999.9995, 999.9994, -0.0001, -0.0005, -1234.5675, -999_999.9995, 1e15 + 0.5, 2 ** 53, 1e20, 1e21, -1e21, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE];
    for (const x of xs) expect(fixed3(x), String(x)).toBe(intl3(x));
  });
  it('agrees with Intl on any double and on every whole-ns duration in µs', () => {
    fc.assert(fc.property(fc.double({ noNaN: false }), (x) => fixed3(x) === intl3(x)), { numRuns: 5000 });
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e15 }), (ns) => fixed3(ns / 1000) === intl3(ns / 1000)), { numRuns: 5000 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(0.0005, 0.0015, 0.4995, 0.9995), (k, h) => fixed3(k + h) === intl3(k + h)), { numRuns: 3000 });
  });
});

describe('formatDurationExact', () => {
  it('keeps every nanosecond as µs with three decimals', () => {
    expect(formatDurationExact(1_234_567)).toBe('1,234.567 µs');
  });
});

describe('formatTick', () => {
  it('gives neighbouring ticks distinct labels at any step', () => {
    for (const step of [1, 2, 5, 20, 500, 2_000, 50_000, 200_000, 1e6, 5e6, 2e8, 1e9]) {
      const labels = [0, 1, 2, 3].map((i) => formatTick(1e9 + i * step, step));
      expect(new Set(labels).size, `step ${step}: ${labels}`).toBe(4);
    }
  });
  it('uses the unit of the step', () => {
    expect(formatTick(1_500_000, 500_000)).toBe('1.5 ms');
    expect(formatTick(3_000, 1_000)).toBe('3 µs');
  });
});

describe('isolateQuoted', () => {
  it('isolates a quoted trace name and shows the bidi overrides inside it as escapes', () => {
    const reason = 'kernel name matches norm: `evil\u202Eemanlenrek` started 30 µs later';
    const out = isolateQuoted(reason);
    expect(out).toBe('kernel name matches norm: `\u2068evil⟨U+202E⟩emanlenrek\u2069` started 30 µs later');
    // Text after the quote is outside the isolate.
    expect(out.slice(out.indexOf('\u2069') + 1)).toBe('` started 30 µs later');
  });
  it('leaves text without quotes alone', () => {
    expect(isolateQuoted('launched 3 µs later')).toBe('launched 3 µs later');
  });
});
