// A new learner's walk through a lesson, for people to look at (not a test):
// every widget once ready, and each exercise with the widget above it, in
// both locales, as PNGs in test-results/walkthrough/. Serves dist/ itself.
//   npm run build && node tests/e2e/walkthrough.mjs gpu-qwen-tp reading-a-timeline
// With --reveal, each exercise is also shot after opening every hint and pressing Show me.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startServer } from './server.mjs';
import { launchBrowser } from './harness.mjs';
import { root, shot, waitReady } from './lesson-helpers.mjs';

const reveal = process.argv.includes('--reveal');
const lessons = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const out = 'walkthrough';
mkdirSync(resolve(root, 'test-results', out), { recursive: true });
const server = await startServer({ distDir: join(root, 'dist'), sharedDir: resolve(root, '../shared/traces') });
const browser = await launchBrowser();
try {
  for (const lesson of lessons) {
    for (const locale of ['en', 'zh-cn']) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      page.on('pageerror', (e) => console.error(`${locale}/${lesson}: ${e.message}`));
      await page.goto(`${server.url}/${locale}/lessons/${lesson}/`, { waitUntil: 'networkidle' });
      await page.screenshot({ path: resolve(root, 'test-results', out, `${lesson}-${locale}-00-top.png`) });
      const blocks = page.locator('.tw-exercise-timeline, section.tw-exercise, figure.tp-split');
      const n = await blocks.count();
      let lastWidget = null;
      for (let i = 0; i < n; i++) {
        const b = blocks.nth(i);
        const cls = (await b.getAttribute('class')) ?? '';
        await b.scrollIntoViewIfNeeded();
        if (cls.includes('tw-exercise-timeline')) {
          lastWidget = b.locator('section.tw-timeline');
          await waitReady(lastWidget);
          await shot(page, `${out}/${lesson}-${locale}-${String(i).padStart(2, '0')}-widget.png`, lastWidget);
          continue;
        }
        if (cls.includes('tp-split')) {
          await shot(page, `${out}/${lesson}-${locale}-${String(i).padStart(2, '0')}-figure.png`, b);
          continue;
        }
        await b.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
        const name = (await b.getAttribute('aria-label'))?.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40) ?? 'ex';
        await shot(page, `${out}/${lesson}-${locale}-${String(i).padStart(2, '0')}-${name}.png`, ...(lastWidget ? [lastWidget, b] : [b]));
        if (reveal) {
          const more = b.locator('.tw-ex-hints > button');
          while (await more.count()) await more.first().click();
          const showMe = b.getByRole('button', { name: /^(Show me|演示给我看)$/ });
          if (await showMe.isEnabled().catch(() => false)) await showMe.click();
          await page.waitForTimeout(400);
          await shot(page, `${out}/${lesson}-${locale}-${String(i).padStart(2, '0')}-${name}-revealed.png`, ...(lastWidget ? [lastWidget, b] : [b]));
        }
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
