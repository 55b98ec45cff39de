/**
 * Turns the builder's raw rows into the TraceModel: picks the importer
 * (detect.ts), lays out processes and tracks, pairs B/E, sorts and nests
 * slices, sorts instants and counters by (track, time), binds flows, and
 * writes the stats and warnings.
 */
import type { CounterTable, InstantTable, LoadStats, LoadWarning, TraceModel } from './model.ts';
import type { TraceBuilder } from './builder.ts';
import type { TokenizerEnd } from './tokenizer.ts';
import type { FormatEvidence } from './importer.ts';
import { detectFormat } from './detect.ts';
import { categoriesByTrack, layoutTracks } from './tables.ts';
import { buildSlices, pairBeginEnd, type NestingRule } from './nesting.ts';
import type { TrackLayout } from './tables.ts';
import { bindFlows } from './flows.ts';
import { normalizeDecimal } from './time.ts';
import { orderByTrackAndTime } from './order.ts';
import { MAX_STRING_BYTES } from './intern.ts';
import { MAX_KEPT_DEPTH } from './json-bytes.ts';

export interface AssembleInput {
  builder: TraceBuilder;
  end: TokenizerEnd;
  bytes: number;
  /** Extra warnings from outside the tokenizer (a cut-off gzip stream ...). */
  extraWarnings: LoadWarning[];
}

/** Device work (GPU and NPU streams, HCCL lanes) nests only inside annotations; host threads by time (nesting.ts). */
const DEVICE_KINDS = new Set(['gpu', 'npu', 'comm']);
function nestingRule(layout: TrackLayout, strings: readonly string[]): NestingRule {
  const n = layout.tracks.length;
  const nestsByTime = new Uint8Array(n);
  for (let t = 0; t < n; t++) nestsByTime[t] = DEVICE_KINDS.has(layout.processes.kind[layout.tracks.process[t]]) ? 0 : 1;
  const memo = new Map<number, boolean>();
  const containerCategory = (cat: number): boolean => {
    let v = memo.get(cat);
    if (v === undefined) memo.set(cat, (v = cat >= 0 && /annotation/i.test(strings[cat] ?? '')));
    return v;
  };
  return { nestsByTime, containerCategory };
}

