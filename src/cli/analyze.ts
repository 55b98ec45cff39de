/**
 * `tracewise analyze FILE... [--json] [--max-inflated-mib N]`: what the loader read (format, events,
 * tracks, time span, warnings) merged with the analysis engine's report
 * (devices, findings, layers, steps). `--json` prints one JSON object per
 * file per line. `-` reads standard input. With several files of which at
 * least one names its rank, a last line (human: a last section) says which are
 * ranks of one run and how their collectives line up (ranks.ts, schema
 * "tracewise.ranks/1"); files that name no rank keep exactly one line each.
 *
 * Exit codes: 0 all files read; 2 bad input (a file missing or not a trace:
 * one line `tracewise: FILE: problem (at byte N)` on stderr); 1 an internal
 * error in the analysis (the loader's part is still printed).
 */
import { displayText } from '../lib/trace/display-text.ts';
import { Readable } from 'node:stream';
import type { TraceModel } from '../lib/trace/model.ts';
import { TraceLoadError } from '../lib/trace/errors.ts';
import { loadTrace, type LoadOptions } from '../lib/trace/load.ts';
import { formatDurationNs } from '../lib/trace/time.ts';
import { analysisReport, formatReport, type AnalysisReport } from '../lib/analysis/report.ts';
import { describeFileError, loadTraceFile, nodeGunzip } from './files.ts';
import { formatRuns, runsJson } from './ranks.ts';
import { parseTraceArgs } from './args.ts';

const USAGE = 'usage: tracewise analyze FILE... [--json] [--max-inflated-mib N]   (FILE may be .json, .json.gz, an Ascend ascend_pytorch_profiler_N.db or a *_ascend_pt folder; - reads stdin)';

/** The loader's part of the JSON; `devices`, `findings`, `layers`, `steps` come from AnalysisReport. */
export interface TraceSummary {
  schema: 'tracewise.analysis/1';
  file: string;
  format: TraceModel['format'];
  format_reason: string;
  origin_us: string;
  span_us: number;
  events: number;
  events_by_phase: Record<string, number>;
  processes: number;
  tracks: number;
  slices: number;
  instants: number;
  counter_samples: number;
  flows: number;
  truncated: boolean;
  dropped_bytes: number;
  warnings: { code: string; message: string; count: number }[];
}

/** The merge point: the summary plus the analysis report's sections (absent if the analysis failed). */
export type AnalysisJson = TraceSummary & Partial<Pick<AnalysisReport, 'devices' | 'findings' | 'layers' | 'steps'>> & { analysis_error?: string };

export function summarize(file: string, model: TraceModel): TraceSummary {
  return {
    schema: 'tracewise.analysis/1',
    file,
    format: model.format,
    format_reason: model.stats.formatReason ?? '',
    origin_us: model.originUs,
    span_us: model.endNs / 1000,
    events: model.stats.events,
    events_by_phase: model.stats.byPhase,
    processes: model.processes.length,
    tracks: model.tracks.length,
    slices: model.slices.length,
    instants: model.instants.length,
    counter_samples: model.counters.length,
    flows: model.flows.length,
    truncated: model.stats.truncated,
    dropped_bytes: model.stats.droppedBytes,
    warnings: model.stats.warnings.map((w) => ({ code: w.code, message: w.message, count: w.count })),
  };
}

export function analyze(file: string, model: TraceModel): { json: AnalysisJson; report: AnalysisReport | null } {
  const json: AnalysisJson = summarize(file, model);
  try {
    const report = analysisReport(model);
    json.devices = report.devices;
    json.findings = report.findings;
    json.layers = report.layers;
    json.steps = report.steps;
    return { json, report };
  } catch (e) {
    json.analysis_error = ((e as Error)?.message ?? String(e)).split('\n')[0];
    return { json, report: null };
  }
}

const n = (x: number): string => x.toLocaleString('en-US');
const count = (x: number, one: string, many: string): string => `${n(x)} ${x === 1 ? one : many}`;

