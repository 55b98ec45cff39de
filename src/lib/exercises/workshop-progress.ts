/**
 * A learner's progress in one workshop, exported for the instructor (JSON
 * or CSV, with the name the learner typed), read back by the instructor view
 * (many files at once) and summed up per exercise: who solved what, how many
 * attempts, and the most common wrong answers.
 *
 * Workshop progress lives in the site's one progress document under the
 * lesson key `workshop:<pack id>` (see `workshopProgressKey`), so it can never
 * collide with a lesson's key (lesson keys are page paths, which have no
 * colon) and the store's rules (backups, migrations, other tabs) hold for it.
 * The records already keep attempts and the last LIMITS.wrong wrong answers
 * (progress-schema.ts, version 1), which is all the summary needs: no new
 * progress version.
 */
import { LIMITS, isValidKey, recordProblem, type ExerciseRecord, type ProgressDoc } from './progress-schema.ts';
import type { L10n } from './schema.ts';

export const WORKSHOP_EXPORT_FORMAT = 'tracewise-workshop-progress';
export const WORKSHOP_EXPORT_VERSION = 1;
export const LEARNER_MAX = 80;

export function workshopProgressKey(packId: string): string {
  return `workshop:${packId}`;
}

/** What the instructor view needs of one learner's exercise. */
export interface LearnerExercise {
  solved: boolean;
  attempts: number;
  hintsShown: number;
  /** Solved only after "Show me" revealed the answer (absent in exports made before it was recorded). */
  withHelp?: boolean;
  /** Wrong answers as answer texts, oldest first. */
  wrong: string[];
}

export interface LearnerProgress {
  learner: string;
  packId: string;
  exercises: Record<string, LearnerExercise>;
}

export type ReadExport = { ok: true; value: LearnerProgress } | { ok: false; error: L10n };

/** A name as typed: trimmed, control characters removed, at most LEARNER_MAX characters. */
export function cleanLearnerName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().replace(/\s+/g, ' ').slice(0, LEARNER_MAX);
}

