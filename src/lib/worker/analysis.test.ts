// The worker's analysis end to end over a real MessageChannel: the load and
// the analysis in one worker, results in typed arrays that match lib/analysis
// run in place, and the page's memo primed so exercises do not run it again.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { SEGMENT_BYTES, argsTableOf, argsText } from '../trace/args.ts';
import { runDetectors } from '../analysis/detectors/index.ts';
import { stepTraceTime } from '../analysis/step-trace.ts';
import { listDevices } from '../analysis/devices.ts';
import { overlapForDevice, overlapTrack } from '../analysis/overlap.ts';
import { deviceActivity, sliceKinds } from '../analysis/activity.ts';
import { findSteps } from '../analysis/structure.ts';
import { TRACES_DIR, skipReason, tracesPresent } from '../analysis/testing-real.ts';
import { analysisOf, openTraceWithAnalysis } from './client.ts';
import { connectInProcess as connect } from './in-process.ts';
import { WORK_KINDS, analyzeDetectors, analyzeTracks, detectorHitsOf, transferablesOfDetectors, transferablesOfTracks, unpackDetectors } from './analysis.ts';
import { buildMipmaps } from './mipmap.ts';
import { launchLinks } from '../analysis/links.ts';
import { DETECTOR_NAMES } from '../analysis/detectors/index.ts';
import { retargetExercises } from '../exercises/retarget.ts';
import { defaultAnalysis } from '../exercises/analysis.ts';
import { SHARED_TRACE_FILES, sharedBytes, sharedTracesPresent } from '../trace/test-support/shared.ts';
import { CHUNK_ELEMENTS, CHUNK_STRINGS, ModelAssembler, modelPieces } from './model-pieces.ts';


const NCCL = resolve(TRACES_DIR, 'pytorch/hta-nccl-data.json.gz');
const haveNccl = tracesPresent && existsSync(NCCL);
if (!haveNccl) console.log(`analysis.test: ${skipReason()}`);

/** What lib/analysis says when run in place on the same bytes. */
async function inPlace(bytes: Uint8Array): Promise<TraceModel> {
  return loadTrace(bytes);
}

