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
// No compression and `cache-control: no-store`, so each load pays the same transfer.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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

export function startBenchServer({ distDir, cacheDir, speedscopeDir, port = 0 }) {
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
    sendFile(res, file);
  });
  return listen(server, port);
}
