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
import { readFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });
const pack = JSON.parse(readFileSync(resolve(root, 'src/content/exercises/npu-deepseek.json'), 'utf8'));
const exById = new Map(pack.exercises.map((e) => [e.id, e]));

const LOCALES = [
  { locale: 'en', lang: 'en', path: '/en/lessons/npu-deepseek/', progress: (x, n) => `${x} of ${n} exercises solved`, simulated: /simulated/i },
  { locale: 'zh-cn', lang: 'zh-CN', path: '/zh-cn/lessons/npu-deepseek/', progress: (x, n) => `已完成 ${x} / ${n} 道练习`, simulated: /模拟/ },
];

// ── the traces, read the plain way ──────────────────────────────────────────

/** Exact µs text ("1763974800001465.870") → integer ns as a BigInt. */
function usTextToNs(ts) {
  const [int, frac = ''] = String(ts).split('.');
  return BigInt(int) * 1000n + BigInt((frac + '000').slice(0, 3));
}

function readTrace(name) {
  const events = JSON.parse(gunzipSync(readFileSync(resolve(root, 'public/traces', name))).toString('utf8'));
  const proc = new Map();
  const thread = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') proc.set(String(e.pid), e.args.name);
    if (e.name === 'thread_name') thread.set(`${e.pid}/${e.tid}`, e.args.name);
  }
  // The model's origin is the earliest timestamp of the trace.
  let origin = null;
  for (const e of events) {
    if (e.ph === 'M' || e.ts === undefined) continue;
    const t = usTextToNs(e.ts);
    if (origin === null || t < origin) origin = t;
  }
  const slices = events
    .filter((e) => e.ph === 'X')
    .map((e) => {
      const start = usTextToNs(e.ts) - origin;
      return { name: e.name, args: e.args ?? {}, process: proc.get(String(e.pid)), thread: thread.get(`${e.pid}/${e.tid}`), startNs: Number(start), endNs: Number(start + usTextToNs(e.dur)) };
    })
    .sort((a, b) => a.startNs - b.startNs);
  return { slices, originUs: `${origin / 1000n}.${String(origin % 1000n).padStart(3, '0')}` };
}

/** Total length of the union of [start, end) intervals. */
function unionNs(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur = null;
  for (const [s, e] of sorted) {
    if (!cur || s > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  return cur ? total + cur[1] - cur[0] : 0;
}

/** Communication not hidden under computation, |M − C| = |M ∪ C| − |C|, as Insight's Overlap Analysis defines it. */
function exposedCommNs(trace) {
  const COMPUTE = new Set(['AI_CORE', 'AI_VECTOR_CORE', 'MIX_AIC', 'MIX_AIV', 'AI_CPU', 'DSA_SQE']);
  const c = trace.slices.filter((s) => s.process === 'Ascend Hardware' && COMPUTE.has(s.args['Task Type'])).map((s) => [s.startNs, s.endNs]);
  const m = trace.slices.filter((s) => s.process === 'HCCL' && /Communication$/.test(s.thread) && s.name.startsWith('hcom_')).map((s) => [s.startNs, s.endNs]);
  return unionNs([...m, ...c]) - unionNs(c);
}

// ── page helpers ────────────────────────────────────────────────────────────

const titleOf = (id, lang) => exById.get(id).title[lang];
const widgetOf = (page, id) => page.locator(`.tw-exercise-timeline[data-timeline-id="${id}"] section.tw-timeline`);

/** An exercise, once its island has hydrated (before that its inputs are inert server HTML). */
async function exercise(page, id, lang) {
  const section = page.locator(`section.tw-exercise[aria-label="${titleOf(id, lang)}"]`);
  await section.scrollIntoViewIfNeeded();
  await section.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
  return section;
}
async function waitReady(widget) {
  await widget.scrollIntoViewIfNeeded();
  await widget.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 60_000 });
  await widget.page().waitForFunction((el) => el.twTimeline && !el.twTimeline.view.computing, await widget.elementHandle(), { timeout: 60_000 });
}

const windowOf = (widget) => widget.evaluate((el) => ({ ...el.twTimeline.view.window }));

/** Canvas x of a time, from the widget's shown window. */
async function xOf(widget, ns) {
  const box = await widget.locator('.tw-canvas-wrap').boundingBox();
  const w = await windowOf(widget);
  return box.x + ((ns - w.startNs) / (w.endNs - w.startNs)) * box.width;
}

