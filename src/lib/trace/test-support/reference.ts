/**
 * Test support: an independent reading of a trace with plain JSON.parse and
 * BigInt arithmetic, to check the loader against. Deliberately naive (objects
 * per event, strings everywhere); shares no code with the loader.
 */

export interface RefEvent {
  ph?: unknown;
  name?: unknown;
  cat?: unknown;
  ts?: unknown;
  dur?: unknown;
  pid?: unknown;
  tid?: unknown;
  id?: unknown;
  bp?: unknown;
  args?: unknown;
}

export function eventsOf(json: unknown): RefEvent[] {
  if (Array.isArray(json)) return json as RefEvent[];
  const events = (json as { traceEvents?: unknown }).traceEvents;
  return Array.isArray(events) ? (events as RefEvent[]) : [];
}

/** pid/tid/id as text, the way the model keeps them: numbers in decimal, strings as they are. */
export function keyText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'number' ? String(v) : String(v);
}

/** A timestamp as decimal text; null when it is not a number or a numeric string. */
export function timeText(v: unknown): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return v.trim();
  return null;
}

/** 2^53 µs, scaled: times at or beyond it are skipped (builder.ts). */
const BEYOND_2_53_US = 2n ** 53n * 10n ** 18n;
const SCALE = 18; // fraction digits kept exactly (floats printed in full reach 17)

/** Decimal µs text × 10^18 as a BigInt (exact for up to 18 fraction digits). */
export function scaledUs(text: string): bigint {
  const expanded = /e/i.test(text) ? Number(text).toFixed(SCALE) : text;
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(expanded.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? '').padEnd(SCALE, '0');
  if (frac.length > SCALE) throw new Error(`more than ${SCALE} fraction digits: ${text}`);
  const v = BigInt((m[2] || '0') + frac);
  return m[1] === '-' ? -v : v;
}

/** round((a − b) µs in ns), halves up like Math.round, exactly. */
export function nsBetweenExact(aUs: bigint, bUs: bigint): number {
  const diff = aUs - bUs; // in 10^-18 µs = 10^-15 ns
  const den = 10n ** 15n;
  const num = 2n * diff + den;
  const q = num / (2n * den);
  const floor = num % (2n * den) !== 0n && num < 0n ? q - 1n : q;
  return Number(floor);
}

export interface Reference {
  events: number;
  byPhase: Record<string, number>;
  originText: string | null;
  origin: bigint | null;
  /** End of the last event, ns from the origin. */
  endNs: number;
  /** X slices per "pid\ttid". */
  slicesByTrack: Map<string, number>;
  slices: number;
  kernels: number;
  instants: number;
  /** Counter samples per "pid\tname\tseries". */
  counterSamples: Map<string, number>;
  /** Arrows: t/f events whose (cat, id) group has an s. */
  flowArrows: number;
  /** Arrows per "cat\0id" (the id as JSON.parse read it, as text). */
  flowArrowsByKey: Map<string, number>;
  /** process_name per pid, for pids with non-metadata events. */
  processNames: Map<string, string>;
  threadNames: Map<string, string>;
}

