// Workshops, through the UI in both locales: the example pack opened by
// ?pack=, a choice solved by clicking after one wrong answer, a find solved
// by clicking the kernel on the canvas, progress exported as JSON and CSV
// (real downloads), the exports imported into the instructor view (solved
// cells and the common wrong answer), broken packs showing their problems,
// presenter mode and the shortcut overlay, and a copied deep link restoring
// the window and the selected slice. Expected values come from the pack and
// the trace files, read here the plain way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, baseUrl, collectConsoleErrors, sharedTracesAvailable } from './harness.mjs';
import { readTrace, waitReady, windowOf, xOf, rowBox, searchAndZoom } from './lesson-helpers.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = resolve(root, 'test-results');
const DOWNLOADS = resolve(SHOTS, 'workshop-downloads');
mkdirSync(DOWNLOADS, { recursive: true });
const pack = JSON.parse(readFileSync(resolve(root, 'public/workshops/example.json'), 'utf8'));
const exById = new Map(pack.exercises.map((e) => [e.id, e]));
const PACK = '/workshops/example.json';
const MANIFEST = JSON.parse(readFileSync(resolve(root, 'public/traces/manifest.json'), 'utf8'));

const LOCALES = [
  { locale: 'en', lang: 'en', progress: (x, n) => `${x} of ${n} exercises solved`, learners: (n) => `${n} learners`, name: 'Ada Lovelace' },
  { locale: 'zh-cn', lang: 'zh-CN', progress: (x, n) => `已完成 ${x} / ${n} 道练习`, learners: (n) => `${n} 名学员`, name: '李雷' },
];

const baseline = readTrace('npu-deepseek-baseline.json.gz').slices;

// ── page helpers ────────────────────────────────────────────────────────────

const article = (page, id) => page.locator(`article.tw-ws-exercise[data-exercise-id="${id}"]`);
const widgetIn = (art) => art.locator('section.tw-timeline').first();
async function check(section, expect) {
  await section.locator('button.tw-ex-check').click();
  const fb = section.locator(`.tw-ex-feedback.${expect === 'right' ? 'tw-ex-right' : 'tw-ex-wrong'}`);
  try {
    await fb.waitFor({ timeout: 20_000 });
  } catch {
    assert.fail(`expected a ${expect} answer: ${await section.locator('.tw-ex-feedback').innerText().catch(() => '(no feedback)')}`);
  }
}
async function openWorkshop(page, L, query = `?pack=${PACK}`) {
  const res = await page.goto(`${baseUrl()}/${L.locale}/workshop/${query}`, { waitUntil: 'networkidle' });
  assert.equal(res?.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), L.lang);
}
async function ready(page) {
  await page.locator('.tw-workshop[data-state="ready"]').waitFor({ timeout: 30_000 });
}
async function download(page, button) {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = resolve(DOWNLOADS, dl.suggestedFilename());
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
}
const choiceBox = (section, exId, optionId, lang) => section.locator('label', { hasText: exById.get(exId).options.find((o) => o.id === optionId).text[lang] }).locator('input');
async function fullShot(page, name) {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: resolve(SHOTS, name), fullPage: true });
}

// ── tests ───────────────────────────────────────────────────────────────────

