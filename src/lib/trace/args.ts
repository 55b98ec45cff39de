/**
 * Events' `args` objects, kept as their raw UTF-8 bytes and decoded only when
 * someone reads one (the details panel, a detector's field).
 *
 * Args are about half of a PyTorch trace's bytes. Decoding them all at load
 * made a JS string per event (plus its header and the GC work), ~20% of the
 * load time; as bytes they cost one copy into a segment, and the page gets
 * them as transferred buffers instead of millions of cloned strings.
 *
 * Segments start small (a 1 MB trace should not hold 16 MB) and double up to
 * SEGMENT_BYTES; one args text never spans two segments (a larger one gets a
 * segment of its own).
 */
import { I32Column } from './columns.ts';
import type { ArgsTable } from './model.ts';

const FIRST_SEGMENT_BYTES = 1 << 16;
export const SEGMENT_BYTES = 16 * 1024 * 1024;

export class ArgsBuilder {
  private readonly segments: Uint8Array[] = [];
  private current = new Uint8Array(0);
  private used = 0;
  private readonly segmentOf = new I32Column();
  private readonly startOf = new I32Column();
  private readonly endOf = new I32Column();

  get length(): number {
    return this.segmentOf.length;
  }

  /** Stores `buf[start, end)` and returns its index. */
  add(buf: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (this.used + n > this.current.length) this.nextSegment(n);
    const dst = this.current;
    let o = this.used;
    // Short copies by hand: subarray() allocates a view per call.
    if (n <= 64) for (let i = start; i < end; i++) dst[o++] = buf[i];
    else dst.set(buf.subarray(start, end), o);
    this.segmentOf.push(this.segments.length);
    this.startOf.push(this.used);
    this.endOf.push(this.used + n);
    this.used += n;
    return this.segmentOf.length - 1;
  }

  private nextSegment(need: number): void {
    if (this.current.length > 0) this.segments.push(this.current.subarray(0, this.used));
    const size = Math.max(need, Math.min(SEGMENT_BYTES, Math.max(FIRST_SEGMENT_BYTES, this.current.length * 2)));
    this.current = new Uint8Array(size);
    this.used = 0;
  }

  finish(): ArgsTable {
    const segments = [...this.segments];
    // The open segment, right-sized when most of it is unused.
    if (this.used > 0) segments.push(this.used * 2 < this.current.length ? this.current.slice(0, this.used) : this.current.subarray(0, this.used));
    return { length: this.segmentOf.length, segments, segment: this.segmentOf.finish(), start: this.startOf.finish(), end: this.endOf.finish() };
  }
}

/** An args table holding `texts` (test fixtures, generated models). */
export function argsTableOf(texts: readonly string[]): ArgsTable {
  const b = new ArgsBuilder();
  const enc = new TextEncoder();
  for (const t of texts) {
    const bytes = enc.encode(t);
    b.add(bytes, 0, bytes.length);
  }
  return b.finish();
}

export function emptyArgsTable(): ArgsTable {
  return { length: 0, segments: [], segment: new Int32Array(0), start: new Int32Array(0), end: new Int32Array(0) };
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The raw JSON text of args `index` ('' for -1 or out of range); invalid UTF-8 shows as U+FFFD. */
export function argsText(args: ArgsTable, index: number): string {
  if (!(index >= 0 && index < args.length)) return '';
  const seg = args.segments[args.segment[index]];
  const start = args.start[index];
  const end = args.end[index];
  if (end - start <= 64) {
    let s = '';
    let ascii = true;
    for (let i = start; i < end && ascii; i++) ascii = seg[i] < 0x80;
    if (ascii) {
      for (let i = start; i < end; i++) s += String.fromCharCode(seg[i]);
      return s;
    }
  }
  return decoder.decode(seg.subarray(start, end));
}

const encoder = new TextEncoder();
const keyBytesCache = new Map<string, Uint8Array>();

/**
 * The first `"key": value` in args `index` whose value is a string or a
 * number, read from the bytes without decoding the rest: the string's text as
 * written (escapes kept), or the number. Null when there is none. Like a regex
 * over the text, it does not look at nesting, which is all the detectors need
 * from top-level scalar fields ("correlation", "Task Type").
 */
export function argsField(args: ArgsTable, index: number, key: string): string | number | null {
  if (!(index >= 0 && index < args.length)) return null;
  let k = keyBytesCache.get(key);
  if (!k) keyBytesCache.set(key, (k = encoder.encode(`"${key}"`)));
  const seg = args.segments[args.segment[index]];
  const end = args.end[index];
  const first = k[1];
  const klen = k.length;
  for (let p = args.start[index]; p + klen <= end; p++) {
    // Find `"key"`: scan for the quote, then compare.
    if (seg[p] !== 34 || seg[p + 1] !== first) continue;
    let j = 2;
    while (j < klen && seg[p + j] === k[j]) j++;
    if (j < klen || (p > 0 && seg[p - 1] === 92)) continue;
    let q = skipJsonWs(seg, p + klen, end);
    if (seg[q] !== 58) continue; // ':'
    q = skipJsonWs(seg, q + 1, end);
    const v = scalarAt(seg, q, end);
    if (v !== null) return v;
  }
  return null;
}

function skipJsonWs(b: Uint8Array, p: number, end: number): number {
  while (p < end && (b[p] === 32 || b[p] === 10 || b[p] === 13 || b[p] === 9)) p++;
  return p;
}

/** A JSON string (its raw body) or a number starting at `b[p]`, else null. */
function scalarAt(b: Uint8Array, p: number, end: number): string | number | null {
  if (p >= end) return null;
  if (b[p] === 34) {
    let q = p + 1;
    let ascii = true;
    while (q < end && b[q] !== 34) {
      if (b[q] === 92) q++;
      else if (b[q] >= 0x80) ascii = false;
      q++;
    }
    if (q >= end) return null;
    if (!ascii) return decoder.decode(b.subarray(p + 1, q));
    let s = '';
    for (let i = p + 1; i < q; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  const c = b[p];
  if (!((c >= 48 && c <= 57) || (c === 45 && p + 1 < end && b[p + 1] >= 48 && b[p + 1] <= 57))) return null;
  let q = p + 1;
  let text = String.fromCharCode(c);
  while (q < end) {
    const d = b[q];
    if (!((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
    text += String.fromCharCode(d);
    q++;
  }
  return Number(text);
}
