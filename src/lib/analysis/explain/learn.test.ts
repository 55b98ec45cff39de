/**
 * Every link the card offers points at a heading that exists, in both
 * languages: the anchor is the heading's slug as Starlight makes it
 * (github-slugger, the same package).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { LEARN } from './learn.ts';

const docs = fileURLToPath(new URL('../../../content/docs/', import.meta.url));

function slugsOf(locale: 'en' | 'zh-cn', page: string): string[] {
  const base = resolve(docs, locale, page);
  let text = '';
  for (const ext of ['.mdx', '.md']) {
    try {
      text = readFileSync(base + ext, 'utf8');
      break;
    } catch {
      // try the other extension
    }
  }
  expect(text, `${locale}/${page}`).not.toBe('');
  const slugger = new GithubSlugger();
  return text
    .split('\n')
    .filter((l) => /^#{2,4} /.test(l))
    .map((l) => slugger.slug(l.replace(/^#+ /, '').replace(/`/g, '')));
}

describe('learn links', () => {
  it.each(Object.entries(LEARN))('%s points at a heading in both languages', (_key, link) => {
    expect(slugsOf('en', link.page)).toContain(link.anchor.en);
    expect(slugsOf('zh-cn', link.page)).toContain(link.anchor.zh);
  });
});
