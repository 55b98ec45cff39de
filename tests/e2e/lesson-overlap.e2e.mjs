// Lesson 4, "Overlap and multi-stream, measured", solved through the UI as a learner would, in both
// locales: a find (click the all-reduce kernel on the canvas), a choice with "Show me", a measure by
// range (shift+drag across a reduce-scatter), a measure by value (the overlap ratio, typed) and a
// compare (exposed communication saved, with the two timelines on one synced axis). Each answer must be
// called correct, the page must log no console errors, and the solved state must survive a reload.
// Expected values come from the recorded trace files, parsed here the plain way; where to click comes
// from the widget's visible window. Screenshots of each state go to test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';
import { readTrace, unionNs, widgetOf, exercise as exerciseTitled, waitReady, windowOf, xOf, rowBox, shiftDrag, expectCorrect, shot } from './exercise-page.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });
const pack = JSON.parse(readFileSync(resolve(root, 'src/content/exercises/gpu-overlap.json'), 'utf8'));
const exById = new Map(pack.exercises.map((e) => [e.id, e]));

const LOCALES = [
  { locale: 'en', lang: 'en', path: '/en/lessons/gpu-overlap/', progress: (x, n) => `${x} of ${n} exercises solved`, caution: /both ranks ran on the same GPU/, fit: 'Fit all' },
  { locale: 'zh-cn', lang: 'zh-CN', path: '/zh-cn/lessons/gpu-overlap/', progress: (x, n) => `已完成 ${x} / ${n} 道练习`, caution: /两个 rank 跑在同一张 GPU 上/, fit: '显示全部' },
];

const trace = (v) => readTrace(resolve(root, `public/traces/deepseek-v3-shape-${v}-ws2-rank0-1gpu-h200.json.gz`));
const allreduce = trace('allreduce');
const rsag = trace('rs-ag');
const twoStream = trace('two-stream');

const isGpuKernel = (s) => s.cat === 'kernel' && /^GPU \d+$/.test(s.process ?? '');
const isNccl = (s) => /^ncclDevKernel_/.test(s.name);
/** |M|, |C| and |M ∩ C| of one GPU: M the NCCL kernels, C the other kernels, each as a union. */
function overlapOf(t) {
  const k = t.slices.filter(isGpuKernel);
  const m = k.filter(isNccl).map((s) => [s.startNs, s.endNs]);
  const c = k.filter((s) => !isNccl(s)).map((s) => [s.startNs, s.endNs]);
  const mNs = unionNs(m);
  const cNs = unionNs(c);
  const both = mNs + cNs - unionNs([...m, ...c]);
  return { mNs, cNs, overlappedNs: both, exposedNs: mNs - both };
}

