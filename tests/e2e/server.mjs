// A small static server for end-to-end tests: serves the built site (dist/)
// and, for tests only, the third-party traces in ../shared/traces read-only
// under /__shared/traces/. That route never exists in the built site.
//
// The pieces every static server here needs (content types, path confinement,
// sending a file, listening) are exported for the benchmark's server
// (bench/server.mjs), which adds its own routes around them.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

export const TYPES = {
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
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.webmanifest': 'application/manifest+json',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.yaml': 'text/yaml; charset=utf-8',
};

/** Resolve `urlPath` inside `root`, refusing anything that escapes it (a sibling `root-x/` included). */
export function inside(root, urlPath) {
  const p = normalize(join(root, decodeURIComponent(urlPath)));
  return p === root || p.startsWith(root + '/') ? p : null;
}

/** The file to send for a resolved path: a folder's index.html; null when there is no such file. */
export function existingFile(path) {
  if (!path || !existsSync(path)) return null;
  const file = statSync(path).isDirectory() ? join(path, 'index.html') : path;
  return existsSync(file) && statSync(file).isFile() ? file : null;
}

/** 200 with the file's type and length, never cached, so every load pays the same transfer. */
export function sendFile(res, file) {
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(file).size,
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

/** Listens on 127.0.0.1 (port 0: any free one); `close()` also ends kept-alive browser connections. */
export function listen(server, port = 0) {
  return new Promise((ok) => {
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = /** @type {import('node:net').AddressInfo} */ (server.address());
      ok({
        url: `http://127.0.0.1:${p}`,
        close: () =>
          new Promise((done) => {
            server.close(done);
            server.closeAllConnections();
          }),
      });
    });
  });
}

export function startServer({ distDir, sharedDir, port = 0 }) {
  const dist = resolve(distDir);
  const shared = sharedDir && existsSync(sharedDir) ? resolve(sharedDir) : null;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = url.pathname.startsWith('/__shared/traces/')
      ? shared && existingFile(inside(shared, url.pathname.slice('/__shared/traces/'.length)))
      : existingFile(inside(dist, url.pathname));
    if (!file) {
      const notFound = join(dist, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      if (existsSync(notFound)) createReadStream(notFound).pipe(res);
      else res.end('not found');
      return;
    }
    sendFile(res, file);
  });
  return listen(server, port);
}
