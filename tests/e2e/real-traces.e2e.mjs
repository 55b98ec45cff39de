// What learners really upload, handled truthfully (issue 18), in Debian's Chromium, both locales:
// - a .json.gz cut at 50/80/97% keeps every event inflated before the cut: the page shows the same count as the
//   CLI's loader (node:zlib), and the note says how much compressed data was read and that the rest is unknown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseUrl, collectConsoleErrors, launchBrowser } from './harness.mjs';
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
        const shown = Number(state.match(/([\d,]+)/g).at(-1).replace(/,/g, ''));
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
