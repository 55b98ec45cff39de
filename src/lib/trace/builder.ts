/**
 * The tokenizer's sink: turns each raw event into rows of growable typed
 * columns (no object per event), keeps metadata events aside, and tracks the
 * earliest timestamp. `assemble.ts` later sorts, pairs and binds these rows
 * into the TraceModel.
 *
 * Times are stored relative to a provisional base (the integer µs of the first
 * timestamp read): (usInt − base)·1000 + nsFrac is exact in a float64 for any
 * trace shorter than ~104 days, and the true origin (the minimum) is
 * subtracted once at the end.
 */
import { F64Column, I32Column, U8Column, reserveColumns } from './columns.ts';
import { ArgsBuilder } from './args.ts';
import type { LoadWarning } from './model.ts';
import type { EventSink, RawEvent, TraceTokenizer } from './tokenizer.ts';
import type { TimeParts } from './decimal.ts';
import { CounterRows } from './counters.ts';
import { ARGS_TOO_DEEP, MAX_ARGS_BYTES } from './event-parser.ts';
import { MAX_KEPT_DEPTH } from './json-bytes.ts';

const PH = (c: string): number => c.charCodeAt(0);
const PH_X = PH('X');
const PH_B = PH('B');
const PH_E = PH('E');
const PH_i = PH('i');
const PH_I = PH('I');
const PH_R = PH('R');
const PH_C = PH('C');
const PH_s = PH('s');
const PH_t = PH('t');
const PH_f = PH('f');
const PH_M = PH('M');
const BP_e = PH('e');

/** A (pid, tid) or counter series that owns rows; becomes a model track. */
export interface RawTrack {
  /** `keys` interner indexes. */
  pid: number;
  tid: number;
  /** For counter tracks: the counter name (names index) and series; else -1 / ''. */
  counterName: number;
  series: string;
}

export interface ProcessMeta {
  name?: string;
  label?: string;
  sortIndex?: number;
}

export interface ThreadMeta {
  name?: string;
  sortIndex?: number;
}

type WarningCode = LoadWarning['code'];

export class TraceBuilder implements EventSink {
  readonly tok: TraceTokenizer;
  // Time.
  private baseUs = NaN;
  minRel = Infinity;
  maxRel = -Infinity;
  originText = '';
  sawStringTimestamp = false;
  // Tracks.
  readonly tracks: RawTrack[] = [];
  private readonly trackByKey = new Map<number, number>();
  private lastPid = -2;
  private lastTid = -2;
  private lastTrack = -1;
  // X slices (and, after pairing, B/E slices).
  readonly xTrack = new I32Column();
  readonly xStart = new F64Column();
  readonly xDur = new F64Column();
  readonly xName = new I32Column();
  readonly xCat = new I32Column();
  readonly xArgs = new I32Column();
  // B/E events, paired in assemble.ts.
  readonly beTrack = new I32Column(64);
  readonly beTs = new F64Column(64);
  readonly beBegin = new U8Column(64);
  readonly beName = new I32Column(64);
  readonly beCat = new I32Column(64);
  readonly beArgs = new I32Column(64);
  // Instants.
  readonly iTrack = new I32Column(64);
  readonly iTs = new F64Column(64);
  readonly iName = new I32Column(64);
  readonly iCat = new I32Column(64);
  readonly iArgs = new I32Column(64);
  // Counter samples.
  readonly counters: CounterRows;
  // Flow events (bound after slices are sorted).
  readonly fPh = new U8Column(256);
  readonly fCat = new I32Column(256);
  /** Interned id (`tok.ids`), or -1 with the id in `fIdNumber`. */
  readonly fId = new I32Column(256);
  readonly fIdNumber = new F64Column(256);
  readonly fPid = new I32Column(256);
  readonly fTid = new I32Column(256);
  readonly fTs = new F64Column(256);
  readonly fEnclosing = new U8Column(256);
  /** Raw args bytes; rows refer to them by index. */
  readonly args: ArgsBuilder;
  // Metadata.
  readonly processMeta = new Map<number, ProcessMeta>();
  readonly threadMeta = new Map<number, ThreadMeta>();
  // Counts.
  events = 0;
  readonly phaseCounts = new Float64Array(128);
  readonly otherPhases = new Map<string, number>();
  readonly problems = new Map<WarningCode, { count: number; detail: Map<string, number> }>();

  private readonly emptyName: number;
  private readonly emptyKey: number;
  private readonly mProcessName: number;
  private readonly mProcessLabels: number;
  private readonly mProcessSort: number;
  private readonly mThreadName: number;
  private readonly mThreadSort: number;

  constructor(tok: TraceTokenizer) {
    this.tok = tok;
    this.args = new ArgsBuilder(tok.argsKeys?.keys ?? []);
    this.counters = new CounterRows(tok, this.tracks);
    this.emptyName = tok.names.internString('');
    this.emptyKey = tok.keys.internString('');
    this.mProcessName = tok.names.internString('process_name');
    this.mProcessLabels = tok.names.internString('process_labels');
    this.mProcessSort = tok.names.internString('process_sort_index');
    this.mThreadName = tok.names.internString('thread_name');
    this.mThreadSort = tok.names.internString('thread_sort_index');
  }

