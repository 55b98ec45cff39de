/**
 * Byte-level JSON pieces the tokenizer is built from: whitespace, strings,
 * skipping whole values, and exact decimal numbers. Each scanner works on
 * `buf[p, end)` and returns the position after what it read, or NEED_MORE when
 * the bytes end first (the caller carries the unit into the next chunk).
 *
 * Nested values (an event's `args`) are checked only for bracket balance and
 * string syntax, not for full JSON grammar: the loader keeps them as raw text
 * and `sliceArgs` parses them on demand.
 */
import { TraceLoadError } from './errors.ts';

export const NEED_MORE = -1;

// Byte codes, named for reading.
export const QUOTE = 34;
export const BACKSLASH = 92;
export const LBRACE = 123;
export const RBRACE = 125;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const COMMA = 44;
export const COLON = 58;
export const MINUS = 45;
export const PLUS = 43;
export const DOT = 46;

export function isWs(b: number): boolean {
  return b === 32 || b === 10 || b === 13 || b === 9;
}

export function skipWs(buf: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const b = buf[p];
    if (b !== 32 && b !== 10 && b !== 13 && b !== 9) break;
    p++;
  }
  return p;
}

/** 1 for bytes that can continue a bare token (number or literal). */
export const TOKEN = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  TOKEN[b] = (b >= 48 && b <= 57) || (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b === MINUS || b === PLUS || b === DOT ? 1 : 0;
}

export function isTokenByte(b: number): boolean {
  return TOKEN[b] === 1;
}

/** Byte classes for skipping containers: 0 plain ASCII, 1 quote, 2 open, 3 close, 4 non-ASCII. */
const CLASS = new Uint8Array(256);
CLASS[QUOTE] = 1;
CLASS[LBRACE] = 2;
CLASS[LBRACKET] = 2;
CLASS[RBRACE] = 3;
CLASS[RBRACKET] = 3;
for (let b = 0x80; b < 256; b++) CLASS[b] = 4; // invalid outside strings, but noted for decoding
/** 1 for the bytes that end a plain run inside a string. */
export const IN_STRING = new Uint8Array(256);
IN_STRING[QUOTE] = 1;
IN_STRING[BACKSLASH] = 1;
for (let b = 0x80; b < 256; b++) IN_STRING[b] = 1;

let viewBuf: Uint8Array | null = null;
let view: DataView = new DataView(new ArrayBuffer(8));

/** A DataView over `buf`, cached for the last buffer asked for (the current chunk). */
export function dataViewOf(buf: Uint8Array): DataView {
  if (buf !== viewBuf) {
    viewBuf = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return view;
}

/**
 * The first index in `buf[p, end)` holding '"', '\\' or a byte ≥ 0x80 (else
 * `end`). Reads 4 bytes at a time and tests them all at once (the classic
 * "has zero byte" bit trick on the word xor'ed with each target): string
 * bodies are most of a trace's bytes, and this is ~1.5× a byte loop.
 */
export function skipPlainString(buf: Uint8Array, p: number, end: number): number {
  const v = dataViewOf(buf);
  while (p + 4 <= end) {
    const w = v.getUint32(p, true);
    const q = w ^ 0x22222222;
    const s = w ^ 0x5c5c5c5c;
    if ((((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s) | w) & 0x80808080) break;
    p += 4;
  }
  while (p < end && IN_STRING[buf[p]] === 0) p++;
  return p;
}

/**
 * The first index in `buf[p, end)` that matters when skipping a container:
 * '"', a bracket or brace, or a byte ≥ 0x80. Same word trick as above; OR-ing
 * 0x20 folds '[' onto '{' and ']' onto '}', so three tests cover five bytes
 * (false positives only fall back to the byte loop).
 */
export function skipPlainContainer(buf: Uint8Array, p: number, end: number): number {
  const v = dataViewOf(buf);
  while (p + 4 <= end) {
    const w = v.getUint32(p, true);
    const y = w | 0x20202020;
    const a = y ^ 0x7b7b7b7b;
    const b = y ^ 0x7d7d7d7d;
    const c = y ^ 0x22222222;
    if ((((a - 0x01010101) & ~a) | ((b - 0x01010101) & ~b) | ((c - 0x01010101) & ~c) | w) & 0x80808080) break;
    p += 4;
  }
  while (p < end && CLASS[buf[p]] === 0) p++;
  return p;
}

/** Literals JSON allows, plus what Python's json.dumps writes for non-finite floats. */
const LITERALS = ['true', 'false', 'null', 'NaN', 'Infinity', '-Infinity'].map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)));

