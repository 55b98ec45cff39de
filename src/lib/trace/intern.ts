/**
 * Text from bytes, and string interning keyed by the bytes themselves.
 *
 * A trace repeats a few thousand names millions of times. The tokenizer hashes
 * a string's raw bytes (`hashBytes`), and the interner finds the entry by hash
 * + byte comparison, so a repeated name costs no decoding and no allocation.
 * Only a first occurrence is decoded (and JSON-unescaped).
 */

/** FNV-1a parameters. */
import { dataViewOf } from './json-bytes.ts';

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/**
 * The interner's hash of `buf[start, end)`: every byte of short strings; for
 * long ones (kernel names run to hundreds of bytes) the length, the first and
 * the last 16 bytes. Equality is always checked byte by byte, so a weaker hash
 * only costs an extra probe, never a wrong match.
 */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  let h = FNV_OFFSET ^ len;
  if (len <= 32) {
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
  } else {
    for (let i = start; i < start + 16; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
    for (let i = end - 16; i < end; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
  }
  return h;
}

export class Utf8Text {
  /** How many decoded byte ranges held invalid UTF-8 (replaced by U+FFFD). */
  invalidCount = 0;
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lenient = new TextDecoder('utf-8', { ignoreBOM: true });

  /** `nonAscii` says whether any byte ≥ 0x80 is in range (the scanner knows). */
  decode(buf: Uint8Array, start: number, end: number, nonAscii: boolean): string {
    if (!nonAscii) {
      // A TextDecoder call costs ~200 ns; short ASCII is cheaper by hand.
      if (end - start <= 24) {
        let s = '';
        for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
        return s;
      }
      return this.lenient.decode(buf.subarray(start, end));
    }
    const bytes = buf.subarray(start, end);
    try {
      return this.strict.decode(bytes);
    } catch {
      this.invalidCount++;
      return this.lenient.decode(bytes);
    }
  }

  /** The value of a JSON string whose body (between the quotes) is `buf[start, end)`. */
  decodeJsonString(buf: Uint8Array, start: number, end: number, hasEscape: boolean, nonAscii: boolean): string {
    const raw = this.decode(buf, start, end, nonAscii);
    if (!hasEscape) return raw;
    try {
      return JSON.parse('"' + raw + '"') as string;
    } catch {
      return raw; // a bad escape: show it as written rather than lose the event
    }
  }
}

/**
 * Longest name, category, pid/tid or id text kept whole. Real kernel names
 * reach a few KB; a 50 MB "name" would be drawn, measured and searched on
 * every frame, and past ~512 M characters V8 cannot make the string at all.
 */
export const MAX_STRING_BYTES = 64 * 1024;

const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * UTF-8 bytes `buf[start, end)` as text (bad bytes as U+FFFD), cut like any
 * interned string past MAX_STRING_BYTES: what a `lazyText` interner's entry,
 * or a flow id's bytes in the model, reads as.
 */
export function utf8Text(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= MAX_STRING_BYTES) return lenientUtf8.decode(buf.subarray(start, end));
  return `${lenientUtf8.decode(buf.subarray(start, cutPoint(buf, start)))}…`;
}

/** Where a string longer than MAX_STRING_BYTES starting at `start` is cut: at most that many bytes, at a UTF-8 character boundary. */
function cutPoint(buf: Uint8Array, start: number): number {
  let stop = start + MAX_STRING_BYTES;
  while (stop > start && (buf[stop] & 0xc0) === 0x80) stop--;
  return stop;
}

const utf8Encoder = new TextEncoder();

export class ByteInterner {
  /** Index → text; what the model calls `strings`. Empty for a `lazyText` interner (read `textAt`). */
  readonly strings: string[] = [];
  /** How many distinct spellings were longer than MAX_STRING_BYTES and cut. */
  cutCount = 0;
  private readonly byText = new Map<string, number>();
  private readonly text: Utf8Text;
  // Open-addressing table of entries; an entry is one raw byte spelling.
  private slots = new Int32Array(4096);
  private entryCount = 0;
  private entryHash = new Int32Array(1024);
  private entryStart = new Int32Array(1024);
  private entryLength = new Int32Array(1024);
  private entryIndex = new Int32Array(1024);
  private arena = new Uint8Array(1 << 16);
  private arenaView = new DataView(this.arena.buffer);
  private arenaLength = 0;

  /**
   * `lazyText`: keep each distinct spelling's bytes and make no string until
   * `textAt` asks. For flow ids: torch_npu writes a 20-digit id per launch (two
   * events each), so 100 MB holds ~34 k distinct ids that the loader only
   * groups by, and a string each cost more than the grouping. Entries are then
   * distinct texts (an escaped spelling is interned as its value's UTF-8), so
   * index = entry, and the arena holds the texts one after another.
   */
  constructor(text: Utf8Text, lazyText = false) {
    this.text = text;
    this.lazyText = lazyText;
  }

  readonly lazyText: boolean;

  /** How many distinct texts were interned. */
  get count(): number {
    return this.lazyText ? this.entryCount : this.strings.length;
  }

