// The exercises that close issue #23's coverage gaps against the seed article, solved through the UI in both
// locales, each after the mistake its near miss names: lesson 2's merged QKV GEMM (the O-projection GEMM
// first), the QKV split (the GEMM first), the KV-cache write (RoPE first), a layer's GPU span (the article's
// 700 µs typed first), the all-reduce after down_proj (the one after o_proj first); lesson 3's o_proj named
// by its Input Dims (q_a first, whose shapes the details panel shows) and a bf16 matmul named by its Input
// type (an int8 one first); and lesson 5's note that a profiler in the driver script records no worker
// kernels. Targets come from the trace files, read the plain way.
import assert from 'node:assert/strict';
import { testEachLocale } from './page-setup.mjs';
import { readPack, readTrace, widgetOf, exercise, waitReady, windowOf, xOf, rowBox, shiftDrag, check, expectCorrect, expectWrong, shot, clickSlice } from './lesson-helpers.mjs';

const L2 = readPack('gpu-qwen-tp');
const L3 = readPack('npu-deepseek');
const eager = readTrace('qwen2_5-7b-shape-tp1-h100.json.gz');
const rank0 = readTrace('qwen2_5-7b-shape-tp2-rank0-1gpu-h200.json.gz');
const npu = readTrace('npu-deepseek-baseline.json.gz');

const isHost = (s) => s.pid !== '0'; // Kineto writes the GPU as pid 0
const inside = (outer) => (s) => s.startNs >= outer.startNs && s.endNs <= outer.endNs;
const named = (t, name, where = () => true) => t.slices.filter((s) => s.name === name && isHost(s) && where(s));
const step = (t, n) => named(t, `ProfilerStep#${n}`)[0];
/** The device work launched from inside a host slice (same correlation id as a launch call under it). */
const launchedUnder = (t, outer) => {
  const ids = new Set(t.slices.filter((s) => isHost(s) && inside(outer)(s) && s.args.correlation !== undefined).map((s) => s.args.correlation));
  return t.slices.filter((s) => !isHost(s) && ids.has(s.args.correlation) && s.cat !== 'gpu_user_annotation').sort((a, b) => a.startNs - b.startNs);
};
const nearMiss = (pack, id, nm, lang) => pack.exById.get(id).nearMisses.find((m) => m.id === nm).feedback[lang];
const THREAD = 'thread 435 (python3)';

/** Brings an exercise's Check button into view and waits until it stops moving: scrolling can pin or unpin the
 *  exercise before it (a pinned one is shorter), which moves this one under the pointer. */
async function steady(page, section) {
  const button = section.locator('button.tw-ex-check');
  await button.scrollIntoViewIfNeeded();
  let last = '';
  for (let same = 0, i = 0; same < 3 && i < 40; i++) {
    await page.waitForTimeout(60);
    const b = await button.boundingBox();
    const now = JSON.stringify(b && [Math.round(b.x), Math.round(b.y)]);
    same = now === last ? same + 1 : 0;
    last = now;
  }
  return section;
}

