/**
 * Reading one file in two parts at once (the upload page's worker and a helper
 * worker; `load.ts` `loadTrace` with `split`, `readTracePart`).
 *
 * The second part starts at a guessed element boundary of the events list
 * (`findSplitPoint`: a `{` after `}` `,`) and is read by a tokenizer started
 * inside the list (`TraceTokenizer.resumeInEvents`). It is used only if the
 * tokenizer that read the first part stops exactly there, between two elements
 * of an events list with nothing carried (`atElementBoundary`): then every byte
 * after the split is read the same way in both, and the part's rows, strings,
 * tracks and state are appended to the first reader's (`absorbPart`) in the
 * order a single reader would have made them: strings are re-interned in the
 * part's first-seen order, tracks made in the part's first-use order, rows
 * appended after the first part's. The model is the one a single reader
 * makes (`split.test.ts` compares them on every shared trace). Otherwise (the
 * guess was inside a string, an args object or a top-level value, or the part
 * failed) the first reader reads the rest itself.
 *
 * Known differences, both about counts in warnings and only when the same odd
 * string is in both parts under different spellings: a name over 64 KiB, or
 * with invalid UTF-8, is counted once per spelling by a single reader; here a
 * string the first part already had is not counted again, whatever its
 * spelling.
 */
import type { TraceBuilder, RawTrack, ProcessMeta, ThreadMeta } from './builder.ts';
import type { TokenizerEnd, TokenizerPart, TraceTokenizer } from './tokenizer.ts';
import type { ArgsTable, LoadWarning } from './model.ts';
import type { ByteInterner } from './intern.ts';
import type { F64Column, I32Column, U8Column } from './columns.ts';
import { COMMA, LBRACE, LBRACKET, RBRACE } from './json-bytes.ts';

/** An interner's strings as plain data, with which of them were cut or held invalid UTF-8. */
export interface InternerPart {
  strings: string[];
  cutAt: number[];
  invalidAt: number[];
}

/** What a helper read from its part of the file: everything a single reader adds from there on, as plain data. */
export interface TracePart {
  tok: TokenizerPart;
  end: TokenizerEnd;
  /** Bytes the part read. */
  bytes: number;
  names: InternerPart;
  keys: InternerPart;
  ids: InternerPart;
  baseUs: number;
  minRel: number;
  maxRel: number;
  originText: string;
  sawStringTimestamp: boolean;
  tracks: RawTrack[];
  x: { track: Int32Array; start: Float64Array; dur: Float64Array; name: Int32Array; cat: Int32Array; args: Int32Array };
  be: { track: Int32Array; ts: Float64Array; begin: Uint8Array; name: Int32Array; cat: Int32Array; args: Int32Array };
  i: { track: Int32Array; ts: Float64Array; name: Int32Array; cat: Int32Array; args: Int32Array };
  counters: { track: Int32Array; ts: Float64Array; value: Float64Array };
  f: {
    ph: Uint8Array; cat: Int32Array; name: Int32Array; id: Int32Array; idNumber: Float64Array;
    pid: Int32Array; tid: Int32Array; ts: Float64Array; enclosing: Uint8Array;
  };
  args: ArgsTable;
  processMeta: [number, ProcessMeta][];
  threadMeta: [number, number, ThreadMeta][];
  events: number;
  phaseCounts: Float64Array;
  otherPhases: [string, number][];
  problems: [LoadWarning['code'], number, [string, number][]][];
}

const PAIR = 4294967296;

/** Views of a column's rows (no copy: the part's buffers are transferred, rows past `length` ride along). */
const rows = <T extends F64Column | I32Column | U8Column>(c: T): T['data'] => c.data.subarray(0, c.length) as T['data'];

const internerPart = (i: ByteInterner): InternerPart => ({ strings: i.strings, cutAt: i.cutAt, invalidAt: i.invalidAt });

