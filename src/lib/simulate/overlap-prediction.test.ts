/**
 * The dual-stream sample must hide the communication the model says it hides.
 *
 * The prediction is computed here from the model parameters alone (README
 * "Predicted overlap"): with one compute stream every collective is exposed,
 * so Communication(Not Overlapped) = steps × layers × 2 × AllReduce(T); with
 * two micro-batches each AllReduce(T/2) runs under the other micro-batch's
 * next stage whenever it is shorter than that stage, so only the last one of
 * each step is exposed: steps × AllReduce(T/2). The measured side goes through
 * the written file, the project loader and the analysis engine.
 */
import { describe, expect, it } from 'vitest';
import { overlapForDevice } from '../analysis/overlap.ts';
import { loadTrace } from '../trace/load.ts';
import type { TraceModel } from '../trace/model.ts';
import { generate } from './generate.ts';
import { kernelNominalNs } from './npu-model.ts';
import { scenarioParams } from './scenarios.ts';
import type { SimParams } from './simulate.ts';
import { stepProgram } from './workload.ts';

/** Mesh all-reduce of `tokens` BF16 rows: start + end + 2 × (handshake + chunk / peer bandwidth) + mean peer skew. */
function allReduceNs(p: SimParams, tokens: number): number {
  const chunkBytes = (tokens * p.shape.hidden * 2) / p.hw.npusPerNode;
  const fixedUs = p.eff.collectiveStartUs + p.eff.collectiveEndUs + 2 * p.eff.collectivePhaseUs + p.eff.peerSkewMaxUs / 2;
  return fixedUs * 1000 + (2 * chunkBytes) / p.hw.hccsPeerGBps;
}

/** Nominal compute of one micro-batch's attention and MoE stage in one layer. */
function stageComputeNs(p: SimParams): { attention: number; moe: number } {
  const totals = { attention: 0, moe: 0 };
  for (const it of stepProgram(p.workload, p.shape, p.layout, { prepareUs: 0, postUs: 0 })) {
    if (it.kind !== 'kernel' || it.stream !== 'main' || it.stage === 'other') continue;
    totals[it.stage] += kernelNominalNs(it.unit, it.flops, it.bytes, p.hw, p.eff);
  }
  return { attention: totals.attention / p.workload.layers, moe: totals.moe / p.workload.layers };
}

function laneTotalNs(m: TraceModel, lane: string): number {
  let t = 0;
  for (let k = 0; k < m.tracks.length; k++) {
    if (m.tracks.kind[k] !== 'overlap' || m.strings[m.tracks.name[k]] !== lane) continue;
    for (let s = m.tracks.sliceStart[k]; s < m.tracks.sliceEnd[k]; s++) t += m.slices.durNs[s];
  }
  return t;
}

async function measured(name: 'baseline' | 'dual-stream' | 'host-bound') {
  const g = generate(scenarioParams(name));
  const model = await loadTrace(new TextEncoder().encode(g.json));
  return { g, model, engine: overlapForDevice(model, 'npu:0') };
}

describe('overlap of the simulated samples', () => {
  it('dual-stream hides the communication the model predicts', async () => {
    const base = await measured('baseline');
    const dual = await measured('dual-stream');
    const p = scenarioParams('baseline');
    const pd = scenarioParams('dual-stream');
    const T = p.workload.tokens;

    // the condition under which only the last collective of a step stays exposed
    const arHalf = allReduceNs(pd, T / 2);
    const stage = stageComputeNs(pd);
    expect(arHalf).toBeLessThan(Math.min(stage.attention, stage.moe));

    const predictedBaseline = p.steps * p.workload.layers * 2 * allReduceNs(p, T);
    const predictedDual = pd.steps * arHalf;
    const predictedGain = predictedBaseline - predictedDual;

    const gain = base.engine.communicationNotOverlappedNs - dual.engine.communicationNotOverlappedNs;
    expect(Math.abs(base.engine.communicationNotOverlappedNs - predictedBaseline) / predictedBaseline).toBeLessThan(0.01);
    expect(Math.abs(dual.engine.communicationNotOverlappedNs - predictedDual)).toBeLessThan(0.05 * predictedDual);
    expect(Math.abs(gain - predictedGain) / predictedGain).toBeLessThan(0.01);
    console.info(
      `overlap prediction: baseline not-overlapped ${(base.engine.communicationNotOverlappedNs / 1e6).toFixed(3)} ms (predicted ${(predictedBaseline / 1e6).toFixed(3)}), ` +
        `dual-stream ${(dual.engine.communicationNotOverlappedNs / 1e6).toFixed(3)} ms (predicted ${(predictedDual / 1e6).toFixed(3)}), ` +
        `gain ${(gain / 1e6).toFixed(3)} ms (predicted ${(predictedGain / 1e6).toFixed(3)})`,
    );
  });

  it('writes an Overlap Analysis lane equal to what the engine computes from the hardware and HCCL lanes', async () => {
    for (const name of ['baseline', 'dual-stream', 'host-bound'] as const) {
      const { g, model, engine } = await measured(name);
      expect(laneTotalNs(model, 'Computing')).toBe(engine.computingNs);
      expect(laneTotalNs(model, 'Communication')).toBe(engine.communicationNs);
      expect(laneTotalNs(model, 'Communication(Not Overlapped)')).toBe(engine.communicationNotOverlappedNs);
      expect(laneTotalNs(model, 'Free')).toBe(engine.freeNs);
      // and the generator's own figures (the manifest's) are the same numbers
      expect(g.overlap.communicationNotOverlappedNs).toBe(engine.communicationNotOverlappedNs);
    }
  });

  it('host-bound leaves the NPU idle for a large share of its span, unlike the prefill samples', async () => {
    const base = await measured('baseline');
    const hb = await measured('host-bound');
    const freeShare = hb.engine.freeNs / hb.engine.spanNs;
    expect(freeShare).toBeGreaterThan(0.3);
    expect(freeShare).toBeGreaterThan(5 * (base.engine.freeNs / base.engine.spanNs));
    // the stalls come from blocking reads (aten::to / aten::item), each a stream synchronize on the main thread
    const p = scenarioParams('host-bound');
    const program = stepProgram(p.workload, p.shape, p.layout, { prepareUs: 0, postUs: 0 });
    const perStep = program.filter((it) => it.kind === 'sync').length;
    expect(perStep).toBeGreaterThanOrEqual(2 * p.workload.layers);
    const syncs = hb.g.records.cann.filter((c) => c.name === 'AscendCL@aclrtSynchronizeStreamWithTimeout');
    expect(syncs.length).toBe(p.steps * perStep);
    expect(hb.g.records.py.filter((s) => s.name === 'aten::item').length).toBe(p.steps * p.workload.layers);
  });
});
