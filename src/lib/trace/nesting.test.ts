/**
 * Nesting means "called by" on host threads only. On device streams,
 * overlapping tasks are parallel work laid out side by side (no parent); a
 * mirrored host range (gpu_user_annotation) is still their container.
 * Fixture `device-parallel-tasks.json` and the real Ascend trace, whose HCCL
 * step issues seven SDMA sub-tasks 260–560 ns apart, each inside the span of
 * the one before (they used to be drawn as a 7-deep call stack).
 */
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load.ts';
import type { TraceModel } from './model.ts';
import { fixture } from './test-support/fixtures.ts';
import { loadShared, skipReason, tracesPresent } from '../analysis/testing-real.ts';

const nameOf = (m: TraceModel, s: number) => m.strings[m.slices.name[s]];
const byName = (m: TraceModel, n: string) => [...Array(m.slices.length).keys()].find((s) => nameOf(m, s) === n)!;

/** No two slices on one row of a track overlap. */
function rowsAreDisjoint(m: TraceModel, t: number): boolean {
  const lastEnd = new Map<number, number>();
  for (let s = m.tracks.sliceStart[t]; s < m.tracks.sliceEnd[t]; s++) {
    const d = m.slices.depth[s];
    if ((lastEnd.get(d) ?? -Infinity) > m.slices.startNs[s]) return false;
    lastEnd.set(d, m.slices.startNs[s] + m.slices.durNs[s]);
  }
  return true;
}

describe('nesting on device streams (device-parallel-tasks.json)', () => {
  it('host calls nest; device tasks inside another task are parallel, inside an annotation nested', async () => {
    const m = await loadTrace(fixture('device-parallel-tasks.json'));
    const parentName = (n: string) => {
      const p = m.slices.parent[byName(m, n)];
      return p >= 0 ? nameOf(m, p) : null;
    };
    expect(parentName('inner-call')).toBe('outer-call');
    // All three tasks sit in the annotation, none inside another task.
    expect(parentName('long-task')).toBe('scope-on-stream');
    expect(parentName('task-inside-long')).toBe('scope-on-stream');
    expect(parentName('task-inside-both')).toBe('scope-on-stream');
    expect(parentName('after')).toBe('scope-on-stream');
    // Side by side: each on its own row below the annotation.
    const depth = (n: string) => m.slices.depth[byName(m, n)];
    expect([depth('scope-on-stream'), depth('long-task'), depth('task-inside-long'), depth('task-inside-both'), depth('after')]).toEqual([0, 1, 2, 3, 1]);
    for (let t = 0; t < m.tracks.length; t++) expect(rowsAreDisjoint(m, t)).toBe(true);
    // Being inside another task's span is not a problem worth a warning.
    expect(m.stats.warnings.filter((w) => /overlap another slice/.test(w.message))).toEqual([]);
  });
});

describe.skipIf(!tracesPresent)('nesting on the real Ascend trace', () => {
  if (!tracesPresent) it.skip(skipReason(), () => {});
  it('SDMA sub-tasks that share a hardware stream are parallel: no parent, rows still disjoint', async () => {
    const m = await loadShared('ascend/train-2rank-level1/rank0/trace_view.json');
    const sdma = [...Array(m.slices.length).keys()].filter((s) => nameOf(m, s) === 'SDMA');
    expect(sdma.length).toBeGreaterThan(7);
    // The case that was drawn as a call stack: an SDMA entirely inside another SDMA's span on the same stream.
    const end = (s: number) => m.slices.startNs[s] + m.slices.durNs[s];
    const inside = sdma.filter((s) => sdma.some((o) => o !== s && m.slices.track[o] === m.slices.track[s] && m.slices.startNs[o] <= m.slices.startNs[s] && end(s) <= end(o)));
    expect(inside.length).toBeGreaterThan(0);
    for (const s of sdma) expect(m.slices.parent[s], `SDMA ${s}`).toBe(-1);
    // Every slice on the NPU's streams and HCCL lanes: no parent at all (the trace has no annotations there).
    for (let s = 0; s < m.slices.length; s++) {
      const kind = m.processes.kind[m.tracks.process[m.slices.track[s]]];
      if (kind === 'npu' || kind === 'comm') expect(m.slices.parent[s]).toBe(-1);
    }
    for (let t = 0; t < m.tracks.length; t++) expect(rowsAreDisjoint(m, t), `track ${t}`).toBe(true);
    // Host threads still nest: the Python stack has parents.
    const hostWithParent = [...Array(m.slices.length).keys()].filter((s) => m.processes.kind[m.tracks.process[m.slices.track[s]]] === 'host' && m.slices.parent[s] >= 0);
    expect(hostWithParent.length).toBeGreaterThan(1000);
  });
});