for (const L of LOCALES) {
  test(`GPU overlap lesson (${L.locale}): find, choice, measure (range and value) and compare solved through the UI; progress survives a reload`, async () => {
    const browser = await launchBrowser();
    const exercise = (page, id) => exerciseTitled(page, exById.get(id).title[L.lang]);
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1100 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      const res = await page.goto(baseUrl() + L.path, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200, `${L.path} status`);
      assert.equal(await page.getAttribute('html', 'lang'), L.lang);

      // The shared-GPU caution comes first, with the three recordings' provenance and a link to lesson 3.
      const aside = page.locator('aside.starlight-aside--caution').first();
      assert.match(await aside.innerText(), L.caution);
      assert.equal(await aside.locator('details.tw-provenance[data-kind="recorded"]').count(), 3, 'provenance of the three recordings');
      await aside.locator('details summary').first().click();
      assert.match(await aside.locator('details').first().innerText(), /MPS/);
      const hrefs = await page.locator('.sl-markdown-content a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.includes(`/${L.locale}/lessons/npu-deepseek/`), 'links lesson 3');
      assert.ok(hrefs.some((h) => h?.startsWith(`/${L.locale}/reference/detectors/`)), 'links the detectors reference');
      await page.screenshot({ path: resolve(SHOTS, `lesson-overlap-${L.locale}-0-notice.png`) });

      const progress = page.locator('.tw-lesson-progress');
      await progress.getByText(L.progress(0, pack.exercises.length)).waitFor();

      // 1. find: the all-reduce after the second layer's attention, clicked on stream 7. The first
      //    all-reduce kernel of the file is the warm-up step's last one; then layer 1's two, then this.
      const ar = widgetOf(page, 'allreduce');
      await waitReady(ar);
      assert.equal(await ar.evaluate((el) => el.twTimeline.view.model.originUs), allreduce.originUs, 'the test and the widget agree on the time origin');
      const target = allreduce.slices.filter((s) => isGpuKernel(s) && /^ncclDevKernel_AllReduce/.test(s.name))[3];
      const w0 = await windowOf(ar);
      assert.ok(target.startNs >= w0.startNs && target.endNs <= w0.endNs, 'the initial window shows the target whole');
      const stream7 = await rowBox(ar, 'stream 7');
      // Depth 0 of the row is the nccl:all_reduce annotation, depth 1 the kernel.
      await page.mouse.click(await xOf(ar, (target.startNs + target.endNs) / 2), stream7.y + 3 + 18 + 9);
      assert.equal(await ar.locator('.tw-details .tw-title').innerText(), target.name, 'the click selected the kernel');
      const find = await exercise(page, 'find-allreduce-after-attention');
      await expectCorrect(find, 'find');
      await shot(page, resolve(SHOTS, `lesson-overlap-${L.locale}-1-find-allreduce.png`), ar, find);

      // 2. choice with "Show me": the host waits in bincount's copy for the all-reduce before it.
      const waitEx = exById.get('host-waits-in-bincount');
      const choice = await exercise(page, 'host-waits-in-bincount');
      await choice.locator('label', { hasText: waitEx.options.find((o) => o.id === 'waits').text[L.lang] }).locator('input').check();
      await expectCorrect(choice, 'choice');
      await choice.getByRole('button', { name: /^(Show me|演示给我看)$/ }).click();
      await ar.locator('.tw-details .tw-title').filter({ hasText: /^aten::to$/ }).waitFor();
      await shot(page, resolve(SHOTS, `lesson-overlap-${L.locale}-2-choice-sync.png`), ar, choice);

      // 3. measure by range: shift+drag across the first layer's attention reduce-scatter on stream 7
      //    (the file's first reduce-scatter is the warm-up step's).
      const rs = widgetOf(page, 'rsag');
      await waitReady(rs);
      const rsKernel = rsag.slices.filter((s) => isGpuKernel(s) && /^ncclDevKernel_ReduceScatter/.test(s.name))[1];
      const rsRow = await rowBox(rs, 'stream 7');
      const y = rsRow.y + 3 + 18 + 9;
      const x0 = (await xOf(rs, rsKernel.startNs)) + 1;
      const x1 = (await xOf(rs, rsKernel.endNs)) - 1;
      await shiftDrag(page, x0, x1, y);
      const measure = await exercise(page, 'measure-reduce-scatter');
      await measure.locator('.tw-ex-current button').click(); // "Use the selected range"
      await expectCorrect(measure, 'measure (range)');
      await shot(page, resolve(SHOTS, `lesson-overlap-${L.locale}-3-measure-reduce-scatter.png`), rs, measure);

      // 4. measure by value: the two-stream trace's overlap ratio, computed here from the raw kernels.
      const two = overlapOf(twoStream);
      const ratioPct = (100 * two.overlappedNs) / two.mNs;
      assert.ok(ratioPct > 2 && ratioPct < 20, `overlap ratio ${ratioPct}%`);
      const ov = widgetOf(page, 'two-overlap');
      await waitReady(ov);
      const ratio = await exercise(page, 'measure-overlap-ratio');
      await ratio.locator('input[type=text]').fill(ratioPct.toFixed(2));
      const unit = ratio.locator('select');
      if (await unit.count()) await unit.selectOption('%');
      await expectCorrect(ratio, 'measure (value)');
      await shot(page, resolve(SHOTS, `lesson-overlap-${L.locale}-4-measure-ratio.png`), ov, ratio);

      // 5. compare: exposed communication saved, the pair on one synced time axis.
      const before = widgetOf(page, 'cmp-before');
      const after = widgetOf(page, 'cmp-after');
      await waitReady(before);
      await waitReady(after);
      assert.deepEqual(await windowOf(after), await windowOf(before), 'the pair starts on the same window');
      await before.locator('.tw-canvas-wrap').scrollIntoViewIfNeeded();
      const box = await before.locator('.tw-canvas-wrap').boundingBox();
      await page.mouse.move(box.x + box.width * 0.3, box.y + 40);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -400);
      await page.keyboard.up('Control');
      await page.waitForTimeout(200);
      const zoomed = await windowOf(before);
      assert.ok(zoomed.endNs - zoomed.startNs < 150e6, `zoomed in: ${JSON.stringify(zoomed)}`);
      assert.deepEqual(await windowOf(after), zoomed, 'the other timeline follows');
      await before.getByRole('button', { name: L.fit, exact: true }).click();
      const savedNs = overlapOf(allreduce).exposedNs - two.exposedNs;
      assert.ok(savedNs > 0, `exposed communication saved ${savedNs} ns`);
      const compare = await exercise(page, 'compare-exposed-communication');
      await compare.locator('input[type=text]').fill((savedNs / 1e6).toFixed(3));
      await compare.locator('select').selectOption('ms');
      await expectCorrect(compare, 'compare');
      await shot(page, resolve(SHOTS, `lesson-overlap-${L.locale}-5-compare-exposed.png`), before, after, compare);

      const solved = ['find-allreduce-after-attention', 'host-waits-in-bincount', 'measure-reduce-scatter', 'measure-overlap-ratio', 'compare-exposed-communication'];
      await progress.getByText(L.progress(solved.length, pack.exercises.length)).waitFor();

      // Progress survives a reload.
      await page.reload({ waitUntil: 'networkidle' });
      await progress.getByText(L.progress(solved.length, pack.exercises.length)).waitFor();
      for (const id of solved) {
        const s = await exercise(page, id);
        await s.locator('xpath=self::*[@data-solved="true"]').waitFor();
      }
      await shot(page, resolve(SHOTS, `lesson-overlap-${L.locale}-6-after-reload.png`), await exercise(page, 'find-allreduce-after-attention'));

      assert.deepEqual(log.errors, [], `console errors on ${L.path}`);
      await context.close();
    } finally {
      await browser.close();
    }
  });
}
