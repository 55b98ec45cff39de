// public/traces/manifest.json against the files beside it (each file has exactly one entry, each entry
// its file, with the sha256 and size it states), its zh-CN prose against its English (same numbers and
// names), and the validator on one broken entry per rule.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BILINGUAL_FIELDS, entryProblems, manifestLang, MAX_SAMPLE_BYTES, validateManifest, type ManifestEntry } from './manifest.ts';

const TRACES = new URL('../../../public/traces/', import.meta.url);
const manifestJson = (): unknown => JSON.parse(readFileSync(new URL('manifest.json', TRACES), 'utf8'));
const sampleFiles = (): string[] => readdirSync(TRACES).filter((f) => f !== 'manifest.json').sort();

describe('public/traces/manifest.json', () => {
  const { entries, problems } = validateManifest(manifestJson());

  it('is valid', () => {
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThan(0);
  });

  it('has an entry for every file in public/traces, and only those', () => {
    expect(entries.map((e) => e.file).sort()).toEqual(sampleFiles());
  });

  it.each(sampleFiles())('%s matches its sha256 and stays under the size limit', (file) => {
    const entry = entries.find((e) => e.file === file);
    const bytes = readFileSync(new URL(file, TRACES));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry?.sha256);
    expect(statSync(new URL(file, TRACES)).size).toBeLessThanOrEqual(MAX_SAMPLE_BYTES);
  });

  it('marks recorded samples with a recipe that exists in the repository', () => {
    for (const e of entries.filter((x) => x.kind === 'recorded')) {
      expect(() => statSync(new URL(`../../../${e.recipe}`, import.meta.url))).not.toThrow();
    }
  });

  // A translation may reword, but must not lose or change a figure, a kernel or op name, or a path:
  // every number and every such name in the English text is also in the Chinese one.
  const facts = (text: string): string[] => [
    ...new Set([...(text.match(/\d+(?:\.\d+)?(?:e-?\d+)?/g) ?? []), ...(text.match(/[\w./#:-]*(?:_|::|#|\/)[\w./#:-]*\w/g) ?? [])]),
  ];
  it.each(entries.flatMap((e) => BILINGUAL_FIELDS.map((f) => [e.id, f, e] as const)))('%s: the zh-CN %s keeps every number and name of the en one', (_id, field, e) => {
    const { en, 'zh-CN': zh } = e[field];
    expect(zh).toMatch(/\p{Script=Han}/u);
    expect(facts(en).filter((x) => !zh.includes(x))).toEqual([]);
  });

  it('keeps the cautions in Chinese: simulated samples say so, shared-GPU ones say collectives are not NVLink speed', () => {
    for (const e of entries.filter((x) => x.kind === 'simulated')) {
      expect(e.notes.en).toMatch(/^SIMULATED, not recorded\./);
      expect(e.notes['zh-CN']).toMatch(/^模拟生成，并非实测录制。/);
      expect(e.hardware['zh-CN']).toMatch(/^模拟：.*没有使用任何真实设备$/);
    }
    const shared = entries.filter((x) => x.parameters.ranksShareOneGpu === true);
    expect(shared.length).toBeGreaterThan(0);
    for (const e of shared) {
      expect(e.hardware['zh-CN']).toContain('由两个 rank 同时共用');
      expect(e.hardware['zh-CN']).toContain('这里的集合通信时长不代表 NVLink 上的表现');
      expect(e.notes['zh-CN']).toMatch(/共用一张 GPU.*比在 NVLink 上慢得多/);
    }
  });
});

describe('manifestLang', () => {
  it.each([
    ['zh-cn', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['en', 'en'],
    [undefined, 'en'],
  ] as const)('maps the page locale %s to %s', (locale, lang) => {
    expect(manifestLang(locale)).toBe(lang);
  });
});

describe('validateManifest', () => {
  const good: ManifestEntry = {
    id: 'a-sample',
    file: 'a-sample.json.gz',
    title: { en: 'A sample', 'zh-CN': '一个样例' },
    kind: 'recorded',
    hardware: { en: '1× GPU', 'zh-CN': '1 张 GPU' },
    software: 'PyTorch',
    recipe: 'recipes/x.py',
    command: 'python recipes/x.py',
    date: '2026-11-24',
    cropped: false,
    sha256: 'a'.repeat(64),
    notes: { en: 'Notes.', 'zh-CN': '说明。' },
    parameters: {},
  };
  const broken = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...good, ...patch });

  it('accepts a good entry', () => {
    expect(validateManifest([good])).toEqual({ entries: [good], problems: [] });
  });

  it.each([
    ['id', { id: 'Has Space' }],
    ['file', { file: 'sub/dir.json.gz' }],
    ['file', { file: 'trace.txt' }],
    ['title', { title: { en: 'only English' } }],
    ['kind', { kind: 'measured' }],
    ['hardware', { hardware: { en: '', 'zh-CN': '' } }],
    ['command', { command: 42 }],
    ['date', { date: '2026-02-30' }],
    ['date', { date: '24.11.2026' }],
    ['cropped', { cropped: 'no' }],
    ['sha256', { sha256: 'A'.repeat(64) }],
    ['sha256', { sha256: 'abc' }],
    ['parameters', { parameters: [] }],
  ])('rejects a bad %s', (field, patch) => {
    const p = entryProblems(broken(patch));
    expect(p).toHaveLength(1);
    expect(p[0].startsWith(`${field}:`)).toBe(true);
    expect(validateManifest([broken(patch)]).entries).toEqual([]);
  });

  // Each reader-facing field needs both languages; the message names the field and the missing language.
  it.each(BILINGUAL_FIELDS.flatMap((f) => [
    [f, { en: good[f].en }, `${f}: missing the "zh-CN" text`],
    [f, { 'zh-CN': good[f]['zh-CN'] }, `${f}: missing the "en" text`],
    [f, { en: good[f].en, 'zh-CN': '  ' }, `${f}: missing the "zh-CN" text`],
    [f, { en: 42, 'zh-CN': good[f]['zh-CN'] }, `${f}: missing the "en" text`],
    [f, {}, `${f}: missing the "en" and "zh-CN" text`],
    [f, good[f].en, `${f}: expected text in both languages, {"en": "…", "zh-CN": "…"}, not a single string`],
    [f, [good[f].en], `${f}: expected text in both languages, {"en": "…", "zh-CN": "…"}`],
    [f, { en: good[f].en, 'zh-CN': good[f].en }, `${f}: the "zh-CN" text is the same as the "en" text; translate it`],
  ] as const))('rejects a %s of %j', (field, value, message) => {
    expect(entryProblems(broken({ [field]: value }))).toEqual([message]);
    const check = validateManifest([good, broken({ id: 'second', file: 'second.json', [field]: value })]);
    expect(check.entries).toEqual([good]);
    expect(check.problems).toEqual([`entry 1 (second): ${message}`]);
  });

  it('rejects a missing field, duplicate ids and files, and a non-array', () => {
    const { notes: _drop, ...noNotes } = good;
    expect(entryProblems(noNotes)).toEqual(['notes: expected text in both languages, {"en": "…", "zh-CN": "…"}']);
    const { command: _c, ...noCommand } = good;
    expect(entryProblems(noCommand)).toEqual(['command: expected a non-empty string']);
    const twice = validateManifest([good, { ...good }, { ...good, id: 'other' }]);
    expect(twice.problems).toEqual([
      'entry 1 (a-sample): id: same as entry 0',
      'entry 1 (a-sample): file: same as entry 0',
      'entry 2 (other): file: same as entry 0',
    ]);
    expect(validateManifest({}).problems).toEqual(['manifest: expected a JSON array of entries']);
    expect(entryProblems(null)).toEqual(['not an object']);
  });
});
