/**
 * remark plugin for the zh-cn pages: a line break inside a paragraph of hard-wrapped Chinese prose renders
 * as a space in every browser (Chromium does not implement CSS Text's segment-break rules for CJK), which
 * put stray spaces after full-width punctuation ("进程）， NCCL") and between two Han characters. This joins
 * such lines the way a Chinese reader expects:
 * - after full-width punctuation, or between two Han characters / full-width marks: no space;
 * - between a Han character and a Latin word or number: one space (the house style: "stream 上 NCCL").
 * Only soft line breaks inside text nodes are touched; code, JSX and HTML are left alone.
 */
/** Han characters and CJK / full-width punctuation. */
const WIDE = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019\u2026\u2014]/;
/** Full-width punctuation that carries its own space (and opening quotes/brackets: nothing after them). */
const WIDE_PUNCT = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\uff3b-\uff40\uff5b-\uff65\u201c\u201d\u2018\u2019\u2026\u2014]/;

/**
 * `text` with its soft line breaks joined; `before` / `after` are the characters just outside it (the end
 * of the previous inline node and the start of the next), so a break at either edge is judged correctly.
 */
export function joinCjkBreaks(text: string, before = '', after = ''): string {
  return text.replace(/[ \t]*\n[ \t]*/g, (brk, at: number) => {
    const prev = at > 0 ? text[at - 1] : before.slice(-1);
    const end = at + brk.length;
    const next = end < text.length ? text[end] : after.slice(0, 1);
    if (!prev || !next) return brk; // a break at the paragraph's edge: leave it
    if (WIDE_PUNCT.test(prev) || WIDE_PUNCT.test(next)) return '';
    if (WIDE.test(prev) && WIDE.test(next)) return '';
    if (WIDE.test(prev) || WIDE.test(next)) return ' ';
    return brk;
  });
}

interface MdNode {
  type: string;
  value?: string;
  children?: readonly MdNode[];
}

/** The plain text at the end (`end`) or start of an inline node. */
function edgeText(n: MdNode | undefined, end: boolean): string {
  if (!n) return '';
  if (typeof n.value === 'string') return n.value;
  const kids = n.children ?? [];
  return edgeText(end ? kids[kids.length - 1] : kids[0], end);
}

/** What the plugin needs of Sätteri's visitor context. */
interface Ctx {
  parent(node: MdNode): MdNode | undefined;
  indexOf(node: MdNode): number | undefined;
}

/** The plugin for Sätteri (Astro's Markdown processor): `markdown.processor: satteri({ mdastPlugins: [cjkLineBreaks] })`. */
export function cjkLineBreaks({ fileURL }: { fileURL: URL | undefined }) {
  if (!fileURL || !/\/zh-cn\//.test(fileURL.pathname)) return undefined;
  return {
    name: 'tracewise-cjk-line-breaks',
    text(node: MdNode, ctx: Ctx): MdNode | undefined {
      if (!node.value?.includes('\n')) return undefined;
      const parent = ctx.parent(node);
      const i = ctx.indexOf(node) ?? -1;
      const kids = parent?.children ?? [];
      const value = joinCjkBreaks(node.value, edgeText(kids[i - 1], true), edgeText(kids[i + 1], false));
      return value === node.value ? undefined : { type: 'text', value };
    },
  };
}