describe.skipIf(!haveNccl)('analysis in the worker (hta-nccl-data, real Kineto with NCCL)', () => {
  const bytes = haveNccl ? new Uint8Array(readFileSync(NCCL)) : new Uint8Array();

  it('posts the model, then lanes and work kinds equal to lib/analysis in place, as typed arrays', async () => {
    const direct = await inPlace(bytes);
    const opened = openTraceWithAnalysis(bytes, { connect });
    const model = await opened.model;
    expect(model.slices.length).toBe(direct.slices.length);
    const tracks = await opened.tracks;
    expect(tracks.failures).toEqual([]);
    expect(tracks.workKindCodes).toBeInstanceOf(Int8Array);
    const kinds = sliceKinds(direct);
    const decoded = Array.from(tracks.workKindCodes, (c) => (c < 0 ? null : WORK_KINDS[c]));
    expect(decoded).toEqual(kinds);
    expect(decoded.filter((k) => k === 'communication').length).toBeGreaterThan(0);
    const devices = listDevices(direct);
    expect(tracks.deviceLanes.map((d) => d.deviceKey)).toEqual(devices.map((d) => d.key));
    for (const d of tracks.deviceLanes) {
      const expected = overlapTrack(direct, d.deviceKey).lanes;
      const names = d.lanes.map((l) => l.name);
      expect(names).toEqual([...(d.deviceKind === 'gpu' ? ['GPU busy'] : []), ...expected.map((l) => l.name)]);
      if (d.deviceKind === 'gpu') expect(Array.from(d.lanes[0].intervals)).toEqual(Array.from(deviceActivity(direct, d.deviceKey).busy));
      for (const l of expected) {
        const got = d.lanes.find((x) => x.name === l.name)!;
        expect(got.intervals).toBeInstanceOf(Float64Array);
        expect(Array.from(got.intervals)).toEqual(Array.from(l.intervals));
        expect(got.totalNs).toBe(l.totalNs);
      }
    }
    expect(tracks.steps).toEqual(findSteps(direct));
  });

  it('sends detector matches that unpack to runDetectors in place, and primes the page memo with them', async () => {
    const direct = await inPlace(bytes);
    const opened = openTraceWithAnalysis(bytes, { connect });
    const model = await opened.model;
    const packed = await opened.detectors;
    expect(packed.failure).toBeUndefined();
    const expected = runDetectors(direct);
    const unpacked = unpackDetectors(packed)!;
    for (const name of Object.keys(expected) as Array<keyof typeof expected>) {
      expect(unpacked[name].slices).toEqual(expected[name].slices);
      expect(unpacked[name].reasons).toEqual(expected[name].reasons);
      expect(unpacked[name].confidence).toEqual(expected[name].confidence);
      expect(unpacked[name].totalNs).toBe(expected[name].totalNs);
    }
    expect(expected.all_reduce.count + expected.all_gather.count + expected.reduce_scatter.count).toBeGreaterThan(0);
    // The page's runDetectors(model) now answers from the worker's result (lazy getters), not a second pass.
    // Steps and devices too (the exercise checkers' other per-model passes).
    expect(findSteps(model)).toBe((await opened.tracks).steps);
    expect(listDevices(model)).toBe((await opened.tracks).devices);
    const onPage = runDetectors(model);
    expect(Object.getOwnPropertyDescriptor(onPage, 'all_reduce')?.get).toBeTypeOf('function');
    expect(onPage.all_reduce.slices).toEqual(expected.all_reduce.slices);
    // First detector per slice, and the details-panel lookup.
    const hitId = expected.all_reduce.slices[0] ?? expected.all_gather.slices[0];
    expect(packed.firstDetector[hitId]).toBeGreaterThanOrEqual(0);
    expect(detectorHitsOf(packed, hitId).map((h) => h.detector)).toContain(packed.detectors[packed.firstDetector[hitId]].name);
    expect(analysisOf(model).detectors).toBe(opened.detectors);
  });

  it('analyses a model the page built itself through an analyze request', async () => {
    const direct = await inPlace(bytes);
    const a = analysisOf(direct, { connect });
    const tracks = await a.tracks;
    expect(tracks.deviceLanes.length).toBe(listDevices(direct).length);
    expect((await a.detectors).detectors.length).toBe(Object.keys(runDetectors(direct)).length);
    // The page's model still has its arrays (the request sent a copy).
    expect(direct.slices.startNs.length).toBe(direct.slices.length);
  });
});

describe('analysis result shape', () => {
  it('lists each buffer once, none shared with the model, and analyses a CPU-only fixture without failing', async () => {
    const m = await loadTrace(new Uint8Array(readFileSync(new URL('../trace/fixtures/flows.json', import.meta.url))));
    const t = analyzeTracks(m);
    expect(t.failures).toEqual([]);
    expect(t.deviceLanes).toEqual([]);
    expect(Array.from(t.workKindCodes).every((c) => c === -1)).toBe(true);
    const d = analyzeDetectors(m);
    expect(d.firstDetector.length).toBe(m.slices.length);
    const buffers = [...transferablesOfTracks(t), ...transferablesOfDetectors(d)];
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers).not.toContain(m.slices.startNs.buffer);
  });
});

