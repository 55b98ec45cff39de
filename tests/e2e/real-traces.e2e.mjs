// What learners really upload, handled truthfully (issue 18), in Debian's Chromium, both locales:
// - a .json.gz cut at 50/80/97% keeps every event inflated before the cut: the page shows the same count as the
//   CLI's loader (node:zlib), and the note says how much compressed data was read and that the rest is unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, collectConsoleErrors, launchBrowser } from './harness.mjs';
import { rowBox, windowOf } from './exercise-page.mjs';
import { gunzipSync } from 'node:zlib';
import { loadTrace } from '../../src/lib/trace/load.ts';
import { nodeGunzip } from '../../src/cli/files.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TRACES = resolve(root, '../shared/traces');
const HAVE_TRACES = existsSync(TRACES);
if (!HAVE_TRACES) console.warn(`real-traces e2e: ${TRACES} is absent; the tests on real traces skip`);

const LOCALES = [
  { locale: 'en', lang: 'en' },
  { locale: 'zh-cn', lang: 'zh-CN' },
];

export async function openUpload(locale, viewport = { width: 1280, height: 1000 }) {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const log = collectConsoleErrors(page);
  await page.goto(`${baseUrl()}/${locale}/upload/`, { waitUntil: 'networkidle' });
  await page.locator('.tw-upload').waitFor();
  await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
  const close = async () => {
    try {
      assert.deepEqual(log.errors, [], 'no console errors');
    } finally {
      await browser.close();
    }
  };
  return { page, close, browser };
}

export async function pickFiles(page, files) {
  await page.locator('input.tw-upload-files').setInputFiles(files);
  await page.waitForFunction(() => document.querySelector('.tw-upload')?.dataset.state !== 'loading', null, { timeout: 120_000 });
}

async function cliEvents(bytes) {
  async function* chunks() {
    for (let off = 0; off < bytes.length; off += 1 << 20) yield bytes.subarray(off, off + (1 << 20));
  }
  return (await loadTrace(chunks(), { gunzip: nodeGunzip })).stats.events;
}

for (const L of LOCALES) {
  test(`real traces (${L.locale}): a cut .json.gz keeps in the page what the CLI keeps`, { skip: !HAVE_TRACES && 'no ../shared/traces' }, async (t) => {
    const { page, close } = await openUpload(L.locale);
    try {
      const whole = readFileSync(join(TRACES, 'pytorch/kineto-resnet50-2021.json.gz'));
      for (const cut of [0.5, 0.8, 0.97]) {
        const bytes = whole.subarray(0, Math.floor(whole.length * cut));
        const want = await cliEvents(new Uint8Array(bytes));
        await pickFiles(page, { name: `resnet-${cut * 100}.json.gz`, mimeType: 'application/gzip', buffer: Buffer.from(bytes) });
        const li = page.locator('.tw-upload-list li').first();
        assert.equal(await li.getAttribute('data-entry-state'), 'ready');
        const state = await li.locator('.tw-upload-state').innerText();
        // "loaded · 1,234 events · read in 124 ms, analysed in 51.2 ms" (zh: "已加载 · 1,234 个事件 · 读取 …").
        const shown = Number(state.match(/([\d,]+) (?:events|个事件)/)[1].replace(/,/g, ''));
        const took = String.raw`[\d.]+ (?:ms|s)`;
        assert.match(state, new RegExp(L.lang === 'en' ? `· read in ${took}, analysed in ${took}$` : `· 读取 ${took}，分析 ${took}$`), 'the worker says where its time went');
        t.diagnostic(`cut at ${cut * 100}%: page ${shown}, CLI ${want}`);
        assert.equal(shown, want, `cut at ${cut * 100}%: the page keeps what the CLI keeps`);
        const note = await li.locator('.tw-upload-note').first().innerText();
        assert.ok(note.includes(bytes.length.toLocaleString('en-US')), `the note names the compressed bytes read: ${note}`);
        assert.match(note, L.lang === 'en' ? /cannot tell how much/ : /无法说明缺了多少/);
      }
    } finally {
      await close();
    }
  });
}

