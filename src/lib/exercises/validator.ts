/**
 * A tiny hand-written validator for exercise data (no schema library: the
 * site ships no validation dependency). It walks a value with a path, records
 * every problem instead of stopping at the first, rejects unknown keys (a
 * typo such as `nearMiss` for `nearMisses` would otherwise be ignored
 * silently) and suggests the closest known key.
 *
 * Messages read like `exercises[2].target.within.index: expected an integer ≥ 0, got -1.5`.
 */

export class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(path ? `${path}: ${message}` : message);
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return v.length > 40 ? `"${v.slice(0, 37)}..."` : JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function editDistance(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

/** " (did you mean "x"?)" when a known word is close to what was written. */
export function didYouMean(got: string, known: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const k of known) {
    const dist = editDistance(got.toLowerCase(), k.toLowerCase());
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  return bestD <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

/** Records a problem per key of `obj` that is not in `allowed`. */
export function noUnknownKeys(p: Problems, path: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) p.add(join(path, k), `unknown field${didYouMean(k, allowed)}; allowed here: ${allowed.join(', ')}`);
  }
}

export function expectRecord(p: Problems, path: string, v: unknown): Record<string, unknown> | null {
  if (isRecord(v)) return v;
  p.add(path, `expected an object, got ${describe(v)}`);
  return null;
}

export function expectString(p: Problems, path: string, v: unknown, opts: { nonEmpty?: boolean; max?: number } = {}): string | null {
  if (typeof v !== 'string') {
    p.add(path, `expected text, got ${describe(v)}`);
    return null;
  }
  if (opts.nonEmpty !== false && v.trim() === '') {
    p.add(path, 'must not be empty');
    return null;
  }
  if (opts.max !== undefined && v.length > opts.max) {
    p.add(path, `is ${v.length} characters long; at most ${opts.max}`);
    return null;
  }
  return v;
}

export function expectNumber(p: Problems, path: string, v: unknown, opts: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number } = {}): number | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    p.add(path, `expected a number, got ${describe(v)}`);
    return null;
  }
  const what = opts.integer ? 'an integer' : 'a number';
  if (opts.integer && !Number.isInteger(v)) {
    p.add(path, `expected ${what}, got ${v}`);
    return null;
  }
  if (opts.min !== undefined && v < opts.min) {
    p.add(path, `expected ${what} ≥ ${opts.min}, got ${v}`);
    return null;
  }
  if (opts.exclusiveMin !== undefined && v <= opts.exclusiveMin) {
    p.add(path, `expected ${what} > ${opts.exclusiveMin}, got ${v}`);
    return null;
  }
  if (opts.max !== undefined && v > opts.max) {
    p.add(path, `expected ${what} ≤ ${opts.max}, got ${v}`);
    return null;
  }
  return v;
}

export function expectOneOf<T extends string>(p: Problems, path: string, v: unknown, allowed: readonly T[]): T | null {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  const hint = typeof v === 'string' ? didYouMean(v, allowed) : '';
  p.add(path, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(v)}${hint}`);
  return null;
}

export function expectArray(p: Problems, path: string, v: unknown, opts: { min?: number } = {}): unknown[] | null {
  if (!Array.isArray(v)) {
    p.add(path, `expected a list, got ${describe(v)}`);
    return null;
  }
  if (opts.min !== undefined && v.length < opts.min) {
    p.add(path, `expected at least ${opts.min} item${opts.min === 1 ? '' : 's'}, got ${v.length}`);
    return null;
  }
  return v;
}

export function expectBoolean(p: Problems, path: string, v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  p.add(path, `expected true or false, got ${describe(v)}`);
  return null;
}

/**
 * A name pattern: exact text, or `/regex/flags`. Returns the compiled
 * matcher, or null (with a problem recorded) when the regex does not compile.
 */
export function compilePattern(text: string): ((s: string) => boolean) | string {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(text);
  if (!m) return (s: string) => s === text;
  try {
    const re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
    return (s: string) => re.test(s);
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message}`;
  }
}

export function expectPattern(p: Problems, path: string, v: unknown): string | null {
  const s = expectString(p, path, v);
  if (s === null) return null;
  const c = compilePattern(s);
  if (typeof c === 'string') {
    p.add(path, c);
    return null;
  }
  return s;
}
