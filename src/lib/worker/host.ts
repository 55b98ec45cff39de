/**
 * The worker side of protocol.ts, written against a plain message endpoint so
 * that tests can drive it over a MessageChannel. Loads one trace per request,
 * posts throttled progress, honours cancel, and transfers the model. With
 * `analyze`, the analysis runs on the loaded model *before* it is transferred
 * (tracks, mipmaps, detectors, the page's memo, re-targeted exercises), so the
 * worker never copies a big model: one model, one analysis (README.md says
 * why). A small model without `retarget` goes to the page as a copy after
 * tracks and mipmaps (`COPY_MODEL_MAX_BYTES`), so a lesson's widget draws
 * before the detectors are done.
 */
import { loadTrace, type LoadProgress } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { TraceLoadError } from '../trace/errors.ts';
import { transferablesOf, typedArrayBytes, type AnalysisPass, type LoadTiming, type MessageEndpoint, type RelayedBlob, type TraceSource, type WorkerError, type WorkerRequest, type WorkerResponse } from './protocol.ts';
import { analyzeDetectors, analyzeMemo, analyzeStepTrace, analyzeTracks, transferablesOfDetectors, transferablesOfMemo, transferablesOfTracks, type TrackAnalysis } from './analysis.ts';
import type { RetargetSlot } from '../exercises/retarget.ts';
import { buildMipmaps, transferablesOfMipmaps, type PackedSliceLod } from './mipmap.ts';
import { ModelAssembler, stringChunks } from './model-pieces.ts';
import { ChunkInbox, relayCancelled } from './relay.ts';

/**
 * A model this small (bytes of typed arrays) that is loaded and analysed
 * without `retarget` goes to the page as a copy as soon as what its first
 * frame needs (tracks, lod) is posted; the detectors follow. Lesson samples
 * are 0.1–6 MB of typed arrays; the upload page always re-targets, so it
 * always gets the one transferred model.
 */
export const COPY_MODEL_MAX_BYTES = 32 * 2 ** 20;

/** A macrotask break, so a cancel message that arrived meanwhile is seen. */
const yieldToMessages = () => new Promise<void>((r) => setTimeout(r, 0));

/** Lane arrays may be shared with the analysis memo (and EMPTY with every set): post copies. */
function ownedTracks(t: TrackAnalysis): TrackAnalysis {
  return { ...t, deviceLanes: t.deviceLanes.map((d) => ({ ...d, lanes: d.lanes.map((l) => ({ ...l, intervals: l.intervals.slice() })) })) };
}

/** The big tracks' levels; none when building them threw (the widget then builds levels as it draws). */
function lodOf(model: TraceModel): PackedSliceLod {
  try {
    return buildMipmaps(model);
  } catch (e) {
    console.warn('trace worker: mipmaps failed', e);
    return { tracks: [] };
  }
}

/** The re-targeting chunks, fetched once: at an `open` with `retarget`, so they load while the trace does. */
let retargetChunk: Promise<typeof import('../exercises/retarget.ts')> | null = null;
let analysisChunk: Promise<typeof import('../exercises/analysis.ts')> | null = null;
const retargetModules = () => (retargetChunk ??= import('../exercises/retarget.ts'));
const analysisModule = () => (analysisChunk ??= import('../exercises/analysis.ts'));

/**
 * The re-targeting code and the trace ref (which may come later than the load: the upload page's
 * fingerprint), or null with the error logged. The exercises and their re-targeting are a chunk of their
 * own, fetched only by the upload page's worker: a lesson's worker starts without them.
 */
async function retargetInputs(ref: string | Promise<string>) {
  try {
    const [{ retargetExercises }, { defaultAnalysis }, traceRef] = await Promise.all([retargetModules(), analysisModule(), ref]);
    return { retargetExercises, defaultAnalysis, traceRef };
  } catch (e) {
    console.warn('trace worker: re-targeting exercises failed', e);
    return null;
  }
}

