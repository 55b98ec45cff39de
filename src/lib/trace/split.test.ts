import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadTrace, readTracePart } from './load.ts';
import { TraceLoadError } from './errors.ts';
import type { TraceModel } from './model.ts';
import { WELL_KNOWN_ARGS_KEYS, argsText } from './args.ts';
import { findSplitPoint, rootIsArrayOf, transferablesOfPart, type TracePart } from './split.ts';
import { fixture } from './test-support/fixtures.ts';
import { SHARED_TRACE_FILES, sharedJsonBytes, sharedTracesPresent, warnIfAbsent } from './test-support/shared.ts';

/** The model as compared: args as their texts and noted offsets (how they are cut into segments may differ). */
function comparable(m: TraceModel): unknown {
  const texts: string[] = [];
  for (let i = 0; i < m.args.length; i++) texts.push(argsText(m.args, i));
  const keyed = Object.fromEntries(WELL_KNOWN_ARGS_KEYS.map((k) => [k, Array.from(m.args.keyed[k] ?? [])]));
  return { ...m, args: { length: m.args.length, texts, keyed } };
}

type Outcome = { model: TraceModel; used: boolean | null } | { error: string };

/** Loads `bytes` split at `at`: the part read as a helper would and sent through structured clone with its buffers transferred. */
async function loadSplit(bytes: Uint8Array, at: number, failPart = false): Promise<Outcome> {
  const root = rootIsArrayOf(bytes);
  let used: boolean | null = null;
  const part: Promise<TracePart | null> =
    failPart || root === null
      ? Promise.resolve(null)
      : readTracePart(bytes.slice(at), { at, rootIsArray: root }).then(
          (p) => structuredClone(p, { transfer: transferablesOfPart(p) }),
          () => null,
        );
  try {
    const model = await loadTrace(bytes.slice(0, at), { split: { at, part, rest: () => bytes.slice(at), onDecided: (u) => (used = u) } });
    return { model, used };
  } catch (e) {
    return { error: e instanceof TraceLoadError ? `${e.code}: ${e.message}` : String(e) };
  }
}

async function loadWhole(bytes: Uint8Array): Promise<Outcome> {
  try {
    return { model: await loadTrace(bytes), used: null };
  } catch (e) {
    return { error: e instanceof TraceLoadError ? `${e.code}: ${e.message}` : String(e) };
  }
}

function expectSame(split: Outcome, whole: Outcome, what: string): void {
  if ('error' in whole) {
    expect('error' in split ? split.error : 'loaded', what).toBe(whole.error);
    return;
  }
  expect('error' in split ? split.error : 'loaded', what).toBe('loaded');
  if ('model' in split) expect(comparable(split.model), what).toEqual(comparable(whole.model));
}

