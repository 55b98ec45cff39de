// The timeline widget as a learner uses it: load a trace (a project sample by
// URL, real third-party traces through "Open a trace file…"), zoom, pan,
// click a slice and read the details, search, select an area and read the
// aggregate, measure with the ruler. Expected values are computed here from
// the trace JSON itself, not taken from the widget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { resolve, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = resolve(root, '../shared/traces');
const SAMPLE = 'npu-deepseek-baseline.json.gz';
const GPU_SAMPLE = 'qwen2_5-7b-shape-tp1-h100.json.gz';
const REAL_GPU = resolve(SHARED, 'pytorch/hta-nccl-data.json.gz');
const REAL_ASCEND = resolve(SHARED, 'ascend/train-2rank-level1/rank1/trace_view.json.gz');
const REAL_INSTANTS = resolve(SHARED, 'pytorch/hta-alexnet-cuda-sync.json.gz');
// Screenshots go to test-results/; UPDATE_SCREENSHOTS=1 refreshes the README's copies in docs/screenshots/.
const SHOTS = resolve(root, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results');
mkdirSync(SHOTS, { recursive: true });

/** Trace events of a .json / .json.gz file, parsed the plain way. */
function eventsOf(path) {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const doc = JSON.parse(bytes.toString('utf8'));
  return Array.isArray(doc) ? doc : doc.traceEvents;
}

function namesOf(events) {
  const proc = new Map();
  const thread = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') proc.set(String(e.pid), e.args.name);
    if (e.name === 'thread_name') thread.set(`${e.pid}/${e.tid}`, e.args.name);
  }
  return { proc, thread };
}

/** "1.23 ms" → ns (the widget's human format). */
function parseDuration(text) {
  const m = /(-?[\d.,]+)\s*(ns|µs|ms|s)\b/.exec(text);
  if (!m) throw new Error(`no duration in "${text}"`);
  const v = Number(m[1].replace(/,/g, ''));
  return v * { ns: 1, µs: 1e3, ms: 1e6, s: 1e9 }[m[2]];
}

/** The visible window, as the canvas' text alternative states it ("Showing A to B."). */
async function shownWindow(widget) {
  const label = await widget.locator('.tw-canvas-wrap').getAttribute('aria-label');
  const m = /(?:Showing|当前显示) (.+?) (?:to|到) (.+?)[.。]$/.exec(label ?? '');
  assert.ok(m, `summary states the window: ${label}`);
  return { startNs: parseDuration(m[1]), endNs: parseDuration(m[2]) };
}

async function openPage(browser, path, { theme, ...opts } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, ...opts });
  // Starlight keeps the reader's theme choice in localStorage.
  if (theme) await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
  const log = collectConsoleErrors(page);
  const res = await page.goto(baseUrl() + path, { waitUntil: 'networkidle' });
  assert.equal(res?.status(), 200, `${path} status`);
  const widget = page.locator('section.tw-timeline').first();
  await widget.scrollIntoViewIfNeeded();
  return { page, log, widget };
}

async function waitReady(widget) {
  await widget.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 60_000 });
  // Let the analysis (computed tracks, colours) land.
  await widget.page().waitForFunction((el) => el.twTimeline && !el.twTimeline.view.computing, await widget.elementHandle(), { timeout: 60_000 });
}

async function openFile(widget, path) {
  await widget.locator('input.tw-file').setInputFiles(path);
  // data-file names the file as soon as its load starts; data-state is "loading" until it is in.
  await widget.locator(`xpath=self::*[@data-file="${basename(path)}"]`).waitFor();
  await waitReady(widget);
}

