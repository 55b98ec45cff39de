/**
 * Workshop packs: one file (JSON or YAML) in which an instructor lists a
 * workshop's exercises, in the lesson schema (schema.ts, `parsePack`), plus
 * a bilingual title, optional trace aliases and optional instructor notes.
 *
 *   { "format": "tracewise-workshop/1",         // optional; any other value is refused
 *     "id": "npu-intro",                        // keys saved progress: never rename a published one
 *     "title": { "en": "…", "zh-CN": "…" },
 *     "description"?: { "en": "…", "zh-CN": "…" },
 *     "traces"?: { "baseline": "/traces/npu-deepseek-baseline.json.gz" },   // aliases
 *     "comparisons"?: [ { "title"?: { "en", "zh-CN" },                      // runs opened in the compare view
 *                         "runs": [ { "label": { "en", "zh-CN" }, "trace": "baseline" }, … ] } ],   // 2 to 4
 *     "exercises": [ { …an exercise…, "instructorNotes"?: { "en": "…", "zh-CN": "…" } } ] }
 *
 * An exercise's `trace` (and compare `traces.before/after`) is a site path or
 * one of the aliases. Traces must come from the site itself: the site's
 * Content-Security-Policy has `connect-src 'self'`, so the browser refuses
 * any other origin; such URLs are rejected here with that reason rather than
 * failing later as a network error.
 *
 * Every problem has its path and a message in both languages. Problems
 * found by the exercise schema are English (they are the lesson authors'
 * messages); the Chinese message says so and keeps the English detail.
 */
import { parsePack, type Exercise, type L10n, type Pack } from './schema.ts';
import { parseL10n } from './schema-parts.ts';
import { Problems, expectRecord, expectString, isRecord, noUnknownKeys } from './validator.ts';

export const WORKSHOP_FORMAT = 'tracewise-workshop/1';

export interface WorkshopExercise {
  exercise: Exercise;
  instructorNotes?: L10n;
}

/** Runs the page opens side by side in the compare view (A/B picked among them). */
export interface WorkshopComparison {
  title?: L10n;
  /** Two to four runs; `trace` is a resolved site path. */
  runs: Array<{ label: L10n; trace: string }>;
}

export interface Workshop {
  id: string;
  title: L10n;
  description?: L10n;
  /** Alias → site path, as written. */
  traces: Record<string, string>;
  /** Exercises in order; their trace fields hold resolved site paths. */
  exercises: WorkshopExercise[];
  /** Comparisons shown before the exercises (none when the pack declares none). */
  comparisons: WorkshopComparison[];
}

export interface WorkshopProblem {
  /** Where in the file ("exercises[2].trace"); '' for the whole file. */
  path: string;
  message: L10n;
}

export type WorkshopResult = { ok: true; value: Workshop } | { ok: false; problems: WorkshopProblem[] };

const TOP_KEYS = ['format', 'id', 'title', 'description', 'traces', 'comparisons', 'exercises'];
const MAX_COMPARED_RUNS = 4;
const ALIAS_RE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const msg = {
  offSite: (url: string): L10n => ({
    en: `"${url}" is on another site; the site's Content-Security-Policy (connect-src 'self') blocks loading traces from other origins: put the trace on this site (e.g. next to the pack) and use its path, or use a bundled sample under /traces/`,
    'zh-CN': `“${url}”位于其他网站；本站的内容安全策略（connect-src 'self'）禁止从其他来源加载 trace：请把 trace 放在本站（例如与练习包放在一起）并写它的路径，或使用 /traces/ 下自带的示例`,
  }),
  unknownAlias: (name: string, known: string[]): L10n => ({
    en: `"${name}" is neither a site path (starting with /) nor one of the aliases in "traces" (${known.join(', ') || 'none defined'})`,
    'zh-CN': `“${name}”既不是本站路径（以 / 开头），也不是 "traces" 中定义的别名（${known.join('、') || '未定义任何别名'}）`,
  }),
  badFormat: (v: string): L10n => ({
    en: `unknown format "${v}"; this site reads "${WORKSHOP_FORMAT}"`,
    'zh-CN': `未知格式“${v}”；本站只能读取“${WORKSHOP_FORMAT}”`,
  }),
  notJson: (detail: string): L10n => ({ en: `not valid JSON: ${detail}`, 'zh-CN': `不是有效的 JSON：${detail}` }),
  notYaml: (detail: string): L10n => ({ en: `not valid YAML: ${detail}`, 'zh-CN': `不是有效的 YAML：${detail}` }),
  schema: (en: string): L10n => ({ en, 'zh-CN': `格式有误（详情为英文）：${en}` }),
};

