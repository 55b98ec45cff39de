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
import { F64Column, I32Column } from './columns.ts';
import { LBRACE, skipValue, skipped } from './json-bytes.ts';
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
  private readonly correlationOf = new F64Column();

  /** Stores `buf[start, end)`, whose top-level `"correlation"` is `correlation` (NaN: none), and returns its index. */
  add(buf: Uint8Array, start: number, end: number, correlation = NaN): number {
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
    this.correlationOf.push(correlation);
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
    return { length: this.segmentOf.length, segments, segment: this.segmentOf.finish(), start: this.startOf.finish(), end: this.endOf.finish(), correlation: this.correlationOf.finish() };
  }
}

/** An args table holding `texts` (test fixtures, generated models). */
export function argsTableOf(texts: readonly string[]): ArgsTable {
  const b = new ArgsBuilder();
  const enc = new TextEncoder();
  for (const t of texts) {
    const bytes = enc.encode(t);
    b.add(bytes, 0, bytes.length, correlationOf(bytes));
  }
  return b.finish();
}

/** The top-level `"correlation"` of one args text, as the loader reads it (NaN: none, or not an object). */
function correlationOf(bytes: Uint8Array): number {
  try {
    return bytes[0] === LBRACE && skipValue(bytes, 0, bytes.length, 0) === bytes.length ? skipped.correlation : NaN;
  } catch {
    return NaN;
  }
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The raw JSON text of args `index` ('' for -1 or out of range); invalid UTF-8 shows as U+FFFD. */
export function argsText(args: ArgsTable, index: number): string {
  if (!(index >= 0 && index < args.length)) return '';
  const cached = segmentTexts.get(args)?.[args.segment[index]];
  if (typeof cached === 'string') return cached.substring(args.start[index], args.end[index]);
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

/**
 * An ASCII segment decoded once into one string, for `argsField`, once the
 * args read from it one by one add up to a quarter of its bytes: a native
 * regex over a substring is several times faster than scanning the bytes in
 * JS, and decoding 16 MB at once is cheaper than as many TextDecoder calls. Kept as
 * long as the table (in the worker, until it hands the model over); a segment
 * with any byte ≥ 0x80 is not kept (null), its args are decoded one by one.
 *
 * Why only then: a segment is 16 MB; a pass that reads a field from some
 * slices (the `Collective name` of the communication kernels: 9.5 k of the
 * 224 k slices of a 100 MB trace, in every segment) would otherwise decode
 * every segment whole and keep the texts beside the bytes. When launch links still read every kernel's `correlation` from its
 * args text, that pass decoded everything anyway, and decoding each args on
 * its own (a TextDecoder call per read) made the upload page's 1 GB load
 * 3–5 s slower in Chromium; the loader now reads `correlation` into a column
 * (ArgsTable.correlation), and a pass over every NPU task's `Task Type` (Ascend
 * traces) still reads its segments whole after the first reads.
 */
/** Bytes of a segment's args read one by one, per segment. */
const segmentReads = new WeakMap<ArgsTable, Float64Array>();

/** Args `index`'s text for a field read: from its segment's text when decoded, else on its own until a quarter of the segment was read. */
function fieldText(args: ArgsTable, index: number): string {
  const seg = args.segment[index];
  const kept = segmentTexts.get(args)?.[seg];
  if (typeof kept === 'string') return kept.substring(args.start[index], args.end[index]);
  if (kept === undefined) {
    let reads = segmentReads.get(args);
    if (!reads) segmentReads.set(args, (reads = new Float64Array(args.segments.length)));
    if ((reads[seg] += args.end[index] - args.start[index]) * 4 > args.segments[seg].length) {
      const whole = asciiSegmentText(args, seg);
      if (whole !== null) return whole.substring(args.start[index], args.end[index]);
    }
  }
  return argsText(args, index);
}

const segmentTexts = new WeakMap<ArgsTable, Array<string | null | undefined>>();

function asciiSegmentText(args: ArgsTable, seg: number): string | null {
  let texts = segmentTexts.get(args);
  if (!texts) segmentTexts.set(args, (texts = new Array<string | null | undefined>(args.segments.length)));
  let text = texts[seg];
  if (text === undefined) {
    // Valid UTF-8 with one character per byte is ASCII: any longer sequence makes the text shorter.
    try {
      text = strictDecoder.decode(args.segments[seg]);
      if (text.length !== args.segments[seg].length) text = null;
    } catch {
      text = null;
    }
    texts[seg] = text;
  }
  return text;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const fieldRes = new Map<string, RegExp>();

/** `"key": "text"` or `"key": 123`. */
function fieldRe(key: string): RegExp {
  let re = fieldRes.get(key);
  if (!re) {
    re = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?[0-9][0-9.eE+-]*))`);
    fieldRes.set(key, re);
  }
  return re;
}

/**
 * The first `"key": value` in args `index` whose value is a string or a
 * number: the string's text as written (escapes kept), or the number; null
 * when there is none. Like any regex over the text, it does not look at
 * nesting, which is all the detectors need from top-level scalar fields
 * ("correlation", "Task Type").
 */
export function argsField(args: ArgsTable, index: number, key: string): string | number | null {
  if (!(index >= 0 && index < args.length)) return null;
  const m = fieldRe(key).exec(fieldText(args, index));
  if (!m) return null;
  return m[1] !== undefined ? m[1] : Number(m[2]);
}
