/**
 * Types of the "What is this?" decoder: what a slice's name (and a few args)
 * say about it, in both page languages.
 */

/** Text in the two page languages. */
export interface Text {
  en: string;
  zh: string;
}

export function t(en: string, zh: string): Text {
  return { en, zh };
}

/** The overlap category a slice counts in (the five the CLI reports). */
export type ExplainCategory = 'computing' | 'communication' | 'wait' | 'copy' | 'host';

export type FieldValue = string | number | boolean;

/** A lesson or glossary section that teaches this family (anchors are the pages' heading slugs). */
export interface LearnLink {
  /** Path under the locale, e.g. `lessons/gpu-qwen-tp`. */
  page: string;
  anchor: Text;
  title: Text;
}

/** What a name says, before looking at where the slice sits. */
export interface NameDecoding {
  /** Stable id of the family, e.g. `nccl`, `cublas-nvjet`, `ascend-task` (used by tests and the CLI). */
  family: string;
  /** Short name of the family, e.g. "NCCL collective kernel". */
  label: Text;
  /** Plain-language role of this slice. */
  role: Text;
  /** Fields decoded from the name/args; keys in snake_case (collective, op, dtype, algorithm, protocol, library, split_k, bias, …). */
  fields: Record<string, FieldValue>;
  /** What the name does not tell, or may tell wrongly. */
  caveats: Text[];
  learn: LearnLink | null;
  /** The category this kind of slice counts in when the trace does not decide it. */
  category: ExplainCategory;
}

/** Hints a decoder may use besides the name. */
export interface NameHints {
  /** The slice's category (`kernel`, `cuda_runtime`, `gpu_memcpy`, …), '' when absent. */
  cat: string;
  /** Ascend `Task Type` arg, null when absent. */
  taskType: string | null;
  /** True when the slice sits on a device track (GPU stream, NPU stream, HCCL thread). */
  onDevice: boolean;
  /** A top-level args field as text (null when absent). */
  arg: (key: string) => string | null;
}