/** Re-targeted exercises, or null with the error logged (the page then says the analysis failed). */
function slotsOf(model: TraceModel, inputs: Awaited<ReturnType<typeof retargetInputs>>): RetargetSlot[] | null {
  if (!inputs) return null;
  try {
    return inputs.retargetExercises(model, inputs.defaultAnalysis, inputs.traceRef);
  } catch (e) {
    console.warn('trace worker: re-targeting exercises failed', e);
    return null;
  }
}

/**
 * Posts `tracks`, `lod`, `detectors`, `memo` and (with `retarget`) `slots`
 * for `model`. Returns false when cancelled on the way. The model's own
 * arrays are only read, so the caller may transfer them afterwards.
 */
async function analyze(
  model: TraceModel,
  id: number,
  signal: AbortSignal,
  post: (msg: WorkerResponse, transfer?: Transferable[]) => void,
  retarget?: string | Promise<string>,
  copyModel = false,
  passes: NonNullable<LoadTiming['analysis']> = [],
): Promise<boolean> {
  /** Runs one pass and notes its time (the yields between passes are not counted). */
  const timed = <T>(pass: AnalysisPass, f: () => T): T => {
    const t0 = performance.now();
    const v = f();
    passes.push({ pass, ms: performance.now() - t0 });
    return v;
  };
  await yieldToMessages();
  if (signal.aborted) return false;
  const analysed = timed('tracks', () => analyzeTracks(model));
  const tracks = ownedTracks(analysed);
  post({ type: 'tracks', id, tracks }, transferablesOfTracks(tracks));
  await yieldToMessages();
  if (signal.aborted) return false;
  const lod = timed('zoom levels', () => lodOf(model));
  post({ type: 'lod', id, lod }, transferablesOfMipmaps(lod));
  // The page can draw now: a copy (structured clone), so this worker keeps its own model for the detectors.
  if (copyModel) post({ type: 'model', id, model });
  // Before the detectors: its sorting buffers are garbage by the time theirs are made (a lower peak).
  const stepTrace = timed('step table', () => analyzeStepTrace(model));
  await yieldToMessages();
  if (signal.aborted) return false;
  const detectors = timed('detectors', () => analyzeDetectors(model));
  // Re-targeting reads the detectors' results from this thread's memo (runDetectors above filled it).
  let slots: RetargetSlot[] | null | undefined;
  if (retarget !== undefined) {
    const inputs = await retargetInputs(retarget);
    slots = timed('exercises', () => slotsOf(model, inputs));
  }
  const memo = timed('memo', () => analyzeMemo(model, analysed, stepTrace));
  post({ type: 'detectors', id, detectors }, transferablesOfDetectors(detectors));
  post({ type: 'memo', id, memo }, transferablesOfMemo(memo));
  if (slots !== undefined) post({ type: 'slots', id, slots });
  return true;
}

/** Rounds over the warm-up traces: the loader's hot loops are optimized by the end of the second. */
const WARM_ROUNDS = 2;

/**
 * Loads `urls` and drops the models, WARM_ROUNDS times, until `signal` fires. A worker's first big load
 * was also its JIT's first sight of the loader: the load ran partly unoptimized while the compiler
 * threads took CPU from the file's delivery (1.2 s of optimizing compiles in one 100 MB upload, on a
 * 2-core machine). Only the loader is warmed: warming the analysis passes on small traces made no
 * measurable difference to them on a big one (README.md, "A warm loader"). Failures are ignored: this is
 * only ever a head start.
 */
async function warmUp(urls: string[], signal: AbortSignal): Promise<void> {
  for (let round = 0; round < WARM_ROUNDS; round++) {
    for (const url of urls) {
      if (signal.aborted) return;
      await open(url, signal, {}, () => {}).catch(() => undefined);
      // A macrotask between loads, so a request that came meanwhile is seen.
      await yieldToMessages();
    }
  }
}

