/**
 * Instant markers: the level of detail (how many instants become one marker,
 * with the right count), hit-testing a marker as drawn, the details a learner
 * reads, and the row the layout gives them. Models come from the real loader
 * reading small Chrome JSON texts, one per case; the real Kineto trace's two
 * global markers are checked when ../shared/traces is present.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTrace } from '../../lib/trace/load.ts';
import { InstantLod, MARKER_PX, instantDetails } from './instants.ts';
import { hitTest } from './hit-test.ts';
import { AXIS_PX, GROUP_HEADER_PX, INSTANT_ROW_PX, buildGroups, layoutRows } from './layout.ts';
import { SliceLod } from './lod.ts';

const load = (events: object[]) => loadTrace(new TextEncoder().encode(JSON.stringify({ traceEvents: events })));
const T = { pid: 1, tid: 1 };

/** 1000 instants 1 µs apart on one thread, beside one slice, and one instant with args on a second thread. */
async function denseInstants() {
  const events: object[] = [{ ph: 'X', name: 'step', ts: 0, dur: 1000, ...T }];
  for (let i = 0; i < 1000; i++) events.push({ ph: 'i', name: `tick ${i}`, ts: i, s: 't', ...T });
  events.push({ ph: 'I', name: 'cudaDeviceSynchronize', cat: 'cuda_runtime', ts: 500, s: 't', pid: 1, tid: 2, args: { stream: 7, note: '<b>text</b>' } });
  return load(events);
}

describe('InstantLod', () => {
  it('draws one marker per instant when they are 2 × MARKER_PX apart or more (buckets are powers of two ≥ MARKER_PX)', async () => {
    const m = await denseInstants();
    const lod = new InstantLod(m);
    const t = m.instants.track[0];
    const seen: number[] = [];
    // 1 µs apart at 1000/(2·MARKER_PX) ns per px: 2·MARKER_PX px apart, buckets of 512 ns.
    lod.forEachMarker(t, 0, 100_000, 1000 / (2 * MARKER_PX), (_, n) => seen.push(n));
    expect(seen.length).toBe(101);
    expect(seen.every((n) => n === 1)).toBe(true);
  });

  it('merges the instants of a bucket into one marker carrying their count, O(pixels) markers for the whole trace', async () => {
    const m = await denseInstants();
    const lod = new InstantLod(m);
    const t = m.instants.track[0];
    const widthPx = 200;
    const perPx = 1_000_000 / widthPx; // the 1 ms trace across 200 px: 5 µs per px, 1000 instants
    const markers: Array<[number, number]> = [];
    lod.forEachMarker(t, 0, 1_000_000, perPx, (id, n) => markers.push([id, n]));
    expect(markers.length).toBeLessThanOrEqual(widthPx / MARKER_PX + 1);
    expect(markers.length).toBeGreaterThan(widthPx / MARKER_PX / 2);
    // Every instant is counted once.
    expect(markers.reduce((a, [, n]) => a + n, 0)).toBe(1000);
    // Each marker's first instant is the earliest of its run, markers in time order.
    const ts = markers.map(([id]) => m.instants.tsNs[id]);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(ts[0]).toBe(0);
  });

  it('hit-tests the marker as drawn, with its count, and nothing in the gaps', async () => {
    const m = await denseInstants();
    const lod = new InstantLod(m);
    const t = m.instants.track[0];
    const fine = lod.hit(t, 3_100, 400, 1000 / MARKER_PX);
    expect(m.strings[m.instants.name[fine!.id]]).toBe('tick 3');
    expect(fine!.count).toBe(1);
    const coarse = lod.hit(t, 0, 30_000, 5000);
    expect(coarse!.count).toBeGreaterThan(1);
    const other = m.instants.track[1000];
    expect(lod.hit(other, 200_000, 1000, 1000)).toBeNull();
    expect(lod.hit(other, 500_300, 1000, 1000)?.id).toBe(1000);
  });

  it('gives the details panel name, category, place, exact time and args as text', async () => {
    const m = await denseInstants();
    const d = instantDetails(m, 1000, 1);
    expect(d.name).toBe('cudaDeviceSynchronize');
    expect(d.category).toBe('cuda_runtime');
    expect(d.tsNs).toBe(500_000);
    expect(d.where).toMatch(/2$/);
    expect(d.args).toEqual([
      ['stream', '7'],
      ['note', '<b>text</b>'],
    ]);
  });
});

describe('instant rows in the layout and hit test', () => {
  it('puts an instants row above the slices of the same track and finds its marker under the pointer', async () => {
    const m = await denseInstants();
    const groups = buildGroups(m);
    const rows = groups.flatMap((g) => g.rows);
    expect(rows.map((r) => r.source.kind)).toEqual(['instants', 'slices', 'instants']);
    const layout = layoutRows(groups, new Set(), new Set());
    const viewport = { startNs: 0, endNs: 1_000_000, widthPx: 1000 }; // 1 µs per px: 1000 ns/px, markers merge by 8
    const frame = { layout, scrollTopPx: 0, viewport, lod: new SliceLod(m), instants: new InstantLod(m) };
    const y = AXIS_PX + GROUP_HEADER_PX + INSTANT_ROW_PX / 2;
    const hit = hitTest(frame, 16, y);
    expect(hit.row?.row.source.kind).toBe('instants');
    expect(hit.instant).not.toBeNull();
    expect(hit.instant!.count).toBeGreaterThan(1);
    expect(m.instants.tsNs[hit.instant!.id]).toBeLessThanOrEqual(16_000 + 6_000);
    // The slice row below is still hit as slices.
    expect(hitTest(frame, 16, y + INSTANT_ROW_PX + 6).sliceId).toBe(0);
  });
});

const ALEXNET = resolve(process.cwd(), '../shared/traces/pytorch/hta-alexnet-cuda-sync.json.gz');
describe.skipIf(!existsSync(ALEXNET))('real Kineto instants (hta-alexnet-cuda-sync)', () => {
  it('shows the profiler’s two global markers as instant rows', async () => {
    const m = await loadTrace(new Uint8Array(readFileSync(ALEXNET)));
    const lod = new InstantLod(m);
    const names = lod.tracksWithInstants().flatMap((t) => {
      const out: string[] = [];
      lod.forEachMarker(t, 0, m.endNs, 1, (id) => out.push(m.strings[m.instants.name[id]]));
      return out;
    });
    expect(names.sort()).toEqual(['Iteration Start: PyTorch Profiler', 'Record Window End']);
    const instantRows = buildGroups(m).flatMap((g) => g.rows).filter((r) => r.source.kind === 'instants');
    expect(instantRows.length).toBe(lod.tracksWithInstants().length);
  });
});
