// The upload page ("Your own trace in an exercise"), both locales, in Debian's Chromium behind the
// recording proxy of privacy.mjs (only the site's origin is reachable):
// - a real PyTorch trace with NCCL kernels opened through the file input; the re-targeted all-reduce
//   exercise solved by clicking the kernel on the canvas;
// - a single-GPU trace: the collective exercise says it found none and asks whether it was a single-GPU run;
// - the real 2-rank Ascend run opened as a folder: both ranks found, the per-step table marks the rank
//   with the longest step (expected from the raw JSON) and names no "slowest rank";
// - the bad-input catalogue: each file gets its message in the page language and the page stays usable;
// - no request leaves the page, and the lessons' saved progress is byte-for-byte the same afterwards and
//   still shows as solved on the lesson page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { gunzipSync, gzipSync, createGzip } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl } from './harness.mjs';
import { FILE_NAME, hostileTrace, openThroughProxy } from './privacy.mjs';
import { writeKinetoLike } from '../../bench/gen-kineto.mjs';
import { M } from '../../src/lib/exercises/retarget-text.ts';
import { RETARGET_IDS } from '../../src/lib/exercises/retarget.ts';
import { MAX_INFLATED_BYTES, loadErrorMessage } from '../../src/components/upload/messages.ts';
import { displayText } from '../../src/lib/trace/display-text.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });
const TRACES = resolve(root, '../shared/traces');
const HAVE_TRACES = existsSync(TRACES);
if (!HAVE_TRACES) console.warn(`upload e2e: ${TRACES} is absent; the tests on real traces skip`);

const LOCALES = [
  { locale: 'en', lang: 'en' },
  { locale: 'zh-cn', lang: 'zh-CN' },
];

/** A valid saved-progress document of lesson 3 with one solved exercise (the shape of progress-schema.ts). */
const LESSON_PROGRESS = JSON.stringify({
  version: 1,
  lessons: {
    'lessons/npu-deepseek': {
      'lanes-on-host': { attempts: 2, solvedAt: '2026-11-30T10:00:00.000Z', firstAttemptAt: '2026-11-30T09:59:00.000Z', lastAttemptAt: '2026-11-30T10:00:00.000Z', hintsShown: 1, shownMe: false, wrong: [{ at: '2026-11-30T09:59:00.000Z', answer: 'python' }] },
    },
  },
});

function rawJson(rel) {
  const b = readFileSync(join(TRACES, rel));
  return JSON.parse((b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b).toString('utf8'));
}

