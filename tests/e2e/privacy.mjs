// Helpers for privacy and hostile-input e2e tests (security.e2e.mjs, upload.e2e.mjs): a recording proxy
// that forwards only the site's origin, Chromium launched through it, the page-side request record, CSP
// violation capture, and a small Kineto trace whose names carry HTML, </script>, javascript: URLs and bidi
// controls.
import { createServer, request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { CHROMIUM_FLAGS, chromiumPath, collectConsoleErrors } from './harness.mjs';

/**
 * An HTTP proxy that records every request (method, URL, body), forwards
 * those for `siteUrl`'s origin and answers 502 to anything else, HTTPS
 * (CONNECT) included.
 */
export async function startRecordingProxy(siteUrl) {
  const site = new URL(siteUrl);
  /** @type {{ method: string, url: string, body: Buffer }[]} */
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      let target = null;
      try {
        target = new URL(req.url ?? '');
      } catch {
        // Not an absolute URL: not a proxy request.
      }
      if (!target || target.origin !== site.origin) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('offline: only the site itself is reachable');
        return;
      }
      const headers = { ...req.headers };
      delete headers['proxy-connection'];
      const upstream = httpRequest({ host: site.hostname, port: site.port, method: req.method, path: target.pathname + target.search, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      upstream.end(body);
    });
  });
  server.on('connect', (req, socket) => {
    seen.push({ method: 'CONNECT', url: req.url ?? '', body: Buffer.alloc(0) });
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((done) => server.close(done)),
  };
}

/** Chromium whose every request, loopback included (`<-loopback>`), goes through `proxyUrl`. */
export function launchThroughProxy(proxyUrl) {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_FLAGS, `--proxy-server=${proxyUrl}`, '--proxy-bypass-list=<-loopback>'],
  });
}

/** Requests as the pages and their workers report them, with their bodies. */
export function recordRequests(context) {
  /** @type {{ url: string, method: string, body: Buffer }[]} */
  const list = [];
  context.on('request', (r) => list.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() ?? Buffer.alloc(0) }));
  return list;
}

/** CSP violations a page reports, read from `window.__cspViolations`. */
export async function watchCspViolations(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
}

/**
 * Chromium's own services (autofill form signatures, Google sign-in, component
 * updates), which Debian's build contacts despite the flags that turn
 * background networking off. The browser opens them itself (HTTPS tunnels,
 * and plain POSTs of the updater); a page asking for them would show up in the page-side record,
 * which must stay on the site's origin. They are refused like the rest.
 * (`android.clients.google.com`: Debian's Chromium 150 opens it when a test hands a file to a file input;
 * the same tests passed without it on 156.)
 */
const BROWSER_SERVICE_HOSTS = new Set([
  'accounts.google.com',
  'android.clients.google.com',
  'clients2.google.com',
  'clientservices.googleapis.com',
  'content-autofill.googleapis.com',
  'edgedl.me.gvt1.com',
  'optimizationguide-pa.googleapis.com',
  'redirector.gvt1.com',
  'safebrowsingohttpgateway.googleapis.com',
  'update.googleapis.com',
]);

/** What went on the wire to anywhere but the site (Chromium's own service tunnels excepted). */
export function wireLeaks(seen, origin) {
  const host = (r) => (r.method === 'CONNECT' ? r.url.replace(/:\d+$/, '') : new URL(r.url).hostname);
  return seen.filter((r) => !BROWSER_SERVICE_HOSTS.has(host(r)) && (r.method === 'CONNECT' || offOrigin([r.url], origin).length > 0)).map((r) => `${r.method} ${r.url}`);
}

export function offOrigin(urls, origin) {
  return urls.filter((u) => {
    const url = new URL(u);
    // data: and blob: are made inside the page and go nowhere.
    return url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin;
  });
}

// — a hostile trace —

export const CANARY = `twcanary${randomUUID().replace(/-/g, '')}`;
export const IMG = '<img src=x onerror="window.__pwned=1">';
export const SCRIPT = '</script><script>window.__pwned=2</script>';
export const JS_URL = 'javascript:window.__pwned=3';
export const SVG = '<svg onload=alert(1)>';
// U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+2069 POP DIRECTIONAL ISOLATE.
export const BIDI = '\u202Egnp.exe\u2066 x \u2069';