const FIXTURES = resolve(root, 'src/lib/trace/fixtures');

for (const L of LOCALES) {
  test(`real traces (${L.locale}): a metadata-only trace and duplicate traceEvents keys are named for what they are`, async () => {
    const { page, close } = await openUpload(L.locale);
    try {
      await pickFiles(page, join(FIXTURES, 'metadata-only.json'));
      const li = page.locator('.tw-upload-list li').first();
      assert.equal(await li.getAttribute('data-entry-state'), 'ready');
      assert.match(await li.locator('.tw-upload-note').first().innerText(), L.lang === 'en' ? /no timed events at all/ : /完全没有带时间的事件/);
      const reasons = await page.locator('[data-missing="true"] p').allInnerTexts();
      assert.ok(reasons.length > 0, 'the exercises say why they are missing');
      for (const r of reasons) {
        assert.match(r, L.lang === 'en' ? /no timed events at all/ : /完全没有带时间的事件/);
        assert.doesNotMatch(r, /a CPU-only trace, or|只有 CPU，或/, 'not the no-device message');
      }

      await pickFiles(page, join(FIXTURES, 'duplicate-traceEvents.json'));
      const dup = page.locator('.tw-upload-list li').first();
      assert.equal(await dup.getAttribute('data-entry-state'), 'ready');
      assert.match(await dup.locator('.tw-upload-note').first().innerText(), L.lang === 'en' ? /"traceEvents" list 2 times; the events of all of them were read and merged/ : /"traceEvents" 列表写了 2 次；所有列表中的事件都已读取并合并/);
    } finally {
      await close();
    }
  });
}

/** A small Kineto-shaped rank of an 8-rank run: 3 profiler steps on the host, a kernel per step. */
function rankTrace(rank) {
  const ev = [
    { ph: 'M', name: 'process_name', pid: 1, tid: 0, args: { name: 'python3' } },
    { ph: 'M', name: 'thread_name', pid: 1, tid: 1, args: { name: 'python3' } },
    { ph: 'M', name: 'process_name', pid: 0, tid: 0, args: { name: 'python3' } },
    { ph: 'M', name: 'process_labels', pid: 0, tid: 0, args: { labels: 'GPU 0' } },
    { ph: 'M', name: 'thread_name', pid: 0, tid: 7, args: { name: 'stream 7 ' } },
  ];
  for (let i = 0; i < 3; i++) {
    const b = 1000 + i * 1000 + rank * 3;
    ev.push({ ph: 'X', cat: 'user_annotation', name: `ProfilerStep#${i + 1}`, pid: 1, tid: 1, ts: b, dur: 900 + rank * 10 });
    ev.push({ ph: 'X', cat: 'kernel', name: 'nvjet_tst_128x64_64x8_1x1_v_bz_TNT', pid: 0, tid: 7, ts: b + 100, dur: 500, args: { stream: 7, correlation: i } });
  }
  return { schemaVersion: 1, distributedInfo: { backend: 'nccl', rank, world_size: 8 }, traceEvents: ev };
}