testEachLocale('lesson 2 coverage gaps: QKV GEMM, its split, the KV-cache write, a layer on the GPU, the down_proj all-reduce', 'lessons/gpu-qwen-tp/', { viewport: { width: 1280, height: 1100 } }, async ({ page, L }) => {
  const s2 = step(eager, 2);
  const layer = named(eager, 'Qwen2DecoderLayer', inside(s2))[1];
  const attnScope = named(eager, 'Qwen2Attention', inside(layer))[0];
  const qkvScope = named(eager, 'qkv_proj', inside(layer))[0];
  const oScope = named(eager, 'o_proj', inside(layer))[0];
  const [qkvGemm] = launchedUnder(eager, qkvScope);
  const [oGemm] = launchedUnder(eager, oScope);
  const kernels = launchedUnder(eager, layer);
  const rope = kernels.find((k) => k.name === 'rotary_embedding_kernel');
  const kvWrite = kernels.find((k) => k.name === 'reshape_and_cache_kernel');
  const split = named(eager, 'aten::slice', (s) => inside(attnScope)(s) && s.startNs > qkvScope.endNs)[0];
  assert.ok(qkvGemm && oGemm && rope && kvWrite && split, 'the layer has its QKV and O GEMMs, RoPE, the cache write and the split');
  assert.match(qkvGemm.name, /_bias_/, 'the QKV GEMM carries the bias epilogue');

  const attn = widgetOf(page, 'attn');
  await waitReady(attn);
  // 1. the merged QKV GEMM, after clicking the O projection's.
  const qkv = await exercise(page, L2.exById, 'gq-find-qkv-gemm', L.lang);
  await clickSlice(page, attn, 'stream 7', oGemm);
  await check(await steady(page, qkv));
  await expectWrong(qkv, nearMiss(L2, 'gq-find-qkv-gemm', 'o-proj', L.lang));
  await clickSlice(page, attn, 'stream 7', qkvGemm);
  await expectCorrect(await steady(page, qkv), 'the merged QKV GEMM');

  // 2. the split: the GEMM is still selected (a near miss), then the first aten::slice on the host row.
  const splitEx = await exercise(page, L2.exById, 'gq-find-qkv-split', L.lang);
  await check(await steady(page, splitEx));
  await expectWrong(splitEx, nearMiss(L2, 'gq-find-qkv-split', 'gemm', L.lang));
  await clickSlice(page, attn, THREAD, split);
  await expectCorrect(await steady(page, splitEx), 'the QKV split');
  await shot(page, `gaps-${L.locale}-qkv-split.png`, attn, splitEx);

  // 3. the KV-cache write, 1.5 µs wide: RoPE first, then zoom in and click the write.
  const kv = await exercise(page, L2.exById, 'gq-find-kv-cache-write', L.lang);
  await attn.locator('.tw-canvas-wrap').scrollIntoViewIfNeeded(); // the wheel must land on the canvas
  // Shift+drag around RoPE and the write, then F: zoom to the selection; Escape clears it.
  const s7 = await rowBox(attn, 'stream 7');
  await shiftDrag(page, await xOf(attn, rope.startNs - 20_000), await xOf(attn, kvWrite.endNs + 20_000), s7.y + 12);
  await attn.locator('.tw-canvas-wrap').focus();
  await page.keyboard.press('f');
  await page.keyboard.press('Escape');
  const zoomed = await windowOf(attn);
  assert.ok(zoomed.startNs < rope.startNs && kvWrite.endNs < zoomed.endNs, 'RoPE and the cache write both in the zoomed view');
  await clickSlice(page, attn, 'stream 7', rope);
  await check(await steady(page, kv));
  await expectWrong(kv, nearMiss(L2, 'gq-find-kv-cache-write', 'rope', L.lang));
  await clickSlice(page, attn, 'stream 7', kvWrite);
  await expectCorrect(await steady(page, kv), 'the KV-cache write');
  await shot(page, `gaps-${L.locale}-kv-write.png`, attn, kv);

  // 4. the layer's GPU span: the article's 700 µs typed first, then shift+drag from its first kernel to its last.
  const whole = widgetOf(page, 'layer-2');
  await waitReady(whole);
  const dev = await exercise(page, L2.exById, 'gq-measure-layer-device', L.lang);
  await dev.locator('input[type=text]').fill('700');
  await dev.locator('select').selectOption('us');
  await check(await steady(page, dev));
  await expectWrong(dev, nearMiss(L2, 'gq-measure-layer-device', 'article', L.lang));
  const first = kernels[0];
  const last = kernels.reduce((a, b) => (b.endNs > a.endNs ? b : a));
  const stream = await rowBox(whole, 'stream 7');
  await shiftDrag(page, (await xOf(whole, first.startNs)) + 1, (await xOf(whole, last.endNs)) - 1, stream.y + 12);
  await dev.locator('input[type=text]').fill('');
  await dev.locator('.tw-ex-current button').click(); // "Use the selected range"
  await expectCorrect(await steady(page, dev), `the layer's GPU span (${((last.endNs - first.startNs) / 1e6).toFixed(3)} ms)`);
  await shot(page, `gaps-${L.locale}-layer-device.png`, whole, dev);

  // 5. the all-reduce after down_proj on rank 0: the o_proj one first.
  const r0 = widgetOf(page, 'tp2-rank0');
  await waitReady(r0);
  const r0Layer = named(rank0, 'Qwen2DecoderLayer', inside(step(rank0, 2)))[1];
  const arOf = (scope) => launchedUnder(rank0, named(rank0, scope, inside(r0Layer))[0]).find((k) => k.name.startsWith('ncclDevKernel_AllReduce'));
  const down = await exercise(page, L2.exById, 'gq-tp2-find-allreduce-down-proj', L.lang);
  await clickSlice(page, r0, 'stream 7', arOf('o_proj'));
  await check(await steady(page, down));
  await expectWrong(down, nearMiss(L2, 'gq-tp2-find-allreduce-down-proj', 'after-o-proj', L.lang));
  await clickSlice(page, r0, 'stream 7', arOf('down_proj'));
  await expectCorrect(await steady(page, down), 'the all-reduce after down_proj');
  await shot(page, `gaps-${L.locale}-down-allreduce.png`, r0, down);
});

