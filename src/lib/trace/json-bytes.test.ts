// The byte scanners against obvious references: BigInt for numbers, byte loops
// for the word-at-a-time skips, JSON.parse for value extents.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NEED_MORE, ValueExtent, skipPlainContainer, skipPlainString, skipValue, skipped } from './json-bytes.ts';
import { BAD_TOKEN, readTime, readTimeToken, type TimeParts } from './decimal.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parts = (): TimeParts => ({ usInt: 0, nsFrac: 0, imprecise: false });

/** value × 1000 (ns) of a decimal text, via BigInt on the digits. */
function nsOf(text: string): number {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text)!;
  const frac = (m[3] ?? '').padEnd(3, '0');
  const whole = BigInt((m[2] || '0') + frac.slice(0, 3));
  const sub = Number(`0.${frac.slice(3) || '0'}`);
  return (m[1] === '-' ? -1 : 1) * (Number(whole) + sub);
}

describe('readTime', () => {
  it('splits µs text into whole µs and fractional ns, exactly', () => {
    const p = parts();
    expect(readTime(enc('1736408883688177.930'), 0, 20, p)).toBe(true);
    expect([p.usInt, p.nsFrac]).toEqual([1736408883688177, 930]);
    expect(readTime(enc('840.07675'), 0, 9, p)).toBe(true);
    expect(p.usInt).toBe(840);
    expect(p.nsFrac).toBeCloseTo(76.75, 12);
    expect(readTime(enc('-2.5'), 0, 4, p)).toBe(true);
    expect([p.usInt, p.nsFrac]).toEqual([-2, -500]);
    expect(readTime(enc('1.5e3'), 0, 5, p)).toBe(true);
    expect([p.usInt, p.nsFrac]).toEqual([1500, 0]);
    expect(readTime(enc('soon'), 0, 4, p)).toBe(false);
    expect(readTime(enc('1.2.3'), 0, 5, p)).toBe(false);
  });

  it('matches BigInt arithmetic on random decimals (whole µs exact below 2^53)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), fc.stringMatching(/^\d{0,9}$/), fc.boolean(), (whole, frac, neg) => {
        const text = `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
        const p = parts();
        expect(readTime(enc(text), 0, text.length, p)).toBe(true);
        expect(p.usInt).toBe(neg ? -Number(whole) : Number(whole));
        const ns = nsOf(`${neg ? '-' : ''}0${frac ? `.${frac}` : ''}`);
        expect(p.nsFrac).toBeCloseTo(ns, 6);
      }),
    );
  });

  it('readTimeToken stops at the delimiter, asks for more at the end, refuses exponents', () => {
    const p = parts();
    expect(readTimeToken(enc('12.5,'), 0, 5, p)).toBe(4);
    expect(readTimeToken(enc('12.5'), 0, 4, p)).toBe(NEED_MORE);
    expect(readTimeToken(enc('1e5,'), 0, 4, p)).toBe(BAD_TOKEN);
    expect(readTimeToken(enc('-,'), 0, 2, p)).toBe(BAD_TOKEN);
  });
});

describe('word-at-a-time skips', () => {
  const naiveString = (b: Uint8Array, p: number): number => {
    while (p < b.length && b[p] !== 34 && b[p] !== 92 && b[p] < 0x80) p++;
    return p;
  };
  const naiveContainer = (b: Uint8Array, p: number): number => {
    while (p < b.length && ![34, 123, 125, 91, 93].includes(b[p]) && b[p] < 0x80) p++;
    return p;
  };
  it('find the same byte as a byte loop', () => {
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(34, 92, 123, 125, 91, 93, 32, 97));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }).chain((a) => fc.tuple(fc.constant(a), fc.array(byte, { maxLength: 64 }))), ([a, b]) => {
        const buf = new Uint8Array([...a.map((x) => x & 0x7f).filter((x) => ![34, 92, 123, 125, 91, 93].includes(x)), ...b]);
        for (let p = 0; p <= buf.length; p++) {
          expect(skipPlainString(buf, p, buf.length)).toBe(naiveString(buf, p));
          expect(skipPlainContainer(buf, p, buf.length)).toBe(naiveContainer(buf, p));
        }
      }),
    );
  });
});

describe('skipValue / ValueExtent', () => {
  it('find the end of any JSON value, in one piece or fed byte by byte', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = `${JSON.stringify(value)} ,`;
        const bytes = enc(text);
        const end = bytes.length - 2;
        expect(skipValue(bytes, 0, bytes.length, 0)).toBe(end);
        const ex = new ValueExtent();
        ex.begin(bytes[0]);
        let got = NEED_MORE;
        for (let i = 0; i < bytes.length && got === NEED_MORE; i++) {
          const r = ex.feed(bytes.subarray(i, i + 1), 0, 1, i, i === 0);
          if (r !== NEED_MORE) got = i + r;
        }
        // A bare token ends at the byte after it (the scanner must see the delimiter).
        expect(got).toBe(end);
      }),
    );
  });
});

describe('skipValue reads an object\'s top-level "correlation" (Kineto\'s launch ↔ kernel id)', () => {
  const corr = (text: string): number => {
    const b = enc(text);
    expect(skipValue(b, 0, b.length, 0)).toBe(b.length);
    return skipped.correlation;
  };
  it('as a number, or a string read as one; the first one at the top level', () => {
    expect(corr('{"External id": 7, "correlation": 1234567, "cbid": 211}')).toBe(1234567);
    expect(corr('{ "correlation" : 42 }')).toBe(42);
    expect(corr('{"correlation": 98765432109876543}')).toBe(98765432109876543);
    expect(corr('{"correlation": -3}')).toBe(-3);
    expect(corr('{"correlation": 12.5}')).toBe(12.5);
    expect(corr('{"correlation": "77"}')).toBe(77);
    expect(corr('{"correlation": 1, "correlation": 2}')).toBe(1);
    expect(corr('{"correlation": null, "correlation": 2}')).toBe(2);
  });
  it('not in a nested value, an array, a string value or a longer key; NaN when there is none', () => {
    expect(corr('{"x": {"correlation": 5}}')).toBeNaN();
    expect(corr('[{"correlation": 5}]')).toBeNaN();
    expect(corr('{"name": "correlation", "n": 1}')).toBeNaN();
    expect(corr('{"correlation id": 5}')).toBeNaN();
    expect(corr('{"correlation": [1]}')).toBeNaN();
    expect(corr('{"a": 1}')).toBeNaN();
    expect(corr('"correlation"')).toBeNaN();
  });
  it('agrees with reading the object\'s pairs in order, on random objects', () => {
    const key = fc.constantFrom('correlation', 'correlatio', 'Correlation', 'device', 'stream', 'x');
    const value = fc.oneof(fc.nat({ max: 2 ** 40 }), fc.integer({ min: -1000, max: 1000 }), fc.constant(null), fc.string({ maxLength: 6 }), fc.dictionary(key, fc.nat()));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 6 }), (pairs) => {
        const text = `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
        // The first "correlation" whose value reads as a number (a string without escapes through Number).
        let want = NaN;
        for (const [k, v] of pairs) {
          if (k !== 'correlation') continue;
          const x = typeof v === 'number' ? v : typeof v === 'string' && !/["\\\u0000-\u001f]/.test(v) ? Number(v) : NaN;
          if (!Number.isNaN(x)) {
            want = x;
            break;
          }
        }
        expect(corr(text)).toEqual(want);
      }),
    );
  });
});
