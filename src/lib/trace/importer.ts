/**
 * What a format importer contributes. All three formats Tracewise reads are
 * Chrome Trace Event JSON, so tokenizing and table building are shared; an
 * importer recognises its producer and says what each process and track is
 * (the part that differs between Kineto, torch_npu and plain Chrome traces).
 */
import type { ProcessKind, TraceFormat, TrackKind } from './model.ts';

/** What the loader saw, cheap to collect, enough to tell producers apart. */
export interface FormatEvidence {
  /** Top-level keys in file order (empty for the array form). */
  rootKeys: string[];
  rootIsArray: boolean;
  /** `process_name` metadata values. */
  processNames: string[];
  /** `process_labels` metadata values. */
  processLabels: string[];
  /** Distinct event categories. */
  cats: string[];
  /** Whether any timestamp was written as a JSON string (torch_npu does). */
  stringTimestamps: boolean;
}

/** One process as the importer sees it when classifying. */
export interface ProcessFacts {
  /** pid as written. */
  pid: string;
  name: string | null;
  label: string | null;
  /** Categories of its slices and instants. */
  cats: ReadonlySet<string>;
  sliceTracks: number;
  counterTracks: number;
  threadNames: string[];
}

export interface TrackFacts {
  tid: string;
  name: string | null;
  isCounter: boolean;
}

export interface ProcessClass {
  kind: ProcessKind;
  /** Device index for gpu/npu/comm processes, -1 otherwise. */
  device: number;
}

export interface TraceImporter {
  format: TraceFormat;
  /** Human name of the producer, for messages. */
  title: string;
  classifyProcess(p: ProcessFacts): ProcessClass;
  trackKind(process: ProcessClass, t: TrackFacts): TrackKind;
}

/** The default mapping from process kind to track kind. */
export function trackKindFor(process: ProcessClass, t: TrackFacts): TrackKind {
  if (t.isCounter) return 'counter';
  switch (process.kind) {
    case 'host':
      return 'thread';
    case 'gpu':
      return 'gpu-stream';
    case 'npu':
      return 'npu-stream';
    case 'comm':
      return 'comm';
    case 'overlap':
      return 'overlap';
    case 'counters':
      return 'counter';
    default:
      return 'other';
  }
}

/** "GPU 3" → 3; null when `text` is not of that form. */
export function gpuIndexOf(text: string | null): number | null {
  if (!text) return null;
  const m = /^\s*GPU\s+(\d+)\s*$/i.exec(text);
  return m ? Number(m[1]) : null;
}