/** Canvas box and the canvas y of a row whose label reads `label` (exact). */
async function rowBox(widget, label) {
  const row = widget.locator('.tw-row', { has: widget.page().locator('.tw-row-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
  await row.scrollIntoViewIfNeeded();
  return row.boundingBox();
}

/** A screenshot as a learner would see the widget: no hover, no focus ring. */
async function screenshot(page, widget, name) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement?.blur());
  await page.waitForTimeout(250);
  await widget.screenshot({ path: resolve(SHOTS, name) });
}

/** Selects the first search match and zooms to about `spanNs` around it, then clears the search. */
async function focusOnMatch(page, widget, query, spanNs) {
  const search = widget.locator('input[type=search]');
  await search.fill(query);
  await search.press('Enter');
  await search.press('Escape');
  await widget.evaluate((el, span) => {
    const h = el.twTimeline;
    const s = h.view.selection;
    const mid = (s.startNs + s.endNs) / 2;
    h.showRange({ startNs: mid - span * 0.3, endNs: mid + span * 0.7 });
  }, spanNs);
}

async function groupOrder(widget) {
  return widget.locator('.tw-group-name').allInnerTexts();
}

/** Shift+drag across the full width of one row: an area selection of every slice on it. */
async function selectWholeRow(page, widget, label) {
  await widget.getByRole('button', { name: /^Fit all$|^显示全部$/ }).click();
  const canvas = await widget.locator('.tw-canvas-wrap').boundingBox();
  const row = await rowBox(widget, label);
  const y = row.y + 8;
  await page.keyboard.down('Shift');
  await page.mouse.move(canvas.x + 2, y);
  await page.mouse.down();
  await page.mouse.move(canvas.x + canvas.width / 2, y + 2, { steps: 4 });
  await page.mouse.move(canvas.x + canvas.width - 2, y + 4, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await widget.locator('.tw-agg').waitFor();
}

async function aggregateTable(widget) {
  const rows = await widget.locator('.tw-agg table').first().locator('tbody tr').all();
  const out = new Map();
  for (const r of rows) {
    const cells = await r.locator('td').allInnerTexts();
    out.set(cells[0], Number(cells[1].replace(/,/g, '')));
  }
  return out;
}

function countByName(events, pid, tid) {
  const out = new Map();
  for (const e of events) if (e.ph === 'X' && String(e.pid) === String(pid) && String(e.tid) === String(tid)) out.set(e.name, (out.get(e.name) ?? 0) + 1);
  return out;
}

test('project sample: zoom, pan, keys, click, flows, search, area, ruler — as a learner sees them', async () => {
  const samplePath = resolve(root, 'public/traces', SAMPLE);
  if (!existsSync(samplePath)) {
    console.warn(`timeline e2e: ${samplePath} is absent; skipping the sample test`);
    return;
  }
  const events = eventsOf(samplePath);
  const { proc, thread } = namesOf(events);
  const browser = await launchBrowser();
  try {
    const { page, log, widget } = await openPage(browser, '/en/reference/timeline/');
    await waitReady(widget);

    // Insight's lane order.
    const order = await groupOrder(widget);
    const want = ['Python', 'CANN', 'Ascend Hardware', 'HCCL', 'Overlap Analysis'];
    assert.deepEqual(order.filter((g) => want.includes(g)), want, `group order: ${order}`);

    // Zoom around the cursor: ctrl+wheel over the canvas narrows the window and keeps the time under the cursor.
    const canvas = await widget.locator('.tw-canvas-wrap').boundingBox();
    const before = await shownWindow(widget);
    const cx = canvas.x + canvas.width * 0.3;
    await page.mouse.move(cx, canvas.y + 60);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -400);
    await page.keyboard.up('Control');
    await page.waitForTimeout(200);
    const zoomed = await shownWindow(widget);
    const spanBefore = before.endNs - before.startNs;
    const spanAfter = zoomed.endNs - zoomed.startNs;
    assert.ok(spanAfter < spanBefore * 0.6, `zoomed in: ${spanBefore} → ${spanAfter}`);
    const anchorBefore = before.startNs + 0.3 * spanBefore;
    const anchorAfter = zoomed.startNs + 0.3 * spanAfter;
    assert.ok(Math.abs(anchorAfter - anchorBefore) < spanBefore * 0.02, `time under the cursor stays: ${anchorBefore} vs ${anchorAfter}`);

    // Drag to pan: dragging left shows later times.
    await page.mouse.move(canvas.x + canvas.width * 0.7, canvas.y + 200);
    await page.mouse.down();
    await page.mouse.move(canvas.x + canvas.width * 0.3, canvas.y + 200, { steps: 6 });
    await page.mouse.up();
    const panned = await shownWindow(widget);
    assert.ok(panned.startNs > zoomed.startNs, `panned right: ${zoomed.startNs} → ${panned.startNs}`);
    assert.ok(Math.abs(panned.endNs - panned.startNs - spanAfter) < spanAfter * 0.02, 'panning keeps the zoom');

    // The overview strip: dragging its window moves the view by the same fraction of the trace.
    const mini = await widget.locator('.tw-minimap').boundingBox();
    const beforeMini = await shownWindow(widget);
    const startX = mini.x + mini.width * 0.2;
    await page.mouse.move(startX, mini.y + mini.height / 2);
    await page.mouse.down();
    await page.mouse.move(startX + mini.width * 0.1, mini.y + mini.height / 2, { steps: 5 });
    await page.mouse.up();
    const afterMini = await shownWindow(widget);
    assert.ok(afterMini.startNs !== beforeMini.startNs, `the overview moves the view: ${beforeMini.startNs} → ${afterMini.startNs}`);

    // Keyboard: 0 fits, W zooms in.
    await widget.locator('.tw-canvas-wrap').focus();
    await page.keyboard.press('0');
    const fitted = await shownWindow(widget);
    await page.keyboard.press('w');
    await page.waitForTimeout(150);
    const wZoomed = await shownWindow(widget);
    assert.ok(wZoomed.endNs - wZoomed.startNs < fitted.endNs - fitted.startNs, 'W zooms in');
    // Typing a search keeps the view where it is.
    await widget.locator('input[type=search]').fill('aclnn');
    await widget.locator('.tw-count').waitFor();
    assert.deepEqual(await shownWindow(widget), wZoomed, 'searching does not move the view');
    await widget.locator('input[type=search]').press('Escape');
    await widget.locator('.tw-canvas-wrap').focus();
    await page.keyboard.press('0');

    // Search: text matches case-insensitively over slice names; Enter selects the first match in time.
    // "RmsNorm_RmsNorm" names the RmsNorm kernels on the NPU stream (not AddRmsNorm, not the host API calls).
    const query = 'rmsnorm_rmsnorm';
    const matching = events.filter((e) => e.ph === 'X' && e.name.toLowerCase().includes(query));
    await widget.locator('input[type=search]').fill(query);
    await widget.locator('input[type=search]').press('Enter');
    await widget.locator('.tw-count').getByText(`1 of ${matching.length}`).waitFor();
    matching.sort((a, b) => Number(a.ts) - Number(b.ts));
    const first = matching[0];
    const title = widget.locator('.tw-details .tw-title');
    assert.equal(await title.innerText(), first.name);
    const where = await widget.locator('.tw-details dt', { hasText: /^Track$/ }).locator('xpath=following-sibling::dd[1]').innerText();
    assert.equal(where, `${proc.get(String(first.pid))} / ${thread.get(`${first.pid}/${first.tid}`)}`);
    const exact = await widget.locator('.tw-details [data-field=duration]').locator('xpath=following-sibling::span[1]').innerText();
    assert.equal(exact, `(${Number(first.dur).toLocaleString('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 })} µs)`);

    // Click: zoom to the match (F), clear, then click the middle of its box on its row.
    await widget.locator('.tw-canvas-wrap').focus();
    await page.keyboard.press('f');
    await page.keyboard.press('Escape');
    assert.equal(await widget.locator('.tw-details .tw-title').count(), 0, 'Escape clears the selection');
    const row = await rowBox(widget, thread.get(`${first.pid}/${first.tid}`));
    await widget.evaluate((el) => el.addEventListener('twselect', (e) => (el.dataset.lastSelect = JSON.stringify(e.detail))));
    await page.mouse.click(canvas.x + canvas.width / 2, row.y + 3 + 9);
    assert.equal(await title.innerText(), first.name, 'clicking the slice selects it');
    const reported = JSON.parse(await widget.getAttribute('data-last-select'));
    assert.deepEqual([reported.kind, reported.name], ['slice', first.name], 'the selection is reported to the page (twselect)');

    // Flows: a kernel is linked to the host call that launched it; the link jumps there.
    const linked = widget.locator('.tw-details .tw-plain button.tw-link').first();
    if (await linked.count()) {
      const target = await linked.innerText();
      await linked.click();
      assert.equal(await title.innerText(), target, 'the flow link selects the linked slice');
    }

    // Area: every slice on Stream 2, counted per name, as in the file.
    const streamTid = [...thread.entries()].find(([k, v]) => v === 'Stream 2' && proc.get(k.split('/')[0]) === 'Ascend Hardware')[0].split('/');
    await selectWholeRow(page, widget, 'Stream 2');
    const table = await aggregateTable(widget);
    assert.deepEqual(new Map([...table].sort()), new Map([...countByName(events, streamTid[0], streamTid[1])].sort()));
    assert.ok(await widget.locator('.tw-agg').getByText('Overlap in this range').isVisible(), 'the overlap breakdown of the range is shown');

    // Ruler: drag along the time axis; the span equals the dragged pixels at the current scale.
    await widget.locator('.tw-canvas-wrap').focus();
    await page.keyboard.press('Escape');
    const w = await shownWindow(widget);
    await page.mouse.move(canvas.x + 100, canvas.y + 10);
    await page.mouse.down();
    await page.mouse.move(canvas.x + 300, canvas.y + 10, { steps: 5 });
    await page.mouse.up();
    const measured = parseDuration(await widget.locator('.tw-ruler .tw-num').innerText());
    const expected = (200 / canvas.width) * (w.endNs - w.startNs);
    assert.ok(Math.abs(measured - expected) / expected < 0.03, `ruler ${measured} ≈ ${expected}`);

    await page.keyboard.press('Escape');
    await focusOnMatch(page, widget, 'aclnnRmsNorm_RmsNorm', 4e6);
    await screenshot(page, widget, 'timeline-ascend-sample.png');
    assert.deepEqual(log.errors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});

test('a second widget of the same sample: loaded once, filtered rows, initial window', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const log = collectConsoleErrors(page);
    const fetched = [];
    page.on('request', (req) => {
      if (req.url().endsWith(SAMPLE)) fetched.push(req.url());
    });
    await page.goto(baseUrl() + '/en/reference/timeline/', { waitUntil: 'networkidle' });
    const first = page.locator('section.tw-timeline').first();
    await first.scrollIntoViewIfNeeded();
    await waitReady(first);
    const second = page.locator('#reference-timeline-filtered section.tw-timeline');
    await second.scrollIntoViewIfNeeded();
    await waitReady(second);
    assert.equal(fetched.length, 1, `one download for two widgets: ${fetched}`);
    const groups = await groupOrder(second);
    assert.deepEqual(groups.filter((g) => !/computed/.test(g)), ['Ascend Hardware', 'HCCL'], `filtered groups: ${groups}`);
    assert.ok(groups.some((g) => /computed/.test(g)), 'the computed overlap lanes pass the /computed/ filter');
    const w = await shownWindow(second);
    assert.ok(Math.abs(w.startNs - 2e6) < 2e4 && Math.abs(w.endNs - 14e6) < 2e5, `initial window 2–14 ms: ${w.startNs}–${w.endNs}`);
    assert.deepEqual(log.errors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});

test('loading shows progress and can be cancelled, then retried', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    let release;
    const held = new Promise((r) => (release = r));
    let routed = 0;
    // Hold the sample's download until the test has pressed Cancel.
    await page.route(`**/traces/${SAMPLE}`, async (route) => {
      routed++;
      if (routed === 1) await held;
      await route.continue();
    });
    await page.goto(baseUrl() + '/en/reference/timeline/', { waitUntil: 'domcontentloaded' });
    const widget = page.locator('section.tw-timeline').first();
    await widget.scrollIntoViewIfNeeded();
    await widget.locator('progress').first().waitFor({ timeout: 15_000 });
    assert.equal(await widget.getAttribute('data-state'), 'loading');
    await widget.getByRole('button', { name: 'Cancel' }).click();
    await widget.getByRole('alert').getByText('Loading was cancelled.').waitFor();
    release();
    await widget.getByRole('button', { name: 'Load again' }).click();
    await waitReady(widget);
    assert.equal(routed, 2, 'the retry downloads again');
  } finally {
    await browser.close();
  }
});

test('real GPU trace (Kineto, NCCL) opened from disk', { skip: !existsSync(REAL_GPU) && `${REAL_GPU} is absent` }, async () => {
  const events = eventsOf(REAL_GPU);
  const browser = await launchBrowser();
  try {
    const { page, log, widget } = await openPage(browser, '/en/reference/timeline/', { theme: 'dark' });
    await waitReady(widget);
    await openFile(widget, REAL_GPU);
    const order = await groupOrder(widget);
    assert.match(order[0], /^python/, `host threads first: ${order}`);
    assert.ok(order.indexOf('GPU 0') > 0, `then the GPU: ${order}`);

    // Search by /regex/: NCCL kernels.
    const re = /^ncclKernel|^ncclDevKernel/;
    const nccl = events.filter((e) => e.ph === 'X' && re.test(e.name));
    await widget.locator('input[type=search]').fill('/^ncclKernel|^ncclDevKernel/');
    await widget.locator('input[type=search]').press('Enter');
    await widget.locator('.tw-count').getByText(`1 of ${nccl.length}`).waitFor();
    assert.match(await widget.locator('.tw-details .tw-title').innerText(), re);
    assert.ok(await widget.locator('.tw-details').getByText('Linked by flows').isVisible(), 'the kernel shows its launch');
    await widget.locator('input[type=search]').press('Escape');

    // Area over all of stream 7: counts per kernel name as in the file.
    await selectWholeRow(page, widget, 'stream 7');
    const gpuPid = events.find((e) => e.ph === 'M' && e.name === 'process_labels' && e.args.labels === 'GPU 0')?.pid ?? 0;
    const expected = countByName(events, gpuPid, 7);
    const table = await aggregateTable(widget);
    const top = [...expected].sort((a, b) => b[1] - a[1]).slice(0, 5);
    for (const [name, count] of top) assert.equal(table.get(name), count, `${name} count`);

    await widget.locator('.tw-canvas-wrap').focus();
    await page.keyboard.press('Escape');
    await focusOnMatch(page, widget, 's1688gemm', 3e6);
    await screenshot(page, widget, 'timeline-gpu-hta-nccl-dark.png');
    assert.deepEqual(log.errors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});

test('real Ascend trace: Insight lanes, computed overlap equals the written one', { skip: !existsSync(REAL_ASCEND) && `${REAL_ASCEND} is absent` }, async () => {
  const events = eventsOf(REAL_ASCEND);
  const { proc, thread } = namesOf(events);
  const { formatDurationNs } = await import('../../src/lib/trace/time.ts');
  const browser = await launchBrowser();
  try {
    const { log, widget } = await openPage(browser, '/zh-cn/reference/timeline/');
    await waitReady(widget);
    await openFile(widget, REAL_ASCEND);
    const order = await groupOrder(widget);
    const want = ['Python', 'CANN', 'Ascend Hardware', 'HCCL', 'Overlap Analysis'];
    assert.deepEqual(order.filter((g) => want.includes(g)), want, `group order: ${order}`);
    // The written lane "Communication(Not Overlapped)": its total, from the file.
    let writtenUs = 0;
    for (const e of events) {
      if (e.ph === 'X' && proc.get(String(e.pid)) === 'Overlap Analysis' && thread.get(`${e.pid}/${e.tid}`) === 'Communication(Not Overlapped)') writtenUs += Number(e.dur);
    }
    const computedGroup = order.find((g) => /computed/.test(g));
    assert.ok(computedGroup, `a computed overlap group: ${order}`);
    const lane = widget.locator('.tw-row').filter({ has: widget.page().locator('.tw-row-name', { hasText: /^Communication\(Not Overlapped\)$/ }) }).filter({ has: widget.page().locator('.tw-row-total') });
    assert.equal(await lane.locator('.tw-row-total').innerText(), formatDurationNs(Math.round(writtenUs * 1000)));
    await screenshot(widget.page(), widget, 'timeline-ascend-real-zh.png');
    assert.deepEqual(log.errors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});

test('real Kineto trace with instant events: a learner clicks a marker and reads it in the details panel', { skip: !existsSync(REAL_INSTANTS) && `${REAL_INSTANTS} is absent` }, async () => {
  const events = eventsOf(REAL_INSTANTS);
  const instants = events.filter((e) => e.ph === 'i' || e.ph === 'I');
  assert.ok(instants.length > 0, 'the file has instants');
  const target = instants.find((e) => e.name.startsWith('Iteration Start'));
  const browser = await launchBrowser();
  try {
    const { page, log, widget } = await openPage(browser, '/en/reference/timeline/', { theme: 'dark' });
    await waitReady(widget);
    await openFile(widget, REAL_INSTANTS);
    // One instants row per track with instants in the file.
    const tracksWithInstants = new Set(instants.map((e) => `${e.pid}/${e.tid}`));
    const rows = await widget.evaluate((el) => el.twTimeline.view.groups.flatMap((g) => g.rows).filter((r) => r.source.kind === 'instants').map((r) => r.key));
    assert.equal(rows.length, tracksWithInstants.size, `instant rows: ${rows}`);
    // Show 1 ms around the marker, then click where it is drawn.
    const spot = await widget.evaluate((el, name) => {
      const v = el.twTimeline.view;
      const m = v.model;
      let id = -1;
      for (let i = 0; i < m.instants.length; i++) if (m.strings[m.instants.name[i]] === name) id = i;
      const ts = m.instants.tsNs[id];
      v.showRange({ startNs: ts - 300_000, endNs: ts + 700_000 });
      const key = `i${m.instants.track[id]}`;
      v.revealRow(key);
      return { key, ts };
    }, target.name);
    await page.waitForTimeout(200);
    const where = await widget.evaluate((el, { key, ts }) => {
      const v = el.twTimeline.view;
      return { x: ((ts - v.window.startNs) / (v.window.endNs - v.window.startNs)) * v.widthPx, y: v.rowTop(key) };
    }, spot);
    assert.ok(where.y !== null, 'the instants row is on the canvas');
    // A learner tells the marker row from the slice row of the same thread by its tag.
    const label = await widget.locator(`.tw-row[data-row-key="${spot.key}"] .tw-row-name`).first().innerText();
    assert.match(label, / · instants$/, `instant row label: ${label}`);
    const canvas = await widget.locator('.tw-canvas-wrap').boundingBox();
    await page.mouse.click(canvas.x + where.x + 1, canvas.y + where.y + 9);
    const title = widget.locator('.tw-details .tw-title[data-kind="instant"]');
    await title.waitFor();
    assert.equal(await title.innerText(), target.name);
    assert.ok(await widget.locator('.tw-details').getByText('Instant event').isVisible());
    // The exact timestamp of the file, as text.
    assert.match(await widget.locator('.tw-details').innerText(), new RegExp(`ts = ${target.ts}(\\.0+)? µs`));
    const sel = await widget.evaluate((el) => el.twTimeline.view.selection);
    assert.equal(sel.kind, 'instant');
    await screenshot(page, widget, 'timeline-kineto-instant-dark.png');
    // Zoomed out to the whole trace, the marker still draws and stays clickable (LOD keeps it).
    // (The profiler's markers lie at the trace's edges, outside the slices "Fit all" shows: a window as long as
    // the whole trace around the marker, clamped to the trace's bounds.)
    await widget.evaluate((el, ts) => {
      const v = el.twTimeline.view;
      v.clearSelection();
      v.showRange({ startNs: ts - 0.3 * v.model.endNs, endNs: ts + 0.7 * v.model.endNs });
    }, spot.ts);
    await page.waitForTimeout(200);
    const far = await widget.evaluate((el, { key, ts }) => {
      const v = el.twTimeline.view;
      return { x: ((ts - v.window.startNs) / (v.window.endNs - v.window.startNs)) * v.widthPx, y: v.rowTop(key) };
    }, spot);
    // The details panel changed height since: the canvas may have moved on the page.
    const canvasNow = await widget.locator('.tw-canvas-wrap').boundingBox();
    assert.ok(far.x >= 0 && far.x <= canvasNow.width, `the marker is in view at x = ${far.x}`);
    assert.equal(await widget.locator('.tw-details .tw-title').count(), 0, 'nothing selected before the click');
    await page.mouse.click(canvasNow.x + far.x + 1, canvasNow.y + far.y + 9);
    await title.waitFor();
    assert.equal(await title.innerText(), target.name);
    assert.deepEqual(log.errors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});

test('real Ascend trace with counters expanded: counter rows drawn through the LOD', { skip: !existsSync(REAL_ASCEND) && `${REAL_ASCEND} is absent` }, async () => {
  const browser = await launchBrowser();
  try {
    const { page, log, widget } = await openPage(browser, '/en/reference/timeline/');
    await waitReady(widget);
    await openFile(widget, REAL_ASCEND);
    // Counters are collapsed when a trace opens; expand every counter group and scroll to the first.
    const key = await widget.evaluate((el) => {
      const v = el.twTimeline.view;
      const groups = v.groups.filter((g) => g.rows.some((r) => r.source.kind === 'counter'));
      for (const g of groups) if (v.collapsed.has(g.key)) v.toggleCollapsed(g.key);
      const first = groups[0].rows.find((r) => r.source.kind === 'counter').key;
      v.revealRow(first);
      return first;
    });
    await page.waitForTimeout(300);
    const y = await widget.evaluate((el, k) => el.twTimeline.view.rowTop(k), key);
    assert.ok(y !== null && y > 0, 'a counter row is on the canvas');
    await screenshot(page, widget, 'timeline-ascend-counters.png');
    assert.deepEqual(log.errors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});

test('the widget loads only when scrolled into view (its trace once, its first frame marked); the page before that stays under 100 KB of JS (gzip)', async (t) => {
  const browser = await launchBrowser();
  try {
    // A short window keeps the widget below the fold.
    const page = await browser.newPage({ viewport: { width: 1280, height: 260 } });
    const js = new Map();
    page.on('response', async (res) => {
      if (!/\.m?js(\?|$)/.test(new URL(res.url()).pathname)) return;
      try {
        js.set(res.url(), gzipSync(await res.body()).length);
      } catch {
        // Responses of a closed page have no body; they are not counted.
      }
    });
    const traces = [];
    page.on('request', (req) => {
      if (/\/traces\/[^/]+\.json(\.gz)?$/.test(new URL(req.url()).pathname)) traces.push(new URL(req.url()).pathname);
    });
    await page.goto(baseUrl() + '/en/reference/timeline/', { waitUntil: 'networkidle' });
    const widget = page.locator('section.tw-timeline').first();
    assert.deepEqual(traces, [], 'no trace is fetched for a widget out of view');
    const box = await widget.boundingBox();
    assert.ok(box && box.y > 260, `the widget starts below the fold (y = ${box?.y})`);
    assert.equal(await page.evaluate(() => Boolean(document.querySelector('section.tw-timeline')?.twTimeline)), false, 'not hydrated yet');
    const total = [...js.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(`JS before the widget is visible: ${(total / 1024).toFixed(1)} KB gzip in ${js.size} files`);
    assert.ok(total <= 100 * 1024, `JS before the widget is visible: ${(total / 1024).toFixed(1)} KB gzip (${[...js.keys()].map((u) => new URL(u).pathname).join(', ')})`);
    await widget.scrollIntoViewIfNeeded();
    await widget.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 60_000 });
    // Started while the widget's code loaded (prefetch.ts), taken over by the widget: fetched once.
    const src = await widget.getAttribute('data-tw-trace');
    assert.ok(src, 'the widget names the trace it loads');
    assert.deepEqual(traces, [src], 'the trace is fetched once');
    // The mark bench/first-draw.mjs reads: set once, when the first frame of the trace was drawn.
    await page.waitForFunction(() => performance.getEntriesByName('tracewise:first-draw').length > 0, null, { timeout: 10_000 });
    const marks = await page.evaluate(() => performance.getEntriesByName('tracewise:first-draw').map((m) => m.startTime));
    assert.equal(marks.length, 1, `one first-draw mark per widget drawn: ${marks}`);
    const after = [...js.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(`JS once the widget is open: ${(after / 1024).toFixed(1)} KB gzip in ${js.size} files`);
  } finally {
    await browser.close();
  }
});

test('GPU project sample renders (when it exists)', { skip: !existsSync(resolve(root, 'public/traces', GPU_SAMPLE)) && `public/traces/${GPU_SAMPLE} is not there yet` }, async () => {
  const browser = await launchBrowser();
  try {
    const { log, widget } = await openPage(browser, '/en/reference/timeline/');
    await waitReady(widget);
    await openFile(widget, resolve(root, 'public/traces', GPU_SAMPLE));
    const order = await groupOrder(widget);
    assert.ok(order.some((g) => /^GPU \d+$/.test(g)), `GPU groups: ${order}`);
    await screenshot(widget.page(), widget, 'timeline-gpu-sample.png');
    assert.deepEqual(log.errors, [], 'no console errors');
  } finally {
    await browser.close();
  }
});

// Issue 23: the SDMA sub-tasks of one HCCL step run together on one Ascend stream, each starting a few hundred ns
// after the previous and often inside its span. They were drawn as a 7-deep call stack ("Inside SDMA, self time
// 354 ns"); nesting means "called by", so they are now laid out side by side and the details say "Parallel with".
for (const [locale, parallelLabel] of [['en', 'Parallel with'], ['zh-cn', '并行']]) {
  test(`real Ascend trace (${locale}): parallel SDMA sub-tasks side by side, not a call stack`, { skip: !existsSync(REAL_ASCEND) && `${REAL_ASCEND} is absent` }, async () => {
    const browser = await launchBrowser();
    try {
      const { page, log, widget } = await openPage(browser, `/${locale}/reference/timeline/`);
      await waitReady(widget);
      await openFile(widget, REAL_ASCEND);
      // An SDMA inside another SDMA's span on the same stream, from the model the widget drew.
      const target = await widget.evaluate((el) => {
        const m = el.twTimeline.view.model;
        const s = m.slices;
        const name = (i) => m.strings[s.name[i]];
        for (let i = 0; i < s.length; i++) {
          if (name(i) !== 'SDMA') continue;
          for (let o = i - 1; o >= 0 && s.track[o] === s.track[i] && o > i - 10; o--) {
            if (name(o) === 'SDMA' && s.startNs[o] <= s.startNs[i] && s.startNs[i] + s.durNs[i] <= s.startNs[o] + s.durNs[o]) {
              return { id: i, startNs: s.startNs[i], endNs: s.startNs[i] + s.durNs[i], depth: s.depth[i], parent: s.parent[i], track: m.strings[m.tracks.name[s.track[i]]] };
            }
          }
        }
        return null;
      });
      assert.ok(target, 'an SDMA inside another SDMA span');
      assert.equal(target.parent, -1, 'it has no parent: nothing called it');
      assert.ok(target.depth > 0, 'it is drawn on a line of its own');
      await widget.evaluate((el, t) => el.twTimeline.showRange({ startNs: t.startNs - 2000, endNs: t.startNs + 6000 }), target);
      const box = await widget.locator('.tw-canvas-wrap').boundingBox();
      const w = await widget.evaluate((el) => ({ startNs: el.twTimeline.view.window.startNs, endNs: el.twTimeline.view.window.endNs }));
      const x = box.x + ((target.startNs + 3000 - w.startNs) / (w.endNs - w.startNs)) * box.width;
      const row = await rowBox(widget, target.track);
      let parallel = null;
      for (let d = 0; d < 12 && !parallel; d++) {
        const y = row.y + 3 + d * 18 + 9;
        if (y > row.y + row.height) break;
        await page.mouse.click(x, y);
        if ((await widget.locator('.tw-details .tw-title').innerText().catch(() => '')) !== 'SDMA') continue;
        if (await widget.locator('.tw-details [data-field="parallel"]').count()) parallel = await widget.locator('.tw-details dl').first().innerText();
      }
      assert.ok(parallel, 'a clicked SDMA says it is parallel work');
      assert.match(parallel, new RegExp(parallelLabel));
      assert.equal(await widget.locator('.tw-details .tw-crumbs').count(), 0, 'no "Inside …": no caller');
      await screenshot(page, widget, `timeline-sdma-parallel-${locale}.png`);
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  });
}