/** A trace reference as written in a pack → a site path, or a problem. */
export function resolveTraceRef(ref: string, aliases: Record<string, string>): { url: string } | { problem: L10n } {
  if (Object.hasOwn(aliases, ref)) return resolveTraceRef(aliases[ref], {});
  // "https://x", "data:…", "//cdn.example/x": anything with a scheme or a host is another origin.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ref) || ref.startsWith('//') || ref.startsWith('\\')) return { problem: msg.offSite(ref) };
  if (!ref.startsWith('/')) return { problem: msg.unknownAlias(ref, Object.keys(aliases)) };
  return { url: ref };
}

/** "exercises[0].hints[1]: expected …" → its path and message. */
function splitProblem(line: string): { path: string; en: string } {
  const m = /^([A-Za-z_$][\w$-]*(?:\[\d+\]|\.[A-Za-z_$][\w$-]*)*): (.*)$/s.exec(line);
  return m ? { path: m[1], en: m[2] } : { path: '', en: line };
}

/** Validates a parsed pack (from JSON or YAML). Reports every problem it can find. */
export function parseWorkshop(raw: unknown): WorkshopResult {
  const problems: WorkshopProblem[] = [];
  const add = (path: string, message: L10n) => problems.push({ path, message });
  const local = new Problems();
  const r = expectRecord(local, '', raw);
  if (!r) return { ok: false, problems: local.list.map((l) => ({ path: '', message: msg.schema(l) })) };

  noUnknownKeys(local, '', r, TOP_KEYS);
  if (r.format !== undefined && r.format !== WORKSHOP_FORMAT) add('format', msg.badFormat(String(r.format)));
  if (r.title === undefined) local.add('title', 'missing (a title in en and zh-CN)');
  else parseL10n(local, 'title', r.title);
  if (r.description !== undefined) parseL10n(local, 'description', r.description);

  const aliases: Record<string, string> = {};
  if (r.traces !== undefined) {
    const t = expectRecord(local, 'traces', r.traces);
    for (const [name, url] of Object.entries(t ?? {})) {
      const path = `traces.${name}`;
      if (!ALIAS_RE.test(name)) local.add(path, 'an alias is a letter followed by letters, digits, - or _');
      const u = expectString(local, path, url, { max: 500 });
      if (u === null) continue;
      const res = resolveTraceRef(u, {});
      if ('problem' in res) add(path, res.problem);
      else aliases[name] = u;
    }
  }

  const comparisons: WorkshopComparison[] = [];
  if (r.comparisons !== undefined) {
    if (!Array.isArray(r.comparisons)) local.add('comparisons', 'expected a list of comparisons');
    else
      r.comparisons.forEach((c, i) => {
        const path = `comparisons[${i}]`;
        const cr = expectRecord(local, path, c);
        if (!cr) return;
        noUnknownKeys(local, path, cr, ['title', 'runs']);
        if (cr.title !== undefined) parseL10n(local, `${path}.title`, cr.title);
        if (!Array.isArray(cr.runs) || cr.runs.length < 2 || cr.runs.length > MAX_COMPARED_RUNS) {
          local.add(`${path}.runs`, `expected a list of 2 to ${MAX_COMPARED_RUNS} runs`);
          return;
        }
        const runs: WorkshopComparison['runs'] = [];
        cr.runs.forEach((run, j) => {
          const rp = `${path}.runs[${j}]`;
          const rr = expectRecord(local, rp, run);
          if (!rr) return;
          noUnknownKeys(local, rp, rr, ['label', 'trace']);
          parseL10n(local, `${rp}.label`, rr.label);
          const t = expectString(local, `${rp}.trace`, rr.trace, { max: 500 });
          if (t === null) return;
          const res = resolveTraceRef(t, aliases);
          if ('problem' in res) add(`${rp}.trace`, res.problem);
          else runs.push({ label: structuredClone(rr.label) as L10n, trace: res.url });
        });
        if (runs.length === cr.runs.length) comparisons.push({ ...(cr.title !== undefined ? { title: structuredClone(cr.title) as L10n } : {}), runs });
      });
  }

  // Take instructor notes off the exercises and resolve trace aliases, then let the lesson schema judge them.
  const notes: Array<L10n | undefined> = [];
  const exercises = Array.isArray(r.exercises)
    ? r.exercises.map((e, i) => {
        if (!isRecord(e)) return e;
        const { instructorNotes, ...ex } = e;
        if (instructorNotes !== undefined) parseL10n(local, `exercises[${i}].instructorNotes`, instructorNotes);
        notes[i] = instructorNotes as L10n | undefined;
        const fix = (key: string, v: unknown, set: (url: string) => void) => {
          if (typeof v !== 'string') return;
          const res = resolveTraceRef(v, aliases);
          if ('url' in res) set(res.url);
          else add(`exercises[${i}].${key}`, res.problem);
        };
        fix('trace', ex.trace, (u) => (ex.trace = u));
        if (isRecord(ex.traces)) {
          const tr = { ...ex.traces };
          fix('traces.before', tr.before, (u) => (tr.before = u));
          fix('traces.after', tr.after, (u) => (tr.after = u));
          ex.traces = tr;
        }
        return ex;
      })
    : r.exercises;

  const pack = parsePack({ id: r.id, exercises });
  for (const line of [...local.list, ...(pack.ok ? [] : pack.errors)]) {
    const { path, en } = splitProblem(line);
    add(path, msg.schema(en));
  }
  if (problems.length || !pack.ok) return { ok: false, problems };
  return {
    ok: true,
    value: {
      id: pack.value.id,
      title: structuredClone(r.title) as L10n,
      ...(r.description !== undefined ? { description: structuredClone(r.description) as L10n } : {}),
      traces: aliases,
      exercises: pack.value.exercises.map((exercise, i) => (notes[i] ? { exercise, instructorNotes: structuredClone(notes[i]!) } : { exercise })),
      comparisons,
    },
  };
}

