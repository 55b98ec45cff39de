// The "What is this?" card in both locales, as a learner meets it: on GPU slices (the TP = 2 NCCL
// all-reduce and the Triton SiLU kernel in lesson 2) and on NPU slices (lesson 3's baseline trace), with
// lesson 2's two exercises on decoded vLLM names solved through the UI (a wrong option first, then the
// right one), and on a kernel it does not know (a hand-written trace opened from disk). Expected values
// come from the trace files, parsed here the plain way: the collective and dtype from the kernel's name,
// the launcher from the `correlation` ids, the grid and blocks per SM from the kernel's args and the
// trace's deviceProperties, the NPU task type from its args.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';
import { readPack, readTrace, widgetOf, exercise, waitReady, check, expectCorrect, optionInput, expectWrong, shot, root } from './lesson-helpers.mjs';

const L2 = readPack('gpu-qwen-tp');
const LOCALES = [
  { locale: 'en', lang: 'en', title: 'What is this?', categories: { communication: 'communication', wait: 'wait', computing: 'computing' }, launchedBy: 'Launched by' },
  { locale: 'zh-cn', lang: 'zh-CN', title: '这是什么？', categories: { communication: '通信', wait: '等待', computing: '计算' }, launchedBy: '下发者' },
];

const TP2 = 'qwen2_5-7b-shape-tp2-rank0-1gpu-h200.json.gz';
const rank0 = readTrace(TP2);
const rank0Doc = JSON.parse(gunzipSync(readFileSync(resolve(root, 'public/traces', TP2))).toString('utf8'));
const npu = readTrace('npu-deepseek-baseline.json.gz');

/** Select the first search match of `query` (search, Enter), as a learner steps to a match; returns the card. */
async function selectByName(widget, query) {
  const search = widget.locator('input[type=search]');
  await search.fill(query);
  await search.press('Enter');
  const card = widget.locator('[data-testid="explain-card"]');
  await card.waitFor({ timeout: 20_000 });
  return card;
}

async function fieldsOf(card) {
  return Object.fromEntries(await card.locator('[data-field="explain-fields"] tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-key'), r.querySelector('td')?.textContent?.trim()])));
}

