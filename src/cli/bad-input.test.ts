// The bad-input catalogue, CLI side (the loader side is
// src/lib/trace/bad-input.test.ts, same inputs, same names): a file that is
// not a trace exits 2 with exactly one line naming the file and the problem,
// never a stack trace; a damaged trace is read, exits 0, and says what it
// skipped in `warnings`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cutPoints, deepArgs, deepMetadata, hugeArgs, hugeName } from '../lib/trace/test-support/bad-inputs.ts';

const BIN = fileURLToPath(new URL('../../bin/tracewise.mjs', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../lib/trace/fixtures/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'tracewise-bad-'));

function tracewise(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TRACEWISE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The fixture copied under its own name into a fresh folder (so paths in messages are predictable). */
const fixture = (name: string): string => {
  const path = join(tmp, name);
  copyFileSync(join(FIXTURES, name), path);
  return path;
};
const built = (name: string, bytes: Uint8Array): string => {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
};

interface Warning {
  code: string;
  message: string;
  count: number;
}
interface Summary {
  file: string;
  events: number;
  slices: number;
  flows: number;
  truncated: boolean;
  dropped_bytes: number;
  warnings: Warning[];
}

describe('tracewise analyze: files that are not traces', () => {
  it('exit 2, one line per file naming it and the problem, no stack trace', () => {
    const cases: [string, string][] = [
      [fixture('empty.json'), 'The file is empty (at byte 0)'],
      [fixture('not-json.html'), "The file does not start like JSON (first byte '<'); it looks like HTML or XML (at byte 0)"],
      [fixture('not-a-trace.json'), 'The file is JSON but has no "traceEvents" list'],
      [fixture('kernel_details.csv'), 'This looks like a CSV table, not a JSON trace (for Ascend output, open trace_view.json) (at byte 0)'],
      // An SQLite file goes to the Ascend db importer (ascend-db.test.ts has the other bad databases).
      [fixture('sqlite-header.db'), 'The SQLite database cannot be read (database disk image is malformed); it may be truncated or still being written'],
      [fixture('corrupt.json.gz'), 'The gzip data cannot be decompressed (Z_DATA_ERROR)'],
    ];
    const r = tracewise(['analyze', ...cases.map(([path]) => path)]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.err.trim().split('\n')).toEqual(cases.map(([path, problem]) => `tracewise: ${path}: ${problem}`));
  });

  it('gzip-bomb.json.gz: stops at the size limit with a message (--max-inflated-mib)', () => {
    const bomb = fixture('gzip-bomb.json.gz');
    const r = tracewise(['analyze', '--max-inflated-mib', '1', bomb]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([`tracewise: ${bomb}: The file inflates to more than 1 MiB (the limit); it may be a gzip bomb`]);
    // Within the default 4 GiB it is just 16 MiB of whitespace in an array: an empty trace.
    const ok = tracewise(['analyze', '--json', bomb]);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.out) as Summary).events).toBe(0);
  });

  it('--max-inflated-mib needs a number', () => {
    const r = tracewise(['analyze', '--max-inflated-mib', 'lots', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('tracewise: analyze: --max-inflated-mib needs a positive number of MiB');
  });
});

describe('tracewise analyze: damaged traces are read, and say what was skipped', () => {
  const files = {
    deepArgs: built('deep-args-100000-levels.json', deepArgs()),
    deepMetadata: built('deep-metadata-100000-levels.json', deepMetadata()),
    hugeName: built('name-50mb.json', hugeName()),
    hugeArgs: built('args-80mb.json', hugeArgs()),
    nan: fixture('nan-times.json'),
    negative: fixture('negative-times.json'),
    huge: fixture('huge-times.json'),
    unbalanced: fixture('unbalanced-B-E.json'),
    nowhere: fixture('flows-to-nowhere.json'),
    duplicate: fixture('duplicate-flow-ids.json'),
    nonUtf8: fixture('non-utf8.json'),
  };
  const r = tracewise(['analyze', '--json', ...Object.values(files)]);
  const byFile = new Map(
    r.out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Summary)
      .map((j) => [j.file, j]),
  );
  const summary = (path: string): Summary => byFile.get(path)!;
  const warned = (path: string): Record<string, number> => Object.fromEntries(summary(path).warnings.map((w) => [w.code, w.count]));

  it('exit 0, one JSON object per file, no stack trace', () => {
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect([...byFile.keys()]).toEqual(Object.values(files));
  });

  it('deep-args-100000-levels.json and deep-metadata-100000-levels.json: no stack overflow', () => {
    expect(summary(files.deepArgs).slices).toBe(3);
    expect(warned(files.deepArgs)).toEqual({ 'args-dropped': 1 });
    expect(summary(files.deepMetadata).slices).toBe(1);
    expect(summary(files.deepMetadata).warnings[0].message).toMatch(/"deep" is nested more than 100 levels/);
  });

  it('name-50mb.json and args-80mb.json: cut or dropped, events kept', () => {
    expect(summary(files.hugeName).slices).toBe(2);
    expect(warned(files.hugeName)).toEqual({ 'long-string': 1 });
    expect(summary(files.hugeArgs).slices).toBe(2);
    expect(warned(files.hugeArgs)).toEqual({ 'args-dropped': 1 });
  });

  it('nan-times.json, negative-times.json, huge-times.json', () => {
    expect(summary(files.nan).slices).toBe(2);
    expect(warned(files.nan)).toEqual({ 'bad-timestamp': 4, 'bad-duration': 1 });
    expect(summary(files.negative).slices).toBe(3);
    expect(warned(files.negative)).toEqual({ 'bad-duration': 1 });
    expect(summary(files.huge).slices).toBe(2);
    expect(warned(files.huge)).toEqual({ 'bad-timestamp': 3, 'bad-duration': 1 });
  });

  it('unbalanced-B-E.json, flows-to-nowhere.json, duplicate-flow-ids.json, non-utf8.json', () => {
    expect(summary(files.unbalanced).slices).toBe(5);
    expect(warned(files.unbalanced)).toEqual({ 'unmatched-begin': 3, 'unmatched-end': 2 });
    expect(summary(files.nowhere).flows).toBe(2);
    expect(warned(files.nowhere)).toEqual({ 'flow-incomplete': 3, 'flow-unbound': 2 });
    expect(summary(files.duplicate).flows).toBe(2);
    expect(warned(files.duplicate)).toEqual({ 'duplicate-id': 1 });
    expect(summary(files.nonUtf8).slices).toBe(3);
    expect(warned(files.nonUtf8)).toEqual({ 'invalid-utf8': 3 });
  });
});

