/**
 * The upload page's pure parts: which files of a drop are opened (and their
 * ranks), and what a learner is told about a file. The folder listing is the
 * real torch_npu layout of ../shared/traces (when present) plus a typical
 * `*_ascend_pt` tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACES_DIR, skipReason, tracesPresent } from '../../lib/analysis/testing-real.ts';
import { loadTrace } from '../../lib/trace/load.ts';
import { loadErrorMessage, loadNotes, sniffHead } from './messages.ts';
import { pickTraces } from './sources.ts';

if (!tracesPresent) console.warn(skipReason());

const paths = (...p: string[]) => p.map((path) => ({ path }));

describe('pickTraces', () => {
  it.skipIf(!tracesPresent)('the real 2-rank Ascend folder: both trace_view files, ranks from their folders, CSVs skipped', () => {
    const dir = join(TRACES_DIR, 'ascend/train-2rank-level1');
    const listing = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => ({ path: `train-2rank-level1/${relative(dir, join(e.parentPath, e.name))}` }));
    const sel = pickTraces(listing, true);
    expect(sel.traces.map((t) => [t.item.path, t.rank])).toEqual([
      ['train-2rank-level1/rank0/trace_view.json', 0],
      ['train-2rank-level1/rank1/trace_view.json.gz', 1],
    ]);
    expect(sel.skipped).toBe(listing.length - 2);
  });

  it('a *_ascend_pt folder without "rank" in its path: the rank comes from profiler_info_N.json', () => {
    const root = 'host_123_20250101_ascend_pt';
    const sel = pickTraces(
      paths(`${root}/profiler_info_3.json`, `${root}/ASCEND_PROFILER_OUTPUT/trace_view.json`, `${root}/ASCEND_PROFILER_OUTPUT/kernel_details.csv`, `${root}/PROF_0001/mindstudio_profiler_output/msprof_1.json`),
      true,
    );
    expect(sel.traces.map((t) => [t.item.path, t.rank])).toEqual([[`${root}/ASCEND_PROFILER_OUTPUT/trace_view.json`, 3]]);
  });

  it("vLLM's profile directory: the *.pt.trace.json.gz of each worker, in numeric order", () => {
    const sel = pickTraces(paths('prof/host-rank10.pt.trace.json.gz', 'prof/host-rank2.pt.trace.json.gz', 'prof/profiler_out_0.txt'), true);
    expect(sel.traces.map((t) => [t.item.path, t.rank])).toEqual([
      ['prof/host-rank2.pt.trace.json.gz', 2],
      ['prof/host-rank10.pt.trace.json.gz', 10],
    ]);
  });

  it('a *_ascend_pt folder exported as db: the ascend_pytorch_profiler_N.db, never analysis.db; trace_view.json wins when both exist', () => {
    const root = 'host_9_20250109_ascend_pt';
    const db = [`${root}/profiler_info_1.json`, `${root}/ASCEND_PROFILER_OUTPUT/ascend_pytorch_profiler_1.db`, `${root}/ASCEND_PROFILER_OUTPUT/analysis.db`];
    expect(pickTraces(paths(...db), true).traces.map((t) => [t.item.path, t.rank])).toEqual([[`${root}/ASCEND_PROFILER_OUTPUT/ascend_pytorch_profiler_1.db`, 1]]);
    expect(pickTraces(paths(...db, `${root}/ASCEND_PROFILER_OUTPUT/trace_view.json`), true).traces.map((t) => t.item.path)).toEqual([`${root}/ASCEND_PROFILER_OUTPUT/trace_view.json`]);
  });

  it('files picked one by one are all opened, even a CSV (it gets its own message)', () => {
    expect(pickTraces(paths('a.csv', 'b.json'), false).traces.length).toBe(2);
  });
});

describe('messages', () => {
  it('a CSV is recognised before loading; an SQLite file is left to the worker (Ascend profiler dbs load)', () => {
    const db = new TextEncoder().encode('SQLite format 3\u0000' + ' '.repeat(100));
    expect(sniffHead(db, 'x.db')).toBeNull();
    const csv = new TextEncoder().encode('Step Id,Model ID,Task ID,Stream ID,Name\n1,2,3,4,MatMul\n');
    expect(sniffHead(csv, 'kernel_details')?.['zh-CN']).toMatch(/CSV 表格/);
    expect(sniffHead(new TextEncoder().encode('{"traceEvents":[]}'), 'a.json')).toBeNull();
    expect(sniffHead(new TextEncoder().encode('[{"ph":"X","name":"a,b,c"}]'), 'a.json')).toBeNull();
  });

  it.skipIf(!tracesPresent)('a real CSV from torch_npu is a CSV', () => {
    const head = readFileSync(join(TRACES_DIR, 'ascend/train-2rank-level1/rank0/step_trace_time.csv')).subarray(0, 512);
    expect(sniffHead(new Uint8Array(head), 'noext')).not.toBeNull();
  });

  it('every loader error code has both languages', () => {
    for (const code of ['empty', 'not-json', 'not-a-trace', 'syntax', 'gzip-corrupt', 'too-large', 'aborted', 'unsupported', 'bad-database', 'fetch', 'internal'] as const) {
      const m = loadErrorMessage(code, 'detail', 12);
      expect(m.en.length).toBeGreaterThan(10);
      expect(m['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('a database the importer refused: one message per problem, naming what is missing, in both languages', () => {
    const cases = [
      [{ problem: 'not-profiler' }, /not an Ascend profiler database/, /不是昇腾 profiler 数据库/],
      [{ problem: 'summary-db' }, /analysis\.db.*not a timeline/, /analysis\.db.*不是时间线/],
      [{ problem: 'missing-table', missing: 'TASK' }, /no TASK table/, /缺少.*TASK 表/],
      [{ problem: 'missing-column', missing: 'TASK.startNs' }, /column TASK\.startNs/, /缺少列 TASK\.startNs/],
      [{ problem: 'schema-version', schemaVersion: '9.0.0' }, /schema version 9\.0\.0/, /schema 版本是 9\.0\.0/],
      [{ problem: 'damaged', detail: 'database disk image is malformed' }, /truncated .*malformed/, /不完整.*malformed/],
    ] as const;
    for (const [params, en, zh] of cases) {
      const m = loadErrorMessage('bad-database', 'English detail', undefined, params);
      expect(m.en).toMatch(en);
      expect(m['zh-CN']).toMatch(zh);
    }
  });

  it('a truncated file says how many events were kept and how many bytes dropped', async () => {
    const full = JSON.stringify({ traceEvents: [{ ph: 'X', name: 'a', pid: 1, tid: 1, ts: 0, dur: 1 }, { ph: 'X', name: 'b', pid: 1, tid: 1, ts: 2, dur: 1 }] });
    const cut = full.slice(0, full.indexOf('"b"') + 5);
    const model = await loadTrace(new TextEncoder().encode(cut));
    const [note] = loadNotes(model.stats);
    expect(note.important).toBe(true);
    expect(note.text.en).toBe(`The file is cut off: recovered 1 complete event; the last ${model.stats.droppedBytes} bytes (an unfinished event) were dropped.`);
    expect(model.stats.droppedBytes).toBeGreaterThan(0);
  });

  it('a cut .gz says how much compressed data was read, what it inflated to, and that the rest is unknown', () => {
    const stats = { bytes: 4_200_000, events: 9_000, byPhase: {}, droppedBytes: 73, truncated: true, gzipCut: { compressedBytes: 310_000, inflatedBytes: 4_200_000 }, warnings: [{ code: 'truncated' as const, message: 'x', count: 1 }] };
    const notes = loadNotes(stats);
    expect(notes).toHaveLength(1);
    expect(notes[0].important).toBe(true);
    expect(notes[0].text.en).toBe(
      'The .gz file is cut off or damaged after 310,000 compressed bytes. Everything they inflate to (4,200,000 bytes of JSON) was read: 9,000 complete events, plus 73 bytes of an unfinished event that were dropped. Whatever the original file held after that point is missing; a cut file cannot tell how much that was.',
    );
    expect(notes[0].text['zh-CN']).toBe(
      '该 .gz 文件在 310,000 字节压缩数据之后被截断或损坏。这些数据解压出的全部内容（4,200,000 字节 JSON）均已读取：9,000 个完整事件，另有一个未写完的事件（73 字节）已丢弃。原文件在此之后的内容全部缺失；截断的文件无法说明缺了多少。',
    );
  });
});

describe('a metadata-only trace', () => {
  it('the page says it has no timed events at all, in both languages', async () => {
    const model = await loadTrace(new Uint8Array(readFileSync(new URL('../../lib/trace/fixtures/metadata-only.json', import.meta.url))));
    const notes = loadNotes(model.stats).filter((n) => n.important);
    expect(notes).toHaveLength(1);
    expect(notes[0].text.en).toMatch(/^This file has no timed events at all: its 10 events are metadata/);
    expect(notes[0].text['zh-CN']).toMatch(/^这个文件完全没有带时间的事件：它的 10 个事件都是元数据/);
  });
});

describe('duplicate traceEvents keys', () => {
  it('the page says both lists were read and merged, in both languages', async () => {
    const model = await loadTrace(new Uint8Array(readFileSync(new URL('../../lib/trace/fixtures/duplicate-traceEvents.json', import.meta.url))));
    const [note] = loadNotes(model.stats).filter((n) => n.important);
    expect(note.text.en).toBe(
      'The file writes its "traceEvents" list 2 times; the events of all of them were read and merged (2 + 1 elements). Other tools that read JSON the usual way (Python\'s json, JSON.parse, many viewers) keep only the last list, so they would show fewer events.',
    );
    expect(note.text['zh-CN']).toBe('该文件把 "traceEvents" 列表写了 2 次；所有列表中的事件都已读取并合并（2 + 1 个元素）。按常规方式读取 JSON 的其他工具（Python 的 json、JSON.parse 及许多查看器）只保留最后一个列表，因此会显示更少的事件。');
    const folded = loadNotes(model.stats).filter((n) => !n.important);
    expect(folded.map((n) => n.text['zh-CN'])).toContain('顶层键 "displayTimeUnit" 出现了 2 次；使用的是最后一个值。');
  });
});