/** The workshop as a lesson pack (what `parsePack` and `verifyExercise` take). */
export function workshopPack(w: Workshop): Pack {
  return { id: w.id, title: w.title, exercises: w.exercises.map((e) => e.exercise) };
}

/** Whether a file's text is YAML rather than JSON: by its name, else by its first character. */
export function looksLikeYaml(text: string, fileName = ''): boolean {
  if (/\.ya?ml$/i.test(fileName)) return true;
  if (/\.json$/i.test(fileName)) return false;
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first !== '{' && first !== '[';
}

/**
 * Reads a pack file's text. YAML goes through the `yaml` package, loaded
 * only when a YAML file arrives (pages with JSON packs never download it),
 * in its core schema (no custom tags, no anchors beyond the spec's; JSON
 * values only).
 */
export async function parseWorkshopText(text: string, fileName = ''): Promise<WorkshopResult> {
  let raw: unknown;
  if (looksLikeYaml(text, fileName)) {
    const { parse } = await import('yaml');
    try {
      raw = parse(text, { schema: 'core', maxAliasCount: 100, uniqueKeys: true });
    } catch (e) {
      return { ok: false, problems: [{ path: '', message: msg.notYaml(String((e as Error)?.message ?? e).split('\n')[0]) }] };
    }
  } else {
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      return { ok: false, problems: [{ path: '', message: msg.notJson(String((e as Error)?.message ?? e)) }] };
    }
  }
  return parseWorkshop(raw);
}

/** "exercises[1].trace: …" in the learner's language, for lists of problems. */
export function problemText(p: WorkshopProblem, lang: 'en' | 'zh-CN'): string {
  return p.path ? `${p.path}: ${p.message[lang]}` : p.message[lang];
}
