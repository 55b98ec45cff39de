// The benchmark's static server: one origin for everything compared, so the
// browser treats Tracewise, speedscope and the JSON.parse floor alike.
//
//   /…                         the built site (dist/), as tests/e2e/server.mjs serves it
//   /…?bench-src=URL           that page with its first timeline widget's `src` replaced by URL
//                              (the widget still loads it by URL through its worker)
//   /__speedscope/…            speedscope's built web app (node_modules/speedscope/dist/release)
//   /__bench/traces/NAME       generated traces from bench/.cache/ (plain JSON, with content-length)
//   /__bench/parse.html        the floor: fetch → text() → JSON.parse, nothing else
//
// `cache-control: no-store`, so each load pays the same transfer. No compression,
// except with `compress`: then the site's own text files (HTML, CSS, JS, SVG,
// JSON, XML; not traces) are sent gzip-compressed to a client that accepts it,
// as every static host does — the page benchmarks (Lighthouse, first draw) use
// that; the trace loading benchmarks do not.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TYPES, existingFile, inside, listen, sendFile } from '../tests/e2e/server.mjs';

// Marks are read by bench/browser-load.mjs; the page does nothing else so that
// its time and heap are the floor any JSON-based viewer pays.
const PARSE_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>JSON.parse floor</title>
<body><p id="out">parsing…</p><script>
(async () => {
  const url = new URLSearchParams(location.search).get('src');
  const out = document.getElementById('out');
  let chars = null;
  let res = null;
  try {
    res = await fetch(url);
    let text = await res.text();
    chars = text.length;
    const fetched = performance.now();
    let value = JSON.parse(text);
    const parsed = performance.now();
    globalThis.__kept = value; // keep the parsed value alive, as a viewer would
    text = null;
    value = null;
    globalThis.__floor = { fetchedMs: fetched, parsedMs: parsed, parseOnlyMs: parsed - fetched };
    out.textContent = 'parsed';
  } catch (e) {
    // Say how much text there was: a body too big for one JS string fails here.
    const bytes = Number(res && res.headers.get('content-length'));
    globalThis.__floor = { error: String(e && e.message || e) + (chars === null ? '' : ' (res.text() gave ' + chars + ' characters of a ' + bytes + '-byte body)') };
    out.textContent = 'failed: ' + globalThis.__floor.error;
  }
})();
</script></body></html>`;

/** The page with the `src` prop of its first timeline island replaced (HTML-escaped JSON in `props`). */
export function withTimelineSrc(html, src) {
  const island = /<astro-island\b[^>]*component-url="[^"]*Timeline[^"]*"[^>]*>/.exec(html);
  if (!island) return null;
  const escaped = JSON.stringify(src).slice(1, -1).replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const tag = island[0].replace(/(&quot;src&quot;:\[0,&quot;)(.*?)(&quot;\])/, (_, a, _old, b) => `${a}${escaped}${b}`);
  if (tag === island[0]) return null;
  return html.slice(0, island.index) + tag + html.slice(island.index + island[0].length);
}

const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.svg', '.json', '.xml', '.txt', '.webmanifest']);

export function startBenchServer({ distDir, cacheDir, speedscopeDir, port = 0, compress = false }) {
  const roots = { dist: resolve(distDir), cache: resolve(cacheDir), speedscope: resolve(speedscopeDir) };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = null;
    if (url.pathname === '/__bench/parse.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
      res.end(PARSE_PAGE);
      return;
    }
    if (url.pathname.startsWith('/__bench/traces/')) file = inside(roots.cache, url.pathname.slice('/__bench/traces/'.length));
    else if (url.pathname.startsWith('/__speedscope/')) file = inside(roots.speedscope, url.pathname.slice('/__speedscope/'.length) || 'index.html');
    else file = inside(roots.dist, url.pathname);
    file = existingFile(file);
    if (!file) {
      res.writeHead(404, { 'content-type': TYPES['.txt'] });
      res.end('not found');
      return;
    }
    const benchSrc = url.searchParams.get('bench-src');
    if (benchSrc && file.endsWith('.html')) {
      const html = withTimelineSrc(readFileSync(file, 'utf8'), benchSrc);
      if (!html) {
        res.writeHead(500, { 'content-type': TYPES['.txt'] });
        res.end(`no timeline widget with a src prop in ${url.pathname}`);
        return;
      }
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const gzip = compress && file.startsWith(roots.dist + '/') && COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    if (!gzip) return sendFile(res, file);
    const data = gzipped(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)], 'content-length': data.length, 'content-encoding': 'gzip', vary: 'accept-encoding', 'cache-control': 'no-store' });
    res.end(data);
  });
  // Each file compressed once (level 6, a common server default), not on every request.
  const cache = new Map();
  const gzipped = (file) => {
    const key = `${file}:${statSync(file).mtimeMs}`;
    if (!cache.has(key)) cache.set(key, gzipSync(readFileSync(file), { level: 6 }));
    return cache.get(key);
  };
  return listen(server, port);
}
