/**
 * Exercises are data. A lesson declares them as props of <Exercise> in MDX;
 * a workshop pack lists them in a JSON (or YAML) file; both use this schema
 * and both go through `parseExercise` / `parsePack`, which report every
 * problem with its path instead of failing at run time in a learner's page.
 *
 * Every exercise carries its reference `solution` and a few known
 * `wrongAnswers` (STYLE.md example 15): `verifyExercise` (check.ts) runs them
 * on the bundled trace so a test fails when a trace or a detector changes
 * under a lesson.
 *
 * Text shown to learners is always `{ en, 'zh-CN' }`. Time values written in
 * exercises are integer ns from the trace origin (the model's `Ns`).
 */
import type { DetectorName } from '../analysis/detectors/types.ts';
import type { Ns, SliceId } from '../trace/model.ts';
import type { ValueUnit } from './units.ts';
import {
  COMBINES,
  ID_RE,
  IDLE_PARTS,
  LATENCY_STATS,
  OVERLAP_MEASURES,
  measureInfo,
  parseAnswerSpec,
  parseL10n,
  parseMeasure,
  parseNearMissIds,
  parseOptions,
  parseShowMe,
  parseSliceQuery,
  parseTolerance,
  parseTrace,
} from './schema-parts.ts';

export { COMBINES, IDLE_PARTS, LATENCY_STATS, OVERLAP_MEASURES };
import { quantityOf } from './units.ts';
import {
  Problems,
  expectArray,
  expectBoolean,
  expectNumber,
  expectOneOf,
  expectRecord,
  expectString,
  join,
  noUnknownKeys,
} from './validator.ts';

export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];
/** Learner-facing text in both site languages. */
export type L10n = Record<Lang, string>;

/**
 * `value` with the other language's text of every L10n in it (an object of exactly `en` and `zh-CN` strings)
 * emptied: what a page in `lang` serialises into an island (on a lesson page the exercises' props were about
 * half its HTML). The island gives it back to `parseExercise` through `fillLang`.
 */
export function onlyLang<T>(value: T, lang: Lang): T {
  return mapL10n(value, (t) => Object.fromEntries(LANGS.map((l) => [l, l === lang ? t[l] : ''])) as L10n);
}

/**
 * `onlyLang`'s inverse for display: every L10n's empty text given `lang`'s, so the exercise parses (texts
 * must not be empty) and shows `lang`'s text wherever it is read.
 */
export function fillLang<T>(value: T, lang: Lang): T {
  return mapL10n(value, (t) => Object.fromEntries(LANGS.map((l) => [l, t[l] || t[lang]])) as L10n);
}

function mapL10n<T>(value: T, f: (t: L10n) => L10n): T {
  if (Array.isArray(value)) return value.map((v) => mapL10n(v, f)) as T;
  if (!value || typeof value !== 'object') return value;
  const r = value as Record<string, unknown>;
  const keys = Object.keys(r);
  if (keys.length === 2 && LANGS.every((l) => typeof r[l] === 'string')) return f(r as L10n) as T;
  return Object.fromEntries(keys.map((k) => [k, mapL10n(r[k], f)])) as T;
}

/** A host scope by name (`nn.Module: Qwen2DecoderLayer_3` matches "Qwen2DecoderLayer"), optionally its index-th instance. */
export interface ScopeRef {
  scope: string;
  /** 0-based position among the instances inside the enclosing context; negative counts from the end. */
  index?: number;
}

/** The slice an `after`/`before` is measured from, found inside the same context as the target. */
export interface AnchorRef {
  scope?: string;
  detector?: DetectorName;
  name?: string;
  on?: 'host' | 'device';
  index?: number;
}

/**
 * Slices described by what they are (a detector's matches, a name, a scope)
 * and where they are (step, enclosing scopes, after/before another slice,
 * ordinal). Names and scopes are exact text or `/regex/flags`.
 */
