/**
 * Test support: fast-check generators of Chrome/Kineto-like traces and of
 * damaged ones, plus a loader wrapper that turns anything other than a
 * TraceLoadError into a test failure. Shared by property.test.ts and the
 * long campaign in tests/fuzz/run.mjs.
 */
import fc from 'fast-check';
import { TraceLoadError } from '../errors.ts';
import { loadTrace } from '../load.ts';
import type { TraceModel } from '../model.ts';

const pid = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom('Spans', '', '3'));
const tid = fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom('stream 7', '2'));
const name = fc.oneof(fc.constantFrom('aten::mm', 'ncclKernel', 'é名😀', 'a"b\\c', 'process_name'), fc.string({ maxLength: 10 }));
const cat = fc.constantFrom('cpu_op', 'kernel', 'ac2g', 'async_npu', 'user_annotation', undefined);
/** µs with up to 3 decimals, sometimes as a string, sometimes tiny (printed with an exponent). */
const ts = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }).map((n) => n / 1000) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2_000_000_000 }).map((n) => (n / 1000).toFixed(3)) },
  { weight: 1, arbitrary: fc.constantFrom(1e-7, 2.5e-3, 0) },
);
const dur = fc.integer({ min: 0, max: 5_000_000 }).map((n) => n / 1000);
const args = fc.option(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), { nil: undefined });

const x = fc.record({ ph: fc.constant('X'), name, cat, pid, tid, ts, dur, args }, { requiredKeys: ['ph', 'pid', 'tid', 'ts', 'dur'] });
const be = fc.record({ ph: fc.constantFrom('B', 'E'), name, cat, pid, tid, ts, args }, { requiredKeys: ['ph', 'pid', 'tid', 'ts'] });
const instant = fc.record({ ph: fc.constantFrom('i', 'I', 'R'), name, pid, tid, ts, s: fc.constantFrom('g', 'p', 't') });
const counter = fc.record({
  ph: fc.constant('C'),
  name,
  pid,
  ts,
  args: fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), { minKeys: 1, maxKeys: 3 }),
});
const flow = fc.record(
  { ph: fc.constantFrom('s', 't', 'f'), id: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom('x', '2')), cat: fc.constantFrom('ac2g', 'fwdbwd'), name, pid, tid, ts, bp: fc.constantFrom('e', undefined) },
  { requiredKeys: ['ph', 'id', 'cat', 'pid', 'tid', 'ts'] },
);
const meta = fc.record({
  ph: fc.constant('M'),
  name: fc.constantFrom('process_name', 'thread_name', 'process_labels', 'process_sort_index', 'thread_sort_index'),
  pid,
  tid,
  args: fc.record({ name, labels: fc.constantFrom('CPU', 'GPU 0', 'NPU'), sort_index: fc.integer({ min: -5, max: 5 }) }),
});

const event = fc.oneof({ weight: 5, arbitrary: x }, be, instant, counter, { weight: 2, arbitrary: flow }, meta);

/** A trace as text: the array or the object form, compact or indented. */
export const traceArbitrary = fc
  .record({
    events: fc.array(event, { maxLength: 40 }),
    objectForm: fc.boolean(),
    extra: fc.dictionary(fc.constantFrom('schemaVersion', 'deviceProperties', 'traceName', 'otherData'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    indent: fc.constantFrom(undefined, 1, 2),
  })
  .map(({ events, objectForm, extra, indent }) => {
    const root = objectForm ? { ...extra, traceEvents: events } : events;
    return { text: JSON.stringify(root, null, indent), events };
  });

type Damage =
  | { kind: 'cut'; at: number }
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 1, noNaN: true }).map((f) => f) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 20 }) }),
) as fc.Arbitrary<Damage>;

function applyDamage(bytes: Uint8Array, d: Damage): Uint8Array {
  const at = Math.min(bytes.length, Math.floor((d as { at: number }).at * bytes.length));
  switch (d.kind) {
    case 'cut':
      return bytes.slice(0, at);
    case 'flip': {
      const out = bytes.slice();
      if (at < out.length) out[at] ^= d.xor;
      return out;
    }
    case 'insert':
      return new Uint8Array([...bytes.subarray(0, at), ...d.bytes, ...bytes.subarray(at)]);
    case 'delete':
      return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(at + d.length)]);
  }
}

/** A generated trace's bytes with one to three kinds of damage. */
export const damagedTraceArbitrary = fc
  .tuple(traceArbitrary, fc.array(damage, { minLength: 1, maxLength: 3 }))
  .map(([{ text }, damages]) => damages.reduce(applyDamage, new TextEncoder().encode(text)));

export function chunkedStream(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, (off += size)));
    },
  });
}

export type Outcome = { kind: 'model'; model: TraceModel } | { kind: 'error'; error: TraceLoadError };

/** Loads, and rethrows anything that is not a TraceLoadError (that is a bug). */
export async function loadOutcome(input: ReadableStream<Uint8Array> | Uint8Array): Promise<Outcome> {
  try {
    return { kind: 'model', model: await loadTrace(input) };
  } catch (e) {
    if (e instanceof TraceLoadError) return { kind: 'error', error: e };
    throw e;
  }
}