describe('a page model sent in pieces, and the slice mipmap from the worker', () => {
  it('reassembles the model exactly: typed arrays copied, big string arrays chunked', async () => {
    const m = await loadTrace(new Uint8Array(readFileSync(new URL('../trace/fixtures/flows.json', import.meta.url))));
    // A big string array, as flow ids are in real traces, and args bytes in several segments.
    const n = CHUNK_ELEMENTS * 2 + 3;
    const ids = Array.from({ length: CHUNK_STRINGS * 2 + 7 }, (_, i) => String(i));
    const argTexts = Array.from({ length: 3 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat((SEGMENT_BYTES >> 1) + 1)}"}`);
    const big = { ...m, flows: { ...m.flows, id: ids }, args: argsTableOf(argTexts), counters: { length: n, track: new Int32Array(n), tsNs: Float64Array.from({ length: n }, (_, i) => i * 10), value: new Float64Array(n).fill(0.5) } };
    const pieces = [...modelPieces(big)];
    expect(pieces.filter((p) => p.piece.kind === 'strings').length).toBe(3);
    expect(pieces.filter((p) => p.piece.kind === 'typed' && p.piece.field === 'tsNs' && p.piece.table === 'counters').length).toBe(3);
    for (const p of pieces) if (p.piece.kind === 'typed') expect(p.transfer).toEqual([p.piece.value.buffer]);
    // Each args segment is its own transferred piece.
    expect(big.args.segments.length).toBeGreaterThan(1);
    expect(pieces.filter((p) => p.piece.kind === 'bytes').map((p) => p.transfer.length)).toEqual(big.args.segments.map(() => 1));
    const a = new ModelAssembler();
    for (const p of pieces) a.add(structuredClone(p.piece));
    const back = a.finish();
    expect(back).toEqual(big);
    expect(argsText(back.args, 2)).toBe(argTexts[2]);
    // The page's own arrays were not handed over.
    expect(pieces.some((p) => p.piece.kind === 'typed' && p.piece.value === big.slices.startNs)).toBe(false);
  });
});

/**
 * The Done-when of issue 17: the worker's answers equal lib/analysis run in
 * place, on every real trace, and the page's memo is primed with them (a
 * check on the page reads the worker's results, it does not walk the trace).
 */
describe.skipIf(!sharedTracesPresent)('worker analysis equals lib/analysis in place, on every real trace', () => {
  for (const rel of SHARED_TRACE_FILES) {
    it(rel, async () => {
      const bytes = sharedBytes(rel);
      const direct = await loadTrace(bytes, { fileName: rel });
      const ref = 'upload:same';
      const opened = openTraceWithAnalysis(bytes, { connect, fileName: rel, retarget: ref });
      const [model, tracks, lod, packed, slots] = await Promise.all([opened.model, opened.tracks, opened.lod, opened.detectors, opened.slots]);
      expect(model).toEqual(direct);
      // Tracks: work kinds, devices, lanes, steps.
      expect(tracks.failures).toEqual([]);
      expect(Array.from(tracks.workKindCodes, (c) => (c < 0 ? null : WORK_KINDS[c]))).toEqual(sliceKinds(direct));
      expect(tracks.devices).toEqual(listDevices(direct));
      expect(tracks.steps).toEqual(findSteps(direct));
      for (const d of tracks.deviceLanes) {
        const lanes = overlapTrack(direct, d.deviceKey).lanes;
        for (const l of lanes) expect(Array.from(d.lanes.find((x) => x.name === l.name)!.intervals)).toEqual(Array.from(l.intervals));
        if (d.deviceKind === 'gpu') expect(Array.from(d.lanes[0].intervals)).toEqual(Array.from(deviceActivity(direct, d.deviceKey).busy));
      }
      expect(lod).toEqual(buildMipmaps(direct));
      // Detectors, every field.
      const expected = runDetectors(direct);
      const unpacked = unpackDetectors(packed)!;
      for (const name of DETECTOR_NAMES) expect({ ...unpacked[name] }).toEqual({ ...expected[name], latency: expected[name].latency });
      // Re-targeted exercises: the same slots as re-targeting in place.
      expect(slots).toEqual(retargetExercises(direct, defaultAnalysis, ref));
      const links = launchLinks(direct);
      const overlaps = tracks.deviceLanes.map((d) => overlapForDevice(direct, d.deviceKey));
      const stepTrace = stepTraceTime(direct);
      // The page's memo answers from the worker: spoil what a recomputation would read, the answers stay.
      (model as { flows: TraceModel['flows'] }).flows = { ...model.flows, length: 0 };
      (model as { strings: string[] }).strings = model.strings.map(() => '');
      (model as { slices: TraceModel['slices'] }).slices = { ...model.slices, durNs: new Float64Array(model.slices.length) };
      expect(launchLinks(model)).toEqual(links);
      expect(sliceKinds(model)).toEqual(sliceKinds(direct));
      expect(tracks.deviceLanes.map((d) => overlapForDevice(model, d.deviceKey))).toEqual(overlaps);
      expect(stepTraceTime(model)).toEqual(stepTrace);
      const onPage = runDetectors(model);
      for (const name of DETECTOR_NAMES) expect(onPage[name].slices).toEqual(expected[name].slices);
    });
  }
});