/** A file name for the export: `tracewise-<pack>-<learner>.<ext>`, safe on every OS. */
export function exportFileName(packId: string, learner: string, ext: 'json' | 'csv'): string {
  const slug = (s: string) => s.normalize('NFKC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'learner';
  return `tracewise-${slug(packId)}-${slug(learner)}.${ext}`;
}

function recordsOf(doc: ProgressDoc, packId: string): Record<string, ExerciseRecord> {
  const k = workshopProgressKey(packId);
  return Object.hasOwn(doc.lessons, k) ? doc.lessons[k] : {};
}

/** The JSON export of one pack's progress: the stored records as they are (unattempted exercises have none). */
export function exportWorkshopJson(doc: ProgressDoc, pack: { id: string; title?: L10n }, learner: string, exportedAt: Date): string {
  const out = {
    format: WORKSHOP_EXPORT_FORMAT,
    version: WORKSHOP_EXPORT_VERSION,
    learner: cleanLearnerName(learner),
    pack: { id: pack.id, ...(pack.title ? { title: pack.title } : {}) },
    exportedAt: exportedAt.toISOString(),
    exercises: recordsOf(doc, pack.id),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export const WORKSHOP_CSV_COLUMNS = ['learner', 'pack', 'exercise', 'solved', 'solved_at', 'attempts', 'hints_shown', 'shown_me', 'solved_with_help', 'wrong_answers'] as const;

/** RFC 4180 cell; a cell a spreadsheet would run as a formula gets a leading apostrophe (undone on import). */
function csvCell(v: string | number | boolean | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per exercise of the pack (in pack order, attempted or not). The
 * `wrong_answers` cell is a JSON array of answer texts, so answers holding
 * commas or quotes come back exactly.
 */
export function exportWorkshopCsv(doc: ProgressDoc, pack: { id: string; exercises: Array<{ id: string }> }, learner: string): string {
  const recs = recordsOf(doc, pack.id);
  const name = cleanLearnerName(learner);
  const ids = [...pack.exercises.map((e) => e.id), ...Object.keys(recs).filter((id) => !pack.exercises.some((e) => e.id === id))];
  const rows = [WORKSHOP_CSV_COLUMNS.join(',')];
  for (const id of ids) {
    const r = Object.hasOwn(recs, id) ? recs[id] : null;
    rows.push([name, pack.id, id, r?.solvedAt != null, r?.solvedAt ?? null, r?.attempts ?? 0, r?.hintsShown ?? 0, r?.shownMe ?? false, r?.solvedWithHelp === true, JSON.stringify((r?.wrong ?? []).map((w) => w.answer))].map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** RFC 4180 rows (quoted cells may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const s = text.replace(/^\uFEFF/, '');
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (cell += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (cell += c), i++;
    } else if (c === '"' && cell === '') (quoted = true), i++;
    else if (c === ',') row.push(cell), (cell = ''), i++;
    else if (c === '\r' || c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
    } else (cell += c), i++;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

const unFormula = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

const err = {
  notExport: (): L10n => ({
    en: 'not a Tracewise workshop progress export (JSON or CSV from the workshop page)',
    'zh-CN': '不是 Tracewise 工作坊进度导出文件（应为工作坊页面导出的 JSON 或 CSV）',
  }),
  newer: (v: unknown): L10n => ({ en: `written by a newer version of the site (version ${v})`, 'zh-CN': `由更新版本的网站写出（版本 ${v}）` }),
  bad: (what: string): L10n => ({ en: `damaged: ${what}`, 'zh-CN': `文件已损坏：${what}` }),
  noName: (): L10n => ({ en: 'the export has no learner name', 'zh-CN': '导出文件中没有学员姓名' }),
};

function fromRecord(r: ExerciseRecord): LearnerExercise {
  return { solved: r.solvedAt !== null, attempts: r.attempts, hintsShown: r.hintsShown, ...(r.solvedAt !== null && r.solvedWithHelp ? { withHelp: true } : {}), wrong: r.wrong.map((w) => w.answer) };
}

function readJsonExport(parsed: unknown): ReadExport {
  const o = parsed as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || o.format !== WORKSHOP_EXPORT_FORMAT) return { ok: false, error: err.notExport() };
  if (typeof o.version !== 'number' || o.version > WORKSHOP_EXPORT_VERSION) return { ok: false, error: err.newer(o.version) };
  const learner = typeof o.learner === 'string' ? cleanLearnerName(o.learner) : '';
  if (!learner) return { ok: false, error: err.noName() };
  const packId = (o.pack as { id?: unknown } | null)?.id;
  if (!isValidKey(packId)) return { ok: false, error: err.bad('pack.id') };
  if (!o.exercises || typeof o.exercises !== 'object' || Array.isArray(o.exercises)) return { ok: false, error: err.bad('exercises') };
  const exercises: Record<string, LearnerExercise> = {};
  for (const [id, rec] of Object.entries(o.exercises)) {
    const problem = isValidKey(id) ? recordProblem(rec) : 'bad exercise id';
    if (problem) return { ok: false, error: err.bad(`exercises.${id.slice(0, 60)}: ${problem}`) };
    exercises[id] = fromRecord(rec as ExerciseRecord);
  }
  return { ok: true, value: { learner, packId, exercises } };
}

function readCsvExport(text: string): ReadExport {
  const rows = parseCsv(text).filter((r) => r.some((c) => c !== ''));
  const head = rows[0] ?? [];
  const col = (name: (typeof WORKSHOP_CSV_COLUMNS)[number]) => head.indexOf(name);
  if (['learner', 'pack', 'exercise', 'solved', 'attempts', 'wrong_answers'].some((c) => !head.includes(c))) return { ok: false, error: err.notExport() };
  let learner = '';
  let packId = '';
  const exercises: Record<string, LearnerExercise> = {};
  for (let i = 1; i < rows.length; i++) {
    const cell = (name: (typeof WORKSHOP_CSV_COLUMNS)[number]) => unFormula(rows[i][col(name)] ?? '');
    const line = `line ${i + 1}`;
    const name = cleanLearnerName(cell('learner'));
    if (!name) return { ok: false, error: err.noName() };
    if (learner && (name !== learner || cell('pack') !== packId)) return { ok: false, error: err.bad(`${line}: one export holds one learner and one pack`) };
    learner = name;
    packId = cell('pack');
    const id = cell('exercise');
    const attempts = Number(cell('attempts'));
    const hints = Number(cell('hints_shown') || 0);
    let wrong: unknown;
    try {
      wrong = JSON.parse(cell('wrong_answers') || '[]');
    } catch {
      wrong = null;
    }
    if (!isValidKey(id) || !isValidKey(packId)) return { ok: false, error: err.bad(`${line}: pack or exercise id`) };
    if (!Number.isInteger(attempts) || attempts < 0 || attempts > LIMITS.attempts) return { ok: false, error: err.bad(`${line}: attempts`) };
    if (!Array.isArray(wrong) || wrong.length > LIMITS.wrong || wrong.some((w) => typeof w !== 'string' || w.length > LIMITS.answer)) return { ok: false, error: err.bad(`${line}: wrong_answers`) };
    if (cell('solved') !== 'true' && cell('solved') !== 'false') return { ok: false, error: err.bad(`${line}: solved`) };
    const solved = cell('solved') === 'true';
    // Older exports have no solved_with_help column: read as not helped.
    const withHelp = solved && col('solved_with_help') >= 0 && cell('solved_with_help') === 'true';
    exercises[id] = { solved, attempts, hintsShown: Number.isInteger(hints) && hints >= 0 ? hints : 0, ...(withHelp ? { withHelp: true } : {}), wrong: wrong as string[] };
  }
  if (!learner) return { ok: false, error: err.noName() };
  return { ok: true, value: { learner, packId, exercises } };
}

/** Reads one learner's export, JSON or CSV (by content, whatever the file is called). */
export function readWorkshopExport(text: string): ReadExport {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('{')) {
    try {
      return readJsonExport(JSON.parse(t));
    } catch {
      return { ok: false, error: err.notExport() };
    }
  }
  return readCsvExport(t);
}

export interface WrongAnswerCount {
  answer: string;
  /** Learners who gave this answer at least once. */
  learners: number;
}

export interface ExerciseSummary {
  id: string;
  solved: number;
  /** Of `solved`, how many only after "Show me" revealed the answer. */
  solvedWithHelp: number;
  attempted: number;
  /** Sum of attempts over learners. */
  attempts: number;
  /** Most common first (ties: alphabetical), at most `top`. */
  commonWrong: WrongAnswerCount[];
}

export interface WorkshopSummary {
  exerciseIds: string[];
  learners: LearnerProgress[];
  exercises: ExerciseSummary[];
}

/**
 * The instructor's table. `exerciseIds` is the pack's order when the pack is
 * known; exercises that only the exports mention follow. A learner who sent
 * several exports (re-exported later) counts once: records are combined
 * (solved if solved in any, the most attempts, every wrong answer).
 */
export function summarizeWorkshop(exports: LearnerProgress[], exerciseIds: string[] = [], top = 3): WorkshopSummary {
  const byName = new Map<string, LearnerProgress>();
  for (const e of exports) {
    const cur = byName.get(e.learner);
    if (!cur) {
      byName.set(e.learner, structuredClone(e));
      continue;
    }
    for (const [id, r] of Object.entries(e.exercises)) {
      const c = Object.hasOwn(cur.exercises, id) ? cur.exercises[id] : null;
      cur.exercises[id] = c
        ? {
            solved: c.solved || r.solved,
            attempts: Math.max(c.attempts, r.attempts),
            hintsShown: Math.max(c.hintsShown, r.hintsShown),
            // Solved unaided in any export wins: help is only counted when every solve was helped.
            ...(c.solved || r.solved ? ((!c.solved || c.withHelp) && (!r.solved || r.withHelp) ? { withHelp: true } : {}) : {}),
            wrong: c.wrong.length >= r.wrong.length ? c.wrong : r.wrong,
          }
        : structuredClone(r);
    }
  }
  const learners = [...byName.values()].sort((a, b) => a.learner.localeCompare(b.learner));
  const ids = [...exerciseIds];
  for (const l of learners) for (const id of Object.keys(l.exercises)) if (!ids.includes(id)) ids.push(id);
  const exercises = ids.map((id): ExerciseSummary => {
    let solved = 0;
    let solvedWithHelp = 0;
    let attempted = 0;
    let attempts = 0;
    const counts = new Map<string, number>();
    for (const l of learners) {
      const r = Object.hasOwn(l.exercises, id) ? l.exercises[id] : null;
      if (!r) continue;
      if (r.solved) solved++;
      if (r.solved && r.withHelp) solvedWithHelp++;
      if (r.attempts > 0) attempted++;
      attempts += r.attempts;
      for (const a of new Set(r.wrong)) counts.set(a, (counts.get(a) ?? 0) + 1);
    }
    const commonWrong = [...counts].map(([answer, n]) => ({ answer, learners: n })).sort((a, b) => b.learners - a.learners || a.answer.localeCompare(b.answer)).slice(0, top);
    return { id, solved, solvedWithHelp, attempted, attempts, commonWrong };
  });
  return { exerciseIds: ids, learners, exercises };
}
