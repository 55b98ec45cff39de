/**
 * Page side: `openTrace` loads a trace in a Web Worker and resolves with the
 * model (its typed arrays transferred back, not copied). Rejects with a
 * TraceLoadError for anything wrong with the file (same codes as the loader),
 * with code 'aborted' when the signal fires.
 *
 * `openTraceWithAnalysis` also has the worker analyse the model (analysis.ts)
 * before handing it over, so the model resolves with its analysis already in
 * (and lib/analysis' memo primed with it); `analysisOf(model)` hands that
 * analysis out per model: the one that came with the load, or a new worker run
 * on a copy of a model the page built itself.
 */
import type { TraceModel } from '../trace/model.ts';
import { TraceLoadError } from '../trace/errors.ts';
import type { LoadTiming, MessageEndpoint, TraceSource, WorkerProgress, WorkerRequest, WorkerResponse } from './protocol.ts';
import { primeAnalysis, type PackedDetectors, type PageMemo, type TrackAnalysis } from './analysis.ts';
import type { RetargetSlot } from '../exercises/retarget.ts';
import type { PackedSliceLod } from './mipmap.ts';
import { StringColumns, modelPieces } from './model-pieces.ts';
import { relayBlob } from './relay.ts';

/** Main-thread time spent posting model pieces before yielding a macrotask. */
const SEND_SLICE_MS = 6;

export interface OpenTraceOptions {
  /** Load progress; with analysis, a last one with `analysing: true` when the worker starts analysing. */
  onProgress?: (p: WorkerProgress) => void;
  signal?: AbortSignal;
  fileName?: string;
  maxDecompressedBytes?: number;
  /**
   * With analysis: re-target the lessons' exercises to the trace in the worker (`slots`), this as their
   * `trace`; a promise lets the load start before the ref is known (the worker waits for it only to re-target).
   */
  retarget?: string | Promise<string>;
  /** With analysis, no `retarget`: the largest model sent ahead of its detectors as a copy (protocol.ts; tests). */
  copyModelUpTo?: number;
  /** A Blob source's bytes at their offsets, as the page reads them for the worker (relay.ts); the chunk is the worker's afterwards, so copy what you keep. */
  onChunk?: (bytes: Uint8Array, offset: number) => void;
  /** Where to run the loader; defaults to a new module Worker (tests pass a MessageChannel port). */
  connect?: () => MessageEndpoint & { terminate?: () => void };
}

/** Errors that are not about the file: a failed download or a bug. */
export class TraceOpenError extends Error {
  readonly code: 'fetch' | 'internal';
  constructor(code: 'fetch' | 'internal', message: string) {
    super(message);
    this.name = 'TraceOpenError';
    this.code = code;
  }
}

/** The worker's analysis of one model, in the order it arrives. */
export interface WorkerAnalysis {
  tracks: Promise<TrackAnalysis>;
  /** Every LOD level of the big slice tracks (for SliceLod.adopt). */
  lod: Promise<PackedSliceLod>;
  detectors: Promise<PackedDetectors>;
  /**
   * Settles once lib/analysis' memo of the model holds the whole analysis
   * (detectors, links, overlaps) or the analysis failed: a lesson's small model
   * can come before its detectors (host.ts, `COPY_MODEL_MAX_BYTES`), and an
   * answer checked meanwhile would run them on the page.
   */
  analysed: Promise<void>;
}

export interface OpenedTrace extends WorkerAnalysis {
  model: Promise<TraceModel>;
  /** The re-targeted exercises (with `retarget`; null when re-targeting failed), resolved before `model`. */
  slots: Promise<RetargetSlot[] | null>;
  /** Where the worker's time went (protocol.ts `LoadTiming`), resolved with the model; null for an `analyze` request. */
  timing: Promise<LoadTiming | null>;
}

let nextId = 1;

type WorkerEndpoint = MessageEndpoint & { terminate: () => void };

