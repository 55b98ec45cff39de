/**
 * Test support: the bad inputs too big (or too derived) to commit as fixtures,
 * built on demand and named after their edge case like the fixtures are.
 * Shared by bad-input.test.ts (the loader) and src/cli/bad-input.test.ts (the
 * CLI), so both read the very same bytes.
 */

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function concat(parts: (string | Uint8Array)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === 'string' ? enc(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let off = 0;
  for (const b of bytes) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

/** deep-args-100000-levels.json: one event whose args nest 100 000 arrays, between two plain ones. */
export function deepArgs(levels = 100_000): Uint8Array {
  return concat([
    '[\n{"ph": "X", "name": "before", "pid": 1, "tid": 1, "ts": 1, "dur": 1},\n',
    '{"ph": "X", "name": "deep", "pid": 1, "tid": 1, "ts": 2, "dur": 1, "args": {"a": ',
    '['.repeat(levels),
    ']'.repeat(levels),
    '}},\n{"ph": "X", "name": "after", "pid": 1, "tid": 1, "ts": 3, "dur": 1}\n]\n',
  ]);
}

/** deep-metadata-100000-levels.json: a top-level field nested 100 000 levels, then the events. */
export function deepMetadata(levels = 100_000): Uint8Array {
  return concat(['{"deep": ', '['.repeat(levels), ']'.repeat(levels), ', "traceEvents": [{"ph": "X", "name": "a", "pid": 1, "tid": 1, "ts": 1, "dur": 1}]}']);
}

/** name-50mb.json: one event named with 50 MB of letters, one plain event. */
export function hugeName(bytes = 50_000_000): Uint8Array {
  const name = new Uint8Array(bytes).fill(0x6e); // 'n'
  return concat(['[{"ph": "X", "name": "', name, '", "pid": 1, "tid": 1, "ts": 1, "dur": 1},\n{"ph": "X", "name": "small", "pid": 1, "tid": 1, "ts": 2, "dur": 1}]']);
}

/** args-80mb.json: one event with 80 MB of args (over the 64 MiB args limit), one plain event. */
export function hugeArgs(bytes = 80_000_000): Uint8Array {
  const text = new Uint8Array(bytes).fill(0x61); // 'a'
  return concat(['[{"ph": "X", "name": "big-args", "pid": 1, "tid": 1, "ts": 1, "dur": 1, "args": {"blob": "', text, '"}},\n{"ph": "X", "name": "small", "pid": 1, "tid": 1, "ts": 2, "dur": 1, "args": {"k": 1}}]']);
}

/** Seeded cut points in (lo, hi): the same "random" points on every run (mulberry32). */
export function cutPoints(seed: number, count: number, lo: number, hi: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out.push(lo + 1 + Math.floor(r * (hi - lo - 1)));
  }
  return out;
}
