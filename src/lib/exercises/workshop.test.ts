/**
 * Workshop packs: the example pack in public/workshops/ is valid in both
 * files (JSON and its YAML twin say the same), every exercise's solution
 * passes and its wrong answers fail on the bundled traces (as packs.test.ts
 * does for lesson packs), and each kind of mistake an instructor makes is
 * reported with its path, in English and Chinese.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultAnalysis as A } from './analysis.ts';
import type { Traces } from './check.ts';
import { bundledTraceAvailable, loadBundledTrace } from './testing.ts';
import { verifyExercise } from './verify.ts';
import { looksLikeYaml, parseWorkshop, parseWorkshopText, problemText, resolveTraceRef, type WorkshopProblem } from './workshop.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const exampleJson = readFileSync(`${root}public/workshops/example.json`, 'utf8');
const exampleYaml = readFileSync(`${root}public/workshops/example.yaml`, 'utf8');
const example = () => JSON.parse(exampleJson) as Record<string, any>;

function problems(raw: unknown): WorkshopProblem[] {
  const r = parseWorkshop(raw);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.problems;
}
/** The one problem at `path` (fails the test when there is none or several). */
function at(raw: unknown, path: string): WorkshopProblem {
  const list = problems(raw).filter((p) => p.path === path);
  expect(list.map((p) => p.path)).toEqual([path]);
  return list[0];
}