testEachLocale("lesson 3 coverage gap: an op's shapes and dtypes read off the details panel", 'lessons/npu-deepseek/', { viewport: { width: 1280, height: 1100 } }, async ({ page, L }) => {
  const layer = npu.slices.find((s) => s.name === 'nn.Module: DeepseekV2DecoderLayer_4');
  const mla = npu.slices.find((s) => s.name === 'nn.Module: DeepseekV2MLAAttention_4' && inside(layer)(s));
  const ops = npu.slices.filter((s) => inside(mla)(s) && /^(npu::npu_quant_matmul|aten::mm)$/.test(s.name));
  const dims = (s) => String(s.args['Input Dims']).split(';').map((d) => d.trim());
  const qA = ops.find((s) => s.name === 'npu::npu_quant_matmul' && dims(s)[1] === '1536,7168');
  const oProj = ops.find((s) => s.name === 'npu::npu_quant_matmul' && dims(s)[0].endsWith(',2048') && dims(s)[1] === '7168,2048');
  const bf16 = ops.find((s) => /^c10::BFloat16/.test(s.args['Input type']));
  assert.ok(qA && oProj && bf16, 'the MLA block has q_a, o_proj and a bf16 matmul');

  const widget = widgetOf(page, 'mla-shapes');
  await waitReady(widget);
  const python = (await widget.locator('.tw-row-name').allInnerTexts()).find((t) => /Thread 2841093/.test(t) && !/instants/.test(t));
  assert.ok(python, 'the widget shows the Python thread');
  const shape = await exercise(page, L3.exById, 'npu-find-o-proj-by-shape', L.lang);
  await clickSlice(page, widget, python.trim(), qA);
  // What the learner reads: the op's Input Dims and Input type in the details panel.
  const details = await widget.locator('.tw-details').innerText();
  assert.match(details, /Input Dims/);
  assert.match(details, /1536,7168/);
  assert.match(details, /signed char/);
  await check(await steady(page, shape));
  await expectWrong(shape, nearMiss(L3, 'npu-find-o-proj-by-shape', 'q-a', L.lang));
  await clickSlice(page, widget, python.trim(), oProj);
  await expectCorrect(await steady(page, shape), 'o_proj by its shapes');
  await shot(page, `gaps-${L.locale}-npu-shapes.png`, widget, shape);

  const dtype = await exercise(page, L3.exById, 'npu-find-bf16-matmul', L.lang);
  await check(await steady(page, dtype)); // o_proj (int8) is still selected
  await expectWrong(dtype, nearMiss(L3, 'npu-find-bf16-matmul', 'int8', L.lang));
  await clickSlice(page, widget, python.trim(), bf16);
  assert.match(await widget.locator('.tw-details').innerText(), /c10::BFloat16/);
  await expectCorrect(await steady(page, dtype), 'a bf16 matmul');
  await shot(page, `gaps-${L.locale}-npu-dtype.png`, widget, dtype);
});

testEachLocale('lesson 5 coverage gap: a profiler in the driver script records no worker kernels', 'lessons/record-your-own/', {}, async ({ page, L }) => {
  const note = page.locator('aside', { hasText: 'VLLM_WORKER_MULTIPROC_METHOD=spawn' });
  assert.equal(await note.count(), 1, 'one note names the spawn setting');
  // Read as a reader reads it, on screen: prose off screen is not laid out (content-visibility: auto), and
  // the rendered text (innerText) of a block not laid out is empty. The browser lays it out at its next
  // rendering after the scroll: two animation frames.
  await note.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const text = await note.innerText();
  assert.match(text, L.lang === 'en' ? /records the driver, not the workers/ : /录的是 driver，不是 worker/);
  assert.match(text, /VLLM_ENABLE_V1_MULTIPROCESSING=0/);
  assert.match(text, /profiler_config|--profiler-config|vLLM/);
});
