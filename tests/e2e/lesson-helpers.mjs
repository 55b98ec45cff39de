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
