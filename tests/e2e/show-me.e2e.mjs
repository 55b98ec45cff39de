// "Show me" brings the answer into view, in both locales, at 1280×800: from an exercise whose widget is a
// screen further up (lesson 1, "Follow a launch to its kernel"), Show me scrolls the page until the whole
// widget is visible below Starlight's fixed header, scrolls the widget's rows to the target's track (they
// were scrolled away from it first) and zooms the time axis onto the target. Checking the revealed answer
// then counts as solved *with help*: the badge, the lesson progress and, after a reload, the saved record
// say so.
import assert from 'node:assert/strict';
import { testEachLocale, fullyVisible } from './page-setup.mjs';
import { readPack, exercise, widgetOf, waitReady } from './lesson-helpers.mjs';
import { stringsFor } from '../../src/components/exercise/strings.ts';

const L1 = readPack('reading-a-timeline');

testEachLocale('Show me scrolls to the widget, its row and the answer; the solve is recorded as with help', 'lessons/reading-a-timeline/', { viewport: { width: 1280, height: 800 } }, async ({ page, L }) => {
  const s = stringsFor(L.lang);
  const widget = widgetOf(page, 'eager');
  await waitReady(widget);
  const ex = await exercise(page, L1.exById, 'rt-find-kernel-from-launch', L.lang);
  // The learner reads the exercise; the widget is above, out of sight. Its rows are scrolled to the bottom.
  await widget.locator('.tw-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await ex.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 120));
  const before = await widget.boundingBox();
  assert.ok(before.y + before.height < 0 || before.y < 0, 'the widget starts (partly) above the viewport');

  await ex.getByRole('button', { name: s.showMe }).click();
  await page.waitForFunction((el) => el.twTimeline.view.selection.kind === 'slice', await widget.elementHandle());
  await page.waitForTimeout(300);
  await fullyVisible(page, await widget.locator('.tw-body').boundingBox(), 'the widget’s rows and canvas');
  await fullyVisible(page, await widget.locator('.tw-toolbar, [role=toolbar]').first().boundingBox(), 'the widget’s toolbar');

  const sel = await widget.evaluate((el) => ({ ...el.twTimeline.view.selection, window: { ...el.twTimeline.view.window } }));
  assert.equal(sel.name, 'rotary_embedding_kernel', 'Show me selected the answer');
  assert.ok(sel.window.startNs <= sel.startNs && sel.endNs <= sel.window.endNs, 'the answer is inside the shown window');
  assert.ok(sel.endNs - sel.startNs > (sel.window.endNs - sel.window.startNs) / 50, 'zoomed onto it (it spans more than 2% of the view)');
  const row = await widget.locator(`.tw-row[data-row-key="t${sel.trackId}"]`).boundingBox();
  const rows = await widget.locator('.tw-scroll').boundingBox();
  assert.ok(row && row.y >= rows.y - 1 && row.y + Math.min(row.height, 40) <= rows.y + rows.height + 1, 'the target’s row is scrolled into the widget’s view');

  // Checking the revealed answer: solved, with help.
  await ex.locator('button.tw-ex-check').click();
  await ex.locator('.tw-ex-feedback.tw-ex-right').waitFor();
  assert.equal((await ex.locator('.tw-ex-badge').innerText()).trim(), `✓ ${s.solvedWithHelp}`);
  const progress = page.locator('.tw-lesson-progress');
  assert.match(await progress.innerText(), new RegExp(s.progressHelped(1).replace(/[()（）]/g, '\\$&')));
  await page.reload({ waitUntil: 'networkidle' });
  const again = await exercise(page, L1.exById, 'rt-find-kernel-from-launch', L.lang);
  await again.locator('.tw-ex-badge').waitFor();
  assert.equal((await again.locator('.tw-ex-badge').innerText()).trim(), `✓ ${s.solvedWithHelp}`);
});