/** The label box of the first row named `label` (its y range is the row's on the canvas). */
async function rowBox(widget, label) {
  const re = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = widget.locator('.tw-row', { has: widget.page().locator('.tw-row-name', { hasText: re }) }).first();
  await row.scrollIntoViewIfNeeded();
  return row.boundingBox();
}

async function check(section) {
  await section.locator('button.tw-ex-check').click();
  await section.locator('.tw-ex-feedback').waitFor();
}

async function expectCorrect(section, what) {
  await section.locator('button.tw-ex-check').click();
  try {
    await section.locator('.tw-ex-feedback.tw-ex-right').waitFor({ timeout: 20_000 });
  } catch {
    assert.fail(`${what} is not accepted: ${await section.locator('.tw-ex-feedback').innerText().catch(() => '(no feedback)')}`);
  }
  await section.locator('xpath=self::*[@data-solved="true"]').waitFor();
}

/** A screenshot of what the learner looks at: the widget (if any) and the exercise, no hover, the page grown to fit them. */
async function shot(page, name, ...locators) {
  await page.mouse.move(0, 0);
  const size = page.viewportSize();
  const boxesAt = async () => {
    const scrollY = await page.evaluate(() => window.scrollY);
    const boxes = [];
    for (const l of locators) {
      const b = await l.boundingBox();
      boxes.push({ ...b, y: b.y + scrollY });
    }
    return boxes;
  };
  let boxes = await boxesAt();
  const top = Math.min(...boxes.map((b) => b.y)) - 8;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 8;
  // Starlight's header is fixed: leave room for it above the clip.
  const header = 80;
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(bottom - top) + header + 16) });
  await page.evaluate((y) => window.scrollTo(0, y), top - header);
  await page.waitForTimeout(250);
  boxes = await boxesAt();
  const scrollY = await page.evaluate(() => window.scrollY);
  const x = Math.min(...boxes.map((b) => b.x)) - 8;
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + 8;
  const y = Math.min(...boxes.map((b) => b.y)) - 8 - scrollY;
  const h = Math.max(...boxes.map((b) => b.y + b.height)) + 8 - scrollY - y;
  await page.screenshot({ path: resolve(SHOTS, name), clip: { x: Math.max(0, x), y: Math.max(0, y), width: right - x, height: h } });
  await page.setViewportSize(size);
}

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
      const optionBox = (id) => lanes.locator('label', { hasText: lanesEx.options.find((o) => o.id === id).text[L.lang] }).locator('input');
      await optionBox('python').check();
      await optionBox('cann').check();
      await optionBox('hccl').check();
      await check(lanes);
      assert.match(await lanes.locator('.tw-ex-feedback.tw-ex-wrong').innerText(), new RegExp(lanesEx.options.find((o) => o.id === 'hccl').explanation[L.lang].slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      await optionBox('hccl').uncheck();
      await expectCorrect(lanes, 'lanes');
      await shot(page, `lesson-npu-${L.locale}-1-choice-lanes.png`, lanes);

      // 2. find: the attention kernel of the second layer, clicked on the canvas.
      const mla = widgetOf(page, 'baseline-mla');
      await waitReady(mla);
      const target = baseline.slices.filter((s) => s.process === 'Ascend Hardware' && s.name.startsWith('aclnnFusedInferAttentionScoreV3_'))[1];
      assert.equal(await mla.evaluate((el) => el.twTimeline.view.model.originUs), baseline.originUs, 'the test and the widget agree on the time origin');
      // As a learner: search the kernel name, step to the second match, zoom to it (F), clear, then click it.
      const search = mla.locator('input[type=search]');
      await search.fill('/^aclnnFusedInferAttentionScoreV3_/');
      await search.press('Enter');
      await search.press('Enter');
      await search.press('Escape');
      await mla.locator('.tw-canvas-wrap').focus();
      await page.keyboard.press('f');
      await page.keyboard.press('Escape');
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
      await page.keyboard.down('Shift');
      await page.mouse.move(x0, y);
      await page.mouse.down();
      await page.mouse.move((x0 + x1) / 2, y, { steps: 4 });
      await page.mouse.move(x1, y, { steps: 4 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
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
