/**
 * Trace text as it may be shown: names, categories, args values and file
 * names come from whoever wrote the trace, and a bidi control inside one
 * (U+202E RIGHT-TO-LEFT OVERRIDE turns "…gpj.exe" into "…exe.jpg" on screen)
 * or an invisible character (zero-width space, word joiner, BOM, tag
 * characters) would make the text read as something it is not. Every display
 * site (canvas labels, details, search, tables, tooltips, feedback, the CLI's
 * human output) shows such characters as a visible escape, ⟨U+202E⟩, so what
 * is on screen is what is in the file. Matching and search use the raw text.
 *
 * Escaped: Unicode format characters (general category Cf: bidi embeddings,
 * overrides, isolates and marks U+202A–202E, U+2066–2069, U+200E/F, U+061C;
 * zero-width U+200B–200D, U+2060–2064, U+FEFF; soft hyphen; tags U+E0000–E007F
 * …), line and paragraph separators (U+2028/2029), and control characters
 * except tab, line feed and carriage return.
 */
const HIDDEN = /[\p{Cf}\u2028\u2029\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
const HAS_HIDDEN = /[\p{Cf}\u2028\u2029\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

export function displayText(text: string): string {
  if (!HAS_HIDDEN.test(text)) return text;
  return text.replace(HIDDEN, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
