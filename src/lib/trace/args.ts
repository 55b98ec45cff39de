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
import { I32Column, reserveColumns } from './columns.ts';
import { KeyIndex, LBRACE, QUOTE, BACKSLASH, skipValue } from './json-bytes.ts';
import type { ArgsTable } from './model.ts';

/**
 * The args keys the loader notes by default (`LoadOptions.argsKeys`): the ones read from many slices of a
 * trace, to link and classify them. Kineto's `correlation` (a CUDA runtime call and the kernel or copy
 * it launched), msprof's `connection_id` (a CANN call and its task), torch_npu's `Task Type` (what an
 * NPU task is: AI_CORE, EVENT_WAIT, …), and Kineto's `Collective name` and `Process Group Name` (asked of
 * every communication kernel: which collective, in which group; src/lib/worker/README.md, "Cold code"). A
 * key no args have costs nothing and answers null at once. Any other key is found by searching the args
 * text (`argsField`).
 */
export const WELL_KNOWN_ARGS_KEYS: readonly string[] = ['correlation', 'connection_id', 'Task Type', 'Collective name', 'Process Group Name'];

const FIRST_SEGMENT_BYTES = 1 << 16;
export const SEGMENT_BYTES = 16 * 1024 * 1024;
/** The smallest input chunk taken as a segment (`recycle`): smaller ones would leave many half-used segments. */
export const MIN_RECYCLED_BYTES = 1 << 16;

export class ArgsBuilder {
  private readonly segments: Uint8Array[] = [];
  private current = new Uint8Array(0);
  private used = 0;
  private readonly segmentOf = new I32Column();
  private readonly startOf = new I32Column();
  private readonly endOf = new I32Column();
  /** Per noted key, its value per args as `ArgsTable.keyed` holds it (-1: absent); made when the key is first seen. */
  private readonly keyed: Array<I32Column | null>;
  private readonly keys: readonly string[];
  /** An input chunk the loader has read and owns: the memory of the next segment (`recycle`). */
  private spare: Uint8Array<ArrayBuffer> | null = null;

  /** `keys`: the args keys whose value offsets `add` is given (KeyIndex). */
  constructor(keys: readonly string[] = []) {
    this.keys = keys;
    this.keyed = keys.map(() => null);
  }

  /**
   * Stores `buf[start, end)` and returns its index. `found` and `at` are a KeyIndex's result for these
   * bytes (bit k of `found`: key k is at `at[k]` from `start`).
   */
  add(buf: Uint8Array, start: number, end: number, found = 0, at?: Int32Array): number {
    const n = end - start;
    if (this.used + n > this.current.length) this.nextSegment(n);
    const dst = this.current;
    let o = this.used;
    // Short copies by hand: subarray() allocates a view per call.
    if (n <= 64) for (let i = start; i < end; i++) dst[o++] = buf[i];
    else dst.set(buf.subarray(start, end), o);
    const row = this.segmentOf.length;
    this.segmentOf.push(this.segments.length);
    this.startOf.push(this.used);
    this.endOf.push(this.used + n);
    for (let k = 0; k < this.keyed.length; k++) {
      let col = this.keyed[k];
      const has = (found >>> k) & 1;
      if (col === null) {
        if (!has) continue;
        // First args with this key: the rows before it had none.
        col = this.keyed[k] = new I32Column(Math.max(1024, row * 2));
        col.data.fill(-1, 0, row);
        col.length = row;
      }
      if (!has) {
        col.push(-1);
        continue;
      }
      // A plain integer is kept as its value (`ArgsTable.keyed`: read later without the args' bytes).
      const v = integerAt(buf, start + at![k], end);
      col.push(v >= 0 && v <= MAX_KEPT_INTEGER ? -2 - v : at![k]);
    }
    this.used += n;
    return row;
  }

