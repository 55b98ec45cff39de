import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fillLang, onlyLang, parseExercise, parsePack } from './schema.ts';

const t = (en: string) => ({ en, 'zh-CN': `${en}（中文）` });

/** A valid exercise of each kind; each test breaks one thing. */
function find(): Record<string, unknown> {
  return {
    id: 'find-ar',
    kind: 'find',
    trace: '/traces/x.json.gz',
    prompt: t('Click the all-reduce after o_proj in layer 2.'),
    hints: [t('Layers repeat.'), t('o_proj is a GEMM.')],
    explanation: t('It reduces the attention output.'),
    target: { detector: 'all_reduce', within: { scope: 'Qwen2DecoderLayer', index: 1 }, after: { scope: 'o_proj' } },
    nearMisses: [{ id: 'mlp-ar', match: { detector: 'all_reduce', after: { scope: 'down_proj' } }, feedback: t('That one follows the MLP.') }],
    solution: { kind: 'slice', query: { name: 'ncclDevKernel_AllReduce_Sum_bf16_RING_LL', nth: 1 } },
    wrongAnswers: [{ answer: { kind: 'slice', sliceId: 3 }, nearMiss: 'mlp-ar' }],
  };
}

function measure(): Record<string, unknown> {
  return {
    id: 'layer-host',
    kind: 'measure',
    trace: '/traces/x.json.gz',
    prompt: t('How long does one layer take on the host?'),
    hints: [],
    explanation: t('Host time of the scope.'),
    measure: { measure: 'scope-duration', scope: 'Qwen2DecoderLayer', on: 'host', index: 1 },
    unit: 'us',
    tolerance: { relative: 0.05 },
    solution: { kind: 'value', value: 2.8, unit: 'us' },
    wrongAnswers: [{ answer: { kind: 'value', value: 2.06, unit: 'us' } }],
  };
}

function choice(): Record<string, unknown> {
  return {
    id: 'why-idle',
    kind: 'choice',
    prompt: t('Why is the GPU idle here?'),
    hints: [],
    explanation: t('The host was late.'),
    options: [
      { id: 'a', text: t('Host-bound'), explanation: t('Yes.'), correct: true },
      { id: 'b', text: t('Memory-bound'), explanation: t('No: the GPU is not running.') },
    ],
    solution: { kind: 'choice', optionIds: ['a'] },
    wrongAnswers: [{ answer: { kind: 'choice', optionIds: ['b'] }, nearMiss: 'b' }],
  };
}

function compare(): Record<string, unknown> {
  return {
    id: 'saved',
    kind: 'compare',
    traces: { before: '/traces/a.json.gz', after: '/traces/b.json.gz' },
    prompt: t('How much exposed communication was saved?'),
    hints: [],
    explanation: t('Overlap.'),
    measure: { measure: 'overlap.communication_not_overlapped' },
    ask: { type: 'value', combine: 'saved', unit: 'ms', tolerance: { relative: 0.05 } },
    nearMisses: [{ id: 'sign', combine: 'difference', feedback: t('Mind the sign.') }],
    solution: { kind: 'value', value: 1.5, unit: 'ms' },
    wrongAnswers: [{ answer: { kind: 'value', value: -1.5, unit: 'ms' }, nearMiss: 'sign' }],
  };
}

function errorsOf(raw: unknown): string[] {
  const r = parseExercise(raw);
  return r.ok ? [] : r.errors;
}

