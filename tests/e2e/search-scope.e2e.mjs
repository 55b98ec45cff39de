// Search that scales (lesson 4's two-stream widget, `cudaStreamWaitEvent`, 100+ matches), both locales:
// the count says how many matches there are in all and how many are in view; "visible range" keeps
// Enter / ‹ › inside the view (they wrap there); next starts from the view the learner looks at, not from
// the start of the trace; "selected lane" keeps to the selected slice's lane.
import assert from 'node:assert/strict';
import { testEachLocale } from './page-setup.mjs';
import { widgetOf, waitReady } from './lesson-helpers.mjs';
import { stringsFor } from '../../src/components/timeline/strings.ts';

const QUERY = 'cudaStreamWaitEvent';

/** The view's matches, the window and the selection, read off the widget; in-view counted here from the model. */
const state = (widget) =>
  widget.evaluate((el) => {
    const v = el.twTimeline.view;
    const m = v.model;
    const all = [...v.search.matches];
    const w = { ...v.window };
    const inView = all.filter((id) => m.slices.startNs[id] < w.endNs && m.slices.startNs[id] + m.slices.durNs[id] > w.startNs);
    const sel = v.selection;
    return { all, inView, w, sel: sel.kind === 'slice' ? { id: sel.sliceId, startNs: sel.startNs, endNs: sel.endNs, trackId: sel.trackId } : null, starts: all.map((id) => m.slices.startNs[id]) };
  });

testEachLocale('search: n in view / N total, scoped to the view or one lane, next from the current view', 'lessons/gpu-overlap/', {}, async ({ page, L }) => {
  const s = stringsFor(L.lang);
  const widget = widgetOf(page, 'two');
  await waitReady(widget);
  const search = widget.locator('input[type=search]');
  await search.fill(QUERY);
  await search.press('Enter');
  await widget.locator('.tw-count').waitFor();
  await search.press('Escape').catch(() => {});
  await search.fill(QUERY);
  await page.waitForFunction((el) => el.twTimeline.view.search?.matches.length > 0, await widget.elementHandle());

  // A window around the middle match, nothing selected.
  await widget.evaluate((el) => {
    const v = el.twTimeline.view;
    const ms = v.search.matches;
    const mid = v.model.slices.startNs[ms[ms.length >> 1]];
    el.twTimeline.select(null);
    el.twTimeline.showRange({ startNs: mid - 3e6, endNs: mid + 3e6 });
  });
  let st = await state(widget);
  assert.ok(st.all.length >= 50, `${QUERY}: ${st.all.length} matches`);
  assert.ok(st.inView.length > 0 && st.inView.length < st.all.length, `some in view (${st.inView.length} of ${st.all.length})`);
  assert.equal(await widget.locator('.tw-count').innerText(), s.searchCount(-1, st.all.length, st.inView.length, st.all.length, 'all'));

  // Next starts from the view, not from the first match of the trace.
  await widget.getByRole('button', { name: s.nextMatch }).click();
  st = await state(widget);
  const firstInView = Math.min(...st.inView.map((id) => st.starts[st.all.indexOf(id)]).filter((t) => t >= st.w.startNs));
  assert.equal(st.sel.startNs, firstInView, 'the first match at or after the left edge of the view');

  // Visible range: stepping wraps inside the view.
  await widget.locator('select.tw-scope').selectOption('view');
  const n = st.inView.length;
  for (let i = 0; i < n + 2; i++) await widget.getByRole('button', { name: s.nextMatch }).click();
  st = await state(widget);
  assert.ok(st.sel.endNs > st.w.startNs && st.sel.startNs < st.w.endNs, 'still in view after going round');
  assert.match(await widget.locator('.tw-count').innerText(), new RegExp(`${n} .*${st.all.length}`));
  assert.equal(await widget.locator('.tw-count').innerText(), s.searchCount(st.inView.indexOf(st.sel.id), n, n, st.all.length, 'view'));

  // Selected lane: only the selected slice's track.
  await widget.locator('select.tw-scope').selectOption('lane');
  const lane = st.sel.trackId;
  for (let i = 0; i < 3; i++) {
    await widget.getByRole('button', { name: s.prevMatch }).click();
    st = await state(widget);
    assert.equal(st.sel.trackId, lane, 'stays on the lane');
  }
});
