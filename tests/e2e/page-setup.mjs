// One page set-up for the lesson-mechanics e2e tests (zh polish, Show me, layout, search, …): Debian's
// Chromium, a fresh context with the viewport asked for, the console-error log, the page of a lesson in
// a locale, and the checks every test ends with (HTTP 200, the page's lang, no console errors). Kept on
// node:test: see tests/e2e/README.md for why not @playwright/test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';

export const LOCALES = [
  { locale: 'en', lang: 'en' },
  { locale: 'zh-cn', lang: 'zh-CN' },
];

/**
 * Opens `path` (without the locale folder: `lessons/reading-a-timeline/`) in `L`'s locale and runs
 * `body({ page, context, log, L, url })`; the browser is closed whatever happens, and the page must have
 * logged no console errors.
 */
export async function withLessonPage(L, path, { viewport = { width: 1280, height: 800 }, reducedMotion = 'reduce' } = {}, body) {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport, reducedMotion });
    const page = await context.newPage();
    const log = collectConsoleErrors(page);
    const url = `${baseUrl()}/${L.locale}/${path}`;
    const res = await page.goto(url, { waitUntil: 'networkidle' });
    assert.equal(res?.status(), 200, `${url} status`);
    assert.equal(await page.getAttribute('html', 'lang'), L.lang);
    await body({ page, context, log, L, url });
    assert.deepEqual(log.errors, [], 'console errors');
  } finally {
    await browser.close();
  }
}

/** One node:test test per locale: `name` gets the locale appended. */
export function testEachLocale(name, path, opts, body) {
  for (const L of LOCALES) test(`${name} (${L.locale})`, () => withLessonPage(L, path, opts, body));
}

/** The fixed Starlight header's bottom edge (content under it is hidden). */
export const headerBottom = (page) => page.evaluate(() => document.querySelector('header.header')?.getBoundingClientRect().bottom ?? 0);

/** Whether a box lies wholly inside the viewport below the header. */
export async function fullyVisible(page, box, what) {
  const top = await headerBottom(page);
  const vp = page.viewportSize();
  assert.ok(box, `${what}: not rendered`);
  assert.ok(box.y >= top - 1 && box.y + box.height <= vp.height + 1, `${what} is not wholly visible: y ${Math.round(box.y)}–${Math.round(box.y + box.height)}, visible ${Math.round(top)}–${vp.height}`);
}

/** Islands hydrate when scrolled into view: scroll to every exercise and widget and wait until each has hydrated. */
export async function hydrateAll(page, selector = 'section.tw-exercise, section.tw-timeline, .tw-lesson-progress') {
  for (const el of await page.locator(selector).all()) {
    await el.scrollIntoViewIfNeeded();
    await el.locator('xpath=ancestor::astro-island[not(@ssr)]').first().waitFor({ state: 'attached', timeout: 30_000 });
  }
}

/** Waits until the rows and the pinned card stop moving (three equal checks 60 ms apart). */
export async function settle(page) {
  let last = '';
  for (let same = 0, i = 0; same < 3 && i < 40; i++) {
    await page.waitForTimeout(60);
    const now = await page.evaluate(() => JSON.stringify([...document.querySelectorAll('.tw-body, section.tw-exercise[data-pinned="true"]')].map((e) => e.getBoundingClientRect().top)));
    same = now === last ? same + 1 : 0;
    last = now;
  }
}
