/**
 * Deep links that reproduce a view: which pack, which trace, the visible
 * window, the selected slice, the open exercise, presenter mode.
 *
 *   /en/workshop/?pack=/workshops/example.json&ex=find-mla-attention&trace=/traces/x.json.gz&t=1200-5400&sel=812
 *
 * `t` is `startNs-endNs` (integer ns from the trace start, as the timeline
 * counts), `sel` a slice id of that trace (ids are stable: the same file
 * always parses to the same model). Pure: no DOM, tested in Node.
 *
 * Decoding never throws and ignores what it cannot trust (anything off the
 * site, malformed numbers, empty or inverted windows, odd ids), so a link
 * mangled by a chat client still opens the page, just less precisely.
 */
import type { Ns, SliceId, TimeRange } from '../timeline/units.ts';

export interface ViewLink {
  /** Site path of the workshop pack. */
  pack?: string;
  /** Site path of the trace the window and selection refer to. */
  trace?: string;
  window?: TimeRange;
  selection?: SliceId;
  /** Id of the exercise to open. */
  exercise?: string;
  presenter?: boolean;
}

const MAX_PATH = 500;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,119}$/;
const NS_RE = /^\d{1,16}$/;

/** A path on this site ("/traces/x.json.gz"): not another origin, no scheme, no control characters. */
export function isSitePath(v: string | null | undefined): v is string {
  return typeof v === 'string' && v.length > 1 && v.length <= MAX_PATH && v.startsWith('/') && !v.startsWith('//') && !/[\\\u0000-\u001f\s]/.test(v);
}

function ns(text: string): Ns | null {
  if (!NS_RE.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** The query string for a view (without "?"); the parameters in a fixed order. */
export function encodeViewLink(v: ViewLink): string {
  const q = new URLSearchParams();
  if (v.pack && isSitePath(v.pack)) q.set('pack', v.pack);
  if (v.exercise && ID_RE.test(v.exercise)) q.set('ex', v.exercise);
  if (v.trace && isSitePath(v.trace)) q.set('trace', v.trace);
  const w = v.window;
  if (w && Number.isFinite(w.startNs) && Number.isFinite(w.endNs) && w.endNs > w.startNs && w.startNs >= 0) q.set('t', `${Math.floor(w.startNs)}-${Math.ceil(w.endNs)}`);
  if (v.selection !== undefined && Number.isInteger(v.selection) && v.selection >= 0) q.set('sel', String(v.selection));
  if (v.presenter) q.set('present', '1');
  // Keep "/" readable in links people paste into slides and chats.
  return q.toString().replace(/%2F/gi, '/');
}

/** The view a query string asks for; unknown or malformed parameters are dropped. */
export function decodeViewLink(search: string): ViewLink {
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  } catch {
    return {};
  }
  const out: ViewLink = {};
  const pack = q.get('pack');
  if (isSitePath(pack)) out.pack = pack;
  const trace = q.get('trace');
  if (isSitePath(trace)) out.trace = trace;
  const ex = q.get('ex');
  if (ex && ID_RE.test(ex)) out.exercise = ex;
  const t = /^(\d+)-(\d+)$/.exec(q.get('t') ?? '');
  if (t) {
    const a = ns(t[1]);
    const b = ns(t[2]);
    if (a !== null && b !== null && b > a) out.window = { startNs: a, endNs: b };
  }
  const sel = q.get('sel');
  if (sel && /^\d{1,9}$/.test(sel)) out.selection = Number(sel);
  const present = q.get('present');
  if (present === '1' || present === 'true') out.presenter = true;
  return out;
}
