/**
 * Exact time helpers: decimal microsecond text ↔ integer nanoseconds, and
 * durations for humans.
 *
 * Why text: Ascend writes timestamps like "1736408883688177.930" µs. As a
 * float64 that is 1.7e15, whose spacing is 0.25 µs, so the nanosecond digits
 * are lost and differences of two such floats are off by up to ~250 ns. The
 * model therefore keeps the origin as text and every time as integer ns from
 * it. These helpers are the cold path (BigInt); the loader's hot path parses
 * bytes directly (see tokenizer.ts `readTime`).
 */
import type { Ns, TraceModel, Us } from './model.ts';

const DECIMAL_RE = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/** A decimal number as sign × digits × 10^-scale, exactly. */
interface ExactDecimal {
  units: bigint;
  scale: number;
}

function parseExact(text: string): ExactDecimal | null {
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits === '' && fracDigits === '') return null;
  const exp = m[4] ? Number(m[4]) : 0;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return null;
  let digits = intDigits + fracDigits;
  let scale = fracDigits.length - exp;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  let units = BigInt(digits === '' ? '0' : digits);
  if (m[1] === '-') units = -units;
  return { units, scale };
}

function rescale(d: ExactDecimal, scale: number): bigint {
  return d.scale === scale ? d.units : d.units * 10n ** BigInt(scale - d.scale);
}

/** Rounds a/b to the nearest integer, halves away from -∞ (as Math.round). */
function divRound(a: bigint, b: bigint): bigint {
  // floor((2a + b) / 2b) with floor division for negatives.
  const num = 2n * a + b;
  const den = 2n * b;
  let q = num / den;
  if (num % den !== 0n && num < 0n !== den < 0n) q -= 1n;
  return q;
}

/**
 * Canonical plain decimal text of a JSON number or numeric string
 * ("1.5e3" → "1500", "+7.250" → "7.250"); null when it is not a number.
 * Fraction digits as written are kept, so "930.000" stays "930.000".
 */
export function normalizeDecimal(text: string): string | null {
  const d = parseExact(text);
  if (!d) return null;
  return exactToText(d);
}

function exactToText(d: ExactDecimal): string {
  const neg = d.units < 0n;
  let digits = (neg ? -d.units : d.units).toString();
  if (d.scale === 0) return (neg ? '-' : '') + digits;
  if (digits.length <= d.scale) digits = '0'.repeat(d.scale - digits.length + 1) + digits;
  const cut = digits.length - d.scale;
  return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut);
}

/**
 * Nanoseconds from `originUs` to `tsUs` (both decimal µs text), rounded to
 * the nearest integer exactly as the loader rounds. Null on bad input.
 */
export function nsBetween(originUs: string, tsUs: string): Ns | null {
  const a = parseExact(originUs);
  const b = parseExact(tsUs);
  if (!a || !b) return null;
  const scale = Math.max(a.scale, b.scale, 3);
  const diff = rescale(b, scale) - rescale(a, scale);
  return Number(divRound(diff * 1000n, 10n ** BigInt(scale)));
}

/** Exact decimal µs text of the instant `ns` after `originUs`. */
export function absoluteUs(originUs: string, ns: Ns): string {
  const o = parseExact(originUs);
  if (!o || !Number.isFinite(ns)) return originUs;
  const scale = Math.max(o.scale, 3);
  const nsInt = BigInt(Math.round(ns));
  const units = rescale(o, scale) + nsInt * 10n ** BigInt(scale - 3);
  return exactToText({ units, scale });
}

/** Ns → µs as a float, for display and for APIs that speak µs. */
export function nsToUs(ns: Ns): Us {
  return ns / 1000;
}

/** µs (float, e.g. a user's input) → Ns, rounded. */
export function usToNs(us: Us): Ns {
  return Math.round(us * 1000);
}

function trimmed(value: number, digits: number): string {
  // 3 significant digits, no trailing zeros: 1.50 → "1.5", 12.0 → "12".
  const s = value.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A duration for humans with a unit that keeps 3 significant digits:
 * 845 → "845 ns", 12_340 → "12.3 µs", 1_234_567 → "1.23 ms", 2.5e9 → "2.5 s".
 */
export function formatDurationNs(ns: Ns): string {
  if (!Number.isFinite(ns)) return '—';
  const sign = ns < 0 ? '-' : '';
  const a = Math.abs(ns);
  if (a < 1000) return `${sign}${Math.round(a)} ns`;
  const units: [number, string][] = [
    [1e3, 'µs'],
    [1e6, 'ms'],
    [1e9, 's'],
  ];
  let [div, unit] = units[0];
  for (const u of units) if (a >= u[0]) [div, unit] = u;
  const v = a / div;
  // Rounding can carry into the next unit (999.96 µs → "1000 µs"): step up.
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  if (unit !== 's' && Number(v.toFixed(digits)) >= 1000) return formatDurationNs(sign ? -div * 1000 : div * 1000);
  return `${sign}${trimmed(v, digits)} ${unit}`;
}

/**
 * [first slice start, last slice end] of a model; the whole trace when it has
 * no slices. One pass over the slices: the trace worker computes it with its
 * analysis (`TrackAnalysis.contentExtent`), and a widget shown a model from
 * the worker takes it from there (src/lib/worker/client.ts `knownContentExtent`)
 * instead of walking 2 M slices on the main thread.
 */
export function contentExtentOf(model: Pick<TraceModel, 'slices' | 'endNs'>): { startNs: Ns; endNs: Ns } {
  let startNs = Infinity;
  let endNs = -Infinity;
  const { startNs: starts, durNs } = model.slices;
  for (let i = 0; i < model.slices.length; i++) {
    if (starts[i] < startNs) startNs = starts[i];
    if (starts[i] + durNs[i] > endNs) endNs = starts[i] + durNs[i];
  }
  return endNs > startNs ? { startNs, endNs } : { startNs: 0, endNs: Math.max(1, model.endNs) };
}
