// Read helpers over small fixtures; expectations follow from the fixture lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from './load.ts';
import {
  ancestorsOf, argsAt, countersOfTrack, endNsOf, flowsOfSlice, processOfTrack, processTitle, sliceArgs, sliceAt, sliceCat, sliceName,
  slicesNamed, slicesOfTrack, str, trackLabel, tracksOfProcess,
} from './query.ts';

const load = (name: string) => loadTrace(new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url))));

describe('query helpers', () => {
  it('name, category, args, end and ancestry of slices', async () => {
    const m = await load('unmatched-E.json');
    expect(str(m, -1)).toBe('');
    expect(sliceName(m, 1)).toBe('inner');
    expect(sliceCat(m, 1)).toBe('');
    expect(sliceArgs(m, 1)).toEqual({ k: 1 });
    expect(sliceArgs(m, 1)).toBe(sliceArgs(m, 1)); // parsed once, cached
    expect(sliceArgs(m, 0)).toBeNull();
    expect(argsAt(m, -1)).toBeNull();
    expect(endNsOf(m, 0)).toBe(30000);
    expect(ancestorsOf(m, 1)).toEqual([0]);
    expect(slicesNamed(m, 'last')).toEqual([3]);
    expect(slicesNamed(m, 'nothing')).toEqual([]);
  });

  it('tracks, processes and labels', async () => {
    const m = await load('metadata.json');
    // Processes: 0 = pid 100 "python3" (CPU), 1 = pid 0 "python3" labelled GPU 0.
    expect(processTitle(m, 0)).toBe('python3');
    expect(processTitle(m, 1)).toBe('GPU 0');
    expect(trackLabel(m, 2)).toBe('GPU 0 · stream 7');
    expect(trackLabel(m, 0)).toBe('python3 · worker');
    expect(processOfTrack(m, 2)).toBe(1);
    expect(tracksOfProcess(m, 0)).toEqual([0, 1]);
    expect(slicesOfTrack(m, 1)).toEqual({ start: 1, end: 2 });
  });

  it('finds the slice under a time and the flows of a slice', async () => {
    const m = await load('flows.json');
    const kernelTrack = m.slices.track[slicesNamed(m, 'kernel')[0]];
    expect(sliceName(m, sliceAt(m, kernelTrack, 22000))).toBe('kernel');
    expect(sliceAt(m, kernelTrack, 27000)).toBe(-1); // between kernel (ends 25) and kernel2 (starts 30)
    const launch = slicesNamed(m, 'launch')[0];
    const { outgoing, incoming } = flowsOfSlice(m, launch);
    expect(outgoing.length).toBe(5); // ac2g, two HostToDevice, next, chain's first arrow
    expect(incoming).toEqual([]);
  });

  it('counter samples of one track', async () => {
    const m = await load('counters.json');
    expect(countersOfTrack(m, 1)).toEqual({ start: 2, end: 4 });
    expect(countersOfTrack(m, 4)).toEqual({ start: 6, end: 7 });
  });
});
