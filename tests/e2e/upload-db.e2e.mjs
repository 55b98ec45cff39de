// Ascend profiler databases (ascend_pytorch_profiler_N.db) on the upload page and the per-step table in
// lesson 3, both locales, in Debian's Chromium behind the recording proxy of privacy.mjs (only the site's
// origin is reachable):
// - a db picked as a file: lanes drawn, flows bound, the per-step table equal to the vendor's
//   analysis.db StepTraceTime (read here with node:sqlite), the re-targeted collective exercise solved;
// - a *_ascend_pt-style folder holding ASCEND_PROFILER_OUTPUT/ascend_pytorch_profiler_N.db and analysis.db:
//   only the profiler db opens, its rank comes from profiler_info_N.json;
// - analysis.db picked alone gets its own message;
// - lesson 3 shows the per-step table for the simulated samples and never downloads SQLite (sql.js);
// - no request leaves the page, no CSP violation, no console error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl } from './harness.mjs';
import { openThroughProxy } from './privacy.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });
const TRACES = resolve(root, '../shared/traces');
const HAVE_TRACES = existsSync(TRACES);
if (!HAVE_TRACES) console.warn(`upload-db e2e: ${TRACES} is absent; the tests on real dbs skip`);
const SAMPLE = join(TRACES, 'ascend/db-2rank-level2/rank1');

const LOCALES = [
  { locale: 'en', lang: 'en' },
  { locale: 'zh-cn', lang: 'zh-CN' },
];

/** The vendor's StepTraceTime rows (µs), read from analysis.db. */
function vendorSteps(dir) {
  const db = new DatabaseSync(join(dir, 'analysis.db'), { readOnly: true });
  try {
    return db.prepare('SELECT * FROM StepTraceTime').all();
  } finally {
    db.close();
  }
}

/** Opens `path` on the site through the recording proxy; `close` checks that nothing left the site. */
async function openPage(path, { waitHydrated = true } = {}) {
  const { page, requests, assertStayedOnSite, close: end } = await openThroughProxy(baseUrl(), `${baseUrl()}${path}`);
  // The upload island loads at once; lesson islands hydrate when scrolled into view.
  if (waitHydrated) await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
  const close = async () => {
    try {
      await assertStayedOnSite();
    } finally {
      await end();
    }
  };
  return { page, requests, close };
}

async function waitLoaded(page) {
  await page.waitForFunction(() => document.querySelector('.tw-upload')?.dataset.state !== 'loading', null, { timeout: 120_000 });
}

const fmt = (us) => Number(us).toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** The first row of the page's step table against the vendor's row: every column within 0.1%. */
async function checkStepTable(page, vendor) {
  const table = page.locator('[data-step-trace] table').first();
  await table.waitFor({ timeout: 60_000 });
  const row = table.locator('tbody tr').first();
  assert.equal(await row.getAttribute('data-step'), String(vendor.step));
  const columns = {
    Computing: 'computing',
    'Communication(Not Overlapped)': 'communication_not_overlapped',
    Overlapped: 'overlapped',
    Communication: 'communication',
    Free: 'free',
    Stage: 'stage',
    Bubble: 'bubble',
    'Communication(Not Overlapped and Exclude Receive)': 'communication_not_overlapped_and_exclude_receive',
    Preparing: 'preparing',
  };
  for (const [title, col] of Object.entries(columns)) {
    const shown = Number((await row.locator(`td[data-column="${title}"]`).innerText()).replace(/,/g, ''));
    const want = Number(vendor[col]);
    const err = want === 0 ? Math.abs(shown) : Math.abs(shown - want) / want;
    assert.ok(err <= 0.001, `${title}: shown ${shown}, analysis.db ${fmt(want)}`);
  }
}

