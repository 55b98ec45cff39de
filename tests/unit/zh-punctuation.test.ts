/**
 * Chinese text never has an ASCII space after full-width punctuation ("进程）， NCCL", "同样的事：  4 条序列"):
 * the full-width mark already carries its own space. Checked in every zh-cn page (outside code), every
 * zh-CN string of the exercise and workshop packs and of the sample manifest, and the components' and
 * checkers' zh-CN UI strings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// A table cell may end in a full-width mark before its ` |`: that space is the table's.
const FULLWIDTH_THEN_SPACE = /[，。、；：！？）》」』】][ \t]+(?=[^\s|])/g;

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(f) ? [p] : [];
  });
}

/** Offending spots as `file:line: …context…`. */
function scan(name: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(FULLWIDTH_THEN_SPACE)) {
    const line = text.slice(0, m.index).split('\n').length;
    out.push(`${name}:${line}: …${text.slice(Math.max(0, m.index! - 12), m.index! + 8).replace(/\n/g, '⏎')}…`);
  }
  return out;
}

/** MDX prose without fenced code, inline code (kept as letters: the space before it still counts) and JSX expression/attribute lines (code and props keep their own spacing). */
function prose(mdx: string): string {
  return mdx
    .replace(/```[\s\S]*?```/g, (b) => b.replace(/[^\n]/g, ' '))
    .replace(/`[^`\n]*`/g, (c) => 'c'.repeat(c.length))
    // Emphasis marks do not render: `**盲区：** 既` shows a space right after the colon.
    .replace(/\*+/g, '')
    .split('\n')
    .map((l) => (/^\s*(import |export |<[A-Z])/.test(l) ? '' : l))
    .join('\n');
}

/** Every zh-CN string of a JSON document. */
function zhStrings(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) zhStrings(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'zh-CN' && typeof x === 'string') out.push(x);
      else zhStrings(x, out);
    }
  }
  return out;
}

describe('no ASCII space after Chinese full-width punctuation', () => {
  it('finds the mistake it is looking for', () => {
    expect(scan('x', '进程）， NCCL')).toHaveLength(1);
    expect(scan('x', '同样的事：  4 条序列')).toHaveLength(1);
    expect(scan('x', '进程），NCCL 的“名字” 很长。\n下一行')).toEqual([]);
  });

  it('zh-cn pages', () => {
    const found = files(join(root, 'src/content/docs/zh-cn'), /\.mdx?$/).flatMap((f) => scan(relative(root, f), prose(readFileSync(f, 'utf8'))));
    expect(found).toEqual([]);
  });

  it('exercise packs, workshop packs and the sample manifest (zh-CN strings)', () => {
    const docs = [
      ...files(join(root, 'src/content/exercises'), /\.json$/),
      ...files(join(root, 'public/workshops'), /\.json$/),
      join(root, 'public/traces/manifest.json'),
    ];
    const found = docs.flatMap((f) => zhStrings(JSON.parse(readFileSync(f, 'utf8'))).flatMap((s) => scan(relative(root, f), s)));
    expect(found).toEqual([]);
  });

  it('zh-CN UI strings of the components and checkers', () => {
    const sources = [...files(join(root, 'src/components'), /strings\.ts$/), ...files(join(root, 'src/lib'), /(feedback|retarget-text|reason-text|errors?-text|messages?)\.ts$/)];
    // Chinese template literals and string literals only (a full-width mark inside them).
    const found = sources.flatMap((f) => {
      const src = readFileSync(f, 'utf8');
      return [...src.matchAll(/(['`])((?:(?!\1)[^\\\n]|\\.)*[\u4e00-\u9fff](?:(?!\1)[^\\\n]|\\.)*)\1/g)].flatMap((m) => scan(relative(root, f), m[2]));
    });
    expect(found).toEqual([]);
  });
});
