// Two runs compared on the upload page, both locales, in Debian's Chromium: the DeepSeek-V3-shaped
// AllReduce and ReduceScatter+AllGather recordings from public/traces picked together and opened as
// runs (both are rank 0, so the page reads them as two runs without asking); the two timelines share one
// axis counted from the anchor (the start of the first matched ProfilerStep), zoom, pan, area selection and
// search act on both; a kernel-group row and a finding row outline the matching slices in both runs; the
// wide view puts the summary beside them. Lesson 4's compare exercises solved by reading the summary, and
// the example workshop's comparison. Expected counts and step starts come from the raw files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';
import { readTrace, windowOf, exercise, expectCorrect, unionNs } from './exercise-page.mjs';
import { readFileSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });
const file = (v) => resolve(root, `public/traces/deepseek-v3-shape-${v}-ws2-rank0-1gpu-h200.json.gz`);
const FILES = [file('allreduce'), file('rs-ag')];
const [AR, RSAG] = FILES.map(readTrace);

const LOCALES = [
  { locale: 'en', lang: 'en', choice: /^Compare these two as runs/, hidden: 'Communication hidden under compute', progress: (x, n) => `${x} of ${n} exercises solved` },
  { locale: 'zh-cn', lang: 'zh-CN', choice: /^把这两个文件作为两次运行对比/, hidden: '被计算掩盖的通信', progress: (x, n) => `已完成 ${x} / ${n} 道练习` },
];
const pack = JSON.parse(readFileSync(resolve(root, 'src/content/exercises/gpu-overlap.json'), 'utf8'));
const exById = new Map(pack.exercises.map((e) => [e.id, e]));
/** "+148 ms" / "-1.92 ms" / "+39.6 µs" → value and unit as the learner reads them. */
function readDelta(text) {
  const m = /^([+-]?[\d.]+)\s*(ns|µs|ms|s)$/.exec(text.trim());
  assert.ok(m, `a duration: ${text}`);
  return { value: Number(m[1]), unit: m[2] === 'µs' ? 'us' : m[2] };
}
async function answer(section, { value, unit }) {
  await section.locator('input[type=text]').fill(String(value));
  const select = section.locator('select');
  if (await select.count()) await select.selectOption(unit);
}

