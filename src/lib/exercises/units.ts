/**
 * Values a learner types or an exercise computes, in one of three quantities:
 * time (canonical unit ns), ratio (canonical: a fraction, 0.25 = 25%) and
 * count. Answers carry the unit they were typed in; checkers compare in the
 * canonical unit so "1.2 ms" and "1200 us" are the same answer.
 */
import { formatDurationNs } from '../trace/time.ts';

export type Quantity = 'time' | 'ratio' | 'count';
export type TimeUnit = 'ns' | 'us' | 'ms' | 's';
export type RatioUnit = '%' | 'ratio';
export type ValueUnit = TimeUnit | RatioUnit | 'count';

export const TIME_UNITS: readonly TimeUnit[] = ['ns', 'us', 'ms', 's'];
export const VALUE_UNITS: readonly ValueUnit[] = ['ns', 'us', 'ms', 's', '%', 'ratio', 'count'];

/** Canonical units per one unit: time → ns, ratio → fraction. */
const FACTOR: Record<ValueUnit, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, '%': 0.01, ratio: 1, count: 1 };

export function quantityOf(unit: ValueUnit): Quantity {
  if (unit === '%' || unit === 'ratio') return 'ratio';
  if (unit === 'count') return 'count';
  return 'time';
}

/** A typed value in canonical units (ns, fraction or count). */
export function toCanonical(value: number, unit: ValueUnit): number {
  return value * FACTOR[unit];
}

export function fromCanonical(value: number, unit: ValueUnit): number {
  return value / FACTOR[unit];
}

/** How a unit is written for people ("µs", not "us"). */
export function unitLabel(unit: ValueUnit): string {
  switch (unit) {
    case 'us':
      return 'µs';
    case 'ratio':
      return '×';
    case 'count':
      return '';
    default:
      return unit;
  }
}

/** A canonical value for people: durations pick their own unit, ratios print in `unit`. */
export function formatValue(canonical: number, quantity: Quantity, unit?: ValueUnit): string {
  if (!Number.isFinite(canonical)) return '—';
  if (quantity === 'time') return formatDurationNs(canonical);
  if (quantity === 'count') return String(Math.round(canonical * 1000) / 1000);
  if (unit === 'ratio') return `${trim(canonical, 3)}×`;
  return `${trim(canonical * 100, 1)}%`;
}

function trim(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** The unit a value is shown in by default for a quantity. */
export function defaultUnit(q: Quantity): ValueUnit {
  return q === 'time' ? 'us' : q === 'ratio' ? '%' : 'count';
}
