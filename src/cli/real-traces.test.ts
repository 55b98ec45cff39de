// What the CLI says about the traces learners really have (issue 18): bidi
// controls and invisible characters in trace text show as escapes in the
// human output; a metadata-only trace and duplicate traceEvents keys are
// named in `warnings`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/tracewise.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'tracewise-real-'));

function tracewise(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TRACEWISE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const write = (name: string, text: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

describe('tracewise analyze on hostile text', () => {
  it('shows bidi controls in file names and warnings as visible escapes, never raw', () => {
    const events = [
      { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'main' } },
      { ph: 'X', name: 'a', pid: 1, tid: 1, ts: 0, dur: 5 },
      // An unmatched B: its warning quotes the name.
      { ph: 'B', name: 'scope\u202Egpj.exe', pid: 1, tid: 1, ts: 1 },
    ];
    const path = write('photo\u202Egpj.exe.json', JSON.stringify({ traceEvents: events }));
    const r = tracewise(['analyze', path]);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(r.out).toContain('photo⟨U+202E⟩gpj.exe.json');
    const bad = tracewise(['analyze', write('x\u2066y.json', 'not json')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('x⟨U+2066⟩y.json');
  });
});

describe('tracewise analyze on a metadata-only trace', () => {
  const meta = fileURLToPath(new URL('../lib/trace/fixtures/metadata-only.json', import.meta.url));
  it('--json: warnings say there are no timed events; never "host only"', () => {
    const r = tracewise(['analyze', meta, '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out);
    expect(a.warnings.map((w: { code: string }) => w.code)).toEqual(['no-timed-events']);
    expect(a.warnings[0].message).toMatch(/no event has a time/);
  });
  it('human output says "No timed events at all", not "host only"', () => {
    const r = tracewise(['analyze', meta]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No timed events at all');
    expect(r.out).not.toMatch(/host only/);
  });
});

describe('tracewise analyze on duplicate traceEvents keys', () => {
  it('warnings say both lists were read and merged', () => {
    const r = tracewise(['analyze', fileURLToPath(new URL('../lib/trace/fixtures/duplicate-traceEvents.json', import.meta.url)), '--json']);
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out);
    expect(a.slices).toBe(3);
    const dup = a.warnings.filter((w: { code: string }) => w.code === 'duplicate-key').map((w: { message: string }) => w.message);
    expect(dup[0]).toMatch(/^The file has 2 "traceEvents" lists .*all were read and merged \(2 \+ 1 elements\)/);
    expect(dup[1]).toBe('The top-level key "displayTimeUnit" is written 2 times; the last value was used.');
  });
});
