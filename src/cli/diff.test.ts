// `tracewise diff` as a subprocess: the tracewise.diff/1 JSON against diffRuns
// in-process, the table, and bad input (exit 2, one line, no stack trace).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffRuns } from '../lib/analysis/diff.ts';
import { analysisReport } from '../lib/analysis/report.ts';
import { DETECTOR_NAMES } from '../lib/analysis/detectors/index.ts';
import { loadTraceFile } from './files.ts';

const BIN = fileURLToPath(new URL('../../bin/tracewise.mjs', import.meta.url));
const TRACES = fileURLToPath(new URL('../../public/traces/', import.meta.url));
const AR = join(TRACES, 'deepseek-v3-shape-allreduce-ws2-rank0-1gpu-h200.json.gz');
const RSAG = join(TRACES, 'deepseek-v3-shape-rs-ag-ws2-rank0-1gpu-h200.json.gz');
const NPU = join(TRACES, 'npu-deepseek-baseline.json.gz');
const tmp = mkdtempSync(join(tmpdir(), 'tracewise-diff-'));

function tracewise(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TRACEWISE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface CountUs {
  count: number;
  total_us: number;
}

describe('tracewise diff', () => {
  it('--json: schema tracewise.diff/1; steps are analyze’s dur_us; kernels and findings as diffRuns finds them', async () => {
    const r = tracewise(['diff', AR, RSAG, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.schema).toBe('tracewise.diff/1');
    expect(j.a).toMatchObject({ file: AR, format: 'kineto' });
    expect(j.b).toMatchObject({ file: RSAG, format: 'kineto' });
    const [a, b] = await Promise.all([loadTraceFile(AR), loadTraceFile(RSAG)]);
    // a_us / b_us are the step durations analyze reports.
    const ra = analysisReport(a).steps;
    const rb = analysisReport(b).steps;
    expect(j.steps.length).toBeGreaterThan(0);
    for (const s of j.steps) {
      expect(Object.keys(s).sort()).toEqual(['a_name', 'a_us', 'b_name', 'b_us', 'delta_us']);
      expect(s.a_us).toBe(ra.find((x) => x.name === s.a_name)!.dur_us);
      expect(s.b_us).toBe(rb.find((x) => x.name === s.b_name)!.dur_us);
    }
    const d = diffRuns(a, b);
    expect(j.kernels.map((k: { name: string }) => k.name)).toEqual(d.kernels.map((k) => k.name));
    const sumA = j.kernels.reduce((s: number, k: { a: CountUs }) => s + k.a.count, 0);
    expect(sumA).toBe(j.kernel_totals.a.count);
    expect(Object.keys(j.findings)).toEqual([...DETECTOR_NAMES]);
    expect(j.findings.all_reduce.a.count).toBeGreaterThan(0);
    expect(j.findings.all_reduce.delta.count).toBe(-j.findings.all_reduce.a.count);
    expect(j.devices).toHaveLength(1);
    expect(j.devices[0]).toMatchObject({ a_id: 'gpu:0', b_id: 'gpu:0' });
    for (const k of ['computing_us', 'communication_us', 'communication_not_overlapped_us', 'free_us', 'overlap_ratio']) expect(j.devices[0].a).toHaveProperty(k);
  });

  it('prints a readable table by default', () => {
    const r = tracewise(['diff', AR, RSAG]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^A: .*allreduce.*\(kineto\)$/m);
    expect(r.out).toMatch(/^\s+ProfilerStep#1\s+[\d.]+ ms\s+[\d.]+ ms\s+[+-][\d.]+ ms$/m);
    expect(r.out).toMatch(/^\s+ncclDevKernel_AllReduce\S*\s+17 · /m);
    expect(r.out).toMatch(/Communication\(Not Overlapped\)/);
  });

  it('runs of different formats still compare, with notes', () => {
    const r = tracewise(['diff', AR, NPU, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.notes.map((n: { code: string }) => n.code)).toContain('formats-differ');
    expect(j.devices[0]).toMatchObject({ a_id: 'gpu:0', b_id: 'npu:0' });
    const text = tracewise(['diff', AR, NPU]);
    expect(text.out).toMatch(/^Notes:$/m);
  });

  it('bad input: exit 2, one line per file, no stack trace', () => {
    const garbage = join(tmp, 'garbage.json');
    writeFileSync(garbage, 'hello world');
    const r = tracewise(['diff', AR, garbage]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toEqual([`tracewise: ${garbage}: The file does not start like JSON (first byte 'h') (at byte 0)`]);
    const one = tracewise(['diff', AR]);
    expect(one.code).toBe(2);
    expect(one.err.split('\n')[0]).toBe('tracewise: diff: needs two trace files, got 1');
    expect(tracewise(['diff', AR, RSAG, '--frob']).code).toBe(2);
  });
});
