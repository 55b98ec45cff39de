/**
 * Exact decimal times from bytes: µs text (a JSON number or the body of a
 * numeric string) → whole µs + fractional ns, without ever forming the float
 * of the absolute value (time.ts says why). The hot path reads a number in one
 * pass; exponents take a slow exact path.
 */
import { DOT, MINUS, NEED_MORE, PLUS, TOKEN, isWs } from './json-bytes.ts';

/** Where `readTime` puts its result: value = usInt µs + nsFrac ns, exactly as written. */
export interface TimeParts {
  usInt: number;
  nsFrac: number;
  /** The integer µs part exceeded 2^53 and lost precision. */
  imprecise: boolean;
}

const POW10 = [1, 10, 100, 1000];

/**
 * Parses decimal µs text `buf[start, end)` (a JSON number, or the body of a
 * string such as "1736408883688177.930") into whole µs and fractional ns
 * without ever forming the float of the absolute value. Returns false when the
 * text is not a number. Exponents go through a slow exact path.
 */
export function readTime(buf: Uint8Array, start: number, end: number, out: TimeParts): boolean {
  while (start < end && isWs(buf[start])) start++;
  while (end > start && isWs(buf[end - 1])) end--;
  let i = start;
  let neg = false;
  if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) {
    neg = buf[i] === MINUS;
    i++;
  }
  let int = 0;
  let intDigits = 0;
  while (i < end) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) break;
    int = int * 10 + d;
    intDigits++;
    i++;
  }
  let ns = 0;
  let sub = 0;
  let subScale = 1;
  let fracDigits = 0;
  if (i < end && buf[i] === DOT) {
    i++;
    while (i < end) {
      const d = buf[i] - 48;
      if (d < 0 || d > 9) break;
      if (fracDigits < 3) ns = ns * 10 + d;
      else {
        subScale /= 10;
        sub += d * subScale;
      }
      fracDigits++;
      i++;
    }
    if (fracDigits < 3) ns *= POW10[3 - fracDigits];
  }
  if (intDigits + fracDigits === 0) return false;
  if (i < end && (buf[i] === 101 || buf[i] === 69)) return readTimeWithExponent(buf, start, end, out);
  if (i !== end) return false;
  out.imprecise = int > Number.MAX_SAFE_INTEGER;
  out.usInt = neg ? -int : int;
  out.nsFrac = neg ? -(ns + sub) : ns + sub;
  return true;
}

/** `readTimeToken`'s answer for a token that is not a plain decimal number. */
export const BAD_TOKEN = -3;

/**
 * The hot path of `readTime` for a bare JSON number at `buf[p]`: one pass over
 * its bytes. Returns the position after it, NEED_MORE when the bytes end
 * inside it, or BAD_TOKEN when it is not a plain decimal (an exponent, a
 * literal, garbage); the caller then takes the general path.
 */
export function readTimeToken(buf: Uint8Array, p: number, end: number, out: TimeParts): number {
  let i = p;
  let neg = false;
  if (i < end && buf[i] === MINUS) {
    neg = true;
    i++;
  }
  let int = 0;
  const intStart = i;
  let d = 0;
  while (i < end && (d = buf[i] - 48) >= 0 && d <= 9) {
    int = int * 10 + d;
    i++;
  }
  let digits = i - intStart;
  let ns = 0;
  let sub = 0;
  if (i < end && buf[i] === DOT) {
    i++;
    const fracStart = i;
    let subScale = 1;
    while (i < end && (d = buf[i] - 48) >= 0 && d <= 9) {
      if (i - fracStart < 3) ns = ns * 10 + d;
      else {
        subScale /= 10;
        sub += d * subScale;
      }
      i++;
    }
    const frac = i - fracStart;
    if (frac < 3) ns *= POW10[3 - frac];
    digits += frac;
  }
  if (i >= end) return NEED_MORE;
  if (digits === 0 || TOKEN[buf[i]] === 1) return BAD_TOKEN;
  out.imprecise = int > Number.MAX_SAFE_INTEGER;
  out.usInt = neg ? -int : int;
  out.nsFrac = neg ? -(ns + sub) : ns + sub;
  return i;
}

function readTimeWithExponent(buf: Uint8Array, start: number, end: number, out: TimeParts): boolean {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(buf[i]);
  const m = /^([+-]?)(\d*)(?:\.(\d*))?[eE]([+-]?\d+)$/.exec(text);
  if (!m || Math.abs(Number(m[4])) > 400) return false;
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits + fracDigits === '') return false;
  // Move the decimal point by the exponent, then reuse the plain reader.
  const digits = intDigits + fracDigits;
  const point = intDigits.length + Number(m[4]);
  let plain: string;
  if (point <= 0) plain = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = digits.slice(0, point) + '.' + digits.slice(point);
  const bytes = Uint8Array.from(m[1] + plain, (c) => c.charCodeAt(0));
  return readTime(bytes, 0, bytes.length, out);
}