  /**
   * Offers `chunk`, an input chunk that nothing will read again (LoadOptions.ownsInput), as the memory of
   * the next segment. Args written there skip the page faults of fresh memory, which the input's own
   * read has already paid: on a 2-vCPU VM fresh memory cost ~3 ms per MiB, ~100 ms of a 100 MB load for
   * its 37 MiB of args (README.md, "Args in the input's memory"). Only a chunk that is its whole buffer is
   * taken (a view may share its buffer with bytes someone else reads); one is kept at a time.
   */
  recycle(chunk: Uint8Array): void {
    const buffer = chunk.buffer;
    if (!(buffer instanceof ArrayBuffer) || chunk.byteOffset !== 0 || chunk.byteLength !== buffer.byteLength || chunk.length < MIN_RECYCLED_BYTES) return;
    if (this.spare === null || chunk.length > this.spare.length) this.spare = new Uint8Array(buffer);
  }

  /** Room in the row columns for `factor` times the rows so far (`TraceBuilder.reserveFor`). */
  reserveFor(factor: number, maxRows: number): void {
    reserveColumns([this.segmentOf, this.startOf, this.endOf, ...this.keyed], factor, maxRows);
  }

  private nextSegment(need: number): void {
    if (this.current.length > 0) this.segments.push(this.current.subarray(0, this.used));
    const spare = this.spare;
    if (spare !== null && spare.length >= need) {
      this.spare = null;
      this.current = spare;
    } else {
      const size = Math.max(need, Math.min(SEGMENT_BYTES, Math.max(FIRST_SEGMENT_BYTES, this.current.length * 2)));
      this.current = new Uint8Array(size);
    }
    this.used = 0;
  }

  finish(): ArgsTable {
    const segments = [...this.segments];
    // The open segment, right-sized when most of it is unused.
    if (this.used > 0) segments.push(this.used * 2 < this.current.length ? this.current.slice(0, this.used) : this.current.subarray(0, this.used));
    const keyed: Record<string, Int32Array> = {};
    // A key no args have: an empty column (every read of it is null without a search).
    this.keys.forEach((key, k) => (keyed[key] = this.keyed[k]?.finish() ?? new Int32Array(0)));
    return { length: this.segmentOf.length, segments, segment: this.segmentOf.finish(), start: this.startOf.finish(), end: this.endOf.finish(), keyed };
  }
}

