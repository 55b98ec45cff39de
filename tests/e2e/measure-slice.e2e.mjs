// Slice-aware measuring (lesson 4, "One reduce-scatter"), both locales: a clicked slice answers with its
// duration *where it is*. The reduce-scatter left over from the unprofiled warm-up step (at 0.4 ms, 6.04 ms
// long, within 5% of the answer's 6.08 ms) is refused with its own near miss, and the feedback says which
// slice was measured; typing its duration while it is selected is refused the same way; the reduce-scatter
// after o_proj of the first layer (at ~26 ms) is accepted.
import assert from 'node:assert/strict';
import { testEachLocale } from './page-setup.mjs';
import { readPack, exercise, widgetOf, waitReady, reEscape } from './lesson-helpers.mjs';
import { stringsFor } from '../../src/components/exercise/strings.ts';

const L4 = readPack('gpu-overlap');
const EX = L4.exById.get('measure-reduce-scatter');

/** Selects (as a click would) the n-th slice of the widget's trace whose name starts with `prefix`, in time order; returns its start and duration in ns. */
const selectNth = (widget, prefix, n) =>
  widget.evaluate(
    (el, [prefix, n]) => {
      const m = el.twTimeline.view.model;
      const ids = [];
      for (let i = 0; i < m.slices.length; i++) if (m.strings[m.slices.name[i]].startsWith(prefix)) ids.push(i);
      ids.sort((a, b) => m.slices.startNs[a] - m.slices.startNs[b]);
      el.twTimeline.select(ids[n]);
      return { startNs: m.slices.startNs[ids[n]], durNs: m.slices.durNs[ids[n]] };
    },
    [prefix, n],
  );

testEachLocale('a measure answered with a clicked slice: the left-over one is refused and named, the right one accepted', 'lessons/gpu-overlap/', {}, async ({ page, L }) => {
  const s = stringsFor(L.lang);
  const widget = widgetOf(page, 'rsag');
  await waitReady(widget);
  const ex = await exercise(page, L4.exById, 'measure-reduce-scatter', L.lang);
  const leftOver = EX.nearMisses.find((n) => n.id === 'left-over').feedback[L.lang];

  const first = await selectNth(widget, 'ncclDevKernel_ReduceScatter', 0);
  assert.ok(first.startNs < 1e6, `the left-over reduce-scatter starts before 1 ms (${first.startNs} ns)`);
  await ex.getByRole('button', { name: s.useSlice }).click();
  await ex.locator('button.tw-ex-check').click();
  const fb = ex.locator('.tw-ex-feedback.tw-ex-wrong');
  await fb.waitFor();
  const text = await fb.innerText();
  assert.match(text, L.lang === 'en' ? /^You measured ncclDevKernel_ReduceScatter/ : /^你量的是 ncclDevKernel_ReduceScatter/, 'the feedback names the measured slice');
  assert.match(text, new RegExp(reEscape(leftOver.slice(0, 30))), 'the left-over near miss');

  // Typing the same duration while that slice is selected: read off it, so refused the same way.
  const value = ex.locator('.tw-ex-value input');
  await value.fill(String(first.durNs / 1e6));
  await ex.locator('button.tw-ex-check').click();
  await page.waitForFunction((el) => el.querySelector('.tw-ex-feedback')?.textContent.includes('ncclDevKernel_ReduceScatter'), await ex.elementHandle());
  assert.match(await ex.locator('.tw-ex-feedback').innerText(), new RegExp(reEscape(leftOver.slice(0, 30))));

  // The reduce-scatter of the first profiled layer, at ~26 ms.
  const second = await selectNth(widget, 'ncclDevKernel_ReduceScatter', 1);
  assert.ok(second.startNs > 20e6 && second.startNs < 30e6, `the asked-for reduce-scatter is at ~26 ms (${second.startNs} ns)`);
  await ex.getByRole('button', { name: s.useSlice }).click();
  await ex.locator('button.tw-ex-check').click();
  await ex.locator('.tw-ex-feedback.tw-ex-right').waitFor();
});
