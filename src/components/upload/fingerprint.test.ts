// The upload page's progress key: the same as SHA-256 over the size, a NUL and the covered bytes (the
// whole file up to 64 MiB, else its first and last 16 MiB), whether the bytes come as the page relays the
// file to the worker (in chunks, in order) or are read for the key alone.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileFingerprint, fingerprint } from './fingerprint.ts';

const MiB = 2 ** 20;
const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 9)) & 0xff);
function expected(b: Uint8Array): string {
  const h = createHash('sha256').update(`${b.length}\u0000`);
  if (b.length <= 64 * MiB) h.update(b);
  else h.update(b.subarray(0, 16 * MiB)).update(b.subarray(b.length - 16 * MiB));
  return h.digest('hex').slice(0, 16);
}
async function relayed(b: Uint8Array, chunk: number): Promise<string> {
  const f = new FileFingerprint({ size: b.length, name: 'x.json' });
  for (let o = 0; o < b.length; o += chunk) f.add(b.subarray(o, o + chunk), o);
  return f.key();
}

describe('the upload progress key', () => {
  it('a small file, whole: relayed in chunks or read alone, the same key', async () => {
    const b = bytesOf(3 * MiB + 17);
    expect(await relayed(b, 65536 + 3)).toBe(expected(b));
    expect(await fingerprint(new Blob([b]))).toBe(expected(b));
  });

  it('above 64 MiB: the first and last 16 MiB, chunks straddling both edges', async () => {
    const b = bytesOf(70 * MiB + 5);
    expect(await relayed(b, 2 * MiB + 1)).toBe(expected(b));
    expect(await fingerprint(new Blob([b]))).toBe(expected(b));
  });

  it('an empty file has a key; a key waits for every covered byte', async () => {
    expect(await relayed(new Uint8Array(0), 1)).toBe(expected(new Uint8Array(0)));
    const f = new FileFingerprint({ size: 10 });
    let done = false;
    void f.key().then(() => (done = true));
    f.add(bytesOf(9), 0);
    await new Promise((r) => setTimeout(r, 10));
    expect(done).toBe(false);
  });
});
