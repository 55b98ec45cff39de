// Exact decimal µs ↔ ns helpers; expected values are worked out in the comments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absoluteUs, formatDurationNs, normalizeDecimal, nsBetween, nsToUs, usToNs } from './time.ts';

describe('normalizeDecimal', () => {
  it('writes numbers as plain decimals, keeping written fraction digits', () => {
    expect(normalizeDecimal('1.5e3')).toBe('1500');
    expect(normalizeDecimal('+7.250')).toBe('7.250');
    expect(normalizeDecimal('2.5e-1')).toBe('0.25');
    expect(normalizeDecimal('-1E2')).toBe('-100');
    expect(normalizeDecimal(' 1736408883688177.930 ')).toBe('1736408883688177.930');
    expect(normalizeDecimal('abc')).toBeNull();
    expect(normalizeDecimal('.')).toBeNull();
  });
});

describe('nsBetween / absoluteUs', () => {
  it('is exact where float64 is not', () => {
    // 1736408883700059.821 − 1736408883688177.930 = 11881.891 µs = 11881891 ns.
    expect(nsBetween('1736408883688177.930', '1736408883700059.821')).toBe(11881891);
    // The same with floats is off: the spacing of doubles near 1.7e15 is 0.25.
    expect((1736408883700059.821 - 1736408883688177.93) * 1000).not.toBe(11881891);
    // Sub-ns digits round half up: 0.0005 µs = 0.5 ns → 1; −0.5 ns → 0.
    expect(nsBetween('10', '10.0005')).toBe(1);
    expect(nsBetween('10.0005', '10')).toBe(0);
  });

  it('round-trips origin + ns', () => {
    expect(absoluteUs('1736408883688177.930', 11881891)).toBe('1736408883700059.821');
    expect(absoluteUs('5', 1)).toBe('5.001');
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.integer({ min: 0, max: 2 ** 40 }), (originNs, ns) => {
        const origin = `${originNs / 1000n}.${(originNs % 1000n).toString().padStart(3, '0')}`;
        expect(nsBetween(origin, absoluteUs(origin, ns))).toBe(ns);
      }),
    );
  });

  it('converts floats for display', () => {
    expect(nsToUs(1500)).toBe(1.5);
    expect(usToNs(1.5)).toBe(1500);
  });
});

describe('formatDurationNs', () => {
  it('keeps three significant digits with a fitting unit', () => {
    expect(formatDurationNs(845)).toBe('845 ns');
    expect(formatDurationNs(12_340)).toBe('12.3 µs');
    expect(formatDurationNs(1_234_567)).toBe('1.23 ms');
    expect(formatDurationNs(2.5e9)).toBe('2.5 s');
    expect(formatDurationNs(999_960)).toBe('1 ms'); // 999.96 µs rounds into the next unit
    expect(formatDurationNs(-1500)).toBe('-1.5 µs');
    expect(formatDurationNs(0)).toBe('0 ns');
    expect(formatDurationNs(Number.NaN)).toBe('—');
  });
});
