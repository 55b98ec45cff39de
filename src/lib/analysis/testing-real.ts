/**
 * Test support (Node only; never import from library code): finds the shared
 * third-party traces, loads them through the real loader, and reads them a
 * second time with a plain JSON.parse so tests can compute expected values
 * independently of the model and the analysis.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { loadDb } from '../trace/test-support/sqlite.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const TRACES_DIR = resolve(repoRoot, '../shared/traces');
export const tracesPresent = existsSync(TRACES_DIR);

export function skipReason(): string {
  return `../shared/traces not found (looked in ${TRACES_DIR}): real-trace tests skipped`;
}

export const ASCEND_RANKS = [
  { rank: 0, file: 'ascend/train-2rank-level1/rank0/trace_view.json', dir: 'ascend/train-2rank-level1/rank0' },
  { rank: 1, file: 'ascend/train-2rank-level1/rank1/trace_view.json.gz', dir: 'ascend/train-2rank-level1/rank1' },
];

export const KINETO_TRACES = [
  'pytorch/hta-nccl-data.json.gz',
  'pytorch/hta-sampled-rank0.json.gz',
  'pytorch/hta-sampled-rank1.json.gz',
  'pytorch/hta-alexnet-cuda-sync.json.gz',
  'pytorch/hta-event-sync-multistream.json.gz',
  'pytorch/hta-amd-mi250.json.gz',
  'pytorch/hta-triton.json.gz',
  'pytorch/hta-cpu-only.json.gz',
  'pytorch/kineto-resnet50-2021.json.gz',
];

function bytesOf(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(TRACES_DIR, rel)));
}

const models = new Map<string, Promise<TraceModel>>();
/** A shared trace as the model, loaded once: JSON through the loader, an Ascend `.db` through its importer. */
export function loadShared(rel: string): Promise<TraceModel> {
  let m = models.get(rel);
  if (!m) models.set(rel, (m = rel.endsWith('.db') ? loadDb(resolve(TRACES_DIR, rel)) : loadTrace(bytesOf(rel), { fileName: rel })));
  return m;
}

export interface RawEvent {
  ph?: string;
  name?: string;
  cat?: string;
  pid?: number | string;
  tid?: number | string;
  ts?: number | string;
  dur?: number | string;
  id?: number | string;
  args?: Record<string, unknown>;
}

/** The trace's events by a plain JSON.parse (gunzipped when needed). */
export function rawEvents(rel: string): RawEvent[] {
  let b = Buffer.from(bytesOf(rel));
  if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipSync(b);
  const doc = JSON.parse(b.toString('utf8')) as RawEvent[] | { traceEvents: RawEvent[] };
  return Array.isArray(doc) ? doc : doc.traceEvents;
}

export function readSharedText(rel: string): string {
  return readFileSync(resolve(TRACES_DIR, rel), 'utf8');
}

/** Exact ns from a µs timestamp written as text or number ("1736408883704643.212"). */
export function nsOf(us: number | string | undefined): bigint {
  const s = typeof us === 'number' ? us.toFixed(3) : String(us ?? '0');
  const [i, f = ''] = s.split('.');
  const frac = (f + '000').slice(0, 3);
  const neg = i.startsWith('-');
  const v = BigInt(i.replace('-', '')) * 1000n + BigInt(frac);
  return neg ? -v : v;
}

/** Process and thread names from the metadata events. */
export function names(events: RawEvent[]) {
  const process = new Map<string, string>();
  const label = new Map<string, string>();
  const thread = new Map<string, string>();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') process.set(String(e.pid), String(e.args?.name));
    if (e.name === 'process_labels') label.set(String(e.pid), String(e.args?.labels));
    if (e.name === 'thread_name') thread.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  }
  return { process, label, thread };
}

/** Sorted-interval union total of [start, end) pairs in ns (bigint, exact). */
export function unionTotal(pairs: Array<[bigint, bigint]>): bigint {
  const p = pairs.filter(([s, e]) => e > s).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let total = 0n;
  let cs = -1n;
  let ce = -1n;
  for (const [s, e] of p) {
    if (ce >= 0n && s <= ce) {
      if (e > ce) ce = e;
    } else {
      if (ce >= 0n) total += ce - cs;
      cs = s;
      ce = e;
    }
  }
  if (ce >= 0n) total += ce - cs;
  return total;
}

/** Quantile by nearest rank, the definition the detector documents. */
export function nearestRank(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