for (const width of [1280, 1920]) {
  test(`upload layout at ${width} px: 8 ranks with 80-character file names fit the content column`, async () => {
    const { page, close } = await openUpload('en', { width, height: 1000 });
    try {
      const files = Array.from({ length: 8 }, (_, r) => {
        const base = `rank${r}-qwen2-7b-instruct-tp8-decode-bs64-ctx8192-run-`;
        const name = `${base}${'x'.repeat(80 - base.length - 5)}.json`;
        assert.equal(name.length, 80);
        return { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rankTrace(r))) };
      });
      await pickFiles(page, files);
      await page.locator('.tw-upload-ranks table').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => document.querySelectorAll('.tw-upload-list li[data-entry-state="ready"]').length === 8);
      const m = await page.evaluate(() => {
        const doc = document.documentElement;
        const content = document.querySelector('.sl-container').getBoundingClientRect();
        const right = (sel) => Math.max(0, ...[...document.querySelectorAll(sel)].map((el) => el.getBoundingClientRect().right));
        return {
          docWidth: doc.scrollWidth,
          viewport: doc.clientWidth,
          contentRight: content.right,
          uploadRight: right('.tw-upload'),
          dropRight: right('.tw-upload-drop'),
          scrollRight: right('.tw-upload-scroll'),
          toc: !!document.querySelector('starlight-toc, .right-sidebar'),
          timelineWidth: document.querySelector('.tw-upload-trace section.tw-timeline')?.getBoundingClientRect().width ?? 0,
          contentWidth: content.width,
        };
      });
      assert.ok(m.docWidth <= m.viewport, `no horizontal overflow of the document: ${JSON.stringify(m)}`);
      for (const k of ['uploadRight', 'dropRight', 'scrollRight']) assert.ok(m[k] <= m.contentRight + 1, `${k} inside the content column: ${JSON.stringify(m)}`);
      assert.equal(m.toc, false, 'no "On this page" column beside the timelines');
      assert.ok(m.timelineWidth >= m.contentWidth - 40, `the timeline takes the content width: ${JSON.stringify(m)}`);
      // "Show on every rank" receives the click (Playwright checks nothing covers it).
      await page.locator('.tw-upload-ranks button', { hasText: 'Show on every rank' }).first().click({ timeout: 5000 });
    } finally {
      await close();
    }
  });
}

for (const L of LOCALES) {
  test(`workshop (${L.locale}): a pack picked from disk asks for the traces this site lacks and takes them by file name`, async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
      const log = collectConsoleErrors(page);
      await page.goto(`${baseUrl()}/${L.locale}/workshop/`, { waitUntil: 'networkidle' });
      await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
      const pack = JSON.parse(readFileSync(resolve(root, 'public/workshops/example.json'), 'utf8'));
      pack.traces.baseline = '/traces/our-run/rank0.json.gz';
      await page.locator('.tw-ws-file input[type=file]').setInputFiles({ name: 'our-workshop.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(pack)) });
      const local = page.locator('.tw-ws-local');
      await local.waitFor({ timeout: 30_000 });
      assert.match(await local.innerText(), L.lang === 'en' ? /opened from your disk, and this site does not have the traces.*Pick them from your disk/s : /从你的磁盘打开.*请从磁盘中选择这些文件/s);
      assert.deepEqual(await local.locator('li').evaluateAll((li) => li.map((x) => x.dataset.tracePath)), ['/traces/our-run/rank0.json.gz'], 'only the trace that is not a bundled sample');
      const article = page.locator('article[data-exercise-id="find-mla-attention"]');
      assert.equal(await article.locator('.tw-ws-needs-trace').count(), 1, 'the exercise says which trace it needs instead of failing to download it');
      assert.equal(await article.locator('section.tw-timeline').count(), 0);
      // The bundled sample of another exercise still loads.
      await page.locator('article[data-exercise-id="measure-free-between-steps"] section.tw-timeline[data-state="ready"]').waitFor({ timeout: 60_000 });

      // A file that is not one of the pack's traces is named as such; the right one is matched by its name.
      await local.locator('input.tw-ws-pick-traces').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"traceEvents":[]}') });
      await local.locator('.tw-ws-problem').waitFor();
      assert.match(await local.locator('.tw-ws-problem').innerText(), /other\.json/);
      await local.locator('input.tw-ws-pick-traces').setInputFiles({ name: 'rank0.json.gz', mimeType: 'application/gzip', buffer: readFileSync(resolve(root, 'public/traces/npu-deepseek-baseline.json.gz')) });
      await article.locator('section.tw-timeline[data-state="ready"]').waitFor({ timeout: 60_000 });
      assert.equal(await article.locator('.tw-ws-needs-trace').count(), 0);
      assert.equal(await local.locator('li').getAttribute('data-picked'), 'true');
      // The one 404 is the page asking (HEAD) whether the site has the trace; no timeline tried to load it.
      // (Chromium reports it twice: the response, and "Failed to load resource" on the console.)
      const probe = (e) => /404/.test(e) && e.includes('/traces/our-run/rank0.json.gz');
      assert.deepEqual(log.errors.filter((e) => !probe(e)), [], 'no other console errors');
      assert.ok(log.errors.length <= 2, `only the HEAD probe: ${log.errors}`);
    } finally {
      await browser.close();
    }
  });
}