for (const L of LOCALES) {
  test(`upload-db (${L.locale}): an Ascend profiler db, a *_ascend_pt folder holding one, and analysis.db`, { skip: !HAVE_TRACES && 'no ../shared/traces' }, async (t) => {
    const { page, close } = await openPage(`/${L.locale}/upload/`);
    const tmp = mkdtempSync(join(tmpdir(), 'tw-upload-db-'));
    try {
      // 1. The db picked as a file.
      await page.locator('input.tw-upload-files').setInputFiles(join(SAMPLE, 'ascend_pytorch_profiler_1.db'));
      await waitLoaded(page);
      await page.locator('[data-entry-state="ready"]').waitFor({ timeout: 60_000 });
      const widget = page.locator('.tw-upload-trace section.tw-timeline').first();
      await page.waitForFunction((el) => el.twTimeline && !el.twTimeline.view.computing, await widget.elementHandle(), { timeout: 60_000 });
      const rows = await widget.locator('.tw-row-name').allInnerTexts();
      for (const lane of ['Stream 2', 'Group 0 Communication']) assert.ok(rows.some((r) => r.trim() === lane), `lane ${lane} drawn (rows: ${rows.slice(0, 12).join(' | ')})`);
      const facts = await widget.evaluate((el) => {
        const m = el.twTimeline.view.model;
        const cats = new Set(Array.from(m.flows.cat, (c) => m.strings[c]));
        let bound = 0;
        for (let i = 0; i < m.flows.length; i++) if (m.flows.fromSlice[i] >= 0 && m.flows.toSlice[i] >= 0) bound++;
        return { format: m.format, flows: m.flows.length, bound, cats: [...cats].sort() };
      });
      assert.equal(facts.format, 'ascend');
      assert.ok(facts.flows > 0 && facts.bound === facts.flows, `every flow bound (${facts.bound} of ${facts.flows})`);
      for (const c of ['HostToDevice', 'async_npu', 'async_task_queue']) assert.ok(facts.cats.includes(c), `flows of category ${c}`);
      await checkStepTable(page, vendorSteps(SAMPLE)[0]);

      // The re-targeted collective exercise: select the first hcom op on the timeline, check.
      const find = page.locator('[data-upload-exercise="find-collective"] section.tw-exercise');
      await find.waitFor({ timeout: 60_000 });
      await widget.evaluate((el) => {
        const m = el.twTimeline.view.model;
        let best = -1;
        for (let s = 0; s < m.slices.length; s++) if (/^hcom_/.test(m.strings[m.slices.name[s]]) && (best < 0 || m.slices.startNs[s] < m.slices.startNs[best])) best = s;
        el.twTimeline.select(best);
      });
      await find.scrollIntoViewIfNeeded();
      await find.locator('button.tw-ex-check').click();
      await find.locator('.tw-ex-feedback.tw-ex-right').waitFor({ timeout: 20_000 });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: resolve(SHOTS, `upload-db-${L.locale}.png`), fullPage: true });

      // 2. A *_ascend_pt folder: the profiler db opens (not analysis.db), rank from profiler_info_1.json.
      const pt = join(tmp, 'host_77_20250109_ascend_pt');
      mkdirSync(join(pt, 'ASCEND_PROFILER_OUTPUT'), { recursive: true });
      copyFileSync(join(SAMPLE, 'ascend_pytorch_profiler_1.db'), join(pt, 'ASCEND_PROFILER_OUTPUT', 'ascend_pytorch_profiler_1.db'));
      copyFileSync(join(SAMPLE, 'analysis.db'), join(pt, 'ASCEND_PROFILER_OUTPUT', 'analysis.db'));
      copyFileSync(join(SAMPLE, 'profiler_info_1.json'), join(pt, 'profiler_info_1.json'));
      await page.locator('input.tw-upload-folder').setInputFiles(pt);
      await waitLoaded(page);
      const names = await page.locator('.tw-upload-list .tw-upload-name').allTextContents();
      assert.deepEqual(names, ['host_77_20250109_ascend_pt/ASCEND_PROFILER_OUTPUT/ascend_pytorch_profiler_1.db']);
      const li = page.locator('.tw-upload-list li').first();
      await li.locator('xpath=self::*[@data-entry-state="ready"]').waitFor({ timeout: 60_000 });
      assert.match(await li.innerText(), L.lang === 'en' ? /rank 1/ : /rank 1/);
      await checkStepTable(page, vendorSteps(SAMPLE)[0]);

      // 3. analysis.db alone: a summary, not a timeline, and the page says so in its language.
      await page.locator('input.tw-upload-files').setInputFiles(join(SAMPLE, 'analysis.db'));
      await waitLoaded(page);
      const err = page.locator('.tw-upload-list li[data-entry-state="error"] .tw-upload-error');
      await err.waitFor({ timeout: 30_000 });
      assert.match(await err.innerText(), L.lang === 'en' ? /analysis\.db.*not a timeline/ : /analysis\.db.*不是时间线/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      await close();
    }
  });

  test(`lesson 3 (${L.locale}): the per-step table of the simulated samples, without downloading SQLite`, async () => {
    const { page, requests, close } = await openPage(`/${L.locale}/lessons/npu-deepseek/`, { waitHydrated: false });
    try {
      const tables = page.locator('[data-step-trace]');
      assert.equal(await tables.count(), 3, 'before, after, host-bound');
      // Each table reads the model of its lesson timeline, which loads when scrolled into view too.
      for (const [i, timeline] of ['overlap-before', 'overlap-after', 'host-bound'].entries()) {
        await page.locator(`[data-timeline-id="${timeline}"], #${timeline}`).first().scrollIntoViewIfNeeded().catch(() => {});
        await tables.nth(i).scrollIntoViewIfNeeded();
        await tables.nth(i).locator('tbody tr').first().waitFor({ timeout: 60_000 });
      }
      const cno = async (i) => Number((await tables.nth(i).locator('tbody tr').first().locator('td[data-column="Communication(Not Overlapped)"]').innerText()).replace(/,/g, ''));
      assert.ok((await cno(1)) < (await cno(0)) / 4, 'two streams hide most of the communication the baseline exposes');
      const heads = await tables.first().locator('thead th').allInnerTexts();
      assert.deepEqual(heads.slice(2), ['Computing', 'Communication(Not Overlapped)', 'Overlapped', 'Communication', 'Free', 'Stage', 'Bubble', 'Communication(Not Overlapped and Exclude Receive)', 'Preparing']);
      const sqlite = requests.map((r) => r.url).filter((u) => /sqlite|sql-wasm|ascend-db/i.test(u));
      assert.deepEqual(sqlite, [], 'a lesson page never loads SQLite or the db importer');
    } finally {
      await close();
    }
  });
}
