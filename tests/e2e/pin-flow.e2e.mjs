// A pinned exercise does not move the page. Pinning caps the exercise's box (28–40 % of the viewport) and
// unpinning gives it back its whole height; if that changed the page's flow, everything after it would jump
// as the learner scrolls or clicks (the next exercise under the pointer, a Check click landing elsewhere).
// At 1280×800, in both locales: scrolling through a lesson page step by step, every widget, heading and
// exercise anchor keeps its place in the document; a Check button aimed at just as
// another exercise pins or unpins stays under the pointer; and with a slice selected, the pinned card leaves
// the widget's details panel uncovered where the viewport has room for both.
import assert from 'node:assert/strict';
import { testEachLocale, headerBottom, hydrateAll } from './page-setup.mjs';
import { waitReady } from './exercise-page.mjs';

const SIZE = { width: 1280, height: 800 };
const LESSONS = ['reading-a-timeline', 'gpu-overlap'];

/** Waits until the pinned card (which, where, how tall) and the scroll position read the same three times. */
async function settle(page) {
  let last = '';
  for (let same = 0, i = 0; same < 3 && i < 40; i++) {
    await page.waitForTimeout(50);
    const now = await page.evaluate(() => {
      const p = document.querySelector('section.tw-exercise[data-pinned="true"]');
      return JSON.stringify([scrollY, p?.getAttribute('aria-label'), p?.getBoundingClientRect().top, p?.getBoundingClientRect().height]);
    });
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

/** Document y (not viewport y) of everything that must stay put, and which exercise is pinned. */
const flow = (page) =>
  page.evaluate(() => {
    const marks = [...document.querySelectorAll('.tw-exercise-timeline, .sl-markdown-content > h2, .sl-markdown-content > .sl-heading-wrapper, .tw-ex-sentinel, footer')];
    return {
      ys: marks.map((e) => e.getBoundingClientRect().top + scrollY),
      pinned: document.querySelector('section.tw-exercise[data-pinned="true"]')?.getAttribute('aria-label') ?? null,
    };
  });

async function openLesson(page) {
  await hydrateAll(page);
  for (const w of await page.locator('.tw-exercise-timeline section.tw-timeline').all()) await waitReady(w);
}

/** Scroll positions from the top of the page to its bottom, `step` px apart. */
async function sweep(page, step) {
  const max = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  const ys = [];
  for (let y = 0; y < max; y += step) ys.push(y);
  return [...ys, max];
}

for (const lesson of LESSONS) {
  testEachLocale(`pinning or unpinning an exercise moves nothing in the page's flow at 1280×800: ${lesson}`, `lessons/${lesson}/`, { viewport: SIZE }, async ({ page }) => {
    await openLesson(page);
    // The unpinned layout: read where nothing is pinned (the exercises are all laid out in full).
    let base = null;
    for (const y of (await sweep(page, 400)).reverse()) {
      await page.evaluate((to) => scrollTo(0, to), y);
      await settle(page);
      const f = await flow(page);
      if (!f.pinned) {
        base = f.ys;
        break;
      }
    }
    assert.ok(base, 'some scroll position has no pinned exercise');
    const problems = [];
    const pins = new Set();
    for (const y of await sweep(page, 150)) {
      await page.evaluate((to) => scrollTo(0, to), y);
      await settle(page);
      const f = await flow(page);
      if (f.pinned) pins.add(f.pinned);
      const moved = f.ys.map((v, i) => Math.round(v - base[i])).filter((d) => Math.abs(d) > 1);
      if (moved.length) problems.push(`at scrollY ${y} (pinned: ${f.pinned}): ${moved.length} marks moved by ${[...new Set(moved)].join(', ')} px`);
    }
    assert.ok(pins.size > 0, 'some exercise was pinned during the sweep');
    assert.deepEqual(problems, []);
  });

  testEachLocale(`a Check button stays under the pointer as another exercise pins or unpins at 1280×800: ${lesson}`, `lessons/${lesson}/`, { viewport: SIZE }, async ({ page }) => {
    await openLesson(page);
    const header = await headerBottom(page);
    let tried = 0;
    const problems = [];
    // Each scroll position where the pinned exercise changes (one pins or unpins) within a small step.
    for (const y of await sweep(page, 90)) {
      await page.evaluate((to) => scrollTo(0, to), y);
      await settle(page);
      const before = await flow(page);
      // An unpinned exercise's Check button in plain view (not under the pinned card): where the learner aims.
      const aim = await page.evaluate((top) => {
        for (const b of document.querySelectorAll('section.tw-exercise:not([data-pinned="true"]) button.tw-ex-check')) {
          const r = b.getBoundingClientRect();
          const x = r.left + r.width / 2;
          const y = r.top + r.height / 2;
          // Still below the header after the 30 px scroll.
          if (y > top + 40 && y < innerHeight - 4 && document.elementFromPoint(x, y) === b) return { x, y, label: b.closest('section').getAttribute('aria-label') };
        }
        return null;
      }, header);
      if (!aim) continue;
      await page.evaluate(() => scrollBy(0, 30));
      await settle(page);
      const after = await flow(page);
      if (after.pinned === before.pinned) continue;
      tried++;
      // The page scrolled by 30 px: the aimed-at button is 30 px higher, nothing else may have moved it. (Whether
      // the newly pinned card is drawn over that point is another matter: see the report of this change.)
      const hit = await page.evaluate(({ x, y, label }) => {
        const b = [...document.querySelectorAll('section.tw-exercise')].find((s) => s.getAttribute('aria-label') === label)?.querySelector('button.tw-ex-check');
        const r = b?.getBoundingClientRect();
        return r && r.left <= x && x <= r.right && r.top <= y - 30 && y - 30 <= r.bottom ? label : `its Check now at y ${r && Math.round(r.top)}–${r && Math.round(r.bottom)}`;
      }, aim);
      if (hit !== aim.label) problems.push(`scrollY ${y}→${y + 30} (pinned ${before.pinned} → ${after.pinned}): a click aimed at Check of "${aim.label}" hits ${hit}`);
    }
    assert.ok(tried > 0, 'some pin change happened with a Check button in view');
    assert.deepEqual(problems, []);
  });
}

testEachLocale('the pinned exercise leaves the selected slice\'s details panel uncovered where there is room at 1280×800', 'lessons/reading-a-timeline/', { viewport: SIZE }, async ({ page }) => {
  await openLesson(page);
  const ids = [...new Set(await page.locator('section.tw-exercise[data-timeline]:not([data-kind="compare"])').evaluateAll((els) => els.map((e) => e.dataset.timeline)))];
  let looked = 0;
  const problems = [];
  for (const id of ids) {
    const widget = page.locator(`.tw-exercise-timeline[data-timeline-id="${id}"] section.tw-timeline`);
    // Select the longest slice with args, so the details panel shows its name, times and args.
    await widget.evaluate((el) => {
      const t = el.twTimeline.view.model.slices;
      let best = -1;
      for (let i = 0; i < t.length; i++) if ((best < 0 || t.durNs[i] > t.durNs[best]) && (t.args[i] >= 0 || best < 0)) best = i;
      el.twTimeline.select(best);
    });
    await page.waitForTimeout(100);
    const header = await headerBottom(page);
    // The rows just under the header, then lower, while the rows and the details both stay in view.
    for (const offset of [0, 40, 80]) {
      await widget.evaluate((el, off) => {
        const top = document.querySelector('header.header').getBoundingClientRect().bottom;
        scrollBy(0, el.querySelector('.tw-body').getBoundingClientRect().top - top - off);
      }, offset);
      await settle(page);
      const snap = await widget.evaluate((el) => {
        const box = (e) => e && { top: e.getBoundingClientRect().top, bottom: e.getBoundingClientRect().bottom };
        const p = document.querySelector('section.tw-exercise[data-pinned="true"]');
        return p && { body: box(el.querySelector('.tw-body')), panels: box(el.querySelector('.tw-panels')), card: box(p), title: p.getAttribute('aria-label') };
      });
      if (!snap || !snap.panels) continue;
      const { body, panels, card, title } = snap;
      // Room for a card (104 px, pin-dock.ts's minimum, plus its gaps) below the details or above the rows.
      const room = SIZE.height - panels.bottom - 16 >= 104 || body.top - header - 16 >= 104;
      if (!room || panels.bottom > SIZE.height || body.top < header) continue;
      looked++;
      if (card.top < panels.bottom - 1 && card.bottom > body.top + 1) problems.push(`widget ${id}, rows+details ${Math.round(body.top)}–${Math.round(panels.bottom)}: pinned "${title}" at ${Math.round(card.top)}–${Math.round(card.bottom)} covers them`);
    }
  }
  assert.ok(looked > 0, 'some widget had its rows and details in view with room for the pinned card');
  assert.deepEqual(problems, []);
});
