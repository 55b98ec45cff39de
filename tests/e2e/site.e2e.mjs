// The site frame: both locales render translated content without console
// errors, the language switcher links the same page, and Pagefind search
// finds words from an English page and from a Chinese page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, baseUrl, collectConsoleErrors } from './harness.mjs';

const HOME = [
  { locale: 'en', path: '/en/', lang: 'en', heading: 'GPU: Qwen2.5-7B under tensor parallelism', other: '/zh-cn/' },
  { locale: 'zh-cn', path: '/zh-cn/', lang: 'zh-CN', heading: 'GPU：张量并行下的 Qwen2.5-7B', other: '/en/' },
];

test('home page in both locales: translated, no console errors, screenshot', async () => {
  const browser = await launchBrowser();
  try {
    for (const h of HOME) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const log = collectConsoleErrors(page);
      const res = await page.goto(baseUrl() + h.path, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200, `${h.path} status`);
      assert.equal(await page.getAttribute('html', 'lang'), h.lang);
      await page.getByText(h.heading, { exact: true }).waitFor({ state: 'visible' });
      // The language picker offers the other locale.
      const options = await page.locator('starlight-lang-select select option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(options.some((v) => v.includes(h.other)), `language switcher offers ${h.other}: ${options}`);
      await page.screenshot({ path: `test-results/home-${h.locale}.png`, fullPage: false });
      assert.deepEqual(log.errors, [], `console errors on ${h.path}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

test('root redirects to the English home page', async () => {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(baseUrl() + '/', { waitUntil: 'networkidle' });
    assert.match(page.url(), /\/en\/$/);
  } finally {
    await browser.close();
  }
});

test('Pagefind search finds an English word and a Chinese word', async () => {
  const browser = await launchBrowser();
  try {
    for (const [path, query, expectPath] of [
      ['/en/getting-started/', 'tensorboard_trace_handler', '/en/getting-started/'],
      ['/zh-cn/getting-started/', '精确', '/zh-cn/getting-started/'],
    ]) {
      const page = await browser.newPage();
      await page.goto(baseUrl() + path, { waitUntil: 'networkidle' });
      const open = page.locator('site-search button[data-open-modal]:not([disabled])').first();
      await open.click();
      const input = page.locator('#starlight__search input');
      await input.waitFor({ state: 'visible' });
      await input.fill(query);
      const first = page.locator('#starlight__search .pagefind-ui__result-link').first();
      await first.waitFor({ state: 'visible', timeout: 15_000 });
      const hrefs = await page.locator('#starlight__search .pagefind-ui__result-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.some((h) => h && h.startsWith(expectPath)), `search "${query}" → ${hrefs}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