// A real HF-transformers trace (our recorded sample, plain Qwen2 modules): "Find RoPE" counts the
// apply_rotary_pos_emb calls, accepts the table module with its caveat, and "Show me" zooms to a kernel of an
// apply_rotary_pos_emb call (not the cos/sin table's first kernel), with its stream row in view.
for (const L of LOCALES) {
  test(`real traces (${L.locale}): HF transformers Qwen2 — RoPE applications, the table as setup, Show me on an application`, async () => {
    const file = resolve(root, 'public/traces/hf-qwen2-eager-2layer-h100.json.gz');
    const ev = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')).traceEvents;
    const py = (re) => ev.filter((e) => e.ph === 'X' && e.cat === 'python_function' && re.test(e.name));
    const applies = py(/: apply_rotary_pos_emb$/);
    const tables = py(/^nn\.Module: Qwen2RotaryEmbedding_0$/);
    const launches = new Map(ev.filter((e) => e.cat === 'cuda_runtime' && e.args?.correlation !== undefined).map((e) => [e.args.correlation, e]));
    const under = (spans) => (k) => {
      const l = launches.get(k.args?.correlation);
      return !!l && spans.some((s) => s.tid === l.tid && l.ts >= s.ts && l.ts <= s.ts + s.dur);
    };
    const kernels = ev.filter((e) => e.cat === 'kernel');
    const applyKernels = kernels.filter(under(applies));
    const tableKernels = kernels.filter(under(tables));
    const { page, close } = await openUpload(L.locale, { width: 1440, height: 1000 });
    try {
      await pickFiles(page, { name: 'hf-qwen2-eager.json.gz', mimeType: 'application/gzip', buffer: readFileSync(file) });
      const ex = page.locator('section.tw-exercise', { hasText: L.lang === 'en' ? 'Find RoPE' : 'RoPE' }).first();
      const k = applyKernels.length + tableKernels.length;
      assert.match(await ex.innerText(), new RegExp(L.lang === 'en' ? `the detector found ${applies.length} applications, ${k} kernels\\)` : `找到了 ${applies.length} 次应用，共 ${k} 个 kernel`));
      const widget = page.locator('.tw-upload-trace section.tw-timeline').first();
      const origin = await widget.evaluate((el) => el.twTimeline.view.model.originUs);
      const ns = (us) => Math.round((us - origin) * 1000);
      await ex.getByRole('button', { name: L.lang === 'en' ? 'Show me' : '演示给我看' }).click();
      await page.waitForTimeout(500);
      const w = await windowOf(widget);
      const inView = (k) => ns(k.ts) >= w.startNs && ns(k.ts + k.dur) <= w.endNs;
      assert.ok(applyKernels.some(inView), `an apply_rotary_pos_emb kernel is in view: ${JSON.stringify(w)}`);
      assert.ok(!tableKernels.some(inView), 'not a cos/sin table kernel');
      const row = await rowBox(widget, 'stream 7');
      const canvas = await widget.locator('.tw-canvas-wrap').boundingBox();
      assert.ok(row.y >= canvas.y && row.y + 10 <= canvas.y + canvas.height, 'the stream row is in the widget view');
    } finally {
      await close();
    }
  });
}
