// A pinned exercise never covers its widget's rows. At 1280×900 (between the sizes layout.e2e.mjs checks) a
// lesson widget fits in the viewport with room to spare, so a learner may have it anywhere on screen: at the
// top, in the middle, near the bottom. Wherever the widget's rows are wholly in view, its pinned exercise
// (docked at the bottom, or at the top when the rows are low) must leave the rows (.tw-body, where the
// slice being asked for is) uncovered, and keep its Check button in view.
import assert from 'node:assert/strict';
import { testEachLocale, headerBottom } from './page-setup.mjs';
import { waitReady } from './exercise-page.mjs';

const LESSONS = ['reading-a-timeline', 'gpu-qwen-tp', 'npu-deepseek', 'gpu-overlap'];
const SIZE = { width: 1280, height: 900 };

/** Scrolls so that the widget's rows start `offset` px below the header, then lets the pin settle. */
async function placeRowsAt(page, widget, offset) {
  await widget.evaluate((el, off) => {
    const top = document.querySelector('header.header').getBoundingClientRect().bottom;
    window.scrollBy(0, el.querySelector('.tw-body').getBoundingClientRect().top - top - off);
  }, offset);
  // Settled: the pinned card (if any) and the rows in the same place over three checks 60 ms apart.
  let last = '';
  for (let same = 0, i = 0; same < 3 && i < 40; i++) {
    await page.waitForTimeout(60);
    const now = await page.evaluate((el) => {
      const p = document.querySelector('section.tw-exercise[data-pinned="true"]');
      return JSON.stringify([el.querySelector('.tw-body').getBoundingClientRect().top, p?.getAttribute('aria-label'), p?.getBoundingClientRect().top, p?.getBoundingClientRect().height]);
    }, await widget.elementHandle());
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

for (const lesson of LESSONS) {
  testEachLocale(`a pinned exercise leaves its widget's rows uncovered at 1280×900: ${lesson}`, `lessons/${lesson}/`, { viewport: SIZE }, async ({ page }) => {
    for (const w of await page.locator('.tw-exercise-timeline section.tw-timeline').all()) await waitReady(w);
    const ids = [...new Set(await page.locator('section.tw-exercise[data-timeline]').evaluateAll((els) => els.map((e) => e.dataset.timeline)))];
    const problems = [];
    let pinnedSeen = 0;
    for (const id of ids) {
      const widget = page.locator(`.tw-exercise-timeline[data-timeline-id="${id}"] section.tw-timeline`);
      const header = await headerBottom(page);
      const body0 = await widget.locator('.tw-body').boundingBox();
      // From the rows just under the header to the rows' bottom at the viewport's bottom, in four steps.
      const room = SIZE.height - header - body0.height;
      for (const offset of [0, room / 3, (2 * room) / 3, room - 1].map(Math.round)) {
        await placeRowsAt(page, widget, offset);
        // One snapshot of the rows and the pinned card (read together, so they describe the same moment).
        const snap = await widget.evaluate((el) => {
          const box = (e) => (e ? { y: e.getBoundingClientRect().top, h: e.getBoundingClientRect().height } : null);
          const p = document.querySelector('section.tw-exercise[data-pinned="true"]');
          return p && { body: box(el.querySelector('.tw-body')), card: box(p), check: box(p.querySelector('button.tw-ex-check')), title: p.getAttribute('aria-label'), side: p.dataset.pinSide };
        });
        if (!snap) continue;
        pinnedSeen++;
        const { body, card, check, title, side } = snap;
        const where = `widget ${id}, rows at ${Math.round(body.y)}–${Math.round(body.y + body.h)}`;
        if (card.y < body.y + body.h - 1 && card.y + card.h > body.y + 1) {
          problems.push(`${where}: pinned "${title}" (${side}) at ${Math.round(card.y)}–${Math.round(card.y + card.h)} covers them`);
        }
        if (!check || check.y < header - 1 || check.y + check.h > SIZE.height + 1) problems.push(`${where}: pinned "${title}" (${side}) has its Check button out of view (${check && Math.round(check.y)})`);
      }
    }
    assert.ok(pinnedSeen > 0, 'some exercise was pinned (the test looked at a pinned card)');
    assert.deepEqual(problems, []);
  });
}
