/**
 * Test support (Node only): the third-party traces in ../shared/traces, as
 * bytes, as text and as the plain JSON.parse reference. Never copied into the
 * repository; tests skip with a printed reason when the folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const SHARED_TRACES = resolve(repoRoot, '../shared/traces');
export const sharedTracesPresent = existsSync(SHARED_TRACES);

export function warnIfAbsent(): void {
  if (!sharedTracesPresent) console.warn(`real-trace tests skipped: ${SHARED_TRACES} not found`);
}

/** Every trace file: all pytorch/*.json.gz and both Ascend ranks. */
export const SHARED_TRACE_FILES = [
  'pytorch/hta-alexnet-cuda-sync.json.gz',
  'pytorch/hta-amd-mi250.json.gz',
  'pytorch/hta-cpu-only.json.gz',
  'pytorch/hta-event-sync-multistream.json.gz',
  'pytorch/hta-nccl-data.json.gz',
  'pytorch/hta-sampled-rank0.json.gz',
  'pytorch/hta-sampled-rank1.json.gz',
  'pytorch/hta-triton.json.gz',
  'pytorch/kineto-resnet50-2021.json.gz',
  'ascend/train-2rank-level1/rank0/trace_view.json',
  'ascend/train-2rank-level1/rank1/trace_view.json.gz',
];

export function sharedBytes(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(SHARED_TRACES, rel)));
}

/** Decompressed bytes. */
export function sharedJsonBytes(rel: string): Uint8Array {
  const raw = readFileSync(resolve(SHARED_TRACES, rel));
  return new Uint8Array(rel.endsWith('.gz') ? gunzipSync(raw) : raw);
}

export function sharedText(rel: string): string {
  return new TextDecoder().decode(sharedJsonBytes(rel));
}