function human(s: AnalysisJson, report: AnalysisReport | null): string {
  const out: string[] = [s.file];
  const row = (label: string, text: string): void => {
    out.push(`  ${label.padEnd(10)}  ${text}`);
  };
  row('format', `${s.format} (${s.format_reason})`);
  const phases = Object.entries(s.events_by_phase)
    .sort((a, b) => b[1] - a[1])
    .map(([ph, c]) => `${ph} ${n(c)}`)
    .join(' · ');
  row('events', `${n(s.events)}${phases ? ` (${phases})` : ''}`);
  row('tracks', `${n(s.tracks)} in ${count(s.processes, 'process', 'processes')}`);
  row(
    'contents',
    [count(s.slices, 'slice', 'slices'), count(s.flows, 'flow', 'flows'), count(s.counter_samples, 'counter sample', 'counter samples'), count(s.instants, 'instant', 'instants')].join(' · '),
  );
  row('time span', `${formatDurationNs(s.span_us * 1000)} from ${s.origin_us} µs`);
  if (s.warnings.length === 0) row('warnings', 'none');
  s.warnings.forEach((w, i) => row(i === 0 ? 'warnings' : '', `${w.code}: ${w.message}`));
  if (report) {
    const lines = formatReport(report).split('\n').filter((line) => !line.startsWith('Trace format:'));
    while (lines.length > 0 && lines[0] === '') lines.shift();
    out.push('');
    for (const line of lines) out.push(line ? `  ${line}` : '');
  } else if (s.analysis_error) {
    row('analysis', `failed: ${s.analysis_error}`);
  }
  // Trace names reach the terminal: bidi controls and invisible characters show as ⟨U+202E⟩.
  return displayText(out.join('\n'));
}

async function loadInput(file: string, opts: LoadOptions): Promise<TraceModel> {
  if (file === '-') return loadTrace(Readable.toWeb(process.stdin) as unknown as ReadableStream<Uint8Array>, { fileName: 'stdin', gunzip: nodeGunzip, ...opts });
  return loadTraceFile(file, opts);
}

/** The one line printed for a file that cannot be read. */
export function problemLine(file: string, e: unknown): string | null {
  if (e instanceof TraceLoadError) {
    const at = e.position === undefined ? '' : ` (at byte ${e.position})`;
    return displayText(`tracewise: ${file}: ${e.message.replace(/\.$/, '')}${at}`);
  }
  const fs = describeFileError(e);
  return fs ? displayText(`tracewise: ${file}: ${fs}`) : null;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseTraceArgs('analyze', argv, USAGE, undefined, true);
  if (typeof args === 'number') return args;
  const { asJson, files, opts } = args;
  if (files.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let code = 0;
  let first = true;
  const loaded: Array<{ file: string; model: TraceModel }> = [];
  for (const file of files) {
    let model: TraceModel;
    try {
      model = await loadInput(file, opts);
    } catch (e) {
      const line = problemLine(file, e);
      if (line === null) throw e; // not a file problem: main.ts reports an internal error
      process.stderr.write(`${line}\n`);
      code = 2;
      continue;
    }
    if (files.length > 1) loaded.push({ file, model });
    const { json, report } = analyze(file === '-' ? 'stdin' : file, model);
    if (json.analysis_error) {
      process.stderr.write(`tracewise: ${file}: analysis failed: ${json.analysis_error}\n`);
      if (code === 0) code = 1;
    }
    if (asJson) process.stdout.write(`${JSON.stringify(json)}\n`);
    else {
      process.stdout.write(`${first ? '' : '\n'}${human(json, report)}\n`);
      first = false;
    }
  }
  if (loaded.length > 1) {
    try {
      const runs = runsJson(loaded.map((l) => l.file), loaded.map((l) => l.model));
      if (runs.runs.every((r) => r.ranks.every((x) => x === null))) return code;
      process.stdout.write(asJson ? `${JSON.stringify(runs)}\n` : `${formatRuns(runs)}\n`);
    } catch (e) {
      process.stderr.write(`tracewise: ranks: analysis failed: ${((e as Error)?.message ?? String(e)).split('\n')[0]}\n`);
      if (code === 0) code = 1;
    }
  }
  return code;
}
