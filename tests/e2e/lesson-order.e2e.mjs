// Every exercise comes after the widget it is answered on (issue #23: an exercise above its widget is never in
// view or pinned with it). On every lesson page, in both locales: each exercise with a `timeline` (or a compare
// exercise's `before` and `after`) follows, in the page's order, the widget of that id. Read from the rendered
// page (the exercise islands' props), so it checks what the learner gets, whatever the MDX looks like.
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import assert from 'node:assert/strict';
import { testEachLocale } from './page-setup.mjs';
import { root } from './lesson-helpers.mjs';

const LESSONS = readdirSync(resolve(root, 'src/content/docs/en/lessons')).map((f) => f.replace(/\.mdx?$/, ''));

for (const lesson of LESSONS) {
  testEachLocale(`every exercise follows the widget it names: ${lesson}`, `lessons/${lesson}/`, {}, async ({ page }) => {
    const found = await page.evaluate(() => {
      const blocks = [...document.querySelectorAll('.tw-exercise-timeline, section.tw-exercise')];
      const at = (id) => blocks.findIndex((b) => b.matches(`.tw-exercise-timeline[data-timeline-id="${CSS.escape(id)}"]`));
      const out = { exercises: 0, problems: [] };
      blocks.forEach((b, i) => {
        if (!b.matches('section.tw-exercise')) return;
        // The island's props (Astro's serialisation): `timeline`, or a compare exercise's `timelines`.
        const props = b.closest('astro-island')?.getAttribute('props') ?? '';
        const one = props.match(/"timeline":\[0,"([^"]+)"\]/);
        const pair = props.match(/"timelines":\[0,\{"before":\[0,"([^"]+)"\],"after":\[0,"([^"]+)"\]/);
        const ids = one ? [one[1]] : pair ? [pair[1], pair[2]] : [];
        if (!ids.length) return;
        out.exercises++;
        for (const id of ids) {
          const w = at(id);
          if (w < 0) out.problems.push(`"${b.getAttribute('aria-label')}" names widget ${id}, which is not on the page`);
          else if (w > i) out.problems.push(`"${b.getAttribute('aria-label')}" comes before its widget ${id}`);
        }
      });
      return out;
    });
    assert.ok(found.exercises > 0, 'the lesson has exercises on a widget');
    assert.deepEqual(found.problems, []);
  });
}
