// Lesson e2e helpers keyed by exercise pack (lesson-npu, lesson-gpu, the walkthrough), on top of the
// page helpers of exercise-page.mjs (re-exported here): a pack's exercises by id, an exercise by id in
// a language, a sample trace by file name with process *names* and pids (exercise-page's readTrace
// prefers Kineto's process labels), shift+drag, screenshots named inside test-results/.
import { readFileSync, mkdirSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import * as base from './exercise-page.mjs';

export { usTextToNs, unionNs, widgetOf, waitReady, windowOf, xOf, rowBox, shiftDrag, searchAndZoom, check, expectCorrect } from './exercise-page.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });

export function readPack(id) {
  const pack = JSON.parse(readFileSync(resolve(root, 'src/content/exercises', `${id}.json`), 'utf8'));
  return { pack, exById: new Map(pack.exercises.map((e) => [e.id, e])) };
}

/** A sample trace of public/traces by file name, read as exercise-page's readTrace does, with `process`
 *  the process *name* (not Kineto's label) and `pid`. */
export function readTrace(name) {
  const t = base.readTrace(resolve(root, 'public/traces', name));
  return { ...t, slices: t.slices.map((s) => ({ ...s, process: s.processName })) };
}

export const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An exercise by its id in a pack, in `lang`, once its island has hydrated. */
export const exercise = (page, exById, id, lang) => base.exercise(page, exById.get(id).title[lang]);

/** A screenshot (see exercise-page.mjs) saved as test-results/<name>. */
export const shot = (page, name, ...locators) => base.shot(page, resolve(SHOTS, name), ...locators);

/** The checkbox or radio input of option `id` of choice exercise `ex` (pack data), found by its text in `lang`. */
export const optionInput = (section, ex, id, lang) => section.locator('label', { hasText: ex.options.find((o) => o.id === id).text[lang] }).locator('input');

/** The exercise shows wrong-answer feedback that starts like `text` (its first `n` characters). */
export async function expectWrong(section, text, n = 20) {
  assert.match(await section.locator('.tw-ex-feedback.tw-ex-wrong').innerText(), new RegExp(reEscape(text.slice(0, n))));
}

/** Click a slice on the canvas: its middle (or at `atNs`), trying each depth of its row until the details panel
 *  names it. */
export async function clickSlice(page, widget, rowLabel, slice, atNs = (slice.startNs + slice.endNs) / 2) {
  const row = await base.rowBox(widget, rowLabel);
  const x = await base.xOf(widget, atNs);
  for (let depth = 0; depth < 12; depth++) {
    const y = row.y + 3 + depth * 18 + 9;
    if (y > row.y + row.height) break;
    await page.mouse.click(x, y);
    const title = await widget.locator('.tw-details .tw-title').innerText().catch(() => '');
    if (title === slice.name) return;
  }
  assert.fail(`could not click ${slice.name} on ${rowLabel}`);
}

/** Ctrl+wheel zoom centred on a time, as a learner zooms in on something small. */
export async function zoomAt(page, widget, ns, clicks) {
  for (let i = 0; i < clicks; i++) {
    const box = await widget.locator('.tw-canvas-wrap').boundingBox();
    await page.mouse.move(await base.xOf(widget, ns), box.y + 30);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -240);
    await page.keyboard.up('Control');
    await page.waitForTimeout(120);
  }
}
