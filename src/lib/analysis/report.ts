/**
 * The analysis of one trace as plain JSON (what `tracewise analyze --json`
 * prints) and as readable text. Times are µs (exact to the ns), relative to
 * the trace origin (`origin_us`, exact decimal text).
 */
import type { TraceModel } from '../trace/model.ts';
import { usOf } from './access.ts';
import { DETECTOR_NAMES, runDetectors, type DetectorName } from './detectors/index.ts';
import { listDevices, type DeviceKind } from './devices.ts';
import { gpuBusy, type BusyResult } from './gpu-busy.ts';
import { overlapForDevice, type OverlapResult } from './overlap.ts';
import { findLayers, findSteps } from './structure.ts';
import { stepTraceTime, type StepTraceRow } from './step-trace.ts';

export interface OverlapReport {
  computing_us: number;
  communication_us: number;
  communication_not_overlapped_us: number;
  free_us: number;
  span_us: number;
  /** |communication ∩ computing| / |communication|; null without communication. */
  overlap_ratio: number | null;
}

/** GPU busy and the attribution of its idle time, in µs. */
export interface BusyReport {
  busy_us: number;
  idle_us: number;
  host_bound_us: number;
  sync_us: number;
  queued_us: number;
  unknown_us: number;
}

export function busyReport(b: Pick<BusyResult, 'busyNs' | 'idleNs' | 'hostBoundNs' | 'syncNs' | 'queuedNs' | 'unknownNs'>): BusyReport {
  return {
    busy_us: usOf(b.busyNs),
    idle_us: usOf(b.idleNs),
    host_bound_us: usOf(b.hostBoundNs),
    sync_us: usOf(b.syncNs),
    queued_us: usOf(b.queuedNs),
    unknown_us: usOf(b.unknownNs),
  };
}

export interface DeviceReport {
  id: string;
  label: string;
  kind: DeviceKind;
  overlap: OverlapReport;
  busy: BusyReport;
}

export interface FindingReport {
  /** Applications of the operation (a chain of generic kernels under one scope is one). */
  count: number;
  /** Matched kernels (device slices; host slices in a CPU-only trace). */
  kernels: number;
  /** Scope instances that prepare the operation instead of applying it (RoPE's cos/sin table); present when > 0. */
  setup?: number;
  total_us: number;
  /** Mean confidence of the matched kernels (0 when none). */
  confidence: number;
  reason: string;
  p50_us?: number;
  p90_us?: number;
  p99_us?: number;
  max_us?: number;
  outliers?: number;
}

/** msprof's step_trace_time columns for one device in one step (step-trace.ts has the definitions). */
export interface StepTraceReport {
  /** The step's range on the device: first launched task start → last end, at least to the host step's end. */
  device_start_us: number;
  device_end_us: number;
  computing_us: number;
  communication_not_overlapped_us: number;
  overlapped_us: number;
  communication_us: number;
  free_us: number;
  stage_us: number;
  bubble_us: number;
  communication_not_overlapped_exclude_receive_us: number;
  preparing_us: number;
}

export interface StepReport {
  name: string;
  number: number | null;
  start_us: number;
  dur_us: number;
  /** Overlap over the host step's range per device; `step_trace` adds the vendor's columns where the device worked. */
  devices: Array<{ id: string; step_trace?: StepTraceReport } & OverlapReport>;
}

export function stepTraceReport(r: StepTraceRow): StepTraceReport {
  return {
    device_start_us: usOf(r.startNs),
    device_end_us: usOf(r.endNs),
    computing_us: usOf(r.computingNs),
    communication_not_overlapped_us: usOf(r.communicationNotOverlappedNs),
    overlapped_us: usOf(r.overlappedNs),
    communication_us: usOf(r.communicationNs),
    free_us: usOf(r.freeNs),
    stage_us: usOf(r.stageNs),
    bubble_us: usOf(r.bubbleNs),
    communication_not_overlapped_exclude_receive_us: usOf(r.communicationNotOverlappedExcludeReceiveNs),
    preparing_us: usOf(r.preparingNs),
  };
}

