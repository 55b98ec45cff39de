/**
 * Saved progress over an injected key-value storage (`localStorage` in the
 * browser, a Map in tests and Node).
 *
 * Rules, in the order they protect the learner:
 * - Stored text we cannot fully read (not JSON, wrong shape, a newer
 *   version, some broken records, or an older version about to be migrated)
 *   is first copied to a backup key `<key>.backup.<time>`; only when that
 *   copy succeeded is the main key rewritten. If the copy fails (quota), the
 *   store keeps working in memory and never writes the main key.
 * - Every write re-reads storage (another tab may have written), applies one
 *   change and writes the whole validated document. Bad input (an invalid
 *   id, a malformed import) is refused before anything is written.
 * - Resets and replacing imports keep the previous document under
 *   `<key>.before-reset` / `<key>.before-import`.
 * - Storage that throws on read (blocked cookies, sandboxed iframe) puts the
 *   store in memory-only mode for the page.
 * Each of these leaves a notice for the UI to show the learner.
 */
import type { L10n } from './schema.ts';
import {
  LIMITS,
  PROGRESS_VERSION,
  emptyDoc,
  emptyRecord,
  isValidKey,
  mergeRecords,
  own,
  progressCsv,
  readDoc,
  readParsed,
  MIGRATIONS,
  type ExerciseRecord,
  type Migration,
  type ProgressDoc,
  type ReadResult,
} from './progress-schema.ts';

export * from './progress-schema.ts';

/** The subset of the Web Storage API the store uses (localStorage fits). */
export interface ProgressStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type NoticeCode = 'moved-aside' | 'partly-recovered' | 'newer-version' | 'unavailable' | 'write-failed';

export interface ProgressNotice {
  code: NoticeCode;
  backupKey?: string;
  message: L10n;
}

export type WriteResult = { ok: true } | { ok: false; error: string };
export type ImportResult = { ok: true; exercises: number } | { ok: false; error: string };

export interface StoreOptions {
  key?: string;
  now?: () => Date;
  /** For tests of the migration path; the defaults are PROGRESS_VERSION and MIGRATIONS. */
  version?: number;
  migrations?: Readonly<Record<number, Migration>>;
}

export const DEFAULT_KEY = 'tracewise.progress';
export const EXPORT_FORMAT = 'tracewise-progress';

const notice = {
  movedAside: (k: string): L10n => ({
    en: `Your saved exercise progress could not be read, so it was set aside (kept in this browser under "${k}") and progress starts fresh.`,
    'zh-CN': `无法读取已保存的练习进度，已将其另存（保存在本浏览器的“${k}”下），进度从头开始记录。`,
  }),
  partly: (k: string, n: number): L10n => ({
    en: `${n} saved exercise record${n === 1 ? ' was' : 's were'} damaged and left out; everything else was kept. The original is kept under "${k}".`,
    'zh-CN': `有 ${n} 条已保存的练习记录已损坏并被略过，其余均已保留。原始数据保存在“${k}”下。`,
  }),
  newer: (k: string): L10n => ({
    en: `Your saved progress was written by a newer version of this site; it was set aside under "${k}" and progress starts fresh here.`,
    'zh-CN': `已保存的进度来自本网站的更新版本，已另存在“${k}”下，这里的进度将从头记录。`,
  }),
  unavailable: (): L10n => ({
    en: 'This browser does not let the page save progress; your answers count until you leave the page.',
    'zh-CN': '此浏览器不允许页面保存进度；你的作答只在离开本页之前有效。',
  }),
  writeFailed: (): L10n => ({
    en: 'Progress could not be saved (storage full or blocked); it is kept only until you leave the page.',
    'zh-CN': '无法保存进度（存储已满或被禁止），进度只保留到你离开本页为止。',
  }),
};

export class ProgressStore {
  readonly key: string;
  private readonly storage: ProgressStorage | null;
  private readonly now: () => Date;
  private readonly version: number;
  private readonly migrations: Readonly<Record<number, Migration>>;
  private doc: ProgressDoc;
  private memoryOnly: boolean;
  private pending: ProgressNotice[] = [];

  constructor(storage: ProgressStorage | null, opts: StoreOptions = {}) {
    this.storage = storage;
    this.key = opts.key ?? DEFAULT_KEY;
    this.now = opts.now ?? (() => new Date());
    this.version = opts.version ?? PROGRESS_VERSION;
    this.migrations = opts.migrations ?? MIGRATIONS;
    this.doc = emptyDoc(this.version);
    this.memoryOnly = storage === null;
    this.load();
  }

  /** Notices since the last call (each is given out once). */
  takeNotices(): ProgressNotice[] {
    const n = this.pending;
    this.pending = [];
    return n;
  }

