/**
 * The saved-progress document: its shape, version, migrations, validation,
 * salvage of partly broken data, merging and CSV export. progress.ts wraps
 * this around a storage.
 *
 *   { version: 1, lessons: { [lessonOrPackId]: { [exerciseId]: ExerciseRecord } } }
 *
 * Reading is per record: one broken record does not cost the others. Every
 * read reports whether what would be written back is less than what was
 * there (`status` partial / corrupt / newer / migrated), so the store can
 * keep the original text under a backup key before writing.
 */

export const PROGRESS_VERSION = 1;

export interface WrongRecord {
  /** ISO time. */
  at: string;
  /** Language-neutral summary of the answer (CheckResult.answerText). */
  answer: string;
  nearMiss?: string;
}

export interface ExerciseRecord {
  /** Number of times Check was pressed. */
  attempts: number;
  /** ISO time of the first correct answer; null while unsolved. */
  solvedAt: string | null;
  firstAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** How many hints were opened (the most ever). */
  hintsShown: number;
  shownMe: boolean;
  /**
   * Solved after "Show me" revealed the answer ("Solved with help"): set when the first correct answer
   * comes after a Show me. Optional so that records saved before it existed stay valid (read as false).
   */
  solvedWithHelp?: boolean;
  /** Most recent wrong answers, oldest first, at most LIMITS.wrong. */
  wrong: WrongRecord[];
}

export interface ProgressDoc {
  version: number;
  lessons: Record<string, Record<string, ExerciseRecord>>;
}

/** Upgrades a document of version n (the key) to n + 1. */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * No released version predates 1, so there is nothing to migrate yet. When
 * the shape changes: bump PROGRESS_VERSION, add `[oldVersion]: (doc) => newDoc`
 * here, and a test with a stored document of the old version.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export const LIMITS = { key: 200, answer: 300, wrong: 20, attempts: 1_000_000_000, hints: 1000 } as const;

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** A lesson, pack or exercise id usable as a key. */
export function isValidKey(k: unknown): k is string {
  return typeof k === 'string' && k.length > 0 && k.length <= LIMITS.key && !RESERVED.has(k) && !/[\u0000-\u001f]/.test(k);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
function isIso(v: unknown): v is string {
  return typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v));
}
const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

