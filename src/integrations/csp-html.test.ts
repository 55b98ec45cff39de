import { describe, expect, it } from 'vitest';
import { webcrypto } from 'node:crypto';
import { CSP_MARKER, inlineScripts, inlineStyles, policyFor, sha256Source, withCsp } from './csp-html.ts';

/** The policy of a page, directive → sources, read back from its meta. */
function policyOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
  expect(metas).toHaveLength(1);
  return parsePolicy(metas[0][1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

function parsePolicy(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

/** sha256 the way a browser does it, through WebCrypto rather than node:crypto's createHash. */
async function browserHash(text: string): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `'sha256-${Buffer.from(digest).toString('base64')}'`;
}

const PAGE = [
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>t</title>',
  '<script>window.theme = "dark";</script>',
  '<script type="module" src="/_astro/page.js"></script>',
  '<script type="module">import("/_astro/x.js")</script>',
  '<style>astro-island{display:contents}</style>',
  '</head><body><p style="color: red">hi</p><script>window.theme = "dark";</script></body></html>',
].join('');

describe('sha256Source', () => {
  it('equals the WebCrypto digest of the UTF-8 text', async () => {
    for (const text of ['', 'alert(1)', '\n\tconst 名 = "时间线";\n']) expect(sha256Source(text)).toBe(await browserHash(text));
  });

  it('hashes CR LF and lone CR as the LF the HTML parser turns them into', async () => {
    expect(sha256Source('a\r\nb\rc')).toBe(await browserHash('a\nb\nc'));
  });
});

describe('inlineScripts / inlineStyles', () => {
  it('returns inline script texts in order and skips scripts with src', () => {
    expect(inlineScripts(PAGE)).toEqual(['window.theme = "dark";', 'import("/_astro/x.js")', 'window.theme = "dark";']);
  });

  it('reads tags in any case, closing tags with spaces, and quoted attributes holding ">"', () => {
    const html = '<SCRIPT data-x="a>b">one()</SCRIPT ><script data-src="x">two()</script><script\nsrc="/a.js"></script>';
    expect(inlineScripts(html)).toEqual(['one()', 'two()']);
  });

  it('returns style element texts', () => {
    expect(inlineStyles(PAGE)).toEqual(['astro-island{display:contents}']);
  });
});

describe('policyFor', () => {
  it('lists each distinct script hash once, and style hashes only for <style> elements', async () => {
    const p = parsePolicy(policyFor(['a()', 'a()', 'b()'], ['p{}']));
    expect(p.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", await browserHash('a()'), await browserHash('b()')]);
    expect(p.get('style-src-elem')).toEqual(["'self'", await browserHash('p{}')]);
  });
});

describe('withCsp', () => {
  it('puts the policy right after <meta charset>, before every script and style', () => {
    const out = withCsp(PAGE);
    const meta = out.indexOf('<meta http-equiv="Content-Security-Policy"');
    expect(out.indexOf('<meta charset="utf-8"/>')).toBeLessThan(meta);
    expect(meta).toBeLessThan(out.indexOf('<title>'));
    expect(meta).toBeLessThan(out.search(/<script|<style|<link/));
    expect(out.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')).toBe(PAGE);
  });

  it('writes the agreed directives, with the page’s script and style hashes', async () => {
    const p = policyOf(withCsp(PAGE));
    expect(p.get('default-src')).toEqual(["'self'"]);
    expect(p.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", await browserHash('window.theme = "dark";'), await browserHash('import("/_astro/x.js")')]);
    expect(p.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(p.get('style-src-elem')).toEqual(["'self'", await browserHash('astro-island{display:contents}')]);
    expect(p.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(p.get('connect-src')).toEqual(["'self'"]);
    expect(p.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(p.get('font-src')).toEqual(["'self'"]);
    expect(p.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(p.get('object-src')).toEqual(["'none'"]);
    expect(p.get('base-uri')).toEqual(["'self'"]);
    expect(p.get('form-action')).toEqual(["'self'"]);
    // Ignored in a <meta> (and Chromium logs an error for it): belongs in a header.
    expect(p.has('frame-ancestors')).toBe(false);
    // Nothing but the site itself, data: and blob: is named anywhere.
    const sources = [...p.values()].flat();
    expect(sources.filter((s) => !/^'(self|none|unsafe-inline|wasm-unsafe-eval|sha256-[A-Za-z0-9+/]+=*)'$|^(data|blob):$/.test(s))).toEqual([]);
  });

  it('makes the first child of a <head> with no charset meta', () => {
    const out = withCsp('<html><head data-x="1"><title>t</title><script>x()</script></head></html>');
    expect(out.startsWith('<html><head data-x="1"><meta http-equiv="Content-Security-Policy"')).toBe(true);
  });

  it('goes after the doctype on a page without <head> (Astro redirect pages)', () => {
    const redirect = '<!doctype html><title>Redirecting to: /en/</title><meta http-equiv="refresh" content="0;url=/en/"><body><a href="/en/">go</a></body>';
    const out = withCsp(redirect);
    expect(out.startsWith('<!doctype html><meta http-equiv="Content-Security-Policy"')).toBe(true);
    expect(policyOf(out).get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  });

  it('replaces its own meta when run again, so a second run changes nothing', () => {
    const once = withCsp(PAGE);
    expect(withCsp(once)).toBe(once);
    expect(once).toContain(CSP_MARKER);
  });

  it('refuses a page that already carries a policy it did not write', () => {
    const foreign = `<html><head><meta http-equiv="content-security-policy" content="script-src 'self'"></head></html>`;
    expect(() => withCsp(foreign)).toThrow(/already has a Content-Security-Policy/);
  });
});
