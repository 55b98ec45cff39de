/**
 * Workshop progress: recorded through the real ProgressStore under the
 * pack's key (lesson progress untouched), exported as JSON and CSV with the
 * learner's name, read back by the instructor view, and summed up.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStorage, ProgressStore } from './progress.ts';
import {
  cleanLearnerName,
  exportFileName,
  exportWorkshopCsv,
  exportWorkshopJson,
  parseCsv,
  readWorkshopExport,
  summarizeWorkshop,
  workshopProgressKey,
  type LearnerProgress,
} from './workshop-progress.ts';

const pack = { id: 'example-npu-deepseek', title: { en: 'Example', 'zh-CN': '示例' }, exercises: [{ id: 'lanes' }, { id: 'find' }, { id: 'measure' }] };
const KEY = workshopProgressKey(pack.id);

function clock(start = Date.parse('2026-12-02T09:00:00Z')) {
  let t = start;
  return () => new Date((t += 1000));
}

/** A learner who got `lanes` wrong twice (one answer with a comma and quotes), then right, and `find` wrong once. */
function learnerStore(): ProgressStore {
  const s = new ProgressStore(new MemoryStorage(), { now: clock() });
  s.recordAttempt('lessons/npu-deepseek', 'lanes-on-host', { correct: true, answer: 'python,cann' });
  s.recordAttempt(KEY, 'lanes', { correct: false, answer: 'choice: python, hccl', nearMiss: 'hccl' });
  s.recordAttempt(KEY, 'lanes', { correct: false, answer: '=cmd|"x"' });
  s.recordAttempt(KEY, 'lanes', { correct: true, answer: 'choice: python, cann' });
  s.recordAttempt(KEY, 'find', { correct: false, answer: 'slice aclnnFusedInferAttentionScoreV3_1 @ 12.5 ms' });
  s.recordHints(KEY, 'find', 1);
  return s;
}

describe('solved with help (after Show me)', () => {
  const helped = () => {
    const s = learnerStore();
    s.recordShowMe(KEY, 'find');
    s.recordAttempt(KEY, 'find', { correct: true, answer: 'slice x' });
    return s;
  };
  it('travels through the JSON and CSV exports and is counted in the summary', () => {
    for (const text of [exportWorkshopJson(helped().load(), pack, 'Li', new Date('2026-12-02T10:00:00Z')), exportWorkshopCsv(helped().load(), pack, 'Li')]) {
      const r = readWorkshopExport(text);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.value.exercises.find.withHelp).toBe(true);
      expect(r.value.exercises.lanes.withHelp).toBeUndefined();
      const sum = summarizeWorkshop([r.value], pack.exercises.map((e) => e.id));
      expect(sum.exercises.map((e) => [e.id, e.solved, e.solvedWithHelp])).toEqual([['lanes', 1, 0], ['find', 1, 1], ['measure', 0, 0]]);
    }
  });
  it('an older CSV export without the column reads as not helped', () => {
    const rows = parseCsv(exportWorkshopCsv(helped().load(), pack, 'Li'));
    const col = rows[0].indexOf('solved_with_help');
    const cell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const old = rows.map((r) => r.filter((_, i) => i !== col).map(cell).join(',')).join('\r\n');
    const r = readWorkshopExport(old);
    expect(r.ok && r.value.exercises.find).toMatchObject({ solved: true });
    expect(r.ok && r.value.exercises.find.withHelp).toBeUndefined();
  });
});

describe('export', () => {
  it('JSON holds the name, the pack and only the pack’s records', () => {
    const s = learnerStore();
    const j = JSON.parse(exportWorkshopJson(s.load(), pack, '  Li  Lei\n', new Date('2026-12-02T10:00:00Z')));
    expect(j).toMatchObject({ format: 'tracewise-workshop-progress', version: 1, learner: 'Li Lei', pack: { id: pack.id }, exportedAt: '2026-12-02T10:00:00.000Z' });
    expect(Object.keys(j.exercises).sort()).toEqual(['find', 'lanes']);
    expect(j.exercises.lanes.attempts).toBe(3);
    // The lesson record is still there, unchanged.
    expect(s.get('lessons/npu-deepseek', 'lanes-on-host')?.solvedAt).not.toBeNull();
  });
  it('CSV has one row per pack exercise, attempted or not, and survives a spreadsheet', () => {
    const csv = exportWorkshopCsv(learnerStore().load(), pack, '=HYPERLINK("x")');
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['learner', 'pack', 'exercise', 'solved', 'solved_at', 'attempts', 'hints_shown', 'shown_me', 'solved_with_help', 'wrong_answers']);
    expect(rows.slice(1).map((r) => [r[2], r[3], r[5]])).toEqual([
      ['lanes', 'true', '3'],
      ['find', 'false', '1'],
      ['measure', 'false', '0'],
    ]);
    // A name that a spreadsheet would run as a formula is defused.
    expect(rows[1][0]).toBe(`'=HYPERLINK("x")`);
  });
  it('file names are safe', () => {
    expect(exportFileName('example-npu-deepseek', '李雷 / Li', 'csv')).toBe('tracewise-example-npu-deepseek-李雷-Li.csv');
    expect(exportFileName('p', '../..', 'json')).toBe('tracewise-p-..-...json');
    expect(cleanLearnerName('a\u0000b'.padEnd(200, 'c'))).toHaveLength(80);
  });
});

