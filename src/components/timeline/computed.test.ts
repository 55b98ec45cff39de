/**
 * computed.ts turns the worker's analysis into the widget's shapes without a
 * pass over the slices: checked against lib/analysis run in place on the real
 * Ascend trace (the one with communication, so the overlap numbers are not 0).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTrace } from '../../lib/trace/load.ts';
import { overlapForDevice } from '../../lib/analysis/overlap.ts';
import { sliceKinds } from '../../lib/analysis/activity.ts';
import { runDetectors } from '../../lib/analysis/detectors/index.ts';
import { analyzeDetectors, analyzeTracks } from '../../lib/worker/analysis.ts';
import { blocksPerSmBands, computedTracksOf, detectorIndexOf, overlapInRange } from './computed.ts';
import { BLOCK_BANDS, COLOR_KEYS, DETECTOR_FAMILIES, SliceColors, keyOfWorkKind } from './colors.ts';
import { WORK_KIND_COLOR } from './computed.ts';

const ASCEND = resolve(process.cwd(), '../shared/traces/ascend/train-2rank-level1/rank0/trace_view.json');
const present = existsSync(ASCEND);
if (!present) console.warn(`computed.test: ${ASCEND} is absent, real-trace checks skipped`);

describe.skipIf(!present)('computed tracks from the worker analysis (Ascend rank 0)', () => {
  it('gives the area-selection overlap that overlapForDevice computes for the same range', async () => {
    const model = await loadTrace(new Uint8Array(readFileSync(ASCEND)));
    const tracks = computedTracksOf(analyzeTracks(model));
    expect(tracks.map((t) => t.laneLabels)).toEqual([['Computing', 'Communication', 'Communication(Not Overlapped)', 'Free']]);
    const comm = tracks[0].lanes[1].intervals;
    // A range around the middle of the communication, so every category is non-zero.
    const range = { startNs: comm[0] - 50_000, endNs: comm[Math.floor(comm.length / 2) | 1] };
    const [got] = overlapInRange(tracks, range);
    const want = overlapForDevice(model, tracks[0].deviceKey, range);
    expect(got.communicationNs).toBeGreaterThan(0);
    expect(got).toEqual({
      deviceLabel: tracks[0].deviceLabel,
      computingNs: want.computingNs,
      communicationNs: want.communicationNs,
      communicationNotOverlappedNs: want.communicationNotOverlappedNs,
      freeNs: want.freeNs,
      spanNs: want.spanNs,
      overlapRatio: want.overlapRatio,
    });
  });

  it('colours by work-kind codes and detector codes exactly as by the strings and families', async () => {
    const model = await loadTrace(new Uint8Array(readFileSync(ASCEND)));
    const byCodes = new SliceColors(model);
    const byStrings = new SliceColors(model);
    byCodes.setWorkKindCodes(analyzeTracks(model).workKindCodes, WORK_KIND_COLOR);
    byStrings.setWorkKinds(sliceKinds(model));
    const idx = detectorIndexOf(analyzeDetectors(model))!;
    byCodes.setDetectorCodes(idx.firstDetector, idx.familyOfCode);
    const family = new Int8Array(model.slices.length).fill(-1);
    for (let id = 0; id < model.slices.length; id++) if (idx.firstDetector[id] >= 0) family[id] = idx.familyOfCode[idx.firstDetector[id]];
    byStrings.setDetectorFamilies(family);
    for (const mode of ['category', 'detector'] as const) {
      byCodes.mode = byStrings.mode = mode;
      for (let id = 0; id < model.slices.length; id++) expect(byCodes.indexOf(id)).toBe(byStrings.indexOf(id));
    }
    // The kernels really are coloured by kind (not all one fallback).
    expect(new Set(Array.from({ length: model.slices.length }, (_, id) => byCodes.keyIndexOf(id))).size).toBeGreaterThan(3);
    expect(WORK_KIND_COLOR[0]).toBe(COLOR_KEYS.indexOf(keyOfWorkKind('computation')!));
    // The details panel's lookup agrees with runDetectors.
    const hcom = runDetectors(model).all_reduce.slices[0] ?? runDetectors(model).all_gather.slices[0];
    expect(idx.hitsOf(hcom).length).toBeGreaterThan(0);
    expect(DETECTOR_FAMILIES[idx.familyOfCode[idx.firstDetector[hcom]]]).toBe('collective');
  });
});

describe('blocksPerSmBands (colour by blocks per SM) on the two-stream sample', () => {
  it('puts the 2-block NCCL kernel in the lowest band, a GEMM-sized grid in the top one, annotations nowhere', async () => {
    const model = await loadTrace(new Uint8Array(readFileSync(resolve(process.cwd(), 'public/traces/deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz'))));
    const bandOf = blocksPerSmBands(model);
    const name = (s: number) => model.strings[model.slices.name[s]];
    const ids = [...Array(model.slices.length).keys()];
    const nccl = ids.filter((s) => name(s).startsWith('ncclDevKernel_AllReduce'));
    const moe = ids.filter((s) => name(s) === 'fused_moe_kernel');
    const annotations = ids.filter((s) => model.strings[model.slices.cat[s]] === 'gpu_user_annotation');
    expect(nccl.length * moe.length * annotations.length).toBeGreaterThan(0);
    for (const s of nccl) expect(bandOf(s)).toBe(0);
    for (const s of moe) expect(bandOf(s)).toBe(BLOCK_BANDS.length - 1);
    for (const s of annotations) expect(bandOf(s)).toBe(-1);
    // Asked again: the same answer (the kept value).
    expect(bandOf(nccl[0])).toBe(0);
  });
});
