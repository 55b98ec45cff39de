/**
 * Streaming tokenizer for Chrome Trace Event JSON, fed Uint8Array chunks.
 *
 * Why not JSON.parse: V8 strings stop near 512 MB, JSON.parse needs the whole
 * text plus an object per event (several times the file in memory), and one
 * cut-off byte loses everything. This scanner reads bytes once, extracts only
 * the fields an event needs (event-parser.ts), hands each event to a sink
 * through one reused `RawEvent`, and keeps going across chunk boundaries by
 * carrying the one unfinished unit (event, key or value) into the next chunk.
 *
 * Accepted shapes (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU):
 * `[event, ...]` (closing bracket optional, as the spec allows) and
 * `{"traceEvents": [...], otherKey: value, ...}`; other top-level values are
 * kept as parsed metadata. Separators between events are read leniently
 * (missing or doubled commas, a trailing comma) since hand-made and cut-off
 * traces have them.
 */
import { TraceLoadError } from './errors.ts';
import type { ByteInterner, Utf8Text } from './intern.ts';
import { U8Column } from './columns.ts';
import { COLON, COMMA, KeyIndex, LBRACE, LBRACKET, MAX_KEPT_DEPTH, QUOTE, RBRACE, RBRACKET, ValueExtent, describeByte, isTokenByte, isValidToken, skipValue, skipWs, skipped, syntaxError } from './json-bytes.ts';
import { EventParser, type RawEvent } from './event-parser.ts';

export { PH_OTHER, RawEvent } from './event-parser.ts';

export interface EventSink {
  /** One complete event object. */
  event(ev: RawEvent): void;
  /** An element of the events array that is not an object. */
  badElement(position: number): void;
}

// Top-level states.
const START = 0;
const OBJ_KEY = 1; // in the root object, before a key (or '}')
const OBJ_COLON = 2;
const OBJ_VALUE = 3;
const OBJ_NEXT = 4; // after a root value: ',' or '}'
const EVENTS = 5; // inside the events array
const DONE = 6;

// What a carried unit is.
const UNIT_NONE = 0;
const UNIT_EVENT = 1;
const UNIT_KEY = 2;
const UNIT_VALUE = 3;
const UNIT_BAD = 4;

/** Root values larger than this are skipped (a warning says so), not parsed. */
const MAX_METADATA_BYTES = 64 * 1024 * 1024;

export interface TokenizerEnd {
  /** The input stopped before the JSON did. */
  truncated: boolean;
  /** Bytes of the unfinished unit at the end, not read. */
  droppedBytes: number;
  /** Bytes after the end of the root value (ignored). */
  trailingBytes: number;
}

export class TraceTokenizer {
  private readonly parser = new EventParser();
  /** The args keys whose values are noted at load (`LoadOptions.argsKeys`), or undefined for none. */
  readonly argsKeys: KeyIndex | undefined;
  readonly text: Utf8Text = this.parser.text;
  /** Event names, categories and metadata strings: the model's `strings`. */
  readonly names: ByteInterner = this.parser.names;
  /** pid and tid text. */
  readonly keys: ByteInterner = this.parser.keys;
  /** Flow and counter `id` / `id2` text. */
  readonly ids: ByteInterner = this.parser.ids;
  /** Top-level fields besides traceEvents, parsed. */
  readonly metadata: Record<string, unknown> = {};
  readonly metadataSkipped: string[] = [];
  /** Top-level fields nested deeper than MAX_KEPT_DEPTH, not parsed. */
  readonly metadataTooDeep: string[] = [];
  /** Top-level keys in file order (traceEvents included), for format detection. */
  readonly rootKeys: string[] = [];
  /** Whether the root is an array (true), an object (false), or not seen yet (null). */
  rootIsArray: boolean | null = null;
  sawEventsArray = false;
  /** `elements` when each "traceEvents" list began: more than one when the key is written twice. */
  readonly eventsListStarts: number[] = [];
  /** Elements of the events array read so far (objects or not). */
  elements = 0;
  /** Absolute end offset of the last complete element. */
  lastElementEnd = 0;

  /** Receives the events; set it before the first push. */
  sink: EventSink = { event() {}, badElement() {} };
  private state = START;
  private base = 0; // absolute offset of the current chunk's first byte
  private key = '';
  private trailing = 0;
  private bomChecked = false;
  // The unit carried across chunks.
  private unit = UNIT_NONE;
  private unitStart = 0; // absolute
  private readonly carry = new U8Column(1 << 16);
  private carryDiscarded = false;
  private readonly extent = new ValueExtent();

