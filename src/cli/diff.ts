/**
 * `tracewise diff A B [--json] [--max-inflated-mib N]`: two runs compared
 * (`diffRuns` in src/lib/analysis/diff.ts): steps, per-device overlap and
 * busy/idle, detectors, kernel groups, host times, and notes saying what could
 * not be matched. A is "before", B "after"; every delta is B − A.
 *
 * `--json` prints one object, schema `tracewise.diff/1`. A step's `a_us` /
 * `b_us` are its durations as `tracewise analyze` reports them in
 * `steps[].dur_us`.
 *
 * Exit codes: 0 compared; 2 bad input or usage (one line per file that cannot
 * be read, as `analyze` prints); 1 an internal error.
 */
import type { TraceModel } from '../lib/trace/model.ts';
import { usOf } from '../lib/analysis/access.ts';
import { diffRuns, type CountTime, type DeviceStats, type RunDiff } from '../lib/analysis/diff.ts';
import type { HostTimes } from '../lib/analysis/host-time.ts';
import type { DetectorName } from '../lib/analysis/detectors/index.ts';
import { busyReport, overlapReport, type BusyReport, type OverlapReport } from '../lib/analysis/report.ts';
import { problemLine } from './analyze.ts';
import { loadTraceFile } from './files.ts';
import { parseTraceArgs } from './args.ts';

const USAGE = 'usage: tracewise diff A B [--json] [--max-inflated-mib N]   (A is before, B after; .json or .json.gz)';

interface CountUs {
  count: number;
  total_us: number;
}

/** One run's side of a device: the analyze report's overlap and busy fields, flat. */
export type DeviceSideJson = OverlapReport & BusyReport;

export interface DiffJson {
  schema: 'tracewise.diff/1';
  a: { file: string; format: string };
  b: { file: string; format: string };
  steps: Array<{ a_name: string; b_name: string; a_us: number; b_us: number; delta_us: number }>;
  devices: Array<{ a_id: string | null; b_id: string | null; a: DeviceSideJson | null; b: DeviceSideJson | null }>;
  findings: Record<DetectorName, { a: CountUs; b: CountUs; delta: CountUs }>;
  kernels: Array<{ name: string; a: CountUs; b: CountUs; delta_us: number }>;
  kernel_totals: { a: CountUs; b: CountUs };
  host: Record<'launch' | 'sync' | 'wait', { a: CountUs; b: CountUs }>;
  notes: Array<{ code: string; message: string }>;
}

const countUs = (c: CountTime): CountUs => ({ count: c.count, total_us: usOf(c.totalNs) });

function deviceJson(s: DeviceStats | null): DeviceSideJson | null {
  return s ? { ...overlapReport(s), ...busyReport(s) } : null;
}

export function diffJson(fileA: string, fileB: string, d: RunDiff): DiffJson {
  const findings = {} as DiffJson['findings'];
  for (const f of d.findings) findings[f.name] = { a: countUs(f.a), b: countUs(f.b), delta: countUs(f.delta) };
  const host = (k: keyof HostTimes) => ({ a: countUs(d.host.a[k]), b: countUs(d.host.b[k]) });
  return {
    schema: 'tracewise.diff/1',
    a: { file: fileA, format: d.format.a },
    b: { file: fileB, format: d.format.b },
    steps: d.steps.map((s) => ({ a_name: s.a.name, b_name: s.b.name, a_us: usOf(s.aDurNs), b_us: usOf(s.bDurNs), delta_us: usOf(s.deltaNs) })),
    devices: d.devices.map((p) => ({ a_id: p.aKey, b_id: p.bKey, a: deviceJson(p.a), b: deviceJson(p.b) })),
    findings,
    kernels: d.kernels.map((k) => ({ name: k.name, a: countUs(k.a), b: countUs(k.b), delta_us: usOf(k.deltaNs) })),
    kernel_totals: { a: countUs(d.kernelTotals.a), b: countUs(d.kernelTotals.b) },
    host: { launch: host('launch'), sync: host('sync'), wait: host('wait') },
    notes: d.notes.map((n) => ({ code: n.code, message: n.message })),
  };
}

function fmtUs(us: number): string {
  const a = Math.abs(us);
  if (a >= 1e6) return `${(us / 1e6).toFixed(3)} s`;
  if (a >= 1e3) return `${(us / 1e3).toFixed(3)} ms`;
  return `${us.toFixed(3)} µs`;
}
const signed = (us: number) => (us > 0 ? `+${fmtUs(us)}` : fmtUs(us));
const cell = (text: string, width: number) => text.padStart(width);
const row = (label: string, a: string, b: string, d: string, labelWidth = 34) => `  ${label.padEnd(labelWidth)} ${cell(a, 18)} ${cell(b, 18)} ${cell(d, 14)}`;

