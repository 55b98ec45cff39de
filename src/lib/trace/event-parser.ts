/**
 * Reads one trace event object from bytes: the fields an event needs (ph,
 * name, cat, ts, dur, pid, tid, id/id2, bp, s) into one reused `RawEvent`,
 * and `args` as a byte range. Names, categories, pids and tids are interned
 * from their bytes; times are read exactly (decimal.ts `readTimeToken`).
 * Any other key's value is skipped. Keys written with escapes are not
 * recognised (no producer writes "\u0070h").
 */
import { ByteInterner, Utf8Text, hashBytes } from './intern.ts';
import {
  BACKSLASH, COLON, COMMA, IN_STRING, LBRACE, MAX_KEPT_DEPTH, NEED_MORE, QUOTE, RBRACE,
  TOKEN, type KeyIndex, isTokenByte, isValidToken, skipPlainString, skipValue, skipWs, skipped, syntaxError,
} from './json-bytes.ts';
import { readTime, readTimeToken, type TimeParts } from './decimal.ts';

/** One event's fields; reused for every event, valid only during `EventSink.event`. */
export class RawEvent {
  /** The bytes that the ranges below index. */
  buf: Uint8Array = new Uint8Array(0);
  /** Absolute offset of `buf[0]` in the decompressed input. */
  base = 0;
  /** Char code of a one-letter `ph`, 0 when absent, PH_OTHER for any other value. */
  ph = 0;
  phStart = 0;
  phEnd = 0;
  /** Indexes into the tokenizer's `names` interner, -1 when absent, and for a flow event (its name is not interned). */
  name = -1;
  cat = -1;
  /** Indexes into the `keys` interner (pid/tid text as written, unquoted), -1 when absent. */
  pid = -1;
  tid = -1;
  /** Index into the `ids` interner, -1 when absent or numeric. */
  id = -1;
  /** A plain decimal id (≤ 15 digits) as a number, -1 when absent or not one. */
  idNumber = -1;
  /** Char code of `bp` and of the instant scope `s`, 0 when absent. */
  bp = 0;
  scope = 0;
  /** 0 absent, 1 read into `ts`, 2 present but not a number. */
  tsState = 0;
  ts: TimeParts = { usInt: NaN, nsFrac: NaN, imprecise: false };
  /** The timestamp's text range (without quotes), kept for the exact origin. */
  tsStart = 0;
  tsEnd = 0;
  durState = 0;
  dur: TimeParts = { usInt: NaN, nsFrac: NaN, imprecise: false };
  /** Byte range of the raw `args` object, start -1 when absent or not an object. */
  argsStart = -1;
  argsEnd = -1;
  argsNonAscii = false;
  /**
   * Which of the parser's `argsKeys` are keys of the args' top level (KeyIndex.found; their value offsets
   * are in `argsKeys.at` until the next args are read), 0 when none, or the args were not kept.
   */
  argsKeysFound = 0;
  /** Why `args` was not kept: 0 kept (or absent), ARGS_TOO_DEEP, ARGS_TOO_LARGE. */
  argsDropped = 0;

  reset(buf: Uint8Array, base: number): void {
    this.buf = buf;
    this.base = base;
    this.ph = 0;
    this.name = -1;
    this.cat = -1;
    this.pid = -1;
    this.tid = -1;
    this.id = -1;
    this.idNumber = -1;
    this.bp = 0;
    this.scope = 0;
    this.tsState = 0;
    this.durState = 0;
    this.argsStart = -1;
    this.argsKeysFound = 0;
    this.argsDropped = 0;
  }
}

/** `RawEvent.argsDropped`: nested deeper than MAX_KEPT_DEPTH levels. */
export const ARGS_TOO_DEEP = 1;
/** `RawEvent.argsDropped`: longer than MAX_ARGS_BYTES. */
export const ARGS_TOO_LARGE = 2;
/**
 * Largest `args` object kept. V8 strings end near 512 M characters; an args
 * text anywhere near that is no profiler's output, and keeping it would make
 * the whole load fail on one event.
 */
export const MAX_ARGS_BYTES = 64 * 1024 * 1024;

/** `RawEvent.ph` for a ph that is not one ASCII letter. */
export const PH_OTHER = -1;

// Keys, as little-endian byte pairs/quads for a cheap switch.
const K_PH = 0x6870; // "ph"
const K_TS = 0x7374; // "ts"
const K_ID = 0x6469; // "id"
const K_BP = 0x7062; // "bp"
// Flow phases, whose names are not interned.
const PH_s = 115;
const PH_t = 116;
const PH_f = 102;

