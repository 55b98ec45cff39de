// A new learner's walk through the lessons, for people to look at (not a test): every widget once ready,
// and each exercise as the learner sees it while working on it: clicked into, its widget (both widgets of
// a compare exercise) brought under Starlight's header, the exercise pinned beside it or in view below it,
// shot as the viewport shows it (1280×800). Both locales, PNGs in test-results/walkthrough/, and one line
// per exercise saying whether the exercise's Check button and its widgets' rows were in view together.
// Serves dist/ itself.
//   npm run build && node_modules/.bin/node tests/e2e/walkthrough.mjs [lesson …]   (default: every lesson)
// With --reveal, each exercise is also shot after opening every hint and pressing Show me.
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer } from './server.mjs';
import { launchBrowser } from './harness.mjs';
import { root, shot, waitReady } from './lesson-helpers.mjs';
import { settle } from './page-setup.mjs';

const reveal = process.argv.includes('--reveal');
const named = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const lessons = named.length ? named : readdirSync(resolve(root, 'src/content/docs/en/lessons')).map((f) => f.replace(/\.mdx?$/, ''));
const out = 'walkthrough';
const VIEWPORT = { width: 1280, height: 800 };
mkdirSync(resolve(root, 'test-results', out), { recursive: true });
const server = await startServer({ distDir: join(root, 'dist'), sharedDir: resolve(root, '../shared/traces') });
const browser = await launchBrowser();
const apart = [];

try {
  for (const lesson of lessons) {
    for (const locale of ['en', 'zh-cn']) {
      const page = await browser.newPage({ viewport: VIEWPORT, reducedMotion: 'reduce' });
      page.on('pageerror', (e) => console.error(`${locale}/${lesson}: ${e.message}`));
      await page.goto(`${server.url}/${locale}/lessons/${lesson}/`, { waitUntil: 'networkidle' });
      await page.screenshot({ path: resolve(root, 'test-results', out, `${lesson}-${locale}-00-top.png`) });
      const blocks = page.locator('.tw-exercise-timeline, section.tw-exercise, figure.tp-split');
      const n = await blocks.count();
      for (let i = 0; i < n; i++) {
        const b = blocks.nth(i);
        const cls = (await b.getAttribute('class')) ?? '';
        const file = (what) => `${out}/${lesson}-${locale}-${String(i).padStart(2, '0')}-${what}.png`;
        await b.scrollIntoViewIfNeeded();
        if (cls.includes('tw-exercise-timeline')) {
          const w = b.locator('section.tw-timeline');
          await waitReady(w);
          await shot(page, file('widget'), w);
          continue;
        }
        if (cls.includes('tp-split')) {
          await shot(page, file('figure'), b);
          continue;
        }
        await b.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
        const title = (await b.getAttribute('aria-label')) ?? 'exercise';
        const name = title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40) || 'ex';
        // Its widgets: `timeline`, or a compare exercise's before and after.
        const props = (await b.locator('xpath=ancestor::astro-island[1]').getAttribute('props')) ?? '';
        const pair = props.match(/"timelines":\[0,\{"before":\[0,"([^"]+)"\],"after":\[0,"([^"]+)"\]/);
        const ids = pair ? [pair[1], pair[2]] : [await b.getAttribute('data-timeline')].filter(Boolean);
        const widgets = ids.map((id) => page.locator(`.tw-exercise-timeline[data-timeline-id="${id}"] section.tw-timeline`));
        if (!widgets.length) {
          await shot(page, file(name), b);
          continue;
        }
        // Working on it: clicked into, then its (first) widget brought under the header, as Show me leaves it.
        await b.locator('p').first().click();
        await widgets[0].evaluate((el) => {
          const top = document.querySelector('header.header').getBoundingClientRect().bottom;
          window.scrollBy(0, el.getBoundingClientRect().top - top - 8);
        });
        // The pointer off the page's content (a card never appears under it), then the pin settles.
        await page.mouse.move(0, 0);
        await settle(page);
        await page.screenshot({ path: resolve(root, 'test-results', file(name)) });
        const seen = await page.evaluate(({ sel, ids }) => {
          const ex = document.querySelector(sel);
          const c = ex.querySelector('button.tw-ex-check').getBoundingClientRect();
          const top = document.querySelector('header.header').getBoundingClientRect().bottom;
          const inView = (r) => r.top >= top - 1 && r.bottom <= innerHeight + 1;
          const card = ex.getBoundingClientRect();
          const rows = ids.map((id) => document.querySelector(`.tw-exercise-timeline[data-timeline-id="${id}"] .tw-body`).getBoundingClientRect());
          return { check: inView(c), rows: rows.map(inView), covered: rows.some((r) => card.top < r.bottom - 1 && card.bottom > r.top + 1) };
        }, { sel: `section.tw-exercise[aria-label="${title.replace(/"/g, '\\"')}"]`, ids });
        const together = seen.check && seen.rows.every(Boolean) && !seen.covered;
        if (!together) apart.push(`${lesson} ${locale} ${title}: ${JSON.stringify(seen)}`);
        console.log(`${together ? 'together' : 'APART   '} ${file(name)}`);
        if (reveal) {
          const more = b.locator('.tw-ex-hints > button');
          while (await more.count()) await more.first().click();
          const showMe = b.getByRole('button', { name: /^(Show me|演示给我看)$/ });
          if (await showMe.isEnabled().catch(() => false)) await showMe.click();
          await page.waitForTimeout(400);
          await shot(page, file(`${name}-revealed`), ...widgets, b);
        }
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(apart.length ? `\nExercise and widget not together (${apart.length}):\n${apart.join('\n')}` : '\nEvery exercise was in view with its widget.');