/** An args table holding `texts` (test fixtures, generated models), its `keys` noted as the loader notes them. */
export function argsTableOf(texts: readonly string[], keys: readonly string[] = WELL_KNOWN_ARGS_KEYS): ArgsTable {
  const b = new ArgsBuilder(keys);
  const index = keys.length ? new KeyIndex(keys) : undefined;
  const enc = new TextEncoder();
  for (const t of texts) {
    const bytes = enc.encode(t);
    let found = 0;
    if (index && bytes[0] === LBRACE) {
      try {
        if (skipValue(bytes, 0, bytes.length, 0, index) === bytes.length) found = index.found;
      } catch {
        // Not JSON: nothing noted (the loader keeps no such args).
      }
    }
    b.add(bytes, 0, bytes.length, found, index?.at);
  }
  return b.finish();
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
 * every segment whole and keep the texts beside the bytes. When launch links
 * still read every kernel's `correlation` from its args text, that pass decoded
 * everything anyway, and decoding each args on its own (a TextDecoder call per
 * read) made the upload page's 1 GB load 3–5 s slower in Chromium. The keys read
 * from most slices are now noted at load (ArgsTable.keyed) and read without
 * the text; a pass over another key of most slices still reads its segments
 * whole after the first reads.
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
 * The value of `"key"` in args `index` when it is a string or a number: the string's text as written
 * (escapes kept), or the number; null when there is none.
 * - A key the loader noted (`ArgsTable.keyed`, LoadOptions.argsKeys): the args' own top-level key, null when
 *   that value is not a string or number; a plain integer comes from the column, anything else is read
 *   where its value starts.
 * - Any other key: the first `"key": value` in the text whose value is a string or a number, found by a
 *   regex that does not look at nesting (the detectors read top-level scalar fields, "Collective name").
 */
export function argsField(args: ArgsTable, index: number, key: string): string | number | null {
  if (!(index >= 0 && index < args.length)) return null;
  const col = args.keyed[key];
  if (col !== undefined) {
    const at = col.length ? col[index] : -1;
    if (at <= -2) return -2 - at;
    return at < 0 ? null : scalarAt(args.segments[args.segment[index]], args.start[index] + at, args.end[index]);
  }
  const m = fieldRe(key).exec(fieldText(args, index));
  if (!m) return null;
  return m[1] !== undefined ? m[1] : Number(m[2]);
}

/**
 * `argsField` as a number (a numeric string's text through `Number`), null when absent or not finite. A
 * noted key's plain integer comes from its column (`argsField`), without making a string.
 */
export function argsNumber(args: ArgsTable, index: number, key: string): number | null {
  const raw = argsField(args, index, key);
  if (raw === null) return null;
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(n) ? n : null;
}

/**
 * `argsNumber` of one key for many args in a row (launch links read an id from every slice): the key's
 * column is looked up once, and a key no args have answers null at once.
 */
export function argsNumbers(args: ArgsTable, key: string): (index: number) => number | null {
  const col = args.keyed[key];
  if (col === undefined) return (index) => argsNumber(args, index, key);
  if (col.length === 0) return () => null;
  return (index) => {
    if (!(index >= 0 && index < col.length)) return null;
    const at = col[index];
    if (at <= -2) return -2 - at;
    return at < 0 ? null : argsNumber(args, index, key);
  };
}

/**
 * The largest plain integer a noted key's column keeps as its value (`-2 - value`) rather than as the
 * value's offset: reading it then touches only the column, not the args' bytes, which lie in file order and
 * so in no order a pass over the slices follows (one cache miss per read: launch links read the
 * `correlation` of every launch and kernel).
 */
const MAX_KEPT_INTEGER = 2 ** 31 - 3;

/** The plain non-negative integer (at most 15 digits) that is the whole value at `seg[p]`, else -1. */
function integerAt(seg: Uint8Array, p: number, end: number): number {
  let v = 0;
  const from = p;
  while (p < end && p - from < 15 && seg[p] >= 48 && seg[p] <= 57) v = v * 10 + (seg[p++] - 48);
  // Digits ending the value (not a '.', an exponent or a 16th digit): that integer.
  return p > from && p < end && !NUMBER_BYTE[seg[p]] ? v : -1;
}

/** Bytes the regex's number may hold after its first digit: 0-9 . e E + -. */
const NUMBER_BYTE = new Uint8Array(256);
for (const c of '0123456789.eE+-') NUMBER_BYTE[c.charCodeAt(0)] = 1;

/** The string or number starting at `seg[p]` (within `[p, end)`), as `argsField` returns it; null for any other value. */
function scalarAt(seg: Uint8Array, p: number, end: number): string | number | null {
  const b = seg[p];
  if (b === QUOTE) {
    let ascii = true;
    let q = p + 1;
    for (; q < end && seg[q] !== QUOTE; q++) {
      if (seg[q] === BACKSLASH) q++;
      else if (seg[q] >= 0x80) ascii = false;
    }
    if (q >= end) return null;
    if (!ascii || q - p > 256) return decoder.decode(seg.subarray(p + 1, q));
    let text = '';
    for (let i = p + 1; i < q; i++) text += String.fromCharCode(seg[i]);
    return text;
  }
  if (b === 45 || (b >= 48 && b <= 57)) {
    // As the regex reads a number: an optional '-', a digit, then digits, '.', 'e', 'E', '+', '-'.
    let q = p + 1;
    if (b === 45 && !(seg[q] >= 48 && seg[q] <= 57)) return null;
    while (q < end && NUMBER_BYTE[seg[q]]) q++;
    let text = '';
    for (let i = p; i < q; i++) text += String.fromCharCode(seg[i]);
    return Number(text);
  }
  return null;
}
