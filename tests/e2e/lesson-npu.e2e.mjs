// Lesson 3, "NPU case: DeepSeek MLA+MoE on Ascend", solved through the UI as
// a learner would, in both locales: a choice (tick the boxes), a find (search,
// zoom, then click the kernel on the canvas), a measure (shift+drag across the
// Free slice), a compare (type the overlap gain, with the two timelines on one
// synced axis) and a second choice with "Show me". Each answer must be called
// correct, the page must log no console errors, and the solved state must
// survive a reload. Expected values come from the trace files, parsed here the
// plain way; where to click comes from the widget's visible window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';
import { readPack, readTrace, unionNs, widgetOf, exercise as exerciseOf, waitReady, windowOf, xOf, rowBox, shiftDrag, searchAndZoom, check, expectCorrect, shot, SHOTS, optionInput, expectWrong } from './lesson-helpers.mjs';
import { resolve } from 'node:path';

const { pack, exById } = readPack('npu-deepseek');

const LOCALES = [
  { locale: 'en', lang: 'en', path: '/en/lessons/npu-deepseek/', progress: (x, n) => `${x} of ${n} exercises solved`, simulated: /simulated/i },
  { locale: 'zh-cn', lang: 'zh-CN', path: '/zh-cn/lessons/npu-deepseek/', progress: (x, n) => `已完成 ${x} / ${n} 道练习`, simulated: /模拟/ },
];

// ── the traces, read the plain way (tests/e2e/lesson-helpers.mjs) ───────────

/** Communication not hidden under computation, |M − C| = |M ∪ C| − |C|, as Insight's Overlap Analysis defines it. */
function exposedCommNs(trace) {
  const COMPUTE = new Set(['AI_CORE', 'AI_VECTOR_CORE', 'MIX_AIC', 'MIX_AIV', 'AI_CPU', 'DSA_SQE']);
  const c = trace.slices.filter((s) => s.process === 'Ascend Hardware' && COMPUTE.has(s.args['Task Type'])).map((s) => [s.startNs, s.endNs]);
  const m = trace.slices.filter((s) => s.process === 'HCCL' && /Communication$/.test(s.thread) && s.name.startsWith('hcom_')).map((s) => [s.startNs, s.endNs]);
  return unionNs([...m, ...c]) - unionNs(c);
}

const exercise = (page, id, lang) => exerciseOf(page, exById, id, lang);

// ── the test ────────────────────────────────────────────────────────────────

const baseline = readTrace('npu-deepseek-baseline.json.gz');
const hostBound = readTrace('npu-deepseek-host-bound.json.gz');
const dual = readTrace('npu-deepseek-dual-stream.json.gz');

