// A widget of fixed height shows the device as well as the host (issue #23): at 1280×800 a deep host thread
// (12 levels shown of a Python stack) filled the whole body and the GPU stream was below it, so the learner
// had to scroll inside the widget to reach the answer. For every exercise whose answer is on a device track
// (a GPU or NPU stream: where its Show me points, worked out here in Node with the project's own loader and
// src/lib/exercises/reveal.ts), in both locales: with the widget brought under Starlight's header and its rows
// not scrolled, the level of that track holding the answer is drawn inside the widget's body and the viewport.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import assert from 'node:assert/strict';
import { testEachLocale, settle } from './page-setup.mjs';
import { root } from './lesson-helpers.mjs';
import { waitReady } from './exercise-page.mjs';
import { loadTraceFile } from '../../src/cli/files.ts';
import { parseExercise } from '../../src/lib/exercises/schema.ts';
import { resolveTarget } from '../../src/lib/exercises/reveal.ts';
import { defaultAnalysis } from '../../src/lib/exercises/analysis.ts';

const SIZE = { width: 1280, height: 800 };
const LESSONS = readdirSync(resolve(root, 'src/content/docs/en/lessons')).map((f) => f.replace(/\.mdx?$/, ''));

/** Per pack: the exercises whose Show me points at a slice on a device track (role, track id and name, depth). */
const models = new Map();
async function deviceAnswers(packName) {
  const pack = JSON.parse(readFileSync(resolve(root, 'src/content/exercises', `${packName}.json`), 'utf8'));
  const out = [];
  for (const raw of pack.exercises) {
    const parsed = parseExercise(raw);
    if (!parsed.ok) continue;
    const ex = parsed.value;
    const urls = ex.kind === 'compare' ? ex.traces : { model: ex.trace };
    const traces = {};
    for (const [role, url] of Object.entries(urls)) {
      if (!url) continue;
      if (!models.has(url)) models.set(url, await loadTraceFile(resolve(root, 'public', url.replace(/^\//, ''))));
      traces[role] = models.get(url);
    }
    for (const r of resolveTarget(ex, traces, defaultAnalysis)) {
      const m = traces[r.role];
      const s = r.sliceIds[0];
      if (s === undefined) continue;
      const t = m.slices.track[s];
      const kind = m.processes.kind[m.tracks.process[t]];
      if (kind === 'gpu' || kind === 'npu') out.push({ id: ex.id, title: ex.title, role: r.role, track: t, trackName: m.strings[m.tracks.name[t]], depth: m.slices.depth[s] });
    }
  }
  return out;
}

for (const lesson of LESSONS) {
  const answers = await deviceAnswers(lesson);
  testEachLocale(`the device track of every device answer is in view in its widget at 1280×800: ${lesson}`, `lessons/${lesson}/`, { viewport: SIZE }, async ({ page, L }) => {
    const problems = [];
    let looked = 0;
    for (const a of answers) {
      const ex = page.locator(`section.tw-exercise[aria-label="${a.title[L.lang].replace(/"/g, '\\"')}"]`);
      if (!(await ex.count())) continue;
      const props = (await ex.locator('xpath=ancestor::astro-island[1]').getAttribute('props')) ?? '';
      const one = props.match(/"timeline":\[0,"([^"]+)"\]/);
      const pair = props.match(/"timelines":\[0,\{"before":\[0,"([^"]+)"\],"after":\[0,"([^"]+)"\]/);
      const id = a.role === 'model' ? one?.[1] : pair?.[a.role === 'before' ? 1 : 2];
      if (!id) continue;
      const widget = page.locator(`.tw-exercise-timeline[data-timeline-id="${id}"] section.tw-timeline`);
      await widget.scrollIntoViewIfNeeded();
      await waitReady(widget);
      // The learner brings the widget under the header.
      await widget.evaluate((el) => scrollBy(0, el.getBoundingClientRect().top - document.querySelector('header.header').getBoundingClientRect().bottom - 8));
      await settle(page);
      looked++;
      const seen = await widget.evaluate((el, a) => {
        const v = el.twTimeline.view;
        const name = v.model.strings[v.model.tracks.name[a.track]];
        if (name !== a.trackName) return { problem: `track ${a.track} is "${name}" in the page, "${a.trackName}" in Node` };
        const key = `t${a.track}`;
        const placed = [...v.layout.pinned, ...v.layout.rows].find((r) => r.row.key === key);
        // The lesson's author left that stream out of the widget (its answer is read on a computed lane): not ours.
        if (!placed && v.trackFilter) return { skipped: `${a.trackName.trim()} is filtered out of the widget` };
        if (!placed) return { problem: `${a.trackName.trim()} is not drawn in the widget` };
        const src = placed.row.source;
        if (a.depth >= src.depthCount) return { problem: `level ${a.depth} of ${a.trackName.trim()} is folded away` };
        const body = el.querySelector('.tw-body').getBoundingClientRect();
        const header = document.querySelector('header.header').getBoundingClientRect().bottom;
        const top = v.rowTop(key) + 3 + a.depth * (src.slicePx ?? 18);
        const bottom = top + (src.slicePx ?? 18);
        const inBody = v.scrollTopPx === 0 && top >= 26 && bottom <= v.heightPx;
        const inView = body.top + top >= header && body.top + bottom <= innerHeight;
        return inBody && inView ? null : { problem: `level ${a.depth} of ${a.trackName.trim()} at ${Math.round(top)}–${Math.round(bottom)} px in a body of ${Math.round(v.heightPx)} px (body on screen ${Math.round(body.top)}–${Math.round(body.bottom)})` };
      }, a);
      if (seen?.skipped) console.log(`not checked: ${a.id} (widget ${id}): ${seen.skipped}`);
      else if (seen) problems.push(`${a.id} (widget ${id}): ${seen.problem}`);
    }
    assert.ok(looked > 0 || answers.length === 0, 'looked at the device answers of the lesson');
    assert.deepEqual(problems, []);
  });
}