  /** The text at `index`. */
  textAt(index: number): string {
    if (!this.lazyText) return this.strings[index];
    const start = this.entryStart[index];
    return utf8Text(this.arena, start, start + this.entryLength[index]);
  }

  /** A `lazyText` interner's texts as UTF-8: text `k` is `bytes[offsets[k], offsets[k + 1])` (uncut). */
  texts(): { bytes: Uint8Array; offsets: Int32Array } {
    const offsets = new Int32Array(this.entryCount + 1);
    offsets.set(this.entryStart.subarray(0, this.entryCount));
    offsets[this.entryCount] = this.arenaLength;
    return { bytes: this.arena.slice(0, this.arenaLength), offsets };
  }

  /** Interns a JSON string body (or a bare number's text) `buf[start, end)` whose FNV-1a hash is `hash`. */
  internBytes(buf: Uint8Array, start: number, end: number, hash: number, hasEscape: boolean, nonAscii: boolean): number {
    const length = end - start;
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = hash & mask;
    for (;;) {
      const e = slots[i];
      if (e === 0) break;
      const entry = e - 1;
      if (this.entryHash[entry] === hash && this.entryLength[entry] === length) {
        const a = this.arena;
        let k = this.entryStart[entry];
        let j = start;
        // Word-wise first (names run long), then the tail byte by byte.
        if (length >= 8) {
          const av = this.arenaView;
          const bv = dataViewOf(buf);
          while (j + 4 <= end && av.getUint32(k, true) === bv.getUint32(j, true)) {
            j += 4;
            k += 4;
          }
        }
        while (j < end && a[k] === buf[j]) {
          k++;
          j++;
        }
        if (j === end) return this.entryIndex[entry];
      }
      i = (i + 1) & mask;
    }
    if (this.lazyText) return this.addText(i, buf, start, end, hash, hasEscape, nonAscii);
    const value = length > MAX_STRING_BYTES ? this.cut(buf, start, end, hasEscape, nonAscii) : this.text.decodeJsonString(buf, start, end, hasEscape, nonAscii);
    const index = this.internString(value);
    this.addEntry(i, buf, start, length, hash, index);
    return index;
  }

  /** A `lazyText` interner's new spelling (its slot `slot` is free): its value's UTF-8 becomes the entry. */
  private addText(slot: number, buf: Uint8Array, start: number, end: number, hash: number, hasEscape: boolean, nonAscii: boolean): number {
    if (hasEscape) {
      // "\u0031" and "1" are one id: intern the value's bytes (found or added without escapes).
      const value = utf8Encoder.encode(this.text.decodeJsonString(buf, start, end, true, nonAscii));
      return this.internBytes(value, 0, value.length, hashBytes(value, 0, value.length), false, true);
    }
    const length = end - start;
    if (length > MAX_STRING_BYTES) this.cutCount++;
    if (nonAscii) this.text.decode(buf, start, end, true); // counts invalid UTF-8 now, as an eager interner would
    const index = this.entryCount;
    this.addEntry(slot, buf, start, length, hash, index);
    return index;
  }

  /** The first MAX_STRING_BYTES of a too-long string (at a UTF-8 character boundary) and '…'. */
  private cut(buf: Uint8Array, start: number, end: number, hasEscape: boolean, nonAscii: boolean): string {
    this.cutCount++;
    // A cut escape ("\u12") no longer parses; decodeJsonString then shows the raw text.
    return `${this.text.decodeJsonString(buf, start, cutPoint(buf, start), hasEscape, nonAscii)}…`;
  }

  /** Interns a JS string (metadata names, counter series ...). */
  internString(value: string): number {
    let index = this.byText.get(value);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(value);
      this.byText.set(value, index);
    }
    return index;
  }

  /** The index of `value` if it was interned, else -1. */
  find(value: string): number {
    return this.byText.get(value) ?? -1;
  }

  private addEntry(slot: number, buf: Uint8Array, start: number, length: number, hash: number, index: number): void {
    const entry = this.entryCount++;
    if (entry === this.entryHash.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.entryHash = grow(this.entryHash);
      this.entryStart = grow(this.entryStart);
      this.entryLength = grow(this.entryLength);
      this.entryIndex = grow(this.entryIndex);
    }
    if (this.arenaLength + length > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.arenaLength + length) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.arena.subarray(0, this.arenaLength));
      this.arena = next;
      this.arenaView = new DataView(next.buffer);
    }
    this.arena.set(buf.subarray(start, start + length), this.arenaLength);
    this.entryHash[entry] = hash;
    this.entryStart[entry] = this.arenaLength;
    this.entryLength[entry] = length;
    this.entryIndex[entry] = index;
    this.arenaLength += length;
    this.slots[slot] = entry + 1;
    // Keep the load factor under 1/2 so probes stay short.
    if (this.entryCount * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.entryCount; entry++) {
      let i = this.entryHash[entry] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = entry + 1;
    }
    this.slots = slots;
  }
}