export function own<T>(obj: Record<string, T>, k: string): T | undefined {
  return Object.hasOwn(obj, k) ? obj[k] : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why a stored record is not valid, or null when it is. */
export function recordProblem(v: unknown): string | null {
  if (!isObject(v)) return 'not an object';
  if (!isCount(v.attempts, LIMITS.attempts)) return 'attempts is not a count';
  for (const k of ['solvedAt', 'firstAttemptAt', 'lastAttemptAt'] as const) {
    if (v[k] !== null && !isIso(v[k])) return `${k} is not null or an ISO time`;
  }
  if (!isCount(v.hintsShown, LIMITS.hints)) return 'hintsShown is not a count';
  if (typeof v.shownMe !== 'boolean') return 'shownMe is not true/false';
  if (v.solvedWithHelp !== undefined && typeof v.solvedWithHelp !== 'boolean') return 'solvedWithHelp is not true/false';
  if (!Array.isArray(v.wrong) || v.wrong.length > LIMITS.wrong) return `wrong is not a list of at most ${LIMITS.wrong}`;
  for (const w of v.wrong) {
    if (!isObject(w) || !isIso(w.at) || typeof w.answer !== 'string' || w.answer.length > LIMITS.answer) return 'a wrong answer is malformed';
    if (w.nearMiss !== undefined && !isValidKey(w.nearMiss)) return 'a wrong answer has a bad nearMiss';
  }
  return null;
}

/** A copy holding only the known fields (call after recordProblem returned null). */
export function normalizeRecord(v: ExerciseRecord): ExerciseRecord {
  return {
    attempts: v.attempts,
    solvedAt: v.solvedAt,
    firstAttemptAt: v.firstAttemptAt,
    lastAttemptAt: v.lastAttemptAt,
    hintsShown: v.hintsShown,
    shownMe: v.shownMe,
    ...(v.solvedWithHelp ? { solvedWithHelp: true } : {}),
    wrong: v.wrong.map((w) => (w.nearMiss === undefined ? { at: w.at, answer: w.answer } : { at: w.at, answer: w.answer, nearMiss: w.nearMiss })),
  };
}

export function emptyRecord(): ExerciseRecord {
  return { attempts: 0, solvedAt: null, firstAttemptAt: null, lastAttemptAt: null, hintsShown: 0, shownMe: false, wrong: [] };
}

export function emptyDoc(version = PROGRESS_VERSION): ProgressDoc {
  return { version, lessons: {} };
}

export type ReadStatus = 'empty' | 'ok' | 'migrated' | 'partial' | 'corrupt' | 'newer';

export interface ReadResult {
  doc: ProgressDoc;
  status: ReadStatus;
  /** Records (or lessons, or unknown top-level fields) left out. */
  dropped: number;
  /** First problem found, for messages and import errors. */
  problem?: string;
}

export interface ReadOptions {
  version?: number;
  migrations?: Readonly<Record<number, Migration>>;
}

/** Parses stored text into a valid document, keeping every valid record; never throws. */
export function readDoc(raw: string | null, opts: ReadOptions = {}): ReadResult {
  const version = opts.version ?? PROGRESS_VERSION;
  const migrations = opts.migrations ?? MIGRATIONS;
  if (raw === null || raw === '') return { doc: emptyDoc(version), status: 'empty', dropped: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { doc: emptyDoc(version), status: 'corrupt', dropped: 0, problem: 'not JSON' };
  }
  return readParsed(parsed, version, migrations);
}

export function readParsed(parsed: unknown, version: number, migrations: Readonly<Record<number, Migration>>): ReadResult {
  const corrupt = (problem: string): ReadResult => ({ doc: emptyDoc(version), status: 'corrupt', dropped: 0, problem });
  if (!isObject(parsed)) return corrupt('not a JSON object');
  let v = parsed.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return corrupt('no version number');
  if (v > version) return { doc: emptyDoc(version), status: 'newer', dropped: 0, problem: `saved by a newer version (${v})` };
  let doc: Record<string, unknown> = parsed;
  const migrated = v < version;
  while (v < version) {
    const step = migrations[v];
    if (!step) return corrupt(`no migration from version ${v}`);
    try {
      doc = step(doc);
    } catch (e) {
      return corrupt(`migration from version ${v} failed: ${(e as Error)?.message ?? e}`);
    }
    v++;
    if (!isObject(doc) || doc.version !== v) return corrupt(`migration to version ${v} gave a bad document`);
  }
  if (!isObject(doc.lessons)) return corrupt('no lessons object');
  const out = emptyDoc(version);
  let dropped = 0;
  let problem: string | undefined;
  const drop = (what: string) => {
    dropped++;
    problem ??= what;
  };
  for (const k of Object.keys(doc)) if (k !== 'version' && k !== 'lessons' && k !== 'format' && k !== 'exportedAt') drop(`unknown field ${k}`);
  for (const [lesson, recs] of Object.entries(doc.lessons)) {
    if (!isValidKey(lesson) || !isObject(recs)) {
      drop(`lesson ${JSON.stringify(lesson).slice(0, 60)} is malformed`);
      continue;
    }
    const kept: Record<string, ExerciseRecord> = {};
    for (const [id, rec] of Object.entries(recs)) {
      const p = isValidKey(id) ? recordProblem(rec) : 'bad exercise id';
      if (p) drop(`${lesson}/${id.slice(0, 60)}: ${p}`);
      else kept[id] = normalizeRecord(rec as ExerciseRecord);
    }
    if (Object.keys(kept).length) out.lessons[lesson] = kept;
  }
  return { doc: out, status: dropped ? 'partial' : migrated ? 'migrated' : 'ok', dropped, problem };
}

const minIso = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const maxIso = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

/** Two records of one exercise as one (idempotent: merging a record with itself changes nothing). */
export function mergeRecords(a: ExerciseRecord, b: ExerciseRecord): ExerciseRecord {
  const seen = new Set<string>();
  const wrong = [...a.wrong, ...b.wrong]
    .filter((w) => {
      const k = `${w.at}\u0000${w.answer}\u0000${w.nearMiss ?? ''}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0))
    .slice(-LIMITS.wrong);
  return {
    attempts: Math.max(a.attempts, b.attempts),
    solvedAt: minIso(a.solvedAt, b.solvedAt),
    firstAttemptAt: minIso(a.firstAttemptAt, b.firstAttemptAt),
    lastAttemptAt: maxIso(a.lastAttemptAt, b.lastAttemptAt),
    hintsShown: Math.max(a.hintsShown, b.hintsShown),
    shownMe: a.shownMe || b.shownMe,
    // Help belongs to the first solve: the record that solved first says whether it was helped.
    ...(firstSolver(a, b)?.solvedWithHelp ? { solvedWithHelp: true } : {}),
    wrong,
  };
}

/** Of two records of one exercise, the one solved first (null when neither is solved). */
function firstSolver(a: ExerciseRecord, b: ExerciseRecord): ExerciseRecord | null {
  if (a.solvedAt === null) return b.solvedAt === null ? null : b;
  if (b.solvedAt === null) return a;
  return b.solvedAt < a.solvedAt ? b : a;
}

/** RFC 4180 cell; cells a spreadsheet would run as a formula get a leading apostrophe. */
function csvCell(v: string | number | boolean | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'lesson',
  'exercise',
  'solved',
  'solved_at',
  'attempts',
  'wrong_answers',
  'hints_shown',
  'shown_me',
  'solved_with_help',
  'first_attempt_at',
  'last_attempt_at',
  'last_wrong_answer',
  'last_near_miss',
] as const;

/** One row per exercise, for an instructor's spreadsheet. */
export function progressCsv(doc: ProgressDoc): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const lesson of Object.keys(doc.lessons).sort()) {
    const recs = doc.lessons[lesson];
    for (const id of Object.keys(recs).sort()) {
      const r = recs[id];
      const last = r.wrong[r.wrong.length - 1];
      rows.push(
        [lesson, id, r.solvedAt !== null, r.solvedAt, r.attempts, r.wrong.length, r.hintsShown, r.shownMe, r.solvedWithHelp === true, r.firstAttemptAt, r.lastAttemptAt, last?.answer ?? null, last?.nearMiss ?? null]
          .map(csvCell)
          .join(','),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
