/**
 * Pure helpers between the widgets and lib/exercises: the page language, the
 * lesson key from the URL, what a timeline selection answers, numbers typed
 * by people, and a Reveal turned into timeline handle calls. No DOM here, so
 * they are unit-tested in Node.
 */
import type { Answer, Lang, L10n } from '../../lib/exercises/schema.ts';
import type { Reveal } from '../../lib/exercises/reveal.ts';
import { displayText } from '../../lib/trace/display-text.ts';
import type { Highlight, SliceId, TimeRange, TimelineSelection } from '../timeline/units.ts';

/** 'zh-CN' for any Chinese page language ("zh", "zh-cn", "zh-Hans"), else 'en'. */
export function pickLang(lang: string | null | undefined): Lang {
  return lang && lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** An exercise text in `lang`; re-targeted ones quote trace names, so invisible characters show (displayText). */
export function textOf(t: L10n, lang: Lang): string {
  return displayText(t[lang] || t.en);
}

/**
 * The progress key of a lesson page: its path without the site base and the
 * locale folder, so the en and zh-CN pages of one lesson share progress
 * ("/tracewise/zh-cn/npu/overlap/" → "npu/overlap").
 */
export function lessonFromPath(pathname: string, base = '/'): string {
  let p = pathname;
  const b = base.replace(/\/+$/, '');
  if (b && p.startsWith(`${b}/`)) p = p.slice(b.length);
  const parts = p.split('/').filter(Boolean);
  if (parts.length && /^(en|zh-cn|zh)$/i.test(parts[0])) parts.shift();
  return parts.join('/') || 'index';
}

/** What a timeline selection answers: a slice, a range, or nothing. */
export function answerFromSelection(sel: TimelineSelection | null | undefined): Answer | null {
  if (!sel) return null;
  if (sel.kind === 'slice') return { kind: 'slice', sliceId: sel.sliceId };
  if (sel.kind === 'range' && sel.endNs > sel.startNs) return { kind: 'range', startNs: sel.startNs, endNs: sel.endNs };
  return null;
}

const FULL_WIDTH = /[\uff10-\uff19\uff0e\uff0c\uff0d\uff0b]/g;

/**
 * A number as people type it: "1.25", "1,234.5", "1 234", "1,5" (decimal
 * comma), "1e3", full-width "１．２". Null when it is not one number.
 */
export function parseNumber(text: string): number | null {
  let s = text.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
  s = s.replace(/[\s_\u00a0\u202f]/g, '');
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replace(/,/g, '');
  else if (/^[+-]?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

export interface TimelineCalls {
  window: TimeRange | null;
  highlights: Highlight[];
  /** Selected when the answer is one slice. */
  select: SliceId | null;
}

/** A Reveal as calls on the timeline handle: zoom, outline/shade, select. */
export function revealCalls(r: Reveal, lang: Lang): TimelineCalls {
  const label = textOf(r.label, lang);
  const highlights: Highlight[] = [];
  if (r.sliceIds.length) highlights.push({ label, sliceIds: r.sliceIds.slice(0, 200) });
  for (const range of r.ranges.slice(0, 50)) highlights.push({ label, startNs: range.startNs, endNs: range.endNs });
  return { window: r.window, highlights, select: r.sliceIds.length === 1 ? r.sliceIds[0] : null };
}
