// The ranks of one run on the upload page, both locales, in Debian's Chromium:
// - HTA's two sampled Kineto ranks picked together: one run, aligned on the shared clock, both ranks
//   stacked on one timeline, every NCCL kernel matched (count from the raw JSON), the table sorted by
//   skew (largest first, the largest equal to the one computed here from the raw kernels; a pair that
//   cannot be one collective flagged), a collective shown: its wait drawn highlighted, the latecomer named;
// - a rank of that run with a rank of another run (HTA's nccl trace, world size 2): two runs, said so,
//   and no rank-against-rank comparison; a folder of two runs of two ranks each (all named trace_view.json):
//   two runs, each with its own step table and collectives, columns labelled by run and rank;
// - lesson 2: the bundled TP = 2 pair aligned in the lesson, its most skewed all-reduce, the exercise solved;
// - lesson 3: the reading exercise on the real Ascend pair, a wrong answer refused, the right one accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, collectConsoleErrors, launchBrowser } from './harness.mjs';
import { uploadStrings } from '../../src/components/upload/strings.ts';
import { exercise, expectCorrect, expectWrong, optionInput, readPack, readTrace } from './lesson-helpers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });
const TRACES = resolve(root, '../shared/traces');
const HAVE_TRACES = existsSync(TRACES);
if (!HAVE_TRACES) console.warn(`ranks e2e: ${TRACES} is absent; skipped`);

const LOCALES = [
  { locale: 'en', lang: 'en' },
  { locale: 'zh-cn', lang: 'zh-CN' },
];
const RANKS = [0, 1].map((r) => `pytorch/hta-sampled-rank${r}.json.gz`);

function rawJson(rel) {
  const b = readFileSync(join(TRACES, rel));
  return JSON.parse((b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b).toString('utf8'));
}

/** Per rank, the NCCL kernels by stream and start (absolute µs, integers in these files). */
function ncclKernels(rel) {
  const byStream = new Map();
  for (const e of rawJson(rel).traceEvents) {
    if (e.ph !== 'X' || e.cat !== 'kernel' || !/^ncclKernel_/.test(e.name)) continue;
    if (!byStream.has(e.tid)) byStream.set(e.tid, []);
    byStream.get(e.tid).push(e);
  }
  for (const list of byStream.values()) list.sort((a, b) => a.ts - b.ts);
  return byStream;
}

async function waitLoaded(page) {
  await page.waitForFunction(() => document.querySelector('.tw-upload')?.dataset.state === 'ready', null, { timeout: 120_000 });
}

