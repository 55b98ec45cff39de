/**
 * Test support: read a fixture of src/lib/trace/fixtures/ as bytes, and feed bytes to the loader in
 * chunks of a given size (speedscope's "partial json import chunked": every reader must give the same
 * model whatever the chunking).
 */
import { readFileSync } from 'node:fs';

export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

export function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let off = 0;
  return new ReadableStream({
    pull(c) {
      if (off >= bytes.length) return c.close();
      c.enqueue(bytes.slice(off, (off += size)));
    },
  });
}