export interface SliceQuery {
  detector?: DetectorName;
  name?: string;
  scope?: string;
  on?: 'host' | 'device';
  /** Device key, e.g. "gpu:0", "npu:0". */
  device?: string;
  /** Track (lane) name or its process name, e.g. "Stream 2", "/^stream (7|9)$/". */
  track?: string;
  /**
   * GPU kernels whose launch grid gives fewer than `below` / at least `atLeast` blocks per SM (grid ÷ the
   * device's SMs, lib/analysis/occupancy.ts); slices without a grid or an SM count never match.
   */
  blocksPerSm?: { below?: number; atLeast?: number };
  /** 0-based index into the trace's profiler steps. */
  step?: number;
  /**
   * Event args the slice must carry, each a pattern on the value as the details panel shows it: a string as
   * written, any other value as JSON (`{ "Input Dims": "/^8192,2048;/" }`, `{ "Input type": "/BFloat16/" }`).
   */
  args?: Record<string, string>;
  /** Enclosing host scopes, outermost first. */
  within?: ScopeRef | ScopeRef[];
  after?: AnchorRef;
  before?: AnchorRef;
  /** 0-based ordinal per context (negative from the end). Default: the nearest after/before the anchor, else all. */
  nth?: number;
}

export type OverlapMeasure = (typeof OVERLAP_MEASURES)[number];
export type IdlePart = (typeof IDLE_PARTS)[number];

/** A number computed from one trace by a named measure (measures.ts). */
export type MeasureSpec =
  | { measure: 'scope-duration'; scope: string; on: 'host' | 'device'; index?: number; step?: number; within?: ScopeRef | ScopeRef[] }
  | { measure: 'slice-duration'; target: SliceQuery }
  | { measure: 'step-duration'; index?: number }
  | { measure: OverlapMeasure; device?: string; step?: number }
  | { measure: 'gpu-idle'; device?: string; part?: IdlePart; step?: number }
  | { measure: 'idle-gap'; device?: string; which: 'longest' | number; step?: number }
  | { measure: 'launch-latency'; stat?: (typeof LATENCY_STATS)[number]; target?: SliceQuery }
  | { measure: 'detector-total'; detector: DetectorName; device?: string }
  | { measure: 'count'; target: SliceQuery }
  | { measure: 'kernel-group'; group: string; device?: string };
export type MeasureName = MeasureSpec['measure'];

/** Accepted when |answer − reference| ≤ max(relative·|reference|, absolute); `absolute` is in the exercise's unit. */
export interface Tolerance {
  relative?: number;
  absolute?: number;
}

/** What a learner gives, at run time. */
export type Answer =
  | { kind: 'slice'; sliceId: SliceId }
  | { kind: 'range'; startNs: Ns; endNs: Ns }
  | { kind: 'value'; value: number; unit: ValueUnit }
  | { kind: 'choice'; optionIds: string[] };

/** An answer as written in exercise data: a concrete answer, or one described by a query. */
export type AnswerSpec =
  | Answer
  | { kind: 'slice'; query: SliceQuery }
  | { kind: 'range'; of: SliceQuery };

export interface WrongAnswer {
  answer: AnswerSpec;
  /** The near miss (or choice option) this answer must trigger. */
  nearMiss?: string;
  /** Why authors expect learners to give it (not shown). */
  note?: string;
}

export interface ShowMeSpec {
  target?: SliceQuery;
  range?: { startNs: Ns; endNs: Ns };
  label?: L10n;
}

interface Base {
  id: string;
  /** For the pack's authors only (never shown): where the numbers in the text came from. JSON has no comments. */
  $comment?: string;
  title?: L10n;
  prompt: L10n;
  /** Shown one at a time, in order. */
  hints: L10n[];
  /** Shown once solved. */
  explanation: L10n;
  /** What "Show me" reveals; derived from the target or measure when absent. */
  showMe?: ShowMeSpec;
  solution: AnswerSpec;
  wrongAnswers: WrongAnswer[];
}

export interface FindNearMiss {
  id: string;
  match: SliceQuery;
  feedback: L10n;
}