/** Whether `buf[start, end)` is a number or a literal. */
export function isValidToken(buf: Uint8Array, start: number, end: number): boolean {
  const b = buf[start];
  if ((b >= 48 && b <= 57) || ((b === MINUS || b === DOT) && end - start > 1 && buf[start + 1] !== 73)) {
    // Loose number check: digits, one sign, dots and exponents; the time reader validates fully.
    let digits = 0;
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 48 && c <= 57) digits++;
      else if (c !== MINUS && c !== PLUS && c !== DOT && c !== 101 && c !== 69) return false;
    }
    return digits > 0;
  }
  for (const lit of LITERALS) if (lit.length === end - start && sameBytes(buf, start, lit)) return true;
  return false;
}

export function syntaxError(what: string, position: number, got?: number): TraceLoadError {
  const found = got === undefined ? undefined : describeByte(got);
  const shown = found === undefined ? '' : `, found ${found}`;
  return new TraceLoadError('syntax', `JSON syntax error: expected ${what}${shown}`, position, found === undefined ? { expected: what } : { expected: what, found });
}

export function describeByte(b: number): string {
  if (b >= 33 && b < 127) return `'${String.fromCharCode(b)}'`;
  return `byte 0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Values nested deeper than this are still skipped correctly (the bracket
 * stack grows as needed, one byte per level, no recursion), but a reader
 * should not keep them: JSON.stringify, structured clone and recursive
 * renderers overflow the call stack on such values. No real trace comes close.
 */
export const MAX_KEPT_DEPTH = 100;
let stack = new Uint8Array(1024);

/** The bracket stack with room for one more level. */
function growStack(s: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(s.length * 2);
  next.set(s);
  return next;
}

/** Result flags of the last `skipValue` call (module-level to avoid allocations). */
export const skipped = { nonAscii: false, depth: 0 };

/**
 * Top-level keys of an object whose values `skipValue` notes while it skips the object: the args fields
 * read from most slices of a trace (load.ts, `LoadOptions.argsKeys`), so reading them later is a column
 * lookup instead of a search of every args text. After a `skipValue` call given a KeyIndex, bit k of
 * `found` says that key k is a key at the object's top level with a string or number value (the first
 * such pair counts), and `at[k]` is where that value starts, counted from the object's first byte. Only
 * the object's own keys count: a key of a nested object, or a string value that reads like a key, does not.
 */
export class KeyIndex {
  readonly keys: readonly string[];
  found = 0;
  readonly at: Int32Array;
  /** Key k's bytes followed by its closing quote. */
  private readonly words: Uint8Array[];
  /** Per first two bytes (`b0 | b1 << 8`), the keys that start with them, as a bit mask. */
  readonly byStart = new Int32Array(65536);

  constructor(keys: readonly string[]) {
    if (keys.length > 31) throw new RangeError('KeyIndex: at most 31 keys');
    this.keys = [...keys];
    this.at = new Int32Array(keys.length);
    this.words = keys.map((k) => {
      if (!k || !/^[\x20-\x7e]+$/.test(k) || /["\\]/.test(k)) throw new RangeError(`KeyIndex: ${JSON.stringify(k)} is not a plain ASCII key`);
      return Uint8Array.from(`${k}"`, (c) => c.charCodeAt(0));
    });
    // A one-byte key's second byte is its closing quote.
    keys.forEach((k, i) => (this.byStart[k.charCodeAt(0) | ((k.length > 1 ? k.charCodeAt(1) : QUOTE) << 8)] |= 1 << i));
  }

  /** At `buf[p]`, the opening quote of a string at the top level of the object that starts at `origin`. */
  note(buf: Uint8Array, p: number, end: number, origin: number): void {
    let m = this.byStart[buf[p + 1] | (buf[p + 2] << 8)] & ~this.found;
    while (m !== 0) {
      const k = 31 - Math.clz32(m & -m);
      m &= m - 1;
      const w = this.words[k];
      if (p + 1 + w.length > end || !sameBytes(buf, p + 1, w)) continue;
      // A key is followed by ':' (a string value is not).
      let q = skipWs(buf, p + 1 + w.length, end);
      if (q >= end || buf[q] !== COLON) return;
      q = skipWs(buf, q + 1, end);
      if (q >= end) return; // the caller returns NEED_MORE anyway
      // Only a string or a number counts; a later pair with the same key may have one.
      const v = buf[q];
      if (v === QUOTE || (v >= 48 && v <= 57) || (v === MINUS && q + 1 < end && buf[q + 1] >= 48 && buf[q + 1] <= 57)) {
        this.found |= 1 << k;
        this.at[k] = q - origin;
      }
      return;
    }
  }
}

