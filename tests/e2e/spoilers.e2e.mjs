// No spoilers in the details panel (lesson 1, both locales): while "From launch to start" is unsolved, the
// widget it is answered on keeps the launch-latency reason ("…started 14.339 µs later") behind a "show"
// button; "show" reveals it; once the exercise is solved (here through Show me), the reason is shown
// outright, also after a reload. (That no prompt states an earlier exercise's answer is checked on the
// packs by src/lib/exercises/packs.test.ts.)
import assert from 'node:assert/strict';
import { testEachLocale } from './page-setup.mjs';
import { readPack, exercise, widgetOf, waitReady } from './lesson-helpers.mjs';
import { stringsFor as exerciseStrings } from '../../src/components/exercise/strings.ts';
import { stringsFor as timelineStrings } from '../../src/components/timeline/strings.ts';

const L1 = readPack('reading-a-timeline');
const LATER = { en: /started [\d.]+ µs later/, 'zh-CN': /[\d.]+ µs 后开始执行/ };

/** Selects a slice of the widget that the launch-latency detector has a reason for. */
const selectLaunched = (widget) =>
  widget.evaluate((el) => {
    const v = el.twTimeline.view;
    for (let i = 0; i < v.model.slices.length; i++) if (v.detectors?.hitsOf(i).some((h) => h.detector === 'launch_latency')) return el.twTimeline.select(i);
    throw new Error('no slice with a launch-latency reason');
  });

testEachLocale('the launch-latency fact is hidden while its exercise is unsolved, with a show button', 'lessons/reading-a-timeline/', {}, async ({ page, L }) => {
  const ts = timelineStrings(L.lang);
  const es = exerciseStrings(L.lang);
  const widget = widgetOf(page, 'eager-zoom');
  await waitReady(widget);
  const ex = await exercise(page, L1.exById, 'rt-measure-launch-latency', L.lang);
  await selectLaunched(widget);
  const details = widget.locator('.tw-details');
  await details.locator('[data-hidden-fact="launch_latency"]').waitFor();
  assert.doesNotMatch(await details.innerText(), LATER[L.lang], 'the latency is not in the details');
  await details.getByRole('button', { name: ts.showFact, exact: true }).click();
  assert.match(await details.innerText(), LATER[L.lang], '"show" reveals it');

  // Solve it with the pack's reference value (this test is about what the panel hides, not about checking).
  const sol = L1.exById.get('rt-measure-launch-latency').solution;
  const us = sol.value;
  await ex.locator('.tw-ex-value input').fill(String(us));
  await ex.locator('.tw-ex-value select').selectOption(sol.unit).catch(() => {});
  await ex.locator('button.tw-ex-check').click();
  await ex.locator('.tw-ex-feedback').waitFor();
  assert.equal(await ex.getAttribute('data-solved'), 'true', `solved with ${us} µs: ${await ex.locator('.tw-ex-feedback').innerText()}`);
  await page.reload({ waitUntil: 'networkidle' });
  const again = widgetOf(page, 'eager-zoom');
  await waitReady(again);
  await exercise(page, L1.exById, 'rt-measure-launch-latency', L.lang);
  await selectLaunched(again);
  await page.waitForTimeout(200);
  assert.equal(await again.locator('.tw-details [data-hidden-fact]').count(), 0, 'solved: nothing hidden');
  assert.match(await again.locator('.tw-details').innerText(), LATER[L.lang]);
});