describe('tracewise analyze: truncated at random points', () => {
  it('keeps the complete events and says how many bytes were dropped', () => {
    // 200 events of known byte ranges, cut at 6 seeded points.
    const events = Array.from({ length: 200 }, (_, i) => `{"ph": "X", "name": "op${i % 5}", "pid": 1, "tid": 1, "ts": ${i * 10}, "dur": 4}`);
    const head = '[\n';
    const text = head + events.join(',\n') + '\n]\n';
    const starts = events.map((_, i) => head.length + events.slice(0, i).reduce((n, e) => n + e.length + 2, 0));
    const cuts = cutPoints(7, 6, starts[0] + 1, text.length - 3);
    const paths = cuts.map((cut) => built(`truncated-at-${cut}.json`, new TextEncoder().encode(text.slice(0, cut))));
    const r = tracewise(['analyze', '--json', ...paths]);
    expect(r.code).toBe(0);
    const got = r.out.trim().split('\n').map((l) => JSON.parse(l) as Summary);
    cuts.forEach((cut, k) => {
      const complete = starts.filter((s, i) => s + events[i].length <= cut).length;
      const next = starts[complete];
      const dropped = next !== undefined && next < cut ? cut - next : 0;
      expect([got[k].events, got[k].truncated, got[k].dropped_bytes], `cut at ${cut}`).toEqual([complete, true, dropped]);
      const message = got[k].warnings.find((w) => w.code === 'truncated')!.message;
      expect(message).toContain(dropped > 0 ? `the last ${dropped} bytes` : `all ${complete} events were read`);
    });
  });
});