for (const L of LOCALES) {
  test(`workshop (${L.locale}): solve, export JSON + CSV, instructor summary, deep link`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);
      await openWorkshop(page, L);
      await ready(page);
      assert.equal(await page.locator('.tw-ws-head h2').innerText(), pack.title[L.lang]);
      assert.deepEqual(await page.locator('article.tw-ws-exercise').evaluateAll((as) => as.map((a) => a.dataset.exerciseId)), pack.exercises.map((e) => e.id), 'exercises in pack order');
      // Each timeline of a bundled sample shows its provenance as lesson pages do: the kind and title, and,
      // opened, the manifest's hardware and notes in the page's language.
      const sampleBox = article(page, 'lanes-on-host').locator('details.tw-provenance').first();
      const entry = MANIFEST.find((e) => `/traces/${e.file}` === pack.traces.baseline);
      assert.equal(await sampleBox.getAttribute('data-file'), entry.file);
      assert.match(await sampleBox.locator('summary').innerText(), L.lang === 'en' ? /^simulated/i : /^模拟生成/);
      assert.equal((await sampleBox.locator('.tw-prov-title').innerText()).trim(), entry.title[L.lang]);
      await sampleBox.locator('summary').click();
      await sampleBox.locator('dd[data-field="hardware"]').waitFor({ state: 'visible' });
      assert.equal((await sampleBox.locator('dd[data-field="hardware"]').innerText()).trim(), entry.hardware[L.lang]);
      assert.equal((await sampleBox.locator('dd[data-field="notes"]').innerText()).trim(), entry.notes[L.lang]);
      assert.ok((await sampleBox.innerText()).includes(entry.sha256), 'the sha256 is shown');
      if (L.lang === 'zh-CN') assert.match(await sampleBox.locator('dd[data-field="hardware"]').innerText(), /\p{Script=Han}/u);
      await sampleBox.screenshot({ path: resolve(SHOTS, `workshop-${L.locale}-0-provenance.png`) });
      await sampleBox.locator('summary').click();
      const progress = page.locator('.tw-ws-progress');
      await progress.getByText(L.progress(0, pack.exercises.length)).waitFor();

      // 1. choice: one wrong answer (HCCL ticked), then the right one, by clicking the boxes.
      const lanes = article(page, 'lanes-on-host');
      await lanes.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
      for (const id of ['python', 'cann', 'hccl']) await choiceBox(lanes, 'lanes-on-host', id, L.lang).check();
      await check(lanes, 'wrong');
      await choiceBox(lanes, 'lanes-on-host', 'hccl', L.lang).uncheck();
      await check(lanes, 'right');
      await progress.getByText(L.progress(1, pack.exercises.length)).waitFor();

      // 2. find: search the kernel, zoom to the second match, click it on the canvas.
      const find = article(page, 'find-mla-attention');
      const mla = widgetIn(find);
      await waitReady(mla);
      const target = baseline.filter((s) => s.process === 'Ascend Hardware' && s.name.startsWith('aclnnFusedInferAttentionScoreV3_'))[1];
      await searchAndZoom(page, mla, '/^aclnnFusedInferAttentionScoreV3_/', 2);
      const stream2 = await rowBox(mla, 'Stream 2');
      await page.mouse.click(await xOf(mla, (target.startNs + target.endNs) / 2), stream2.y + 3 + 9);
      assert.equal(await mla.locator('.tw-details .tw-title').innerText(), target.name, 'the click selected the kernel');
      await check(find.locator('section.tw-exercise'), 'right');
      await progress.getByText(L.progress(2, pack.exercises.length)).waitFor();

      // 3. deep link: copy the view, open it in a fresh page, same window and selection.
      const win = await windowOf(mla);
      const selId = await mla.evaluate((el) => el.twTimeline.view.selection.sliceId);
      await find.getByRole('button', { name: /^(Copy link to this view|复制此视图的链接)$/ }).click();
      const href = await find.locator('.tw-ws-link input').inputValue();
      const url = new URL(href);
      assert.equal(url.pathname, `/${L.locale}/workshop/`);
      assert.equal(url.searchParams.get('pack'), PACK);
      assert.equal(url.searchParams.get('ex'), 'find-mla-attention');
      assert.equal(url.searchParams.get('trace'), exById.get('find-mla-attention').trace === 'baseline' ? pack.traces.baseline : null);
      assert.equal(url.searchParams.get('sel'), String(selId));
      const linked = await context.newPage();
      const linkedLog = collectConsoleErrors(linked);
      await linked.goto(href, { waitUntil: 'networkidle' });
      const linkedWidget = widgetIn(article(linked, 'find-mla-attention'));
      await waitReady(linkedWidget);
      await linked.waitForFunction((el) => el.twTimeline.view.selection.kind === 'slice', await linkedWidget.elementHandle(), { timeout: 20_000 });
      const restored = await windowOf(linkedWidget);
      assert.ok(Math.abs(restored.startNs - win.startNs) <= 1 && Math.abs(restored.endNs - win.endNs) <= 1, `window restored: ${JSON.stringify(restored)} vs ${JSON.stringify(win)}`);
      assert.equal(await linkedWidget.locator('.tw-details .tw-title').innerText(), target.name, 'selection restored');
      // The linked exercise is scrolled into view.
      const top = await article(linked, 'find-mla-attention').evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(Math.abs(top) < 200, `linked exercise at the top of the viewport (${top})`);
      // Without the pack, the same trace, window and selection on their own.
      const bare = new URL(href);
      bare.searchParams.delete('pack');
      bare.searchParams.delete('ex');
      await linked.goto(bare.href, { waitUntil: 'networkidle' });
      const bareWidget = linked.locator('.tw-exercise-timeline[data-timeline-id="ws-view"] section.tw-timeline');
      await waitReady(bareWidget);
      await linked.waitForFunction((el) => el.twTimeline.view.selection.kind === 'slice', await bareWidget.elementHandle(), { timeout: 20_000 });
      const bareWin = await windowOf(bareWidget);
      assert.ok(Math.abs(bareWin.startNs - win.startNs) <= 1 && Math.abs(bareWin.endNs - win.endNs) <= 1, `window restored without the pack: ${JSON.stringify(bareWin)}`);
      assert.equal(await bareWidget.locator('.tw-details .tw-title').innerText(), target.name);
      assert.deepEqual(linkedLog.errors, []);
      await linked.close();

      // 4. export, with a name typed in.
      const exp = page.locator('.tw-ws-export');
      await exp.scrollIntoViewIfNeeded();
      assert.equal(await exp.getByRole('button', { name: /JSON/ }).isDisabled(), true, 'no export without a name');
      await exp.locator('input[type=text]').fill(L.name);
      const json = await download(page, exp.getByRole('button', { name: /JSON/ }));
      const csv = await download(page, exp.getByRole('button', { name: /CSV/ }));
      assert.match(json.name, /^tracewise-example-npu-deepseek-.+\.json$/);
      const doc = JSON.parse(json.text);
      assert.equal(doc.learner, L.name);
      assert.equal(doc.pack.id, pack.id);
      assert.deepEqual(Object.keys(doc.exercises).sort(), ['find-mla-attention', 'lanes-on-host']);
      assert.equal(doc.exercises['lanes-on-host'].attempts, 2);
      const wrongText = doc.exercises['lanes-on-host'].wrong[0].answer;
      assert.ok(wrongText, 'the wrong answer is recorded');
      assert.match(csv.text, new RegExp(`^\\uFEFF?learner,pack,exercise,solved`));
      assert.equal(csv.text.trim().split(/\r\n/).length, 1 + pack.exercises.length, 'one CSV row per exercise');
      await fullShot(page, `workshop-${L.locale}-1-solved.png`);

      // A second learner (another browser profile) who only gets it wrong, with the same wrong answer.
      const other = await browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
      const p2 = await other.newPage();
      await openWorkshop(p2, L);
      await ready(p2);
      const lanes2 = article(p2, 'lanes-on-host');
      await lanes2.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
      for (const id of ['python', 'cann', 'hccl']) await choiceBox(lanes2, 'lanes-on-host', id, L.lang).check();
      await check(lanes2, 'wrong');
      await p2.locator('.tw-ws-export input[type=text]').fill('Bob');
      const csv2 = await download(p2, p2.locator('.tw-ws-export').getByRole('button', { name: /CSV/ }));
      await other.close();

      // 5. instructor view: the three files (one learner twice), the table and the common wrong answer.
      const inst = await context.newPage();
      const instLog = collectConsoleErrors(inst);
      await inst.goto(`${baseUrl()}/${L.locale}/workshop/instructor/?pack=${PACK}`, { waitUntil: 'networkidle' });
      await inst.locator('.tw-instructor').locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
      await inst.locator('.tw-in-muted strong').getByText(pack.title[L.lang]).waitFor();
      await inst.locator('.tw-in-pick input[type=file]').setInputFiles([json.path, csv.path, csv2.path]);
      await inst.getByText(L.learners(2), { exact: true }).waitFor();
      const cell = (learner, ex) => inst.locator(`tr[data-learner="${learner}"] td[data-exercise-id="${ex}"]`);
      assert.equal(await cell(L.name, 'lanes-on-host').innerText(), '✓ 2');
      assert.equal(await cell(L.name, 'find-mla-attention').innerText(), '✓ 1');
      assert.equal(await cell(L.name, 'measure-free-between-steps').innerText(), '—');
      assert.equal(await cell('Bob', 'lanes-on-host').innerText(), '✗ 1');
      const header = await inst.locator('thead th[data-exercise-id="lanes-on-host"]').innerText();
      assert.equal(header, exById.get('lanes-on-host').title[L.lang], 'columns titled from the pack');
      assert.equal(await inst.locator('tfoot td[data-exercise-id="lanes-on-host"]').innerText(), '1 / 2');
      const per = inst.locator('section.tw-in-exercise[data-exercise-id="lanes-on-host"]');
      const first = per.locator('ol.tw-in-wrong li').first();
      assert.equal(await first.locator('code').innerText(), wrongText, 'the most common wrong answer');
      assert.match(await first.innerText(), L.lang === 'en' ? /— 2 learners$/ : /— 2 名学员$/);
      // With the pack loaded, the options' own text is shown beside the raw answer.
      const optionText = (id) => exById.get('lanes-on-host').options.find((o) => o.id === id).text[L.lang];
      assert.equal(await first.locator('.tw-in-label').innerText(), ['python', 'cann', 'hccl'].map(optionText).join(' + '));
      assert.ok((await per.innerText()).includes(pack.exercises[0].instructorNotes[L.lang]), 'the instructor notes are shown');
      // A file that is not an export is listed, and nothing else changes.
      await inst.locator('.tw-in-pick input[type=file]').setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
      await inst.locator('.tw-in-errors li').getByText(/notes\.txt/).waitFor();
      assert.match(await inst.locator('.tw-in-errors').innerText(), L.lang === 'en' ? /not a Tracewise workshop progress export/ : /不是 Tracewise 工作坊进度导出文件/);
      await inst.getByText(L.learners(2), { exact: true }).waitFor();
      await fullShot(inst, `workshop-${L.locale}-3-instructor.png`);
      assert.deepEqual(instLog.errors, []);

      // Lesson progress was never touched; workshop progress sits under its own key.
      const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('tracewise.progress')));
      assert.deepEqual(Object.keys(stored.lessons), [`workshop:${pack.id}`]);
      assert.deepEqual(log.errors, [], 'console errors');
      await context.close();
    } finally {
      await browser.close();
    }
  });

  test(`workshop (${L.locale}): a broken pack shows its problems; presenter mode and the shortcut overlay`, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const page = await context.newPage();
      const log = collectConsoleErrors(page);

      // A pack on another site: refused before any request, with the CSP named.
      await openWorkshop(page, L, '?pack=https://evil.example/pack.json');
      await page.locator('.tw-workshop[data-state="error"]').waitFor();
      assert.match(await page.locator('.tw-ws-problems').innerText(), /connect-src 'self'/);
      assert.match(await page.locator('.tw-ws-problems').innerText(), L.lang === 'en' ? /on another site/ : /位于其他网站/);

      // A dropped pack with mistakes: each with its path, in the page's language.
      await openWorkshop(page, L, '');
      await page.locator('.tw-ws-empty a.tw-ws-example').waitFor();
      assert.equal(await page.locator('.tw-ws-empty a.tw-ws-example').getAttribute('href'), `?pack=${PACK}`);
      const broken = structuredClone(pack);
      broken.exercises[1].trace = 'https://cdn.example.org/t.json.gz';
      broken.exercises[2].trace = 'basline';
      await page.locator('.tw-workshop').locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor();
      if (L.lang === 'en') {
        // Dropped onto the page (anywhere: the browser must not navigate to the file).
        const dt = await page.evaluateHandle((text) => {
          const d = new DataTransfer();
          d.items.add(new File([text], 'broken.json', { type: 'application/json' }));
          return d;
        }, JSON.stringify(broken));
        await page.dispatchEvent('main h1', 'drop', { dataTransfer: dt });
      } else {
        await page.locator('.tw-ws-file input[type=file]').setInputFiles([{ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) }]);
      }
      await page.locator('.tw-workshop[data-state="error"]').waitFor();
      const items = await page.locator('.tw-ws-problems li').allInnerTexts();
      assert.ok(items.some((t) => t.startsWith('exercises[1].trace: ') && /connect-src 'self'/.test(t)), items.join('\n'));
      assert.ok(items.some((t) => t.startsWith('exercises[2].trace: ') && (L.lang === 'en' ? /"basline" is neither/ : /“basline”既不是/).test(t)), items.join('\n'));
      await page.screenshot({ path: resolve(SHOTS, `workshop-${L.locale}-4-broken-pack.png`) });

      // Presenter mode: toggled, remembered across a reload, bigger rows, overlay on "?".
      await openWorkshop(page, L);
      await ready(page);
      const first = widgetIn(article(page, 'lanes-on-host'));
      await waitReady(first);
      const rowHeight = () => first.evaluate((el) => el.twTimeline.view.layout.rows.find((r) => r.row.source.kind === 'slices').row.heightPx / Math.max(1, el.twTimeline.view.layout.rows.find((r) => r.row.source.kind === 'slices').row.source.depthCount));
      const normal = await rowHeight();
      const toggle = page.getByRole('checkbox', { name: L.lang === 'en' ? 'Presenter mode' : '演示模式' });
      await toggle.check();
      assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-tw-presenter')), true);
      await page.waitForFunction((el) => el.twTimeline.view.presenter, await first.elementHandle());
      assert.ok((await rowHeight()) > normal, 'taller slice rows');
      await page.reload({ waitUntil: 'networkidle' });
      await ready(page);
      assert.equal(await toggle.isChecked(), true, 'presenter mode remembered');
      await waitReady(first);
      assert.equal(await first.evaluate((el) => el.classList.contains('tw-presenter')), true);
      await article(page, 'lanes-on-host').scrollIntoViewIfNeeded();
      await page.mouse.move(0, 0);
      await page.screenshot({ path: resolve(SHOTS, `workshop-${L.locale}-2-presenter.png`) });
      await page.locator('body').click({ position: { x: 5, y: 300 } });
      await page.keyboard.press('?');
      const dialog = page.locator('dialog.tw-shortcuts');
      await dialog.waitFor({ state: 'visible' });
      const text = await dialog.innerText();
      for (const k of ['W / S', 'A / D', 'F', 'Shift + drag', 'Ctrl/⌘ + wheel'].map((k) => (L.lang === 'en' ? k : k.replace('drag', '拖动').replace('wheel', '滚轮')))) assert.ok(text.includes(k), `overlay lists ${k}`);
      assert.match(text, L.lang === 'en' ? /zoom to the selected slice or area/ : /缩放到选中的 slice 或区域/);
      await page.screenshot({ path: resolve(SHOTS, `workshop-${L.locale}-2-presenter-shortcuts.png`) });
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await toggle.uncheck();
      await page.reload({ waitUntil: 'networkidle' });
      await ready(page);
      assert.equal(await toggle.isChecked(), false, 'off is remembered too');
      // ?present=1 turns it on for this visit.
      await openWorkshop(page, L, `?pack=${PACK}&present=1`);
      await ready(page);
      assert.equal(await toggle.isChecked(), true);
      assert.deepEqual(log.errors, [], 'console errors');
      await context.close();
    } finally {
      await browser.close();
    }
  });
}

