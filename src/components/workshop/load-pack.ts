/**
 * Getting a workshop pack into the page: by `?pack=` (fetched from this
 * site only: the CSP's connect-src 'self' would refuse any other origin, so
 * such a URL is answered with that explanation instead of a failed fetch)
 * or from a file the learner dropped. Parsing is lib/exercises/workshop.ts.
 */
import type { L10n } from '../../lib/exercises/schema.ts';
import { parseWorkshopText, type Workshop, type WorkshopProblem } from '../../lib/exercises/workshop.ts';
import { siteUrl } from '../exercise/site-url.ts';
import { stringsFor } from './strings.ts';
import { isSitePath } from './view-link.ts';

export type PackLoad = { ok: true; workshop: Workshop; source: string } | { ok: false; problems: WorkshopProblem[] };

const both = (f: (s: ReturnType<typeof stringsFor>) => string): L10n => ({ en: f(stringsFor('en')), 'zh-CN': f(stringsFor('zh-CN')) });
const fail = (message: L10n): PackLoad => ({ ok: false, problems: [{ path: '', message }] });

export async function loadPackUrl(raw: string): Promise<PackLoad> {
  if (!isSitePath(raw)) return fail(both((s) => s.packOffSite(raw)));
  let text: string;
  try {
    const res = await fetch(siteUrl(raw), { credentials: 'same-origin' });
    if (!res.ok) return fail(both((s) => s.packFetchFailed(`HTTP ${res.status}`)));
    text = await res.text();
  } catch (e) {
    return fail(both((s) => s.packFetchFailed(String((e as Error)?.message ?? e))));
  }
  const r = await parseWorkshopText(text, raw);
  return r.ok ? { ok: true, workshop: r.value, source: raw } : { ok: false, problems: r.problems };
}

export async function loadPackFile(file: File): Promise<PackLoad> {
  const r = await parseWorkshopText(await file.text(), file.name);
  return r.ok ? { ok: true, workshop: r.value, source: file.name } : { ok: false, problems: r.problems };
}
