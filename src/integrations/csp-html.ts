/**
 * The site's Content-Security-Policy, as a `<meta http-equiv>` written into
 * each built HTML page: a static site has no server of its own to send the
 * header, and the policy must hold wherever dist/ is copied (a LAN share,
 * `python3 -m http.server`). Pure string functions over one page's HTML, so
 * they are tested on small strings; `csp.ts` applies them to every page.
 *
 * Why not Astro's `security.csp`: it hashes Astro's own scripts but not the
 * inline scripts and styles that Starlight writes with `is:inline`, so pages
 * broke (theme picker, sidebar, search). Here every inline `<script>` of the
 * finished page is hashed, whoever wrote it.
 *
 * Limits of the HTML scanning (fine for the HTML Astro emits; a missed
 * script shows up as a CSP violation in the e2e console checks): scripts
 * inside `<svg>` (whose text is entity-decoded) are hashed as written, and
 * `<script>` text inside HTML comments earns a harmless extra hash.
 */
import { createHash } from 'node:crypto';

/** Marks the meta this module wrote, so that running it twice replaces it. */
export const CSP_MARKER = 'data-tracewise-csp';

// An opening tag's attributes, with quoted values that may contain '>'.
const ATTRS = `((?:[^>"']|"[^"]*"|'[^']*')*)`;
const SCRIPT_RE = new RegExp(`<script\\b${ATTRS}>([\\s\\S]*?)</script\\s*>`, 'gi');
const STYLE_RE = new RegExp(`<style\\b${ATTRS}>([\\s\\S]*?)</style\\s*>`, 'gi');
const CSP_META_RE = new RegExp(`<meta\\b${ATTRS}>`, 'gi');

/**
 * CSP source expression for an inline element's text. Browsers hash the text
 * after the HTML parser normalised CR LF and lone CR to LF, UTF-8 encoded.
 */
export function sha256Source(text: string): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  return `'sha256-${createHash('sha256').update(normalised, 'utf8').digest('base64')}'`;
}

/** Texts of the inline scripts (no `src`), in document order. */
export function inlineScripts(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(SCRIPT_RE)) {
    if (/(^|\s)src\s*=/i.test(m[1])) continue;
    out.push(m[2]);
  }
  return out;
}

/** Texts of the `<style>` elements, in document order. */
export function inlineStyles(html: string): string[] {
  return [...html.matchAll(STYLE_RE)].map((m) => m[2]);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** The policy of one page, given the texts of its inline scripts and styles. */
export function policyFor(scripts: string[], styles: string[]): string {
  const scriptHashes = unique(scripts.map(sha256Source));
  const styleHashes = unique(styles.map(sha256Source));
  return [
    // Everything else (media, frames, manifests) from the site itself only.
    "default-src 'self'",
    // Pagefind (Starlight's search) runs its index as WebAssembly: 'wasm-unsafe-eval'
    // allows compiling Wasm, not eval() of JavaScript text.
    ['script-src', "'self'", "'wasm-unsafe-eval'", ...scriptHashes].join(' '),
    // Browsers without the -elem/-attr split (Safari < 15.4) fall back to this line.
    "style-src 'self' 'unsafe-inline'",
    // <style> elements only when they are the site's own (files or these hashes): an
    // injected stylesheet could restyle the page or read attributes through selectors.
    ['style-src-elem', "'self'", ...styleHashes].join(' '),
    // Starlight and the widgets write style="" attributes (icon sizes, heights), and
    // Svelte templates carry some; an attribute can restyle only its own element
    // and loads nothing (img-src/font-src stay 'self'), so this is a small risk.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // Traces come from the site (samples) or the learner's disk; nothing is sent anywhere.
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    // frame-ancestors, report-uri and sandbox are ignored in a <meta>; see README.md
    // "Privacy and security" for the headers a real server should add.
  ].join('; ');
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** The `<meta>` element carrying `policy`. */
export function cspMeta(policy: string): string {
  return `<meta http-equiv="Content-Security-Policy" content="${escapeAttr(policy)}" ${CSP_MARKER}>`;
}

/** Removes a CSP meta written by an earlier run; throws on one written by someone else. */
function withoutOurMeta(html: string): string {
  return html.replace(CSP_META_RE, (tag, attrs: string) => {
    if (!/http-equiv\s*=\s*["']?content-security-policy/i.test(attrs)) return tag;
    if (new RegExp(`(^|\\s)${CSP_MARKER}(\\s|=|$)`, 'i').test(attrs)) return '';
    throw new Error('the page already has a Content-Security-Policy <meta> (Astro security.csp?); keep only one of the two');
  });
}

/**
 * Where the meta goes: first thing in <head>, except after `<meta charset>`,
 * which browsers only look for in the first 1024 bytes (a long policy pushed
 * ahead of it would garble the Chinese pages on servers that send no charset).
 * A policy governs only what comes after it, and a charset meta loads nothing.
 */
function insertionIndex(html: string): number {
  const head = /<head\b(?:[^>"']|"[^"]*"|'[^']*')*>/i.exec(html);
  let at: number;
  if (head) at = head.index + head[0].length;
  else {
    // Pages without a <head> tag (Astro's redirect pages): after the doctype and
    // <html>, where the parser opens the implied head.
    const lead = /^(?:\uFEFF)?\s*(?:<!doctype[^>]*>)?\s*(?:<html\b(?:[^>"']|"[^"]*"|'[^']*')*>)?/i.exec(html);
    at = lead ? lead[0].length : 0;
  }
  const charset = /^\s*<meta\s+charset\s*=[^>]*>/i.exec(html.slice(at));
  return charset ? at + charset[0].length : at;
}

/** The page with its policy meta in place (replacing one from an earlier run). */
export function withCsp(html: string): string {
  const clean = withoutOurMeta(html);
  const meta = cspMeta(policyFor(inlineScripts(clean), inlineStyles(clean)));
  const at = insertionIndex(clean);
  return clean.slice(0, at) + meta + clean.slice(at);
}