function newWorker(): WorkerEndpoint {
  return new Worker(new URL('./trace.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerEndpoint;
}

/** A worker started ahead by `prepareWorker`, taken by the next load. */
let spare: WorkerEndpoint | null = null;
/** Cancels the spare's start or warm-up that is still waiting for an idle moment. */
let cancelWarm: (() => void) | null = null;

function defaultWorker(): WorkerEndpoint {
  const w = spare ?? newWorker();
  spare = null;
  cancelWarm?.();
  cancelWarm = null;
  return w;
}

/**
 * Starts a worker now for the next load, so a file chosen later does not wait for the worker's script to be
 * fetched and evaluated (the upload page calls it when it mounts and after each load). One at most; a page
 * that never loads keeps one idle worker until `releasePreparedWorker` or unload.
 *
 * `warmWith`: trace URLs (small samples) the worker loads and drops once the page is idle, so its loader is
 * compiled before a file comes (host.ts `warmUp`); a load that comes first stops it. `whenIdle`: the worker
 * itself is started once the page is idle (after a load, while the page draws it); a load before then starts its own.
 */
export function prepareWorker(opts: { warmWith?: string[]; whenIdle?: boolean } = {}): void {
  if (spare || typeof Worker === 'undefined') return;
  if (opts.whenIdle && typeof requestIdleCallback === 'function') {
    // Right after a load the page mounts and draws the model: a worker's start (its script fetched,
    // compiled and run on another thread, on a 2-core machine the page's other core) waits until that is done.
    cancelWarm?.();
    const handle = requestIdleCallback(() => {
      cancelWarm = null;
      prepareWorker({ warmWith: opts.warmWith });
    }, { timeout: 2000 });
    cancelWarm = () => cancelIdleCallback(handle);
    return;
  }
  const w = (spare = newWorker());
  const urls = opts.warmWith;
  if (!urls?.length) return;
  const warm = (): void => {
    cancelWarm = null;
    if (spare === w) w.postMessage({ type: 'warm', urls } satisfies WorkerRequest);
  };
  // After the page's own start-up (hydration, the first frames), not beside it.
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(warm, { timeout: 2000 });
    cancelWarm = () => cancelIdleCallback(handle);
  } else {
    const handle = setTimeout(warm, 500);
    cancelWarm = () => clearTimeout(handle);
  }
}

/** Ends the worker `prepareWorker` started, if no load has taken it. */
export function releasePreparedWorker(): void {
  spare?.terminate();
  spare = null;
  cancelWarm?.();
  cancelWarm = null;
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((ok, no) => {
    resolve = ok;
    reject = no;
  });
  // Callers may only want the model; an unread analysis failure is not an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

const analyses = new WeakMap<TraceModel, WorkerAnalysis>();
const extents = new WeakMap<TraceModel, { startNs: number; endNs: number }>();

/**
 * The content extent the worker computed for a model it loaded (tracks come
 * before the model), so a widget does not walk the slices for it; null for
 * any other model.
 */
export function knownContentExtent(model: TraceModel): { startNs: number; endNs: number } | null {
  return extents.get(model) ?? null;
}

/**
 * One request to one worker. `model` is given for an `analyze` request (the
 * page's own model, cloned to the worker); else `source` is loaded.
 */
function request(source: TraceSource | null, model: TraceModel | null, opts: OpenTraceOptions, analyze: boolean): OpenedTrace {
  const loaded = deferred<TraceModel>();
  const tracks = deferred<TrackAnalysis>();
  const lod = deferred<PackedSliceLod>();
  const detectors = deferred<PackedDetectors>();
  const slots = deferred<RetargetSlot[] | null>();
  const analysed = deferred<void>();
  const timing = deferred<LoadTiming | null>();
  const out: OpenedTrace = { model: loaded.promise, tracks: tracks.promise, lod: lod.promise, detectors: detectors.promise, analysed: analysed.promise, slots: slots.promise, timing: timing.promise };
  const failAll = (e: unknown) => {
    analysed.resolve();
    loaded.reject(e);
    tracks.reject(e);
    lod.reject(e);
    detectors.reject(e);
    slots.reject(e);
    timing.reject(e);
  };
  if (opts.signal?.aborted) {
    failAll(new TraceLoadError('aborted', 'Loading was cancelled.'));
    return out;
  }
  if (!analyze || !opts.retarget) slots.resolve(null);
  const endpoint = (opts.connect ?? defaultWorker)();
  const id = nextId++;
  // The analysis of a load arrives before its model: kept until the model comes, to prime its memo.
  let gotTracks: TrackAnalysis | null = null;
  let gotDetectors: PackedDetectors | null = null;
  let gotMemo: PageMemo | null = null;
  /** A small model sent ahead of its detectors (`model`); `done` then brings none. */
  let copied: TraceModel | null = null;
  /** The model's big string arrays, come ahead of `done` in chunks (model-pieces.ts `stringChunks`). */
  const columns = new StringColumns();
  const handOut = (m: TraceModel): void => {
    if (gotTracks?.contentExtent) extents.set(m, gotTracks.contentExtent);
    analyses.set(m, { tracks: out.tracks, lod: out.lod, detectors: out.detectors, analysed: out.analysed });
    loaded.resolve(m);
  };
  let stopped = false;
  // A relayed Blob's acknowledgements (relay.ts): how far the worker's loader has read.
  let acked = 0;
  let onAck: (() => void) | null = null;
  const finish = (): void => {
    stopped = true;
    onAck?.();
    opts.signal?.removeEventListener('abort', onAbort);
    endpoint.onmessage = null;
    endpoint.terminate?.();
  };
  const onAbort = (): void => {
    endpoint.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
    // Do not wait for the worker: it may be busy for another 50 ms.
    finish();
    failAll(new TraceLoadError('aborted', 'Loading was cancelled.'));
  };
  opts.signal?.addEventListener('abort', onAbort);
  endpoint.onmessage = (event: MessageEvent) => {
    const msg = event.data as WorkerResponse;
    if (msg.id !== id) return;
    if (msg.type === 'chunk-ack') {
      acked = msg.bytes;
      onAck?.();
    } else if (msg.type === 'progress') opts.onProgress?.(msg.progress);
    else if (msg.type === 'strings') columns.add(msg);
    else if (msg.type === 'model') {
      // Drawn now; lib/analysis' memo gets what has come (devices, steps, work kinds), the rest at `done`.
      copied = msg.model;
      primeAnalysis(copied, gotTracks, null, null);
      handOut(copied);
    } else if (msg.type === 'done') {
      finish();
      timing.resolve(msg.timing ?? null);
      const m = msg.model ? columns.fill(msg.model) : copied;
      if (!m) {
        failAll(new TraceOpenError('internal', 'The trace worker finished without a model.'));
        return;
      }
      if (analyze) {
        primeAnalysis(m, gotTracks, gotDetectors, gotMemo);
        // After a copy, the detectors are handed out once the memo has them (a check reads the memo).
        if (copied && gotDetectors) detectors.resolve(gotDetectors);
      }
      analysed.resolve();
      // A macrotask later: receiving a big model (its strings and arrays) and what the page then builds from it
      // (timeline, exercises) are two main-thread tasks, not one (0.12 s + 0.18 s at 1 GB).
      if (!copied) setTimeout(() => (analyze ? handOut(m) : loaded.resolve(m)), 0);
    } else if (msg.type === 'tracks') {
      gotTracks = msg.tracks;
      tracks.resolve(msg.tracks);
    } else if (msg.type === 'lod') {
      lod.resolve(msg.lod);
    } else if (msg.type === 'detectors') {
      gotDetectors = msg.detectors;
      if (!copied) detectors.resolve(msg.detectors);
    } else if (msg.type === 'memo') {
      gotMemo = msg.memo;
    } else if (msg.type === 'slots') {
      slots.resolve(msg.slots);
    } else if (msg.type === 'analysed') {
      finish();
      timing.resolve(null);
      if (model) primeAnalysis(model, gotTracks, gotDetectors, gotMemo);
      analysed.resolve();
    } else {
      finish();
      const e = msg.error;
      failAll(e.code === 'fetch' || e.code === 'internal' ? new TraceOpenError(e.code, e.message) : new TraceLoadError(e.code, e.message, e.position, e.params));
    }
  };
  if (model) {
    // In pieces, a macrotask apart: one structured clone of a big model would hold this thread for seconds.
    const pieces = modelPieces(model);
    const send = (): void => {
      const t0 = performance.now();
      while (!stopped) {
        const next = pieces.next();
        if (next.done) {
          endpoint.postMessage({ type: 'analyze-end', id } satisfies WorkerRequest);
          return;
        }
        endpoint.postMessage({ type: 'analyze-piece', id, piece: next.value.piece } satisfies WorkerRequest, next.value.transfer);
        if (performance.now() - t0 > SEND_SLICE_MS) {
          setTimeout(send, 0);
          return;
        }
      }
    };
    send();
    return out;
  }
  // A Blob is read here and sent in chunks: read in the worker, its delivery and the parse took turns (relay.ts).
  const relayed = typeof Blob !== 'undefined' && source instanceof Blob ? source : null;
  const req: WorkerRequest = {
    type: 'open',
    id,
    source: relayed ? { relayed: true, size: relayed.size } : (source as TraceSource),
    fileName: opts.fileName ?? (typeof File !== 'undefined' && source instanceof File ? source.name : undefined),
    maxDecompressedBytes: opts.maxDecompressedBytes,
    analyze,
    ...(analyze && opts.retarget !== undefined ? { retarget: typeof opts.retarget === 'string' ? opts.retarget : true } : {}),
    ...(analyze && opts.copyModelUpTo !== undefined ? { copyModelUpTo: opts.copyModelUpTo } : {}),
  };
  endpoint.postMessage(req);
  if (relayed) {
    void relayBlob(relayed, endpoint, id, {
      stopped: () => stopped,
      acked: () => acked,
      onChunk: opts.onChunk,
      ackedBeyond: (bytes) =>
        new Promise<void>((ok) => {
          onAck = () => {
            if (acked <= bytes && !stopped) return;
            onAck = null;
            ok();
          };
        }),
    });
  }
  if (analyze && opts.retarget !== undefined && typeof opts.retarget !== 'string') {
    // A ref that fails to come still lets the load finish: the exercises then name the trace "upload".
    const sendRef = (ref: string): void => {
      if (!stopped) endpoint.postMessage({ type: 'retarget-ref', id, ref } satisfies WorkerRequest);
    };
    opts.retarget.then(sendRef, () => sendRef(''));
  }
  return out;
}

export function openTrace(source: Blob | File | string | Uint8Array, opts: OpenTraceOptions = {}): Promise<TraceModel> {
  return request(source, null, opts, false).model;
}

/**
 * Loads and analyses in the same worker; the model comes last, with lib/analysis'
 * memo of it primed; `analysisOf(model)` finds the analysis later.
 */
export function openTraceWithAnalysis(source: Blob | File | string | Uint8Array, opts: OpenTraceOptions = {}): OpenedTrace {
  return request(source, null, opts, true);
}

/**
 * The worker analysis of `model`: the one its load started, else a new worker
 * run on a structured-clone copy (for models built on the page). Kept per
 * model in a WeakMap, so it goes when the model goes.
 */
export function analysisOf(model: TraceModel, opts: Pick<OpenTraceOptions, 'connect'> = {}): WorkerAnalysis {
  let a = analyses.get(model);
  if (!a) {
    const r = request(null, model, opts, true);
    a = { tracks: r.tracks, lod: r.lod, detectors: r.detectors, analysed: r.analysed };
    analyses.set(model, a);
  }
  return a;
}
