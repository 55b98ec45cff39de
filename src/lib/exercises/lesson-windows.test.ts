/**
 * What lesson 1's prose and its pack say about the two-stream window (section "Gaps, idle time and who waits
 * for whom": a gap on stream 20 that is not GPU idle), checked on the bundled recording so that the text and
 * the shaded range in the MDX cannot drift from the data. The numbers are the ones in the pack's `$comment`
 * of `rt-find-busy-during-stream-gap`; the widget's `highlights` use the same gap.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyDeviceSlice } from '../analysis/activity.ts';
import { listDevices } from '../analysis/devices.ts';
import { gpuBusy } from '../analysis/gpu-busy.ts';
import { defaultAnalysis as A } from './analysis.ts';
import { resolveQuery } from './query.ts';
import { parsePack, type FindExercise } from './schema.ts';
import { bundledTraceAvailable, loadBundledTrace } from './testing.ts';

const TRACE = '/traces/deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz';
const GAP = { startNs: 15_552_600, endNs: 15_663_607 };
const present = bundledTraceAvailable(TRACE);
if (!present) console.warn(`${TRACE} not in public/: lesson 1's two-stream window not checked`);

const packPath = fileURLToPath(new URL('../../content/exercises/reading-a-timeline.json', import.meta.url));
const parsed = parsePack(JSON.parse(readFileSync(packPath, 'utf8')));
const find = parsed.ok ? (parsed.value.exercises.find((e) => e.id === 'rt-find-busy-during-stream-gap') as FindExercise) : undefined;

describe.skipIf(!present)("lesson 1: the gap on stream 20 that GPU busy covers", () => {
  it('stream 20 has nothing running in the gap, stream 24 neither, and fused_moe_kernel ends it', async () => {
    const m = (await loadBundledTrace(TRACE))!;
    const work = (stream: string) => {
      const out: Array<{ id: number; startNs: number; endNs: number; name: string }> = [];
      for (let t = 0; t < m.tracks.length; t++) {
        if (m.strings[m.tracks.name[t]].trim() !== stream) continue;
        for (let i = m.tracks.sliceStart[t]; i < m.tracks.sliceEnd[t]; i++) {
          const k = classifyDeviceSlice(m, i);
          if (k && k !== 'annotation') out.push({ id: i, startNs: m.slices.startNs[i], endNs: m.slices.startNs[i] + m.slices.durNs[i], name: m.strings[m.slices.name[i]] });
        }
      }
      return out;
    };
    const s20 = work('stream 20');
    const overlaps = (s: { startNs: number; endNs: number }, a: number, b: number) => s.endNs > a && s.startNs < b;
    expect(s20.filter((s) => overlaps(s, GAP.startNs, GAP.endNs))).toEqual([]);
    expect(s20.some((s) => s.endNs === GAP.startNs)).toBe(true);
    const next = s20.find((s) => s.startNs === GAP.endNs)!;
    expect(next.name).toBe('fused_moe_kernel');
    expect(work('stream 24').filter((s) => overlaps(s, 15_450_000, 15_970_000))).toEqual([]);
  });

  it("the exercise's kernel is an all-reduce on stream 16 covering the whole gap, and GPU busy has no hole in it", async () => {
    const m = (await loadBundledTrace(TRACE))!;
    expect(find, 'the exercise is in the pack').toBeDefined();
    const ids = resolveQuery(m, A, find!.target);
    expect(ids.length).toBe(1);
    const k = ids[0];
    expect(m.strings[m.slices.name[k]]).toMatch(/^ncclDevKernel_AllReduce/);
    expect(m.strings[m.tracks.name[m.slices.track[k]]].trim()).toBe('stream 16');
    expect(m.slices.startNs[k]).toBeLessThan(GAP.startNs);
    expect(m.slices.startNs[k] + m.slices.durNs[k]).toBeGreaterThan(GAP.endNs);
    const busy = gpuBusy(m, listDevices(m)[0].key);
    expect(busy.gaps.filter((g) => g.endNs > GAP.startNs && g.startNs < GAP.endNs)).toEqual([]);
  });

  it('the host launches fused_moe_kernel about 102 µs into the gap (stream 20 waits for the host)', async () => {
    const m = (await loadBundledTrace(TRACE))!;
    let launchNs = NaN;
    for (let f = 0; f < m.flows.length; f++) {
      const to = m.flows.toSlice[f];
      if (to >= 0 && m.slices.startNs[to] === GAP.endNs && m.strings[m.slices.name[to]] === 'fused_moe_kernel') launchNs = m.slices.startNs[m.flows.fromSlice[f]];
    }
    expect((launchNs - GAP.startNs) / 1e3).toBeCloseTo(102.2, 1);
    expect((GAP.endNs - launchNs) / 1e3).toBeCloseTo(8.8, 1);
  });
});
