import { describe, expect, it } from 'vitest';
import { MemoryStorage, ProgressStore, type ProgressStorage } from './progress.ts';
import { emptyRecord, progressCsv, readDoc, type ExerciseRecord, type ProgressDoc } from './progress-schema.ts';

const KEY = 'tracewise.progress';
const clock = (start = Date.UTC(2026, 0, 2, 3, 4, 5)) => {
  let t = start;
  return () => new Date((t += 1000));
};
const store = (s: ProgressStorage | null = new MemoryStorage(), opts = {}) => new ProgressStore(s, { now: clock(), ...opts });
const backups = (s: MemoryStorage) => [...s.data.keys()].filter((k) => k.startsWith(`${KEY}.backup.`));

const validRecord = (over: Partial<ExerciseRecord> = {}): ExerciseRecord => ({
  ...emptyRecord(),
  attempts: 2,
  firstAttemptAt: '2026-01-01T00:00:00.000Z',
  lastAttemptAt: '2026-01-01T00:01:00.000Z',
  solvedAt: '2026-01-01T00:01:00.000Z',
  wrong: [{ at: '2026-01-01T00:00:00.000Z', answer: 'slice 3 nvjet', nearMiss: 'after-mlp' }],
  ...over,
});

describe('recording', () => {
  it('attempts, wrong answers with their near miss, the first solve time, hints and show-me', () => {
    const s = new MemoryStorage();
    const p = store(s);
    expect(p.recordAttempt('npu/overlap', 'find-ar', { correct: false, answer: 'slice 7 x', nearMiss: 'after-mlp' })).toEqual({ ok: true });
    p.recordHints('npu/overlap', 'find-ar', 2);
    p.recordHints('npu/overlap', 'find-ar', 1);
    p.recordAttempt('npu/overlap', 'find-ar', { correct: true, answer: 'slice 8 y' });
    p.recordAttempt('npu/overlap', 'find-ar', { correct: true, answer: 'slice 8 y' });
    p.recordShowMe('npu/overlap', 'find-ar');
    const r = new ProgressStore(s).get('npu/overlap', 'find-ar');
    expect(r).toEqual({
      attempts: 3,
      firstAttemptAt: '2026-01-02T03:04:06.000Z',
      // The clock ticks 1 s per attempt: attempts at :06, :07 (first correct) and :08.
      lastAttemptAt: '2026-01-02T03:04:08.000Z',
      solvedAt: '2026-01-02T03:04:07.000Z',
      hintsShown: 2,
      shownMe: true,
      wrong: [{ at: '2026-01-02T03:04:06.000Z', answer: 'slice 7 x', nearMiss: 'after-mlp' }],
    });
  });

  it('a solve that follows Show me is solved with help; Show me after solving changes nothing', () => {
    const s = new MemoryStorage();
    const p = store(s);
    p.recordShowMe('l', 'revealed');
    p.recordAttempt('l', 'revealed', { correct: true, answer: 'x' });
    p.recordAttempt('l', 'alone', { correct: false, answer: 'y' });
    p.recordAttempt('l', 'alone', { correct: true, answer: 'x' });
    p.recordShowMe('l', 'alone');
    const back = new ProgressStore(s);
    expect(back.get('l', 'revealed')).toMatchObject({ solvedWithHelp: true, shownMe: true });
    expect(back.get('l', 'alone')?.solvedWithHelp).toBeUndefined();
    expect(back.get('l', 'alone')?.shownMe).toBe(true);
    const csv = progressCsv(back.snapshot()).split('\r\n');
    expect(csv[1].split(',').slice(0, 9)).toEqual(['l', 'alone', 'true', '2026-01-02T03:04:08.000Z', '2', '1', '0', 'true', 'false']);
    expect(csv[2].split(',').slice(0, 9)).toEqual(['l', 'revealed', 'true', '2026-01-02T03:04:06.000Z', '1', '0', '0', 'true', 'true']);
  });

  it('reads progress saved before solvedWithHelp existed (a record without it is not helped)', () => {
    const s = new MemoryStorage();
    const old = { ...validRecord(), shownMe: true };
    s.setItem(KEY, JSON.stringify({ version: 1, lessons: { l: { e: old } } }));
    const p = new ProgressStore(s);
    expect(p.get('l', 'e')).toEqual(old);
    expect(backups(s)).toEqual([]);
  });

  it('keeps the 20 most recent wrong answers', () => {
    const p = store();
    for (let i = 0; i < 25; i++) p.recordAttempt('l', 'e', { correct: false, answer: `a${i}` });
    const r = p.get('l', 'e')!;
    expect([r.attempts, r.wrong.length, r.wrong[0].answer, r.wrong[19].answer]).toEqual([25, 20, 'a5', 'a24']);
  });

  it('refuses bad input without touching what is stored', () => {
    const s = new MemoryStorage();
    const p = store(s);
    p.recordAttempt('l', 'e', { correct: true, answer: 'x' });
    const before = s.getItem(KEY);
    for (const [lesson, id] of [['', 'e'], ['l', ''], ['__proto__', 'e'], ['l', 'constructor'], ['x'.repeat(201), 'e']]) {
      expect(p.recordAttempt(lesson, id, { correct: true, answer: 'x' }).ok).toBe(false);
    }
    expect(p.recordAttempt('l', 'e', { correct: 'yes' } as never).ok).toBe(false);
    expect(p.recordHints('l', 'e', -1).ok).toBe(false);
    expect(s.getItem(KEY)).toBe(before);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('a lesson id like "toString" is just an id', () => {
    const p = store();
    expect(p.get('toString', 'valueOf')).toBeNull();
    expect(p.lesson('hasOwnProperty')).toEqual({});
    p.recordAttempt('toString', 'valueOf', { correct: true, answer: 'x' });
    expect(p.get('toString', 'valueOf')?.attempts).toBe(1);
  });

  it('each write re-reads storage, so two tabs do not overwrite each other', () => {
    const s = new MemoryStorage();
    const tab1 = store(s);
    const tab2 = store(s);
    tab1.recordAttempt('l', 'a', { correct: true, answer: 'x' });
    tab2.recordAttempt('l', 'b', { correct: true, answer: 'y' });
    expect(Object.keys(store(s).lesson('l')).sort()).toEqual(['a', 'b']);
  });
});

describe('unreadable storage is set aside, never deleted', () => {
  it('corrupt text: moved to a backup key, the learner gets a notice, progress starts fresh', () => {
    const s = new MemoryStorage();
    s.setItem(KEY, '{"version":1,"lessons":{"l":{"e":{"attempts":');
    const p = store(s);
    const [n] = p.takeNotices();
    expect(n.code).toBe('moved-aside');
    expect(s.getItem(n.backupKey!)).toBe('{"version":1,"lessons":{"l":{"e":{"attempts":');
    expect(n.message.en).toContain(n.backupKey!);
    expect(n.message['zh-CN']).toContain(n.backupKey!);
    expect(readDoc(s.getItem(KEY)).status).toBe('ok');
    expect(p.takeNotices()).toEqual([]);
  });

  it('partly broken: valid records kept, broken ones left out, original backed up', () => {
    const s = new MemoryStorage();
    const good = validRecord();
    const stored = { version: 1, lessons: { l: { good, bad: { ...good, attempts: -1 } }, m: 'oops', n: { ok: good } }, extra: 1 };
    s.setItem(KEY, JSON.stringify(stored));
    const p = store(s);
    const [n] = p.takeNotices();
    expect([n.code, n.message.en.startsWith('3 saved exercise records were damaged')]).toEqual(['partly-recovered', true]);
    expect(JSON.parse(s.getItem(n.backupKey!)!)).toEqual(stored);
    expect(p.snapshot().lessons).toEqual({ l: { good }, n: { ok: good } });
  });

  it('written by a newer version: set aside, not overwritten in place', () => {
    const s = new MemoryStorage();
    const newer = JSON.stringify({ version: 7, lessons: { l: { e: { whatever: true } } } });
    s.setItem(KEY, newer);
    const p = store(s);
    const [n] = p.takeNotices();
    expect(n.code).toBe('newer-version');
    expect(s.getItem(n.backupKey!)).toBe(newer);
  });

  it('when the backup cannot be written (quota), the original is never overwritten: memory only', () => {
    const s = new MemoryStorage();
    s.setItem(KEY, 'not json');
    const quota: ProgressStorage = {
      getItem: (k) => s.getItem(k),
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: (k) => s.removeItem(k),
    };
    const p = store(quota);
    expect(p.takeNotices().map((n) => n.code)).toEqual(['write-failed']);
    expect(p.persistent).toBe(false);
    expect(p.recordAttempt('l', 'e', { correct: true, answer: 'x' })).toEqual({ ok: true });
    expect(p.get('l', 'e')?.attempts).toBe(1);
    expect(s.getItem(KEY)).toBe('not json');
  });

  it('storage that throws on read: memory only, with a notice', () => {
    const blocked: ProgressStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {},
      removeItem: () => {},
    };
    const p = store(blocked);
    expect(p.takeNotices().map((n) => n.code)).toEqual(['unavailable']);
    p.recordAttempt('l', 'e', { correct: true, answer: 'x' });
    expect(p.get('l', 'e')?.solvedAt).not.toBeNull();
    expect(store(null).persistent).toBe(false);
  });

  it('two backups in the same millisecond get distinct keys', () => {
    const s = new MemoryStorage();
    const frozen = () => new Date(Date.UTC(2026, 0, 1));
    s.setItem(KEY, 'x');
    new ProgressStore(s, { now: frozen });
    s.setItem(KEY, 'y');
    new ProgressStore(s, { now: frozen });
    expect(backups(s).map((k) => s.getItem(k)).sort()).toEqual(['x', 'y']);
  });
});

describe('migrations', () => {
  // No released version predates 1; a fictional v0 → v1 → v2 chain exercises the mechanism.
  const v0 = { version: 0, solved: { 'npu/overlap/find-ar': '2025-12-01T10:00:00.000Z' } };
  const migrations = {
    0: (d: Record<string, unknown>) => {
      const lessons: Record<string, Record<string, unknown>> = {};
      for (const [k, at] of Object.entries(d.solved as Record<string, string>)) {
        const i = k.lastIndexOf('/');
        (lessons[k.slice(0, i)] ??= {})[k.slice(i + 1)] = { attempts: 1, solvedAt: at, firstAttemptAt: at, lastAttemptAt: at, hintsShown: 0, wrong: [] };
      }
      return { version: 1, lessons };
    },
    1: (d: Record<string, unknown>) => {
      const lessons = d.lessons as Record<string, Record<string, Record<string, unknown>>>;
      for (const recs of Object.values(lessons)) for (const r of Object.values(recs)) r.shownMe = false;
      return { version: 2, lessons };
    },
  };

  it('runs every step up to the current version, and keeps the original under a backup key', () => {
    const s = new MemoryStorage();
    s.setItem(KEY, JSON.stringify(v0));
    const p = store(s, { version: 2, migrations });
    expect(p.takeNotices()).toEqual([]);
    expect(p.get('npu/overlap', 'find-ar')).toEqual({ ...emptyRecord(), attempts: 1, solvedAt: '2025-12-01T10:00:00.000Z', firstAttemptAt: '2025-12-01T10:00:00.000Z', lastAttemptAt: '2025-12-01T10:00:00.000Z' });
    expect(JSON.parse(s.getItem(KEY)!).version).toBe(2);
    expect(backups(s).map((k) => JSON.parse(s.getItem(k)!))).toEqual([v0]);
  });

  it('a missing or failing migration sets the data aside instead of guessing', () => {
    const s = new MemoryStorage();
    s.setItem(KEY, JSON.stringify(v0));
    const p = store(s, { version: 2, migrations: { 0: migrations[0], 1: () => { throw new Error('boom'); } } });
    const [n] = p.takeNotices();
    expect(n.code).toBe('moved-aside');
    expect(JSON.parse(s.getItem(n.backupKey!)!)).toEqual(v0);
    expect(readDoc(JSON.stringify(v0), { version: 2, migrations: {} }).problem).toBe('no migration from version 0');
  });
});

describe('export, import, reset', () => {
  function filled(): ProgressStore {
    const p = store();
    p.recordAttempt('npu/overlap', 'find-ar', { correct: false, answer: 'slice 1, "quoted"', nearMiss: 'after-mlp' });
    p.recordAttempt('npu/overlap', 'find-ar', { correct: true, answer: 'slice 2' });
    p.recordAttempt('gpu/launch', 'lat', { correct: false, answer: '=1+1' });
    p.recordHints('gpu/launch', 'lat', 1);
    return p;
  }

  it('JSON export → import into an empty store round-trips exactly', () => {
    const p = filled();
    const q = store();
    expect(q.importJson(p.exportJson())).toEqual({ ok: true, exercises: 2 });
    expect(q.snapshot()).toEqual(p.snapshot());
    // Importing the same file again changes nothing (merge is idempotent).
    q.importJson(p.exportJson());
    expect(q.snapshot()).toEqual(p.snapshot());
  });

  it('merge keeps both sides; replace keeps the previous progress under before-import', () => {
    const p = filled();
    const s = new MemoryStorage();
    const q = store(s);
    q.recordAttempt('npu/overlap', 'other', { correct: true, answer: 'z' });
    const mine = s.getItem(KEY);
    q.importJson(p.exportJson(), 'merge');
    expect(Object.keys(q.lesson('npu/overlap')).sort()).toEqual(['find-ar', 'other']);
    q.importJson(p.exportJson(), 'replace');
    expect(Object.keys(q.lesson('npu/overlap'))).toEqual(['find-ar']);
    expect(JSON.parse(s.getItem(`${KEY}.before-import`)!).lessons['npu/overlap'].other).toBeDefined();
    expect(mine).not.toBeNull();
  });

  it('a bad import is refused whole and nothing is written', () => {
    const s = new MemoryStorage();
    const q = store(s);
    q.recordAttempt('l', 'e', { correct: true, answer: 'x' });
    const before = s.getItem(KEY);
    const bad = { format: 'tracewise-progress', version: 1, lessons: { l: { e: validRecord(), f: { attempts: 'many' } } } };
    const r = q.importJson(JSON.stringify(bad), 'replace');
    expect(r).toEqual({ ok: false, error: 'cannot import: l/f: attempts is not a count' });
    expect(q.importJson('{')).toEqual({ ok: false, error: 'not a JSON file' });
    expect(q.importJson(JSON.stringify({ format: 'other', version: 1, lessons: {} })).ok).toBe(false);
    expect(q.importJson(JSON.stringify({ version: 9, lessons: {} }))).toEqual({ ok: false, error: 'cannot import: saved by a newer version (9)' });
    expect(s.getItem(KEY)).toBe(before);
  });

  it('CSV: one row per exercise, quoted, spreadsheet formulas defused', () => {
    const csv = progressCsv(filled().snapshot()).split('\r\n');
    expect(csv[0]).toBe('lesson,exercise,solved,solved_at,attempts,wrong_answers,hints_shown,shown_me,solved_with_help,first_attempt_at,last_attempt_at,last_wrong_answer,last_near_miss');
    expect(csv[1]).toBe("gpu/launch,lat,false,,1,1,1,false,false,2026-01-02T03:04:08.000Z,2026-01-02T03:04:08.000Z,'=1+1,");
    expect(csv[2]).toBe('npu/overlap,find-ar,true,2026-01-02T03:04:07.000Z,2,1,0,false,false,2026-01-02T03:04:06.000Z,2026-01-02T03:04:07.000Z,"slice 1, ""quoted""",after-mlp');
    expect(csv[3]).toBe('');
  });

  it('reset one lesson or everything; the previous document is kept under before-reset', () => {
    const s = new MemoryStorage();
    const p = store(s);
    p.recordAttempt('a', 'e', { correct: true, answer: 'x' });
    p.recordAttempt('b', 'e', { correct: true, answer: 'x' });
    p.resetLesson('a');
    expect(Object.keys(p.snapshot().lessons)).toEqual(['b']);
    expect(Object.keys(JSON.parse(s.getItem(`${KEY}.before-reset`)!).lessons).sort()).toEqual(['a', 'b']);
    p.resetAll();
    expect(store(s).snapshot()).toEqual({ version: 1, lessons: {} } satisfies ProgressDoc);
    expect(Object.keys(JSON.parse(s.getItem(`${KEY}.before-reset`)!).lessons)).toEqual(['b']);
  });
});
