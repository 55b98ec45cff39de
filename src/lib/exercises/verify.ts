/**
 * The self-check every exercise must pass on its bundled trace (STYLE.md
 * example 15): its reference solution is accepted, each known wrong answer
 * is rejected (with the near miss it names), its target and near-miss rules
 * resolve to something, and no near-miss rule also matches the target.
 * Returns readable problems; an empty list means the exercise is sound.
 */
import type { Analysis } from './analysis.ts';
import { checkAnswer, materializeAnswer, overlapRatio, withinTolerance, type Traces } from './check.ts';
import { measureInfo } from './schema-parts.ts';
import { toCanonical } from './units.ts';
import { computeMeasure, totalOf } from './measures.ts';
import { resolveQuery } from './query.ts';
import type { Exercise } from './schema.ts';

export function verifyExercise(ex: Exercise, traces: Traces, a: Analysis): string[] {
  const problems: string[] = [];
  const say = (m: string) => problems.push(`${ex.id}: ${m}`);
  const model = traces.model;

  if (ex.kind === 'find') {
    if (!model) return [`${ex.id}: no trace given`];
    const targets = resolveQuery(model, a, ex.target);
    if (!targets.length) say('the target matches no slice');
    const set = new Set(targets);
    for (const nm of ex.nearMisses ?? []) {
      const ids = resolveQuery(model, a, nm.match);
      if (!ids.length) say(`near miss "${nm.id}" matches no slice`);
      if (ids.some((s) => set.has(s))) say(`near miss "${nm.id}" also matches the target`);
    }
  } else if (ex.kind === 'measure') {
    if (!model) return [`${ex.id}: no trace given`];
    const r = computeMeasure(model, a, ex.measure);
    if (!r.instances.length) say(`the measure gives nothing: ${r.missing}`);
    for (const nm of ex.nearMisses ?? []) {
      if (!nm.measure) {
        const vs = nm.scale !== undefined ? r.instances.map((i) => i.value * nm.scale!) : nm.value ? [toCanonical(nm.value.value, nm.value.unit)] : [];
        if (vs.some((v) => r.instances.some((i) => withinTolerance(v, i.value, ex.tolerance, ex.unit)))) say(`near miss "${nm.id}" is within tolerance of the reference, so it can never fire`);
        continue;
      }
      const alt = computeMeasure(model, a, nm.measure);
      if (!alt.instances.length) say(`near miss "${nm.id}" gives nothing: ${alt.missing}`);
      const clashes = alt.instances.filter((x) => r.instances.some((i) => withinTolerance(x.value, i.value, ex.tolerance, ex.unit)));
      // The same value elsewhere on the timeline (a left-over kernel of an earlier step) can still fire for an
      // answer that says where it was measured: a selected range or a clicked slice, away from every reference.
      const positioned = measureInfo(ex.measure).rangeable && (ex.answerWith ?? 'either') !== 'value';
      const placeable = (x: (typeof clashes)[number]) => !!x.range && !r.instances.some((i) => i.range && overlapRatio(i.range, x.range!) >= 0.5);
      if (clashes.length && !(positioned && clashes.every(placeable))) say(`near miss "${nm.id}" is within tolerance of the reference, so it can never fire`);
    }
  } else if (ex.kind === 'compare') {
    if (!traces.before || !traces.after) return [`${ex.id}: needs both traces`];
    for (const role of ['before', 'after'] as const) {
      if (totalOf(computeMeasure(traces[role]!, a, ex.measure)) === null) say(`the measure gives no single value on "${role}"`);
    }
  }

  const sol = materializeAnswer(ex.solution, ex.kind === 'compare' ? null : model, a);
  if (!sol) say('the solution query matches nothing');
  else {
    const r = checkAnswer(ex, traces, a, sol);
    if (!r.correct) say(`the solution is rejected: ${r.feedback.en}`);
  }
  ex.wrongAnswers.forEach((w, i) => {
    const ans = materializeAnswer(w.answer, ex.kind === 'compare' ? null : model, a);
    if (!ans) return say(`wrong answer ${i} matches nothing`);
    const r = checkAnswer(ex, traces, a, ans);
    if (r.correct) say(`wrong answer ${i} (${r.answerText}) is accepted`);
    else if (r.unavailable) say(`wrong answer ${i} cannot be checked: ${r.feedback.en}`);
    else if (w.nearMiss !== undefined && r.nearMiss !== w.nearMiss) {
      say(`wrong answer ${i} should trigger "${w.nearMiss}" but got ${r.nearMiss ? `"${r.nearMiss}"` : 'the generic feedback'}: ${r.feedback.en}`);
    }
  });
  return problems;
}