export const FILE_NAME = `${IMG}${BIDI}.json`;
export const PROC_NAME = `python ${SVG}`;
export const THREAD_NAME = `${SCRIPT} main`;
export const OP_NAME = `${IMG}aten::mm ${CANARY}`;
export const LAUNCH_NAME = `${SCRIPT}cudaLaunchKernel${BIDI}`;
export const KERNEL_NAME = `${JS_URL} ${BIDI}gemm_kernel ${CANARY}`;
export const ANNOT_NAME = `${SVG}step ${CANARY}`;
export const ANNOT_CAT = IMG;
export const OP_ARGS = { [IMG]: SCRIPT, url: JS_URL, bidi: BIDI, canary: CANARY, 'Input Dims': [[4, 8], [8, 16]] };

/** A small Kineto trace (host op → runtime launch → kernel, linked by an ac2g flow) with hostile text. */
export function hostileTrace() {
  const traceEvents = [
    { ph: 'M', name: 'process_name', pid: 100, tid: 0, args: { name: PROC_NAME } },
    { ph: 'M', name: 'thread_name', pid: 100, tid: 100, args: { name: THREAD_NAME } },
    { ph: 'M', name: 'process_name', pid: 0, tid: 0, args: { name: 'python' } },
    { ph: 'M', name: 'process_labels', pid: 0, tid: 0, args: { labels: 'GPU 0' } },
    { ph: 'M', name: 'thread_name', pid: 0, tid: 7, args: { name: 'stream 7 ' } },
    { ph: 'X', cat: 'cpu_op', name: OP_NAME, pid: 100, tid: 100, ts: 1000.5, dur: 100, args: OP_ARGS },
    { ph: 'X', cat: 'cuda_runtime', name: LAUNCH_NAME, pid: 100, tid: 100, ts: 1010, dur: 20, args: { correlation: 1, note: IMG } },
    { ph: 's', cat: 'ac2g', name: 'ac2g', id: 1, pid: 100, tid: 100, ts: 1010 },
    { ph: 'X', cat: 'kernel', name: KERNEL_NAME, pid: 0, tid: 7, ts: 1040, dur: 30, args: { correlation: 1, device: 0, stream: 7, grid: [1, 1, 1] } },
    { ph: 'f', cat: 'ac2g', name: 'ac2g', id: 1, pid: 0, tid: 7, ts: 1040, bp: 'e' },
    { ph: 'X', cat: ANNOT_CAT, name: ANNOT_NAME, pid: 100, tid: 100, ts: 2000, dur: 50 },
  ];
  return { schemaVersion: 1, deviceProperties: [{ id: 0, name: SCRIPT }], traceEvents };
}


/**
 * `url` opened in Chromium launched through a fresh recording proxy, with CSP violations, the page's
 * requests and console errors recorded (upload.e2e.mjs, upload-db.e2e.mjs). `assertStayedOnSite()` checks
 * that nothing left the site and nothing went wrong; `close()` ends the browser and the proxy.
 */
export async function openThroughProxy(siteUrl, url, { viewport = { width: 1280, height: 1000 } } = {}) {
  const origin = new URL(siteUrl).origin;
  const proxy = await startRecordingProxy(siteUrl);
  const browser = await launchThroughProxy(proxy.url);
  const context = await browser.newContext({ viewport });
  await watchCspViolations(context);
  const requests = recordRequests(context);
  const page = await context.newPage();
  const log = collectConsoleErrors(page);
  await page.goto(url, { waitUntil: 'networkidle' });
  const assertStayedOnSite = async () => {
    assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'no CSP violations');
    assert.deepEqual(wireLeaks(proxy.seen, origin), [], 'every request on the wire went to the site');
    assert.deepEqual(offOrigin(requests.map((r) => r.url), origin), [], 'every request the page made went to the site');
    assert.deepEqual(log.errors, [], 'no console errors');
  };
  const close = async () => {
    await browser.close();
    await proxy.close();
  };
  return { page, context, requests, proxy, assertStayedOnSite, close };
}
