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
import { medianRun } from './lighthouse.mjs';
import { gunzipSync } from 'node:zlib';

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

test('startBenchServer with compress: site text files gzip-compressed to a client that accepts it; traces and others never', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bench-gz-'));
  const put = (rel, text) => {
    mkdirSync(join(tmp, rel, '..'), { recursive: true });
    writeFileSync(join(tmp, rel), text);
  };
  const html = `<p>${'lesson '.repeat(500)}</p>`;
  put('dist/en/index.html', html);
  put('dist/traces/a.json.gz', 'not really gzip');
  put('cache/t.json', '[{"ph":"X"}]');
  const server = await startBenchServer({ distDir: join(tmp, 'dist'), cacheDir: join(tmp, 'cache'), speedscopeDir: join(tmp, 'speedscope'), compress: true });
  const plain = await startBenchServer({ distDir: join(tmp, 'dist'), cacheDir: join(tmp, 'cache'), speedscopeDir: join(tmp, 'speedscope') });
  // Node's fetch inflates by itself: a raw request shows what was sent.
  const raw = (base, path, encoding) =>
    new Promise((ok, fail) => {
      import('node:http').then(({ get }) =>
        get(base + path, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => ok({ encoding: res.headers['content-encoding'], length: Number(res.headers['content-length']), body: Buffer.concat(chunks) }));
        }).on('error', fail),
      );
    });
  try {
    const gz = await raw(server.url, '/en/', 'gzip, deflate');
    assert.equal(gz.encoding, 'gzip');
    assert.equal(gz.length, gz.body.length);
    assert.ok(gz.length < html.length / 10, `compressed: ${gz.length} B of ${html.length}`);
    assert.equal(gunzipSync(gz.body).toString(), html);
    assert.equal((await raw(server.url, '/en/')).encoding, undefined, 'not to a client that does not accept gzip');
    assert.equal((await raw(server.url, '/traces/a.json.gz', 'gzip')).encoding, undefined, 'a .gz file is sent as it is');
    assert.equal((await raw(server.url, '/__bench/traces/t.json', 'gzip')).encoding, undefined, 'generated traces never');
    assert.equal((await raw(plain.url, '/en/', 'gzip')).encoding, undefined, 'without compress, nothing');
  } finally {
    await server.close();
    await plain.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('medianRun: the run with the median performance score, every run beside it', () => {
  const run = (performance, accessibility, lcpMs) => ({ url: 'u', performance, accessibility, lcpMs, failing: [] });
  const m = medianRun([run(97, 100, 1), run(88, 94, 2), run(95, 100, 3)]);
  assert.equal(m.performance, 95);
  assert.equal(m.lcpMs, 3, 'the metrics are those of the median run');
  assert.equal(m.accessibility, 100, 'median accessibility');
  assert.deepEqual(m.performanceRuns, [97, 88, 95]);
  assert.deepEqual(m.accessibilityRuns, [100, 94, 100]);
  assert.equal(m.runs, 3);
  const two = medianRun([run(99, 100, 1), { url: 'u', error: 'timeout' }, run(90, 100, 2)]);
  assert.equal(two.performance, 90, 'lower middle of two');
  assert.deepEqual(two.failedRuns, ['timeout']);
  assert.equal(medianRun([{ url: 'u', error: 'x' }]).error, 'x');
});

test('uploadMarkdown: one row per trace, the ratio to the floor, and a failed run says why', async () => {
  const { uploadMarkdown } = await import('./upload-load.mjs');
  const ok = { trace: 'a.json', bytes: 12_345_678, floor: { totalMs: 400 }, firstRenderMs: 500, readyMs: 600, interactiveMs: 620, interactiveOverFloor: 1.55, longestTaskMs: 120, longestTaskAfterRenderMs: 30, peakRendererRssBytes: 300 * 2 ** 20, peakRssOverFile: 25.48, worker: { readMs: 310, analysis: [{ pass: 'tracks', ms: 100 }, { pass: 'detectors', ms: 120 }] } };
  const failed = { trace: 'b.json.gz', bytes: 1e6, error: 'upload page: not done after 60 s' };
  const noFloor = { trace: 'c.json', bytes: 1e9, floor: { error: 'Invalid string length' }, firstRenderMs: 9000, readyMs: 9000, interactiveMs: 9500, longestTaskMs: 150, longestTaskAfterRenderMs: 0, peakRendererRssBytes: 1.4e9, peakRssOverFile: 1.4 };
  const rows = uploadMarkdown([ok, failed, noFloor]).split('\n');
  assert.equal(rows.length, 5);
  assert.equal(rows[2], '| a.json | 12.3 MB | 400 ms | 500 ms | 600 ms | 620 ms | 1.55× | 310 ms / 220 ms | 120 ms | 30 ms | 300 MiB (25.48×) |');
  assert.match(rows[3], /^\| b\.json\.gz \| 1\.0 MB \| — \| fails: upload page: not done after 60 s \|/);
  assert.equal(rows[4], '| c.json | 1000.0 MB | fails: Invalid string length | 9000 ms | 9000 ms | 9500 ms | — | — | 150 ms | 0 ms | 1335 MiB (1.40×) |');
  assert.equal(rows[0].split('|').length, rows[3].split('|').length, 'a failed row has every column');
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

test('firstDrawMarkdown and targetsOf: per page, the max against the 1 s target, a failed page says why', async () => {
  const { firstDrawMarkdown, targetsOf } = await import('./report.mjs');
  const fd = {
    runs: 3,
    targetMs: 1000,
    pages: [
      { page: '/en/lessons/a/', firstDrawMs: 640.4, runsMs: [700, 640, 600], path: { domContentLoaded: 250, island: [300, 350], worker: [500, 480], sqlite: false } },
      { page: '/zh-cn/lessons/a/', firstDrawMs: 1210, runsMs: [1210, 1300, 1100], path: { island: null, worker: null, sqlite: true } },
      { page: '/en/lessons/b/', error: 'no timeline widget on the page' },
    ],
  };
  const md = firstDrawMarkdown(fd);
  assert.match(md, /\| \/en\/lessons\/a\/ \| 640 ms \| 700, 640, 600 \| 250 ms \| 300–350 ms \| 500–500 ms \| no \|/);
  assert.match(md, /\| \/zh-cn\/lessons\/a\/ \| 1210 ms .* \| \*\*yes\*\* \|/);
  assert.match(md, /fails: no timeline widget/);
  assert.match(md, /Max over the lesson pages: 1210 ms \(\/zh-cn\/lessons\/a\/\); target ≤ 1000 ms: \*\*not met\*\*, 210 ms over/);
  const lh = (page, performance, accessibility) => ({ page, performance, accessibility, failing: [] });
  const targets = targetsOf({ firstDraw: fd, lighthouseRuns: 3, budgetPages: ['/en/lessons/a/', '/zh-cn/lessons/a/'], lighthouse: [lh('/en/', 80, 90), lh('/en/lessons/a/', 96, 100), lh('/zh-cn/lessons/a/', 94, 100)] });
  const byName = (re) => targets.find((t) => re.test(t.name));
  assert.equal(byName(/First drawn widget/).met, false);
  assert.match(byName(/First drawn widget/).measured, /max 1210 ms/);
  assert.equal(byName(/performance ≥ 95/).met, false, 'the home page does not count, the zh-CN lesson does');
  assert.match(byName(/performance ≥ 95/).miss, /\/zh-cn\/lessons\/a\/ 94/);
  assert.equal(byName(/accessibility 100/).met, true);
});

test('targetsOf: the upload page (100 MB ratio, 1 GB time and memory, longest task on every row) and the CLI ratio', async () => {
  const { targetsOf } = await import('./report.mjs');
  const run = (over) => ({ interactiveOverFloor: over, longestTaskMs: 120 });
  const upload = [
    { trace: 'trace_view.json', bytes: 2e6, interactiveMs: 500, interactiveOverFloor: 12, longestTaskMs: 140, floor: { totalMs: 40 }, runs: [{ longestTaskMs: 140 }, { longestTaskMs: 230 }] },
    {
      trace: 'trace-100mb.json', bytes: 1e8, interactiveMs: 1700, interactiveOverFloor: 2.2, longestTaskMs: 160, floor: { totalMs: 770 }, runs: [run(2.1), run(2.2), run(2.4)],
      worker: { readMs: 847, analysis: [{ pass: 'tracks', ms: 150 }, { pass: 'zoom levels', ms: 60 }, { pass: 'step table', ms: 40 }, { pass: 'detectors', ms: 280 }, { pass: 'exercises', ms: 30 }, { pass: 'memo', ms: 2 }] },
    },
    { trace: 'trace-1000mb.json', bytes: 1e9, interactiveMs: 16_500, longestTaskMs: 171, floor: { error: 'Invalid string length' }, peakRendererRssBytes: 1.85e9, peakRssOverFile: 1.85 },
    { trace: 'ascend-100mb.json', bytes: 1e8, interactiveMs: 2600, interactiveOverFloor: 2.4, longestTaskMs: 150, floor: { totalMs: 1083 }, runs: [run(2.3), run(2.4), run(2.6)] },
  ];
  const analysis = [{ sizeMb: 100, runs: 3, cliMs: 1400, cliFloorMs: 920, cliOverFloor: 1.52, loadMs: 810, firstReportMs: 470 }];
  const t = targetsOf({ upload, analysis });
  const byName = (re) => t.find((x) => re.test(x.name));
  const u100 = byName(/Upload page, 100 MB \(/);
  assert.equal(u100.met, false);
  const ascend = byName(/Upload page, 100 MB Ascend/);
  assert.equal(ascend.met, false);
  assert.match(ascend.measured, /2600 ms vs floor 1083 ms = 2\.40× .*runs 2\.30–2\.60×/);
  assert.match(u100.measured, /1700 ms vs floor 770 ms = 2\.20× .*runs 2\.10–2\.40×/);
  assert.match(u100.miss, /2\.20× is 47% over 1\.5×/);
  // ... and why: where the page says the worker's time went, and the rest (1700 − 847 − 562).
  assert.match(u100.miss, /; of its 1700 ms: the worker's read \+ parse 847 ms \(1\.10× the floor by itself\), its analysis 562 ms \(detectors 280 ms, tracks 150 ms, zoom levels 60 ms\), the rest 291 ms/);
  assert.doesNotMatch(ascend.miss, /of its/, 'no worker times on that row: no why');
  assert.equal(byName(/1 GB .*: interactive/).met, false);
  assert.match(byName(/1 GB .*: interactive/).miss, /1500 ms over/);
  assert.equal(byName(/1 GB .*: renderer peak/).met, false);
  assert.match(byName(/1 GB .*: renderer peak/).measured, /1\.85× the file/);
  const task = byName(/over 200 ms/);
  assert.equal(task.met, false, 'a second run of the 2 MB trace had a 230 ms task');
  assert.match(task.miss, /^trace_view\.json 230 ms$/);
  // Each target says which path and trace it measured.
  for (const x of t) assert.match(x.name, /^(Upload page, (100 MB|1 GB) \(trace-\d+mb\.json|Upload page, 100 MB Ascend \(ascend-100mb\.json, simulated|No main-thread task .* upload page|CLI: `tracewise analyze trace-100mb\.json|Reference page)/, x.name);
  const cli = byName(/CLI/);
  assert.equal(cli.met, false);
  assert.match(cli.measured, /1400 ms vs 920 ms: 1\.52×/);
  assert.match(cli.miss, /1\.52× is 27% over 1\.2×; in one process the load takes 810 ms and the first analysis 470 ms/);
  // Met, and sizes the run did not measure.
  const met = targetsOf({ upload: [{ ...upload[1], interactiveOverFloor: 1.3, runs: [] }], analysis: [{ ...analysis[0], cliOverFloor: 1.1 }] });
  const m = (re) => met.find((x) => re.test(x.name));
  assert.equal(m(/100 MB/).met, true);
  assert.equal(m(/100 MB Ascend/).met, null, 'no Ascend row in this run');
  assert.match(m(/100 MB/).caveat, /aim of 1\.0× is not \(1\.30×\)/);
  assert.equal(m(/1 GB .*: interactive/).met, null);
  assert.match(m(/1 GB .*: interactive/).measured, /not measured \(no 1000 MB trace/);
  assert.equal(m(/over 200 ms/).met, true);
  assert.equal(m(/CLI/).met, true);
});

test('machineLine names the Chinese fonts the zh-CN pages were drawn with, or says there was none', async () => {
  const { machineLine } = await import('./report.mjs');
  const m = { cpus: 2, cpuModel: 'AMD EPYC', memoryBytes: 24 * 2 ** 30, chromium: 'Chromium 150', node: 'v24.21.0', os: 'Linux 6.1' };
  assert.equal(machineLine({ ...m, chineseFonts: ['Noto Sans CJK SC', 'WenQuanYi Micro Hei'] }), '2 CPUs (AMD EPYC), 24 GiB RAM, Chromium 150, Chinese fonts: Noto Sans CJK SC, WenQuanYi Micro Hei, Node v24.21.0, Linux 6.1');
  assert.match(machineLine({ ...m, chineseFonts: [] }), /Chromium 150, no Chinese font installed \(zh-CN pages drawn with fallback boxes\), Node/);
  // A report from before the fonts were recorded says nothing of them.
  assert.equal(machineLine(m), '2 CPUs (AMD EPYC), 24 GiB RAM, Chromium 150, Node v24.21.0, Linux 6.1');
});
