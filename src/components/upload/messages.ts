/**
 * What the upload page tells a learner about a file, in their language: the
 * loader's typed errors (src/lib/trace/errors.ts codes) and warnings mapped to
 * messages, plus a look at the first bytes for files that are clearly
 * something else (a CSV summary). Pure, unit-tested.
 */
import type { L10n } from '../../lib/exercises/schema.ts';
import type { TraceLoadErrorCode, TraceLoadErrorParams } from '../../lib/trace/errors.ts';
import type { LoadStats } from '../../lib/trace/model.ts';

const t = (en: string, zh: string): L10n => ({ en, 'zh-CN': zh });

/** Largest size a .gz may inflate to on this page (a gzip bomb stops here). */
export const MAX_INFLATED_BYTES = 1024 ** 3;

/** A file recognised by its first bytes before the loader sees it; null when it may be a trace. */
export function sniffHead(head: Uint8Array, name: string): L10n | null {
  // An SQLite file goes to the worker, which reads Ascend profiler dbs and names what any other db lacks.
  if (/\.csv$/i.test(name) || looksLikeCsv(head)) {
    return t(
      'This is a CSV table (such as kernel_details.csv or step_trace_time.csv): a summary, not a timeline. Open trace_view.json from the same folder.',
      '这是一个 CSV 表格（例如 kernel_details.csv 或 step_trace_time.csv）：它是汇总数据，不是时间线。请打开同一文件夹中的 trace_view.json。',
    );
  }
  return null;
}

