/**
 * Detector reasons in Chinese: one written-out case per English form, and every reason the detectors
 * give on every bundled sample trace has a translation (a new English form with no rule fails here).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../trace/load.ts';
import { runDetectors } from './index.ts';
import { reasonIn, reasonRule } from './reason-text.ts';

describe('reasonIn', () => {
  it.each([
    ['kernel arg Collective name = allreduce', 'kernel 参数 Collective name = allreduce'],
    ['launched by `cudaLaunchKernel`, started 14.339 µs later', '由 `cudaLaunchKernel` 启动，14.339 µs 后开始执行'],
    ['HCCL op `hcom_allReduce_1` on Stream 2', 'Stream 2 上的 HCCL 算子 `hcom_allReduce_1`'],
    ['under GPU annotation `nccl:all_reduce`', '位于 GPU 标注 `nccl:all_reduce` 之内'],
    ['launched under `c10d::allreduce_`', '在 `c10d::allreduce_` 之内启动'],
    ['kernel name `ncclDevKernel_AllReduce`', 'kernel 名称 `ncclDevKernel_AllReduce`'],
    ['kernel name matches rope: `rotary_embedding_kernel`', 'kernel 名称符合 rope：`rotary_embedding_kernel`'],
    ['kernel name suggests paged_attention: `flash_fwd`', 'kernel 名称像是 paged_attention：`flash_fwd`'],
    ['launched under op `aten::mm`', '由算子 `aten::mm` 启动'],
    ['under scope `Qwen2MLP`', '位于作用域 `Qwen2MLP` 之内'],
    ['attention kernel launched under `unified_attention`', '在 `unified_attention` 之内启动的 attention kernel'],
    ['host only (no device work in trace): launched under op `aten::mm`', '仅在 host 上（trace 中没有设备端工作）：由算子 `aten::mm` 启动'],
    ['device wait `EVENT_WAIT` (EVENT_WAIT_SQE)', '设备端等待 `EVENT_WAIT`（EVENT_WAIT_SQE）'],
    ['device wait `Wait Event`', '设备端等待 `Wait Event`'],
    ['host call `cudaStreamWaitEvent` (its device-side wait is not in the trace)', 'host 调用 `cudaStreamWaitEvent`（trace 中没有它在设备端的等待）'],
    ['`aten::item` waits for the device (`cudaMemcpyAsync` to pageable host memory inside)', '`aten::item` 在等待设备（其中有 `cudaMemcpyAsync`（拷往可分页 host 内存））'],
    ['blocking copy `cudaMemcpy`', '阻塞的拷贝 `cudaMemcpy`'],
    ['host sync call `cudaStreamSynchronize`', 'host 同步调用 `cudaStreamSynchronize`'],
    ['device-side `Context Sync` with no host sync call linked', '设备端的 `Context Sync`，没有关联的 host 同步调用'],
    ['`aten::item` reads a device value on the host (no runtime calls recorded)', '`aten::item` 在 host 上读取设备端的值（trace 未记录 runtime 调用）'],
  ])('%s', (en, zh) => {
    expect(reasonIn(en, 'en')).toBe(en);
    expect(reasonIn(en, 'zh-CN')).toBe(zh);
  });

  it('keeps a line it does not know as it is', () => {
    expect(reasonIn('something new', 'zh-CN')).toBe('something new');
  });
});

const traces = fileURLToPath(new URL('../../../../public/traces/', import.meta.url));
const samples = existsSync(traces) ? readdirSync(traces).filter((f) => f.endsWith('.json.gz')) : [];

describe('every reason on the bundled samples has a Chinese form', () => {
  it.skipIf(!samples.length)('all samples (none in public/traces: skipped)', async () => {
    const missing = new Set<string>();
    let seen = 0;
    for (const f of samples) {
      const model = await loadTrace(gunzipSync(readFileSync(traces + f)), { fileName: f });
      for (const r of Object.values(runDetectors(model))) {
        for (const reason of new Set(r.reasons)) {
          seen++;
          if (reasonRule(reason) === null) missing.add(reason);
        }
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect([...missing].slice(0, 10)).toEqual([]);
  }, 120_000);
});
