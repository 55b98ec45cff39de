/**
 * Checkers: pure functions from (exercise, trace model(s), analysis, answer)
 * to a verdict with bilingual feedback, plus `resolveTarget` (what "Show me"
 * reveals) and `verifyExercise` (the reference solution passes, the known
 * wrong answers fail, on a given trace).
 *
 * Feedback order for a wrong answer: the exercise's own near misses first
 * (the most specific words), then a generic line computed from the answer
 * ("right kind of slice, wrong place", "too high").
 */
import { endOf, nameOf, trackName } from '../analysis/access.ts';
import { solutionSlice } from './reveal.ts';
import { hostFormOf } from './host-form.ts';
import { formatDurationNs } from '../trace/time.ts';
import type { SliceId, TraceModel } from '../trace/model.ts';
import type { Analysis } from './analysis.ts';
import { joinL10n, msg } from './feedback.ts';
import { computeMeasure, totalOf, type MeasureInstance, type TimeRange } from './measures.ts';
import { kindOnly, linkedTarget, resolveQuery } from './query.ts';
import { measureInfo } from './schema-parts.ts';
import type {
  Answer,
  AnswerSpec,
  ChoiceExercise,
  Combine,
  CompareExercise,
  Exercise,
  FindExercise,
  L10n,
  MeasureExercise,
  Tolerance,
} from './schema.ts';
import { formatValue, quantityOf, toCanonical, type Quantity, type ValueUnit } from './units.ts';

/** The loaded trace(s): `model` for find/measure/choice, `before` and `after` for compare. */
export interface Traces {
  model?: TraceModel | null;
  before?: TraceModel | null;
  after?: TraceModel | null;
}

export interface CheckResult {
  correct: boolean;
  feedback: L10n;
  /** Id of the near miss (or chosen wrong option) that produced the feedback. */
  nearMiss?: string;
  /** The exercise cannot be checked on these traces (not loaded, or it does not fit them). */
  unavailable?: boolean;
  /** The computed reference for people, e.g. "1.23 ms" (measure and compare). */
  reference?: string;
  /** Language-neutral one-line summary of the answer, kept in saved progress. */
  answerText: string;
}

export function answerText(answer: Answer, model?: TraceModel | null): string {
  switch (answer.kind) {
    case 'slice': {
      const name = model && answer.sliceId >= 0 && answer.sliceId < model.slices.length ? ` ${nameOf(model, answer.sliceId)}` : '';
      return `slice ${answer.sliceId}${name.slice(0, 90)}`;
    }
    case 'range':
      return `range ${answer.startNs}..${answer.endNs} ns (${formatDurationNs(answer.endNs - answer.startNs)})`;
    case 'value':
      return `value ${answer.value} ${answer.unit}`;
    case 'choice':
      return `choice ${answer.optionIds.join('+')}`;
  }
}

/** |given − reference| ≤ max(relative·|reference|, absolute in `unit`), with float slack. */
export function withinTolerance(given: number, reference: number, tol: Tolerance, unit: ValueUnit): boolean {
  const abs = tol.absolute !== undefined ? toCanonical(tol.absolute, unit) : 0;
  const rel = (tol.relative ?? 0) * Math.abs(reference);
  const slack = 1e-9 * Math.max(1, Math.abs(reference));
  return Math.abs(given - reference) <= Math.max(abs, rel) + slack;
}

/** Intersection over union of two ranges (0 when they do not overlap). */
export function overlapRatio(a: TimeRange, b: TimeRange): number {
  const inter = Math.min(a.endNs, b.endNs) - Math.max(a.startNs, b.startNs);
  const uni = Math.max(a.endNs, b.endNs) - Math.min(a.startNs, b.startNs);
  return inter > 0 && uni > 0 ? inter / uni : 0;
}

/** The instance a selected range is about: the one it overlaps most (intersection over union ≥ 0.5). */
function instanceForRange(instances: MeasureInstance[], r: TimeRange): MeasureInstance | null {
  let best: MeasureInstance | null = null;
  let bestR = 0;
  for (const i of instances) {
    if (!i.range) continue;
    const o = overlapRatio(i.range, r);
    if (o > bestR) {
      best = i;
      bestR = o;
    }
  }
  return bestR >= 0.5 ? best : null;
}

const unavailable = (answer: Answer, why: L10n, model?: TraceModel | null): CheckResult => ({
  correct: false,
  unavailable: true,
  feedback: why,
  answerText: answerText(answer, model),
});

/** What the learner had on the timeline when answering: a typed value read off a selected slice is about that slice. */
export interface AnswerContext {
  selectedSliceId?: SliceId | null;
}