/** Printable text whose first line has commas and no JSON opening. */
function looksLikeCsv(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 512));
  const first = text.split(/\r?\n/)[0].trim();
  return !/^[[{]/.test(first) && (first.match(/,/g)?.length ?? 0) >= 2 && /^[\x20-\x7e\u00a0-\uffff\t]+$/.test(first);
}

export function loadErrorMessage(code: TraceLoadErrorCode | 'fetch' | 'internal', detail: string, position?: number, params: TraceLoadErrorParams = {}): L10n {
  switch (code) {
    case 'bad-database':
      return databaseMessage(params, detail);
    case 'empty':
      return t('The file is empty (0 bytes, or only spaces). The profiler may still have been writing it.', '文件是空的（0 字节或只有空白）。可能 profiler 当时还没写完。');
    case 'not-json':
      return t(
        'This is not a JSON trace: it does not start like JSON (it may be HTML, binary data or a log). Open the .json or .json.gz the profiler wrote.',
        '这不是 JSON trace：它的开头不像 JSON（可能是 HTML、二进制数据或日志）。请打开 profiler 写出的 .json 或 .json.gz 文件。',
      );
    case 'not-a-trace':
      return t(
        'This is JSON, but not a trace: it has no "traceEvents" list of events. Summary files (profiler_info.json, communication.json) sit next to the trace; open trace_view.json or the *.pt.trace.json instead.',
        '这是 JSON，但不是 trace：其中没有 "traceEvents" 事件列表。trace 旁边的汇总文件（profiler_info.json、communication.json）不是时间线；请改为打开 trace_view.json 或 *.pt.trace.json。',
      );
    case 'syntax':
      return t(
        `The JSON is broken${position !== undefined ? ` at byte ${position.toLocaleString('en-US')}` : ''} and no events could be recovered before that point.`,
        `JSON 格式有误${position !== undefined ? `（位于第 ${position.toLocaleString('en-US')} 字节）` : ''}，在此之前没有可恢复的事件。`,
      );
    case 'gzip-corrupt':
      return t('The file is gzip-compressed but the compressed data is damaged, so nothing can be read. Copy or download it again.', '文件采用 gzip 压缩，但压缩数据已损坏，无法读取任何内容。请重新复制或下载。');
    case 'too-large':
      return t(
        `The .gz file inflates to more than ${MAX_INFLATED_BYTES / 1024 ** 3} GiB, so reading stopped (it may be a gzip bomb). If it is a real trace, decompress it (gunzip) and open the .json: uncompressed files stream without this limit.`,
        `该 .gz 文件解压后超过 ${MAX_INFLATED_BYTES / 1024 ** 3} GiB，已停止读取（可能是 gzip 炸弹）。如果它确实是 trace，请先解压（gunzip）再打开 .json：未压缩的文件可以流式读取，不受此限制。`,
      );
    case 'aborted':
      return t('Loading was cancelled.', '已取消加载。');
    case 'unsupported':
      return t(`This file format cannot be read here: ${detail}`, `这里无法读取这种文件格式：${detail}`);
    case 'fetch':
    case 'internal':
      return t(`Unexpected error while reading the file: ${detail}`, `读取文件时发生意外错误：${detail}`);
  }
}

const n = (v: number) => v.toLocaleString('en-US');

/** An SQLite file that the Ascend db importer refused (errors.ts `bad-database` params). */
function databaseMessage(params: TraceLoadErrorParams, detail: string): L10n {
  const missing = String(params.missing ?? '');
  switch (params.problem) {
    case 'not-profiler':
      return t(
        'This SQLite database is not an Ascend profiler database (it has no TASK or STRING_IDS table). Open ascend_pytorch_profiler_N.db from ASCEND_PROFILER_OUTPUT, or a JSON trace.',
        '这个 SQLite 数据库不是昇腾 profiler 数据库（没有 TASK 或 STRING_IDS 表）。请打开 ASCEND_PROFILER_OUTPUT 中的 ascend_pytorch_profiler_N.db，或一个 JSON trace。',
      );
    case 'summary-db':
      return t(
        'This is torch_npu’s analysis.db: summaries such as StepTraceTime, not a timeline. Open the ascend_pytorch_profiler_N.db beside it.',
        '这是 torch_npu 的 analysis.db：里面是 StepTraceTime 等汇总，不是时间线。请打开它旁边的 ascend_pytorch_profiler_N.db。',
      );
    case 'missing-table':
      return t(`This Ascend profiler database has no ${missing} table, which the timeline needs.`, `这个昇腾 profiler 数据库缺少时间线必需的 ${missing} 表。`);
    case 'missing-column':
      return t(`This Ascend profiler database lacks the column ${missing} (an unknown schema version?).`, `这个昇腾 profiler 数据库缺少列 ${missing}（可能是未知的 schema 版本）。`);
    case 'schema-version':
      return t(
        `This Ascend profiler database has schema version ${String(params.schemaVersion ?? '?')}, which Tracewise does not know yet.`,
        `这个昇腾 profiler 数据库的 schema 版本是 ${String(params.schemaVersion ?? '?')}，Tracewise 还不认识这个版本。`,
      );
    default:
      return t(
        `The SQLite database cannot be read; it may be truncated or still being written (${String(params.detail ?? detail)}).`,
        `无法读取这个 SQLite 数据库，它可能不完整或仍在写入中（${String(params.detail ?? detail)}）。`,
      );
  }
}

export interface LoadNote {
  text: L10n;
  /** Lost or altered data (cut off, replaced bytes): shown up front; the rest are the loader's repairs, folded away. */
  important: boolean;
}

/** Notes about a trace that loaded: recovered truncation, replaced bytes, and the other loader warnings. */
export function loadNotes(stats: LoadStats): LoadNote[] {
  const out: LoadNote[] = [];
  const push = (text: L10n, important: boolean) => out.push({ text, important });
  if (stats.gzipCut) {
    const { compressedBytes, inflatedBytes } = stats.gzipCut;
    const unfinished = stats.droppedBytes > 0;
    push(
      t(
        `The .gz file is cut off or damaged after ${n(compressedBytes)} compressed bytes. Everything they inflate to (${n(inflatedBytes)} bytes of JSON) was read: ${n(stats.events)} complete event${stats.events === 1 ? '' : 's'}${unfinished ? `, plus ${n(stats.droppedBytes)} bytes of an unfinished event that were dropped` : ''}. Whatever the original file held after that point is missing; a cut file cannot tell how much that was.`,
        `该 .gz 文件在 ${n(compressedBytes)} 字节压缩数据之后被截断或损坏。这些数据解压出的全部内容（${n(inflatedBytes)} 字节 JSON）均已读取：${n(stats.events)} 个完整事件${unfinished ? `，另有一个未写完的事件（${n(stats.droppedBytes)} 字节）已丢弃` : ''}。原文件在此之后的内容全部缺失；截断的文件无法说明缺了多少。`,
      ),
      true,
    );
  } else if (stats.truncated) {
    push(
      t(
        `The file is cut off: recovered ${n(stats.events)} complete event${stats.events === 1 ? '' : 's'}; the last ${n(stats.droppedBytes)} bytes (an unfinished event) were dropped.`,
        `文件不完整：已恢复 ${n(stats.events)} 个完整事件；末尾 ${n(stats.droppedBytes)} 字节（一个未写完的事件）已丢弃。`,
      ),
      true,
    );
  }
  for (const w of stats.warnings) {
    if (w.code === 'truncated' && (stats.truncated || stats.gzipCut)) continue;
    if (w.code === 'no-timed-events') {
      push(
        t(
          `This file has no timed events at all: its ${n(w.count)} events are metadata (process and thread names, labels, sort order) or kinds the timeline does not show, so there is no timeline and nothing to find in it. It is not a CPU-only trace; the profiler probably recorded nothing (an empty schedule window, or the file was written before any step ran).`,
          `这个文件完全没有带时间的事件：它的 ${n(w.count)} 个事件都是元数据（进程和线程名、标签、排序）或时间线不显示的类型，因此没有时间线，也没有可找的内容。这不是只有 CPU 的 trace；profiler 很可能什么都没录到（schedule 窗口为空，或文件在任何 step 运行之前就写出了）。`,
        ),
        true,
      );
    } else if (w.code === 'duplicate-key' && w.params?.lists) {
      const lists = w.params.lists;
      push(
        t(
          `The file writes its "traceEvents" list ${lists.length} times; the events of all of them were read and merged (${lists.map(n).join(' + ')} elements). Other tools that read JSON the usual way (Python's json, JSON.parse, many viewers) keep only the last list, so they would show fewer events.`,
          `该文件把 "traceEvents" 列表写了 ${lists.length} 次；所有列表中的事件都已读取并合并（${lists.map(n).join(' + ')} 个元素）。按常规方式读取 JSON 的其他工具（Python 的 json、JSON.parse 及许多查看器）只保留最后一个列表，因此会显示更少的事件。`,
        ),
        true,
      );
    } else if (w.code === 'duplicate-key' && w.params?.key) {
      push(t(`The top-level key "${w.params.key}" is written ${w.count} times; the last value was used.`, `顶层键 "${w.params.key}" 出现了 ${w.count} 次；使用的是最后一个值。`), false);
    } else if (w.code === 'invalid-utf8') {
      push(t(`${n(w.count)} byte sequences were not valid UTF-8 and are shown as “�”.`, `有 ${n(w.count)} 处字节序列不是合法的 UTF-8，显示为 “�”。`), true);
    } else if (w.code === 'truncated') {
      push(t(`The data is cut off: ${w.message}`, `数据不完整：${w.message}`), true);
    } else {
      // The loader writes these in English only; say so rather than pass it off as a translation.
      push(t(w.message, `加载器提示（英文原文）：${w.message}`), false);
    }
  }
  return out;
}
