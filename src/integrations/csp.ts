/**
 * Astro integration: once the site is built, give every HTML page in the
 * output its Content-Security-Policy meta (see csp-html.ts for the policy and
 * why it is built here rather than by Astro's `security.csp`). It runs in
 * `astro:build:done`, after Astro and Starlight wrote their final HTML; the
 * dev server gets no policy (Vite injects inline scripts for hot reload).
 */
import type { AstroIntegration } from 'astro';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withCsp } from './csp-html.ts';

/** Every .html file under `dir` (404.html and redirect pages included). */
async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
}

export default function csp(): AstroIntegration {
  return {
    name: 'tracewise-csp',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const files = await htmlFiles(fileURLToPath(dir));
        for (const file of files) {
          const html = await readFile(file, 'utf8');
          let out: string;
          try {
            out = withCsp(html);
          } catch (err) {
            throw new Error(`CSP for ${file}: ${(err as Error).message}`);
          }
          await writeFile(file, out);
        }
        logger.info(`Content-Security-Policy written into ${files.length} pages`);
      },
    },
  };
}