for (const L of LOCALES) {
  test(`NPU lesson (${L.locale}): one exercise of each kind solved through the UI; progress survives a reload`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      const res = await page.goto(baseUrl() + L.path, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200, `${L.path} status`);
      assert.equal(await page.getAttribute('html', 'lang'), L.lang);

      // The simulated notice comes first, with each sample's provenance and links to the model and to recording.
      const aside = page.locator('aside.starlight-aside--caution').first();
      assert.match(await aside.innerText(), L.simulated);
      assert.equal(await aside.locator('details.tw-provenance[data-kind="simulated"]').count(), 4, 'provenance of the four samples');
      const hrefs = await aside.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.some((h) => h?.startsWith(`/${L.locale}/reference/npu-simulation/`)), `links the simulation page: ${hrefs}`);
      assert.ok(hrefs.some((h) => h?.startsWith(`/${L.locale}/getting-started/`)), `links the recording page: ${hrefs}`);
      await aside.locator('details summary').first().click();
      assert.match(await aside.locator('details').first().innerText(), /npx tracewise simulate-npu --scenario baseline/);
      await page.screenshot({ path: resolve(SHOTS, `lesson-npu-${L.locale}-0-notice.png`) });

      const progress = page.locator('.tw-lesson-progress');
      await progress.getByText(L.progress(0, pack.exercises.length)).waitFor();

      // 1. choice (choose all that apply): which lanes are the host's. A wrong pick first, then the right one.
      const lanes = await exercise(page, 'lanes-on-host', L.lang);
      const lanesEx = exById.get('lanes-on-host');
      const optionBox = (id) => optionInput(lanes, lanesEx, id, L.lang);
      await optionBox('python').check();
      await optionBox('cann').check();
      await optionBox('hccl').check();
      await check(lanes);
      await expectWrong(lanes, lanesEx.options.find((o) => o.id === 'hccl').explanation[L.lang]);
      await optionBox('hccl').uncheck();
      await expectCorrect(lanes, 'lanes');
      await shot(page, `lesson-npu-${L.locale}-1-choice-lanes.png`, lanes);

      // 2. find: the attention kernel of the second layer, clicked on the canvas.
      const mla = widgetOf(page, 'baseline-mla');
      await waitReady(mla);
      const target = baseline.slices.filter((s) => s.process === 'Ascend Hardware' && s.name.startsWith('aclnnFusedInferAttentionScoreV3_'))[1];
      assert.equal(await mla.evaluate((el) => el.twTimeline.view.model.originUs), baseline.originUs, 'the test and the widget agree on the time origin');
      // As a learner: search the kernel name, step to the second match, zoom to it (F), clear, then click it.
      await searchAndZoom(page, mla, '/^aclnnFusedInferAttentionScoreV3_/', 2);
      const stream2 = await rowBox(mla, 'Stream 2');
      await page.mouse.click(await xOf(mla, (target.startNs + target.endNs) / 2), stream2.y + 3 + 9);
      assert.equal(await mla.locator('.tw-details .tw-title').innerText(), target.name, 'the click selected the kernel');
      const find = await exercise(page, 'find-mla-attention', L.lang);
      assert.match(await find.locator('.tw-ex-current').innerText(), new RegExp(target.name));
      await expectCorrect(find, 'find');
      await shot(page, `lesson-npu-${L.locale}-2-find-mla.png`, mla, find);

      // 3. measure: shift+drag across the longest Free stretch of the host-bound decode.
      const freeWidget = widgetOf(page, 'host-bound-free');
      await waitReady(freeWidget);
      const free = hostBound.slices.filter((s) => s.process === 'Overlap Analysis' && s.thread === 'Free').reduce((a, b) => (b.endNs - b.startNs > a.endNs - a.startNs ? b : a));
      await freeWidget.getByRole('button', { name: /^(Fit all|显示全部)$/ }).click();
      const freeRow = await rowBox(freeWidget, 'Free');
      const y = freeRow.y + freeRow.height / 2;
      const x0 = (await xOf(freeWidget, free.startNs)) + 1;
      const x1 = (await xOf(freeWidget, free.endNs)) - 1;
      await shiftDrag(page, x0, x1, y);
      const measure = await exercise(page, 'measure-free-between-steps', L.lang);
      await measure.locator('.tw-ex-current button').click(); // "Use the selected range"
      await expectCorrect(measure, 'measure');
      await shot(page, `lesson-npu-${L.locale}-3-measure-free.png`, freeWidget, measure);

      // 4. compare: the overlap gain, before and after on one synced time axis.
      const before = widgetOf(page, 'overlap-before');
      const after = widgetOf(page, 'overlap-after');
      await waitReady(before);
      await waitReady(after);
      assert.deepEqual(await windowOf(after), await windowOf(before), 'the pair starts on the same window');
      const beforeBox = await before.locator('.tw-canvas-wrap').boundingBox();
      await page.mouse.move(beforeBox.x + beforeBox.width * 0.2, beforeBox.y + 40);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -400);
      await page.keyboard.up('Control');
      await page.waitForTimeout(200);
      const zoomed = await windowOf(before);
      assert.ok(zoomed.endNs - zoomed.startNs < 60e6, `zoomed in: ${JSON.stringify(zoomed)}`);
      assert.deepEqual(await windowOf(after), zoomed, 'the other timeline follows');
      const gainNs = exposedCommNs(baseline) - exposedCommNs(dual);
      const compare = await exercise(page, 'compare-overlap-gain', L.lang);
      await compare.locator('input[type=text]').fill((gainNs / 1e6).toFixed(3));
      await compare.locator('select').selectOption('ms');
      await expectCorrect(compare, 'compare');
      await shot(page, `lesson-npu-${L.locale}-4-compare-overlap.png`, before, compare);

      // 5. choice with "Show me": what the EVENT_WAIT on Stream 2 waits for.
      const waitEx = exById.get('event-wait-queues-for');
      const wait = await exercise(page, 'event-wait-queues-for', L.lang);
      await wait.locator('label', { hasText: waitEx.options.find((o) => o.id === 'comm').text[L.lang] }).locator('input').check();
      await expectCorrect(wait, 'choice');
      const comm = widgetOf(page, 'baseline-comm');
      await waitReady(comm);
      await wait.getByRole('button', { name: /^(Show me|演示给我看)$/ }).click();
      await comm.locator('.tw-details .tw-title').filter({ hasText: /^EVENT_WAIT$/ }).waitFor();
      await shot(page, `lesson-npu-${L.locale}-5-choice-event-wait.png`, comm, wait);

      const solved = ['lanes-on-host', 'find-mla-attention', 'measure-free-between-steps', 'compare-overlap-gain', 'event-wait-queues-for'];
      await progress.getByText(L.progress(solved.length, pack.exercises.length)).waitFor();

      // Progress survives a reload.
      await page.reload({ waitUntil: 'networkidle' });
      await progress.getByText(L.progress(solved.length, pack.exercises.length)).waitFor();
      for (const id of solved) {
        const s = await exercise(page, id, L.lang);
        await s.locator('xpath=self::*[@data-solved="true"]').waitFor();
      }
      await shot(page, `lesson-npu-${L.locale}-6-after-reload.png`, await exercise(page, 'lanes-on-host', L.lang));

      assert.deepEqual(log.errors, [], `console errors on ${L.path}`);
      await context.close();
    } finally {
      await browser.close();
    }
  });
}
