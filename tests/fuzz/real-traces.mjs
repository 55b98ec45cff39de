// Fuzz inputs made from the real traces in ../shared/traces (skipped, with a
// printed reason, when absent): a window of a real trace's events (its
// metadata events always kept, so that the format detection and the
// detectors see real Kineto / torch_npu structure), then mutated the way
// real files go wrong: fields dropped or set to odd values, phases swapped,
// ids reused, bytes flipped, cut or spliced. The property: the loader
// returns a model or a TraceLoadError, the model's invariants hold, the
// analysis (every detector) runs on it without throwing, and the same bytes
// in other chunk sizes give the same outcome.
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { SHARED_TRACES, SHARED_TRACE_FILES, sharedText } from '../../src/lib/trace/test-support/shared.ts';
import { chunkedStream, loadOutcome } from '../../src/lib/trace/test-support/arbitraries.ts';
import { analysisReport } from '../../src/lib/analysis/report.ts';

/** Each real trace parsed once: its metadata events and the rest, per file. */
export function realTraces() {
  if (!existsSync(SHARED_TRACES)) return { traces: [], reason: `${SHARED_TRACES} not found` };
  const traces = SHARED_TRACE_FILES.filter((rel) => existsSync(`${SHARED_TRACES}/${rel}`)).map((rel) => {
    const json = JSON.parse(sharedText(rel));
    const events = Array.isArray(json) ? json : json.traceEvents;
    const root = Array.isArray(json) ? null : Object.fromEntries(Object.entries(json).filter(([k]) => k !== 'traceEvents'));
    return { rel, root, meta: events.filter((e) => e?.ph === 'M'), events: events.filter((e) => e?.ph !== 'M') };
  });
  return { traces, reason: '' };
}

const oddValue = fc.constantFrom(null, -1, 0, 1e300, -1e300, '', 'NaN', '1e309', [], {}, true, 'x'.repeat(300), 2 ** 53 + 1, '0x1f');
const fieldMutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  field: fc.constantFrom('ph', 'ts', 'dur', 'pid', 'tid', 'name', 'cat', 'id', 'args', 'bp', 's'),
  op: fc.constantFrom('drop', 'odd', 'swap-ph', 'reuse-id', 'copy-ts'),
  value: oddValue,
});
const byteMutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  op: fc.constantFrom('flip', 'cut', 'delete', 'insert'),
  xor: fc.integer({ min: 1, max: 255 }),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
});

function mutateEvents(events, mutations) {
  const out = events.map((e) => ({ ...e }));
  if (out.length === 0) return out;
  for (const m of mutations) {
    const i = Math.floor(m.at * out.length);
    const e = out[i];
    if (m.op === 'drop') delete e[m.field];
    else if (m.op === 'odd') e[m.field] = m.value;
    else if (m.op === 'swap-ph') e.ph = ['B', 'E', 'X', 'i', 's', 'f', 't', 'C', 'M', 'b', 'e'][i % 11];
    else if (m.op === 'reuse-id') e.id = out[(i * 7) % out.length].id ?? 1;
    else if (m.op === 'copy-ts') e.ts = out[(i * 13) % out.length].ts;
  }
  return out;
}

function mutateBytes(bytes, m) {
  const at = Math.floor(m.at * bytes.length);
  if (m.op === 'cut') return bytes.slice(0, at);
  if (m.op === 'flip') {
    const out = bytes.slice();
    out[at] ^= m.xor;
    return out;
  }
  if (m.op === 'delete') return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + 1 + (m.xor % 16))]);
  return new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
}

/** A mutated window of one real trace, as bytes. */
export function mutatedRealTraceArbitrary(traces) {
  return fc
    .record({
      trace: fc.integer({ min: 0, max: traces.length - 1 }),
      from: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      count: fc.integer({ min: 1, max: 400 }),
      fields: fc.array(fieldMutation, { maxLength: 6 }),
      bytes: fc.array(byteMutation, { maxLength: 2 }),
      indent: fc.constantFrom(undefined, 1),
    })
    .map(({ trace, from, count, fields, bytes, indent }) => {
      const t = traces[trace];
      const start = Math.floor(from * t.events.length);
      const events = [...t.meta, ...mutateEvents(t.events.slice(start, start + count), fields)];
      const text = JSON.stringify(t.root ? { ...t.root, traceEvents: events } : events, null, indent);
      return { rel: t.rel, bytes: bytes.reduce(mutateBytes, new TextEncoder().encode(text)) };
    });
}

function check(ok, what) {
  if (!ok) throw new Error(`property violated: ${what}`);
}

/** Same bytes, other chunking: the same outcome (error code and position, or the same counts). */
function outcomeKey(out) {
  if (out.kind === 'error') return `error ${out.error.code} @${out.error.position}`;
  const m = out.model;
  return `model ${m.format} ${m.stats.events} ${m.slices.length} ${m.instants.length} ${m.counters.length} ${m.flows.length} ${m.endNs} ${m.stats.droppedBytes}`;
}

export async function loadsAndAnalyses(bytes, chunk) {
  const whole = await loadOutcome(bytes);
  const chunked = await loadOutcome(chunkedStream(bytes, chunk));
  check(outcomeKey(whole) === outcomeKey(chunked), `chunks of ${chunk} read like one array: ${outcomeKey(chunked)} vs ${outcomeKey(whole)}`);
  if (whole.kind !== 'model') return;
  const m = whole.model;
  check(Number.isFinite(m.endNs) && m.endNs >= 0, `endNs finite and ≥ 0 (${m.endNs})`);
  const s = m.slices;
  for (let i = 0; i < s.length; i++) {
    check(s.startNs[i] >= 0 && s.durNs[i] >= 0 && s.startNs[i] + s.durNs[i] <= m.endNs, `slice ${i} within [0, endNs]`);
    check(Number.isInteger(s.startNs[i]) && Number.isInteger(s.durNs[i]), `slice ${i} times are integer ns`);
    const p = s.parent[i];
    if (p >= 0) check(s.startNs[p] <= s.startNs[i] && s.startNs[i] + s.durNs[i] <= s.startNs[p] + s.durNs[p], `slice ${i} inside its parent`);
  }
  for (let t = 0; t < m.tracks.length; t++) {
    for (let i = m.tracks.sliceStart[t] + 1; i < m.tracks.sliceEnd[t]; i++) check(s.startNs[i - 1] <= s.startNs[i], `track ${t} sorted by start`);
  }
  analysisReport(m); // throws on a detector bug
}
