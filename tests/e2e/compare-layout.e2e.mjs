// A compare exercise and both of its widgets in one viewport, at 1280×800 and 1440×900, in both locales: with
// the exercise being worked on (clicked) and its "before" widget brought under Starlight's header, the
// before widget's toolbar is below the header, the rows of both widgets are wholly in view, and the
// exercise's Check button is in view without the exercise covering either widget's rows. Every compare
// exercise is checked: its two widgets must be adjacent (no other exercise between them, as lesson 2's rank 0 /
// rank 1 once had), else task and widgets cannot share a viewport.
import assert from 'node:assert/strict';
import { testEachLocale, headerBottom, settle } from './page-setup.mjs';
import { waitReady } from './exercise-page.mjs';

const LESSONS = ['reading-a-timeline', 'gpu-qwen-tp', 'npu-deepseek', 'gpu-overlap'];
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

const checked = new Map();
for (const lesson of LESSONS) {
  testEachLocale(`a compare exercise and both its widgets in one viewport at 1280×800 and 1440×900: ${lesson}`, `lessons/${lesson}/`, { viewport: SIZES[0] }, async ({ page }) => {
    for (const w of await page.locator('.tw-exercise-timeline section.tw-timeline').all()) await waitReady(w);
    // Each compare exercise with two widgets, and whether another exercise sits between the widgets.
    const pairs = await page.evaluate(() => {
      const all = [...document.querySelectorAll('section.tw-exercise, .tw-exercise-timeline')];
      return [...document.querySelectorAll('section.tw-exercise[data-kind="compare"]')].flatMap((ex) => {
        const island = ex.closest('astro-island');
        const m = (island?.getAttribute('props') ?? '').match(/"timelines":\[0,\{"before":\[0,"([^"]+)"\],"after":\[0,"([^"]+)"\]/);
        if (!m) return [];
        const at = (id) => all.indexOf(document.querySelector(`.tw-exercise-timeline[data-timeline-id="${id}"]`));
        const between = all.slice(at(m[1]) + 1, at(m[2])).some((e) => e.matches('section.tw-exercise'));
        return [{ title: ex.getAttribute('aria-label'), before: m[1], after: m[2], between }];
      });
    });
    const problems = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const p of pairs) {
        if (p.between) {
          problems.push(`${size.width}×${size.height} "${p.title}": other exercises sit between its widgets ${p.before} and ${p.after}`);
          continue;
        }
        const ex = page.locator(`section.tw-exercise[aria-label="${p.title}"]`);
        // Work on it (the learner clicks into it), then bring the before widget to the top.
        await ex.scrollIntoViewIfNeeded();
        await ex.locator('h3, h4, p').first().click();
        const before = page.locator(`.tw-exercise-timeline[data-timeline-id="${p.before}"]`);
        const after = page.locator(`.tw-exercise-timeline[data-timeline-id="${p.after}"]`);
        await before.evaluate((el) => {
          const top = document.querySelector('header.header').getBoundingClientRect().bottom;
          window.scrollBy(0, el.getBoundingClientRect().top - top - 8);
        });
        // The pointer goes to the widget's rows, where the learner works (a card never appears under it: it would
        // wait at the spot where the click into the exercise left the pointer).
        const rows = await before.locator('.tw-body').boundingBox();
        await page.mouse.move(rows.x + rows.width / 2, rows.y + rows.height / 2);
        await settle(page);
        const top = await headerBottom(page);
        const vh = size.height;
        const where = `${size.width}×${size.height} "${p.title}"`;
        const toolbar = await before.locator('.tw-toolbar').boundingBox();
        if (toolbar.y < top - 1) problems.push(`${where}: the before widget's toolbar is under the header`);
        const bodies = [await before.locator('.tw-body').boundingBox(), await after.locator('.tw-body').boundingBox()];
        bodies.forEach((b, i) => {
          if (b.y < top - 1 || b.y + b.height > vh + 1) problems.push(`${where}: the ${i ? 'after' : 'before'} widget's rows (${Math.round(b.y)}–${Math.round(b.y + b.height)}) are not wholly in view`);
        });
        const card = await ex.boundingBox();
        const check = await ex.locator('button.tw-ex-check').boundingBox();
        if (!check || check.y < top - 1 || check.y + check.height > vh + 1) problems.push(`${where}: its Check button is out of view`);
        bodies.forEach((b, i) => {
          if (card.y < b.y + b.height - 1 && card.y + card.height > b.y + 1) problems.push(`${where}: the exercise covers the ${i ? 'after' : 'before'} widget's rows`);
        });
      }
    }
    checked.set(lesson, pairs);
    assert.ok(pairs.length > 0, 'the lesson has a compare exercise');
    assert.deepEqual(problems, []);
  });
}
