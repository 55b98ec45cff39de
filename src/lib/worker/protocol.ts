/**
 * Messages between the page and the trace worker. One request opens one
 * trace; the worker answers with progress messages and then exactly one of
 * `done` (the model, its typed arrays transferred, not copied) or `error`.
 * With `analyze`, the analysis of the model comes *before* `done`: `tracks`,
 * `lod` (the slice mipmap of the big tracks, mipmap.ts), `detectors`, `memo`
 * (analysis.ts) and, when `retarget` names the trace, `slots` (the upload
 * page's re-targeted exercises, plain data); their arrays are transferred.
 * The worker analyses the model it loaded and then gives it away, so it never
 * holds a copy — except a small model loaded without `retarget` (a lesson's
 * sample): a structured-clone copy of it goes to the page as `model` right
 * after `tracks` and `lod`, so the page draws while the worker finishes the
 * detectors on its own model, and `done` then comes without one (host.ts,
 * `COPY_MODEL_MAX_BYTES`; README.md says why). An `analyze` request sends a model the page already has (in
 * pieces, see model-pieces.ts) and gets the same analysis answers, then
 * `analysed`.
 */
import type { TraceModel } from '../trace/model.ts';
import type { PackedDetectors, PageMemo, TrackAnalysis } from './analysis.ts';
import type { RetargetSlot } from '../exercises/retarget.ts';
import type { PackedSliceLod } from './mipmap.ts';
import type { ModelPiece } from './model-pieces.ts';
import type { TraceLoadErrorCode, TraceLoadErrorParams } from '../trace/errors.ts';
import type { LoadProgress } from '../trace/load.ts';

/**
 * What can be opened: a File/Blob, a URL to fetch, bytes already in memory, or a Blob the page reads and
 * sends in `chunk` messages (relay.ts; what client.ts does with every Blob).
 */
export type TraceSource = Blob | string | Uint8Array | RelayedBlob;

/** A Blob of `size` bytes whose bytes follow the `open` as `chunk` messages and one `chunk-end`. */
export interface RelayedBlob {
  relayed: true;
  size: number;
}

export type WorkerRequest =
  | {
      type: 'open';
      id: number;
      source: TraceSource;
      fileName?: string;
      maxDecompressedBytes?: number;
      /** Run the analysis after the load and post its answers before `done`. */
      analyze?: boolean;
      /**
       * With `analyze`: re-target the lessons' exercises to this trace, `traceRef` as their `trace` (slots);
       * `true`: re-target, the ref follows in a `retarget-ref` message (the upload page fingerprints the file
       * while the worker loads it).
       */
      retarget?: string | true;
      /** With `analyze` and no `retarget`: the largest model (bytes of typed arrays) sent early as a copy; default host.ts's `COPY_MODEL_MAX_BYTES`, 0 never. */
      copyModelUpTo?: number;
    }
  /** Analyse a model the page already holds (sent by structured clone: small models, tests). */
  | { type: 'analyze'; id: number; model: TraceModel }
  /** The same for a big model, in pieces (model-pieces.ts); `analyze-end` starts the analysis. */
  | { type: 'analyze-piece'; id: number; piece: ModelPiece }
  | { type: 'analyze-end'; id: number }
  /** The trace ref of an `open` sent with `retarget: true`; the worker waits for it before re-targeting. */
  | { type: 'retarget-ref'; id: number; ref: string }
  /** The next bytes of a `RelayedBlob` (its buffer transferred); `chunk-end` after the last, with `error` when the page's read failed. */
  | { type: 'chunk'; id: number; bytes: Uint8Array }
  | { type: 'chunk-end'; id: number; error?: string }
  | { type: 'cancel'; id: number }
  /**
   * Load these traces and drop them, so that the loader's code is compiled before a file comes (the upload
   * page's worker, started ahead, while the page is idle; host.ts `warmUp`). Any other request stops it.
   */
  | { type: 'warm'; urls: string[] };

/**
 * Where the worker's time went, in ms of its own clock: from the `open` to the model read (the file read,
 * parsed and assembled), then each pass of the analysis in order (host.ts `analyze`). The upload page shows
 * the two sums; `npm run bench` reads them to say where a slow load went.
 */
export interface LoadTiming {
  readMs: number;
  /** Absent for a load without `analyze`. */
  analysis?: Array<{ pass: AnalysisPass; ms: number }>;
}
/** The analysis passes' total, or null for a load without analysis. */
export function analysisMsOf(t: LoadTiming): number | null {
  return t.analysis ? t.analysis.reduce((n, p) => n + p.ms, 0) : null;
}

export type AnalysisPass = 'tracks' | 'zoom levels' | 'step table' | 'detectors' | 'exercises' | 'memo';

/** Load errors keep the loader's code; `fetch` is a URL that could not be downloaded, `internal` a bug. */
export type WorkerErrorCode = TraceLoadErrorCode | 'fetch' | 'internal';

export interface WorkerError {
  code: WorkerErrorCode;
  message: string;
  position?: number;
  /** The loader's structured details (TraceLoadErrorParams), so the page can word the message in zh too. */
  params?: TraceLoadErrorParams;
}

/** Load progress; `analysing` once the load is done and the worker analyses the model (before `done`). */
export type WorkerProgress = LoadProgress & { analysing?: boolean };

export type WorkerResponse =
  | { type: 'progress'; id: number; progress: WorkerProgress }
  /** The loader has taken `bytes` of a `RelayedBlob` so far: the page may read further (relay.ts). */
  | { type: 'chunk-ack'; id: number; bytes: number }
  /** The model, its typed arrays transferred; without one when it came earlier as `model`. */
  | { type: 'done'; id: number; model?: TraceModel; timing?: LoadTiming }
  /**
   * Elements [from, from + values.length) of a big string array of the model
   * (`table` null: `model.strings`), sent before `done` in chunks, each its own
   * task on the page; `done` then has that array empty (model-pieces.ts
   * `stringChunks`).
   */
  | { type: 'strings'; id: number; table: string | null; field: string; length: number; from: number; values: string[] }
  /** A copy of a small model, before `detectors` (analysed loads without `retarget`). */
  | { type: 'model'; id: number; model: TraceModel }
  | { type: 'tracks'; id: number; tracks: TrackAnalysis }
  | { type: 'lod'; id: number; lod: PackedSliceLod }
  | { type: 'detectors'; id: number; detectors: PackedDetectors }
  | { type: 'memo'; id: number; memo: PageMemo }
  /** null: re-targeting threw (logged in the worker). */
  | { type: 'slots'; id: number; slots: RetargetSlot[] | null }
  /** The last answer to an `analyze` request. */
  | { type: 'analysed'; id: number }
  | { type: 'error'; id: number; error: WorkerError };

/** The part of a Worker, a worker's global scope or a MessagePort that the protocol uses. */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}

/** Bytes in the model's typed arrays (what a structured-clone copy of it costs, strings aside). */
export function typedArrayBytes(model: TraceModel): number {
  return transferablesOf(model).reduce((n, b) => n + b.byteLength, 0);
}

/** Every distinct ArrayBuffer under the model's typed arrays, for a zero-copy postMessage. */
export function transferablesOf(model: TraceModel): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (value: unknown): void => {
    if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) buffers.add(value.buffer);
  };
  const visit = (table: object): void => {
    for (const value of Object.values(table)) add(value);
  };
  visit(model.processes);
  visit(model.tracks);
  visit(model.slices);
  visit(model.instants);
  visit(model.counters);
  visit(model.flows);
  visit(model.args);
  model.args.segments.forEach(add);
  visit(model.args.keyed);
  return [...buffers];
}