describe('parseExercise', () => {
  it('accepts a valid exercise of each kind and returns a copy', () => {
    for (const make of [find, measure, choice, compare]) {
      const raw = make();
      const r = parseExercise(raw);
      expect(r.ok ? [] : r.errors).toEqual([]);
      if (r.ok) {
        expect(r.value).toEqual(raw);
        expect(r.value).not.toBe(raw);
      }
    }
  });

  it('names an unknown field with its path and the closest known one', () => {
    const raw = { ...find(), nearMiss: [] };
    expect(errorsOf(raw)).toEqual([expect.stringMatching(/^nearMiss: unknown field \(did you mean "nearMisses"\?\)/)]);
  });

  it('keeps an author\'s $comment (a string) and rejects one that is not text', () => {
    const raw = { ...find(), $comment: 'gap 15.55-15.66 ms found with the loader' };
    const r = parseExercise(raw);
    expect(r.ok ? r.value.$comment : r.errors).toBe('gap 15.55-15.66 ms found with the loader');
    expect(errorsOf({ ...find(), $comment: 42 })).toEqual([expect.stringMatching(/^\$comment: /)]);
  });

  it('requires both languages in every learner-facing text', () => {
    const raw = find();
    (raw.hints as unknown[])[1] = { en: 'only English' };
    expect(errorsOf(raw)).toEqual(['hints[1].zh-CN: missing: every learner-facing text needs both en and zh-CN']);
  });

  it('rejects an unknown detector with a suggestion, and a regex that does not compile', () => {
    const raw = find();
    raw.target = { detector: 'allreduce', scope: '/(unclosed/' };
    const errs = errorsOf(raw);
    expect(errs[0]).toMatch(/^target\.detector: expected one of .*got "allreduce" \(did you mean "all_reduce"\?\)$/);
    expect(errs[1]).toMatch(/^target\.scope: not a valid regular expression/);
    expect(errs).toHaveLength(2);
  });

  it('reports a bad index with the value given', () => {
    const raw = find();
    raw.target = { detector: 'all_reduce', within: [{ scope: 'Qwen2DecoderLayer', index: 1.5 }] };
    expect(errorsOf(raw)).toEqual(['target.within[0].index: expected an integer, got 1.5']);
  });

  it('query args: a record of patterns, at least one', () => {
    const raw = find();
    raw.target = { name: 'aten::mm', args: { 'Input Dims': '/^8,3584;/' } };
    expect(errorsOf(raw)).toEqual([]);
    raw.target = { name: 'aten::mm', args: { 'Input Dims': '/(unclosed/', 'Input type': 3 } };
    const errs = errorsOf(raw);
    expect(errs[0]).toMatch(/^target\.args\.Input Dims: not a valid regular expression/);
    expect(errs[1]).toMatch(/^target\.args\.Input type: /);
    raw.target = { name: 'aten::mm', args: {} };
    expect(errorsOf(raw)).toEqual(['target.args: name at least one arg']);
  });

  it('a query must say what it looks for', () => {
    const raw = find();
    raw.target = { step: 0 };
    expect(errorsOf(raw)).toEqual(['target: say what the slice is: a detector, a name, a scope or blocksPerSm']);
  });

  it('requires a solution of the kind the exercise takes, and at least one known wrong answer', () => {
    const raw = find();
    raw.solution = { kind: 'value', value: 1, unit: 'us' };
    raw.wrongAnswers = [];
    expect(errorsOf(raw)).toEqual([
      'solution.kind: this exercise is answered with slice or range, not value',
      'wrongAnswers: expected at least 1 item, got 0',
    ]);
  });

  it('a wrong answer may only name a near miss that exists', () => {
    const raw = find();
    raw.wrongAnswers = [{ answer: { kind: 'slice', sliceId: 1 }, nearMiss: 'mlp' }];
    expect(errorsOf(raw)).toEqual(['wrongAnswers[0].nearMiss: no near miss or option "mlp"; known: mlp-ar']);
  });

  it('checks that the unit fits the measure and that range answers fit the measure', () => {
    const raw = measure();
    raw.unit = '%';
    raw.measure = { measure: 'overlap.communication_not_overlapped' };
    raw.answerWith = 'range';
    raw.solution = { kind: 'value', value: 1, unit: 'us' };
    expect(errorsOf(raw)).toEqual([
      'unit: "%" measures ratio, but overlap.communication_not_overlapped gives a time',
      'answerWith: overlap.communication_not_overlapped is not a time range on the timeline; use "value"',
      'solution.kind: this exercise is answered with range or slice, not value',
      'wrongAnswers[0].answer.kind: this exercise is answered with range or slice, not value',
    ]);
  });

  it('measure fields are checked per measure', () => {
    const raw = measure();
    raw.measure = { measure: 'launch-latency', stat: 'p95', on: 'host' };
    expect(errorsOf(raw)).toEqual([
      expect.stringMatching(/^measure\.on: unknown field/),
      expect.stringMatching(/^measure\.stat: expected one of "p50", "p90", "p99", "max", got "p95"/),
    ]);
    raw.measure = { measure: 'scope_duration' };
    expect(errorsOf(raw)[0]).toMatch(/^measure\.measure: .*got "scope_duration" \(did you mean "scope-duration"\?\)/);
  });

  it('a tolerance states relative and/or absolute', () => {
    const raw = measure();
    raw.tolerance = {};
    expect(errorsOf(raw)).toEqual(['tolerance: give `relative` (0.05 = 5%) and/or `absolute` (in the exercise unit)']);
    raw.tolerance = { relative: 5 };
    expect(errorsOf(raw)).toEqual(['tolerance.relative: expected a number ≤ 1, got 5']);
  });

  it('choice: one correct option unless multiple, option ids unique, answers name options', () => {
    const raw = choice();
    (raw.options as Array<Record<string, unknown>>)[1].correct = true;
    (raw.options as Array<Record<string, unknown>>).push({ id: 'a', text: t('dup'), explanation: t('dup') });
    raw.solution = { kind: 'choice', optionIds: ['z'] };
    expect(errorsOf(raw)).toEqual([
      'options[2].id: "a" is used by another option',
      'options: 2 options are correct; set `multiple: true` or keep one',
      'solution.optionIds[0]: no option "z"; options: a, b, a',
    ]);
  });

  it('compare: value unit follows the combination; choice options are before/after/same', () => {
    const raw = compare();
    raw.ask = { type: 'value', combine: 'speedup', unit: 'ms', tolerance: { relative: 0.1 } };
    raw.solution = { kind: 'value', value: 1.2, unit: 'ratio' };
    raw.wrongAnswers = [{ answer: { kind: 'value', value: 0.8, unit: 'ratio' } }];
    expect(errorsOf(raw)).toEqual(['ask.unit: "ms" measures time, but speedup of overlap.communication_not_overlapped is a ratio']);

    const c = compare();
    c.ask = { type: 'choice', pick: 'lower', options: [{ id: 'before', text: t('b'), explanation: t('b') }, { id: 'later', text: t('l'), explanation: t('l') }] };
    c.nearMisses = undefined;
    c.solution = { kind: 'choice', optionIds: ['before'] };
    c.wrongAnswers = [{ answer: { kind: 'choice', optionIds: ['before'] } }];
    expect(errorsOf(c)).toEqual([
      expect.stringMatching(/^ask\.options\[1\]\.id: expected one of "before", "after", "same", got "later"/),
      'ask.options: needs an option with id "after"',
    ]);
  });

  it('collects every problem of a badly broken exercise instead of stopping at the first', () => {
    expect(errorsOf({ kind: 'find' }).length).toBeGreaterThanOrEqual(6);
    expect(errorsOf(null)).toEqual(['expected an object, got null']);
    expect(errorsOf({ kind: 'quiz' })[0]).toMatch(/^kind: expected one of "find", "measure", "compare", "choice", got "quiz"/);
  });
});