export function reference(events: RefEvent[]): Reference {
  const byPhase: Record<string, number> = {};
  const slicesByTrack = new Map<string, number>();
  const counterSamples = new Map<string, number>();
  const groups = new Map<string, { s: number; ends: number }>();
  const pidsWithEvents = new Set<string>();
  const processName = new Map<string, string>();
  const threadName = new Map<string, string>();
  let events_ = 0;
  let origin: bigint | null = null;
  let originText: string | null = null;
  let end: bigint | null = null;
  let slices = 0;
  let kernels = 0;
  let instants = 0;
  const bump = <K>(m: Map<K, number>, k: K): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  for (const e of events) {
    if (!e || typeof e !== 'object' || typeof e.ph !== 'string') continue;
    events_++;
    byPhase[e.ph] = (byPhase[e.ph] ?? 0) + 1;
    const pid = keyText(e.pid);
    const tid = keyText(e.tid);
    if (e.ph === 'M') {
      const args = (e.args ?? {}) as Record<string, unknown>;
      if (e.name === 'process_name' && typeof args.name === 'string') processName.set(pid, args.name);
      if (e.name === 'thread_name' && typeof args.name === 'string') threadName.set(`${pid}\t${tid}`, args.name);
      continue;
    }
    const tsText = timeText(e.ts);
    if (tsText === null) continue;
    const ts = scaledUs(tsText);
    if (ts >= BEYOND_2_53_US || -ts >= BEYOND_2_53_US) continue; // no clock reading: the loader skips it
    if (origin === null || ts < origin) {
      origin = ts;
      originText = tsText;
    }
    let stop = ts;
    if (e.ph === 'X') {
      const durText = e.dur === undefined ? '0' : timeText(e.dur);
      if (durText === null || scaledUs(durText) < 0n || scaledUs(durText) >= BEYOND_2_53_US) continue;
      stop = ts + scaledUs(durText);
      slices++;
      bump(slicesByTrack, `${pid}\t${tid}`);
      if (e.cat === 'kernel' || e.cat === 'Kernel') kernels++;
      pidsWithEvents.add(pid);
    } else if (e.ph === 'i' || e.ph === 'I' || e.ph === 'R') {
      instants++;
      pidsWithEvents.add(pid);
    } else if (e.ph === 'C') {
      for (const [series, v] of Object.entries((e.args ?? {}) as Record<string, unknown>)) {
        if (typeof v === 'number' && Number.isFinite(v)) bump(counterSamples, `${pid}\t${String(e.name)}\t${series}`);
      }
      pidsWithEvents.add(pid);
    } else if (e.ph === 's' || e.ph === 't' || e.ph === 'f') {
      if (e.id === undefined) continue;
      const key = `${String(e.cat)}\u0000${keyText(e.id)}`;
      const g = groups.get(key) ?? { s: 0, ends: 0 };
      if (e.ph === 's') g.s++;
      else g.ends++;
      groups.set(key, g);
    } else if (e.ph === 'B' || e.ph === 'E') {
      pidsWithEvents.add(pid);
    }
    if (end === null || stop > end) end = stop;
  }
  let flowArrows = 0;
  const flowArrowsByKey = new Map<string, number>();
  for (const [key, g] of groups) {
    if (g.s === 0 || g.ends === 0) continue;
    flowArrows += g.ends;
    flowArrowsByKey.set(key, g.ends);
  }
  const processNames = new Map<string, string>();
  for (const pid of pidsWithEvents) if (processName.has(pid)) processNames.set(pid, processName.get(pid)!);
  return {
    events: events_,
    byPhase,
    flowArrowsByKey,
    originText,
    origin,
    endNs: origin === null || end === null ? 0 : nsBetweenExact(end, origin),
    slicesByTrack,
    slices,
    kernels,
    instants,
    counterSamples,
    flowArrows,
    processNames,
    threadNames: threadName,
  };
}

/**
 * How many events a prefix of a trace's text holds, found the slow, obvious
 * way: the longest prefix ending at a '}' that JSON.parse accepts once the
 * open brackets are closed. Returns the count and where that prefix ends.
 */
export function completeEventsInPrefix(text: string, closers: string[]): { count: number; end: number } {
  let i = text.length;
  for (;;) {
    i = text.lastIndexOf('}', i - 1);
    if (i < 0) return { count: 0, end: 0 };
    for (const closer of closers) {
      try {
        const parsed = JSON.parse(text.slice(0, i + 1) + closer) as unknown;
        return { count: eventsOf(parsed).length, end: i + 1 };
      } catch {
        // not a complete event boundary; try an earlier '}'
      }
    }
    if (i === 0) return { count: 0, end: 0 };
  }
}
