/**
 * The key upload-exercise progress is saved under: SHA-256 of the file's size
 * and its bytes (the whole file up to 64 MiB; above that its first and last
 * 16 MiB, so fingerprinting a 1 GB trace stays quick), as 16 hex digits. The
 * same file gives the same key whatever it is called; a different trace of
 * the same name does not inherit its answers. Without WebCrypto (a page served
 * over plain http from another host) the name and size are used instead.
 *
 * `FileFingerprint` takes the bytes as the page reads the file for the worker
 * (client.ts `onChunk`), so the file is read once (reading its 32 MiB again for
 * the key, beside the worker's analysis, cost ~0.15 s at 100 MB), and hashes
 * them in a worker of its own (digest.worker.ts): in Chromium
 * `crypto.subtle.digest` runs on the calling thread, and hashing 32 MiB (with
 * the one buffer it needs, fresh memory) held the page for 0.2–0.3 s.
 * `fingerprint(file)` reads what the key covers itself.
 */
const WHOLE_LIMIT = 64 * 1024 ** 2;
const SAMPLE = 16 * 1024 ** 2;

/** The byte ranges of a file of `size` bytes that its key covers, in key order. */
function coveredRanges(size: number): Array<[number, number]> {
  return size <= WHOLE_LIMIT ? [[0, size]] : [[0, SAMPLE], [size - SAMPLE, size]];
}

const nameKey = (file: { name?: string; size: number }) => `name-${encodeURIComponent(file.name ?? '').slice(0, 40)}-${file.size}`;
const hex = (digest: ArrayBuffer) => [...new Uint8Array(digest).subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');

export class FileFingerprint {
  private readonly file: { size: number; name?: string };
  private readonly ranges: Array<[number, number]>;
  /** Copies of the covered bytes, each with its place in the digest's input (after the size header). */
  private readonly parts: Array<{ at: number; bytes: Uint8Array<ArrayBuffer> }> = [];
  private readonly coveredTotal: number;
  private covered = 0;
  private finish: () => void = () => {};
  private readonly complete: Promise<void>;
  private digested: Promise<string> | null = null;

  constructor(file: { size: number; name?: string }) {
    this.file = file;
    this.ranges = coveredRanges(file.size);
    this.coveredTotal = this.ranges.reduce((n, [a, b]) => n + (b - a), 0);
    this.complete = new Promise<void>((ok) => (this.finish = ok));
    if (this.coveredTotal === 0) this.finish();
  }

  /** Bytes of the file at `offset`, each byte at most once (the rest of the file may be left out); keeps a copy of the part the key covers. */
  add(bytes: Uint8Array, offset: number): void {
    if (!globalThis.crypto?.subtle) return;
    let at = 0;
    for (const [a, b] of this.ranges) {
      const from = Math.max(a, offset);
      const to = Math.min(b, offset + bytes.length);
      if (from < to) {
        this.parts.push({ at: at + (from - a), bytes: bytes.slice(from - offset, to - offset) as Uint8Array<ArrayBuffer> });
        this.covered += to - from;
      }
      at += b - a;
    }
    if (this.covered === this.coveredTotal) this.finish();
  }

  /**
   * The key: hashed when this is first called and every covered byte is in (the upload page asks once the
   * worker has read the file, so the hash does not compete with the read).
   */
  key(): Promise<string> {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return Promise.resolve(nameKey(this.file));
    return (this.digested ??= this.complete.then(async () => {
      const header = new TextEncoder().encode(`${this.file.size}\u0000`) as Uint8Array<ArrayBuffer>;
      const parts = [header, ...this.parts.sort((x, y) => x.at - y.at).map((p) => p.bytes)];
      this.parts.length = 0;
      try {
        return hex(await sha256OffThread(parts));
      } catch (e) {
        // A worker that died with the bytes (never seen): the name and size, as without WebCrypto.
        if ((e as Error).message === GONE) return nameKey(this.file);
        return hex(await subtle.digest('SHA-256', concat(parts)));
      }
    }));
  }
}

function concat(parts: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

const GONE = 'digest worker failed with the bytes';

/**
 * SHA-256 of the parts, one after the other, in digest.worker.ts. The parts are transferred only once the
 * worker says it runs; rejects (parts untouched) where there is no Worker (Node) or it never starts.
 */
function sha256OffThread(parts: Uint8Array<ArrayBuffer>[]): Promise<ArrayBuffer> {
  if (typeof Worker === 'undefined') return Promise.reject(new Error('no Worker'));
  return new Promise<ArrayBuffer>((ok, no) => {
    const w = new Worker(new URL('./digest.worker.ts', import.meta.url), { type: 'module' });
    let sent = false;
    w.onmessage = (e: MessageEvent<ArrayBuffer | 'ready' | null>) => {
      if (e.data === 'ready') {
        // Whole buffers (a part is a copy of its own), transferred.
        w.postMessage(parts.map((p) => p.buffer), parts.map((p) => p.buffer));
        sent = true;
        return;
      }
      w.terminate();
      if (e.data) ok(e.data);
      else no(new Error('digest failed'));
    };
    w.onerror = () => {
      w.terminate();
      // After the parts went, they are gone with the worker: the caller cannot hash them here.
      no(new Error(sent ? GONE : 'digest worker did not start'));
    };
  });
}

/** The key of `file`, reading only the bytes it covers. */
export async function fingerprint(file: Blob & { name?: string }): Promise<string> {
  const f = new FileFingerprint(file);
  if (globalThis.crypto?.subtle) for (const [a, b] of coveredRanges(file.size)) f.add(new Uint8Array(await file.slice(a, b).arrayBuffer()), a);
  return f.key();
}
