/**
 * Times for the widget beyond lib/trace/time.ts' `formatDurationNs`: axis
 * labels whose precision follows the tick step (so neighbouring ticks never
 * print the same text) and exact µs for the details panel.
 */
import type { Ns } from './units.ts';
import { displayText } from '../../lib/trace/display-text.ts';

const UNITS: Array<[number, string]> = [
  [1e9, 's'],
  [1e6, 'ms'],
  [1e3, 'µs'],
  [1, 'ns'],
];

function unitFor(absNs: number): [number, string] {
  for (const u of UNITS) if (absNs >= u[0]) return u;
  return UNITS[UNITS.length - 1];
}

/** Trim trailing zeros of a fixed-point string ("1.500" → "1.5", "2.000" → "2"). */
function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * An integer with thousands separators, as `n.toLocaleString('en-US')` (and
 * 'zh-CN', the same) writes it, without Intl: the first Intl number format of
 * a page costs tens of ms of ICU start-up on the main thread, and counts are
 * formatted on the way to a widget's first frame. Non-integers and huge
 * values go to Intl.
 */
export function groupDigits(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) >= 1e21) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/**
 * `x` with exactly 3 decimals and thousands separators, as
 * `x.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 })`
 * writes it, without Intl: each such call builds a number format (~50–100 µs),
 * and a step table of 150 steps × 9 columns spent ~90 ms of one main-thread task
 * in it. Intl rounds the shortest decimal that reads back as `x` (what `String(x)`
 * writes) half away from zero ("1.0005" → "1.001", where `toFixed` rounds the
 * binary value to "1.000"), so this rounds that text. Exponent forms, -0 and
 * non-finite values go to Intl.
 */
export function fixed3(x: number): string {
  const text = String(Math.abs(x));
  if (!Number.isFinite(x) || Object.is(x, -0) || text.includes('e')) return x.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const dot = text.indexOf('.');
  let whole = dot < 0 ? text : text.slice(0, dot);
  let frac = dot < 0 ? '' : text.slice(dot + 1);
  if (frac.length > 3) {
    const up = frac.charCodeAt(3) >= 53; // '5'…'9': half away from zero
    frac = frac.slice(0, 3);
    if (up) {
      // Add one in the last place, carrying through the fraction into the whole part.
      const digits = (whole + frac).split('');
      let i = digits.length - 1;
      while (i >= 0 && digits[i] === '9') digits[i--] = '0';
      if (i >= 0) digits[i] = String.fromCharCode(digits[i].charCodeAt(0) + 1);
      else digits.unshift('1');
      whole = digits.slice(0, digits.length - 3).join('');
      frac = digits.slice(digits.length - 3).join('');
    }
  }
  return `${x < 0 ? '-' : ''}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${frac.padEnd(3, '0')}`;
}

/** An exact duration for the details panel: "1,234.567 µs" keeps every ns. */
export function formatDurationExact(ns: Ns): string {
  if (!Number.isFinite(ns)) return '–';
  return `${fixed3(ns / 1000)} µs`;
}

/** Axis label for time `tNs` on an axis with ticks every `stepNs`. */
export function formatTick(tNs: Ns, stepNs: Ns): string {
  // The unit of ten steps: ticks every 500 µs read "1.5 ms", not "1500 µs".
  const [scale, name] = unitFor(Math.max(1, Math.abs(stepNs) * 10));
  const stepInUnit = stepNs / scale;
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(stepInUnit) - 1e-9)));
  const v = tNs / scale;
  const text = trimZeros(v.toFixed(decimals));
  return `${text === '-0' ? '0' : text} ${name}`;
}

/**
 * Wraps each `quoted` part of a detector reason (where trace names are
 * quoted) in first-strong-isolate … pop-directional-isolate, so bidi
 * controls inside a trace name (U+202E and friends) end at the quote and
 * cannot reverse the rest of the sentence; inside, they show as escapes
 * (displayText), like trace text everywhere else.
 */
export function isolateQuoted(text: string): string {
  return text.replace(/`([^`]*)`/g, (_, quoted: string) => `\`\u2068${displayText(quoted)}\u2069\``);
}
