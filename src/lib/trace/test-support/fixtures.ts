/**
 * Test support: read a fixture of src/lib/trace/fixtures/ as bytes, feed bytes to the loader in
 * chunks of a given size (speedscope's "partial json import chunked": every reader must give the same
 * model whatever the chunking), and expect a load to fail with a typed error.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { TraceLoadError } from '../errors.ts';
import { loadTrace, type LoadOptions } from '../load.ts';
import { argsText } from '../args.ts';
import type { TraceModel } from '../model.ts';

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

/** The TraceLoadError a load throws; fails the test when it throws anything else or nothing. */
export async function failure(input: Uint8Array | ReadableStream<Uint8Array>, opts: LoadOptions = {}): Promise<TraceLoadError> {
  try {
    await loadTrace(input, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(TraceLoadError);
    return e as TraceLoadError;
  }
  throw new Error('expected a TraceLoadError');
}

/**
 * `model` with its args as texts instead of segments and offsets: how args are laid out in memory depends
 * on the input's chunks when the loader may reuse them (LoadOptions.ownsInput), what they say does not.
 * Compare two models with `expect(argsAsTexts(a)).toEqual(argsAsTexts(b))`.
 */
export function argsAsTexts(model: TraceModel): object {
  const texts = Array.from({ length: model.args.length }, (_, i) => argsText(model.args, i));
  return { ...model, args: { length: model.args.length, texts, keyed: model.args.keyed } };
}
