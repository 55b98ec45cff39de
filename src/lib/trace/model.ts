/**
 * The one trace model every part of Tracewise reads: importers build it, the
 * analysis derives from it, the worker transfers it, widgets draw it.
 *
 * Layout follows Firefox Profiler's processed profile: struct-of-arrays tables
 * with a `length`, strings interned once in `strings`. Tables are filled with
 * plain pushes through builders and finished into typed arrays.
 *
 * Time: every time is an integer number of nanoseconds (type `Ns`) relative to
 * `originUs`, the earliest timestamp in the trace, kept as exact decimal text.
 * Importers compute these integers from the timestamp *text*, never through a
 * float of the absolute microsecond value (Ascend timestamps exceed 2^52 µs·1000).
 *
 * Order: slices are sorted by (track, startNs, longer first), so each track's
 * slices are the contiguous range `tracks.sliceStart[t] .. tracks.sliceEnd[t]`
 * and a slice's index is its stable id for selection, exercises and URLs.
 */

/** Integer nanoseconds relative to the model's origin. */
export type Ns = number;
/** Microseconds (may be fractional). */
export type Us = number;
/** Index into `TraceModel.strings`. */
export type StringIndex = number;
/** Index into `TraceModel.slices`; stable for a given file and engine version. */
export type SliceId = number;
export type TrackId = number;
export type ProcessId = number;

export type TraceFormat = 'kineto' | 'ascend' | 'chrome-json';

/** What a process stands for, as learners name the lanes. */
export type ProcessKind =
  | 'host' // CPU threads: PyTorch/Python, Ascend "Python" and "CANN"
  | 'gpu' // a CUDA/ROCm device (Kineto "GPU N" process)
  | 'npu' // Ascend "Ascend Hardware"
  | 'comm' // Ascend "HCCL" (Group N Communication, Plane N)
  | 'overlap' // Ascend "Overlap Analysis" as written by the profiler
  | 'counters' // counter-only processes (HBM, AI Core Freq, GPU memory ...)
  | 'other';

export type TrackKind =
  | 'thread' // host thread
  | 'gpu-stream'
  | 'npu-stream'
  | 'comm' // HCCL group or plane
  | 'overlap' // a lane of a written Overlap Analysis process
  | 'counter'
  | 'other';

export interface ProcessTable {
  length: number;
  /** pid exactly as written in the trace (numbers as decimal text). */
  pid: string[];
  name: StringIndex[];
  /** `process_labels` metadata, e.g. "CPU" / "NPU"; -1 when absent. */
  label: StringIndex[];
  sortIndex: Float64Array;
  kind: ProcessKind[];
  /** Device index for gpu/npu processes (GPU 0 → 0), -1 otherwise. */
  device: Int32Array;
}

export interface TrackTable {
  length: number;
  process: Int32Array; // ProcessId
  /** tid exactly as written (for counters: the series name). */
  tid: string[];
  name: StringIndex[];
  sortIndex: Float64Array;
  kind: TrackKind[];
  /** Range of this track's slices in the slice table. */
  sliceStart: Int32Array;
  sliceEnd: Int32Array;
  /** Deepest nesting level on the track + 1 (0 when the track has no slices). */
  maxDepth: Int32Array;
}

export interface SliceTable {
  length: number;
  track: Int32Array;
  startNs: Float64Array;
  durNs: Float64Array;
  depth: Uint16Array;
  name: Int32Array; // StringIndex
  cat: Int32Array; // StringIndex, -1 when absent
  /** Index into `TraceModel.args` (the raw JSON of the `args` object), -1 when absent. */
  args: Int32Array;
  /** Parent slice on the same track, -1 at depth 0. */
  parent: Int32Array;
  /** 1 when the slice came from a B/E pair (0 for X). */
  fromBE: Uint8Array;
}

export interface InstantTable {
  length: number;
  track: Int32Array;
  tsNs: Float64Array;
  name: Int32Array;
  cat: Int32Array;
  args: Int32Array;
}

/** Counter samples; each (process, series) is a track of kind 'counter'. */
export interface CounterTable {
  length: number;
  track: Int32Array;
  tsNs: Float64Array;
  value: Float64Array;
}

/**
 * Flows after binding: `s` binds to the slice enclosing it on its track, `f`
 * with `bp:"e"` to the enclosing slice, `f` without it to the next slice that
 * starts at or after it (Chrome's trace-event rules).
 */
