// The tracewise CLI as a subprocess: exit codes, the --json shape, one-line
// errors and never a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_TRACES, sharedTracesPresent, warnIfAbsent } from '../lib/trace/test-support/shared.ts';

warnIfAbsent();

const BIN = fileURLToPath(new URL('../../bin/tracewise.mjs', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../lib/trace/fixtures/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'tracewise-cli-'));

function tracewise(args: string[], input?: string, node = process.execPath) {
  const r = spawnSync(node, [BIN, ...args], { encoding: 'utf8', input, env: { ...process.env, TRACEWISE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

const noStack = (text: string) => expect(text).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)/m);

describe('tracewise', () => {
  it('--help lists the commands and exits 0', () => {
    const r = tracewise(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: tracewise <command>/);
    for (const c of ['analyze', 'explain', 'slim', 'simulate-npu']) expect(r.out).toContain(c);
  });

  it('no command or an unknown one exits 2 with one line', () => {
    expect(tracewise([]).code).toBe(2);
    const r = tracewise(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual(["tracewise: unknown command 'frobnicate' (try tracewise --help)"]);
  });

  it('says when a command is not in this build', () => {
    if (existsSync(fileURLToPath(new URL('./slim.ts', import.meta.url)))) return; // written elsewhere, now present
    const r = tracewise(['slim', 'x.json']);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe("tracewise: the 'slim' command is not available in this build");
  });

  it('refuses a Node without type stripping, politely', () => {
    const old = '/usr/bin/node';
    if (!existsSync(old)) return;
    const version = spawnSync(old, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const [major, minor] = version.slice(1).split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 18)) return;
    const r = tracewise(['--help'], undefined, old);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs Node\.js 22\.18 or newer/);
  });
});

describe('tracewise analyze', () => {
  it('--json prints one object per file with the agreed fields', () => {
    const r = tracewise(['analyze', '--json', join(FIXTURES, 'flows.json'), join(FIXTURES, 'metadata.json')]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const j of [a, b]) {
      expect(j.schema).toBe('tracewise.analysis/1');
      for (const key of ['file', 'format', 'events', 'tracks', 'span_us', 'warnings', 'devices', 'findings', 'layers', 'steps']) expect(j).toHaveProperty(key);
    }
    // flows.json: 17 events, 2 tracks with slices, ends at 40 µs; 2 incomplete + 1 unbound flow warnings.
    expect(a.events).toBe(17);
    expect(a.tracks).toBe(2);
    expect(a.span_us).toBe(40);
    expect((a.warnings as { code: string }[]).map((w) => w.code).sort()).toEqual(['flow-incomplete', 'flow-unbound']);
    expect(b.format).toBe('kineto');
  });

  it('prints a readable summary', () => {
    const r = tracewise(['analyze', join(FIXTURES, 'truncated-mid-args.json')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/format\s+chrome-json/);
    expect(r.out).toMatch(/events\s+1 \(X 1\)/);
    expect(r.out).toMatch(/truncated: The file ends early/);
  });

  it('reads standard input', () => {
    const r = tracewise(['analyze', '--json', '-'], '[{"ph":"X","name":"a","pid":1,"tid":1,"ts":1,"dur":2}]');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ file: 'stdin', events: 1, span_us: 2 });
  });

  it('bad input: exit 2, one line per file naming the problem and the byte, no stack trace', () => {
    const garbage = file('garbage.json', 'hello world');
    const brokenText = '[{"ph": "X", "ts": 1,, "dur": 2}]';
    const broken = file('broken.json', brokenText);
    const earlyText = '{"schemaVersion": 1, "traceEvents": [';
    const early = file('early.json', earlyText);
    const gz = file('bad.json.gz', new Uint8Array([0x1f, 0x8b, 8, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const missing = join(tmp, 'missing.json');
    const r = tracewise(['analyze', garbage, broken, early, gz, missing, join(FIXTURES, 'flows.json')]);
    expect(r.code).toBe(2);
    noStack(r.err);
    expect(r.err.trim().split('\n')).toEqual([
      `tracewise: ${garbage}: The file does not start like JSON (first byte 'h') (at byte 0)`,
      `tracewise: ${broken}: JSON syntax error: expected a key, found ',' (at byte ${brokenText.indexOf(',,') + 1})`,
      `tracewise: ${early}: The file ends before its first complete trace event (at byte ${earlyText.length})`,
      `tracewise: ${gz}: The gzip data cannot be decompressed (Z_DATA_ERROR)`,
      `tracewise: ${missing}: no such file`,
    ]);
    expect(r.out).toContain('flows.json'); // the good file is still analysed
  });

  it('usage errors exit 2', () => {
    expect(tracewise(['analyze']).code).toBe(2);
    const r = tracewise(['analyze', '--frob', 'x']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('tracewise: analyze: unknown option --frob');
  });
});

describe.skipIf(!sharedTracesPresent)('tracewise analyze on real traces', () => {
  it('reads a gzipped Kineto trace and an Ascend trace', () => {
    const r = tracewise(['analyze', '--json', join(SHARED_TRACES, 'pytorch/hta-triton.json.gz'), join(SHARED_TRACES, 'ascend/train-2rank-level1/rank0/trace_view.json')]);
    expect(r.code).toBe(0);
    const [kineto, ascend] = r.out.trim().split('\n').map((l) => JSON.parse(l) as { format: string; devices: { kind: string }[] });
    expect(kineto.format).toBe('kineto');
    expect(ascend.format).toBe('ascend');
    expect(ascend.devices.map((d) => d.kind)).toContain('npu');
  });
});