export function assembleModel({ builder: b, end, bytes, extraWarnings }: AssembleInput): TraceModel {
  const tok = b.tok;
  const hasTime = b.minRel !== Infinity;
  const minRel = hasTime ? b.minRel : 0;

  const firstFromBE = b.xTrack.length;
  const pairing = pairBeginEnd(b);

  const catsByTrack = categoriesByTrack(b);
  const evidence = collectEvidence(b, catsByTrack);
  const choice = detectFormat(evidence);
  const layout = layoutTracks(b, choice.importer, catsByTrack);
  const trackCount = layout.tracks.length;

  const sl = buildSlices(b, layout.trackOfRaw, trackCount, minRel, firstFromBE, nestingRule(layout, b.tok.names.strings));
  layout.tracks.sliceStart = sl.sliceStart;
  layout.tracks.sliceEnd = sl.sliceEnd;
  layout.tracks.maxDepth = sl.maxDepth;

  const instants = buildInstants(b, layout.trackOfRaw, trackCount, minRel);
  const counters = buildCounters(b, layout.trackOfRaw, trackCount, minRel);
  const fl = bindFlows(b, { slices: sl.slices, sliceStart: sl.sliceStart, sliceEnd: sl.sliceEnd }, layout.trackOfRaw, minRel);

  const endNs = hasTime ? Math.round(b.maxRel - minRel) : 0;
  const originUs = hasTime ? (/^-?\d+(\.\d+)?$/.test(b.originText) ? b.originText : normalizeDecimal(b.originText) ?? b.originText) : '0';

  const byPhase: Record<string, number> = {};
  b.phaseCounts.forEach((count, code) => {
    if (count > 0) byPhase[String.fromCharCode(code)] = count;
  });
  for (const [ph, count] of b.otherPhases) byPhase[ph] = (byPhase[ph] ?? 0) + count;

  const warnings: LoadWarning[] = [...extraWarnings];
  if (end.truncated) {
    const message =
      end.droppedBytes > 0
        ? `The file ends early: kept ${b.events} complete events; the last ${end.droppedBytes} bytes (an unfinished event) were dropped.`
        : `The file ends early (the closing brackets are missing); all ${b.events} events were read.`;
    // A cut gzip stream already said so: one warning, both facts.
    const cut = warnings.find((w) => w.code === 'truncated');
    if (cut) cut.message = `${cut.message} ${message}`;
    else warnings.push({ code: 'truncated', message, count: 1 });
  }
  const problem = (code: LoadWarning['code'], text: string): void => {
    const p = b.problems.get(code);
    if (!p) return;
    warnings.push({ code, message: `${p.count} ${text}${details(p.detail)}.`, count: p.count });
  };
  problem('bad-event', 'elements of the events array were not trace events and were skipped');
  problem('bad-timestamp', 'events had a missing, unreadable or out-of-range timestamp and were skipped');
  problem('bad-duration', "complete ('X') events had a missing, negative or huge duration (missing → 0, the others were skipped)");
  problem('args-dropped', 'events had args too big to keep; the events were kept without them');
  if (pairing.unmatchedBegin > 0) {
    warnings.push({ code: 'unmatched-begin', message: `${pairing.unmatchedBegin} 'B' events were never closed by an 'E'; they are shown ending at the end of the trace.`, count: pairing.unmatchedBegin });
  }
  if (pairing.unmatchedEnd > 0) {
    warnings.push({ code: 'unmatched-end', message: `${pairing.unmatchedEnd} 'E' events had no open 'B' on their thread and were ignored.`, count: pairing.unmatchedEnd });
  }
  const noIdFlows = b.problems.get('flow-incomplete')?.count ?? 0;
  const incomplete = fl.incomplete + noIdFlows;
  if (incomplete > 0) {
    const byCat = [...fl.incompleteByCat].map(([c, k]) => `${k} ${c}`);
    if (noIdFlows > 0) byCat.push(`${noIdFlows} without an id`);
    warnings.push({ code: 'flow-incomplete', message: `${incomplete} flow events had no partner with the same id and category (${byCat.join(', ')}).`, count: incomplete });
  }
  if (fl.unbound > 0) {
    warnings.push({ code: 'flow-unbound', message: `${fl.unbound} flow arrows have an end that lies in no slice of its thread.`, count: fl.unbound });
  }
  if (fl.duplicateIds > 0) {
    warnings.push({ code: 'duplicate-id', message: `${fl.duplicateIds} flow ids start more than once; each end was joined to the start just before it.`, count: fl.duplicateIds });
  }
  const long = tok.names.cutCount + tok.keys.cutCount + tok.ids.cutCount;
  if (long > 0) {
    warnings.push({ code: 'long-string', message: `${long} names or ids were longer than ${MAX_STRING_BYTES / 1024} KiB and were cut to that length (shown ending in '…').`, count: long });
  }
  if (tok.text.invalidCount > 0) {
    warnings.push({ code: 'invalid-utf8', message: `${tok.text.invalidCount} strings held invalid UTF-8; the bad bytes show as '\uFFFD'.`, count: tok.text.invalidCount });
  }
  const other = b.problems.get('other');
  if (other) {
    for (const [ph, count] of other.detail) warnings.push({ code: 'other', message: `${count} events of phase '${ph}' were not read (phase not supported).`, count });
  }
  if (sl.improper > 0) {
    warnings.push({ code: 'other', message: `${sl.improper} slices overlap another slice of their track without nesting inside it; they are drawn on the next free row.`, count: sl.improper });
  }
  if (end.trailingBytes > 0) {
    warnings.push({ code: 'other', message: `${end.trailingBytes} bytes after the end of the trace were ignored.`, count: 1 });
  }
  duplicateKeyWarnings(tok, warnings);
  for (const key of tok.metadataTooDeep) {
    warnings.push({ code: 'other', message: `The top-level field "${key}" is nested more than ${MAX_KEPT_DEPTH} levels deep and was not read.`, count: 1 });
  }
  for (const key of tok.metadataSkipped) {
    warnings.push({ code: 'other', message: `The top-level field "${key}" is larger than 64 MB and was not read.`, count: 1 });
  }

  if (b.events > 0 && sl.slices.length === 0 && instants.length === 0 && counters.length === 0) {
    // Not a CPU-only trace: nothing happened at any time. Said once, so that no reader calls it "host only".
    const onlyMetadata = Object.keys(byPhase).every((ph) => ph === 'M');
    warnings.push({
      code: 'no-timed-events',
      message: onlyMetadata
        ? `The file holds ${b.events} events, all metadata (process and thread names, labels, sort order): no event has a time, so there is no timeline.`
        : `The file holds ${b.events} events, but none that the timeline shows (slices, instants, counters): there is no timeline.`,
      count: b.events,
    });
  }
  const stats: LoadStats = {
    bytes,
    events: b.events,
    byPhase,
    droppedBytes: end.droppedBytes,
    truncated: end.truncated,
    warnings,
    formatReason: choice.reason,
  };

  return {
    format: choice.importer.format,
    originUs,
    endNs,
    strings: tok.names.strings,
    processes: layout.processes,
    tracks: layout.tracks,
    slices: sl.slices,
    instants,
    counters,
    flows: fl.flows,
    args: b.args.finish(),
    metadata: tok.metadata,
    stats,
  };
}

