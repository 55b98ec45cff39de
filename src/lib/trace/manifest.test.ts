// public/traces/manifest.json against the files beside it (each file has exactly one entry, each entry
// its file, with the sha256 and size it states), and the validator on one broken entry per rule.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entryProblems, MAX_SAMPLE_BYTES, validateManifest, type ManifestEntry } from './manifest.ts';

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
});

describe('validateManifest', () => {
  const good: ManifestEntry = {
    id: 'a-sample',
    file: 'a-sample.json.gz',
    title: { en: 'A sample', 'zh-CN': '一个样例' },
    kind: 'recorded',
    hardware: '1× GPU',
    software: 'PyTorch',
    recipe: 'recipes/x.py',
    command: 'python recipes/x.py',
    date: '2026-11-24',
    cropped: false,
    sha256: 'a'.repeat(64),
    notes: 'n',
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
    ['hardware', { hardware: '' }],
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

  it('rejects a missing field, duplicate ids and files, and a non-array', () => {
    const { notes: _drop, ...noNotes } = good;
    expect(entryProblems(noNotes)).toEqual(['notes: expected a non-empty string']);
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
