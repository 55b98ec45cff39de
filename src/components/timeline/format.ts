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

/** An exact duration for the details panel: "1,234.567 µs" keeps every ns. */
export function formatDurationExact(ns: Ns): string {
  if (!Number.isFinite(ns)) return '–';
  const us = ns / 1000;
  return `${us.toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 })} µs`;
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
