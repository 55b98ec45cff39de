// Site budgets from the built site (dist/): for every page, the JavaScript and
// CSS a reader downloads before any island (timeline, exercise) is hydrated,
// gzip-compressed; and the size of every sample trace. Static analysis of the
// HTML and of the static `import` graph of its module scripts: deterministic,
// no browser needed. Islands (`<astro-island component-url>`) and dynamic
// imports are excluded because they load only when a widget scrolls into view.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, relative, resolve, dirname } from 'node:path';

export const BUDGETS = {
  pageJsGzipBytes: 100 * 1024,
  sampleTraceGzipBytes: 3 * 1024 * 1024,
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

/** Static import specifiers of an ES module's text (not `import()`). */
function staticImports(code) {
  const out = [];
  const re = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g;
  let m;
  while ((m = re.exec(code))) out.push(m[1]);
  return out;
}

function moduleClosure(distDir, entryUrls) {
  const seen = new Set();
  const stack = [...entryUrls];
  let bytes = 0;
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const code = readFileSync(file);
    bytes += gz(code);
    for (const spec of staticImports(code.toString('utf8'))) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
      stack.push(spec.startsWith('/') ? join(distDir, spec) : resolve(dirname(file), spec));
    }
  }
  return { bytes, files: seen.size };
}

export function measureSite(root) {
  const dist = join(root, 'dist');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run `npm run build` first');
  const pages = [];
  for (const file of walk(dist).filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(file, 'utf8');
    if (/http-equiv="refresh"/.test(html) && html.length < 2000) continue; // redirect stubs
    const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)].map((m) => join(dist, m[1]));
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    const inlineImports = inline.flatMap((c) => staticImports(c)).filter((s) => s.startsWith('/')).map((s) => join(dist, s));
    const js = moduleClosure(dist, [...scripts, ...inlineImports]);
    const inlineJs = inline.reduce((n, c) => n + gz(Buffer.from(c)), 0);
    const css = [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)]
      .map((m) => join(dist, m[1]))
      .filter(existsSync)
      .reduce((n, f) => n + gz(readFileSync(f)), 0);
    pages.push({ page: '/' + relative(dist, file).replace(/index\.html$/, ''), jsGzipBytes: js.bytes + inlineJs, cssGzipBytes: css, islands: (html.match(/<astro-island/g) ?? []).length });
  }
  pages.sort((a, b) => a.page.localeCompare(b.page));
  const tracesDir = join(root, 'public/traces');
  const samples = existsSync(tracesDir)
    ? readdirSync(tracesDir).filter((f) => f !== 'manifest.json' && /\.json(\.gz)?$/.test(f)).map((f) => {
        const buf = readFileSync(join(tracesDir, f));
        return { file: f, bytes: buf.length, gzipBytes: f.endsWith('.gz') ? buf.length : gz(buf) };
      })
    : [];
  const failures = [
    ...pages.filter((p) => p.jsGzipBytes > BUDGETS.pageJsGzipBytes).map((p) => `${p.page}: ${p.jsGzipBytes} B of JS (gzip) before widgets load > ${BUDGETS.pageJsGzipBytes}`),
    ...samples.filter((s) => s.gzipBytes > BUDGETS.sampleTraceGzipBytes).map((s) => `${s.file}: ${s.gzipBytes} B gzip > ${BUDGETS.sampleTraceGzipBytes}`),
  ];
  return { pages, samples, failures };
}

export function siteMarkdown({ pages, samples }) {
  const kb = (n) => (n / 1024).toFixed(1);
  const lines = ['| page | JS before widgets (KB gzip) | CSS (KB gzip) | islands |', '| --- | ---: | ---: | ---: |'];
  for (const p of pages) lines.push(`| ${p.page} | ${kb(p.jsGzipBytes)} | ${kb(p.cssGzipBytes)} | ${p.islands} |`);
  lines.push('', '| sample trace | KB | KB gzip |', '| --- | ---: | ---: |');
  for (const s of samples) lines.push(`| ${s.file} | ${kb(s.bytes)} | ${kb(s.gzipBytes)} |`);
  return lines.join('\n');
}