  /** `argsKeys`: top-level args keys whose value offsets are noted as each event's args are read (KeyIndex). */
  constructor(argsKeys: readonly string[] = []) {
    this.argsKeys = argsKeys.length ? new KeyIndex(argsKeys) : undefined;
    this.parser.argsKeys = this.argsKeys;
  }

  /** Bytes consumed so far. */
  get position(): number {
    return this.base;
  }

  /** Reads one chunk. Throws TraceLoadError on a syntax error. */
  push(chunk: Uint8Array): void {
    let p = 0;
    const end = chunk.length;
    if (!this.bomChecked && end > 0) {
      if (this.base === 0 && end >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) p = 3;
      this.bomChecked = true;
    }
    if (this.unit !== UNIT_NONE) {
      p = this.continueUnit(chunk, end);
      if (p < 0) {
        this.base += end;
        return;
      }
    }
    this.run(chunk, p, end);
    this.base += end;
  }

  /** Ends the input; says whether it was complete. */
  end(): TokenizerEnd {
    let dropped = 0;
    if (this.unit !== UNIT_NONE) {
      // A bare token (number) at the very end is complete once the input ends.
      if (this.unit === UNIT_VALUE && this.carry.length > 0 && isTokenByte(this.carry.data[0])) {
        this.finishUnit();
      } else {
        dropped = this.base - this.unitStart;
        this.unit = UNIT_NONE;
      }
    }
    const truncated = this.state !== DONE && !(this.state === START && this.rootIsArray === null);
    return { truncated, droppedBytes: dropped, trailingBytes: this.trailing };
  }

  // ---- top level ---------------------------------------------------------

  private run(buf: Uint8Array, p: number, end: number): void {
    while (p < end) {
      if (this.state === EVENTS) {
        p = this.runEvents(buf, p, end);
        continue;
      }
      p = skipWs(buf, p, end);
      if (p >= end) return;
      const b = buf[p];
      switch (this.state) {
        case START:
          if (b === LBRACKET) {
            this.rootIsArray = true;
            this.sawEventsArray = true;
            this.state = EVENTS;
            p++;
          } else if (b === LBRACE) {
            this.rootIsArray = false;
            this.state = OBJ_KEY;
            p++;
          } else {
            throw this.rootError(buf, p);
          }
          break;
        case OBJ_KEY:
          if (b === RBRACE) {
            this.state = DONE;
            p++;
          } else if (b === COMMA) {
            p++;
          } else if (b === QUOTE) {
            const q = this.parser.scanString(buf, p + 1, end);
            if (q < 0) return this.startUnit(UNIT_KEY, buf, p, end);
            this.key = this.text.decodeJsonString(buf, p + 1, q, this.parser.strEscape, this.parser.strNonAscii);
            this.rootKeys.push(this.key);
            this.state = OBJ_COLON;
            p = q + 1;
          } else throw syntaxError('a key or \'}\'', this.base + p, b);
          break;
        case OBJ_COLON:
          if (b !== COLON) throw syntaxError("':'", this.base + p, b);
          this.state = OBJ_VALUE;
          p++;
          break;
        case OBJ_VALUE:
          if (this.key === 'traceEvents' && b === LBRACKET) {
            this.sawEventsArray = true;
            this.eventsListStarts.push(this.elements);
            this.state = EVENTS;
            p++;
          } else {
            const q = skipValue(buf, p, end, this.base);
            if (q < 0) return this.startUnit(UNIT_VALUE, buf, p, end);
            this.storeMetadata(buf, p, q, this.base + p, skipped.depth);
            this.state = OBJ_NEXT;
            p = q;
          }
          break;
        case OBJ_NEXT:
          if (b === COMMA) this.state = OBJ_KEY;
          else if (b === RBRACE) this.state = DONE;
          else throw syntaxError("',' or '}'", this.base + p, b);
          p++;
          break;
        case DONE:
          // Bytes after the root value: counted and reported, not fatal.
          this.trailing += end - p;
          return;
      }
    }
  }

  private rootError(buf: Uint8Array, p: number): TraceLoadError {
    const b = buf[p];
    const position = this.base + p;
    const firstByte = describeByte(b);
    if (b === QUOTE || (b >= 48 && b <= 57) || b === 45 || b === 116 || b === 102 || b === 110) {
      return new TraceLoadError('not-a-trace', 'The file is JSON, but its top level is not an array or an object of trace events.', position);
    }
    if (b === 0x3c) return new TraceLoadError('not-json', `The file does not start like JSON (first byte ${firstByte}); it looks like HTML or XML.`, position, { firstByte, looksLike: 'html' });
    return new TraceLoadError('not-json', `The file does not start like JSON (first byte ${firstByte}).`, position, { firstByte });
  }

