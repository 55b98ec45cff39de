// Tests of the benchmark's pure parts: `node --test bench/bench.test.mjs` (no browser, no build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcPeak, interactiveAfter } from './browser-load.mjs';
import { startBenchServer, withTimelineSrc } from './server.mjs';
import { combineRuns, median, parseFrames } from './stats.mjs';
import { analysisMarkdown } from './report.mjs';

test('interactiveAfter: end of the last long task before a 1 s quiet window', () => {
  assert.equal(interactiveAfter([], 500), 500, 'no long tasks: interactive at once');
  // [100,200] overlaps the window from 0; [1100,1300] starts 900 ms after 200, inside the next window;
  // nothing after 1300 → 1300.
  assert.equal(interactiveAfter([[1100, 1300], [100, 200]], 0), 1300);
  // [1500,1600] starts 1100 ms after 400: the window 400–1400 is quiet, so it does not count.
  assert.equal(interactiveAfter([[100, 200], [250, 400], [1500, 1600]], 150), 400);
  // A task that ended before the start is ignored.
  assert.equal(interactiveAfter([[0, 90]], 100), 100);
});

test('withTimelineSrc replaces the src of the first timeline island only, escaped', () => {
  const island = (src) => `<astro-island uid="a" component-url="/_astro/Timeline.X.js" props="{&quot;src&quot;:[0,&quot;${src}&quot;],&quot;locale&quot;:[0,&quot;en&quot;]}" ssr client="visible">`;
  const html = `<p>x</p>${island('/traces/a.json.gz')}</astro-island><p>y</p>${island('/traces/a.json.gz')}</astro-island>`;
  const out = withTimelineSrc(html, '/__bench/traces/t.json?a=1&b="2"');
  assert.ok(out.includes('&quot;src&quot;:[0,&quot;/__bench/traces/t.json?a=1&amp;b=\\&quot;2\\&quot;&quot;]'));
  assert.equal(out.split('/traces/a.json.gz').length - 1, 1, 'the second island keeps its src');
  assert.equal(out.replace(/<astro-island[^>]*>/, '').length, html.replace(/<astro-island[^>]*>/, '').length, 'nothing else changes');
  assert.equal(withTimelineSrc('<astro-island component-url="/_astro/Other.js" props="{}">', '/x'), null);
});

test('median and combineRuns', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2, 'lower middle for an even count');
  assert.equal(median([null, undefined]), null);
  const runs = [
    { tool: 't', trace: 'x', interactiveMs: 30, peakHeapBytes: 5, firstRenderMs: null },
    { tool: 't', trace: 'x', error: 'crashed' },
    { tool: 't', trace: 'x', interactiveMs: 10, peakHeapBytes: 7, firstRenderMs: null },
    { tool: 't', trace: 'x', interactiveMs: 20, peakHeapBytes: 6, firstRenderMs: null },
  ];
  const c = combineRuns(runs);
  assert.equal(c.interactiveMs, 20);
  assert.equal(c.peakHeapBytes, 6);
  assert.equal(c.runs, 3);
  assert.deepEqual(c.failedRuns, ['crashed']);
  assert.deepEqual(c.range, { interactiveMs: [10, 30], peakHeapBytes: [5, 7] });
  assert.deepEqual(combineRuns([{ tool: 't', error: 'a' }, { tool: 't', error: 'b' }]), { tool: 't', error: 'a', runs: 2 });
});

test('parseFrames reads the rows bench/frames.mjs prints', () => {
  const stdout = [
    '99,999 slices: generated in 126 ms, setModel 18 ms, analysis 1.4 s',
    '',
    'Chromium headless (software raster), page 1600×1000 at devicePixelRatio 1, main canvas 1374×365 px',
    'slices      phase                               draws  draw med  draw p95  draw max | frame med  frame p95  (ms)',
    '99,999      zoom (whole → 1 µs/px → whole)        160    2.10     19.40     56.20 |    3.00     25.70',
    '999,998     pan (200 µs window, labels)            60       –         –         – |       –         –',
    '',
    '1 M slices, frame (update + draw): worst phase median 6.10 ms (target ≤ 8), worst phase p95 25.70 ms (target ≤ 16)',
  ].join('\n');
  const { rows, setup } = parseFrames(stdout);
  assert.deepEqual(rows, [
    { slices: 99999, phase: 'zoom (whole → 1 µs/px → whole)', draws: 160, drawMedian: 2.1, drawP95: 19.4, drawMax: 56.2, frameMedian: 3, frameP95: 25.7 },
    { slices: 999998, phase: 'pan (200 µs window, labels)', draws: 60, drawMedian: null, drawP95: null, drawMax: null, frameMedian: null, frameP95: null },
  ]);
  assert.equal(setup.length, 2);
});

test('gcPeak sums the isolates of the busiest process', () => {
  const gc = (pid, tid, ts, before, after) => ({ pid, tid, ts, args: { usedHeapSizeBefore: before, usedHeapSizeAfter: after } });
  const { peakBytes, gcs } = gcPeak([
    gc(1, 1, 10, 100, 40), // main: 100 → 40
    gc(1, 2, 20, 50, 10), // worker: 50 (+ main 40) = 90 → 10
    gc(1, 1, 30, 70, 60), // main: 70 + worker 10 = 80
    gc(2, 2, 5, 30, 30), // another renderer: 30
  ]);
  assert.equal(peakBytes, 100);
  assert.equal(gcs, 3);
  assert.deepEqual(gcPeak([]), { peakBytes: 0, gcs: 0 });
});