export function checkAnswer(ex: Exercise, traces: Traces, a: Analysis, answer: Answer, context: AnswerContext = {}): CheckResult {
  switch (ex.kind) {
    case 'find':
      return checkFind(ex, traces.model, a, answer);
    case 'measure':
      return checkMeasure(ex, traces.model, a, answer, context);
    case 'compare':
      return checkCompare(ex, traces, a, answer);
    case 'choice':
      return checkChoice(ex, answer);
  }
}

function checkFind(ex: FindExercise, model: TraceModel | null | undefined, a: Analysis, answer: Answer): CheckResult {
  if (!model) return unavailable(answer, msg.notLoaded);
  const text = answerText(answer, model);
  if (answer.kind !== 'slice') return { correct: false, feedback: msg.selectSlice, answerText: text };
  const s = answer.sliceId;
  if (!Number.isInteger(s) || s < 0 || s >= model.slices.length) return { correct: false, feedback: msg.noSuchSlice, answerText: text };
  const targets = resolveQuery(model, a, ex.target);
  if (!targets.length) return unavailable(answer, msg.unavailable('no slice matches the target'), model);
  const linked = ex.accept !== 'exact';
  const hit = (set: SliceId[]): SliceId | null => {
    if (set.includes(s)) return s;
    return linked ? linkedTarget(model, a, s, set) : null;
  };
  const t = hit(targets);
  if (t !== null) {
    const feedback = t === s ? msg.correctSlice(nameOf(model, s)) : msg.correctLinked(nameOf(model, s), nameOf(model, t));
    return { correct: true, feedback, answerText: text };
  }
  if (linked) {
    const form = hostFormOf(model, a, ex.target, s, targets);
    if (form) {
      const first = form.device[0];
      // Kineto writes some lane names with a trailing space ("stream 7 ").
      const lane = trackName(model, model.slices.track[first]).trim();
      const feedback = (form.how === 'setup' ? msg.correctSetup : msg.correctHostForm)(nameOf(model, s), form.device.length, nameOf(model, first), lane);
      return { correct: true, feedback, answerText: text };
    }
  }
  for (const nm of ex.nearMisses ?? []) {
    if (hit(resolveQuery(model, a, nm.match)) !== null) return { correct: false, feedback: nm.feedback, nearMiss: nm.id, answerText: text };
  }
  const sameKind = hit(resolveQuery(model, a, kindOnly(ex.target))) !== null;
  return { correct: false, feedback: sameKind ? msg.rightKindWrongPlace(nameOf(model, s)) : msg.wrongSlice(nameOf(model, s)), answerText: text };
}

/** The learner's number in canonical units, or a reason it cannot be compared. */
function givenValue(answer: Answer, quantity: Quantity): number | L10n {
  if (answer.kind !== 'value') return msg.answerWithValue;
  if (!Number.isFinite(answer.value)) return msg.answerWithValue;
  if (quantityOf(answer.unit) !== quantity) return msg.wrongUnit(answer.unit);
  return toCanonical(answer.value, answer.unit);
}

/** A slice as a measurement: its extent, and words for feedback ("reduce_scatter… at 0.412 ms, 5.21 ms long"). */
function measuredSlice(model: TraceModel, s: SliceId): { range: TimeRange; said: L10n } | null {
  if (!Number.isInteger(s) || s < 0 || s >= model.slices.length) return null;
  const startNs = model.slices.startNs[s];
  const endNs = startNs + model.slices.durNs[s];
  return { range: { startNs, endNs }, said: msg.measuredSlice(nameOf(model, s), formatDurationNs(startNs), formatDurationNs(endNs - startNs)) };
}