export interface FindExercise extends Base {
  kind: 'find';
  /** Site-relative URL of the trace, as given to the timeline's `src`. */
  trace: string;
  target: SliceQuery;
  /** 'linked' (default) also accepts the host call that launched the target, or its pieces on other lanes. */
  accept?: 'exact' | 'linked';
  nearMisses?: FindNearMiss[];
}

export interface MeasureNearMiss {
  id: string;
  /** The answer matches this other quantity (same tolerance). Exactly one of `measure`, `scale`, `value`. */
  measure?: MeasureSpec;
  /** The answer is the reference times this (a unit slip: 1000 for µs typed as ms… the other way round, 0.001). */
  scale?: number;
  /** The answer is this known number (one a learner may quote instead of measuring: the unprofiled benchmark). */
  value?: { value: number; unit: ValueUnit };
  feedback: L10n;
}

export interface MeasureExercise extends Base {
  kind: 'measure';
  trace: string;
  measure: MeasureSpec;
  /** How the learner answers: a range selected on the timeline, a typed value, or either (default). */
  answerWith?: 'range' | 'value' | 'either';
  /** Unit the input starts in; `tolerance.absolute` is in this unit. */
  unit: ValueUnit;
  tolerance: Tolerance;
  nearMisses?: MeasureNearMiss[];
}

/** saved = before − after; difference = after − before; ratio = after / before; speedup = before / after. */
export type Combine = (typeof COMBINES)[number];

export interface CompareNearMiss {
  id: string;
  combine?: Combine;
  measure?: MeasureSpec;
  /** The answer is one trace's own value (the "after" value given where the difference was asked). */
  side?: 'before' | 'after';
  /** The answer is the reference times this (a unit slip). */
  scale?: number;
  /** The answer is this known number (one a learner may quote instead of measuring: from the unprofiled benchmark). */
  value?: { value: number; unit: ValueUnit };
  feedback: L10n;
}

export interface ChoiceOption {
  id: string;
  text: L10n;
  explanation: L10n;
  correct?: boolean;
}

export type CompareAsk =
  | { type: 'value'; combine: Combine; unit: ValueUnit; tolerance: Tolerance }
  | { type: 'choice'; pick: 'lower' | 'higher'; sameWithin?: Tolerance; options: ChoiceOption[] };

export interface CompareExercise extends Base {
  kind: 'compare';
  traces: { before: string; after: string };
  /** What to call the two traces in feedback when they are not a before/after pair ("rank 0", "rank 1"). */
  labels?: { before: L10n; after: L10n };
  /** Computed on each trace; several instances add up. */
  measure: MeasureSpec;
  ask: CompareAsk;
  nearMisses?: CompareNearMiss[];
}

export interface ChoiceExercise extends Base {
  kind: 'choice';
  /** The trace the question is about, for "Show me" (optional). */
  trace?: string;
  multiple?: boolean;
  options: ChoiceOption[];
}

export type Exercise = FindExercise | MeasureExercise | CompareExercise | ChoiceExercise;
export type ExerciseKind = Exercise['kind'];
export const EXERCISE_KINDS: readonly ExerciseKind[] = ['find', 'measure', 'compare', 'choice'];