/** Every distinct split point `findSplitPoint` offers in `bytes`. */
function allSplitPoints(bytes: Uint8Array): number[] {
  const points = new Set<number>();
  for (let s = 0; s < bytes.length; s++) {
    const p = findSplitPoint(bytes.subarray(s), s);
    if (p < 0) break;
    points.add(p);
    s = p - 1;
  }
  return [...points];
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('findSplitPoint', () => {
  it('finds a { after } , and skips one after other bytes', () => {
    const text = '{"traceEvents": [{"ph":"X"},\n  {"ph":"X"}, {"a":[{"b":1}]}]}';
    const points = allSplitPoints(enc(text));
    expect(points.map((p) => text.slice(p, p + 9))).toEqual(['{"ph":"X"', '{"ph":"X"', '{"a":[{"b', '{"b":1}]}']);
    expect(findSplitPoint(enc('{"x": 1, "y": {"z": 2}}'), 0)).toBe(-1);
    expect(findSplitPoint(enc('  xx}, {'), 100)).toBe(107);
  });
  it('reads the root shape from the first byte, BOM and whitespace aside', () => {
    expect(rootIsArrayOf(enc('\uFEFF \n[{}]'))).toBe(true);
    expect(rootIsArrayOf(enc('{"traceEvents":[]}'))).toBe(false);
    expect(rootIsArrayOf(enc('"x"'))).toBe(null);
  });
});

describe('a trace read in two parts equals the trace read whole', () => {
  const names = readdirSync(new URL('./fixtures/', import.meta.url)).filter((n) => n.endsWith('.json'));
  for (const name of names) {
    it(`${name}, split at every point findSplitPoint offers`, async () => {
      const bytes = fixture(name);
      const whole = await loadWhole(bytes);
      const points = allSplitPoints(bytes);
      for (const at of points) expectSame(await loadSplit(bytes, at), whole, `${name} at ${at}`);
      // The part failing (a helper that crashed) changes nothing either.
      if (points.length) expectSame(await loadSplit(bytes, points[points.length >> 1], true), whole, `${name}, part failed`);
    });
  }

  it('uses the part when the split is between events, and not when it is inside a string, args or a top-level value', async () => {
    const text = [
      '{"meta": {"list": [{"a": 1}, {"b": 2}]}, "traceEvents": [',
      '{"ph": "X", "name": "a", "pid": 1, "tid": 1, "ts": 1, "dur": 5, "args": {"s": "}, {not an event", "v": [{"x": 1}, {"y": 2}]}},',
      '{"ph": "X", "name": "b", "pid": 1, "tid": 2, "ts": 2.5, "dur": 1, "args": {"correlation": 7}},',
      '{"ph": "C", "name": "mem", "pid": 1, "ts": 3, "args": {"used": 10}},',
      '{"ph": "M", "name": "thread_name", "pid": 1, "tid": 2, "args": {"name": "second"}}',
      '], "after": [{"k": 1}, {"k": 2}]}',
    ].join('\n');
    const bytes = enc(text);
    const whole = await loadWhole(bytes);
    const used: Record<string, boolean | null> = {};
    for (const at of allSplitPoints(bytes)) {
      const split = await loadSplit(bytes, at);
      expectSame(split, whole, `at ${at}`);
      if ('model' in split) used[text.slice(at, at + 12)] = split.used;
    }
    expect(used).toEqual({
      '{"a": 1}, {"': false,
      '{"k": 1}, {"': false,
      '{"x": 1}, {"': false,
      '{not an even': false,
      '{"b": 2}]}, ': false,
      '{"y": 2}]}},': false,
      '{"ph": "X", ': true,
      '{"ph": "C", ': true,
      '{"ph": "M", ': true,
      '{"k": 2}]}': false,
    });
  });

  it('moves the part onto the first reader\'s time base, counts and names included', async () => {
    // The second part starts days later, with names, pids, flows and counters of its own and shared ones.
    const events = [
      '{"ph":"X","name":"k","cat":"kernel","pid":"GPU 0","tid":"stream 7","ts":"1700000000000000.123","dur":2.5,"args":{"correlation":1}}',
      '{"ph":"s","name":"f","cat":"ac2g","id":1,"pid":1,"tid":1,"ts":1700000000000000.1}',
      '{"ph":"f","name":"f","cat":"ac2g","id":1,"pid":"GPU 0","tid":"stream 7","ts":1700000000000000.123,"bp":"e"}',
      '{"ph":"X","name":"late","cat":"cpu_op","pid":1,"tid":1,"ts":1700000400000000.5,"dur":1,"args":{"Task Type":"AI_CORE"}}',
      '{"ph":"C","name":"mem","pid":1,"ts":1700000400000001,"args":{"used":3,"free":4}}',
      '{"ph":"B","name":"open","pid":2,"tid":3,"ts":1699999999999999}',
      '{"ph":"q"}',
      '{"ph":"E","pid":2,"tid":3,"ts":1700000400000002}',
    ];
    const bytes = enc(`[${events.join(',\n')}]`);
    const whole = await loadWhole(bytes);
    for (const at of allSplitPoints(bytes)) {
      const split = await loadSplit(bytes, at);
      expectSame(split, whole, `at ${at}`);
      expect('model' in split && split.used, `at ${at}`).toBe(true);
    }
  });

  it('a cut file: the part reports the cut, as one reader would', async () => {
    const bytes = enc('{"traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1,"dur":1},{"ph":"X","pid":1,"tid":1,"ts":2,"dur":1},{"ph":"X","pid":1,"ti');
    const whole = await loadWhole(bytes);
    for (const at of allSplitPoints(bytes)) expectSame(await loadSplit(bytes, at), whole, `at ${at}`);
    expect('model' in whole && whole.model.stats.truncated).toBe(true);
  });
});

describe.skipIf(!sharedTracesPresent)('every shared trace, read in two parts, equals the trace read whole', () => {
  warnIfAbsent();
  for (const rel of SHARED_TRACE_FILES) {
    it(rel, async () => {
      const bytes = sharedJsonBytes(rel);
      const whole = await loadWhole(bytes);
      let usedCount = 0;
      for (const f of [0.1, 0.3, 0.5, 0.7, 0.9]) {
        const from = Math.floor(bytes.length * f);
        const at = findSplitPoint(bytes.subarray(from, from + (1 << 20)), from);
        if (at < 0) continue; // only top-level fields after this point (Kineto's log lines)
        const split = await loadSplit(bytes, at);
        expectSame(split, whole, `${rel} at ${at}`);
        if ('model' in split && split.used) usedCount++;
      }
      // Most guesses land between events in these traces (one event per line or so).
      expect(usedCount).toBeGreaterThanOrEqual(2);
    }, 120_000);
  }
});