describe('round trip into the instructor view', () => {
  it('JSON and CSV exports read back to the same learner progress', () => {
    const doc = learnerStore().load();
    const fromJson = readWorkshopExport(exportWorkshopJson(doc, pack, 'Li Lei', new Date()));
    const fromCsv = readWorkshopExport(exportWorkshopCsv(doc, pack, 'Li Lei'));
    expect(fromJson.ok && fromJson.value.exercises.lanes).toEqual({ solved: true, attempts: 3, hintsShown: 0, wrong: ['choice: python, hccl', '=cmd|"x"'] });
    expect(fromJson.ok && fromJson.value.exercises.find).toEqual({ solved: false, attempts: 1, hintsShown: 1, wrong: ['slice aclnnFusedInferAttentionScoreV3_1 @ 12.5 ms'] });
    // CSV also lists the exercise nobody tried.
    expect(fromCsv.ok && fromCsv.value).toEqual(fromJson.ok && { ...fromJson.value, exercises: { ...fromJson.value.exercises, measure: { solved: false, attempts: 0, hintsShown: 0, wrong: [] } } });
  });
  it('refuses what is not an export, saying so in both languages', () => {
    for (const bad of ['', 'hello', '{"format":"tracewise-progress","version":1,"lessons":{}}', 'a,b\n1,2\n']) {
      const r = readWorkshopExport(bad);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error['zh-CN']).toMatch(/导出文件/);
    }
    const doc = learnerStore().load();
    const j = JSON.parse(exportWorkshopJson(doc, pack, 'x', new Date()));
    j.exercises.lanes.attempts = -1;
    const r = readWorkshopExport(JSON.stringify(j));
    expect(!r.ok && r.error.en).toMatch(/damaged: exercises.lanes: attempts/);
    j.version = 99;
    expect(readWorkshopExport(JSON.stringify(j)).ok).toBe(false);
    const csv = exportWorkshopCsv(doc, pack, 'x').replace('[]', '[oops');
    expect(readWorkshopExport(csv)).toMatchObject({ ok: false, error: { en: expect.stringMatching(/line 4: wrong_answers/) } });
  });
});

describe('summary', () => {
  const learner = (name: string, ex: LearnerProgress['exercises']): LearnerProgress => ({ learner: name, packId: pack.id, exercises: ex });
  it('counts solved and attempts, and ranks wrong answers by how many learners gave them', () => {
    const s = summarizeWorkshop(
      [
        learner('Ana', { lanes: { solved: true, attempts: 3, hintsShown: 0, wrong: ['hccl', 'hccl'] }, find: { solved: false, attempts: 1, hintsShown: 0, wrong: ['layer 0'] } }),
        learner('Bo', { lanes: { solved: true, attempts: 1, hintsShown: 0, wrong: [] } }),
        learner('Cy', { lanes: { solved: false, attempts: 2, hintsShown: 1, wrong: ['hccl', 'overlap'] } }),
        // Ana exported again later: counted once, combined.
        learner('Ana', { find: { solved: true, attempts: 2, hintsShown: 0, wrong: ['layer 0'] } }),
      ],
      pack.exercises.map((e) => e.id),
    );
    expect(s.learners.map((l) => l.learner)).toEqual(['Ana', 'Bo', 'Cy']);
    const [lanes, find, measure] = s.exercises;
    expect(lanes).toEqual({ id: 'lanes', solved: 2, solvedWithHelp: 0, attempted: 3, attempts: 6, commonWrong: [{ answer: 'hccl', learners: 2 }, { answer: 'overlap', learners: 1 }] });
    expect(find).toMatchObject({ solved: 1, attempts: 2, commonWrong: [{ answer: 'layer 0', learners: 1 }] });
    expect(measure).toMatchObject({ solved: 0, attempted: 0, commonWrong: [] });
  });
  it('without the pack, the exercises come from the exports in the order met', () => {
    expect(summarizeWorkshop([learner('A', { b: { solved: false, attempts: 1, hintsShown: 0, wrong: [] }, a: { solved: true, attempts: 1, hintsShown: 0, wrong: [] } })]).exerciseIds).toEqual(['b', 'a']);
  });
});
