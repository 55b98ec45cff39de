// `tracewise analyze R0 R1 --json`: the per-file lines unchanged, then one line
// saying which files are ranks of one run and who waited for whom. Expected
// waits and transfers are recomputed here from the arrivals and ends the line
// itself reports, and from the raw HCCL ops of the Ascend pair.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nsOf, rawEvents } from '../lib/analysis/testing-real.ts';
import { SHARED_TRACES, sharedTracesPresent, warnIfAbsent } from '../lib/trace/test-support/shared.ts';
import type { RunsJson } from './ranks.ts';

warnIfAbsent();

const BIN = fileURLToPath(new URL('../../bin/tracewise.mjs', import.meta.url));
const tracewise = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TRACEWISE_DEBUG: '' } });
const ASCEND = ['ascend/train-2rank-level1/rank0/trace_view.json', 'ascend/train-2rank-level1/rank1/trace_view.json.gz'];

describe.skipIf(!sharedTracesPresent)('tracewise analyze: ranks', () => {
  it('the Ascend pair: two per-file lines, then one run whose every HCCL op is matched and split at the last arrival', () => {
    const r = tracewise(['analyze', ...ASCEND.map((f) => join(SHARED_TRACES, f)), '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.schema)).toEqual(['tracewise.analysis/1', 'tracewise.analysis/1', 'tracewise.ranks/1']);
    const runs = lines[2] as RunsJson;
    expect(runs.runs.map((x) => [x.files, x.ranks])).toEqual([[[0, 1], [0, 1]]]);
    const ranks = runs.ranks!;
    expect(ranks.aligned_by).toBe('absolute');
    expect(ranks.same_host).toBeNull(); // rank0/trace_view.json names no host
    // HCCL ops on each rank, from the raw files.
    const raw = ASCEND.map((f) => rawEvents(f).filter((e) => e.ph === 'X' && String(e.name).startsWith('hcom_')));
    expect(raw.map((x) => x.length)).toEqual([ranks.collectives.length, ranks.collectives.length]);
    expect(ranks.matched).toBe(raw[0].length);
    for (const c of ranks.collectives) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'group', 'index', 'arrive_us', 'end_us', 'wait_us', 'transfer_us', 'last_rank']));
      const last = Math.max(...c.arrive_us);
      c.arrive_us.forEach((a, k) => {
        expect(c.wait_us[k]).toBeCloseTo(Math.max(0, Math.min(last, c.end_us[k]) - a), 2);
        expect(c.transfer_us[k]).toBeCloseTo(Math.max(0, c.end_us[k] - Math.max(a, last)), 2);
      });
      expect(c.last_rank).toBe(c.arrive_us.indexOf(last));
      // Each rank's op of this index lasts arrive → end.
      raw.forEach((ops, k) => {
        const op = ops.find((e) => e.name === `hcom_allReduce__586_${c.index}_1`)!;
        expect(c.end_us[k] - c.arrive_us[k]).toBeCloseTo(Number(nsOf(op.dur)) / 1000, 2);
      });
    }
    const sum = (k: number, key: 'wait_us' | 'transfer_us') => ranks.collectives.reduce((s, c) => s + c[key][k], 0);
    expect(ranks.summary.wait_us[0]).toBeCloseTo(sum(0, 'wait_us'), 2);
    expect(ranks.summary.transfer_us[1]).toBeCloseTo(sum(1, 'transfer_us'), 2);
    expect(ranks.summary.last_count.reduce((a, b) => a + b, 0) + ranks.summary.undecided).toBe(ranks.collectives.length);
  });

  it('a rank of one run and a trace of another: two runs, no ranks to compare', () => {
    const r = tracewise(['analyze', join(SHARED_TRACES, 'pytorch/hta-sampled-rank0.json.gz'), join(SHARED_TRACES, 'pytorch/kineto-resnet50-2021.json.gz'), '--json']);
    expect(r.status).toBe(0);
    const runs = JSON.parse(r.stdout.trim().split('\n')[2]) as RunsJson;
    expect(runs.runs.map((x) => x.files)).toEqual([[0], [1]]);
    expect(runs.ranks).toBeNull();
    const human = tracewise(['analyze', join(SHARED_TRACES, 'pytorch/hta-sampled-rank0.json.gz'), join(SHARED_TRACES, 'pytorch/kineto-resnet50-2021.json.gz')]);
    expect(human.stdout).toContain('2 runs, not ranks of one run');
  });
});