/** The part a helper read (`tok` started with `resumeInEvents`, `end` its `end()`), to post to the first reader. */
export function exportPart(tok: TraceTokenizer, b: TraceBuilder, end: TokenizerEnd, bytes: number): TracePart {
  return {
    tok: tok.partState(),
    end,
    bytes,
    names: internerPart(tok.names),
    keys: internerPart(tok.keys),
    ids: internerPart(tok.ids),
    baseUs: b.baseUs,
    minRel: b.minRel,
    maxRel: b.maxRel,
    originText: b.originText,
    sawStringTimestamp: b.sawStringTimestamp,
    tracks: b.tracks,
    x: { track: rows(b.xTrack), start: rows(b.xStart), dur: rows(b.xDur), name: rows(b.xName), cat: rows(b.xCat), args: rows(b.xArgs) },
    be: { track: rows(b.beTrack), ts: rows(b.beTs), begin: rows(b.beBegin), name: rows(b.beName), cat: rows(b.beCat), args: rows(b.beArgs) },
    i: { track: rows(b.iTrack), ts: rows(b.iTs), name: rows(b.iName), cat: rows(b.iCat), args: rows(b.iArgs) },
    counters: { track: rows(b.counters.track), ts: rows(b.counters.ts), value: rows(b.counters.value) },
    f: {
      ph: rows(b.fPh), cat: rows(b.fCat), name: rows(b.fName), id: rows(b.fId), idNumber: rows(b.fIdNumber),
      pid: rows(b.fPid), tid: rows(b.fTid), ts: rows(b.fTs), enclosing: rows(b.fEnclosing),
    },
    args: b.args.finish(),
    processMeta: [...b.processMeta],
    threadMeta: [...b.threadMeta].map(([key, meta]) => [Math.floor(key / PAIR), key % PAIR, meta]),
    events: b.events,
    phaseCounts: b.phaseCounts,
    otherPhases: [...b.otherPhases],
    problems: [...b.problems].map(([code, p]) => [code, p.count, [...p.detail]]),
  };
}

/** The buffers of a part, each once, for postMessage's transfer list. */
export function transferablesOfPart(part: TracePart): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView): void => {
    if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  };
  for (const group of [part.x, part.be, part.i, part.counters, part.f]) for (const a of Object.values(group)) add(a as ArrayBufferView);
  add(part.phaseCounts);
  const t = part.args;
  for (const a of [...t.segments, t.segment, t.start, t.end, ...Object.values(t.keyed)]) add(a);
  return [...out];
}

/**
 * Re-interns a part's strings into `into`, in the part's order; returns the index map. A string `into`
 * already had does not count again as cut or as invalid UTF-8 (a single reader would have found its spelling).
 */
function remapStrings(into: ByteInterner, part: InternerPart): { map: Int32Array; cutAgain: number; invalidAgain: number } {
  const known = new Uint8Array(part.strings.length);
  const map = new Int32Array(part.strings.length);
  part.strings.forEach((s, j) => {
    known[j] = into.find(s) >= 0 ? 1 : 0;
    map[j] = into.internString(s);
  });
  let cutAgain = 0;
  for (const j of part.cutAt) {
    if (known[j]) cutAgain++;
    else into.cutAt.push(map[j]);
  }
  let invalidAgain = 0;
  for (const j of part.invalidAt) {
    if (known[j]) invalidAgain++;
    else into.invalidAt.push(map[j]);
  }
  into.cutCount += part.cutAt.length - cutAgain;
  return { map, cutAgain, invalidAgain };
}

const mapped = (map: Int32Array, v: number): number => (v >= 0 ? map[v] : v);

/**
 * Appends a part read from where `tok` stopped (`tok.atElementBoundary()` at the part's start) to `tok`
 * and `b`, as if they had read it themselves.
 */