for (const L of LOCALES) {
  test(`"What is this?" card (${L.locale}): a GPU collective, a Triton kernel, NPU tasks, and lesson 2's two decoded-name exercises`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      const res = await page.goto(`${baseUrl()}/${L.locale}/lessons/gpu-qwen-tp/`, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200);

      // GPU: the NCCL all-reduce kernel of the TP = 2 rank-0 trace.
      const widget = widgetOf(page, 'real-vllm');
      await waitReady(widget);
      const card = await selectByName(widget, '/^ncclDevKernel_AllReduce/');
      const name = await widget.locator('.tw-details .tw-title').innerText();
      assert.match(name, /^ncclDevKernel_AllReduce_/);
      assert.equal(await card.locator('h4').innerText(), L.title);
      assert.equal(await card.getAttribute('data-family'), 'nccl');
      assert.match(await card.locator('[data-field="explain-category"]').innerText(), new RegExp(`^${L.categories.communication}`));
      const dtype = /_(f16|bf16|f32)_/.exec(name)[1];
      const fields = await fieldsOf(card);
      assert.equal(fields.collective, 'all_reduce');
      assert.equal(fields.dtype, dtype);
      assert.equal(fields.op, 'sum');
      // The launcher: the runtime call sharing the kernel's correlation id (every instance of this kernel).
      const kernels = rank0.slices.filter((s) => s.name === name && s.cat === 'kernel');
      const launchers = new Set(kernels.map((k) => rank0.slices.find((s) => /cuda_(runtime|driver)/.test(s.cat) && s.args.correlation === k.args.correlation)?.name));
      const launchedBy = await card.locator('dt', { hasText: L.launchedBy }).locator('xpath=following-sibling::dd[1]').innerText();
      assert.ok(launchers.has(launchedBy), `launcher ${launchedBy} is one of ${[...launchers]}`);
      // Its layer: the Qwen2DecoderLayer scope the launch ran in.
      assert.match(await card.locator('[data-field="explain-layer"]').innerText(), /Qwen2DecoderLayer/);
      // Grid and blocks per SM from the kernel's args and the trace's deviceProperties.
      const gridText = await card.locator('[data-field="explain-grid"]').innerText();
      const grid = JSON.parse(/^\[[^\]]+\]/.exec(gridText)[0]);
      assert.ok(kernels.some((k) => JSON.stringify(k.args.grid) === JSON.stringify(grid)), `grid ${grid} is this kernel's`);
      const sms = rank0Doc.deviceProperties.find((p) => p.id === kernels[0].args.device).numSms;
      assert.match(gridText, new RegExp(`${sms}\\b`));
      assert.match(gridText, new RegExp(((grid[0] * grid[1] * grid[2]) / sms).toFixed(2).replace('.', '\\.')));
      // The learn link points at a heading of this page, in this language.
      const href = await card.locator('[data-field="explain-learn"]').getAttribute('href');
      assert.ok(href.startsWith(`/${L.locale}/lessons/gpu-qwen-tp/#`), href);
      assert.equal(await page.locator(`[id="${decodeURIComponent(href.split('#')[1])}"]`).count(), 1, `anchor of ${href} exists`);
      await shot(page, `explain-${L.locale}-gpu-card.png`, widget);

      // The exercise on a decoded vLLM name: a wrong option first, then the right one.
      const exEx = L2.exById.get('gq-real-vllm-allreduce');
      const ex = await exercise(page, L2.exById, 'gq-real-vllm-allreduce', L.lang);
      await optionInput(ex, exEx, 'first-half', L.lang).check();
      await check(ex);
      await expectWrong(ex, exEx.options.find((o) => o.id === 'first-half').explanation[L.lang]);
      await optionInput(ex, exEx, 'one-shot', L.lang).check();
      await expectCorrect(ex, 'the one-shot custom all-reduce');

      // The activation's card: a Triton kernel, no template arguments, no dtype; then the exercise on it.
      const silu = await selectByName(widget, '/^silu_and_mul_kernel$/');
      assert.equal(await widget.locator('.tw-details .tw-title').innerText(), 'silu_and_mul_kernel');
      const siluFields = await fieldsOf(silu);
      assert.equal(siluFields.source, 'no template arguments');
      assert.equal(siluFields.dtype, undefined, 'no dtype for a Triton kernel');
      const dtEx = L2.exById.get('gq-real-vllm-dtype');
      const dt = await exercise(page, L2.exById, 'gq-real-vllm-dtype', L.lang);
      await optionInput(dt, dtEx, 'inductor', L.lang).check();
      await check(dt);
      await expectWrong(dt, dtEx.options.find((o) => o.id === 'inductor').explanation[L.lang]);
      await optionInput(dt, dtEx, 'template', L.lang).check();
      await expectCorrect(dt, 'the templated vLLM kernel');

      // NPU: an event wait and a cube-led fused attention task of the simulated Ascend sample.
      await page.goto(`${baseUrl()}/${L.locale}/lessons/npu-deepseek/`, { waitUntil: 'networkidle' });
      const mla = widgetOf(page, 'baseline-mla');
      await waitReady(mla);
      const wait = await selectByName(mla, '/^EVENT_WAIT$/');
      assert.equal(await wait.getAttribute('data-family'), 'ascend-task');
      assert.equal(await wait.getAttribute('data-category'), 'wait');
      assert.match(await wait.locator('[data-field="explain-category"]').innerText(), new RegExp(`^${L.categories.wait}`));
      const fa = await selectByName(mla, '/^aclnnFusedInferAttentionScoreV3_/');
      const faName = await mla.locator('.tw-details .tw-title').innerText();
      const faTask = npu.slices.find((s) => s.name === faName);
      const faFields = await fieldsOf(fa);
      assert.equal(faFields.task_type, faTask.args['Task Type']);
      assert.equal(faFields.op_api, 'aclnnFusedInferAttentionScoreV3');
      assert.equal(faFields.kernel, faName.split('_').pop());
      assert.equal(await fa.getAttribute('data-category'), 'computing');
      assert.ok((await fa.locator('dt', { hasText: L.launchedBy }).count()) === 1, 'an NPU task shows its CANN launcher');
      // Its layer, found across the CANN → Python hop.
      assert.match(await fa.locator('[data-field="explain-layer"]').innerText(), /DecoderLayer/);
      await shot(page, `explain-${L.locale}-npu-card.png`, mla);

      assert.deepEqual(log.errors, [], "no console errors");
    } finally {
      await browser.close();
    }
  });
}