describe('the example workshop', () => {
  it('parses, resolving the trace aliases, with instructor notes on every exercise', async () => {
    const r = await parseWorkshopText(exampleJson, 'example.json');
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.value.id).toBe('example-npu-deepseek');
    expect(r.value.title['zh-CN']).toMatch(/工作坊/);
    expect(r.value.exercises.length).toBeGreaterThanOrEqual(3);
    for (const { exercise, instructorNotes } of r.value.exercises) {
      expect(exercise.kind === 'compare' ? exercise.traces.before : exercise.trace).toMatch(/^\/traces\/npu-deepseek-.+\.json\.gz$/);
      expect(instructorNotes?.en && instructorNotes['zh-CN']).toBeTruthy();
    }
  });

  it('declares a comparison: its runs’ aliases resolved to site paths', async () => {
    const r = await parseWorkshopText(exampleJson, 'example.json');
    if (!r.ok) throw new Error('the example does not parse');
    const raw = example();
    expect(r.value.comparisons).toHaveLength(raw.comparisons.length);
    expect(r.value.comparisons[0].runs.map((x) => x.trace)).toEqual(raw.comparisons[0].runs.map((x: { trace: string }) => raw.traces[x.trace]));
    expect(r.value.comparisons[0].runs[1].label['zh-CN']).toBe(raw.comparisons[0].runs[1].label['zh-CN']);
  });

  it('a comparison needs 2 to 4 runs, each a label and a trace on this site', () => {
    const problems = (comparisons: unknown) => {
      const w = example();
      w.comparisons = comparisons;
      const r = parseWorkshop(w);
      return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message.en}`);
    };
    const run = (trace: string) => ({ label: { en: 'x', 'zh-CN': 'x' }, trace });
    expect(problems([{ runs: [run('baseline'), run('/traces/npu-deepseek-rs-ag.json.gz')] }])).toEqual([]);
    expect(problems([{ runs: [run('baseline')] }])[0]).toMatch(/^comparisons\[0\]\.runs: .*2 to 4 runs/);
    expect(problems([{ runs: [run('baseline'), run('nope')] }])[0]).toMatch(/^comparisons\[0\]\.runs\[1\]\.trace: "nope" is neither a site path/);
    expect(problems([{ runs: [run('baseline'), run('https://example.org/t.json.gz')] }])[0]).toMatch(/^comparisons\[0\]\.runs\[1\]\.trace: .*Content-Security-Policy/);
    expect(problems([{ runs: [run('baseline'), { trace: 'baseline' }] }])[0]).toMatch(/^comparisons\[0\]\.runs\[1\]\.label/);
    expect(problems([{ runs: [run('baseline'), run('baseline')], colour: 'red' }])[0]).toMatch(/^comparisons\[0\]/);
    expect(problems('all')[0]).toMatch(/^comparisons: expected a list/);
  });

  it('the YAML twin is the same workshop', async () => {
    const [j, y] = await Promise.all([parseWorkshopText(exampleJson, 'example.json'), parseWorkshopText(exampleYaml, 'example.yaml')]);
    expect(y.ok ? [] : y.problems).toEqual([]);
    expect(y).toEqual(j);
  });

});

// Every pack in WORKSHOP_PACKS_DIR (default public/workshops/): valid, and each exercise's solution
// passes and its wrong answers fail on its trace (traces are looked up under public/ by their path).
const PACKS_DIR = process.env.WORKSHOP_PACKS_DIR ?? `${root}public/workshops`;
const packFiles = readdirSync(PACKS_DIR).filter((f) => /\.(json|ya?ml)$/.test(f));
describe.skipIf(!packFiles.length)(`workshop packs in ${relative(root, PACKS_DIR)}`, async () => {
  for (const file of packFiles) {
    const parsed = await parseWorkshopText(readFileSync(join(PACKS_DIR, file), 'utf8'), file);
    it(`${file} is a valid workshop pack`, () => {
      expect(parsed.ok ? [] : parsed.problems.map((p) => problemText(p, 'en'))).toEqual([]);
    });
    if (!parsed.ok) continue;
    for (const { exercise: ex } of parsed.value.exercises) {
      const urls = ex.kind === 'compare' ? [ex.traces.before, ex.traces.after] : ex.trace ? [ex.trace] : [];
      const missing = urls.filter((u) => !bundledTraceAvailable(u));
      if (missing.length) console.warn(`${file} ${ex.id}: ${missing.join(', ')} not in public/; not checked`);
      it.skipIf(missing.length > 0)(`${file} ${ex.id}: the solution passes and the wrong answers fail`, async () => {
        const traces: Traces = ex.kind === 'compare' ? { before: await loadBundledTrace(ex.traces.before), after: await loadBundledTrace(ex.traces.after) } : { model: await loadBundledTrace(ex.trace!) };
        expect(verifyExercise(ex, traces, A)).toEqual([]);
      }, 60_000);
    }
  }
});

describe('mistakes in a pack, each with its path and a message in both languages', () => {
  it('a trace on another site names the CSP', () => {
    const w = example();
    w.exercises[0].trace = 'https://example.org/t.json.gz';
    const p = at(w, 'exercises[0].trace');
    expect(p.message.en).toMatch(/another site.*connect-src 'self'/);
    expect(p.message['zh-CN']).toMatch(/内容安全策略.*connect-src 'self'/);
  });
  it('an alias pointing off-site, and a protocol-relative URL', () => {
    const w = example();
    w.traces.cdn = '//cdn.example.org/t.json.gz';
    expect(at(w, 'traces.cdn').message.en).toMatch(/another site/);
    expect(resolveTraceRef('data:application/json,[]', {})).toHaveProperty('problem');
    expect(resolveTraceRef('/traces/a.json.gz', {})).toEqual({ url: '/traces/a.json.gz' });
  });
  it('an unknown alias lists the known ones', () => {
    const w = example();
    w.exercises[1].trace = 'basline';
    const p = at(w, 'exercises[1].trace');
    expect(p.message.en).toMatch(/"basline" is neither a site path.*baseline, hostBound/);
    expect(p.message['zh-CN']).toMatch(/别名/);
  });
  it('a wrong format string', () => {
    const w = example();
    w.format = 'tracewise-workshop/9';
    expect(at(w, 'format').message.en).toMatch(/unknown format "tracewise-workshop\/9"/);
  });
  it('a missing title, and a title without Chinese', () => {
    const w = example();
    delete w.title;
    expect(at(w, 'title').message.en).toMatch(/missing/);
    const v = example();
    delete v.title['zh-CN'];
    const p = at(v, 'title.zh-CN');
    expect(p.message.en).toMatch(/both en and zh-CN/);
    expect(p.message['zh-CN']).toMatch(/^格式有误.*both en and zh-CN/);
  });
  it('a misspelt top-level key gets a "did you mean"', () => {
    const w = example();
    w.excercises = w.exercises;
    expect(problems(w).map((p) => problemText(p, 'en'))).toContainEqual(expect.stringMatching(/excercises.*did you mean "exercises"/));
  });
  it('an exercise problem keeps the lesson schema path', () => {
    const w = example();
    w.exercises[2].kind = 'chose';
    expect(problems(w).some((p) => p.path === 'exercises[2].kind')).toBe(true);
  });
  it('two exercises with one id', () => {
    const w = example();
    w.exercises[1].id = w.exercises[0].id;
    expect(at(w, 'exercises[1].id').message.en).toMatch(/used by another exercise/);
  });
  it('instructor notes in one language only', () => {
    const w = example();
    w.exercises[0].instructorNotes = { en: 'only English' };
    expect(at(w, 'exercises[0].instructorNotes.zh-CN').message.en).toMatch(/missing/);
  });
  it('not JSON, not YAML, not an object', async () => {
    const j = await parseWorkshopText('{ "id": ', 'w.json');
    expect(!j.ok && j.problems[0].message.en).toMatch(/^not valid JSON/);
    expect(!j.ok && j.problems[0].message['zh-CN']).toMatch(/^不是有效的 JSON/);
    const y = await parseWorkshopText('id: [unclosed', 'w.yaml');
    expect(!y.ok && y.problems[0].message.en).toMatch(/^not valid YAML/);
    expect(problems([1, 2])[0].message.en).toMatch(/expected an object/);
  });
  it('tells YAML from JSON by name, else by the first character', () => {
    expect(looksLikeYaml('{}', 'x.yaml')).toBe(true);
    expect(looksLikeYaml('id: x', 'x.json')).toBe(false);
    expect(looksLikeYaml('\uFEFF  {"id":1}')).toBe(false);
    expect(looksLikeYaml('# comment\nid: x')).toBe(true);
  });
});
