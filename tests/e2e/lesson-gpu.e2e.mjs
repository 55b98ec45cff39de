// Lessons 1 ("Reading a timeline") and 2 ("GPU case: Qwen GQA+FFN under TP"),
// solved through the UI as a learner would, in both locales, on the recorded
// H100 / H200 samples: choices (a wrong pick first, then the right one), finds
// (a click on the canvas; a click on the launch, then its flow link; on the
// two-stream recording, a near miss on stream 20 before the kernel on stream 16
// that covers its gap), measures
// (a typed value; a shift+drag range), compares (a typed ratio of two traces;
// a choice computed from rank 0 and rank 1). Each answer must be called
// correct, the pages must log no console errors, and the solved state must
// survive a reload. Expected values come from the trace files, parsed here the
// plain way; where to click comes from the widget's visible window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { root, readPack, readTrace, widgetOf, exercise, waitReady, windowOf, xOf, rowBox, shiftDrag, check, expectCorrect, shot, reEscape, optionInput, expectWrong, clickSlice, zoomAt } from './lesson-helpers.mjs';

const L1 = readPack('reading-a-timeline');
const L2 = readPack('gpu-qwen-tp');

const LOCALES = [
  { locale: 'en', lang: 'en', progress: (x, n) => `${x} of ${n} exercises solved`, recorded: /recorded/i, goTo: 'Go to' },
  { locale: 'zh-cn', lang: 'zh-CN', progress: (x, n) => `已完成 ${x} / ${n} 道练习`, recorded: /实测/, goTo: '跳转到' },
];

// ── the traces, read the plain way ──────────────────────────────────────────

const eager = readTrace('qwen2_5-7b-shape-tp1-h100.json.gz');
const graph = readTrace('qwen2_5-7b-shape-tp1-cudagraph-h100.json.gz');
const rank0 = readTrace('qwen2_5-7b-shape-tp2-rank0-1gpu-h200.json.gz');
const rank1 = readTrace('qwen2_5-7b-shape-tp2-rank1-1gpu-h200.json.gz');
const twoStream = readTrace('deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz');
const cudaOps = readTrace('qwen2_5-7b-shape-tp1-cudaops-h100.json.gz');
/** The two-stream file's top-level fields (deviceProperties: the GPU's SM count). */
const twoStreamDoc = JSON.parse(gunzipSync(readFileSync(resolve(root, 'public/traces/deepseek-v3-shape-two-stream-ws2-rank0-1gpu-h200.json.gz'))).toString('utf8'));

const isHost = (s) => s.pid !== '0'; // Kineto writes the GPU as pid 0
const inside = (outer) => (s) => s.startNs >= outer.startNs && s.endNs <= outer.endNs;
const named = (t, name, where = () => true) => t.slices.filter((s) => s.name === name && isHost(s) && where(s));
const step = (t, n) => named(t, `ProfilerStep#${n}`)[0];
/** The device slice launched by a host call (same correlation id). */
const launched = (t, call) => t.slices.find((s) => !isHost(s) && s.args.correlation === call.args.correlation && s.cat !== 'gpu_user_annotation');
const durNs = (s) => s.endNs - s.startNs;

// ── page helpers ────────────────────────────────────────────────────────────

/** The canvas pixel [r, g, b] under a page point. */
async function pixelAt(page, widget, x, y) {
  return widget.locator('.tw-canvas-wrap canvas').first().evaluate((c, [px, py]) => {
    const r = c.getBoundingClientRect();
    const sx = c.width / r.width;
    const d = c.getContext('2d').getImageData(Math.round((px - r.left) * sx), Math.round((py - r.top) * sx), 1, 1).data;
    return [d[0], d[1], d[2]];
  }, [x, y]);
}


// ── the test ────────────────────────────────────────────────────────────────

