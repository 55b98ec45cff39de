// Exercise and widget together, for every widget with exercises in every lesson, in both locales, at 1280×800 and
// 1440×900: with the widget scrolled to the top of the page (as Show me leaves it), the widget's toolbar
// is below Starlight's fixed header,
// the widget's rows and canvas and its details panel are in the viewport, and the exercise is in view
// too (pinned to the bottom when it is further down the page) without covering the widget: its Check
// button is visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, withLessonPage, headerBottom } from './page-setup.mjs';
import { waitReady } from './exercise-page.mjs';

const LESSONS = ['reading-a-timeline', 'gpu-qwen-tp', 'npu-deepseek', 'gpu-overlap', 'record-your-own'];
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1440, height: 900 },
];

for (const L of LOCALES) {
  for (const lesson of LESSONS) {
    test(`exercise and widget in one viewport: ${lesson} (${L.locale}) at ${SIZES.map((s) => `${s.width}×${s.height}`).join(', ')}`, async () => {
      await withLessonPage(L, `lessons/${lesson}/`, { viewport: SIZES[0] }, async ({ page }) => {
        // Compare exercises (two widgets, before and after) have their own test: compare-layout.e2e.mjs.
        const exercises = await page.locator('section.tw-exercise[data-timeline]:not([data-kind="compare"])').all();
        for (const w of await page.locator('.tw-exercise-timeline section.tw-timeline').all()) await waitReady(w);
        const problems = [];
        for (const size of SIZES) {
          await page.setViewportSize(size);
          const ids = [...new Set(await Promise.all(exercises.map((e) => e.getAttribute('data-timeline'))))];
          for (const id of ids) {
            const widget = page.locator(`.tw-exercise-timeline[data-timeline-id="${id}"] section.tw-timeline`);
            // The widget brought to the top of the page (as Show me leaves it).
            await widget.evaluate((el) => {
              const top = document.querySelector('header.header').getBoundingClientRect().bottom;
              window.scrollBy(0, el.getBoundingClientRect().top - top - 8);
            });
            // Let the scroll handler place its exercise (pinned, or already in view).
            const mine = page.locator(`section.tw-exercise[data-timeline="${id}"]:not([data-kind="compare"])`);
            await page
              .waitForFunction((sel) => [...document.querySelectorAll(sel)].some((el) => el.dataset.pinned === 'true' || el.querySelector('button.tw-ex-check').getBoundingClientRect().bottom <= innerHeight), `section.tw-exercise[data-timeline="${id}"]:not([data-kind="compare"])`, { timeout: 3000 })
              .catch(() => {});
            const top = await headerBottom(page);
            const vh = size.height;
            const where = `${size.width}×${size.height} widget ${id}`;
            const toolbar = await widget.locator('.tw-toolbar').boundingBox();
            const body = await widget.locator('.tw-body').boundingBox();
            const panels = await widget.locator('.tw-panels').boundingBox();
            if (toolbar.y < top - 1) problems.push(`${where}: toolbar under the header`);
            // Its active exercise: the pinned one, else the first whose Check button is in view below the widget.
            let active = null;
            for (const ex of await mine.all()) {
              const b = await ex.boundingBox();
              const c = await ex.locator('button.tw-ex-check').boundingBox();
              const pinned = (await ex.getAttribute('data-pinned')) === 'true';
              if (b.y > body.y && c && c.y >= top && c.y + c.height <= vh + 1 && (pinned || !active)) active = { b, title: await ex.getAttribute('aria-label') };
            }
            const firstBelow = (await Promise.all((await mine.all()).map((e) => e.boundingBox()))).some((b) => b.y > body.y);
            if (!firstBelow) continue; // the widget's exercises are all above it (answered before the widget is shown)
            if (!active) problems.push(`${where}: none of its exercises is in view with the widget`);
            else {
              if (body.y + body.height > active.b.y + 1) problems.push(`${where}: "${active.title}" covers the widget's rows`);
              if (panels.y + panels.height > Math.min(vh, active.b.y) + 1) problems.push(`${where}: details panel below the fold or under "${active.title}"`);
            }
          }
        }
        assert.deepEqual(problems, []);
      });
    });
  }
}