  /** Records a problem; `detail` groups the message (e.g. by phase or category). */
  problem(code: WarningCode, detail = ''): void {
    let p = this.problems.get(code);
    if (!p) this.problems.set(code, (p = { count: 0, detail: new Map() }));
    p.count++;
    p.detail.set(detail, (p.detail.get(detail) ?? 0) + 1);
  }

  badElement(): void {
    this.problem('bad-event', 'not an object');
  }

  event(ev: RawEvent): void {
    const ph = ev.ph;
    let phText = '';
    if (ph > 0 && ph < 128) this.phaseCounts[ph]++;
    else if (ph !== 0) {
      // A ph is one letter; an odd one is shown in a warning, so cut it short.
      phText = ph > 0 ? String.fromCharCode(ph) : this.tok.text.decode(ev.buf, ev.phStart, Math.min(ev.phEnd, ev.phStart + 32), true);
      this.otherPhases.set(phText, (this.otherPhases.get(phText) ?? 0) + 1);
    } else {
      this.problem('bad-event', "no 'ph'");
      return;
    }
    this.events++;
    if (ph === PH_M) return this.metadataEvent(ev);
    if (ev.tsState !== 1) {
      this.problem('bad-timestamp', ev.tsState === 0 ? 'missing' : 'not a number');
      return;
    }
    if (ev.ts.imprecise) {
      // Beyond ±2^53 µs (285 years) is no clock reading, and one such value
      // would stretch the trace's span to centuries: skip the event.
      this.problem('bad-timestamp', 'beyond ±2^53 µs');
      return;
    }
    const ts = this.rel(ev.ts);
    if (ts < this.minRel) {
      this.minRel = ts;
      this.originText = this.tok.text.decode(ev.buf, ev.tsStart, ev.tsEnd, true).trim();
    }
    if (!this.sawStringTimestamp && ev.buf[ev.tsStart - 1] === 34) this.sawStringTimestamp = true;
    if (ts > this.maxRel) this.maxRel = ts;
    if (ph === PH_X) {
      let dur = 0;
      if (ev.durState === 1) dur = ev.dur.usInt * 1000 + ev.dur.nsFrac;
      else this.problem('bad-duration', ev.durState === 0 ? 'missing' : 'not a number');
      if (!(dur >= 0)) {
        this.problem('bad-duration', 'negative');
        return;
      }
      if (ev.durState === 1 && ev.dur.imprecise) {
        this.problem('bad-duration', 'beyond 2^53 µs');
        return;
      }
      const end = ts + dur;
      if (end > this.maxRel) this.maxRel = end;
      this.xTrack.push(this.trackOf(ev.pid, ev.tid));
      this.xStart.push(ts);
      this.xDur.push(dur);
      this.xName.push(ev.name < 0 ? this.emptyName : ev.name);
      this.xCat.push(ev.cat);
      this.xArgs.push(this.argsOf(ev));
    } else if (ph === PH_B || ph === PH_E) {
      this.beTrack.push(this.trackOf(ev.pid, ev.tid));
      this.beTs.push(ts);
      this.beBegin.push(ph === PH_B ? 1 : 0);
      this.beName.push(ev.name < 0 ? this.emptyName : ev.name);
      this.beCat.push(ev.cat);
      this.beArgs.push(this.argsOf(ev));
    } else if (ph === PH_i || ph === PH_I || ph === PH_R) {
      this.iTrack.push(this.trackOf(ev.pid, ev.tid));
      this.iTs.push(ts);
      this.iName.push(ev.name < 0 ? this.emptyName : ev.name);
      this.iCat.push(ev.cat);
      this.iArgs.push(this.argsOf(ev));
    } else if (ph === PH_s || ph === PH_t || ph === PH_f) {
      if (ev.id < 0 && ev.idNumber < 0) {
        this.problem('flow-incomplete', 'no id');
        return;
      }
      this.fPh.push(ph);
      this.fCat.push(ev.cat);
      this.fId.push(ev.id);
      this.fIdNumber.push(ev.idNumber);
      this.fPid.push(ev.pid < 0 ? this.emptyKey : ev.pid);
      this.fTid.push(ev.tid < 0 ? this.emptyKey : ev.tid);
      this.fTs.push(ts);
      this.fEnclosing.push(ph !== PH_f || ev.bp === BP_e ? 1 : 0);
    } else if (ph === PH_C) {
      this.counterEvent(ev, ts);
    } else {
      this.problem('other', phText || String.fromCharCode(ph));
    }
  }

  private rel(t: TimeParts): number {
    if (this.baseUs !== this.baseUs) this.baseUs = t.usInt;
    return (t.usInt - this.baseUs) * 1000 + t.nsFrac;
  }