for (const L of LOCALES) {
  test(`lesson 1, reading a timeline (${L.locale}): choice, find through a flow, typed measure, compare, a stream gap that GPU busy covers; progress survives a reload`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      const path = `/${L.locale}/lessons/reading-a-timeline/`;
      const res = await page.goto(baseUrl() + path, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200, `${path} status`);
      assert.equal(await page.getAttribute('html', 'lang'), L.lang);

      // The recorded notice with both samples' provenance comes first.
      const aside = page.locator('aside.starlight-aside--note').first();
      assert.equal(await aside.locator('details.tw-provenance[data-kind="recorded"]').count(), 2, 'provenance of the two samples');
      assert.match(await aside.locator('.tw-provenance summary').first().innerText(), L.recorded);
      const progress = page.locator('.tw-lesson-progress');
      const n = L1.pack.exercises.length;
      await progress.getByText(L.progress(0, n)).waitFor();

      // 1. choice (all that apply): host rows. The annotation copies on the stream are a near miss.
      const lanesEx = L1.exById.get('rt-host-or-device');
      const lanes = await exercise(page, L1.exById, 'rt-host-or-device', L.lang);
      for (const id of ['thread', 'runtime', 'annotation']) await optionInput(lanes, lanesEx, id, L.lang).check();
      await check(lanes);
      await expectWrong(lanes, lanesEx.options.find((o) => o.id === 'annotation').explanation[L.lang]);
      await optionInput(lanes, lanesEx, 'annotation', L.lang).uncheck();
      await expectCorrect(lanes, 'host rows');

      // 2. find: click the cuLaunchKernelEx of rotary_emb (first layer of ProfilerStep#2), then follow its flow to the kernel.
      const widget = widgetOf(page, 'eager');
      await waitReady(widget);
      assert.equal(await widget.evaluate((el) => el.twTimeline.view.model.originUs), eager.originUs, 'the test and the widget agree on the time origin');
      const layer0 = named(eager, 'Qwen2DecoderLayer', inside(step(eager, 2)))[0];
      const rotary = named(eager, 'rotary_emb', inside(layer0))[0];
      const launch = named(eager, 'cuLaunchKernelEx', inside(rotary))[0];
      const kernel = launched(eager, launch);
      assert.equal(kernel.name, 'rotary_embedding_kernel');
      const w0 = await windowOf(widget);
      assert.ok(w0.startNs <= launch.startNs && kernel.endNs <= w0.endNs, 'the first view shows the launch and its kernel');
      await zoomAt(page, widget, launch.startNs, 4);
      await clickSlice(page, widget, 'thread 435 (python3)', launch);
      await widget.locator('.tw-details').getByRole('button', { name: `${L.goTo} rotary_embedding_kernel` }).click();
      assert.equal(await widget.locator('.tw-details .tw-title').innerText(), 'rotary_embedding_kernel', 'the flow link selected the kernel');
      const find = await exercise(page, L1.exById, 'rt-find-kernel-from-launch', L.lang);
      await expectCorrect(find, 'find through the flow');
      await shot(page, `lesson-gpu-${L.locale}-1-find-flow.png`, widget, find);

      // 3. measure, typed: launch latency = kernel start − launch start.
      const latency = await exercise(page, L1.exById, 'rt-measure-launch-latency', L.lang);
      await latency.locator('input[type=text]').fill(((kernel.startNs - launch.startNs) / 1e3).toFixed(2));
      await latency.locator('select').selectOption('us');
      await expectCorrect(latency, 'launch latency');

      // 4. compare, typed: how many times faster the first decode step is with the CUDA graph.
      await waitReady(widgetOf(page, 'step-eager'));
      await waitReady(widgetOf(page, 'step-graph'));
      const speedup = durNs(step(eager, 2)) / durNs(step(graph, 2));
      assert.ok(speedup > 3 && speedup < 5, `speedup ${speedup}`);
      const compare = await exercise(page, L1.exById, 'rt-compare-graph-step', L.lang);
      await compare.locator('input[type=text]').fill(speedup.toFixed(2));
      await compare.locator('select').selectOption('ratio');
      await expectCorrect(compare, 'compare');
      await shot(page, `lesson-gpu-${L.locale}-2-compare-graph.png`, widgetOf(page, 'step-graph'), compare);

      // 5. find on the two-stream recording: the first fused_moe_kernel on stream 20 ends a gap; the kernel that
      // keeps the GPU busy during it is an all-reduce on stream 16. A click on fused_moe_kernel first (a near miss).
      const streams = widgetOf(page, 'streams');
      await waitReady(streams);
      const onStream = (n) => (s) => !isHost(s) && s.thread === `stream ${n}` && s.cat !== 'gpu_user_annotation';
      const s20 = twoStream.slices.filter(onStream(20)).sort((a, b) => a.startNs - b.startNs);
      const moeAt = s20.findIndex((s) => s.name === 'fused_moe_kernel');
      const gap = { startNs: s20[moeAt - 1].endNs, endNs: s20[moeAt].startNs };
      const cover = twoStream.slices.find((s) => onStream(16)(s) && s.startNs <= gap.startNs && s.endNs >= gap.endNs);
      assert.match(cover?.name ?? '', /^ncclDevKernel_AllReduce/, 'an all-reduce on stream 16 covers the gap');
      assert.ok(gap.endNs - gap.startNs > 100_000, `the gap is ${gap.endNs - gap.startNs} ns`);
      const ws = await windowOf(streams);
      assert.ok(ws.startNs <= gap.startNs && s20[moeAt].endNs <= ws.endNs, 'the first view shows the gap and fused_moe_kernel');
      const busyEx = await exercise(page, L1.exById, 'rt-find-busy-during-stream-gap', L.lang);
      await clickSlice(page, streams, 'stream 20', s20[moeAt]);
      await check(busyEx);
      const nearMoe = L1.exById.get('rt-find-busy-during-stream-gap').nearMisses.find((m) => m.id === 'next-kernel').feedback[L.lang];
      await expectWrong(busyEx, nearMoe, 24);
      await clickSlice(page, streams, 'stream 16', cover, (gap.startNs + gap.endNs) / 2);
      await expectCorrect(busyEx, 'the all-reduce that covers the gap');
      await shot(page, `lesson-gpu-${L.locale}-1b-stream-gap.png`, streams, busyEx);

      // 6. choice: how much of the gap is GPU idle. "All of it" first (wrong), then "none".
      const idleEx = L1.exById.get('rt-stream-gap-idle');
      const idle = await exercise(page, L1.exById, 'rt-stream-gap-idle', L.lang);
      await optionInput(idle, idleEx, 'all', L.lang).check();
      await check(idle);
      await expectWrong(idle, idleEx.options.find((o) => o.id === 'all').explanation[L.lang]);
      await optionInput(idle, idleEx, 'none', L.lang).check();
      await expectCorrect(idle, 'no GPU idle time in the gap');

      // 7. find: busy but few SMs. Colour by blocks per SM: the legend appears and fused_moe_kernel (a full grid)
      // turns from the kernels' blue to the full-grid green; a 1-block kernel of a few µs is a near miss; the
      // all-reduce's details say how many SMs it can use.
      const fewEx = L1.exById.get('rt-busy-few-sms');
      const few = await exercise(page, L1.exById, 'rt-busy-few-sms', L.lang);
      const moeRow = await rowBox(streams, 'stream 20');
      const moeX = await xOf(streams, Math.min(s20[moeAt].endNs, (await windowOf(streams)).endNs) - 20_000);
      const before = await pixelAt(page, streams, moeX, moeRow.y + 3 + 18 + 9);
      await streams.locator('.tw-toolbar select').first().selectOption('blocks');
      const legend = streams.getByTestId('blocks-legend');
      await legend.waitFor();
      assert.match(await legend.innerText(), L.lang === 'en' ? /no launch grid/ : /没有 launch grid/);
      await page.waitForTimeout(200);
      // The legend takes a line of the toolbar: the rows moved down.
      const after = await pixelAt(page, streams, moeX, (await rowBox(streams, 'stream 20')).y + 3 + 18 + 9);
      assert.ok(before[2] > before[1] && before[2] > before[0], `fused_moe_kernel is blue by category: ${before}`);
      assert.ok(after[1] > after[2] && after[1] > after[0], `fused_moe_kernel is green by blocks per SM: ${after}`);
      const tiny = s20.filter((s) => s.name.includes('unrolled_elementwise_kernel') && s.endNs <= gap.startNs && s.startNs >= ws.startNs).at(-1);
      await clickSlice(page, streams, 'stream 20', tiny);
      // The long kernel name makes the exercise taller: let the page settle (it unpins) before pressing Check.
      await few.scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await check(few);
      await expectWrong(few, fewEx.nearMisses.find((m) => m.id === 'tiny-kernel').feedback[L.lang], 24);
      await clickSlice(page, streams, 'stream 16', cover, (gap.startNs + gap.endNs) / 2);
      const props = twoStreamDoc.deviceProperties.find((p) => p.id === cover.args.device);
      const blocks = cover.args.grid.reduce((a, b) => a * b, 1);
      const perSm = streams.locator('[data-field="explain-blocks-per-sm"]');
      assert.match(await perSm.innerText(), L.lang === 'en' ? new RegExp(`at most ${blocks} of ${props.numSms} SMs have work`) : new RegExp(`${props.numSms} 个 SM 里最多 ${blocks} 个有活干`));
      await check(few);
      await expectCorrect(few, 'the all-reduce kernel that is resident through the gap on few SMs');
      await shot(page, `lesson-gpu-${L.locale}-1c-blocks-per-sm.png`, streams, few);

      const solved = ['rt-host-or-device', 'rt-find-kernel-from-launch', 'rt-measure-launch-latency', 'rt-compare-graph-step', 'rt-find-busy-during-stream-gap', 'rt-stream-gap-idle', 'rt-busy-few-sms'];
      await progress.getByText(L.progress(solved.length, n)).waitFor();
      await page.reload({ waitUntil: 'networkidle' });
      await progress.getByText(L.progress(solved.length, n)).waitFor();
      for (const id of solved) await (await exercise(page, L1.exById, id, L.lang)).locator('xpath=self::*[@data-solved="true"]').waitFor();

      assert.deepEqual(log.errors, [], `console errors on ${path}`);
      await context.close();
    } finally {
      await browser.close();
    }
  });

  test(`lesson 2, Qwen GQA+FFN under TP (${L.locale}): finds on the canvas, a range measure, a choice, a rank-0/rank-1 compare; progress survives a reload`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      const path = `/${L.locale}/lessons/gpu-qwen-tp/`;
      const res = await page.goto(baseUrl() + path, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200, `${path} status`);
      assert.equal(await page.getAttribute('html', 'lang'), L.lang);
      // Every sample used on the page shows its provenance: the three TP=1 recordings (eager, CUDA graph, CUDA C++
      // kernels) and the two TP=2 ranks.
      assert.equal(await page.locator('details.tw-provenance[data-kind="recorded"]').count(), 5, 'provenance of the five samples');
      const progress = page.locator('.tw-lesson-progress');
      const n = L2.pack.exercises.length;
      await progress.getByText(L.progress(0, n)).waitFor();

      // The TP figure draws the two splits differently: column-parallel bands side by side with one output slice
      // per GPU, row-parallel bands stacked with full-width partial sums and an all-reduce (TP = 2, then 4).
      const fig = page.locator('figure.tp-split');
      await fig.scrollIntoViewIfNeeded();
      await fig.locator('[data-part="col-weight"]').first().waitFor();
      for (const tp of [2, 4]) {
        await fig.locator('select').selectOption(String(tp));
        const block = fig.locator('g[data-block]').first();
        const boxes = async (part) => Promise.all((await block.locator(`[data-part="${part}"]`).all()).map((r) => r.boundingBox()));
        const [cw, co, rw, ro] = [await boxes('col-weight'), await boxes('col-out'), await boxes('row-weight'), await boxes('row-out')];
        assert.deepEqual([cw.length, co.length, rw.length, ro.length], [tp, tp, tp, tp], `one part per GPU at TP=${tp}`);
        const distinct = (xs) => new Set(xs.map((v) => Math.round(v))).size;
        assert.deepEqual([distinct(cw.map((b) => b.x)), distinct(cw.map((b) => b.y))], [tp, 1], 'column split: side by side');
        assert.deepEqual([distinct(rw.map((b) => b.x)), distinct(rw.map((b) => b.y))], [1, tp], 'row split: stacked');
        const whole = co.reduce((sum, b) => sum + b.width, 0);
        for (const b of ro) assert.ok(Math.abs(b.width - whole) < 1, 'each partial sum is as wide as the whole output');
        assert.equal(await block.locator('[data-part="sum"]').count(), 1, 'the all-reduce adds the partial sums');
      }
      const legendCol = await fig.locator('[data-legend="column"]').innerText();
      const legendRow = await fig.locator('[data-legend="row"]').innerText();
      assert.match(legendCol, L.lang === 'en' ? /output columns/ : /输出列/);
      assert.match(legendRow, L.lang === 'en' ? /input rows.*all-reduce/ : /输入行.*all-reduce/);
      assert.doesNotMatch(legendCol, /all-reduce/);
      await shot(page, `lesson-gpu-${L.locale}-2-tp-split.png`, fig);

      // The lesson widgets are wider than Starlight's reading column (the page has no table of contents).
      const layer = widgetOf(page, 'layer');
      await waitReady(layer);
      const width = (await layer.boundingBox()).width;
      assert.ok(width > 800, `lesson widget width ${width}`);

      // 1. find on the canvas: the paged attention kernel of the third layer of ProfilerStep#2.
      const s2 = step(eager, 2);
      const paged = eager.slices.filter((s) => s.name === 'paged_attention_decode_kernel' && s.startNs >= s2.startNs && s.startNs < s2.endNs);
      assert.equal(paged.length, 4, 'one paged attention per layer');
      await clickSlice(page, layer, 'stream 7', paged[2]);
      const find = await exercise(page, L2.exById, 'gq-find-paged-attention', L.lang);
      await expectCorrect(find, 'find paged attention');
      await shot(page, `lesson-gpu-${L.locale}-3-find-attention.png`, layer, find);

      // 2. measure by range: shift+drag across the second Qwen2DecoderLayer of ProfilerStep#2 on the host row.
      const layer1 = named(eager, 'Qwen2DecoderLayer', inside(s2))[1];
      const whole = widgetOf(page, 'layer-2');
      await waitReady(whole);
      const w = await windowOf(whole);
      assert.ok(w.startNs < layer1.startNs && layer1.endNs < w.endNs, 'the measure widget starts on the whole layer');
      const thread = await rowBox(whole, 'thread 435 (python3)');
      await shiftDrag(page, (await xOf(whole, layer1.startNs)) + 1, (await xOf(whole, layer1.endNs)) - 1, thread.y + thread.height / 2);
      const measure = await exercise(page, L2.exById, 'gq-measure-layer-host', L.lang);
      await measure.locator('.tw-ex-current button').click(); // "Use the selected range"
      await expectCorrect(measure, 'layer host time');
      await shot(page, `lesson-gpu-${L.locale}-4-measure-layer.png`, whole, measure);

      // 3. choice: which linear the 99 µs GEMM is. A near miss first.
      const linEx = L2.exById.get('gq-which-linear');
      const lin = await exercise(page, L2.exById, 'gq-which-linear', L.lang);
      await optionInput(lin, linEx, 'down', L.lang).check();
      await check(lin);
      await expectWrong(lin, linEx.options.find((o) => o.id === 'down').explanation[L.lang], 16);
      await optionInput(lin, linEx, 'gate-up', L.lang).check();
      await expectCorrect(lin, 'which linear');

      // 3b. find on the recording with CUDA C++ kernels: the activation of the second layer of the first
      // decode step, whose templated name carries its dtype. The RMSNorm before it first (a near miss).
      const ops = widgetOf(page, 'cudaops');
      await ops.scrollIntoViewIfNeeded();
      await waitReady(ops);
      const opsLayer = named(cudaOps, 'Qwen2DecoderLayer', inside(step(cudaOps, 2)))[1];
      const opsKernels = cudaOps.slices.filter((k) => !isHost(k) && k.cat === 'kernel' && k.startNs >= opsLayer.startNs && k.startNs < opsLayer.endNs + 200_000);
      const act = opsKernels.find((k) => k.name.startsWith('void tracewise::act_and_mul_kernel<c10::Half'));
      const norm = opsKernels.filter((k) => k.name.startsWith('void tracewise::fused_add_rms_norm_kernel<c10::Half>') && k.startNs < act.startNs).at(-1);
      assert.ok(act && norm, 'the layer has its templated activation and the RMSNorm before the FFN');
      const opsEx = L2.exById.get('gq-cudaops-find-act');
      const opsFind = await exercise(page, L2.exById, 'gq-cudaops-find-act', L.lang);
      await clickSlice(page, ops, 'stream 7', norm);
      await check(opsFind);
      await expectWrong(opsFind, opsEx.nearMisses.find((m) => m.id === 'norm').feedback[L.lang]);
      await clickSlice(page, ops, 'stream 7', act);
      const card = ops.locator('[data-testid="explain-card"]');
      await card.waitFor();
      assert.equal(await card.locator('[data-field="explain-fields"] tr[data-key="dtype"] td').innerText(), 'f16', 'the card reads the dtype from the template argument');
      await expectCorrect(opsFind, 'find the templated activation');

      // "Show me" of the TP choice (right under the rank-0 widget, whose top has scrolled out of a short viewport)
      // acts on that widget and brings its top back into view.
      await waitReady(widgetOf(page, 'tp2-rank0'));
      const tpChoice = await exercise(page, L2.exById, 'gq-tp-allreduces', L.lang);
      const showMe = tpChoice.getByRole('button', { name: /^(Show me|演示给我看)$/ });
      const r0Rect = () => page.locator('.tw-exercise-timeline[data-timeline-id="tp2-rank0"]').evaluate((el) => ({ top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom, h: window.innerHeight }));
      await page.setViewportSize({ width: 1280, height: 420 });
      await showMe.scrollIntoViewIfNeeded();
      const before = await r0Rect();
      assert.ok(before.top < 0, `the rank-0 widget's top starts out of view: ${JSON.stringify(before)}`);
      await showMe.click();
      await page.waitForFunction(() => {
        const r = document.querySelector('.tw-exercise-timeline[data-timeline-id="tp2-rank0"]').getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight;
      }, null, { timeout: 10_000 });
      await page.setViewportSize({ width: 1280, height: 1100 });

      // 4. TP=2 find: the all-reduce launched from o_proj of the second layer on rank 0.
      const r0 = widgetOf(page, 'tp2-rank0');
      await waitReady(r0);
      const oProj = named(rank0, 'o_proj', inside(step(rank0, 2)))[1];
      const arCall = rank0.slices.find((s) => isHost(s) && inside(oProj)(s) && /Launch/.test(s.name) && launched(rank0, s)?.name.startsWith('ncclDevKernel_AllReduce'));
      const allReduce = launched(rank0, arCall);
      await clickSlice(page, r0, 'stream 7', allReduce);
      const tpFind = await exercise(page, L2.exById, 'gq-tp2-find-allreduce-o-proj', L.lang);
      await expectCorrect(tpFind, 'find the all-reduce after o_proj');
      await shot(page, `lesson-gpu-${L.locale}-5-find-allreduce.png`, r0, tpFind);

      // 5. compare (choice computed from both traces): the same all-reduce runs longer on rank 1, which waited for rank 0.
      const oProj1 = named(rank1, 'o_proj', inside(step(rank1, 2)))[1];
      const arCall1 = rank1.slices.find((s) => isHost(s) && inside(oProj1)(s) && /Launch/.test(s.name) && launched(rank1, s)?.name.startsWith('ncclDevKernel_AllReduce'));
      const allReduce1 = launched(rank1, arCall1);
      assert.ok(durNs(allReduce1) > 2 * durNs(allReduce), `rank 1 ${durNs(allReduce1)} ns vs rank 0 ${durNs(allReduce)} ns`);
      await waitReady(widgetOf(page, 'tp2-rank1'));
      const cmpEx = L2.exById.get('gq-tp2-compare-ranks');
      const cmp = await exercise(page, L2.exById, 'gq-tp2-compare-ranks', L.lang);
      await cmp.locator('label', { hasText: cmpEx.ask.options.find((o) => o.id === 'after').text[L.lang] }).locator('input').check();
      await expectCorrect(cmp, 'rank 0 vs rank 1');
      await shot(page, `lesson-gpu-${L.locale}-6-compare-ranks.png`, widgetOf(page, 'tp2-rank1'), cmp);

      const solved = ['gq-find-paged-attention', 'gq-measure-layer-host', 'gq-which-linear', 'gq-cudaops-find-act', 'gq-tp2-find-allreduce-o-proj', 'gq-tp2-compare-ranks'];
      await progress.getByText(L.progress(solved.length, n)).waitFor();
      await page.reload({ waitUntil: 'networkidle' });
      await progress.getByText(L.progress(solved.length, n)).waitFor();
      for (const id of solved) await (await exercise(page, L2.exById, id, L.lang)).locator('xpath=self::*[@data-solved="true"]').waitFor();

      assert.deepEqual(log.errors, [], `console errors on ${path}`);
      await context.close();
    } finally {
      await browser.close();
    }
  });
}