const isKernel = (s) => s.cat === 'kernel';
/** Host ProfilerStep#N starts, by N. */
const stepStarts = (t) => new Map(t.slices.filter((s) => /^ProfilerStep#\d+$/.test(s.name) && s.cat === 'user_annotation').map((s) => [s.name, s.startNs]));
/** The shared-axis window of a timeline: its own window minus its anchor. */
const shared = (w, anchor) => ({ startNs: w.startNs - anchor, endNs: w.endNs - anchor });
const close = (x, y, what) => {
  // Windows are clamped in float ns on each side: equal to well under a nanosecond.
  assert.ok(Math.abs(x.startNs - y.startNs) < 1 && Math.abs(x.endNs - y.endNs) < 1, `${what}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
};

for (const L of LOCALES) {
  test(`compare two runs on the upload page (${L.locale}): one synced axis, area and search on both, a diff row outlines slices in both`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1200 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/upload/`, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
      await page.locator('input.tw-upload-files').setInputFiles(FILES);
      await page.waitForFunction(() => document.querySelector('.tw-upload')?.dataset.state === 'ready', null, { timeout: 120_000 });
      // Both samples are rank 0: not two ranks of one run, so they open as two runs without asking.
      const view = page.locator('section.tw-compare');
      await view.waitFor();
      assert.match(await page.locator('.tw-upload-same-rank').innerText(), L.lang === 'en' ? /^Both files are rank 0/ : /^两个文件都是 rank 0/);
      assert.equal(await page.locator('button.tw-upload-compare').getAttribute('aria-pressed'), 'true');
      await view.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 60_000 });
      const [a, b] = ['a', 'b'].map((r) => view.locator(`.tw-compare-run[data-run="${r}"] section.tw-timeline`));
      for (const w of [a, b]) await page.waitForFunction((el) => el.twTimeline && !el.twTimeline.view.computing, await w.elementHandle(), { timeout: 60_000 });

      // The anchor is the first step both runs have, from the raw files; the axes count from it.
      const sa = stepStarts(AR);
      const sb = stepStarts(RSAG);
      const first = [...sa.keys()].filter((n) => sb.has(n)).sort((x, y) => Number(x.split('#')[1]) - Number(y.split('#')[1]))[0];
      const anchors = await Promise.all([a, b].map((w) => w.evaluate((el) => el.twTimeline.view.axisOriginNs)));
      assert.ok(Math.abs(anchors[0] - sa.get(first)) < 1 && Math.abs(anchors[1] - sb.get(first)) < 1, `anchored at ${first}: ${anchors} vs ${sa.get(first)}, ${sb.get(first)}`);
      close(shared(await windowOf(a), anchors[0]), shared(await windowOf(b), anchors[1]), 'the pair opens on one shared window');
      assert.equal(await view.locator('.tw-diff-device tr[data-field="overlapRatio"] th').innerText(), L.hidden);
      await page.screenshot({ path: resolve(SHOTS, `compare-${L.locale}-0-open.png`), fullPage: true });

      // Zoom in with the keyboard on A, then pan B with the mouse: the other follows each time.
      await a.locator('.tw-canvas-wrap').focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('w');
      await page.waitForTimeout(150);
      const zoomed = shared(await windowOf(a), anchors[0]);
      close(shared(await windowOf(b), anchors[1]), zoomed, 'B follows A’s zoom');
      await b.locator('.tw-canvas-wrap').scrollIntoViewIfNeeded();
      const box = await b.locator('.tw-canvas-wrap').boundingBox();
      await page.mouse.move(box.x + box.width * 0.6, box.y + 60);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.3, box.y + 60, { steps: 5 });
      await page.mouse.up();
      await page.waitForTimeout(150);
      const panned = shared(await windowOf(b), anchors[1]);
      assert.ok(Math.abs(panned.startNs - zoomed.startNs) > 1000, 'B panned');
      close(shared(await windowOf(a), anchors[0]), panned, 'A follows B’s pan');

      // An area selection on A (shift+drag) appears on B at the same shared times.
      await a.locator('.tw-canvas-wrap').scrollIntoViewIfNeeded();
      const boxA = await a.locator('.tw-canvas-wrap').boundingBox();
      await page.keyboard.down('Shift');
      await page.mouse.move(boxA.x + boxA.width * 0.2, boxA.y + 60);
      await page.mouse.down();
      await page.mouse.move(boxA.x + boxA.width * 0.5, boxA.y + 60, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      const selA = await a.evaluate((el) => ({ ...el.twTimeline.view.selection }));
      const selB = await b.evaluate((el) => ({ ...el.twTimeline.view.selection }));
      assert.equal(selA.kind, 'range');
      assert.equal(selB.kind, 'range', 'B got the area selection');
      close(shared(selB, anchors[1]), shared(selA, anchors[0]), 'the same shared range');

      // Search typed in B runs in A too.
      await b.locator('input[type=search]').fill('rms_norm');
      await page.waitForFunction((el) => el.twTimeline.view.search?.matches.length > 0, await a.elementHandle(), { timeout: 10_000 });
      assert.equal(await a.locator('input[type=search]').inputValue(), 'rms_norm');
      const expectMatches = (t) => t.slices.filter((s) => /rms_norm/i.test(s.name)).length;
      const matches = await Promise.all([a, b].map((w) => w.evaluate((el) => el.twTimeline.view.search.matches.length)));
      assert.ok(matches[0] > 0 && matches[1] > 0 && matches[0] <= expectMatches(AR) && matches[1] <= expectMatches(RSAG), `search matches ${matches}`);
      await b.locator('input[type=search]').fill('');

      // A kernel group in both runs: its row outlines exactly its kernels in each.
      const name = 'fused_add_rms_norm_kernel';
      const count = (t) => t.slices.filter((s) => isKernel(s) && s.name === name).length;
      await view.locator(`tr[data-kernel="${name}"] button`).click();
      const outlined = () => Promise.all([a, b].map((w) => w.evaluate((el) => el.twTimeline.view.highlightSlices.size)));
      assert.deepEqual(await outlined(), [count(AR), count(RSAG)]);
      assert.ok(count(AR) > 0 && count(RSAG) > 0);
      // The all_reduce finding: AllReduce kernels in A, none in B.
      const arKernels = AR.slices.filter((s) => isKernel(s) && /^ncclDevKernel_AllReduce/.test(s.name)).length;
      await view.locator('tr[data-finding="all_reduce"] button').click();
      assert.deepEqual(await outlined(), [arKernels, 0]);
      assert.equal(await view.locator('tr[data-finding="all_reduce"] button').getAttribute('aria-pressed'), 'true');
      await page.screenshot({ path: resolve(SHOTS, `compare-${L.locale}-1-highlight.png`), fullPage: true });

      // Anchor at a slice selected in each: the first fused_add_rms_norm_kernel of each run (from the raw files).
      const firstOf = (t) => t.slices.find((x) => isKernel(x) && x.name === name).startNs;
      for (const w of [a, b]) {
        await w.evaluate((el, n) => {
          const m = el.twTimeline.view.model;
          let id = -1;
          for (let i = 0; i < m.slices.length && id < 0; i++) if (m.strings[m.slices.name[i]] === n && m.strings[m.slices.cat[i]] === 'kernel') id = i;
          el.twTimeline.select(id);
        }, name);
      }
      await view.locator('button.tw-compare-align').click();
      const sliceAnchors = await Promise.all([a, b].map((w) => w.evaluate((el) => el.twTimeline.view.axisOriginNs)));
      assert.ok(Math.abs(sliceAnchors[0] - firstOf(AR)) < 1 && Math.abs(sliceAnchors[1] - firstOf(RSAG)) < 1, `anchored at the selected kernels: ${sliceAnchors}`);
      close(shared(await windowOf(a), sliceAnchors[0]), shared(await windowOf(b), sliceAnchors[1]), 'one shared window around the new anchor');

      // Wide view: the summary beside the timelines; Escape returns to the page.
      await view.locator('button.tw-compare-wide-toggle').click();
      const runsBox = await view.locator('.tw-compare-runs').boundingBox();
      const sideBox = await view.locator('.tw-compare-side').boundingBox();
      assert.ok(sideBox.x >= runsBox.x + runsBox.width - 1, `the summary is beside the timelines: ${JSON.stringify({ runsBox, sideBox })}`);
      close(shared(await windowOf(a), sliceAnchors[0]), shared(await windowOf(b), sliceAnchors[1]), 'still synced after the resize');
      await page.screenshot({ path: resolve(SHOTS, `compare-${L.locale}-2-wide.png`) });
      await page.locator('h2#tw-compare-h').click();
      await page.keyboard.press('Escape');
      assert.equal(await view.locator('button.tw-compare-wide-toggle').getAttribute('aria-pressed'), 'false');

      // Back to separate timelines, and to the compare view by the learner's choice.
      await page.locator('button.tw-upload-compare').click();
      assert.equal(await page.locator('section.tw-compare').count(), 0);
      assert.equal(await page.locator('.tw-upload-trace section.tw-timeline').count(), 2);
      await page.getByRole('button', { name: L.choice }).click();
      await page.locator('section.tw-compare[data-state="ready"]').waitFor({ timeout: 60_000 });
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}

for (const L of LOCALES) {
  test(`lesson 4 (${L.locale}): the three recordings in the compare view; both compare exercises solved by reading the diff`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/lessons/gpu-overlap/`, { waitUntil: 'networkidle' });
      const view = page.locator('section.tw-compare');
      await view.scrollIntoViewIfNeeded();
      await view.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 90_000 });

      // 1. A = all-reduce, B = RS+AG: the kernel group with the largest positive Δ, read off the summary like a learner.
      const rows = await view.locator('tbody.tw-diff-kernels tr[data-kernel]').evaluateAll((trs) => trs.map((tr) => ({ name: tr.dataset.kernel, delta: tr.lastElementChild.textContent.trim() })));
      const gains = rows.filter((r) => r.delta.startsWith('+')).map((r) => ({ ...r, d: readDelta(r.delta) }));
      const toNs = ({ value, unit }) => value * { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[unit];
      gains.sort((x, y) => toNs(y.d) - toNs(x.d));
      assert.equal(gains[0].name, 'ncclDevKernel_AllGather_RING_LL', 'the all-gather group gained most');
      // From the raw files: the all-gather kernels' time in B (none in A).
      const ag = RSAG.slices.filter((x) => isKernel(x) && /^ncclDevKernel_AllGather/.test(x.name)).reduce((t, x) => t + x.endNs - x.startNs, 0);
      assert.ok(Math.abs(toNs(gains[0].d) - ag) / ag < 0.01, `Δ ${gains[0].delta} vs ${ag} ns`);
      const gain = await exercise(page, exById.get('compare-kernel-group-gain').title[L.lang]);
      await answer(gain, gains[0].d);
      await expectCorrect(gain, 'kernel group gain');

      // 2. B = two streams: the change of hidden communication, read from the device rows.
      await view.locator('select.tw-compare-pick[data-side="b"]').selectOption({ index: 2 });
      await view.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 90_000 });
      await page.waitForFunction((el) => el.querySelector('.tw-compare-run[data-run="b"] bdi')?.textContent.includes('stream'), await view.elementHandle());
      const hiddenText = await view.locator('tr[data-field="overlapRatio"] td').last().innerText();
      const hidden = readDelta(hiddenText);
      const two = readTrace(file('two-stream'));
      const k = two.slices.filter(isKernel);
      const m = k.filter((x) => /^nccl/.test(x.name)).map((x) => [x.startNs, x.endNs]);
      const c = k.filter((x) => !/^nccl/.test(x.name)).map((x) => [x.startNs, x.endNs]);
      const overlapped = unionNs(m) + unionNs(c) - unionNs([...m, ...c]);
      assert.ok(Math.abs(toNs(hidden) - overlapped) / overlapped < 0.01, `hidden Δ ${hiddenText} vs ${overlapped} ns`);
      const hid = await exercise(page, exById.get('compare-hidden-communication').title[L.lang]);
      await answer(hid, hidden);
      await expectCorrect(hid, 'hidden communication');
      await page.screenshot({ path: resolve(SHOTS, `compare-lesson-${L.locale}.png`), fullPage: false });
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}

for (const L of LOCALES) {
  test(`workshop (${L.locale}): the example pack's comparison opens in the compare view, labels in the page language`, async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
      const log = collectConsoleErrors(page);
      const example = JSON.parse(readFileSync(resolve(root, 'public/workshops/example.json'), 'utf8'));
      await page.goto(`${baseUrl()}/${L.locale}/workshop/?pack=/workshops/example.json`, { waitUntil: 'networkidle' });
      const view = page.locator('.tw-ws-compare section.tw-compare');
      await view.scrollIntoViewIfNeeded();
      await view.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 90_000 });
      const c = example.comparisons[0];
      assert.equal(await page.locator('.tw-ws-compare h3').first().innerText(), c.title[L.lang]);
      assert.deepEqual(await view.locator('.tw-compare-run h3 bdi').allInnerTexts(), c.runs.map((r) => r.label[L.lang]));
      assert.ok((await view.locator('tbody.tw-diff-kernels tr[data-kernel]').count()) > 0, 'kernel groups listed');
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}

for (const L of LOCALES) {
  test(`lesson 3 (${L.locale}): the simulated NPU runs in the compare view; the AddRmsNorm group outlines its tasks in both`, async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/lessons/npu-deepseek/`, { waitUntil: 'networkidle' });
      const view = page.locator('section.tw-compare');
      await view.scrollIntoViewIfNeeded();
      await view.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 90_000 });
      const npu = (v) => readTrace(resolve(root, `public/traces/npu-deepseek-${v}.json.gz`));
      const tasks = (t) => t.slices.filter((x) => x.processName === 'Ascend Hardware' && /^aclnnAddRmsNorm_/.test(x.name)).length;
      const name = 'aclnnAddRmsNorm_AddRmsNorm_AddRmsNorm';
      await view.locator(`tr[data-kernel="${name}"] button`).click();
      const [a, b] = ['a', 'b'].map((r) => view.locator(`.tw-compare-run[data-run="${r}"] section.tw-timeline`));
      const outlined = await Promise.all([a, b].map((w) => w.evaluate((el) => el.twTimeline.view.highlightSlices.size)));
      assert.deepEqual(outlined, [tasks(npu('baseline')), tasks(npu('rs-ag'))]);
      assert.ok(outlined[0] > 0);
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}
