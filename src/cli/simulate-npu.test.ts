/**
 * The committed simulated samples are exactly what `tracewise simulate-npu`
 * produces today (decompressed text and gzip bytes), their manifest entries
 * carry the right digests and are what the command writes (both languages),
 * and bad arguments exit with code 2.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generateScenario } from '../lib/simulate/generate.ts';
import { sampleFileName } from '../lib/simulate/manifest-entry.ts';
import { SCENARIO_NAMES } from '../lib/simulate/scenarios.ts';
import { validateManifest } from '../lib/trace/manifest.ts';
import { run, sampleBytes } from './simulate-npu.ts';

const TRACES = 'public/traces';
const MAX_SAMPLE_BYTES = 3 * 1024 * 1024;
const tmp = mkdtempSync(join(tmpdir(), 'simulate-npu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the command with console output captured. */
async function quiet(argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const e = vi.spyOn(console, 'error').mockImplementation((m: unknown) => void err.push(String(m)));
  const l = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    return { code: await run(argv), err: err.join('\n') };
  } finally {
    e.mockRestore();
    l.mockRestore();
  }
}

function manifestEntries(): Array<{ id: string; file: string; kind: string; sha256: string; command: string }> {
  const out = [];
  for (const f of ['manifest.json', 'manifest.simulated.json']) {
    const p = join(TRACES, f);
    if (existsSync(p)) out.push(...(JSON.parse(readFileSync(p, 'utf8')) as Array<{ id: string; file: string; kind: string; sha256: string; command: string }>));
  }
  return out;
}

describe('committed simulated samples', () => {
  it.each(SCENARIO_NAMES)('%s equals a fresh generation, byte for byte', (name) => {
    const path = join(TRACES, sampleFileName(name));
    const committed = readFileSync(path);
    expect(committed.length).toBeLessThanOrEqual(MAX_SAMPLE_BYTES);
    const fresh = generateScenario(name);
    expect(gunzipSync(committed).toString('utf8') === fresh.json).toBe(true);
    expect(Buffer.compare(committed, sampleBytes(fresh, path))).toBe(0);
  });

  it.each(SCENARIO_NAMES)('%s has a simulated manifest entry with its sha256 and command', (name) => {
    const file = sampleFileName(name);
    const entry = manifestEntries().find((e) => e.file === file);
    expect(entry).toBeDefined();
    expect(entry!.kind).toBe('simulated');
    expect(entry!.sha256).toBe(createHash('sha256').update(readFileSync(join(TRACES, file))).digest('hex'));
    expect(entry!.command).toContain(`simulate-npu --scenario ${name}`);
  });
});

describe('tracewise simulate-npu', () => {
  it('writes the same file as committed, as its manifest command says', async () => {
    const out = join(tmp, 'baseline.json.gz');
    expect((await quiet(['--scenario', 'baseline', '--steps', '2', '--seed', '20251124', '-o', out])).code).toBe(0);
    expect(Buffer.compare(readFileSync(out), readFileSync(join(TRACES, sampleFileName('baseline'))))).toBe(0);
  });

  it('regenerates the committed manifest byte for byte, zh-CN provenance included (README: --all --manifest)', async () => {
    const manifest = join(tmp, 'committed-manifest.json');
    copyFileSync(join(TRACES, 'manifest.json'), manifest);
    expect((await quiet(['simulate-npu', '--all', '-o', join(tmp, 'all'), '--manifest', manifest])).code).toBe(0);
    expect(readFileSync(manifest, 'utf8')).toBe(readFileSync(join(TRACES, 'manifest.json'), 'utf8'));
    const written = JSON.parse(readFileSync(manifest, 'utf8')) as unknown;
    expect(validateManifest(written).problems).toEqual([]);
  });

  it('merges its entries into a manifest without touching the others', async () => {
    const manifest = join(tmp, 'manifest.json');
    writeFileSync(manifest, JSON.stringify([{ id: 'recorded-one', kind: 'recorded' }, { id: 'npu-deepseek-host-bound', kind: 'stale' }]));
    const out = join(tmp, 'hb.json');
    expect((await quiet(['simulate-npu', '--scenario', 'host-bound', '--steps', '1', '-o', out, '--manifest', manifest])).code).toBe(0);
    const list = JSON.parse(readFileSync(manifest, 'utf8')) as Array<{ id: string; kind: string; sha256: string }>;
    expect(list.map((e) => e.id)).toEqual(['recorded-one', 'npu-deepseek-host-bound']);
    expect(list[1].kind).toBe('simulated');
    expect(list[1].sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    // a .json target is written uncompressed
    expect(readFileSync(out, 'utf8').startsWith('[{"ph": ')).toBe(true);
  });

  it.each([
    [['--scenario', 'nope', '-o', 'x.json.gz'], "unknown scenario 'nope'"],
    [['--scenario', 'baseline'], 'missing -o'],
    [['--all', '--scenario', 'baseline', '-o', 'x'], 'exactly one of'],
    [['--scenario', 'baseline', '--steps', '0', '-o', 'x'], '--steps'],
    [['--scenario', 'baseline', '--seed', '-1', '-o', 'x'], '--seed needs a value'],
    [['--frobnicate'], "unknown argument '--frobnicate'"],
  ])('exits 2 with one line on bad input %j', async (argv, message) => {
    const r = await quiet(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err.split('\n').length).toBe(1);
  });

  it('reports an unwritable output as input error, not a stack trace', async () => {
    const blocker = join(tmp, 'file-not-dir');
    writeFileSync(blocker, 'x');
    const r = await quiet(['--scenario', 'baseline', '--steps', '1', '-o', join(blocker, 'out.json.gz')]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n').length).toBe(1);
  });
});