export interface LayersReport {
  source: 'scopes' | 'inferred' | 'none';
  count: number;
  passes: number;
  device: string | null;
  median_host_us: number | null;
  median_device_us: number | null;
  per_layer: Array<{
    pass: number;
    index: number;
    name: string;
    host_us: number | null;
    device_us: number;
    device_start_us: number | null;
    device_end_us: number | null;
  }>;
}

export interface AnalysisReport {
  format: string;
  /** Slices, instants and counter samples: 0 for a file of metadata only (no timeline at all). */
  timed_events: number;
  origin_us: string;
  devices: DeviceReport[];
  findings: Record<DetectorName, FindingReport>;
  layers: LayersReport;
  steps: StepReport[];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The overlap categories in µs, from anything carrying them in ns (overlapForDevice, diffRuns' DeviceStats). */
export function overlapReport(o: Pick<OverlapResult, 'computingNs' | 'communicationNs' | 'communicationNotOverlappedNs' | 'freeNs' | 'spanNs' | 'overlapRatio'>): OverlapReport {
  return {
    computing_us: usOf(o.computingNs),
    communication_us: usOf(o.communicationNs),
    communication_not_overlapped_us: usOf(o.communicationNotOverlappedNs),
    free_us: usOf(o.freeNs),
    span_us: usOf(o.spanNs),
    overlap_ratio: o.overlapRatio === null ? null : round6(o.overlapRatio),
  };
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function analysisReport(model: TraceModel): AnalysisReport {
  const devices = listDevices(model);
  const deviceReports: DeviceReport[] = devices.map((d) => {
    const b = gpuBusy(model, d.key);
    return {
      id: d.key,
      label: d.label,
      kind: d.kind,
      overlap: overlapReport(overlapForDevice(model, d.key)),
      busy: busyReport(b),
    };
  });

  const results = runDetectors(model);
  const findings = {} as Record<DetectorName, FindingReport>;
  for (const n of DETECTOR_NAMES) {
    const r = results[n];
    const f: FindingReport = {
      count: r.count,
      kernels: r.kernels,
      total_us: usOf(r.totalNs),
      confidence: r.kernels ? round6(r.confidence.reduce((a, b) => a + b, 0) / r.kernels) : 0,
      reason: r.reason,
    };
    if (r.setup) f.setup = r.setup;
    if (r.latency) {
      f.p50_us = usOf(r.latency.p50Ns);
      f.p90_us = usOf(r.latency.p90Ns);
      f.p99_us = usOf(r.latency.p99Ns);
      f.max_us = usOf(r.latency.maxNs);
      f.outliers = r.latency.outliers.length;
    }
    findings[n] = f;
  }

  const trace = stepTraceTime(model);
  const steps: StepReport[] = findSteps(model).map((s) => ({
    name: s.name,
    number: s.number,
    start_us: usOf(s.startNs),
    dur_us: usOf(s.endNs - s.startNs),
    devices: devices.map((d) => {
      const row = trace.find((r) => r.deviceKey === d.key && r.step === (s.number === null ? s.name : String(s.number)));
      return {
        id: d.key,
        ...overlapReport(overlapForDevice(model, d.key, { startNs: s.startNs, endNs: s.endNs })),
        ...(row ? { step_trace: stepTraceReport(row) } : {}),
      };
    }),
  }));

  const L = findLayers(model);
  const hostDur = L.layers.filter((l) => l.hostStartNs !== null).map((l) => l.hostEndNs! - l.hostStartNs!);
  const layers: LayersReport = {
    source: L.source,
    count: L.layersPerPass,
    passes: L.passes,
    device: L.deviceKey,
    median_host_us: hostDur.length ? usOf(median(hostDur)!) : null,
    median_device_us: L.layers.length ? usOf(median(L.layers.map((l) => l.deviceBusyNs))!) : null,
    per_layer: L.layers.map((l) => ({
      pass: l.pass,
      index: l.index,
      name: l.name,
      host_us: l.hostStartNs === null ? null : usOf(l.hostEndNs! - l.hostStartNs),
      device_us: usOf(l.deviceBusyNs),
      device_start_us: l.deviceStartNs === null ? null : usOf(l.deviceStartNs),
      device_end_us: l.deviceEndNs === null ? null : usOf(l.deviceEndNs),
    })),
  };

  return { format: model.format, timed_events: model.slices.length + model.instants.length + model.counters.length, origin_us: model.originUs, devices: deviceReports, findings, layers, steps };
}

function fmtUs(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(3)} s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(3)} ms`;
  return `${us.toFixed(3)} µs`;
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

/** A readable English report for the terminal. */
export function formatReport(r: AnalysisReport): string {
  const out: string[] = [];
  out.push(`Trace format: ${r.format}`);
  if (r.timed_events === 0) out.push('', 'No timed events at all (the file holds only metadata such as process and thread names): there is nothing to analyse.');
  else if (!r.devices.length) out.push('', 'No GPU/NPU activity in this trace (host only).');
  for (const d of r.devices) {
    const o = d.overlap;
    out.push('', `${d.label} (${d.id})`);
    out.push(`  span                            ${fmtUs(o.span_us)}`);
    out.push(`  Computing                       ${fmtUs(o.computing_us)}  (${pct(o.computing_us, o.span_us)})`);
    out.push(`  Communication                   ${fmtUs(o.communication_us)}  (${pct(o.communication_us, o.span_us)})`);
    out.push(
      `  Communication(Not Overlapped)   ${fmtUs(o.communication_not_overlapped_us)}  (${pct(o.communication_not_overlapped_us, o.span_us)})`,
    );
    out.push(`  Free                            ${fmtUs(o.free_us)}  (${pct(o.free_us, o.span_us)})`);
    if (o.overlap_ratio !== null) out.push(`  comm hidden under compute       ${(100 * o.overlap_ratio).toFixed(1)}%`);
    const b = d.busy;
    out.push(
      `  idle ${fmtUs(b.idle_us)} of which host-bound ${pct(b.host_bound_us, b.idle_us)}, in sync ${pct(b.sync_us, b.idle_us)}, queued ${pct(b.queued_us, b.idle_us)}, unknown ${pct(b.unknown_us, b.idle_us)}`,
    );
  }
  out.push('', 'Findings (applications, kernels, total time, mean confidence):');
  for (const [name, f] of Object.entries(r.findings)) {
    if (name === 'launch_latency') continue;
    out.push(`  ${name.padEnd(16)} ${String(f.count).padStart(6)} ${String(f.kernels).padStart(7)}  ${fmtUs(f.total_us).padStart(14)}  ${f.count ? f.confidence.toFixed(2) : ''}${f.setup ? `  (+${f.setup} setup: building the constants, e.g. a cos/sin table; not in count)` : ''}`);
  }
  const ll = r.findings.launch_latency;
  if (ll.count) {
    out.push(
      `  launch latency over ${ll.count} launches: p50 ${fmtUs(ll.p50_us!)}, p90 ${fmtUs(ll.p90_us!)}, max ${fmtUs(ll.max_us!)}, ${ll.outliers} outliers`,
    );
  }
  out.push('', `Steps: ${r.steps.length ? r.steps.map((s) => `${s.name} ${fmtUs(s.dur_us)}`).join(', ') : 'none found'}`);
  for (const s of r.steps) {
    for (const d of s.devices) {
      const t = d.step_trace;
      if (!t) continue;
      out.push(
        `  ${s.name} ${d.id} (step_trace_time): computing ${fmtUs(t.computing_us)}, communication(not overlapped) ${fmtUs(t.communication_not_overlapped_us)}, overlapped ${fmtUs(t.overlapped_us)}, communication ${fmtUs(t.communication_us)}, free ${fmtUs(t.free_us)}, stage ${fmtUs(t.stage_us)}, bubble ${fmtUs(t.bubble_us)}, preparing ${fmtUs(t.preparing_us)}`,
      );
    }
  }
  const L = r.layers;
  out.push(
    L.source === 'none'
      ? 'Layers: no repeated decoder layers found'
      : `Layers (${L.source}): ${L.count} per pass × ${L.passes} pass(es); median host ${L.median_host_us === null ? '-' : fmtUs(L.median_host_us)}, median device busy ${L.median_device_us === null ? '-' : fmtUs(L.median_device_us)}`,
  );
  return out.join('\n');
}