/**
 * A top-level key written more than once. "traceEvents" lists are all read and
 * merged (a streaming reader sees each; JSON.parse would keep the last only);
 * for any other key the last value is kept, as JSON.parse does.
 */
function duplicateKeyWarnings(tok: TraceBuilder['tok'], warnings: LoadWarning[]): void {
  const starts = tok.eventsListStarts;
  if (starts.length > 1) {
    const sizes = starts.map((s, i) => (i + 1 < starts.length ? starts[i + 1] : tok.elements) - s);
    warnings.push({
      code: 'duplicate-key',
      message: `The file has ${starts.length} "traceEvents" lists (the key is written ${starts.length} times); all were read and merged (${sizes.join(' + ')} elements). A plain JSON reader (JSON.parse, Python's json) would keep only the last one.`,
      count: starts.length,
      params: { key: 'traceEvents', lists: sizes },
    });
  }
  const seen = new Map<string, number>();
  for (const k of tok.rootKeys) if (k !== 'traceEvents') seen.set(k, (seen.get(k) ?? 0) + 1);
  for (const [k, n] of seen) {
    if (n > 1) warnings.push({ code: 'duplicate-key', message: `The top-level key "${k}" is written ${n} times; the last value was used.`, count: n, params: { key: k } });
  }
}

function details(detail: Map<string, number>): string {
  const parts = [...detail].filter(([k]) => k !== '').map(([k, v]) => `${v} ${k}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function collectEvidence(b: TraceBuilder, catsByTrack: Set<number>[]): FormatEvidence {
  const catIdx = new Set<number>();
  for (const s of catsByTrack) for (const c of s) catIdx.add(c);
  for (let i = 0; i < b.fCat.length; i++) if (b.fCat.data[i] >= 0) catIdx.add(b.fCat.data[i]);
  const processNames: string[] = [];
  const processLabels: string[] = [];
  for (const meta of b.processMeta.values()) {
    if (meta.name !== undefined) processNames.push(meta.name);
    if (meta.label !== undefined) processLabels.push(meta.label);
  }
  return {
    rootKeys: b.tok.rootKeys,
    rootIsArray: b.tok.rootIsArray === true,
    processNames,
    processLabels,
    cats: [...catIdx].map((c) => b.tok.names.strings[c]),
    stringTimestamps: b.sawStringTimestamp,
  };
}

/** Final track of each raw row. */
function finalTracks(rawTrack: Int32Array, n: number, trackOfRaw: Int32Array): Int32Array {
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = trackOfRaw[rawTrack[i]];
  return t;
}

function buildInstants(b: TraceBuilder, trackOfRaw: Int32Array, trackCount: number, minRel: number): InstantTable {
  const n = b.iTrack.length;
  const track = finalTracks(b.iTrack.data, n, trackOfRaw);
  const order = orderByTrackAndTime(track, b.iTs.data, n, trackCount);
  const t: InstantTable = {
    length: n,
    track: new Int32Array(n),
    tsNs: new Float64Array(n),
    name: new Int32Array(n),
    cat: new Int32Array(n),
    args: new Int32Array(n),
  };
  for (let k = 0; k < n; k++) {
    const i = order[k];
    t.track[k] = track[i];
    t.tsNs[k] = Math.round(b.iTs.data[i] - minRel);
    t.name[k] = b.iName.data[i];
    t.cat[k] = b.iCat.data[i];
    t.args[k] = b.iArgs.data[i];
  }
  return t;
}

function buildCounters(b: TraceBuilder, trackOfRaw: Int32Array, trackCount: number, minRel: number): CounterTable {
  const c = b.counters;
  const n = c.track.length;
  const track = finalTracks(c.track.data, n, trackOfRaw);
  const order = orderByTrackAndTime(track, c.ts.data, n, trackCount);
  const t: CounterTable = { length: n, track: new Int32Array(n), tsNs: new Float64Array(n), value: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const i = order[k];
    t.track[k] = track[i];
    t.tsNs[k] = Math.round(c.ts.data[i] - minRel);
    t.value[k] = c.value.data[i];
  }
  return t;
}