export function absorbPart(tok: TraceTokenizer, b: TraceBuilder, part: TracePart): void {
  const names = remapStrings(tok.names, part.names);
  const keys = remapStrings(tok.keys, part.keys);
  const ids = remapStrings(tok.ids, part.ids);
  tok.absorbPart(part.tok, part.tok.invalidCount - names.invalidAgain - keys.invalidAgain - ids.invalidAgain);
  const nameOf = names.map;
  const keyOf = keys.map;

  // Tracks, in the part's first-use order (plain and counter tracks interleaved as made).
  const trackOf = new Int32Array(part.tracks.length);
  part.tracks.forEach((t, j) => {
    if (t.counterName < 0) trackOf[j] = b.trackOf(keyOf[t.pid], keyOf[t.tid]);
    else {
      const pid = keyOf[t.pid];
      const name = nameOf[t.counterName];
      trackOf[j] = b.counters.trackOf(b.counters.seriesOfCounter(pid, name), pid, name, tok.names.find(t.series));
    }
  });

  // Times: onto this reader's provisional base (whole µs apart, so the shift is whole ns).
  if (b.baseUs !== b.baseUs) b.baseUs = part.baseUs;
  const shift = part.baseUs === part.baseUs ? (part.baseUs - b.baseUs) * 1000 : 0;
  const at = (t: number): number => (shift === 0 ? t : t + shift);
  if (part.minRel !== Infinity && at(part.minRel) < b.minRel) {
    b.minRel = at(part.minRel);
    b.originText = part.originText;
  }
  if (part.maxRel !== -Infinity && at(part.maxRel) > b.maxRel) b.maxRel = at(part.maxRel);
  if (part.sawStringTimestamp) b.sawStringTimestamp = true;

  const argsBase = b.args.length;
  const argOf = (a: number): number => (a >= 0 ? a + argsBase : a);
  const { x, be, i, counters, f } = part;
  for (let k = 0; k < x.track.length; k++) {
    b.xTrack.push(trackOf[x.track[k]]);
    b.xStart.push(at(x.start[k]));
    b.xDur.push(x.dur[k]);
    b.xName.push(nameOf[x.name[k]]);
    b.xCat.push(mapped(nameOf, x.cat[k]));
    b.xArgs.push(argOf(x.args[k]));
  }
  for (let k = 0; k < be.track.length; k++) {
    b.beTrack.push(trackOf[be.track[k]]);
    b.beTs.push(at(be.ts[k]));
    b.beBegin.push(be.begin[k]);
    b.beName.push(nameOf[be.name[k]]);
    b.beCat.push(mapped(nameOf, be.cat[k]));
    b.beArgs.push(argOf(be.args[k]));
  }
  for (let k = 0; k < i.track.length; k++) {
    b.iTrack.push(trackOf[i.track[k]]);
    b.iTs.push(at(i.ts[k]));
    b.iName.push(nameOf[i.name[k]]);
    b.iCat.push(mapped(nameOf, i.cat[k]));
    b.iArgs.push(argOf(i.args[k]));
  }
  for (let k = 0; k < counters.track.length; k++) {
    b.counters.track.push(trackOf[counters.track[k]]);
    b.counters.ts.push(at(counters.ts[k]));
    b.counters.value.push(counters.value[k]);
  }
  for (let k = 0; k < f.ph.length; k++) {
    b.fPh.push(f.ph[k]);
    b.fCat.push(mapped(nameOf, f.cat[k]));
    b.fName.push(nameOf[f.name[k]]);
    b.fId.push(mapped(ids.map, f.id[k]));
    b.fIdNumber.push(f.idNumber[k]);
    b.fPid.push(keyOf[f.pid[k]]);
    b.fTid.push(keyOf[f.tid[k]]);
    b.fTs.push(at(f.ts[k]));
    b.fEnclosing.push(f.enclosing[k]);
  }
  b.args.absorb(part.args);

  // Metadata: the part's events came later, so a field it set wins (as the last write does in one reader).
  for (const [pid, meta] of part.processMeta) {
    const key = keyOf[pid];
    b.processMeta.set(key, { ...b.processMeta.get(key), ...definedFields(meta) });
  }
  for (const [pid, tid, meta] of part.threadMeta) {
    const key = keyOf[pid] * PAIR + keyOf[tid];
    b.threadMeta.set(key, { ...b.threadMeta.get(key), ...definedFields(meta) });
  }

  b.events += part.events;
  part.phaseCounts.forEach((n, code) => (b.phaseCounts[code] += n));
  for (const [ph, n] of part.otherPhases) b.otherPhases.set(ph, (b.otherPhases.get(ph) ?? 0) + n);
  for (const [code, count, detail] of part.problems) {
    let p = b.problems.get(code);
    if (!p) b.problems.set(code, (p = { count: 0, detail: new Map() }));
    p.count += count;
    for (const [d, n] of detail) p.detail.set(d, (p.detail.get(d) ?? 0) + n);
  }
}

function definedFields<T extends object>(meta: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(meta)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

const isWs = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * Where a part could start in `window` (bytes of the file from absolute offset `windowStart`): the first
 * `{` whose previous bytes, whitespace aside, are `}` `,` (or `[` `{`… at a list's start); -1 if none. A
 * guess: the reader of the first part checks it (`atElementBoundary`).
 */
export function findSplitPoint(window: Uint8Array, windowStart: number): number {
  for (let p = 1; p < window.length; p++) {
    if (window[p] !== LBRACE) continue;
    let q = p - 1;
    while (q >= 0 && isWs(window[q])) q--;
    if (q < 0) continue;
    if (window[q] === LBRACKET) return windowStart + p;
    if (window[q] !== COMMA) continue;
    q--;
    while (q >= 0 && isWs(window[q])) q--;
    if (q >= 0 && window[q] === RBRACE) return windowStart + p;
  }
  return -1;
}

/** The root's shape from the file's first bytes: true for `[`, false for `{`, null when neither starts it. */
export function rootIsArrayOf(head: Uint8Array): boolean | null {
  let p = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (p < head.length && isWs(head[p])) p++;
  if (head[p] === LBRACKET) return true;
  if (head[p] === LBRACE) return false;
  return null;
}
