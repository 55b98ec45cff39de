// Detector reasons travel to the page as one string and its end offsets (a
// typed array), not one string per distinct reason: launch latency writes a
// text per match, ~640 k of them at 1 GB, whose structured clone held the
// upload page's main thread for 0.2 s.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../trace/load.ts';
import { runDetectors } from '../analysis/detectors/index.ts';
import { buildModel } from '../analysis/testing.ts';
import { idleGaps } from '../analysis/fixtures/idle-gaps.ts';
import { detectorHitsOf, packDetectors, reasonTextOf, transferablesOfDetectors, unpackDetectors } from './analysis.ts';

describe('packed detector reasons', () => {
  it('one string and its end offsets per detector, unpacked to the same reasons, hits included', async () => {
    const model = await loadTrace(new Uint8Array(readFileSync(new URL('../trace/fixtures/flows.json', import.meta.url))));
    const results = runDetectors(model);
    // A detector with a distinct reason per match, some not Latin-1, one empty.
    const name = 'sync';
    const n = Math.min(model.slices.length, 50);
    const texts = Array.from({ length: n }, (_, i) => (i === 3 ? '' : `slice ${i}: launched ${i * 1.5} µs after its call → 等待`));
    results[name] = { ...results[name], slices: Array.from({ length: n }, (_, i) => i), reasons: texts, confidence: texts.map(() => 1), applications: Array.from({ length: n }, (_, i) => i) };
    const packed = packDetectors(model, results);
    const p = packed.detectors.find((d) => d.name === name)!;
    expect(typeof p.reasonText).toBe('string');
    expect(p.reasonEnds).toBeInstanceOf(Uint32Array);
    expect(p.reasonEnds.length).toBe(new Set(texts).size);
    expect(transferablesOfDetectors(packed)).toContain(p.reasonEnds.buffer);
    expect(Array.from(p.reasonIndex, (k) => reasonTextOf(p, k))).toEqual(texts);
    const unpacked = unpackDetectors(structuredClone(packed))!;
    expect(unpacked[name].reasons).toEqual(texts);
    expect(unpacked.all_reduce.reasons).toEqual(results.all_reduce.reasons);
    expect(detectorHitsOf(packed, 5).find((h) => h.detector === name)?.reason).toBe(texts[5]);
  });
});

describe('packDetectors with texts that repeat and texts that do not', () => {
  it('interns repeated texts and stops hashing when most are new, each match keeping its text', async () => {
    const n = 5000;
    const repeated = Array.from({ length: n }, (_, i) => `kind ${i % 3}`);
    const distinct = Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 'same' : `launched ${i} µs later`));
    const model = await loadTrace(new Uint8Array(readFileSync(new URL('../trace/fixtures/flows.json', import.meta.url))));
    const results = runDetectors(model);
    const ids = Array.from({ length: n }, (_, i) => i);
    for (const [name, texts] of [['matmul', repeated], ['sync', distinct]] as const) {
      results[name] = { ...results[name], slices: ids, reasons: texts, confidence: texts.map(() => 1), applications: ids };
    }
    const packed = packDetectors(model, results);
    const get = (name: string) => packed.detectors.find((d) => d.name === name)!;
    expect(Array.from(get('matmul').reasonIndex, (k) => reasonTextOf(get('matmul'), k))).toEqual(repeated);
    expect(get('matmul').reasonEnds.length).toBe(3);
    expect(Array.from(get('sync').reasonIndex, (k) => reasonTextOf(get('sync'), k))).toEqual(distinct);
    expect(get('sync').reasonEnds.length).toBeLessThan(n);
  });
});

describe('launch_latency packed as data', () => {
  it('sends no reason texts, and writes each match\'s text as the detector does', () => {
    const model = buildModel(idleGaps);
    const results = runDetectors(model);
    const packed = packDetectors(model, results);
    const p = packed.detectors.find((d) => d.name === 'launch_latency')!;
    expect(p.slices.length).toBeGreaterThan(0);
    expect(p.reasonText).toBe('');
    expect(p.launches!.names.length).toBeLessThan(p.slices.length + 1);
    expect(transferablesOfDetectors(packed)).toContain(p.launches!.latencyNs.buffer);
    expect(Array.from(p.reasonIndex, (k) => reasonTextOf(p, k))).toEqual(results.launch_latency.reasons);
    const unpacked = unpackDetectors(structuredClone(packed))!;
    expect(unpacked.launch_latency.reasons).toEqual(results.launch_latency.reasons);
    expect(detectorHitsOf(packed, p.slices[0]).find((h) => h.detector === 'launch_latency')?.reason).toBe(results.launch_latency.reasons[0]);
  });
});