/** The readable table printed without --json. */
export function formatDiff(j: DiffJson, maxKernels = 15): string {
  const out: string[] = [`A: ${j.a.file} (${j.a.format})`, `B: ${j.b.file} (${j.b.format})`];
  const header = (title: string) => out.push('', row(title, 'A', 'B', 'B − A'));
  if (j.steps.length) {
    header('Steps');
    for (const s of j.steps) out.push(row(s.a_name === s.b_name ? s.a_name : `${s.a_name} ↔ ${s.b_name}`, fmtUs(s.a_us), fmtUs(s.b_us), signed(s.delta_us)));
  }
  const FIELDS: Array<[keyof DeviceSideJson, string]> = [
    ['computing_us', 'Computing'],
    ['communication_us', 'Communication'],
    ['communication_not_overlapped_us', 'Communication(Not Overlapped)'],
    ['free_us', 'Free'],
    ['busy_us', 'busy'],
    ['idle_us', 'idle'],
  ];
  for (const p of j.devices) {
    header(`Device ${p.a_id ?? '-'} ↔ ${p.b_id ?? '-'}`);
    for (const [k, label] of FIELDS) {
      const a = p.a ? (p.a[k] as number) : null;
      const b = p.b ? (p.b[k] as number) : null;
      out.push(row(label, a === null ? '-' : fmtUs(a), b === null ? '-' : fmtUs(b), a === null || b === null ? '' : signed(b - a)));
    }
    const ratio = (s: DeviceSideJson | null) => (s?.overlap_ratio == null ? '-' : `${(100 * s.overlap_ratio).toFixed(1)}%`);
    out.push(row('comm hidden under compute', ratio(p.a), ratio(p.b), ''));
  }
  header('Findings (count · time)');
  for (const [name, f] of Object.entries(j.findings)) {
    if (!f.a.count && !f.b.count) continue;
    out.push(row(name, `${f.a.count} · ${fmtUs(f.a.total_us)}`, `${f.b.count} · ${fmtUs(f.b.total_us)}`, signed(f.delta.total_us)));
  }
  header(`Kernel groups by |Δ time| (${Math.min(maxKernels, j.kernels.length)} of ${j.kernels.length})`);
  for (const k of j.kernels.slice(0, maxKernels)) {
    const name = k.name.length > 34 ? `${k.name.slice(0, 33)}…` : k.name;
    out.push(row(name, `${k.a.count} · ${fmtUs(k.a.total_us)}`, `${k.b.count} · ${fmtUs(k.b.total_us)}`, signed(k.delta_us)));
  }
  const t = j.kernel_totals;
  out.push(row('all kernels', `${t.a.count} · ${fmtUs(t.a.total_us)}`, `${t.b.count} · ${fmtUs(t.b.total_us)}`, signed(t.b.total_us - t.a.total_us)));
  header('Host');
  for (const [k, h] of Object.entries(j.host)) out.push(row(`${k} calls`, `${h.a.count} · ${fmtUs(h.a.total_us)}`, `${h.b.count} · ${fmtUs(h.b.total_us)}`, signed(h.b.total_us - h.a.total_us)));
  if (j.notes.length) {
    out.push('', 'Notes:');
    for (const n of j.notes) out.push(`  - ${n.message}`);
  }
  return out.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const args = parseTraceArgs('diff', argv, USAGE);
  if (typeof args === 'number') return args;
  const { asJson, files, opts } = args;
  if (files.length !== 2) {
    process.stderr.write(`tracewise: diff: needs two trace files, got ${files.length}\n${USAGE}\n`);
    return 2;
  }
  const models: TraceModel[] = [];
  let bad = false;
  for (const file of files) {
    try {
      models.push(await loadTraceFile(file, opts));
    } catch (e) {
      const line = problemLine(file, e);
      if (line === null) throw e; // not a file problem: main.ts reports an internal error
      process.stderr.write(`${line}\n`);
      bad = true;
    }
  }
  if (bad) return 2;
  const j = diffJson(files[0], files[1], diffRuns(models[0], models[1]));
  process.stdout.write(asJson ? `${JSON.stringify(j)}\n` : `${formatDiff(j)}\n`);
  return 0;
}