function checkMeasure(ex: MeasureExercise, model: TraceModel | null | undefined, a: Analysis, answer: Answer, context: AnswerContext = {}): CheckResult {
  if (!model) return unavailable(answer, msg.notLoaded);
  const text = answerText(answer, model);
  const res = computeMeasure(model, a, ex.measure);
  if (!res.instances.length) return unavailable(answer, msg.unavailable(res.missing ?? 'nothing to measure'), model);
  const info = measureInfo(ex.measure);
  const mode = ex.answerWith ?? 'either';
  const fmt = (v: number) => formatValue(v, res.quantity, ex.unit);
  const wrong = (feedback: L10n, nearMiss?: string): CheckResult => ({ correct: false, feedback, nearMiss, answerText: text });

  // A typed value that is the duration of the slice selected on the timeline was read off that slice:
  // check it as that slice, so the right number on the wrong slice (a left-over kernel of an earlier
  // step with the same duration) is not taken for the answer.
  const sel = context.selectedSliceId ?? null;
  if (answer.kind === 'value' && sel !== null && info.rangeable && res.quantity === 'time' && quantityOf(answer.unit) === 'time') {
    const m = measuredSlice(model, sel);
    if (m && withinTolerance(toCanonical(answer.value, answer.unit), m.range.endNs - m.range.startNs, ex.tolerance, ex.unit)) {
      const r = checkMeasure(ex, model, a, { kind: 'slice', sliceId: sel });
      return { ...r, answerText: `${text} (read off ${answerText({ kind: 'slice', sliceId: sel }, model)})`.slice(0, 300) };
    }
  }

  let given: number;
  let candidates: MeasureInstance[];
  // What was measured, when it was a slice: near misses and misses name it.
  let said: L10n | null = null;
  const isRange = answer.kind === 'range' || answer.kind === 'slice';
  if (answer.kind === 'range' || answer.kind === 'slice') {
    if (mode === 'value' || !info.rangeable) return wrong(msg.answerWithValue);
    let range: TimeRange = answer.kind === 'range' ? answer : { startNs: 0, endNs: 0 };
    if (answer.kind === 'slice') {
      const m = measuredSlice(model, answer.sliceId);
      if (!m) return wrong(msg.noSuchSlice);
      range = m.range;
      said = m.said;
    }
    given = range.endNs - range.startNs;
    const inst = instanceForRange(res.instances, range);
    candidates = inst ? [inst] : [];
  } else {
    if (mode === 'range') return wrong(msg.answerWithRange);
    const g = givenValue(answer, res.quantity);
    if (typeof g !== 'number') return wrong(g);
    given = g;
    candidates = res.instances;
  }

  const match = candidates.find((i) => withinTolerance(given, i.value, ex.tolerance, ex.unit));
  if (match) return { correct: true, feedback: msg.correctValue(fmt(given), fmt(match.value)), reference: fmt(match.value), answerText: text };

  const range: TimeRange | null = answer.kind === 'range' ? answer : answer.kind === 'slice' ? measuredSlice(model, answer.sliceId)!.range : null;
  const withSaid = (f: L10n) => (said ? joinL10n(said, f) : f);
  for (const nm of ex.nearMisses ?? []) {
    let pool: number[];
    if (nm.measure) {
      const alt = computeMeasure(model, a, nm.measure);
      pool = (range ? [instanceForRange(alt.instances, range)].filter((x): x is MeasureInstance => x !== null) : alt.instances).map((i) => i.value);
    } else if (range) continue; // a unit slip or a quoted number is typed, never selected
    else if (nm.scale !== undefined) pool = res.instances.map((i) => i.value * nm.scale!);
    else pool = nm.value ? [toCanonical(nm.value.value, nm.value.unit)] : [];
    if (pool.some((v) => withinTolerance(given, v, ex.tolerance, ex.unit))) return wrong(withSaid(nm.feedback), nm.id);
  }
  if (isRange && !candidates.length) return wrong(said ? joinL10n(said, msg.notThatOne) : msg.misaligned);
  const nearest = candidates.reduce((x, i) => (Math.abs(i.value - given) < Math.abs(x.value - given) ? i : x), candidates[0]);
  if (isRange) return wrong(given > nearest.value ? msg.rangeTooLong(fmt(given)) : msg.rangeTooShort(fmt(given)));
  return wrong(given > nearest.value ? msg.tooHigh(fmt(given)) : msg.tooLow(fmt(given)));
}

export function combineValues(c: Combine, before: number, after: number): number | null {
  switch (c) {
    case 'saved':
      return before - after;
    case 'difference':
      return after - before;
    case 'ratio':
      return before !== 0 ? after / before : null;
    case 'speedup':
      return after !== 0 ? before / after : null;
  }
}