  /** The hot loop: events one after another. Returns where it stopped. */
  private runEvents(buf: Uint8Array, p: number, end: number): number {
    while (p < end) {
      const b = buf[p];
      if (b === LBRACE) {
        const q = this.parser.parse(buf, p, end, this.base);
        if (q < 0) {
          this.startUnit(UNIT_EVENT, buf, p, end);
          return end;
        }
        this.elements++;
        this.lastElementEnd = this.base + q;
        this.sink.event(this.parser.ev);
        p = q;
      } else if (b === 32 || b === 10 || b === 13 || b === 9 || b === COMMA) {
        p++;
      } else if (b === RBRACKET) {
        this.state = this.rootIsArray ? DONE : OBJ_NEXT;
        return p + 1;
      } else {
        const q = skipValue(buf, p, end, this.base);
        if (q < 0) {
          this.startUnit(UNIT_BAD, buf, p, end);
          return end;
        }
        this.elements++;
        this.lastElementEnd = this.base + q;
        this.sink.badElement(this.base + p);
        p = q;
      }
    }
    return p;
  }

  // ---- units carried across chunks ---------------------------------------

  private startUnit(unit: number, buf: Uint8Array, p: number, end: number): void {
    this.unit = unit;
    this.unitStart = this.base + p;
    this.carry.clear();
    this.carryDiscarded = false;
    this.extent.begin(buf[p]);
    // Bring the resumable scanner up to the chunk's end; the unit cannot end here.
    const q = this.extent.feed(buf, p, end, this.base, true);
    if (q >= 0) throw new Error('tokenizer: unit ended inside the chunk it was carried from');
    this.carry.append(buf, p, end);
  }

  /** Feeds the next chunk to the carried unit; returns where the chunk continues, or -1. */
  private continueUnit(buf: Uint8Array, end: number): number {
    const q = this.extent.feed(buf, 0, end, this.base, false);
    const upto = q < 0 ? end : q;
    if (this.unit === UNIT_VALUE && this.carry.length + upto > MAX_METADATA_BYTES) this.carryDiscarded = true;
    if (!this.carryDiscarded) this.carry.append(buf, 0, upto);
    if (q < 0) return -1;
    this.finishUnit();
    return q;
  }

  private finishUnit(): void {
    const unit = this.unit;
    this.unit = UNIT_NONE;
    const data = this.carry.data;
    const n = this.carry.length;
    const base = this.unitStart;
    if (unit === UNIT_EVENT) {
      const q = this.parser.parse(data, 0, n, base);
      if (q !== n) throw syntaxError("'}'", base + Math.max(q, 0));
      this.elements++;
      this.lastElementEnd = base + n;
      this.sink.event(this.parser.ev);
    } else if (unit === UNIT_KEY) {
      const q = this.parser.scanString(data, 1, n);
      this.key = this.text.decodeJsonString(data, 1, q, this.parser.strEscape, this.parser.strNonAscii);
      this.rootKeys.push(this.key);
      this.state = OBJ_COLON;
    } else if (unit === UNIT_VALUE) {
      if (this.carryDiscarded) this.metadataSkipped.push(this.key);
      else {
        if (!isTokenByte(data[0]) || isValidToken(data, 0, n)) this.storeMetadata(data, 0, n, base, this.extent.deepest);
        else throw syntaxError('a JSON value', base, data[0]);
      }
      this.state = OBJ_NEXT;
    } else if (unit === UNIT_BAD) {
      if (isTokenByte(data[0]) && !isValidToken(data, 0, n)) throw syntaxError('a JSON value', base, data[0]);
      this.elements++;
      this.lastElementEnd = base + n;
      this.sink.badElement(base);
    }
    this.carry.clear();
  }

  private storeMetadata(buf: Uint8Array, start: number, end: number, position: number, depth: number): void {
    if (end - start > MAX_METADATA_BYTES) {
      this.metadataSkipped.push(this.key);
      return;
    }
    if (depth > MAX_KEPT_DEPTH) {
      this.metadataTooDeep.push(this.key);
      return;
    }
    const text = this.text.decode(buf, start, end, true);
    try {
      this.metadata[this.key] = JSON.parse(text) as unknown;
    } catch {
      throw new TraceLoadError('syntax', `JSON syntax error in the top-level field "${this.key}"`, position);
    }
  }
}
