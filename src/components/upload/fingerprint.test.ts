// The upload page's progress key: SHA-256 over the size, a NUL and a sample of the bytes (the whole file up
// to 3 MiB, else its first, middle and last MiB), as `s2-` and 16 hex digits, in whatever chunks the page relays
// the file to the worker; and progress saved under
// the older key (32 MiB hashed) carried over to the new one.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStorage, ProgressStore } from '../../lib/exercises/progress.ts';
import { FileFingerprint, adoptLegacyProgress, legacyFingerprint } from './fingerprint.ts';

const MiB = 2 ** 20;
const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 9)) & 0xff);
const sha = (b: Uint8Array, ranges: Array<[number, number]>) => {
  const h = createHash('sha256').update(`${b.length}\u0000`);
  for (const [x, y] of ranges) h.update(b.subarray(x, y));
  return h.digest('hex').slice(0, 16);
};
function expected(b: Uint8Array): string {
  const n = b.length;
  const mid = Math.floor(n / 2 - MiB / 2);
  return `s2-${sha(b, n <= 3 * MiB ? [[0, n]] : [[0, MiB], [mid, mid + MiB], [n - MiB, n]])}`;
}
const expectedLegacy = (b: Uint8Array) => sha(b, b.length <= 64 * MiB ? [[0, b.length]] : [[0, 16 * MiB], [b.length - 16 * MiB, b.length]]);
async function relayed(b: Uint8Array, chunk: number): Promise<string> {
  const f = new FileFingerprint({ size: b.length, name: 'x.json' });
  for (let o = 0; o < b.length; o += chunk) f.add(b.subarray(o, o + chunk), o);
  return f.key();
}

describe('the upload progress key', () => {
  it('a small file, whole: relayed in chunks or read alone, the same key', async () => {
    const b = bytesOf(3 * MiB - 17);
    expect(await relayed(b, 65536 + 3)).toBe(expected(b));
    expect(await relayed(b, b.length + 1)).toBe(expected(b));
  });

  it('a bigger file: its first, middle and last MiB, chunks straddling every edge', async () => {
    const b = bytesOf(9 * MiB + 5);
    expect(await relayed(b, 2 * MiB + 1)).toBe(expected(b));
    expect(await relayed(b, b.length + 1)).toBe(expected(b));
    // A byte outside the sample leaves the key as it is; one inside changes it.
    const c = b.slice();
    c[2 * MiB] ^= 1;
    expect(await relayed(c, MiB)).toBe(expected(b));
    c[Math.floor(c.length / 2)] ^= 1;
    expect(await relayed(c, MiB)).not.toBe(expected(b));
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

  it('the older key: the whole file up to 64 MiB, else its first and last 16 MiB', async () => {
    const small = bytesOf(5 * MiB + 1);
    expect(await legacyFingerprint(new Blob([small]))).toBe(expectedLegacy(small));
    const big = bytesOf(70 * MiB + 5);
    expect(await legacyFingerprint(new Blob([big]))).toBe(expectedLegacy(big));
  });
});

describe('progress saved under the older key', () => {
  const b = bytesOf(4 * MiB + 3);

  it('is copied to the new key, and kept under the old one', async () => {
    const store = new ProgressStore(new MemoryStorage(), { key: 'tracewise.upload-progress' });
    const legacy = expectedLegacy(b);
    store.recordAttempt(`upload/${legacy}`, 'upload-find-collective', { correct: true, answer: 'x' });
    const key = await relayed(b, MiB);
    expect(await adoptLegacyProgress(store, new Blob([b]), key)).toBe(true);
    expect(store.get(`upload/${key}`, 'upload-find-collective')?.solvedAt).toBe(store.get(`upload/${legacy}`, 'upload-find-collective')?.solvedAt);
    expect(store.lesson(`upload/${legacy}`)).toEqual(store.lesson(`upload/${key}`));
  });

  it('is not looked for when there are no older records, or the new key has its own', async () => {
    // A Blob that must not be read.
    const unread = new (class extends Blob {
      override slice(): Blob {
        throw new Error('read');
      }
    })([b]);
    const store = new ProgressStore(new MemoryStorage(), { key: 'tracewise.upload-progress' });
    store.recordAttempt('upload/s2-0000000000000000', 'upload-find-collective', { correct: false, answer: 'x' });
    expect(await adoptLegacyProgress(store, unread, 's2-1111111111111111')).toBe(false);
    store.recordAttempt('upload/0123456789abcdef', 'upload-find-collective', { correct: true, answer: 'x' });
    expect(await adoptLegacyProgress(store, unread, 's2-0000000000000000')).toBe(false);
    // Older records, but none of this file: nothing copied.
    expect(await adoptLegacyProgress(store, new Blob([b]), 's2-2222222222222222')).toBe(false);
    expect(store.lesson('upload/s2-2222222222222222')).toEqual({});
  });
});