function checkCompare(ex: CompareExercise, traces: Traces, a: Analysis, answer: Answer): CheckResult {
  if (!traces.before || !traces.after) return unavailable(answer, msg.notLoaded);
  const text = answerText(answer, null);
  const rb = computeMeasure(traces.before, a, ex.measure);
  const ra = computeMeasure(traces.after, a, ex.measure);
  const vb = totalOf(rb);
  const va = totalOf(ra);
  if (vb === null || va === null) return unavailable(answer, msg.unavailable(rb.missing ?? ra.missing ?? 'no single value to compare'));
  const fmtM = (v: number) => formatValue(v, rb.quantity);
  const both = msg.compareValues(fmtM(vb), fmtM(va), ex.labels);
  const ask = ex.ask;

  if (ask.type === 'choice') {
    if (answer.kind !== 'choice' || answer.optionIds.length !== 1) return { correct: false, feedback: msg.answerWithChoice, answerText: text };
    const same = ask.sameWithin !== undefined && withinTolerance(va, vb, ask.sameWithin, 'ns');
    const expected = same ? 'same' : (vb < va) === (ask.pick === 'lower') ? 'before' : 'after';
    const chosen = ask.options.find((o) => o.id === answer.optionIds[0]);
    if (!chosen) return { correct: false, feedback: msg.answerWithChoice, answerText: text };
    const correct = chosen.id === expected;
    return {
      correct,
      feedback: joinL10n(correct ? msg.correct : msg.notQuite, chosen.explanation, both),
      nearMiss: correct ? undefined : chosen.id,
      reference: `${fmtM(vb)} → ${fmtM(va)}`,
      answerText: text,
    };
  }

  const quantity: Quantity = ask.combine === 'ratio' || ask.combine === 'speedup' ? 'ratio' : rb.quantity;
  const ref = combineValues(ask.combine, vb, va);
  if (ref === null) return unavailable(answer, msg.unavailable('division by zero'));
  const g = givenValue(answer, quantity);
  if (typeof g !== 'number') return { correct: false, feedback: g, answerText: text };
  const fmt = (v: number) => formatValue(v, quantity, ask.unit);
  if (withinTolerance(g, ref, ask.tolerance, ask.unit)) {
    return { correct: true, feedback: joinL10n(msg.correctValue(fmt(g), fmt(ref)), both), reference: fmt(ref), answerText: text };
  }
  for (const nm of ex.nearMisses ?? []) {
    const m = nm.measure ?? ex.measure;
    const b = nm.measure ? totalOf(computeMeasure(traces.before, a, m)) : vb;
    const af = nm.measure ? totalOf(computeMeasure(traces.after, a, m)) : va;
    const alt = nm.value
      ? toCanonical(nm.value.value, nm.value.unit)
      : b === null || af === null
        ? null
        : nm.side
          ? nm.side === 'after' ? af : b
          : nm.scale !== undefined
            ? ref * nm.scale
            : combineValues(nm.combine ?? ask.combine, b, af);
    if (alt !== null && withinTolerance(g, alt, ask.tolerance, ask.unit)) return { correct: false, feedback: nm.feedback, nearMiss: nm.id, answerText: text };
  }
  return { correct: false, feedback: g > ref ? msg.tooHigh(fmt(g)) : msg.tooLow(fmt(g)), answerText: text };
}

function checkChoice(ex: ChoiceExercise, answer: Answer): CheckResult {
  const text = answerText(answer);
  if (answer.kind !== 'choice' || answer.optionIds.length === 0) return { correct: false, feedback: msg.answerWithChoice, answerText: text };
  const chosen = new Set(ex.multiple ? answer.optionIds : answer.optionIds.slice(0, 1));
  const options = ex.options.filter((o) => chosen.has(o.id));
  if (options.length !== chosen.size) return { correct: false, feedback: msg.answerWithChoice, answerText: text };
  const wrongChosen = options.filter((o) => !o.correct);
  const missed = ex.options.filter((o) => o.correct && !chosen.has(o.id));
  if (!wrongChosen.length && !missed.length) {
    return { correct: true, feedback: joinL10n(msg.correct, ...options.map((o) => o.explanation)), answerText: text };
  }
  const feedback = wrongChosen.length ? joinL10n(msg.notQuite, ...wrongChosen.map((o) => o.explanation)) : msg.missedSome(missed.length);
  return { correct: false, feedback, nearMiss: wrongChosen[0]?.id, answerText: text };
}

/** An answer written in exercise data, made concrete on a trace (null when its query finds nothing). */
export function materializeAnswer(spec: AnswerSpec, model: TraceModel | null | undefined, a: Analysis): Answer | null {
  if (spec.kind === 'slice' && 'query' in spec) {
    if (!model) return null;
    const sliceId = solutionSlice(model, a, spec);
    return sliceId === null ? null : { kind: 'slice', sliceId };
  }
  if (spec.kind === 'range' && 'of' in spec) {
    if (!model) return null;
    const ids = resolveQuery(model, a, spec.of);
    if (!ids.length) return null;
    let startNs = Infinity;
    let endNs = -Infinity;
    for (const s of ids) {
      startNs = Math.min(startNs, model.slices.startNs[s]);
      endNs = Math.max(endNs, endOf(model, s));
    }
    return { kind: 'range', startNs, endNs };
  }
  return spec as Answer;
}

export { resolveTarget, type Reveal } from './reveal.ts';
