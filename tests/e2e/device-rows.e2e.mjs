// A lesson widget shows its device rows without the learner scrolling inside it (issue #23): a Python call
// stack is deeper than a widget at 1280×800 is tall, and the GPU/NPU streams sit below it, so a widget that
// opens at the top of the stack shows no kernel at all. On every lesson page, in both locales, once each
// widget is ready: some row of its first device group (GPU streams, Ascend Hardware) is in view inside the
// widget, and every row in view keeps its name in view (a tall row scrolled part-way shows its label and how
// many of its levels are above).
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { hydrateAll, testEachLocale } from './page-setup.mjs';
import { waitReady } from './exercise-page.mjs';
import { root } from './lesson-helpers.mjs';

const LESSONS = readdirSync(resolve(root, 'src/content/docs/en/lessons')).map((f) => f.replace(/\.mdx?$/, ''));

for (const lesson of LESSONS) {
  testEachLocale(`the device rows are in view in every widget at 1280×800: ${lesson}`, `lessons/${lesson}/`, { viewport: { width: 1280, height: 800 } }, async ({ page }) => {
    const problems = [];
    let withDevice = 0;
    // Islands hydrate as they scroll into view (the server-rendered box is then replaced): all of them first.
    await hydrateAll(page, 'section.tw-timeline');
    for (const w of await page.locator('section.tw-timeline').all()) {
      await w.scrollIntoViewIfNeeded();
      await waitReady(w);
      const seen = await w.evaluate((el) => {
        const scroller = el.querySelector('.tw-scroll').getBoundingClientRect();
        const inView = (r, min) => Math.min(r.bottom, scroller.bottom) - Math.max(r.top, scroller.top) >= min;
        const device = el.querySelector('.tw-group[data-rank="2"]');
        const rows = device ? [...el.querySelectorAll(`.tw-scroll .tw-row[data-group="${device.dataset.group}"]`)] : [];
        const unnamed = [...el.querySelectorAll('.tw-scroll .tw-row')]
          .filter((r) => inView(r.getBoundingClientRect(), 1))
          .filter((r) => !inView(r.querySelector('.tw-row-name').getBoundingClientRect(), 8))
          .map((r) => r.querySelector('.tw-row-name').textContent);
        // A row whose top levels are scrolled out above says so beside its name.
        const unsaid = [...el.querySelectorAll('.tw-scroll .tw-row[data-row-key^="t"]')]
          .filter((r) => inView(r.getBoundingClientRect(), 1) && scroller.top - r.getBoundingClientRect().top >= 21)
          .filter((r) => !/\d/.test(r.querySelector('.tw-row-above')?.textContent ?? ''))
          .map((r) => r.querySelector('.tw-row-name').textContent);
        return {
          unsaid,
          title: el.getAttribute('aria-label'),
          device: device?.textContent.trim() ?? null,
          deviceRowsInView: rows.filter((r) => inView(r.getBoundingClientRect(), 12)).length,
          unnamed,
        };
      });
      if (!seen.device) continue;
      withDevice++;
      if (!seen.deviceRowsInView) problems.push(`"${seen.title}": no row of ${seen.device} in view`);
      if (seen.unsaid.length) problems.push(`"${seen.title}": rows scrolled part-way without saying how many levels are above: ${seen.unsaid.join(', ')}`);
      if (seen.unnamed.length) problems.push(`"${seen.title}": rows in view without their name: ${seen.unnamed.join(', ')}`);
    }
    assert.ok(withDevice > 0, 'the lesson has a widget with device rows');
    assert.deepEqual(problems, []);
  });
}
