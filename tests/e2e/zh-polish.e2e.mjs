// zh-CN polish, as a Chinese reader sees the pages: no ASCII space after full-width punctuation in the
// rendered prose of any zh-cn page (hard-wrapped lines used to render one), no Starlight heading-anchor
// label in English, and no English UI string in the lesson widgets (toolbar, details panel with detector
// reasons, exercises, lesson progress). The English UI strings are the widgets' own string tables, so a
// new string that is left untranslated is caught too. The en pages are checked to show the English
// reasons (the same selection), so the scan does look at what it means to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringsFor as timelineStrings } from '../../src/components/timeline/strings.ts';
import { stringsFor as exerciseStrings } from '../../src/components/exercise/strings.ts';
import { LOCALES, withLessonPage, hydrateAll } from './page-setup.mjs';
import { root } from './lesson-helpers.mjs';
import { waitReady } from './exercise-page.mjs';

const FULLWIDTH_SPACE = /[，。、；：！？）》」』】][ \t\n]+(?=[^\s|])/;

/** English UI strings that must not show on a zh-CN page: plain strings, and the English phrases of the templated ones. */
function englishUi() {
  const exact = new Set();
  const phrases = new Set();
  const add = (en, zh) => {
    if (typeof en === 'string' && en !== zh && /[a-z]{3}/i.test(en)) exact.add(en);
    else if (typeof en === 'function') {
      // Sample arguments: numbers then text, or numbers only for strings that format every argument as a number.
      const call = (f) => {
        try {
          return String(f(7, 7, 'X', 'X', 'X', 'X'));
        } catch {
          return String(f(7, 7, 7, 7, 7, 7));
        }
      };
      const out = call(en);
      const zhOut = typeof zh === 'function' ? call(zh) : '';
      for (const m of out.matchAll(/[A-Za-z]{2,}(?: [A-Za-z]{2,})+/g)) if (m[0].length >= 8 && !zhOut.includes(m[0])) phrases.add(m[0]);
    } else if (en && typeof en === 'object') for (const k of Object.keys(en)) add(en[k], zh?.[k]);
  };
  for (const [en, zh] of [[timelineStrings('en'), timelineStrings('zh-CN')], [exerciseStrings('en'), exerciseStrings('zh-CN')]]) {
    for (const k of Object.keys(en)) add(en[k], zh[k]);
  }
  return { exact: [...exact], phrases: [...phrases] };
}

/** Texts of the widgets' own UI on the page: each element's own text nodes, aria-label, title, placeholder. */
const widgetTexts = (page) =>
  page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('.tw-timeline *, .tw-exercise *, .tw-lesson-progress *')) {
      // Trace text (names, args, track labels) is the trace's, not ours.
      if (el.closest('.tw-title, .tw-args, .tw-row-name, .tw-link, bdi, code, .tw-ex-prompt, .tw-ex-explanation, .tw-ex-hints li, .tw-ex-choices label')) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
      if (own) out.push(own);
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    return out;
  });

/** Selects, on the first widget of the page, a device slice the launch-latency detector has a reason for; returns the details panel's text. */
async function selectLaunchedKernel(page) {
  const widget = page.locator('section.tw-timeline').first();
  await waitReady(widget);
  await widget.evaluate((el) => {
    const v = el.twTimeline.view;
    for (let i = 0; i < v.model.slices.length; i++) {
      if (v.detectors?.hitsOf(i).some((h) => h.detector === 'launch_latency')) return el.twTimeline.select(i);
    }
    throw new Error('no slice with a launch-latency reason');
  });
  return widget.locator('.tw-details').innerText();
}

function pagesOf(locale) {
  const dir = join(root, 'dist', locale);
  const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f === 'index.html' ? [relative(dir, d)] : []));
  return walk(dir).map((p) => (p ? `${p}/` : ''));
}

test('zh-cn pages: no ASCII space after full-width punctuation in the rendered prose, heading anchors labelled in Chinese', async () => {
  const zh = LOCALES.find((l) => l.locale === 'zh-cn');
  const paths = pagesOf('zh-cn');
  assert.ok(paths.length >= 10, `zh-cn pages found: ${paths.length}`);
  await withLessonPage(zh, paths[0], {}, async ({ page, url }) => {
    const found = [];
    for (const p of paths) {
      await page.goto(url.replace(/\/zh-cn\/.*$/, `/zh-cn/${p}`), { waitUntil: 'domcontentloaded' });
      const bad = await page.evaluate((src) => {
        const re = new RegExp(src);
        const hits = [];
        for (const el of document.querySelectorAll('.sl-markdown-content :is(p, li, td, th, h2, h3, h4, summary, figcaption, blockquote)')) {
          if (el.closest('pre')) continue;
          // The text as rendered: inline code stays (its neighbours' spacing is what matters), line breaks count as spaces.
          const t = [...el.childNodes].map((n) => (n.nodeType === 3 ? n.textContent : n.nodeName === 'CODE' ? 'c' : n.textContent)).join('');
          const m = re.exec(t);
          if (m) hits.push(`…${t.slice(Math.max(0, m.index - 10), m.index + 8).replace(/\s/g, '␠')}…`);
        }
        const anchors = [...document.querySelectorAll('.sl-anchor-link')].map((a) => a.textContent).filter((t) => /Section titled/.test(t));
        return [...hits, ...anchors.map((a) => `anchor: ${a.trim()}`)];
      }, FULLWIDTH_SPACE.source);
      for (const b of bad) found.push(`/zh-cn/${p}: ${b}`);
    }
    assert.deepEqual(found.slice(0, 20), [], `${found.length} places`);
  });
});

const { exact, phrases } = englishUi();
for (const L of LOCALES) {
  test(`lesson widgets speak the page's language: UI strings and detector reasons (${L.locale})`, async () => {
    await withLessonPage(L, 'lessons/reading-a-timeline/', { viewport: { width: 1280, height: 900 } }, async ({ page }) => {
      await hydrateAll(page);
      const details = await selectLaunchedKernel(page);
      if (L.locale === 'en') assert.match(details, /launched by .*, started [\d.]+ µs later/, 'the English reason is what the zh page must not show');
      else {
        assert.match(details, /由 .* 启动，[\d.]+ µs 后开始执行/, 'the launch-latency reason in Chinese');
        assert.doesNotMatch(details, /launched by|started .* later|kernel arg|kernel name|launched under/);
      }
      // Every widget hydrated and ready, then scan all of their own text.
      for (const w of await page.locator('section.tw-timeline').all()) await waitReady(w);
      const texts = await widgetTexts(page);
      assert.ok(texts.length > 50, `widget texts scanned: ${texts.length}`);
      const english = [...new Set(texts.filter((t) => exact.includes(t) || phrases.some((p) => t.includes(p))))];
      // On the en page the same scan finds the English UI (so on zh-cn it would find any left over).
      if (L.locale === 'en') assert.ok(english.length >= 10, `English UI strings found on the en page: ${english.length}`);
      else assert.deepEqual(english, [], 'English UI strings on a zh-CN page');
    });
  });
}