export interface FlowTable {
  length: number;
  /**
   * Flow id as written (Kineto correlation id, Ascend flow id), read with
   * `flowIdText` (query.ts): a plain decimal of up to 15 digits is
   * `idNumber[f]` (`idText[f]` -1); any other id is text number `idText[f]`,
   * the UTF-8 `idBytes[idOffsets[k], idOffsets[k + 1])`, made a string only
   * when read (torch_npu writes a 20-digit id per launch).
   */
  idNumber: Float64Array;
  idText: Int32Array;
  idBytes: Uint8Array;
  idOffsets: Int32Array;
  /** StringIndex, e.g. "ac2g", "async_npu", "HostToDevice". A flow's name is not kept: nothing reads it. */
  cat: Int32Array;
  fromSlice: Int32Array; // SliceId, -1 if it bound to nothing
  toSlice: Int32Array;
  fromNs: Float64Array;
  toNs: Float64Array;
}

/**
 * Events' `args` objects as their raw UTF-8 JSON bytes, decoded only when read
 * (args.ts: `argsText`, `argsField`). Args `i` is
 * `segments[segment[i]][start[i], end[i])`; one never spans two segments.
 */
export interface ArgsTable {
  length: number;
  segments: Uint8Array[];
  segment: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /**
   * Per args key the loader noted (LoadOptions.argsKeys; by default `WELL_KNOWN_ARGS_KEYS` in args.ts:
   * the keys read from most slices, such as Kineto's `correlation`), per args: a plain integer value `v`
   * (below 2^31 - 2) as `-2 - v`; any other value as where it starts in the args text, counted from the
   * text's first byte (≥ 0); -1 where the args have no such top-level key. An empty column when no args
   * have it. `argsField` reads a noted key here instead of searching the text.
   */
  keyed: Readonly<Record<string, Int32Array>>;
}

export interface LoadWarning {
  /** Stable code, used to look up the learner-language message. */
  code:
    | 'truncated'
    | 'unmatched-begin'
    | 'unmatched-end'
    | 'flow-unbound'
    | 'flow-incomplete'
    | 'bad-timestamp'
    | 'bad-duration'
    | 'bad-event'
    | 'duplicate-id'
    | 'invalid-utf8'
    | 'args-dropped' // args nested too deep or too large to keep; the events are kept
    | 'long-string' // names (or other strings) longer than 64 KiB, cut
    | 'no-timed-events' // events were read, but none with a time (metadata only): no timeline
    | 'duplicate-key' // a top-level key (traceEvents) written more than once
    | 'other';
  message: string; // English, with numbers filled in
  count: number;
  /** What a translated message needs (duplicate-key: `key`, `lists` = element counts of each traceEvents list). */
  params?: { key?: string; lists?: number[] };
}

export interface LoadStats {
  bytes: number;
  events: number;
  /** Event count per `ph` value as read (before pairing). */
  byPhase: Record<string, number>;
  /** Bytes after the last complete event of a truncated file. */
  droppedBytes: number;
  truncated: boolean;
  /**
   * A .gz whose stream ends early or breaks: how many compressed bytes were
   * read and how many bytes of JSON they inflated to (all of which were read);
   * what the file held after that point is unknown.
   */
  gzipCut?: { compressedBytes: number; inflatedBytes: number };
  warnings: LoadWarning[];
  /** Why the loader chose `format` (added by the engine: detectFormat's reason). */
  formatReason?: string;
}

export interface TraceModel {
  format: TraceFormat;
  /** Absolute time of Ns 0, in µs as exact decimal text (e.g. "1736408883688177.930"). */
  originUs: string;
  /** End of the last event, in ns from the origin. */
  endNs: Ns;
  strings: string[];
  processes: ProcessTable;
  tracks: TrackTable;
  slices: SliceTable;
  instants: InstantTable;
  counters: CounterTable;
  flows: FlowTable;
  /** Raw JSON bytes of `args` objects, referenced by index; read with `argsText`/`argsField` (args.ts). */
  args: ArgsTable;
  /** Top-level fields besides traceEvents (deviceProperties, distributedInfo, ...), parsed. */
  metadata: Record<string, unknown>;
  stats: LoadStats;
}