describe('parsePack', () => {
  it('accepts a pack and prefixes errors with the exercise position', () => {
    expect(parsePack({ id: 'workshop/day-1', exercises: [find(), measure()] }).ok).toBe(true);
    const bad = measure();
    bad.id = 'find-ar';
    bad.hints = 'none';
    const r = parsePack({ id: 'workshop/day-1', exercises: [find(), bad] });
    expect(r.ok ? [] : r.errors).toEqual(['exercises[1].hints: expected a list, got "none"', 'exercises[1].id: "find-ar" is used by another exercise in this pack']);
  });
});

describe('onlyLang', () => {
  it("keeps one language's text of every L10n, empties the other's, and leaves everything else as it was", () => {
    const ex = find();
    const zh = onlyLang(ex, 'zh-CN') as Record<string, unknown>;
    expect(zh.prompt).toEqual({ en: '', 'zh-CN': 'Click the all-reduce after o_proj in layer 2.（中文）' });
    expect(onlyLang(ex, 'en').prompt).toEqual({ en: 'Click the all-reduce after o_proj in layer 2.', 'zh-CN': '' });
    // Not an L10n: an object with other keys, or with a non-string value, is walked, not emptied.
    expect(onlyLang({ en: 'a', 'zh-CN': 'b', id: 'x' }, 'en')).toEqual({ en: 'a', 'zh-CN': 'b', id: 'x' });
    expect(onlyLang({ en: 1, 'zh-CN': 'b' }, 'en')).toEqual({ en: 1, 'zh-CN': 'b' });
    expect(ex.prompt).toEqual(t('Click the all-reduce after o_proj in layer 2.')); // the input is not changed
  });

  it("every lesson's exercises, sent in one language and filled again, parse and read as the full ones in that language", () => {
    for (const lesson of ['gpu-overlap', 'gpu-qwen-tp', 'npu-deepseek', 'reading-a-timeline', 'record-your-own']) {
      const pack = JSON.parse(readFileSync(new URL(`../../content/exercises/${lesson}.json`, import.meta.url), 'utf8')) as { exercises: unknown[] };
      expect(pack.exercises.length, lesson).toBeGreaterThan(0);
      for (const raw of pack.exercises) {
        const full = parseExercise(raw);
        expect(full.ok, lesson).toBe(true);
        for (const lang of ['en', 'zh-CN'] as const) {
          const sent = onlyLang(raw, lang);
          expect(JSON.stringify(sent).length).toBeLessThan(JSON.stringify(raw).length);
          const one = parseExercise(fillLang(sent, lang));
          expect(one.ok, `${lesson} ${lang}: ${one.ok ? '' : one.errors.join('; ')}`).toBe(true);
          // The same exercise as the full one with `lang`'s text in both places: every text the page shows is the same.
          if (one.ok && full.ok) expect(one.value).toEqual(fillLang(onlyLang(full.value, lang), lang));
        }
      }
    }
  });
});