/** Opens the page through the proxy with the lessons' progress seeded; returns what the test needs. */
async function openPage(t, locale, { lessonsWrite = false } = {}) {
  const { page, context, requests, proxy, assertStayedOnSite, close: end } = await openThroughProxy(baseUrl(), `${baseUrl()}/${locale}/upload/`);
  await page.evaluate((doc) => localStorage.setItem('tracewise.progress', doc), LESSON_PROGRESS);
  await page.reload({ waitUntil: 'networkidle' });
  await page.locator('.tw-upload').waitFor();
  // The island has hydrated when its inputs react; wait for Svelte to attach (the drop zone gets its class).
  await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
  const close = async () => {
    try {
      const after = await page.evaluate(() => localStorage.getItem('tracewise.progress'));
      // On a lesson page solving an exercise writes the lessons' document by design; the seeded record must survive.
      if (lessonsWrite) assert.deepEqual(JSON.parse(after).lessons['lessons/npu-deepseek'], JSON.parse(LESSON_PROGRESS).lessons['lessons/npu-deepseek']);
      else assert.equal(after, LESSON_PROGRESS, "the lessons' saved progress is byte-for-byte unchanged");
      await assertStayedOnSite();
      assert.deepEqual(requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url}`), [], 'nothing was posted');
    } finally {
      await end();
    }
  };
  return { page, context, requests, proxy, close };
}

async function pick(page, files) {
  await page.locator('input.tw-upload-files').setInputFiles(files);
}

async function waitLoaded(page) {
  await page.waitForFunction(() => document.querySelector('.tw-upload')?.dataset.state !== 'loading', null, { timeout: 120_000 });
}

const ex = (page, id) => page.locator(`[data-upload-exercise="${id}"]`);

async function shot(page, name) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: resolve(SHOTS, name), fullPage: true });
}

for (const L of LOCALES) {
  test(`upload (${L.locale}): a PyTorch trace, a single-GPU trace and a 2-rank Ascend folder`, { skip: !HAVE_TRACES && 'no ../shared/traces' }, async (t) => {
    const { page, requests, close } = await openPage(t, L.locale);
    try {
      // 0. The worker started ahead warms its loader on two of the site's samples while the page is idle
      // (client.ts prepareWorker): both fetched from the site before any file is chosen.
      const warmed = (name) => requests.filter((r) => r.url.endsWith(`/traces/${name}`)).length;
      for (let i = 0; i < 100 && warmed('npu-deepseek-baseline.json.gz') < 1; i++) await page.waitForTimeout(100);
      assert.ok(warmed('qwen2_5-7b-shape-tp2-rank0-1gpu-h200.json.gz') >= 1 && warmed('npu-deepseek-baseline.json.gz') >= 1, 'the warm-up fetched its two samples');
      // 1. hta-nccl-data: NCCL all-reduce kernels. Solve the all-reduce exercise by clicking one on the canvas.
      await pick(page, join(TRACES, 'pytorch/hta-nccl-data.json.gz'));
      await waitLoaded(page);
      await page.locator('[data-entry-state="ready"]').waitFor();
      const find = ex(page, 'find-collective').locator('section.tw-exercise');
      await find.waitFor({ timeout: 60_000 });
      const raw = rawJson('pytorch/hta-nccl-data.json.gz');
      const kernel = raw.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'kernel' && /AllReduce/.test(e.name)).sort((a, b) => a.ts - b.ts)[0];
      const stream = raw.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === kernel.pid && e.tid === kernel.tid).args.name.trim();
      const widget = page.locator('.tw-upload-trace section.tw-timeline').first();
      await page.waitForFunction((el) => el.twTimeline && !el.twTimeline.view.computing, await widget.elementHandle(), { timeout: 60_000 });
      // Time of the kernel from the widget's own origin (exact decimal text, µs → ns).
      const originUs = await widget.evaluate((el) => el.twTimeline.view.model.originUs);
      const startNs = Math.round((kernel.ts - Number(originUs)) * 1000);
      const endNs = startNs + Math.round(kernel.dur * 1000);
      await widget.evaluate((el, w) => el.twTimeline.showRange(w), { startNs: startNs - (endNs - startNs), endNs: endNs + (endNs - startNs) });
      const row = widget.locator('.tw-row', { has: page.locator('.tw-row-name', { hasText: new RegExp(`^${stream}\\s*$`) }) }).first();
      await row.scrollIntoViewIfNeeded();
      const rb = await row.boundingBox();
      const cb = await widget.locator('.tw-canvas-wrap').boundingBox();
      const w = await widget.evaluate((el) => ({ ...el.twTimeline.view.window }));
      const x = cb.x + (((startNs + endNs) / 2 - w.startNs) / (w.endNs - w.startNs)) * cb.width;
      // The kernel sits under Kineto's `nccl:all_reduce` GPU annotation: click row by row (18 px each) down to it.
      const title = widget.locator('.tw-details .tw-title');
      for (let depth = 0; depth < 4; depth++) {
        await page.mouse.click(x, rb.y + 3 + 18 * depth + 9);
        if ((await title.innerText().catch(() => '')) === kernel.name) break;
      }
      assert.equal(await title.innerText(), kernel.name, 'the click selected the all-reduce kernel');
      await find.scrollIntoViewIfNeeded();
      await find.locator('button.tw-ex-check').click();
      await find.locator('.tw-ex-feedback.tw-ex-right').waitFor({ timeout: 20_000 });
      await find.locator('xpath=self::*[@data-solved="true"]').waitFor();
      // RoPE and paged attention are not in a training trace: the slots say so.
      assert.equal(await ex(page, 'find-rope').locator('p').innerText(), M.noSemantic['find-rope'][L.lang]);
      assert.equal(await ex(page, 'find-paged-attention').getAttribute('data-missing'), 'true');
      // Nor a KV-cache write or decoder-layer scopes: the newer slots render through the same component and say why.
      assert.equal(await ex(page, 'find-kv-cache-write').locator('p').innerText(), M.noSemantic['find-kv-cache-write'][L.lang]);
      assert.equal(await ex(page, 'measure-layer-device').locator('p').innerText(), M.noLayersDevice[L.lang]);
      assert.deepEqual(
        await page.locator('[data-upload-exercise]').evaluateAll((els) => els.map((el) => el.getAttribute('data-upload-exercise'))),
        [...RETARGET_IDS],
        'every slot is listed, in order',
      );
      const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('tracewise.upload-progress') ?? 'null'));
      const lessonKey = Object.keys(saved?.lessons ?? {}).find((k) => k.startsWith('upload/'));
      assert.ok(lessonKey && saved.lessons[lessonKey]['upload-find-collective'].solvedAt, 'the solved exercise is saved under the upload key, per trace fingerprint');
      await shot(page, `upload-${L.locale}-pytorch.png`);

      // The answer comes back when the same file is opened again.
      await pick(page, join(TRACES, 'pytorch/hta-nccl-data.json.gz'));
      await waitLoaded(page);
      await ex(page, 'find-collective').locator('section.tw-exercise[data-solved="true"]').waitFor({ timeout: 60_000 });

      // 2. A single-GPU trace: no collective to find, and the page says why.
      await pick(page, join(TRACES, 'pytorch/hta-alexnet-cuda-sync.json.gz'));
      await waitLoaded(page);
      const missing = ex(page, 'find-collective');
      await missing.locator('xpath=self::*[@data-missing="true"]').waitFor({ timeout: 60_000 });
      assert.equal(await missing.locator('p').innerText(), M.noCollective(false)[L.lang]);
      assert.match(await missing.locator('p').innerText(), L.lang === 'en' ? /single-GPU run\?/ : /单 GPU 的运行吗？/);

      // 3. The 2-rank Ascend run, as a folder with one folder per rank.
      await page.locator('input.tw-upload-folder').setInputFiles(join(TRACES, 'ascend/train-2rank-level1'));
      await waitLoaded(page);
      assert.equal(await page.locator('[data-entry-state="ready"]').count(), 2, 'both ranks loaded');
      const names = await page.locator('.tw-upload-list .tw-upload-name').allTextContents();
      assert.deepEqual(names.map((n) => n.replace(/^train-2rank-level1\//, '')), ['rank0/trace_view.json', 'rank1/trace_view.json.gz']);
      const steps = [0, 1].map((r) => {
        const file = r === 0 ? 'ascend/train-2rank-level1/rank0/trace_view.json' : 'ascend/train-2rank-level1/rank1/trace_view.json.gz';
        const s = rawJson(file).find((e) => e.ph === 'X' && /^ProfilerStep#\d+$/.test(e.name));
        return { name: s.name, dur: Number(s.dur) };
      });
      const longest = steps[0].dur > steps[1].dur ? 0 : 1;
      const table = page.locator('.tw-upload-ranks');
      await table.waitFor();
      assert.equal(await table.locator('.tw-upload-aligned').getAttribute('data-mode'), 'absolute');
      assert.equal(await table.locator('tbody th').first().innerText(), steps[0].name);
      assert.equal(await table.locator('td.tw-longest').getAttribute('data-rank-cell'), String(longest), 'the longest step is marked');
      assert.equal(await table.locator('.tw-upload-slowest').count(), 0, 'no rank is called the slowest');
      await table.getByRole('button').first().click();
      assert.equal(await page.locator('.tw-upload-trace section.tw-timeline').count(), 2, 'both ranks have a timeline');
      await ex(page, 'find-collective').locator('section.tw-exercise').waitFor({ timeout: 60_000 });
      await shot(page, `upload-${L.locale}-ascend-2rank.png`);

      // 4. Two rank files picked together (HTA's sampled Kineto ranks): ranks from distributedInfo, one row per step.
      await pick(page, [join(TRACES, 'pytorch/hta-sampled-rank1.json.gz'), join(TRACES, 'pytorch/hta-sampled-rank0.json.gz')]);
      await waitLoaded(page);
      const kineto = [0, 1].map((r) => rawJson(`pytorch/hta-sampled-rank${r}.json.gz`));
      assert.deepEqual(kineto.map((k) => k.distributedInfo.rank), [0, 1]);
      const heads = await table.locator('thead th').allTextContents();
      assert.deepEqual(heads.slice(1, 3), ['rank 0', 'rank 1'], 'columns in rank order whatever the pick order');
      const stepNames = [...new Set(kineto[0].traceEvents.filter((e) => e.ph === 'X' && /^ProfilerStep#\d+$/.test(e.name)).map((e) => e.name))].sort();
      assert.deepEqual(await table.locator('tbody th').allTextContents(), stepNames);
      t.diagnostic(`${requests.length} requests from the page`);
    } finally {
      await close();
    }
  });
}

// — the bad-input catalogue —

/** ~1 GiB + 1 MiB of spaces inside a traceEvents list, gzipped (about 1 MB on disk). */
async function gzipBomb() {
  const gz = createGzip({ level: 9 });
  const chunks = [];
  gz.on('data', (c) => chunks.push(c));
  const done = new Promise((ok) => gz.on('end', ok));
  gz.write('{"traceEvents":[');
  const spaces = Buffer.alloc(1 << 20, 0x20);
  for (let i = 0; i < MAX_INFLATED_BYTES / spaces.length + 1; i++) if (!gz.write(spaces)) await new Promise((ok) => gz.once('drain', ok));
  gz.end(']}');
  await done;
  return Buffer.concat(chunks);
}

/** A fixed-seed cut point in the middle 60% of `n` bytes (printed, so a failure can be replayed). */
function cutPoint(n, seed) {
  const x = Math.sin(seed) * 10000;
  return Math.floor(n * (0.2 + 0.6 * (x - Math.floor(x))));
}

const utf8Bad = Buffer.concat([Buffer.from('{"traceEvents":[{"ph":"X","name":"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","pid":1,"tid":1,"ts":0,"dur":5}]}')]);

for (const L of LOCALES) {
  test(`upload (${L.locale}): bad input gets a message in the page language and the page stays usable`, async (t) => {
    const { page, close } = await openPage(t, L.locale);
    const msg = (code) => loadErrorMessage(code, '')[L.lang];
    const tryFile = async (file) => {
      await pick(page, file);
      await waitLoaded(page);
      return page.locator('.tw-upload-list li').first();
    };
    const expectError = async (file, text) => {
      const li = await tryFile(file);
      assert.equal(await li.getAttribute('data-entry-state'), 'error', `${file.name} is refused`);
      assert.equal(await li.locator('.tw-upload-error').innerText(), text, `message for ${file.name}`);
    };
    try {
      await expectError({ name: 'empty.json', mimeType: 'application/json', buffer: Buffer.alloc(0) }, msg('empty'));
      await expectError({ name: 'page.json', mimeType: 'application/json', buffer: Buffer.from('<!doctype html><p>Sign in</p>') }, msg('not-json'));
      await expectError({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from('{"model": "qwen", "tp": 2}') }, msg('not-a-trace'));
      const csv = HAVE_TRACES ? readFileSync(join(TRACES, 'ascend/train-2rank-level1/rank0/kernel_details.csv')) : Buffer.from('Step Id,Name,Type,Duration(us)\n50,MatMul,MatMul,12.5\n');
      const csvLi = await tryFile({ name: 'kernel_details.csv', mimeType: 'text/csv', buffer: csv });
      assert.match(await csvLi.locator('.tw-upload-error').innerText(), L.lang === 'en' ? /CSV table/ : /CSV 表格/);
      const db = Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4080)]);
      const dbLi = await tryFile({ name: 'msprof_20250101.db', mimeType: 'application/octet-stream', buffer: db });
      assert.match(await dbLi.locator('.tw-upload-error').innerText(), L.lang === 'en' ? /SQLite database/ : /SQLite 数据库/);

      // A corrupt gzip: a real gzip header followed by bytes that are not deflate data.
      const corrupt = Buffer.concat([gzipSync(Buffer.from('{"traceEvents":[]}')).subarray(0, 10), Buffer.alloc(2000, 0xff)]);
      await expectError({ name: 'trace.json.gz', mimeType: 'application/gzip', buffer: corrupt }, msg('gzip-corrupt'));

      // Cut at a random point: the events before it are recovered, and the page says how many and how much was dropped.
      if (HAVE_TRACES) {
        const full = gunzipSync(readFileSync(join(TRACES, 'pytorch/hta-nccl-data.json.gz')));
        const at = cutPoint(full.length, L.locale === 'en' ? 7 : 11);
        t.diagnostic(`truncated hta-nccl-data at byte ${at} of ${full.length}`);
        const li = await tryFile({ name: 'cut.json', mimeType: 'application/json', buffer: full.subarray(0, at) });
        assert.equal(await li.getAttribute('data-entry-state'), 'ready');
        const note = await li.locator('.tw-upload-note').first().innerText();
        const [events, dropped] = [...note.matchAll(/[\d,]+/g)].map((m) => Number(m[0].replace(/,/g, '')));
        const total = rawJson('pytorch/hta-nccl-data.json.gz').traceEvents.length;
        assert.ok(events > 0 && events < total, `kept ${events} of ${total} events: ${note}`);
        assert.ok(dropped > 0 && dropped < at, `dropped ${dropped} bytes: ${note}`);
        assert.match(note, L.lang === 'en' ? /cut off/ : /不完整/);
      }

      // Bytes that are not UTF-8 inside a name: loaded, with a note.
      const badLi = await tryFile({ name: 'latin1.json', mimeType: 'application/json', buffer: utf8Bad });
      assert.equal(await badLi.getAttribute('data-entry-state'), 'ready');
      assert.match(await badLi.locator('.tw-upload-note').innerText(), L.lang === 'en' ? /not valid UTF-8/ : /不是合法的 UTF-8/);

      // A gzip bomb stops at the page's inflate limit.
      const bomb = await gzipBomb();
      t.diagnostic(`gzip bomb: ${bomb.length} bytes inflating to ${MAX_INFLATED_BYTES + (1 << 20)}`);
      await expectError({ name: 'bomb.json.gz', mimeType: 'application/gzip', buffer: bomb }, msg('too-large'));

      // Hostile names show as literal text and run nothing.
      const hostile = await tryFile({ name: FILE_NAME, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostileTrace())) });
      assert.equal(await hostile.locator('.tw-upload-name').textContent(), displayText(FILE_NAME), 'the file name shows literally, bidi controls escaped');
      await page.locator('.tw-upload-ex').waitFor();
      const dom = await page.evaluate(() => ({
        pwned: window.__pwned,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
        imgX: document.querySelectorAll('img[src="x"]').length,
      }));
      assert.deepEqual(dom, { pwned: undefined, handlers: 0, imgX: 0 });

      // A large file streams with a progress bar and can be cancelled; the tab keeps painting meanwhile.
      const big = join(tmpdir(), `tw-upload-big-${process.pid}.json`);
      // Big enough that the worker (≈200 MB/s here) is still reading when Cancel is pressed.
      const bytes = writeKinetoLike(big, 640 * 1024 ** 2, 3);
      try {
        await pick(page, big);
        const bar = page.locator('.tw-upload-progress progress');
        await page.waitForFunction(() => Number(document.querySelector('.tw-upload-progress progress')?.getAttribute('value') ?? 0) > 0, null, { timeout: 60_000 });
        const worstFrameMs = await page.evaluate(
          () =>
            new Promise((ok) => {
              let last = performance.now();
              let worst = 0;
              const end = last + 500;
              const tick = (now) => {
                worst = Math.max(worst, now - last);
                last = now;
                if (now < end) requestAnimationFrame(tick);
                else ok(worst);
              };
              requestAnimationFrame(tick);
            }),
        );
        t.diagnostic(`${bytes} bytes; worst frame gap while loading: ${worstFrameMs.toFixed(0)} ms`);
        assert.ok(worstFrameMs < 1000, `the tab kept painting while the worker read the file (worst gap ${worstFrameMs} ms)`);
        const read = Number(await bar.getAttribute('value'));
        assert.ok(read > 0 && read < bytes, `partly read when cancelled: ${read} of ${bytes}`);
        await page.locator('button.tw-upload-cancel').click();
        await waitLoaded(page);
        const li = page.locator('.tw-upload-list li').first();
        assert.equal(await li.getAttribute('data-entry-state'), 'cancelled');
        assert.equal(await li.locator('.tw-upload-error').innerText(), msg('aborted'));
      } finally {
        rmSync(big, { force: true });
      }

      // After all that, a good trace still opens, this time dropped on the drop zone.
      await page.evaluate((text) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
        document.querySelector('.tw-upload-drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, JSON.stringify(hostileTrace()));
      await page.locator('.tw-upload-list li[data-entry-state="ready"] .tw-upload-name', { hasText: 'dropped.json' }).waitFor({ timeout: 30_000 });
      await shot(page, `upload-${L.locale}-after-bad-input.png`);
    } finally {
      await close();
    }
  });
}

test('the lessons still read the saved progress the upload tests seeded', async () => {
  const { page, close } = await openPage(null, 'en');
  try {
    await page.goto(`${baseUrl()}/en/lessons/npu-deepseek/`, { waitUntil: 'networkidle' });
    await page.locator('.tw-lesson-progress').getByText(/^1 of \d+ exercises solved$/).waitFor({ timeout: 30_000 });
  } finally {
    await close();
  }
});

// — lesson 5 —

const lesson5 = JSON.parse(readFileSync(resolve(root, 'src/content/exercises/record-your-own.json'), 'utf8'));

for (const L of LOCALES) {
  test(`lesson 5 (${L.locale}): links the upload page, a choice on recording settings is checked`, async () => {
    const { page, close } = await openPage(null, L.locale, { lessonsWrite: true });
    try {
      await page.goto(`${baseUrl()}/${L.locale}/lessons/record-your-own/`, { waitUntil: 'networkidle' });
      const hrefs = await page.locator('.sl-markdown-content a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.includes(`/${L.locale}/upload/`), `links the upload page: ${hrefs}`);
      const ex = lesson5.exercises.find((e) => e.id === 'schedule-steps');
      const section = page.locator(`section.tw-exercise[aria-label="${ex.title[L.lang]}"]`);
      await section.scrollIntoViewIfNeeded();
      await section.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
      const option = (id) => section.locator('label', { hasText: ex.options.find((o) => o.id === id).text[L.lang] }).locator('input');
      await option('four').check();
      await section.locator('button.tw-ex-check').click();
      const feedback = await section.locator('.tw-ex-feedback.tw-ex-wrong').innerText();
      assert.ok(feedback.endsWith(ex.options.find((o) => o.id === 'four').explanation[L.lang]), `the wrong option's explanation: ${feedback}`);
      await option('two').check();
      await section.locator('button.tw-ex-check').click();
      await section.locator('.tw-ex-feedback.tw-ex-right').waitFor();
      await section.locator('xpath=self::*[@data-solved="true"]').waitFor();
      const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('tracewise.progress')));
      assert.ok(saved.lessons['lessons/record-your-own']['schedule-steps'].solvedAt, 'the lesson records the solved exercise beside the seeded ones');
    } finally {
      await close();
    }
  });
}
