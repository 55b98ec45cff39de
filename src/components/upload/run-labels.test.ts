import { describe, expect, it } from 'vitest';
import type { RunGroup } from '../../lib/analysis/runs.ts';
import { distinctSuffixes, fileLabels } from './run-labels.ts';

const w = { rank: (r: number) => `rank ${r}`, run: (n: number) => `run ${n}` };
const group = (members: number[], ranks: Array<number | null>, folder: string | null = null): RunGroup => ({ members, ranks, folder, worldSize: null });

describe('run labels', () => {
  it('two runs of two ranks each, all files named trace_view.json: run folder and rank, never the bare file name', () => {
    const paths = ['x/a/rank0/trace_view.json', 'x/a/rank1/trace_view.json', 'x/b/rank0/trace_view.json', 'x/b/rank1/trace_view.json'];
    const labels = fileLabels(paths, [group([0, 1], [0, 1], 'a'), group([2, 3], [0, 1], 'b')], w);
    expect(labels).toEqual(['a · rank 0', 'a · rank 1', 'b · rank 0', 'b · rank 1']);
    expect(new Set(labels).size).toBe(4);
  });
  it('one run: ranks only; runs without folder or rank: "run N" and the shortest distinct path', () => {
    expect(fileLabels(['r0.json', 'r1.json'], [group([0, 1], [0, 1])], w)).toEqual(['rank 0', 'rank 1']);
    expect(fileLabels(['p/trace_view.json', 'q/trace_view.json'], [group([0], [null]), group([1], [null])], w)).toEqual(['run 1 · p/trace_view.json', 'run 2 · q/trace_view.json']);
  });
  it('shortest distinguishing suffix', () => {
    expect(distinctSuffixes(['a/x/t.json', 'b/x/t.json', 'c/u.json'])).toEqual(['a/x/t.json', 'b/x/t.json', 'u.json']);
  });
});
