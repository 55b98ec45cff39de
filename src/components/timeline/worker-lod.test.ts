/**
 * The level of detail and the analysis the trace worker builds for a model
 * the page handed in (the synthetic model of bench/frames.mjs): the worker's
 * mipmap equals what SliceLod builds on demand, SliceLod adopts it without
 * merging, and the model travels in pieces (no one big clone).
 */
import { describe, expect, it } from 'vitest';
import { listDevices } from '../../lib/analysis/devices.ts';
import { deviceActivity } from '../../lib/analysis/activity.ts';
import { analysisOf } from '../../lib/worker/client.ts';
import { connectInProcess as connect } from '../../lib/worker/in-process.ts';
import { buildMipmaps, transferablesOfMipmaps } from '../../lib/worker/mipmap.ts';
import { syntheticModel } from './dev/synthetic.ts';
import { IntervalLod, SliceLod } from './lod.ts';
import { intervalLevels, maxLevelOf } from '../../lib/worker/mipmap.ts';


describe('LOD and analysis from the worker for a page model', () => {
  it('builds every level as SliceLod would on demand, and SliceLod adopts them without building any', async () => {
    const model = syntheticModel(60_000, 1);
    const packed = buildMipmaps(model);
    expect(packed.tracks.length).toBeGreaterThan(0);
    const adopted = new SliceLod(model);
    adopted.adopt(packed);
    const onDemand = new SliceLod(model);
    for (const { track, depths } of packed.tracks) {
      for (let d = 0; d < depths.length; d++) {
        for (const perPx of [0.5, 100, 1e4, 1e6, 1e8]) {
          const a: number[] = [];
          const b: number[] = [];
          adopted.forEachVisible(track, d, 0, model.endNs, perPx, (id) => a.push(id));
          onDemand.forEachVisible(track, d, 0, model.endNs, perPx, (id) => b.push(id));
          expect(a).toEqual(b);
        }
      }
      // Adopted levels are the worker's tables: nothing was merged here.
      expect(depths[0].some((l) => l.sameAsLevel !== undefined)).toBe(true);
    }
    expect(transferablesOfMipmaps(packed).length).toBeGreaterThan(0);
  });

  it('analyses a page model through analysisOf without one big clone (pieces), lanes included', async () => {
    const model = syntheticModel(30_000, 1);
    const a = analysisOf(model, { connect });
    const [tracks, lod] = await Promise.all([a.tracks, a.lod]);
    expect(tracks.deviceLanes.map((d) => d.deviceKey)).toEqual(listDevices(model).map((d) => d.key));
    const busy = tracks.deviceLanes[0].lanes[0];
    expect(Array.from(busy.intervals)).toEqual(Array.from(deviceActivity(model, tracks.deviceLanes[0].deviceKey).busy));
    expect(lod.tracks.length).toBe(buildMipmaps(model).tracks.length);
    expect((await a.detectors).firstDetector.length).toBe(model.slices.length);
  });

  it('gives long lanes their gap-closed levels, equal to IntervalLod building them on demand', async () => {
    const model = syntheticModel(100_000, 1);
    const a = analysisOf(model, { connect });
    const tracks = await a.tracks;
    const long = tracks.deviceLanes.flatMap((d) => d.lanes).filter((l) => l.levels);
    expect(long.length).toBeGreaterThan(0);
    for (const lane of long) {
      const adopted = new IntervalLod(lane.intervals);
      adopted.adopt(lane.levels!);
      const onDemand = new IntervalLod(lane.intervals);
      for (const perPx of [1, 300, 1e5, 1e7]) expect(Array.from(adopted.at(perPx))).toEqual(Array.from(onDemand.at(perPx)));
      expect(intervalLevels(lane.intervals, maxLevelOf(model.endNs)).length).toBe(lane.levels!.length);
    }
  });
});