  /**
   * Room in every row column for `factor` times the rows so far, `factor` being how much more input is
   * expected than was read (load.ts, once a sixteenth of a file of known size is in). An estimate:
   * a column that outgrows it doubles as before. `maxRows` caps it (load.ts: one row per MIN_EVENT_BYTES of file).
   */
  reserveFor(factor: number, maxRows: number): void {
    reserveColumns([...Object.values(this), ...Object.values(this.counters)], factor, maxRows);
    this.args.reserveFor(factor, maxRows);
  }

  /** Stores the event's raw args bytes (decoded when read, args.ts) and returns their index. */
  private argsOf(ev: RawEvent): number {
    if (ev.argsDropped !== 0) {
      this.problem('args-dropped', ev.argsDropped === ARGS_TOO_DEEP ? `nested deeper than ${MAX_KEPT_DEPTH} levels` : `larger than ${MAX_ARGS_BYTES / 2 ** 20} MiB`);
      return -1;
    }
    if (ev.argsStart < 0 || ev.argsEnd - ev.argsStart <= 2) return -1; // absent or "{}"
    // Decoded once here only to count invalid UTF-8 (rare: ASCII needs no check).
    if (ev.argsNonAscii) this.tok.text.decode(ev.buf, ev.argsStart, ev.argsEnd, true);
    return this.args.add(ev.buf, ev.argsStart, ev.argsEnd, ev.argsKeysFound, this.tok.argsKeys?.at);
  }

  private argsObject(ev: RawEvent): Record<string, unknown> | null {
    if (ev.argsStart < 0) return null;
    try {
      const v = JSON.parse(this.tok.text.decode(ev.buf, ev.argsStart, ev.argsEnd, ev.argsNonAscii)) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  /** The raw track of (pid, tid), created on first use. */
  trackOf(pid: number, tid: number): number {
    if (pid < 0) pid = this.emptyKey;
    if (tid < 0) tid = this.emptyKey;
    if (pid === this.lastPid && tid === this.lastTid) return this.lastTrack;
    const key = pid * 4294967296 + tid;
    let t = this.trackByKey.get(key);
    if (t === undefined) {
      t = this.tracks.length;
      this.tracks.push({ pid, tid, counterName: -1, series: '' });
      this.trackByKey.set(key, t);
    }
    this.lastPid = pid;
    this.lastTid = tid;
    this.lastTrack = t;
    return t;
  }

  /** The raw track of (pid, tid) if any event made one, else -1 (flows do not make tracks). */
  findTrack(pid: number, tid: number): number {
    return this.trackByKey.get(pid * 4294967296 + tid) ?? -1;
  }

  private counterEvent(ev: RawEvent, ts: number): void {
    const pid = ev.pid < 0 ? this.emptyKey : ev.pid;
    let name = ev.name < 0 ? this.emptyName : ev.name;
    // Chrome: a counter with an id is a separate counter named "name id".
    if (ev.id >= 0 || ev.idNumber >= 0) {
      const id = ev.id >= 0 ? this.tok.ids.textAt(ev.id) : String(ev.idNumber);
      name = this.tok.names.internString(`${this.tok.names.strings[name]} ${id}`);
    }
    if (!this.counters.add(ev, ts, pid, name)) this.problem('bad-event', 'counter without args');
  }

  private metadataEvent(ev: RawEvent): void {
    const kind = ev.name;
    const isProcess = kind === this.mProcessName || kind === this.mProcessLabels || kind === this.mProcessSort;
    const isThread = kind === this.mThreadName || kind === this.mThreadSort;
    if (!isProcess && !isThread) return; // num_cpus, trace_buffer_overflowed ...: not used
    const args = this.argsObject(ev);
    if (!args) return;
    const pid = ev.pid < 0 ? this.emptyKey : ev.pid;
    if (isProcess) {
      let meta = this.processMeta.get(pid);
      if (!meta) this.processMeta.set(pid, (meta = {}));
      if (kind === this.mProcessName && typeof args.name === 'string') meta.name = args.name;
      else if (kind === this.mProcessLabels && typeof args.labels === 'string') meta.label = args.labels;
      else if (kind === this.mProcessSort && typeof args.sort_index === 'number') meta.sortIndex = args.sort_index;
    } else {
      const tid = ev.tid < 0 ? this.emptyKey : ev.tid;
      const key = pid * 4294967296 + tid;
      let meta = this.threadMeta.get(key);
      if (!meta) this.threadMeta.set(key, (meta = {}));
      if (kind === this.mThreadName && typeof args.name === 'string') meta.name = args.name;
      else if (kind === this.mThreadSort && typeof args.sort_index === 'number') meta.sortIndex = args.sort_index;
    }
  }

  threadMetaOf(pid: number, tid: number): ThreadMeta | undefined {
    return this.threadMeta.get(pid * 4294967296 + tid);
  }
}