  /** Whether progress survives the page (false after a storage failure). */
  get persistent(): boolean {
    return !this.memoryOnly;
  }

  private warn(n: ProgressNotice): void {
    if (!this.pending.some((p) => p.code === n.code && p.backupKey === n.backupKey)) this.pending.push(n);
  }

  private trySet(key: string, value: string): boolean {
    try {
      this.storage!.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }

  private backup(raw: string, suffix: string): string | null {
    const stamp = this.now().toISOString();
    let key = `${this.key}.${suffix}.${stamp}`;
    for (let i = 2; i < 100; i++) {
      let taken: string | null;
      try {
        taken = this.storage!.getItem(key);
      } catch {
        return null;
      }
      if (taken === null) break;
      key = `${this.key}.${suffix}.${stamp}.${i}`;
    }
    return this.trySet(key, raw) ? key : null;
  }

  /** Re-reads storage; sets aside what cannot be kept. Returns the current document (a copy). */
  load(): ProgressDoc {
    if (this.memoryOnly) return structuredClone(this.doc);
    let raw: string | null;
    try {
      raw = this.storage!.getItem(this.key);
    } catch {
      this.memoryOnly = true;
      this.warn({ code: 'unavailable', message: notice.unavailable() });
      return structuredClone(this.doc);
    }
    const r: ReadResult = readDoc(raw, { version: this.version, migrations: this.migrations });
    if (raw !== null && r.status !== 'ok' && r.status !== 'empty') {
      const backupKey = this.backup(raw, 'backup');
      if (backupKey === null || !this.trySet(this.key, JSON.stringify(r.doc))) {
        // Could not keep the original: never overwrite it; work in memory.
        this.memoryOnly = true;
        this.warn({ code: 'write-failed', message: notice.writeFailed() });
      } else if (r.status === 'corrupt') this.warn({ code: 'moved-aside', backupKey, message: notice.movedAside(backupKey) });
      else if (r.status === 'newer') this.warn({ code: 'newer-version', backupKey, message: notice.newer(backupKey) });
      else if (r.status === 'partial') this.warn({ code: 'partly-recovered', backupKey, message: notice.partly(backupKey, r.dropped) });
    }
    this.doc = r.doc;
    return structuredClone(this.doc);
  }

  /** The current document without re-reading storage (a copy). */
  snapshot(): ProgressDoc {
    return structuredClone(this.doc);
  }

  /** The lessons that have records. */
  lessonIds(): string[] {
    return Object.keys(this.doc.lessons);
  }

  get(lesson: string, exerciseId: string): ExerciseRecord | null {
    const l = own(this.doc.lessons, lesson);
    const r = l ? own(l, exerciseId) : undefined;
    return r ? structuredClone(r) : null;
  }

  lesson(lesson: string): Record<string, ExerciseRecord> {
    return structuredClone(own(this.doc.lessons, lesson) ?? {});
  }

  private persist(): WriteResult {
    if (this.memoryOnly) return { ok: true };
    if (this.trySet(this.key, JSON.stringify(this.doc))) return { ok: true };
    this.memoryOnly = true;
    this.warn({ code: 'write-failed', message: notice.writeFailed() });
    return { ok: false, error: 'storage refused the write' };
  }

  private update(lesson: string, exerciseId: string, change: (r: ExerciseRecord) => void): WriteResult {
    if (!isValidKey(lesson)) return { ok: false, error: `bad lesson id ${JSON.stringify(lesson)}` };
    if (!isValidKey(exerciseId)) return { ok: false, error: `bad exercise id ${JSON.stringify(exerciseId)}` };
    this.load();
    const recs = own(this.doc.lessons, lesson) ?? (this.doc.lessons[lesson] = {});
    const rec = own(recs, exerciseId) ?? (recs[exerciseId] = emptyRecord());
    change(rec);
    return this.persist();
  }

  recordAttempt(lesson: string, exerciseId: string, a: { correct: boolean; answer: string; nearMiss?: string }): WriteResult {
    if (typeof a?.correct !== 'boolean' || typeof a.answer !== 'string') return { ok: false, error: 'an attempt needs { correct, answer }' };
    const at = this.now().toISOString();
    return this.update(lesson, exerciseId, (r) => {
      r.attempts = Math.min(LIMITS.attempts, r.attempts + 1);
      r.firstAttemptAt ??= at;
      r.lastAttemptAt = at;
      if (a.correct) {
        if (r.solvedAt === null && r.shownMe) r.solvedWithHelp = true;
        r.solvedAt ??= at;
      } else {
        const w: ExerciseRecord['wrong'][number] = { at, answer: a.answer.slice(0, LIMITS.answer) };
        if (isValidKey(a.nearMiss)) w.nearMiss = a.nearMiss;
        r.wrong.push(w);
        if (r.wrong.length > LIMITS.wrong) r.wrong.splice(0, r.wrong.length - LIMITS.wrong);
      }
    });
  }

  recordHints(lesson: string, exerciseId: string, shown: number): WriteResult {
    if (!Number.isInteger(shown) || shown < 0) return { ok: false, error: 'hints shown must be a count' };
    return this.update(lesson, exerciseId, (r) => {
      r.hintsShown = Math.min(LIMITS.hints, Math.max(r.hintsShown, shown));
    });
  }

  recordShowMe(lesson: string, exerciseId: string): WriteResult {
    return this.update(lesson, exerciseId, (r) => {
      r.shownMe = true;
    });
  }

  /**
   * Copies lesson `from`'s records to lesson `to` when `to` has none (the upload page's progress under a
   * file's older key, to its new one); `from` stays. A no-op when `from` has no records or `to` has some.
   */
  copyLesson(from: string, to: string): WriteResult {
    if (!isValidKey(from) || !isValidKey(to)) return { ok: false, error: `bad lesson id ${JSON.stringify(isValidKey(from) ? to : from)}` };
    this.load();
    const recs = own(this.doc.lessons, from);
    if (!recs || own(this.doc.lessons, to)) return { ok: true };
    this.doc.lessons[to] = structuredClone(recs);
    return this.persist();
  }

  private keepBeforeReset(): void {
    if (this.memoryOnly) return;
    try {
      const raw = this.storage!.getItem(this.key);
      if (raw !== null) this.trySet(`${this.key}.before-reset`, raw);
    } catch {
      /* nothing stored to keep */
    }
  }

  resetLesson(lesson: string): WriteResult {
    if (!isValidKey(lesson)) return { ok: false, error: `bad lesson id ${JSON.stringify(lesson)}` };
    this.load();
    if (!own(this.doc.lessons, lesson)) return { ok: true };
    this.keepBeforeReset();
    delete this.doc.lessons[lesson];
    return this.persist();
  }

  resetAll(): WriteResult {
    this.load();
    this.keepBeforeReset();
    this.doc = emptyDoc(this.version);
    return this.persist();
  }

  exportJson(): string {
    const d = this.load();
    return `${JSON.stringify({ format: EXPORT_FORMAT, version: d.version, exportedAt: this.now().toISOString(), lessons: d.lessons }, null, 2)}\n`;
  }

  exportCsv(): string {
    return progressCsv(this.load());
  }

  /**
   * Reads an export (or a stored document). Refused whole when any part is
   * invalid, so nothing half-imported overwrites good progress. 'merge'
   * combines per exercise; 'replace' keeps the current document under
   * `<key>.before-import` first.
   */
  importJson(text: string, mode: 'merge' | 'replace' = 'merge'): ImportResult {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, error: 'not a JSON file' };
    }
    const fmt = (parsed as { format?: unknown } | null)?.format;
    if (fmt !== undefined && fmt !== EXPORT_FORMAT) return { ok: false, error: `not a ${EXPORT_FORMAT} file` };
    const r = readParsed(parsed, this.version, this.migrations);
    if (r.status === 'corrupt' || r.status === 'newer' || r.status === 'partial') {
      return { ok: false, error: `cannot import: ${r.problem ?? r.status}${r.dropped > 1 ? ` (and ${r.dropped - 1} more problems)` : ''}` };
    }
    let count = 0;
    for (const recs of Object.values(r.doc.lessons)) count += Object.keys(recs).length;
    this.load();
    if (mode === 'replace') {
      if (!this.memoryOnly) {
        let raw: string | null = null;
        try {
          raw = this.storage!.getItem(this.key);
        } catch {
          raw = null;
        }
        if (raw !== null && !this.trySet(`${this.key}.before-import`, raw)) return { ok: false, error: 'could not keep a copy of the current progress; nothing imported' };
      }
      this.doc = r.doc;
    } else {
      for (const [lesson, recs] of Object.entries(r.doc.lessons)) {
        const mine = own(this.doc.lessons, lesson) ?? (this.doc.lessons[lesson] = {});
        for (const [id, rec] of Object.entries(recs)) {
          const cur = own(mine, id);
          mine[id] = cur ? mergeRecords(cur, rec) : rec;
        }
      }
    }
    const w = this.persist();
    return w.ok ? { ok: true, exercises: count } : { ok: false, error: w.error };
  }
}

/** A Map-backed storage for Node, tests and pages where localStorage is missing. */
export class MemoryStorage implements ProgressStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, String(value));
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}