/**
 * Skips one complete value starting at `buf[p]` (an object, array, string or
 * bare token). Returns the position after it, or NEED_MORE. `base` is the
 * absolute offset of `buf[0]`, for error positions. With `keys`, an object's
 * top-level keys among them are noted on the way (KeyIndex).
 */
export function skipValue(buf: Uint8Array, p: number, end: number, base: number, keys?: KeyIndex): number {
  let acc = 0;
  const origin = p;
  if (keys !== undefined) keys.found = 0;
  const first = buf[p];
  if (first === QUOTE) {
    p++;
    for (;;) {
      if (p >= end) return NEED_MORE;
      const c = buf[p];
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        p += 2;
        continue;
      }
      acc |= c;
      p++;
    }
    skipped.nonAscii = acc >= 0x80;
    skipped.depth = 0;
    return p + 1;
  }
  if (first !== LBRACE && first !== LBRACKET) {
    const start = p;
    while (p < end && isTokenByte(buf[p])) p++;
    if (p >= end) return NEED_MORE; // the token may go on in the next chunk
    if (p === start || !isValidToken(buf, start, p)) throw syntaxError('a JSON value', base + start, buf[start]);
    skipped.nonAscii = false;
    skipped.depth = 0;
    return p;
  }
  // Containers: jump over plain bytes with a table lookup; strings likewise.
  let depth = 0;
  let deepest = 0;
  for (;;) {
    p = skipPlainContainer(buf, p, end);
    if (p >= end) return NEED_MORE;
    const b = buf[p];
    const c = CLASS[b];
    if (c === 1) {
      // A string at an object's top level, starting with the first two bytes of a key asked for (KeyIndex.note).
      if (depth === 1 && keys !== undefined && keys.byStart[buf[p + 1] | (buf[p + 2] << 8)] > 0 && stack[0] === LBRACE) keys.note(buf, p, end, origin);
      p++;
      for (;;) {
        p = skipPlainString(buf, p, end);
        if (p >= end) return NEED_MORE;
        const d = buf[p];
        if (d === QUOTE) break;
        if (d === BACKSLASH) p += 2;
        else {
          acc |= d;
          p++;
        }
      }
      p++;
      continue;
    }
    if (c === 4) acc |= b;
    else if (c === 2) {
      if (depth === stack.length) stack = growStack(stack);
      stack[depth++] = b;
      if (depth > deepest) deepest = depth;
    } else {
      const open = stack[--depth];
      if ((b === RBRACE) !== (open === LBRACE)) throw syntaxError(open === LBRACE ? "'}'" : "']'", base + p, b);
      if (depth === 0) {
        skipped.nonAscii = acc >= 0x80;
        skipped.depth = deepest;
        return p + 1;
      }
    }
    p++;
  }
}

function sameBytes(buf: Uint8Array, p: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (buf[p + i] !== word[i]) return false;
  return true;
}

/**
 * Resumable version of `skipValue` for a unit that spans chunks: feed it the
 * bytes as they come; it returns where the unit ends once it does.
 */
export class ValueExtent {
  private mode = 0; // 1 string, 2 container, 3 bare token
  private depth = 0;
  private inString = false;
  private escape = false;
  private stack = new Uint8Array(64);
  /** Deepest nesting seen in the unit so far. */
  deepest = 0;

  /** Starts a unit whose first byte is `first`. */
  begin(first: number): void {
    this.mode = first === QUOTE ? 1 : first === LBRACE || first === LBRACKET ? 2 : 3;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.deepest = 0;
  }

  /** Scans `buf[p, end)`; returns the position after the unit's end, or NEED_MORE. */
  feed(buf: Uint8Array, p: number, end: number, base: number, atUnitStart: boolean): number {
    if (this.mode === 3) {
      while (p < end && isTokenByte(buf[p])) p++;
      return p < end ? p : NEED_MORE;
    }
    if (this.mode === 1 && atUnitStart) {
      p++; // the opening quote
      this.inString = true;
    }
    for (; p < end; p++) {
      const b = buf[p];
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.mode === 1) return p + 1;
        }
        continue;
      }
      if (b === QUOTE) this.inString = true;
      else if (b === LBRACE || b === LBRACKET) {
        if (this.depth === this.stack.length) this.stack = growStack(this.stack);
        this.stack[this.depth++] = b;
        if (this.depth > this.deepest) this.deepest = this.depth;
      } else if (b === RBRACE || b === RBRACKET) {
        if (this.depth === 0) throw syntaxError('a JSON value', base + p, b);
        const open = this.stack[--this.depth];
        if ((b === RBRACE) !== (open === LBRACE)) throw syntaxError(open === LBRACE ? "'}'" : "']'", base + p, b);
        if (this.depth === 0) return p + 1;
      }
    }
    return NEED_MORE;
  }
}