export class EventParser {
  readonly text = new Utf8Text();
  /** Event names, categories and metadata strings: the model's `strings`. */
  readonly names = new ByteInterner(this.text);
  /** pid and tid text. */
  readonly keys = new ByteInterner(this.text);
  /** Flow and counter `id` / `id2` text (kept apart: there can be millions). */
  readonly ids = new ByteInterner(this.text, true);
  /** The event last read by `parse`. */
  readonly ev = new RawEvent();
  /** Args keys whose values are noted as the args are skipped (`RawEvent.argsKeysFound`); none when undefined. */
  argsKeys: KeyIndex | undefined = undefined;
  // Results of the last scanString, kept in fields to avoid allocation.
  strHash = 0;
  strEscape = false;
  strNonAscii = false;


  /**
   * Scans a string body from `p` (after the opening quote) to its closing
   * quote; returns the quote's index or NEED_MORE. Sets strHash (FNV-1a of
   * the raw bytes), strEscape and strNonAscii.
   */
  scanString(buf: Uint8Array, p: number, end: number): number {
    const start = p;
    let acc = 0;
    let escape = false;
    for (;;) {
      p = skipPlainString(buf, p, end);
      if (p >= end) return NEED_MORE;
      const c = buf[p];
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escape = true;
        p += 2;
      } else {
        acc |= c;
        p++;
      }
    }
    this.strHash = hashBytes(buf, start, p);
    this.strEscape = escape;
    this.strNonAscii = acc >= 0x80;
    return p;
  }

  /** Interns a string or bare-token value at `buf[p]` into `table` (index in `valueIndex`); returns the next position. */
  private internValue(table: ByteInterner, buf: Uint8Array, p: number, end: number, base: number): number {
    const b = buf[p];
    if (b === QUOTE) {
      const q = this.scanString(buf, p + 1, end);
      if (q < 0) return NEED_MORE;
      this.valueIndex = table.internBytes(buf, p + 1, q, this.strHash, this.strEscape, this.strNonAscii);
      return q + 1;
    }
    if (b === LBRACE) {
      // Chrome's `id2: {"local": "0x1"}`: the object's raw text is the id.
      const q = skipValue(buf, p, end, base);
      if (q < 0) return NEED_MORE;
      this.valueIndex = table.internBytes(buf, p, q, hashBytes(buf, p, q), false, skipped.nonAscii);
      return q;
    }
    let q = p;
    let plainDigits = true;
    for (; q < end; q++) {
      const c = buf[q];
      if (c < 48 || c > 57) {
        if (TOKEN[c] === 0) break;
        plainDigits = false;
      }
    }
    if (q >= end) return NEED_MORE;
    if (q === p || (!plainDigits && !isValidToken(buf, p, q))) throw syntaxError('a JSON value', base + p, b);
    // null means absent; numbers and true/false keep their text.
    this.valueIndex = q - p === 4 && b === 110 ? -1 : table.internBytes(buf, p, q, hashBytes(buf, p, q), false, false);
    return q;
  }

  /**
   * Reads an `id`: a plain decimal of up to 15 digits (Kineto correlation ids)
   * becomes `ev.idNumber` with no string made; anything else is interned.
   */
  private idValue(buf: Uint8Array, p: number, end: number, base: number): number {
    const ev = this.ev;
    let start = p;
    let stop = p;
    let next = -2;
    if (buf[p] === QUOTE) {
      start = p + 1;
      stop = start;
      while (stop < end && buf[stop] >= 48 && buf[stop] <= 57) stop++;
      if (stop < end && buf[stop] === QUOTE) next = stop + 1;
    } else {
      while (stop < end && buf[stop] >= 48 && buf[stop] <= 57) stop++;
      if (stop < end && TOKEN[buf[stop]] === 0) next = stop;
    }
    const digits = stop - start;
    if (next >= 0 && digits > 0 && digits <= 15 && (buf[start] !== 48 || digits === 1)) {
      let v = 0;
      for (let i = start; i < stop; i++) v = v * 10 + (buf[i] - 48);
      ev.idNumber = v;
      ev.id = -1;
      return next;
    }
    const q = this.internValue(this.ids, buf, p, end, base);
    ev.id = this.valueIndex;
    ev.idNumber = -1;
    return q;
  }
  private valueIndex = -1;

  /** Reads a time (number or numeric string) into `out`; returns the next position. */
  private timeValue(buf: Uint8Array, p: number, end: number, base: number, out: TimeParts, isTs: boolean): number {
    const ev = this.ev;
    let start: number;
    let stop: number;
    let next: number;
    if (buf[p] === QUOTE) {
      // torch_npu writes "1736408883688177.930": try the one-pass reader first.
      const fast = readTimeToken(buf, p + 1, end, out);
      if (fast >= 0 && buf[fast] === QUOTE) {
        if (isTs) {
          ev.tsState = 1;
          ev.tsStart = p + 1;
          ev.tsEnd = fast;
        } else ev.durState = 1;
        return fast + 1;
      }
      const q = this.scanString(buf, p + 1, end);
      if (q < 0) return NEED_MORE;
      start = p + 1;
      stop = q;
      next = q + 1;
    } else {
      const fast = readTimeToken(buf, p, end, out);
      if (fast === NEED_MORE) return NEED_MORE;
      if (fast >= 0) {
        if (isTs) {
          ev.tsState = 1;
          ev.tsStart = p;
          ev.tsEnd = fast;
        } else ev.durState = 1;
        return fast;
      }
      let q = p;
      while (q < end && isTokenByte(buf[q])) q++;
      if (q >= end) return NEED_MORE;
      if (q === p) {
        // An object or array where a time should be: skip it, mark the field bad.
        const r = skipValue(buf, p, end, base);
        if (r < 0) return NEED_MORE;
        if (isTs) ev.tsState = 2;
        else ev.durState = 2;
        return r;
      }
      if (!isValidToken(buf, p, q)) throw syntaxError('a JSON value', base + p, buf[p]);
      start = p;
      stop = q;
      next = q;
    }
    const ok = readTime(buf, start, stop, out);
    if (isTs) {
      ev.tsState = ok ? 1 : 2;
      ev.tsStart = start;
      ev.tsEnd = stop;
    } else ev.durState = ok ? 1 : 2;
    return next;
  }

  /**
   * Parses the event object at `buf[p]` (a '{'). Returns the position after
   * its '}', or NEED_MORE if the bytes end first. `base` is the absolute
   * offset of `buf[0]`.
   */
  parse(buf: Uint8Array, p: number, end: number, base: number): number {
    const ev = this.ev;
    ev.reset(buf, base);
    this.nameStart = -1;
    p = skipWs(buf, p + 1, end);
    if (p >= end) return NEED_MORE;
    if (buf[p] === RBRACE) return p + 1;
    for (;;) {
      if (buf[p] !== QUOTE) throw syntaxError('a key', base + p, buf[p]);
      const ks = p + 1;
      // Keys are short and plain: try lengths 2-4 directly, else scan.
      let ke = ks;
      if (ks + 4 < end && IN_STRING[buf[ks]] === 0 && IN_STRING[buf[ks + 1]] === 0) {
        if (buf[ks + 2] === QUOTE) ke = ks + 2;
        else if (IN_STRING[buf[ks + 2]] === 0) {
          if (buf[ks + 3] === QUOTE) ke = ks + 3;
          else if (IN_STRING[buf[ks + 3]] === 0 && buf[ks + 4] === QUOTE) ke = ks + 4;
        }
      }
      if (ke === ks) for (;;) {
        while (ke < end && IN_STRING[buf[ke]] === 0) ke++;
        if (ke >= end) return NEED_MORE;
        const c = buf[ke];
        if (c === QUOTE) break;
        ke += c === BACKSLASH ? 2 : 1;
      }
      p = skipWs(buf, ke + 1, end);
      if (p >= end) return NEED_MORE;
      if (buf[p] !== COLON) throw syntaxError("':'", base + p, buf[p]);
      p = skipWs(buf, p + 1, end);
      if (p >= end) return NEED_MORE;
      const klen = ke - ks;
      let q = -2; // -2: not a key we read
      if (klen === 2) {
        const k = buf[ks] | (buf[ks + 1] << 8);
        if (k === K_PH) {
          q = this.codeValue(buf, p, end, base, 0);
        } else if (k === K_TS) {
          q = this.timeValue(buf, p, end, base, ev.ts, true);
        } else if (k === K_ID) {
          q = this.idValue(buf, p, end, base);
        } else if (k === K_BP) {
          q = this.codeValue(buf, p, end, base, 1);
        }
      } else if (klen === 3) {
        const b0 = buf[ks];
        const b1 = buf[ks + 1];
        const b2 = buf[ks + 2];
        if (b0 === 112 && b1 === 105 && b2 === 100) {
          q = this.internValue(this.keys, buf, p, end, base); // pid
          ev.pid = this.valueIndex;
        } else if (b0 === 116 && b1 === 105 && b2 === 100) {
          q = this.internValue(this.keys, buf, p, end, base); // tid
          ev.tid = this.valueIndex;
        } else if (b0 === 99 && b1 === 97 && b2 === 116) {
          q = this.internValue(this.names, buf, p, end, base); // cat
          ev.cat = this.valueIndex;
        } else if (b0 === 100 && b1 === 117 && b2 === 114) {
          q = this.timeValue(buf, p, end, base, ev.dur, false); // dur
        } else if (b0 === 105 && b1 === 100 && b2 === 50 && ev.id < 0 && ev.idNumber < 0) {
          q = this.idValue(buf, p, end, base); // id2
        }
      } else if (klen === 4) {
        const b0 = buf[ks];
        if (b0 === 110 && buf[ks + 1] === 97 && buf[ks + 2] === 109 && buf[ks + 3] === 101) {
          // name: a string is interned once the whole object is read (`finish`), and not for a flow event.
          if (buf[p] === QUOTE) {
            q = this.scanString(buf, p + 1, end);
            if (q >= 0) {
              this.nameStart = p + 1;
              this.nameEnd = q;
              this.nameHash = this.strHash;
              this.nameEscape = this.strEscape;
              this.nameNonAscii = this.strNonAscii;
              q++;
            }
          } else {
            q = this.internValue(this.names, buf, p, end, base);
            ev.name = this.valueIndex;
            this.nameStart = -1;
          }
        } else if (b0 === 97 && buf[ks + 1] === 114 && buf[ks + 2] === 103 && buf[ks + 3] === 115) {
          q = skipValue(buf, p, end, base, this.argsKeys); // args
          if (q >= 0 && buf[p] === LBRACE) {
            if (skipped.depth > MAX_KEPT_DEPTH) ev.argsDropped = ARGS_TOO_DEEP;
            else if (q - p > MAX_ARGS_BYTES) ev.argsDropped = ARGS_TOO_LARGE;
            else {
              ev.argsStart = p;
              ev.argsEnd = q;
              ev.argsNonAscii = skipped.nonAscii;
              ev.argsKeysFound = this.argsKeys?.found ?? 0;
            }
          }
        }
      } else if (klen === 1 && buf[ks] === 115) {
        q = this.codeValue(buf, p, end, base, 2); // s (instant scope)
      }
      if (q === -2) q = skipValue(buf, p, end, base);
      if (q < 0) return NEED_MORE;
      p = skipWs(buf, q, end);
      if (p >= end) return NEED_MORE;
      const c = buf[p];
      if (c === COMMA) {
        p = skipWs(buf, p + 1, end);
        if (p >= end) return NEED_MORE;
        continue;
      }
      if (c === RBRACE) {
        this.finish(buf);
        return p + 1;
      }
      throw syntaxError("',' or '}'", base + p, c);
    }
  }

  // The event's string name, read but not yet interned (nameStart -1: none).
  private nameStart = -1;
  private nameEnd = 0;
  private nameHash = 0;
  private nameEscape = false;
  private nameNonAscii = false;

  /**
   * Interns the name read by `parse`, unless the event is a flow's: nothing
   * reads a flow's name, and torch_npu names each HostToDevice flow after its
   * id (~17 k distinct names per 100 MB, a string each).
   */
  private finish(buf: Uint8Array): void {
    if (this.nameStart < 0) return;
    const ev = this.ev;
    const ph = ev.ph;
    if (ph !== PH_s && ph !== PH_t && ph !== PH_f) ev.name = this.names.internBytes(buf, this.nameStart, this.nameEnd, this.nameHash, this.nameEscape, this.nameNonAscii);
    this.nameStart = -1;
  }

  /** Reads a short string field (ph, bp, s) as a char code. */
  private codeValue(buf: Uint8Array, p: number, end: number, base: number, which: number): number {
    // Nearly always one plain letter ("X"): read it without scanning and hashing.
    if (buf[p] === QUOTE && p + 2 < end && buf[p + 2] === QUOTE && IN_STRING[buf[p + 1]] === 0) {
      const ev = this.ev;
      const code = buf[p + 1];
      if (which === 0) {
        ev.ph = code;
        ev.phStart = p + 1;
        ev.phEnd = p + 2;
      } else if (which === 1) ev.bp = code;
      else ev.scope = code;
      return p + 3;
    }
    if (buf[p] !== QUOTE) {
      const q = skipValue(buf, p, end, base);
      if (q >= 0 && which === 0) {
        this.ev.ph = PH_OTHER;
        this.ev.phStart = p;
        this.ev.phEnd = q;
      }
      return q;
    }
    const q = this.scanString(buf, p + 1, end);
    if (q < 0) return NEED_MORE;
    const code = q - p === 2 ? buf[p + 1] : PH_OTHER;
    const ev = this.ev;
    if (which === 0) {
      ev.ph = q === p + 1 ? PH_OTHER : code;
      ev.phStart = p + 1;
      ev.phEnd = q;
    } else if (which === 1) ev.bp = code;
    else ev.scope = code;
    return q + 1;
  }
}
