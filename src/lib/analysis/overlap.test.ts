import { describe, expect, it } from 'vitest';
import { buildModel } from './testing.ts';
import { overlappingStreams } from './fixtures/overlapping-streams.ts';
import { ascendMini } from './fixtures/ascend-mini.ts';
import { emptyDevice } from './fixtures/empty-device.ts';
import { overlapForDevice, overlapTrack, overlapTracks } from './overlap.ts';
import { trackCoverage } from './coverage.ts';
import { toPairs } from './intervals.ts';
import { listDevices } from './devices.ts';

describe('overlap on handmade models', () => {
  it('overlapping-streams: the four categories over the active span (see the fixture comment)', () => {
    const m = buildModel(overlappingStreams);
    const o = overlapForDevice(m, 'gpu:0');
    expect(o.computingNs).toBe(30);
    expect(o.communicationNs).toBe(20);
    expect(o.communicationNotOverlappedNs).toBe(10);
    expect(o.overlappedNs).toBe(10);
    expect([o.spanStartNs, o.spanEndNs, o.spanNs]).toEqual([0, 60, 60]);
    expect(o.freeNs).toBe(20);
    expect(o.overlapRatio).toBe(0.5);
    expect(toPairs(o.lanes.communicationNotOverlapped)).toEqual([[10, 20]]);
    expect(toPairs(o.lanes.free)).toEqual([[30, 50]]);
  });

  it('overlapping-streams: a range clips every lane and becomes the span', () => {
    const m = buildModel(overlappingStreams);
    const o = overlapForDevice(m, 'gpu:0', { startNs: 8, endNs: 45 });
    // computing [8,10) ∪ [20,30) = 12; comm [8,25) = 17; not overlapped [10,20) = 10; free [30,45) = 15
    expect([o.computingNs, o.communicationNs, o.communicationNotOverlappedNs, o.freeNs, o.spanNs]).toEqual([
      12, 17, 10, 15, 37,
    ]);
    expect(o.computingNs + o.communicationNotOverlappedNs + o.freeNs).toBe(o.spanNs);
  });

  it('ascend-mini: DSA tasks compute, HCCL Plane and Notify Wait do not, written lane ignored', () => {
    const m = buildModel(ascendMini);
    expect(listDevices(m).map((d) => d.key)).toEqual(['npu:0']);
    const o = overlapForDevice(m, 'npu:0');
    expect([o.computingNs, o.communicationNs, o.communicationNotOverlappedNs, o.freeNs, o.spanNs]).toEqual([
      25, 20, 10, 15, 50,
    ]);
  });

  it('empty-device: a device with only an annotation has zero work and no ratio', () => {
    const m = buildModel(emptyDevice);
    expect(listDevices(m).map((d) => d.key)).toEqual(['gpu:0']);
    const o = overlapForDevice(m, 'gpu:0');
    expect([o.computingNs, o.communicationNs, o.freeNs, o.spanNs]).toEqual([0, 0, 0, 0]);
    expect(o.overlapRatio).toBeNull();
  });

  it('synthetic Overlap Analysis track has the four lanes in Ascend order', () => {
    const m = buildModel(overlappingStreams);
    const t = overlapTrack(m, 'gpu:0');
    expect(t.lanes.map((l) => [l.name, l.totalNs])).toEqual([
      ['Computing', 30],
      ['Communication', 20],
      ['Communication(Not Overlapped)', 10],
      ['Free', 20],
    ]);
  });
});

describe('coverage', () => {
  it('unions depth-0 slices of the given tracks, clipped to a range', () => {
    const m = buildModel(overlappingStreams);
    // stream 7: [0,10) [20,40) [50,60); stream 9: [5,25)
    expect(toPairs(trackCoverage(m, [0, 1]))).toEqual([[0, 40], [50, 60]]);
    expect(toPairs(trackCoverage(m, [0], { startNs: 5, endNs: 55 }))).toEqual([[5, 10], [20, 40], [50, 55]]);
    expect(overlapTracks(m).map((t) => t.label)).toEqual(['Overlap Analysis (GPU 0)']);
  });
});
