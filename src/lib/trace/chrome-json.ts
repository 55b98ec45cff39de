/**
 * Plain Chrome Trace Event JSON: the fallback importer for traces that neither
 * Kineto nor torch_npu wrote (hand-made fixtures, Chrome/Perfetto exports,
 * other tools). Spec: https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU
 *
 * Honoured: phases X, B/E, i/I/R (instants), C (counters; one track per
 * process, name and series; an `id` makes a separate counter "name id"),
 * s/t/f flows (with `bp`, `id` or `id2`), M process_name / process_labels /
 * process_sort_index / thread_name / thread_sort_index; `ts`/`dur` as numbers
 * or numeric strings, read exactly; `args` kept as raw text.
 * Ignored (counted in stats.byPhase and reported as warnings): async b/e/n and
 * the deprecated S/T/F/p, sample P, object O/N/D, memory dumps V/v, context
 * markers ( ); the `tts`/`tdur` thread clocks, `sf`/`stack`, `cname`,
 * `displayTimeUnit` (kept in metadata; times are always µs as the spec says).
 *
 * Classification: a process labelled or named "GPU N" is a GPU; a process with
 * only counters is 'counters'; any other process with slices is a host.
 */
import { gpuIndexOf, trackKindFor, type FormatEvidence, type ProcessClass, type ProcessFacts, type TraceImporter } from './importer.ts';

export function isChromeJsonTrace(_e: FormatEvidence): boolean {
  return true; // every trace the tokenizer accepted is at least this
}

export function classifyChromeProcess(p: ProcessFacts): ProcessClass {
  const gpu = gpuIndexOf(p.label) ?? gpuIndexOf(p.name);
  if (gpu !== null) return { kind: 'gpu', device: gpu };
  if (p.sliceTracks === 0 && p.counterTracks > 0) return { kind: 'counters', device: -1 };
  if (p.sliceTracks > 0) return { kind: 'host', device: -1 };
  return { kind: 'other', device: -1 };
}

export const chromeJsonImporter: TraceImporter = {
  format: 'chrome-json',
  title: 'Chrome Trace Event JSON',
  classifyProcess: classifyChromeProcess,
  trackKind: trackKindFor,
};