export interface Pack {
  /** Lesson or workshop pack id: the progress key. */
  id: string;
  title?: L10n;
  exercises: Exercise[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

const BASE_KEYS = ['id', '$comment', 'kind', 'title', 'prompt', 'hints', 'explanation', 'showMe', 'solution', 'wrongAnswers'];
const KEYS: Record<ExerciseKind, string[]> = {
  find: [...BASE_KEYS, 'trace', 'target', 'accept', 'nearMisses'],
  measure: [...BASE_KEYS, 'trace', 'measure', 'answerWith', 'unit', 'tolerance', 'nearMisses'],
  compare: [...BASE_KEYS, 'traces', 'labels', 'measure', 'ask', 'nearMisses'],
  choice: [...BASE_KEYS, 'trace', 'multiple', 'options'],
};

/** A near miss's known number: `{ value, unit }` in a unit of the exercise's quantity. */
function parseKnownValue(p: Problems, path: string, raw: unknown, quantity: string | null): void {
  const v = expectRecord(p, path, raw);
  if (!v) return;
  noUnknownKeys(p, path, v, ['value', 'unit']);
  expectNumber(p, join(path, 'value'), v.value);
  const u = expectOneOf(p, join(path, 'unit'), v.unit, ['ns', 'us', 'ms', 's', '%', 'ratio', 'count'] as const);
  if (u && quantity && quantityOf(u) !== quantity) p.add(join(path, 'unit'), `"${u}" is not a ${quantity}`);
}

/** Checks one exercise; on success returns a deep copy typed as `Exercise`. */
export function parseExercise(raw: unknown, path = ''): Parsed<Exercise> {
  const p = new Problems();
  checkExercise(p, path, raw);
  return p.ok ? { ok: true, value: structuredClone(raw) as Exercise } : { ok: false, errors: p.list };
}

function checkExercise(p: Problems, path: string, raw: unknown): void {
  const r = expectRecord(p, path, raw);
  if (!r) return;
  const kind = expectOneOf(p, join(path, 'kind'), r.kind, EXERCISE_KINDS);
  if (kind === null) return;
  noUnknownKeys(p, path, r, KEYS[kind]);
  const id = expectString(p, join(path, 'id'), r.id, { max: 64 });
  if (id !== null && !ID_RE.test(id)) p.add(join(path, 'id'), `"${id}" should be letters, digits, "-", "_" or "." (it keys saved progress)`);
  if (r.$comment !== undefined) expectString(p, join(path, '$comment'), r.$comment);
  if (r.title !== undefined) parseL10n(p, join(path, 'title'), r.title);
  parseL10n(p, join(path, 'prompt'), r.prompt);
  parseL10n(p, join(path, 'explanation'), r.explanation);
  expectArray(p, join(path, 'hints'), r.hints)?.forEach((h, i) => parseL10n(p, join(join(path, 'hints'), i), h));
  if (r.showMe !== undefined) parseShowMe(p, join(path, 'showMe'), r.showMe);

  // What answers the exercise takes, and which ids a wrong answer may name.
  let answerKinds: Answer['kind'][] = [];
  let nearIds: string[] = [];
  let optionIds: string[] = [];
  let valueQuantity: ReturnType<typeof quantityOf> | null = null;

  if (kind === 'find') {
    parseTrace(p, join(path, 'trace'), r.trace);
    parseSliceQuery(p, join(path, 'target'), r.target);
    if (r.accept !== undefined) expectOneOf(p, join(path, 'accept'), r.accept, ['exact', 'linked'] as const);
    nearIds = parseNearMissIds(p, join(path, 'nearMisses'), r.nearMisses, (p, np, n) => {
      noUnknownKeys(p, np, n, ['id', 'match', 'feedback']);
      parseSliceQuery(p, join(np, 'match'), n.match);
    });
    answerKinds = ['slice', 'range'];
  } else if (kind === 'measure') {
    parseTrace(p, join(path, 'trace'), r.trace);
    const m = parseMeasure(p, join(path, 'measure'), r.measure);
    const unit = expectOneOf(p, join(path, 'unit'), r.unit, ['ns', 'us', 'ms', 's', '%', 'ratio', 'count'] as const);
    parseTolerance(p, join(path, 'tolerance'), r.tolerance);
    const mode = r.answerWith === undefined ? 'either' : expectOneOf(p, join(path, 'answerWith'), r.answerWith, ['range', 'value', 'either'] as const);
    if (m && unit && measureInfo(m).quantity !== quantityOf(unit)) {
      p.add(join(path, 'unit'), `"${unit}" measures ${quantityOf(unit)}, but ${m.measure} gives a ${measureInfo(m).quantity}`);
    }
    if (m && mode === 'range' && !measureInfo(m).rangeable) p.add(join(path, 'answerWith'), `${m.measure} is not a time range on the timeline; use "value"`);
    // A clicked slice answers a rangeable measure with its extent (its duration, where it is).
    answerKinds = mode === 'range' ? ['range', 'slice'] : mode === 'value' || (m && !measureInfo(m).rangeable) ? ['value'] : ['range', 'slice', 'value'];
    valueQuantity = m ? measureInfo(m).quantity : null;
    nearIds = parseNearMissIds(p, join(path, 'nearMisses'), r.nearMisses, (p, np, n) => {
      noUnknownKeys(p, np, n, ['id', 'measure', 'scale', 'value', 'feedback']);
      const given = ['measure', 'scale', 'value'].filter((k) => n[k] !== undefined);
      if (given.length !== 1) p.add(np, 'give exactly one of `measure`, `scale` (a unit slip) or `value` (a known number) that the wrong answer equals');
      if (n.measure !== undefined) parseMeasure(p, join(np, 'measure'), n.measure);
      if (n.scale !== undefined) expectNumber(p, join(np, 'scale'), n.scale, { exclusiveMin: 0 });
      if (n.value !== undefined) parseKnownValue(p, join(np, 'value'), n.value, valueQuantity);
    });
  } else if (kind === 'compare') {
    const t = expectRecord(p, join(path, 'traces'), r.traces);
    if (t) {
      noUnknownKeys(p, join(path, 'traces'), t, ['before', 'after']);
      parseTrace(p, join(join(path, 'traces'), 'before'), t.before);
      parseTrace(p, join(join(path, 'traces'), 'after'), t.after);
    }
    if (r.labels !== undefined) {
      const lp = join(path, 'labels');
      const l = expectRecord(p, lp, r.labels);
      if (l) {
        noUnknownKeys(p, lp, l, ['before', 'after']);
        parseL10n(p, join(lp, 'before'), l.before);
        parseL10n(p, join(lp, 'after'), l.after);
      }
    }
    const m = parseMeasure(p, join(path, 'measure'), r.measure);
    const ap = join(path, 'ask');
    const ask = expectRecord(p, ap, r.ask);
    const type = ask ? expectOneOf(p, join(ap, 'type'), ask.type, ['value', 'choice'] as const) : null;
    if (ask && type === 'value') {
      noUnknownKeys(p, ap, ask, ['type', 'combine', 'unit', 'tolerance']);
      const combine = expectOneOf(p, join(ap, 'combine'), ask.combine, COMBINES);
      const unit = expectOneOf(p, join(ap, 'unit'), ask.unit, ['ns', 'us', 'ms', 's', '%', 'ratio', 'count'] as const);
      parseTolerance(p, join(ap, 'tolerance'), ask.tolerance);
      if (m && combine) {
        valueQuantity = combine === 'ratio' || combine === 'speedup' ? 'ratio' : measureInfo(m).quantity;
        if (unit && quantityOf(unit) !== valueQuantity) p.add(join(ap, 'unit'), `"${unit}" measures ${quantityOf(unit)}, but ${combine} of ${m.measure} is a ${valueQuantity}`);
      }
      answerKinds = ['value'];
      nearIds = parseNearMissIds(p, join(path, 'nearMisses'), r.nearMisses, (p, np, n) => {
        noUnknownKeys(p, np, n, ['id', 'combine', 'measure', 'side', 'scale', 'value', 'feedback']);
        if (n.value !== undefined) parseKnownValue(p, join(np, 'value'), n.value, valueQuantity);
        if (n.combine !== undefined) expectOneOf(p, join(np, 'combine'), n.combine, COMBINES);
        if (n.measure !== undefined) parseMeasure(p, join(np, 'measure'), n.measure);
        if (n.side !== undefined) expectOneOf(p, join(np, 'side'), n.side, ['before', 'after'] as const);
        if (n.scale !== undefined) expectNumber(p, join(np, 'scale'), n.scale, { exclusiveMin: 0 });
        if ([n.combine, n.measure, n.side, n.scale, n.value].every((x) => x === undefined)) p.add(np, 'give a `combine`, a `measure`, a `side`, a `scale` or a `value` that the wrong answer equals');
      });
    } else if (ask && type === 'choice') {
      noUnknownKeys(p, ap, ask, ['type', 'pick', 'sameWithin', 'options']);
      expectOneOf(p, join(ap, 'pick'), ask.pick, ['lower', 'higher'] as const);
      if (ask.sameWithin !== undefined) parseTolerance(p, join(ap, 'sameWithin'), ask.sameWithin);
      optionIds = parseOptions(p, join(ap, 'options'), ask.options, true);
      for (const need of ['before', 'after']) if (ask.options && !optionIds.includes(need)) p.add(join(ap, 'options'), `needs an option with id "${need}"`);
      if (ask.sameWithin !== undefined && !optionIds.includes('same')) p.add(join(ap, 'options'), 'sameWithin is set, so add an option with id "same"');
      answerKinds = ['choice'];
      if (r.nearMisses !== undefined) p.add(join(path, 'nearMisses'), 'a choice question explains each option instead');
    }
  } else {
    if (r.trace !== undefined) parseTrace(p, join(path, 'trace'), r.trace);
    if (r.multiple !== undefined) expectBoolean(p, join(path, 'multiple'), r.multiple);
    optionIds = parseOptions(p, join(path, 'options'), r.options, false);
    const opts = Array.isArray(r.options) ? (r.options as Array<Record<string, unknown>>) : [];
    const nCorrect = opts.filter((o) => o && o.correct === true).length;
    if (Array.isArray(r.options) && nCorrect === 0) p.add(join(path, 'options'), 'mark at least one option `correct: true`');
    if (r.multiple !== true && nCorrect > 1) p.add(join(path, 'options'), `${nCorrect} options are correct; set \`multiple: true\` or keep one`);
    answerKinds = ['choice'];
  }

  const known = [...nearIds, ...optionIds];
  const sol = parseAnswerSpec(p, join(path, 'solution'), r.solution, answerKinds, optionIds, valueQuantity);
  if (sol && sol.kind === 'range' && kind === 'find') p.add(join(path, 'solution'), 'a find exercise is solved by a slice');
  const wrongs = expectArray(p, join(path, 'wrongAnswers'), r.wrongAnswers, { min: 1 });
  wrongs?.forEach((w, i) => {
    const wp = join(join(path, 'wrongAnswers'), i);
    const wr = expectRecord(p, wp, w);
    if (!wr) return;
    noUnknownKeys(p, wp, wr, ['answer', 'nearMiss', 'note']);
    parseAnswerSpec(p, join(wp, 'answer'), wr.answer, answerKinds, optionIds, valueQuantity);
    if (wr.note !== undefined) expectString(p, join(wp, 'note'), wr.note);
    if (wr.nearMiss !== undefined) {
      const nm = expectString(p, join(wp, 'nearMiss'), wr.nearMiss);
      if (nm !== null && !known.includes(nm)) p.add(join(wp, 'nearMiss'), `no near miss or option "${nm}"; known: ${known.join(', ') || 'none'}`);
    }
  });
}

/** A lesson's or workshop's exercises: `{ id, title?, exercises: [...] }`, ids unique. */
export function parsePack(raw: unknown): Parsed<Pack> {
  const p = new Problems();
  const r = expectRecord(p, '', raw);
  if (r) {
    noUnknownKeys(p, '', r, ['id', 'title', 'exercises']);
    const id = expectString(p, 'id', r.id, { max: 120 });
    if (id !== null && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(id)) p.add('id', `"${id}" should be letters, digits and - _ . /`);
    if (r.title !== undefined) parseL10n(p, 'title', r.title);
    const seen = new Set<string>();
    expectArray(p, 'exercises', r.exercises, { min: 1 })?.forEach((e, i) => {
      checkExercise(p, `exercises[${i}]`, e);
      const eid = (e as { id?: unknown } | null)?.id;
      if (typeof eid === 'string') {
        if (seen.has(eid)) p.add(`exercises[${i}].id`, `"${eid}" is used by another exercise in this pack`);
        seen.add(eid);
      }
    });
  }
  return p.ok ? { ok: true, value: structuredClone(raw) as Pack } : { ok: false, errors: p.list };
}
