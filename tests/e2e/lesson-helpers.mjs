// Lesson e2e helpers keyed by exercise pack (lesson-npu, lesson-gpu, the walkthrough), on top of the
// page helpers of exercise-page.mjs (re-exported here): a pack's exercises by id, an exercise by id in
// a language, a sample trace by file name with process *names* and pids (exercise-page's readTrace
// prefers Kineto's process labels), shift+drag, screenshots named inside test-results/.
import { readFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as base from './exercise-page.mjs';

export { usTextToNs, unionNs, widgetOf, waitReady, windowOf, xOf, rowBox, check, expectCorrect } from './exercise-page.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = resolve(root, 'test-results');
mkdirSync(SHOTS, { recursive: true });

export function readPack(id) {
  const pack = JSON.parse(readFileSync(resolve(root, 'src/content/exercises', `${id}.json`), 'utf8'));
  return { pack, exById: new Map(pack.exercises.map((e) => [e.id, e])) };
}

/** A sample trace's X slices with process/thread names and ns from the earliest timestamp. Accepts a bare event array or Kineto's {traceEvents}. */
export function readTrace(name) {
  const json = JSON.parse(gunzipSync(readFileSync(resolve(root, 'public/traces', name))).toString('utf8'));
  const events = Array.isArray(json) ? json : json.traceEvents;
  const proc = new Map();
  const thread = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') proc.set(String(e.pid), e.args.name);
    if (e.name === 'thread_name') thread.set(`${e.pid}/${e.tid}`, e.args.name);
  }
  // The model's origin is the earliest timestamp of the trace (metadata events excluded).
  let origin = null;
  for (const e of events) {
    if (e.ph === 'M' || e.ts === undefined) continue;
    const t = base.usTextToNs(e.ts);
    if (origin === null || t < origin) origin = t;
  }
  const slices = events
    .filter((e) => e.ph === 'X')
    .map((e) => {
      const start = base.usTextToNs(e.ts) - origin;
      return { name: e.name, cat: e.cat, args: e.args ?? {}, pid: String(e.pid), process: proc.get(String(e.pid)), thread: thread.get(`${e.pid}/${e.tid}`), startNs: Number(start), endNs: Number(start + base.usTextToNs(e.dur)) };
    })
    .sort((a, b) => a.startNs - b.startNs);
  return { slices, originUs: `${origin / 1000n}.${String(origin % 1000n).padStart(3, '0')}` };
}

export const reEscape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An exercise by its id in a pack, in `lang`, once its island has hydrated. */
export const exercise = (page, exById, id, lang) => base.exercise(page, exById.get(id).title[lang]);

/** Shift+drag on the canvas from x0 to x1 at height y: a range selection. */
export async function shiftDrag(page, x0, x1, y) {
  await page.keyboard.down('Shift');
  await page.mouse.move(x0, y);
  await page.mouse.down();
  await page.mouse.move((x0 + x1) / 2, y, { steps: 4 });
  await page.mouse.move(x1, y, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

/** A screenshot (see exercise-page.mjs) saved as test-results/<name>. */
export const shot = (page, name, ...locators) => base.shot(page, resolve(SHOTS, name), ...locators);
