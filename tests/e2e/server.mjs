// A small static server for end-to-end tests: serves the built site (dist/)
// and, for tests only, the third-party traces in ../shared/traces read-only
// under /__shared/traces/. That route never exists in the built site.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.gz': 'application/gzip',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.yaml': 'text/yaml; charset=utf-8',
};

/** Resolve `urlPath` inside `root`, refusing anything that escapes it. */
function inside(root, urlPath) {
  const p = normalize(join(root, decodeURIComponent(urlPath)));
  return p.startsWith(root) ? p : null;
}

export function startServer({ distDir, sharedDir, port = 0 }) {
  const dist = resolve(distDir);
  const shared = sharedDir && existsSync(sharedDir) ? resolve(sharedDir) : null;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = null;
    if (url.pathname.startsWith('/__shared/traces/')) {
      file = shared && inside(shared, url.pathname.slice('/__shared/traces/'.length));
    } else {
      file = inside(dist, url.pathname);
      if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    }
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      const notFound = join(dist, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = /** @type {import('node:net').AddressInfo} */ (server.address());
      ok({ url: `http://127.0.0.1:${p}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
