/**
 * The key upload-exercise progress is saved under: SHA-256 of the file's size and a sample of its bytes,
 * as `s2-` and 16 hex digits. The sample is the whole file up to 3 MiB, else its first, middle and last
 * MiB: a trace's head holds its metadata, its middle and tail its timestamps, so two different traces of
 * one size share none of them. The same file gives the same key whatever it is called; a different trace
 * of the same name does not inherit its answers. Without WebCrypto (a page served over plain http from
 * another host) the name and size are used instead.
 *
 * `FileFingerprint` takes the bytes as the page reads the file for the worker (client.ts `onChunk`), so the
 * file is read once, and hashes 3 MiB at most: the key it replaced hashed 32 MiB (the whole file up to
 * 64 MiB, else its first and last 16 MiB), which in Chromium (`crypto.subtle.digest` runs on the calling
 * thread, ~160 MB/s on the bench machine) took the main thread 0.2–0.3 s, or, moved to a worker, the
 * worker's analysis ~0.2 s beside it on 2 cores. Progress saved under that older key is not lost:
 * `adoptLegacyProgress` computes it (in digest.worker.ts) only while such records exist and this file's new
 * key has none, and copies the file's record over.
 */
import type { ProgressStore } from '../../lib/exercises/progress.ts';

const MiB = 1024 ** 2;
const WHOLE_LIMIT = 3 * MiB;

/** The byte ranges of a file of `size` bytes that its key covers, in key order. */
function coveredRanges(size: number): Array<[number, number]> {
  if (size <= WHOLE_LIMIT) return [[0, size]];
  const mid = Math.floor(size / 2 - MiB / 2);
  return [[0, MiB], [mid, mid + MiB], [size - MiB, size]];
}

/** The older key's ranges: the whole file up to 64 MiB, else the first and last 16 MiB. */
function legacyRanges(size: number): Array<[number, number]> {
  return size <= 64 * MiB ? [[0, size]] : [[0, 16 * MiB], [size - 16 * MiB, size]];
}

const nameKey = (file: { name?: string; size: number }) => `name-${encodeURIComponent(file.name ?? '').slice(0, 40)}-${file.size}`;
const hex = (digest: ArrayBuffer) => [...new Uint8Array(digest).subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The bytes of `ranges` of a file, collected from chunks at their offsets, each byte at most once. */
class RangeBytes {
  readonly input: Uint8Array<ArrayBuffer>;
  private readonly ranges: Array<[number, number]>;
  private readonly headerLength: number;
  private covered = 0;
  private finish: () => void = () => {};
  /** Every covered byte is in. */
  readonly complete: Promise<void>;

  constructor(size: number, ranges: Array<[number, number]>) {
    this.ranges = ranges;
    const header = new TextEncoder().encode(`${size}\u0000`);
    this.headerLength = header.length;
    this.input = new Uint8Array(header.length + ranges.reduce((n, [a, b]) => n + (b - a), 0));
    this.input.set(header);
    this.complete = new Promise<void>((ok) => (this.finish = ok));
    if (this.input.length === this.headerLength) this.finish();
  }

  add(bytes: Uint8Array, offset: number): void {
    let at = this.headerLength;
    for (const [a, b] of this.ranges) {
      const from = Math.max(a, offset);
      const to = Math.min(b, offset + bytes.length);
      if (from < to) {
        this.input.set(bytes.subarray(from - offset, to - offset), at + (from - a));
        this.covered += to - from;
      }
      at += b - a;
    }
    if (this.covered === this.input.length - this.headerLength) this.finish();
  }
}

export class FileFingerprint {
  private readonly file: { size: number; name?: string };
  private readonly bytes: RangeBytes | null;
  private digested: Promise<string> | null = null;

  constructor(file: { size: number; name?: string }) {
    this.file = file;
    this.bytes = globalThis.crypto?.subtle ? new RangeBytes(file.size, coveredRanges(file.size)) : null;
  }

  /** Bytes of the file at `offset`, each byte at most once (the rest of the file may be left out). */
  add(bytes: Uint8Array, offset: number): void {
    this.bytes?.add(bytes, offset);
  }

  /** The key, once every byte it covers has been added (3 MiB at most are hashed, here). */
  key(): Promise<string> {
    const subtle = globalThis.crypto?.subtle;
    const bytes = this.bytes;
    if (!subtle || !bytes) return Promise.resolve(nameKey(this.file));
    return (this.digested ??= bytes.complete.then(async () => `s2-${hex(await subtle.digest('SHA-256', bytes.input))}`));
  }
}

/** The key upload progress was saved under before `s2-` keys (16 hex digits), hashed off the main thread where a Worker is at hand. */
export async function legacyFingerprint(file: Blob & { name?: string }): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return nameKey(file);
  const ranges = legacyRanges(file.size);
  const bytes = new RangeBytes(file.size, ranges);
  for (const [a, b] of ranges) bytes.add(new Uint8Array(await file.slice(a, b).arrayBuffer()), a);
  // Hashed here only where there is no Worker (Node): the 32 MiB go to the worker, not a copy of them.
  return hex(typeof Worker === 'undefined' ? await subtle.digest('SHA-256', bytes.input) : await sha256OffThread(bytes.input));
}

/** Upload progress records under a key of the older form (16 hex digits). */
const LEGACY_LESSON = /^upload\/[0-9a-f]{16}$/;

/**
 * Copies this file's progress saved under its older key to `upload/<key>`, when the store holds records
 * under older keys and none under `key` yet (so the older key is computed only then). Returns whether it
 * copied. The older record stays where it was.
 */
export async function adoptLegacyProgress(store: ProgressStore, file: Blob & { name?: string }, key: string): Promise<boolean> {
  const lessons = new Set(store.lessonIds());
  if (lessons.has(`upload/${key}`) || ![...lessons].some((l) => LEGACY_LESSON.test(l))) return false;
  const legacy = await legacyFingerprint(file);
  if (!lessons.has(`upload/${legacy}`)) return false;
  return store.copyLesson(`upload/${legacy}`, `upload/${key}`).ok;
}

/**
 * SHA-256 in digest.worker.ts: `crypto.subtle.digest` hashes on the calling thread in Chromium. The bytes
 * are transferred (`bytes` is empty afterwards); rejects when the worker fails, and the older key is then
 * not known (its progress is not adopted this time).
 */
function sha256OffThread(bytes: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  return new Promise<ArrayBuffer>((ok, no) => {
    const w = new Worker(new URL('./digest.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<ArrayBuffer | null>) => {
      w.terminate();
      if (e.data) ok(e.data);
      else no(new Error('digest failed'));
    };
    w.onerror = () => {
      w.terminate();
      no(new Error('digest worker failed'));
    };
    w.postMessage(bytes.buffer, [bytes.buffer]);
  });
}