export function serveTraceRequests(endpoint: MessageEndpoint): void {
  const running = new Map<number, AbortController>();
  const assembling = new Map<number, ModelAssembler>();
  /** Trace refs that an `open` with `retarget: true` waits for. */
  const refs = new Map<number, (ref: string) => void>();
  /** The chunks of a relayed Blob, per load (relay.ts). */
  const inboxes = new Map<number, ChunkInbox>();
  /** A warm-up in progress; the next request of any kind stops it. */
  let warming: AbortController | null = null;
  const post = (msg: WorkerResponse, transfer?: Transferable[]): void => endpoint.postMessage(msg, transfer);

  endpoint.onmessage = (event: MessageEvent) => {
    const req = event.data as WorkerRequest;
    if (req.type === 'warm') {
      // Only an idle worker warms up.
      if (running.size > 0 || assembling.size > 0 || warming) return;
      const w = (warming = new AbortController());
      void warmUp(req.urls, w.signal).finally(() => {
        if (warming === w) warming = null;
      });
      return;
    }
    warming?.abort();
    warming = null;
    if (req.type === 'cancel') {
      running.get(req.id)?.abort();
      refs.get(req.id)?.('');
      inboxes.get(req.id)?.end(relayCancelled());
      return;
    }
    if (req.type === 'chunk') {
      inboxes.get(req.id)?.push(req.bytes);
      return;
    }
    if (req.type === 'chunk-end') {
      inboxes.get(req.id)?.end(req.error === undefined ? undefined : new Error(`The file could not be read (${req.error}).`));
      return;
    }
    if (req.type === 'retarget-ref') {
      refs.get(req.id)?.(req.ref);
      refs.delete(req.id);
      return;
    }
    if (req.type === 'analyze-piece') {
      let a = assembling.get(req.id);
      if (!a) assembling.set(req.id, (a = new ModelAssembler()));
      a.add(req.piece);
      return;
    }
    const controller = new AbortController();
    running.set(req.id, controller);
    const fail = (e: unknown) => post({ type: 'error', id: req.id, error: toWorkerError(e) });
    if (req.type === 'analyze' || req.type === 'analyze-end') {
      let model: TraceModel;
      try {
        model = req.type === 'analyze' ? req.model : (assembling.get(req.id) ?? new ModelAssembler()).finish();
      } catch (e) {
        fail(e);
        running.delete(req.id);
        return;
      } finally {
        assembling.delete(req.id);
      }
      void analyze(model, req.id, controller.signal, post)
        .then(() => post({ type: 'analysed', id: req.id }))
        .catch(fail)
        .finally(() => running.delete(req.id));
      return;
    }
    if (req.type !== 'open') return;
    let last: LoadProgress = { bytesRead: 0, events: 0 };
    const progress = (p: LoadProgress): void => {
      last = p;
      post({ type: 'progress', id: req.id, progress: p });
    };
    let retarget: string | Promise<string> | undefined;
    if (req.analyze && req.retarget !== undefined) {
      void retargetModules().catch(() => undefined);
      void analysisModule().catch(() => undefined);
      retarget = req.retarget === true ? new Promise<string>((ok) => refs.set(req.id, ok)) : req.retarget;
    }
    let inbox: ChunkInbox | undefined;
    if (isRelayed(req.source)) {
      inbox = new ChunkInbox((bytes) => post({ type: 'chunk-ack', id: req.id, bytes }));
      inboxes.set(req.id, inbox);
    }
    const opened = performance.now();
    void open(req.source, controller.signal, req, progress, inbox)
      .then(async (model) => {
        const timing: LoadTiming = { readMs: performance.now() - opened };
        let copied = false;
        if (req.analyze) {
          timing.analysis = [];
          post({ type: 'progress', id: req.id, progress: { ...last, events: model.stats.events, analysing: true } });
          copied = retarget === undefined && typedArrayBytes(model) <= (req.copyModelUpTo ?? COPY_MODEL_MAX_BYTES);
          if (!(await analyze(model, req.id, controller.signal, post, retarget, copied, timing.analysis))) return;
        }
        if (copied) post({ type: 'done', id: req.id, timing });
        else {
          // Big string arrays ahead, a message per chunk, so that no message holds the page for long.
          const { chunks, shell } = stringChunks(model);
          for (const c of chunks) post({ type: 'strings', id: req.id, ...c });
          post({ type: 'done', id: req.id, model: shell, timing }, transferablesOf(shell));
        }
      })
      .catch(fail)
      .finally(() => {
        running.delete(req.id);
        refs.delete(req.id);
        inboxes.delete(req.id);
      });
  };
}