test('startBenchServer: site pages (bench-src swapped in), the parse floor, generated traces, speedscope, nothing outside its roots', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tracewise-bench-server-'));
  const put = (path, text) => {
    mkdirSync(join(tmp, path, '..'), { recursive: true });
    writeFileSync(join(tmp, path), text);
  };
  put('dist/en/index.html', '<astro-island component-url="/_astro/Timeline.X.js" props="{&quot;src&quot;:[0,&quot;/traces/a.json.gz&quot;]}">');
  put('cache/t.json', '[{"ph":"X"}]');
  put('speedscope/index.html', '<title>speedscope</title>');
  put('dist-sibling/secret.txt', 'not for the browser'); // beside dist/, whose path it starts with
  const server = await startBenchServer({ distDir: join(tmp, 'dist'), cacheDir: join(tmp, 'cache'), speedscopeDir: join(tmp, 'speedscope') });
  try {
    const get = async (path) => {
      const r = await fetch(server.url + path);
      return { status: r.status, type: r.headers.get('content-type'), cache: r.headers.get('cache-control'), length: r.headers.get('content-length'), body: await r.text() };
    };
    const page = await get('/en/');
    assert.equal(page.status, 200);
    assert.equal(page.type, 'text/html; charset=utf-8');
    assert.equal(page.cache, 'no-store');
    assert.ok(page.body.includes('&quot;/traces/a.json.gz&quot;'));
    const swapped = await get('/en/?bench-src=/__bench/traces/t.json');
    assert.ok(swapped.body.includes('&quot;src&quot;:[0,&quot;/__bench/traces/t.json&quot;]'));
    assert.match((await get('/__bench/parse.html')).body, /JSON\.parse floor/);
    const trace = await get('/__bench/traces/t.json');
    assert.deepEqual([trace.status, trace.type, trace.length, trace.body], [200, 'application/json', '12', '[{"ph":"X"}]']);
    assert.equal((await get('/__speedscope/')).body, '<title>speedscope</title>');
    assert.equal((await get('/missing.html')).status, 404);
    // `..%2f` survives URL parsing and is decoded by the server: it must not reach dist-sibling/.
    const escape = await get('/..%2fdist-sibling/secret.txt');
    assert.equal(escape.status, 404);
    assert.ok(!escape.body.includes('not for the browser'));
  } finally {
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('uploadMarkdown: one row per trace, the ratio to the floor, and a failed run says why', async () => {
  const { uploadMarkdown } = await import('./upload-load.mjs');
  const ok = { trace: 'a.json', bytes: 12_345_678, floor: { totalMs: 400 }, firstRenderMs: 500, readyMs: 600, interactiveMs: 620, interactiveOverFloor: 1.55, longestTaskMs: 120, longestTaskAfterRenderMs: 30, peakRendererRssBytes: 300 * 2 ** 20, peakRssOverFile: 25.48 };
  const failed = { trace: 'b.json.gz', bytes: 1e6, error: 'upload page: not done after 60 s' };
  const noFloor = { trace: 'c.json', bytes: 1e9, floor: { error: 'Invalid string length' }, firstRenderMs: 9000, readyMs: 9000, interactiveMs: 9500, longestTaskMs: 150, longestTaskAfterRenderMs: 0, peakRendererRssBytes: 1.4e9, peakRssOverFile: 1.4 };
  const rows = uploadMarkdown([ok, failed, noFloor]).split('\n');
  assert.equal(rows.length, 5);
  assert.equal(rows[2], '| a.json | 12.3 MB | 400 ms | 500 ms | 600 ms | 620 ms | 1.55× | 120 ms | 30 ms | 300 MiB (25.48×) |');
  assert.match(rows[3], /^\| b\.json\.gz \| 1\.0 MB \| — \| fails: upload page: not done after 60 s \|/);
  assert.equal(rows[4], '| c.json | 1000.0 MB | fails: Invalid string length | 9000 ms | 9000 ms | 9500 ms | — | 150 ms | 0 ms | 1335 MiB (1.40×) |');
});

test('analysisMarkdown: the CLI columns (process times and their ratio), a floor too big for one string, rows from before them', () => {
  const base = { slices: 10, loadMs: 100, overlapMs: 1, detectorsMs: 2, reportMs: 3, firstReportMs: 4 };
  const md = analysisMarkdown([
    { sizeMb: 100, ...base, cliMs: 1300, cliFloorMs: 650, cliOverFloor: 2 },
    { sizeMb: 1000, ...base, cliMs: 30000, cliFloorMs: null, cliOverFloor: null },
    { sizeMb: 10, ...base },
  ]).split('\n');
  assert.equal(md[0].split('|').length, md[2].split('|').length, 'header and rows have the same columns');
  assert.match(md[2], /\| 2\.00× \|$/);
  assert.match(md[3], /fails \(too big for one string\) \| — \|$/);
  assert.match(md[4], /\| — \| — \| — \|$/);
});
