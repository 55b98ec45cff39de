// A cut .json.gz read the way the page reads it (a Blob's stream through the
// worker host over a MessageChannel, inflated by the platform's
// DecompressionStream) keeps every event inflated before the cut: the same
// count as the CLI (node:zlib), on every run. Before the fix the page kept a
// timing-dependent fraction (the DecompressionStream's error at the end of the
// cut stream threw away the chunks it had inflated but not yet handed out).
import { gunzipSync, constants as zlibConstants } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadTrace } from "../trace/load.ts";
import { nodeGunzip } from "../../cli/files.ts";
import { openTrace } from "./client.ts";
import { connectInProcess as connect } from "./in-process.ts";
import {
  sharedBytes,
  sharedTracesPresent,
  warnIfAbsent,
} from "../trace/test-support/shared.ts";

warnIfAbsent();

const TRACES = [
  "pytorch/kineto-resnet50-2021.json.gz",
  "pytorch/hta-nccl-data.json.gz",
  "pytorch/hta-sampled-rank0.json.gz",
];
const CUTS = [0.5, 0.8, 0.97];

/**
 * A DecompressionStream that hands out its output as Chromium's does: all that
 * one input chunk inflates to, enqueued at once in 16 KB pieces, and on a cut
 * stream an error from flush (which empties the stream's queue). Node's own
 * DecompressionStream is paced by zlib's callbacks and hides the loss.
 */
class ChromiumLikeDecompressionStream extends TransformStream<
  Uint8Array,
  Uint8Array
> {
  constructor() {
    let input = new Uint8Array(0);
    let emitted = 0;
    super({
      transform(chunk, controller) {
        const all = new Uint8Array(input.length + chunk.length);
        all.set(input);
        all.set(chunk, input.length);
        input = all;
        const out = gunzipSync(input, {
          finishFlush: zlibConstants.Z_SYNC_FLUSH,
        });
        for (let off = emitted; off < out.length; off += 16384)
          controller.enqueue(
            new Uint8Array(
              out.subarray(off, Math.min(out.length, off + 16384)),
            ),
          );
        emitted = out.length;
      },
      flush() {
        gunzipSync(input); // throws on a cut stream, as Chromium's "Compressed input was truncated."
      },
    });
  }
}

/** The CLI's way: 1 MB reads inflated by node:zlib. */
async function cliModel(bytes: Uint8Array) {
  async function* chunks() {
    for (let off = 0; off < bytes.length; off += 1 << 20)
      yield bytes.slice(off, off + (1 << 20));
  }
  return loadTrace(chunks(), { gunzip: nodeGunzip });
}

afterEach(() => vi.unstubAllGlobals());

describe.skipIf(!sharedTracesPresent)(
  "a cut .json.gz in the page keeps what the CLI keeps",
  () => {
    for (const [platform, stand] of [
      ["Node", null],
      ["Chromium-like", ChromiumLikeDecompressionStream],
    ] as const) {
      for (const rel of TRACES) {
        for (const cut of CUTS) {
          it(`${platform} DecompressionStream: ${rel} cut at ${cut * 100}%`, async () => {
            if (stand) vi.stubGlobal("DecompressionStream", stand);
            const whole = sharedBytes(rel);
            const bytes = whole.slice(0, Math.floor(whole.length * cut));
            const cli = await cliModel(bytes);
            expect(cli.stats.truncated).toBe(true);
            // Twice: the old loss depended on timing.
            for (let run = 0; run < 2; run++) {
              const page = await openTrace(new Blob([bytes]), { connect });
              expect(page.stats.events, `run ${run}`).toBe(cli.stats.events);
              expect(page.stats.bytes, `run ${run}`).toBe(cli.stats.bytes);
              expect(page.stats.gzipCut, `run ${run}`).toEqual({
                compressedBytes: bytes.length,
                inflatedBytes: cli.stats.bytes,
              });
            }
          });
        }
      }
    }
  },
);
