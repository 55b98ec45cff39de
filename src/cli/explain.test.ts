// `tracewise explain` as a subprocess: the tracewise.explain/1 JSON (counts checked against a plain
// JSON.parse of the sample), the readable listing in both languages, and usage errors.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/tracewise.mjs', import.meta.url));
const TP2 = fileURLToPath(new URL('../../public/traces/qwen2_5-7b-shape-tp2-rank0-1gpu-h200.json.gz', import.meta.url));
const NPU = fileURLToPath(new URL('../../public/traces/npu-deepseek-baseline.json.gz', import.meta.url));

function tracewise(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, TRACEWISE_DEBUG: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Json {
  schema: string;
  file: string;
  names: Array<{ name: string; count: number; family: string | null; category: string; fields: Record<string, unknown> }>;
}

describe('tracewise explain', () => {
  it('--json: one tracewise.explain/1 object per file, with NCCL fields and counts from the trace', () => {
    const r = tracewise(['explain', TP2, NPU, '--name', '^(ncclDevKernel|nvjet|hcom_allReduce__423_0_1$)', '--json']);
    expect(r.code).toBe(0);
    const [gpu, npu] = r.out.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(gpu.schema).toBe('tracewise.explain/1');
    const raw = (JSON.parse(gunzipSync(readFileSync(TP2)).toString('utf8')) as { traceEvents: Array<{ name?: string; cat?: string; ph?: string }> }).traceEvents;
    const ar = gpu.names.find((n) => n.name.startsWith('ncclDevKernel_AllReduce'))!;
    expect(ar.count).toBe(raw.filter((e) => e.ph === 'X' && e.name === ar.name).length);
    expect(ar).toMatchObject({ family: 'nccl', category: 'communication', fields: { collective: 'all_reduce', op: 'sum', dtype: 'f16', algorithm: 'ring', protocol: 'll' } });
    const bias = gpu.names.find((n) => /_bias_/.test(n.name))!;
    expect(bias).toMatchObject({ family: 'cublas-nvjet', category: 'computing', fields: { library: 'cublaslt', bias: true } });
    for (const n of gpu.names) expect(['computing', 'communication', 'wait', 'copy', 'host']).toContain(n.category);
    expect(npu.names).toEqual([
      { name: 'hcom_allReduce__423_0_1', count: 1, family: 'hccl', category: 'communication', fields: expect.objectContaining({ collective: 'all_reduce' }) },
    ]);
  });
  it('lists the decoding for people, in English or Chinese', () => {
    const en = tracewise(['explain', NPU, '--name', '^EVENT_WAIT$']);
    expect(en.code).toBe(0);
    expect(en.out).toContain('event wait · wait');
    const zh = tracewise(['explain', NPU, '--name', '^EVENT_WAIT$', '--lang', 'zh-CN']);
    expect(zh.out).toContain('事件等待 · wait');
  });
  it('usage errors exit 2 with one line', () => {
    const r = tracewise(['explain', NPU, '--name', '(']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/is not a regular expression/);
    expect(tracewise(['explain', '/nonexistent.json']).code).toBe(2);
  });
});