/** A hand-written Kineto-style trace: a host launch and a kernel of a library the decoder has no table for. */
function unknownKernelTrace() {
  const dir = mkdtempSync(join(tmpdir(), 'tracewise-explain-'));
  const path = join(dir, 'unknown-kernel.json');
  const name = 'void mylib::frobnicate<int, 4>(int*, int)';
  writeFileSync(path, JSON.stringify({
    schemaVersion: 1,
    deviceProperties: [{ id: 0, name: 'Test GPU', numSms: 100 }],
    traceEvents: [
      { ph: 'M', name: 'process_name', pid: 10, args: { name: 'python3' } },
      { ph: 'M', name: 'process_name', pid: 0, args: { name: 'GPU 0' } },
      { ph: 'M', name: 'thread_name', pid: 0, tid: 7, args: { name: 'stream 7' } },
      { ph: 'X', cat: 'cuda_runtime', name: 'cudaLaunchKernel', pid: 10, tid: 10, ts: 1000, dur: 5, args: { correlation: 1 } },
      { ph: 'X', cat: 'kernel', name, pid: 0, tid: 7, ts: 1010, dur: 40, args: { correlation: 1, device: 0, stream: 7, grid: [50, 2, 1], block: [128, 1, 1] } },
      { ph: 's', cat: 'ac2g', name: 'ac2g', id: 1, pid: 10, tid: 10, ts: 1000 },
      { ph: 'f', cat: 'ac2g', name: 'ac2g', id: 1, pid: 0, tid: 7, ts: 1010, bp: 'e' },
    ],
  }));
  return { path, name };
}

for (const L of LOCALES) {
  test(`"What is this?" card (${L.locale}): a kernel it does not know is said to be not recognised, with the generic facts`, async () => {
    const { path, name } = unknownKernelTrace();
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/reference/timeline/`, { waitUntil: 'networkidle' });
      const widget = page.locator('section.tw-timeline').first();
      await waitReady(widget);
      await widget.locator('input.tw-file').setInputFiles(path);
      // data-file names the file as soon as its load starts; then wait until it is in.
      await widget.locator('xpath=self::*[@data-file="unknown-kernel.json"]').waitFor();
      await waitReady(widget);
      const card = await selectByName(widget, 'frobnicate');
      assert.equal(await widget.locator('.tw-details .tw-title').innerText(), name);
      assert.equal(await card.getAttribute('data-family'), 'unrecognised');
      assert.match(await card.locator('[data-field="not-recognised"]').innerText(), L.locale === 'en' ? /Not recognised/ : /未识别/);
      assert.equal(await card.getAttribute('data-category'), 'computing');
      assert.match(await card.locator('[data-field="explain-grid"]').innerText(), /\[50, 2, 1\].*100 .*1\.00/);
      assert.equal(await card.locator('dt', { hasText: L.launchedBy }).locator('xpath=following-sibling::dd[1]').innerText(), 'cudaLaunchKernel');
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}