for (const L of LOCALES) {
  test(`ranks (${L.locale}): two ranks aligned, waits drawn, collectives sorted by skew; two runs told apart`, { skip: !HAVE_TRACES && 'no ../shared/traces' }, async () => {
    const s = uploadStrings(L.lang);
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/upload/`, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));

      await page.locator('input.tw-upload-files').setInputFiles(RANKS.map((f) => join(TRACES, f)));
      await waitLoaded(page);
      const view = page.locator('.tw-upload-coll');
      await view.waitFor({ timeout: 60_000 });
      assert.equal(await page.locator('.tw-upload-runs').count(), 0, 'one run: no "several runs" notice');
      assert.equal(await view.getAttribute('data-aligned-by'), 'absolute', 'the ranks share a clock (their time ranges overlap)');
      assert.equal(await view.locator('.tw-coll-host').getAttribute('data-same-host'), 'null', 'HTA’s file names do not say which host');
      assert.equal(await view.locator('.tw-coll-host').innerText(), s.host(null));

      // Every NCCL kernel matched: n-th kernel of a stream on rank 0 with the n-th on rank 1.
      const k = RANKS.map(ncclKernels);
      const pairs = [...k[0].keys()].flatMap((tid) => k[0].get(tid).map((a, n) => [a, k[1].get(tid)[n]]));
      assert.equal(pairs.length, [...k[1].values()].reduce((n, l) => n + l.length, 0), 'both ranks have the same collectives');
      const rows = view.locator('tbody tr[data-collective-row]');
      assert.equal(await rows.count(), pairs.length, 'one row per matched collective');
      assert.deepEqual(await view.locator('.tw-coll-summary tbody th').allTextContents(), [s.rank(0), s.rank(1)]);

      // One timeline, one group of lanes per rank, collectives joined by connectors.
      assert.equal(await view.locator('svg [data-rank-lanes]').count(), 2);
      assert.equal(await view.locator('svg .tw-connector').count(), pairs.length, 'every collective joined across ranks');

      // Sorted by skew: the largest first, equal to the arrival difference computed from the raw kernels.
      await view.getByRole('button', { name: s.sortSkew }).click();
      await view.locator('.tw-coll-table[data-sorted-by="skew"]').waitFor();
      const skews = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelector('.tw-skew').dataset.skewNs))));
      assert.deepEqual(skews, [...skews].sort((a, b) => b - a), 'rows in decreasing skew');
      const rawSkews = pairs.map(([a, b]) => Math.abs(a.ts - b.ts) * 1000);
      assert.equal(skews[0], Math.max(...rawSkews), 'the largest skew, from the raw kernels');

      // The most skewed pair ended on rank 0 long before rank 1 arrived (HTA's traces are sampled: events were
      // dropped, so the n-th kernels are not always the same collective): flagged, no latecomer named.
      const top = pairs[rawSkews.indexOf(Math.max(...rawSkews))];
      const [early, later] = top[0].ts < top[1].ts ? top : [top[1], top[0]];
      if (early.ts + early.dur < later.ts - 1000) assert.equal(await rows.first().locator('[data-last-rank]').innerText(), s.notSame);

      // Show the most skewed collective that names a latecomer: its wait is drawn highlighted on the rank
      // that waited, and the caption names the latecomer (the rank whose raw kernel started later).
      const decided = rows.filter({ has: page.locator('[data-last-rank="0"], [data-last-rank="1"]') }).first();
      const late = Number(await decided.locator('[data-last-rank]').getAttribute('data-last-rank'));
      const pair = pairs[rawSkews.indexOf(Number(await decided.locator('.tw-skew').getAttribute('data-skew-ns')))];
      assert.equal(late, pair[1].ts > pair[0].ts ? 1 : 0, 'the latecomer is the rank whose kernel started later');
      await decided.getByRole('button', { name: s.show }).click();
      const sel = view.locator('svg .tw-coll.tw-selected');
      await sel.waitFor();
      const wait = sel.locator(`.tw-wait[data-wait-rank="${1 - late}"]`);
      assert.equal(await wait.count(), 1, 'the waiting rank has a wait part');
      const box = await wait.boundingBox();
      assert.ok(box && box.width > 20, `the wait is drawn at a visible width (${box?.width} px)`);
      assert.equal(await sel.locator(`.tw-wait[data-wait-rank="${late}"]`).count(), 0, 'the latecomer did not wait');
      assert.equal(await wait.evaluate((el) => getComputedStyle(el).strokeWidth), '2px', 'the selected wait is outlined');
      const caption = await view.locator('.tw-coll-selected').innerText();
      assert.ok(caption.includes(s.rank(late)), `the caption names ${s.rank(late)} as last: ${caption}`);
      assert.match((await decided.getAttribute('class')) ?? '', /tw-row-selected/);
      await page.screenshot({ path: resolve(SHOTS, `ranks-${L.locale}-hta-sampled.png`), fullPage: true });
      await view.screenshot({ path: resolve(SHOTS, `ranks-${L.locale}-collectives.png`) });

      // A rank of this run with a rank of another (world size 2, recorded a year later): two runs.
      await page.locator('input.tw-upload-files').setInputFiles([join(TRACES, RANKS[0]), join(TRACES, 'pytorch/hta-nccl-data.json.gz')]);
      await waitLoaded(page);
      const runs = page.locator('.tw-upload-runs');
      await runs.waitFor({ timeout: 60_000 });
      assert.equal(await runs.getAttribute('data-runs'), '2');
      assert.equal(await runs.locator('h3').innerText(), s.runsTitle);
      assert.equal(await page.locator('.tw-upload-coll').count(), 0, 'no rank-against-rank collectives across runs');
      assert.equal(await page.locator('.tw-upload-ranks').count(), 0, 'no step table across runs');

      // A folder holding two runs of two ranks each, every file named trace_view.json (the real Ascend pair copied
      // under two run folders in a temporary directory): two runs, columns "monday · rank 0" …, never the file name.
      const dir = mkdtempSync(join(tmpdir(), 'tracewise-runs-'));
      for (const day of ['monday', 'tuesday'])
        for (const [r, name] of [[0, 'trace_view.json'], [1, 'trace_view.json.gz']]) {
          mkdirSync(join(dir, 'exp', day, `rank${r}`), { recursive: true });
          copyFileSync(join(TRACES, `ascend/train-2rank-level1/rank${r}/${name}`), join(dir, 'exp', day, `rank${r}`, name));
        }
      await page.locator('input.tw-upload-folder').setInputFiles(join(dir, 'exp'));
      await waitLoaded(page);
      await page.locator('.tw-upload-runs[data-runs="2"]').waitFor({ timeout: 60_000 });
      assert.deepEqual(await page.locator('.tw-upload-runs li strong').allTextContents(), ['monday', 'tuesday']);
      const stepTables = page.locator('.tw-upload-ranks');
      assert.equal(await stepTables.count(), 2, 'one step table per run');
      for (const [k, day] of ['monday', 'tuesday'].entries()) {
        const heads = await stepTables.nth(k).locator('thead th').allTextContents();
        assert.deepEqual(heads.slice(1, 3), [`${day} · ${s.rank(0)}`, `${day} · ${s.rank(1)}`]);
      }
      assert.equal(await page.locator('.tw-upload-coll').count(), 2, 'collectives per run');
      assert.equal(await page.locator('.tw-upload-coll').first().locator('tbody tr[data-collective-row]').count(), 4, 'the 4 HCCL all-reduces');
      rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}

// Lesson 2: the bundled TP = 2 pair (both ranks on one H200) on one aligned axis, and the "who made the other
// wait" exercise answered from it: a wrong answer first (the rank with the long kernels), then the right one.
const L2 = readPack('gpu-qwen-tp');
const SAMPLE = [0, 1].map((r) => readTrace(`qwen2_5-7b-shape-tp2-rank${r}-1gpu-h200.json.gz`));

for (const L of LOCALES) {
  test(`ranks in lesson 2 (${L.locale}): the TP=2 pair aligned, the latecomer found, the exercise solved`, async () => {
    const s = uploadStrings(L.lang);
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 1100 } })).newPage();
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/lessons/gpu-qwen-tp/`, { waitUntil: 'networkidle' });
      const sample = page.locator('.tw-ranks-sample');
      await sample.scrollIntoViewIfNeeded();
      await page.locator('.tw-ranks-sample[data-state="ready"]').waitFor({ timeout: 60_000 });
      const view = sample.locator('.tw-upload-coll');
      assert.equal(await view.getAttribute('data-aligned-by'), 'absolute');
      const ncclCount = SAMPLE.map((t) => t.slices.filter((x) => /^ncclDevKernel_/.test(x.name)).length);
      assert.equal(ncclCount[0], ncclCount[1]);
      assert.equal(await view.locator('tbody tr[data-collective-row]').count(), ncclCount[0], 'every NCCL kernel matched');
      await view.getByRole('button', { name: s.sortSkew }).click();
      const first = view.locator('tbody tr[data-collective-row]').first();
      assert.equal(await first.locator('[data-last-rank]').getAttribute('data-last-rank'), '0', 'the most skewed all-reduce: rank 0 last');
      await first.getByRole('button', { name: s.show }).click();
      await view.locator('svg .tw-coll.tw-selected .tw-wait[data-wait-rank="1"]').waitFor();
      assert.ok((await view.locator('.tw-coll-idle').innerText()).length > 0, 'the note says rank 0’s device was mostly idle');

      const ex = L2.exById.get('gq-tp2-who-waited');
      const section = await exercise(page, L2.exById, 'gq-tp2-who-waited', L.lang);
      await optionInput(section, ex, 'rank1', L.lang).check();
      await section.locator('button.tw-ex-check').click();
      await expectWrong(section, ex.options.find((o) => o.id === 'rank1').explanation[L.lang]);
      await optionInput(section, ex, 'rank0-host', L.lang).check();
      await expectCorrect(section, 'who waited');
      await view.screenshot({ path: resolve(SHOTS, `ranks-lesson2-${L.locale}.png`) });
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}

// Lesson 3: the reading exercise on the real Ascend pair's numbers (checked in collective-skew.test.ts):
// "rank 0 is slow" is refused with its explanation, "rank 1 arrived last" is accepted.
const L3 = readPack('npu-deepseek');

for (const L of LOCALES) {
  test(`ranks in lesson 3 (${L.locale}): who waited for whom on the real Ascend pair`, async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 1100 } })).newPage();
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/lessons/npu-deepseek/`, { waitUntil: 'networkidle' });
      const ex = L3.exById.get('npu-ranks-who-waited');
      const section = await exercise(page, L3.exById, 'npu-ranks-who-waited', L.lang);
      await section.scrollIntoViewIfNeeded();
      await optionInput(section, ex, 'rank0-slow', L.lang).check();
      await section.locator('button.tw-ex-check').click();
      await expectWrong(section, ex.options.find((o) => o.id === 'rank0-slow').explanation[L.lang]);
      await optionInput(section, ex, 'rank1-late', L.lang).check();
      await expectCorrect(section, 'rank 1 arrived last');
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}