// A pack may point at any trace on the site; one that is not a bundled sample gets no made-up provenance,
// only a plain line that says so. A third-party trace (served to tests under /__shared/traces/) stands in.
const FOREIGN = '/__shared/traces/pytorch/hta-triton.json.gz';
for (const L of LOCALES) {
  test(`workshop (${L.locale}): a trace that is not a Tracewise sample is labelled "provenance unknown"`, { skip: sharedTracesAvailable() ? false : '../shared/traces is absent: no foreign trace to point a pack at' }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const log = collectConsoleErrors(page);
      await openWorkshop(page, L, '');
      await page.locator('.tw-workshop').locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor();
      const foreign = { ...structuredClone(pack), traces: { ...pack.traces, baseline: FOREIGN }, exercises: [structuredClone(pack.exercises[0])] };
      await page.locator('.tw-ws-file input[type=file]').setInputFiles([{ name: 'foreign.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(foreign)) }]);
      await ready(page);
      const line = article(page, pack.exercises[0].id).locator('.tw-provenance[data-kind="unknown"]');
      await line.waitFor();
      const text = await line.innerText();
      assert.match(text, L.lang === 'en' ? /Not a Tracewise sample; provenance unknown/ : /不是 Tracewise 的示例 trace，来源未知/);
      assert.ok(text.includes(FOREIGN), `the line names the trace: ${text}`);
      assert.equal(await article(page, pack.exercises[0].id).locator('details.tw-provenance').count(), 0, 'no sample box for a foreign trace');
      await line.screenshot({ path: resolve(SHOTS, `workshop-${L.locale}-0-provenance-unknown.png`) });
      assert.deepEqual(log.errors, [], 'console errors');
    } finally {
      await browser.close();
    }
  });
}
