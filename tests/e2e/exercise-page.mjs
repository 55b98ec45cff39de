// Page helpers for lesson e2e tests: find an exercise by its title, wait for a timeline widget, map trace
// time to canvas x, find a row, check an answer, and take a screenshot of what the learner looks at.
// Shared by every lesson's e2e test; lesson-helpers.mjs adds pack-keyed wrappers on top (lesson-npu,
// lesson-gpu, the walkthrough).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** Exact µs text ("1763974800001465.870") → integer ns as a BigInt. */
export function usTextToNs(ts) {
  const [int, frac = ''] = String(ts).split('.');
  return BigInt(int) * 1000n + BigInt((frac + '000').slice(0, 3));
}

/**
 * A Chrome/Kineto JSON trace (gzipped; an event array or `{ traceEvents }`) read the plain way: complete
 * slices with their process and thread names and ns times from the trace's earliest timestamp (the
 * model's origin), to within a nanosecond (JSON numbers of 16 digits).
 */
export function readTrace(path) {
  const doc = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  const events = Array.isArray(doc) ? doc : doc.traceEvents;
  const proc = new Map();
  const thread = new Map();
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'process_name') proc.set(String(e.pid), e.args.name);
    if (e.name === 'process_labels') proc.set(`${e.pid}/label`, e.args.labels);
    if (e.name === 'thread_name') thread.set(`${e.pid}/${e.tid}`, String(e.args.name).trim());
  }
  let origin = null;
  for (const e of events) {
    if (e.ph === 'M' || e.ts === undefined) continue;
    const t = usTextToNs(e.ts);
    if (origin === null || t < origin) origin = t;
  }
  const slices = events
    .filter((e) => e.ph === 'X')
    .map((e) => {
      const start = usTextToNs(e.ts) - origin;
      return {
        name: e.name,
        cat: e.cat,
        args: e.args ?? {},
        pid: String(e.pid),
        process: proc.get(`${e.pid}/label`) ?? proc.get(String(e.pid)),
        processName: proc.get(String(e.pid)),
        thread: thread.get(`${e.pid}/${e.tid}`),
        startNs: Number(start),
        endNs: Number(start + usTextToNs(e.dur ?? 0)),
      };
    })
    .sort((a, b) => a.startNs - b.startNs);
  return { slices, originUs: `${origin / 1000n}.${String(origin % 1000n).padStart(3, '0')}` };
}

/** Total length of the union of [start, end) intervals. */
export function unionNs(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cur = null;
  for (const [s, e] of sorted) {
    if (!cur || s > cur[1]) {
      if (cur) total += cur[1] - cur[0];
      cur = [s, e];
    } else cur[1] = Math.max(cur[1], e);
  }
  return cur ? total + cur[1] - cur[0] : 0;
}

export const widgetOf = (page, id) => page.locator(`.tw-exercise-timeline[data-timeline-id="${id}"] section.tw-timeline`);

/** An exercise, by its title, once its island has hydrated (before that its inputs are inert server HTML). */
export async function exercise(page, title) {
  const section = page.locator(`section.tw-exercise[aria-label="${title}"]`);
  await section.scrollIntoViewIfNeeded();
  await section.locator('xpath=ancestor::astro-island[not(@ssr)]').waitFor({ timeout: 30_000 });
  return section;
}

export async function waitReady(widget) {
  await widget.scrollIntoViewIfNeeded();
  await widget.locator('xpath=self::*[@data-state="ready"]').waitFor({ timeout: 60_000 });
  await widget.page().waitForFunction((el) => el.twTimeline && !el.twTimeline.view.computing, await widget.elementHandle(), { timeout: 60_000 });
}

export const windowOf = (widget) => widget.evaluate((el) => ({ ...el.twTimeline.view.window }));

/** Canvas x of a time, from the widget's shown window. */
export async function xOf(widget, ns) {
  const box = await widget.locator('.tw-canvas-wrap').boundingBox();
  const w = await windowOf(widget);
  return box.x + ((ns - w.startNs) / (w.endNs - w.startNs)) * box.width;
}

/** The label box of the first row named `label` (its y range is the row's on the canvas). */
export async function rowBox(widget, label) {
  const re = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  // A track with instant events has a thin marker row of the same name above its slices (key `i…`): skip it.
  const row = widget.locator('.tw-row:not([data-row-key^="i"])', { has: widget.page().locator('.tw-row-name', { hasText: re }) }).first();
  await row.scrollIntoViewIfNeeded();
  return row.boundingBox();
}

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

/** As a learner finds a slice by name: show the whole trace (0: Enter steps from the view, so the nth match
 *  is then the trace's nth), search, step to the `nth` match (Enter), close the search, then zoom to the
 *  selected match (F) and clear the selection (Escape), leaving it centred in the view. */
export async function searchAndZoom(page, widget, query, nth = 1) {
  await widget.locator('.tw-canvas-wrap').focus();
  await page.keyboard.press('0');
  const search = widget.locator('input[type=search]');
  await search.fill(query);
  for (let i = 0; i < nth; i++) await search.press('Enter');
  await search.press('Escape');
  await widget.locator('.tw-canvas-wrap').focus();
  await page.keyboard.press('f');
  await page.keyboard.press('Escape');
}

export async function check(section) {
  await section.locator('button.tw-ex-check').click();
  await section.locator('.tw-ex-feedback').waitFor();
}

export async function expectCorrect(section, what) {
  await section.locator('button.tw-ex-check').click();
  try {
    await section.locator('.tw-ex-feedback.tw-ex-right').waitFor({ timeout: 20_000 });
  } catch {
    assert.fail(`${what} is not accepted: ${await section.locator('.tw-ex-feedback').innerText().catch(() => '(no feedback)')}`);
  }
  await section.locator('xpath=self::*[@data-solved="true"]').waitFor();
}

/** A screenshot of what the learner looks at: the widgets and exercises given, no hover, the page grown to fit them. */
export async function shot(page, path, ...locators) {
  await page.mouse.move(0, 0);
  const size = page.viewportSize();
  const boxesAt = async () => {
    const scrollY = await page.evaluate(() => window.scrollY);
    const boxes = [];
    for (const l of locators) {
      const b = await l.boundingBox();
      boxes.push({ ...b, y: b.y + scrollY });
    }
    return boxes;
  };
  let boxes = await boxesAt();
  const top = Math.min(...boxes.map((b) => b.y)) - 8;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 8;
  // Starlight's header is fixed: leave room for it above the clip.
  const header = 80;
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(bottom - top) + header + 16) });
  await page.evaluate((y) => window.scrollTo(0, y), top - header);
  await page.waitForTimeout(250);
  boxes = await boxesAt();
  const scrollY = await page.evaluate(() => window.scrollY);
  const x = Math.min(...boxes.map((b) => b.x)) - 8;
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + 8;
  const y = Math.min(...boxes.map((b) => b.y)) - 8 - scrollY;
  const h = Math.max(...boxes.map((b) => b.y + b.height)) + 8 - scrollY - y;
  await page.screenshot({ path: resolve(path), clip: { x: Math.max(0, x), y: Math.max(0, y), width: right - x, height: h } });
  await page.setViewportSize(size);
}