async function open(
  source: TraceSource,
  signal: AbortSignal,
  req: { fileName?: string; maxDecompressedBytes?: number },
  onProgress: (p: LoadProgress) => void,
  inbox?: ChunkInbox,
): Promise<TraceModel> {
  // Every stream below is this worker's alone: its chunks may hold args once read (LoadOptions.ownsInput).
  const opts = { fileName: req.fileName, maxDecompressedBytes: req.maxDecompressedBytes, signal, onProgress, ownsInput: true };
  if (isRelayed(source)) {
    if (!inbox) throw new Error('A relayed file without its chunks.');
    if (isSqlite(await inbox.head(16))) return openDatabase(await inbox.all(), signal, onProgress);
    return loadTrace(inbox, { ...opts, totalBytes: source.size });
  }
  // An Ascend profiler db: SQLite (sql.js, loaded only now) instead of the JSON loader.
  if (source instanceof Uint8Array && isSqlite(source)) return openDatabase(source, signal, onProgress);
  if (source instanceof Blob && isSqlite(new Uint8Array(await source.slice(0, 16).arrayBuffer()))) {
    return openDatabase(new Uint8Array(await source.arrayBuffer()), signal, onProgress);
  }
  if (source instanceof Uint8Array) return loadTrace(source, { ...opts, totalBytes: source.length });
  if (typeof source === 'string') {
    let response: Response;
    try {
      response = await fetch(source, { signal });
    } catch (e) {
      if (signal.aborted) throw new TraceLoadError('aborted', 'Loading was cancelled.');
      throw new FetchError(`Could not download ${source}: ${(e as Error).message}`);
    }
    if (!response.ok || !response.body) throw new FetchError(`Could not download ${source}: HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length'));
    return loadTrace(response.body, { ...opts, totalBytes: Number.isFinite(length) && length > 0 ? length : undefined });
  }
  return loadTrace(source.stream() as ReadableStream<Uint8Array>, { ...opts, totalBytes: source.size });
}

const isRelayed = (source: TraceSource): source is RelayedBlob => typeof source === 'object' && 'relayed' in source;

const SQLITE_MAGIC = 'SQLite format 3\0';

function isSqlite(head: Uint8Array): boolean {
  return head.length >= 16 && String.fromCharCode(...head.subarray(0, 16)) === SQLITE_MAGIC;
}

async function openDatabase(bytes: Uint8Array, signal: AbortSignal, onProgress: (p: LoadProgress) => void): Promise<TraceModel> {
  const { openSqliteBytes } = await import('./sqlite-wasm.ts');
  const { importAscendDb } = await import('../trace/ascend-db.ts');
  if (signal.aborted) throw new TraceLoadError('aborted', 'Loading was cancelled.');
  let db: Awaited<ReturnType<typeof openSqliteBytes>>;
  try {
    db = await openSqliteBytes(bytes);
  } catch (e) {
    throw new TraceLoadError('unsupported', `SQLite could not be started in this browser (${(e as Error)?.message ?? String(e)}).`, undefined, { container: 'sqlite-unavailable' });
  }
  try {
    return await importAscendDb(db.query, { signal, onProgress, bytes: bytes.length });
  } finally {
    db.close();
  }
}

class FetchError extends Error {}

function toWorkerError(e: unknown): WorkerError {
  if (e instanceof TraceLoadError) return { code: e.code, message: e.message, position: e.position, params: e.params };
  if (e instanceof FetchError) return { code: 'fetch', message: e.message };
  return { code: 'internal', message: `Unexpected error while loading: ${(e as Error)?.message ?? String(e)}` };
}
