/**
 * Ascend's FusedInferAttentionScore runs prefill attention over contiguous
 * K/V as well as decode over a paged KV cache: its name alone must not make it
 * paged attention (issue 23: a prefill attention task was labelled
 * "paged_attention (60%)"). It counts as paged when its op passes a block
 * table (an integer 2-D input) or a paged op launched it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../trace/load.ts';
import { buildModel, type ModelSpec } from '../testing.ts';
import { nameOf } from '../access.ts';
import { runDetectors } from './index.ts';
import { blockTableInput } from './semantic.ts';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const FIA = 'aclnnFusedInferAttentionScoreV3_FusedInferAttentionScore_FusedInferAttentionScore';

/** A torch_npu op launching one FIA task through an async_npu flow, with the op's input dims and types. */
function fiaModel(op: string, dims: string, types: string): ModelSpec {
  return {
    format: 'ascend',
    processes: [
      { pid: '1', name: 'Python', kind: 'host', tracks: [{ tid: '1', name: 'Thread 1', slices: [[op, 0, 50, { cat: 'cpu_op', key: 'op', args: { 'Input Dims': dims, 'Input type': types } }]] }] },
      { pid: '2', name: 'Ascend Hardware', label: 'NPU', kind: 'npu', device: 0, tracks: [{ tid: '2', name: 'Stream 2', slices: [[FIA, 100, 40, { key: 'task', args: { 'Task Type': 'MIX_AIC' } }]] }] },
    ],
    flows: [{ from: 'op', to: 'task', cat: 'async_npu' }],
  };
}

describe('paged attention vs FusedInferAttentionScore', () => {
  it('the simulated DeepSeek prefill (FIA over contiguous Q/K/V) is attention, not paged attention', async () => {
    const m = await loadTrace(new Uint8Array(readFileSync(resolve(repo, 'public/traces/npu-deepseek-baseline.json.gz'))));
    const r = runDetectors(m);
    const fia = r.attention.slices.filter((s) => nameOf(m, s) === FIA);
    expect(fia.length).toBeGreaterThan(0);
    expect(r.paged_attention.slices.filter((s) => nameOf(m, s) === FIA)).toEqual([]);
  });
  it('an FIA whose op passes an integer 2-D input (a block table) is paged attention, saying why', () => {
    const paged = buildModel(fiaModel('npu::npu_fused_infer_attention_score', '8,16,1,576;\r\n2048,128,576;\r\n8,64', 'c10::BFloat16;\r\nc10::BFloat16;\r\nint'));
    const r = runDetectors(paged);
    expect(r.attention.count).toBe(1);
    expect(r.paged_attention.slices.map((s) => nameOf(paged, s))).toEqual([FIA]);
    expect(r.paged_attention.reasons[0]).toMatch(/passes a block table \(input 3/);
    // The same op with its K/V contiguous and no integer table: attention only.
    const plain = buildModel(fiaModel('npu::npu_fused_infer_attention_score', '8192,16,192;\r\n8192,16,192;\r\n8192,16,128', 'c10::BFloat16;\r\nc10::BFloat16;\r\nc10::BFloat16'));
    const rp = runDetectors(plain);
    expect(rp.attention.count).toBe(1);
    expect(rp.paged_attention.count).toBe(0);
    // A paged op in the context still decides, whatever the inputs.
    const viaOp = buildModel(fiaModel('torch_npu::_npu_paged_attention', '', ''));
    expect(runDetectors(viaOp).paged_attention.count).toBe(1);
  });
  it('reads Kineto-style JSON arrays too, and wants rank 2', () => {
    const m = buildModel({
      processes: [{ pid: '1', kind: 'host', tracks: [{ tid: '1', slices: [
        ['a', 0, 1, { args: { 'Input Dims': [[8, 1, 16, 128], [4, 64]], 'Input type': ['c10::BFloat16', 'int'] } }],
        ['b', 2, 1, { args: { 'Input Dims': [[8], [4, 64]], 'Input type': ['int', 'float'] } }],
      ] }] }],
    });
    expect(blockTableInput(m, 0)).toBe(1);
    expect(blockTableInput(m, 1)).toBeNull();
  });
});