// Lesson 5's one find: the "is the communication there?" check, on the TP=2 rank-0 recording. A click on
// the nccl:all_reduce annotation copy on the stream row first (a near miss that must say so), then on the
// first all-reduce kernel of ProfilerStep#2 just below it.
const L5 = readPack('record-your-own');

for (const L of LOCALES) {
  test(`lesson 5, record your own (${L.locale}): the communication check solved by clicking an NCCL kernel`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      const path = `/${L.locale}/lessons/record-your-own/`;
      await page.goto(baseUrl() + path, { waitUntil: 'networkidle' });
      const ex = await exercise(page, L5.exById, 'check-communication', L.lang);
      const widget = widgetOf(page, 'tp2-check');
      await waitReady(widget);
      const s2 = step(rank0, 2);
      const kernel = rank0.slices.filter((s) => !isHost(s) && /^ncclDevKernel_AllReduce/.test(s.name) && s.startNs >= s2.startNs).sort((a, b) => a.startNs - b.startNs)[0];
      const w = await windowOf(widget);
      assert.ok(w.startNs <= kernel.startNs && kernel.endNs <= w.endNs, 'the first view shows the first decode all-reduce');
      const copy = rank0.slices.find((s) => !isHost(s) && s.name === 'nccl:all_reduce' && s.startNs <= kernel.startNs && s.endNs >= kernel.endNs);
      assert.ok(copy, 'the kernel has its annotation copy on the stream');
      await clickSlice(page, widget, 'stream 7', copy);
      await check(ex);
      const near = await ex.locator('.tw-ex-feedback.tw-ex-wrong').innerText();
      const want = L5.exById.get('check-communication').nearMisses.find((m) => m.id === 'annotation').feedback[L.lang];
      assert.match(near, new RegExp(reEscape(want.slice(0, 24))), `near-miss feedback: ${near}`);
      await clickSlice(page, widget, 'stream 7', kernel);
      await expectCorrect(ex, 'the all-reduce kernel');
      assert.deepEqual(log.errors, [], `console errors on ${path}`);
      await context.close();
    } finally {
      await browser.close();
    }
  });
}
