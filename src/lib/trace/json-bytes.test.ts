// The byte scanners against obvious references: BigInt for numbers, byte loops
// for the word-at-a-time skips, JSON.parse for value extents.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex, NEED_MORE, ValueExtent, skipPlainContainer, skipPlainString, skipValue } from './json-bytes.ts';
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

describe('skipValue notes where the values of asked-for top-level keys start (KeyIndex)', () => {
  const keys = new KeyIndex(['correlation', 'Task Type', 'connection_id']);
  /** The value text at each noted key (JSON.parse of the value found there), undefined when not noted. */
  const noted = (text: string): Record<string, unknown> => {
    const b = enc(text);
    expect(skipValue(b, 0, b.length, 0, keys)).toBe(b.length);
    const out: Record<string, unknown> = {};
    keys.keys.forEach((k, i) => {
      if (!((keys.found >>> i) & 1)) return;
      const rest = text.slice(new TextDecoder().decode(b.subarray(0, keys.at[i])).length);
      // The value is a string or a number: the longest prefix that parses.
      for (let n = rest.length; n > 0; n--) {
        try {
          out[k] = JSON.parse(rest.slice(0, n));
          return;
        } catch {
          // shorter
        }
      }
    });
    return out;
  };
  it('a string or number value, the first such pair at the top level', () => {
    expect(noted('{"External id": 7, "correlation": 1234567, "cbid": 211}')).toEqual({ correlation: 1234567 });
    expect(noted('{ "correlation" : 42 , "Task Type" :\t"AI_CORE"}')).toEqual({ correlation: 42, 'Task Type': 'AI_CORE' });
    expect(noted('{"correlation": -3, "connection_id": "77"}')).toEqual({ correlation: -3, connection_id: '77' });
    expect(noted('{"correlation": 1, "correlation": 2}')).toEqual({ correlation: 1 });
    expect(noted('{"correlation": null, "correlation": 2}')).toEqual({ correlation: 2 });
    expect(noted('{"Task Type": ["x"], "Task Type": "名字"}')).toEqual({ 'Task Type': '名字' });
  });
  it('not in a nested value, an array, a string value or a longer or shorter key; nothing when there is none', () => {
    expect(noted('{"x": {"correlation": 5}}')).toEqual({});
    expect(noted('[{"correlation": 5}]')).toEqual({});
    expect(noted('{"name": "correlation", "n": 1}')).toEqual({});
    expect(noted('{"correlation id": 5, "correlatio": 6, "Task": "x"}')).toEqual({});
    expect(noted('{"correlation": [1], "correlation": -x}')).toEqual({});
    expect(noted('{"a": 1}')).toEqual({});
    expect(noted('"correlation"')).toEqual({});
  });
  it('clears what the last call found, and a call without keys leaves it alone', () => {
    noted('{"correlation": 3}');
    const b = enc('{"correlation": 4}');
    skipValue(b, 0, b.length, 0);
    expect(keys.found).toBe(1);
    expect(noted('{"other": 3}')).toEqual({});
    expect(keys.found).toBe(0);
  });
  it('keys of one or two characters, beside longer keys that start the same', () => {
    const short = new KeyIndex(['x', 'ab']);
    const b = enc('{"xy": 0, "abc": 2, "a": 3, "x": 1, "ab": "v"}');
    expect(skipValue(b, 0, b.length, 0, short)).toBe(b.length);
    expect(short.found).toBe(3);
    expect(new TextDecoder().decode(b.subarray(short.at[0], short.at[0] + 1))).toBe('1');
    expect(new TextDecoder().decode(b.subarray(short.at[1], short.at[1] + 3))).toBe('"v"');
  });
  it('refuses keys it cannot match byte for byte', () => {
    for (const bad of ['', 'a"b', 'a\\b', '名', Array.from({ length: 32 }, (_, i) => `k${i}`)]) expect(() => new KeyIndex(Array.isArray(bad) ? bad : [bad])).toThrow(RangeError);
  });
  it('agrees with reading the object\'s pairs in order, on random objects', () => {
    const key = fc.constantFrom('correlation', 'correlatio', 'Correlation', 'Task Type', 'stream', 'x');
    const value = fc.oneof(fc.nat({ max: 2 ** 40 }), fc.integer({ min: -1000, max: 1000 }), fc.constant(null), fc.string({ maxLength: 6 }), fc.dictionary(key, fc.nat()), fc.array(fc.nat(), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 6 }), (pairs) => {
        const text = `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
        // Per asked-for key, the first pair whose value is a string or a number.
        const want: Record<string, unknown> = {};
        for (const [k, v] of pairs) if (keys.keys.includes(k) && !(k in want) && (typeof v === 'number' || typeof v === 'string')) want[k] = v;
        expect(noted(text)).toEqual(want);
      }),
    );
  });
});
