/**
 * The sample-trace manifest, public/traces/manifest.json: one entry per file in public/traces, saying
 * where it came from (recorded on which hardware with which recipe and command, or simulated from
 * which model), so no trace ships without provenance. The Provenance component shows it beside every
 * widget; tests check it against the files (see manifest.test.ts).
 *
 * `validateManifest` checks the shape only (types, formats, unique ids and files); whether the files
 * exist and match their sha256 is for the caller, which can read files (this module cannot: pure TS).
 *
 * The prose a reader sees (`title`, `hardware`, `notes`) is bilingual, `{ "en": …, "zh-CN": … }`, and
 * both languages are required: the site has every page in both, so a zh-CN page must not fall back to
 * English provenance. `software`, `recipe` and `command` stay plain strings: they are versions, flags,
 * paths and command lines, which read the same in both languages and must be copied exactly.
 */

export type SampleKind = 'recorded' | 'simulated';

/** The site's two languages, in the spelling the manifest uses for its keys. */
export const MANIFEST_LANGS = ['en', 'zh-CN'] as const;
export type ManifestLang = (typeof MANIFEST_LANGS)[number];

/** Text shown to the reader, in both languages. */
export type Bilingual = Record<ManifestLang, string>;

export interface ManifestEntry {
  /** Stable id, lower-case letters, digits, '.', '_' and '-'. */
  id: string;
  /** File name inside public/traces (no folders), `.json` or `.json.gz`. */
  file: string;
  title: Bilingual;
  kind: SampleKind;
  /** For recorded samples the exact GPU(s) and driver; for simulated ones what was modelled. */
  hardware: Bilingual;
  /** Framework and library versions, or the generator. */
  software: string;
  /** Path in this repository of the script or module that made the file. */
  recipe: string;
  /** The command line that made the file (recording and slimming). */
  command: string;
  /** YYYY-MM-DD. */
  date: string;
  /** True when the file is a cropped/slimmed part of a longer recording. */
  cropped: boolean;
  /** Lower-case hex SHA-256 of the file's bytes as committed. */
  sha256: string;
  /** What the sample shows and what in it is not representative (shown as "Provenance"). */
  notes: Bilingual;
  /** Recipe parameters and measured facts, free-form JSON. */
  parameters: Record<string, unknown>;
}

/** Largest sample the site ships: lessons load it in the learner's browser. */
export const MAX_SAMPLE_BYTES = 3 * 1024 * 1024;

const ID = /^[a-z0-9][a-z0-9._-]*$/;
const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json(\.gz)?$/;
const SHA256 = /^[0-9a-f]{64}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Shown to the reader: one text per language. */
export const BILINGUAL_FIELDS = ['title', 'hardware', 'notes'] as const;
/** Not prose (versions, paths, command lines): one string for both languages. */
const TEXT_FIELDS = ['software', 'recipe', 'command'] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The problem of a bilingual field, naming the languages that are missing or empty; null when fine. */
function bilingualProblem(field: string, v: unknown): string | null {
  const shape = '{"en": "…", "zh-CN": "…"}';
  if (typeof v === 'string') return `${field}: expected text in both languages, ${shape}, not a single string`;
  if (!isObject(v)) return `${field}: expected text in both languages, ${shape}`;
  const missing = MANIFEST_LANGS.filter((l) => !nonEmpty(v[l]));
  if (missing.length) return `${field}: missing the ${missing.map((l) => `"${l}"`).join(' and ')} text`;
  // A copy of the English in the zh-CN slot passes the shape check but leaves the zh-CN page in English.
  if ((v.en as string).trim() === (v['zh-CN'] as string).trim()) return `${field}: the "zh-CN" text is the same as the "en" text; translate it`;
  return null;
}

/** The manifest language of a page locale (Astro's `currentLocale`: "en", "zh-cn", …). */
export function manifestLang(locale: string | undefined): ManifestLang {
  return (locale ?? 'en').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Problems of one entry, each a short English phrase naming the field. */
export function entryProblems(e: unknown): string[] {
  if (!isObject(e)) return ['not an object'];
  const p: string[] = [];
  if (!nonEmpty(e.id) || !ID.test(e.id)) p.push('id: expected lower-case letters, digits, ".", "_" or "-"');
  if (!nonEmpty(e.file) || !FILE.test(e.file)) p.push('file: expected a file name ending in .json or .json.gz, without folders');
  for (const f of BILINGUAL_FIELDS) {
    const x = bilingualProblem(f, e[f]);
    if (x) p.push(x);
  }
  if (e.kind !== 'recorded' && e.kind !== 'simulated') p.push('kind: expected "recorded" or "simulated"');
  for (const f of TEXT_FIELDS) if (!nonEmpty(e[f])) p.push(`${f}: expected a non-empty string`);
  if (!nonEmpty(e.date) || !validDate(e.date)) p.push('date: expected a real date as YYYY-MM-DD');
  if (typeof e.cropped !== 'boolean') p.push('cropped: expected true or false');
  if (typeof e.sha256 !== 'string' || !SHA256.test(e.sha256)) p.push('sha256: expected 64 lower-case hex digits');
  if (!isObject(e.parameters)) p.push('parameters: expected an object');
  return p;
}

export interface ManifestCheck {
  /** The entries that passed, typed. */
  entries: ManifestEntry[];
  /** One line per problem: `entry N (id): field: problem`. Empty when the manifest is valid. */
  problems: string[];
}

export function validateManifest(json: unknown): ManifestCheck {
  if (!Array.isArray(json)) return { entries: [], problems: ['manifest: expected a JSON array of entries'] };
  const entries: ManifestEntry[] = [];
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const files = new Map<string, number>();
  json.forEach((e, i) => {
    const label = `entry ${i}${isObject(e) && typeof e.id === 'string' ? ` (${e.id})` : ''}`;
    const p = entryProblems(e);
    if (isObject(e)) {
      for (const [key, seen, what] of [
        [e.id, ids, 'id'],
        [e.file, files, 'file'],
      ] as const) {
        if (typeof key !== 'string') continue;
        const first = seen.get(key);
        if (first !== undefined) p.push(`${what}: same as entry ${first}`);
        else seen.set(key, i);
      }
    }
    if (p.length === 0) entries.push(e as unknown as ManifestEntry);
    for (const x of p) problems.push(`${label}: ${x}`);
  });
  return { entries, problems };
}
