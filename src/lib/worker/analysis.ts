/**
 * The analysis the trace worker runs after a load, in a shape that crosses
 * postMessage cheaply: every per-slice or per-interval result is a typed array
 * (transferred, not copied), everything else is small. The page only reads
 * these arrays; it never runs the O(slices) passes itself.
 *
 * Two parts, because they differ tenfold in cost: `TrackAnalysis` (work kinds
 * for colours, GPU busy and the four overlap lanes per device, devices, steps)
 * comes first; `PackedDetectors` (every detector's matches, ~0.8 s per million
 * slices) follows. `primeAnalysis` puts both into lib/analysis' per-model memo
 * on the receiving side, so exercise checkers calling `runDetectors(model)`,
 * `findSteps(model)` or `listDevices(model)` there get the worker's answer
 * instead of a second pass.
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { contentExtentOf } from '../trace/time.ts';
import { deviceActivity, sliceKinds, type WorkKind } from '../analysis/activity.ts';
import { listDevices, type Device } from '../analysis/devices.ts';
import { OVERLAP_LANE_NAMES, overlapForDevice, overlapTrack, type OverlapResult } from '../analysis/overlap.ts';
import { totalNs } from '../analysis/intervals.ts';
import { findSteps, type Step } from '../analysis/structure.ts';
import { launchReason } from '../analysis/detectors/launch-latency.ts';
import { DETECTOR_NAMES, runDetectors, type DetectorName, type DetectorResult, type DetectorResults } from '../analysis/detectors/index.ts';
import { primeMemo, primeMemoLazily } from '../analysis/access.ts';
import { launchLinks, type Links } from '../analysis/links.ts';
import { stepTraceTime, type StepTraceRow } from '../analysis/step-trace.ts';
import { MIPMAP_MIN_SLICES, intervalLevels, maxLevelOf, type PackedIntervalLevel } from './mipmap.ts';

/** Work kinds in code order: `codes[slice]` indexes this list, -1 for a slice off the devices. */
export const WORK_KINDS: readonly WorkKind[] = ['computation', 'communication', 'comm-task', 'memory', 'wait', 'annotation', 'other'];

export interface AnalysisLane {
  /** "GPU busy", or one of Ascend's overlap lane names ("Computing", "Communication", …). */
  name: string;
  /** Sorted disjoint [start, end, start, end, …] in model ns. */
  intervals: Float64Array;
  totalNs: Ns;
  /** Drawing levels (gaps closed per 2^L ns) of lanes with more than 2 × MIPMAP_MIN_SLICES intervals. */
  levels?: PackedIntervalLevel[];
}

export interface DeviceLanes {
  deviceKey: string;
  deviceLabel: string;
  deviceKind: Device['kind'];
  /** GPUs: "GPU busy" first; then the four overlap lanes (Computing, Communication, Communication(Not Overlapped), Free). */
  lanes: AnalysisLane[];
}

export interface TrackAnalysis {
  /** WORK_KINDS index per slice, -1 when the slice is not on a device track. */
  workKindCodes: Int8Array;
  /** First slice start to last slice end (lib/trace/time.ts `contentExtentOf`): the widget's initial window. */
  contentExtent: { startNs: Ns; endNs: Ns };
  devices: Device[];
  deviceLanes: DeviceLanes[];
  steps: Step[];
  /** Parts that threw (named, with the message); the rest is still usable. */
  failures: string[];
}

/** One detector's result with its per-match columns as typed arrays and its reasons interned. */
export interface PackedDetector {
  name: DetectorName;
  slices: Int32Array;
  confidence: Float64Array;
  /** Index of its reason text per match (`reasonTextOf`). */
  reasonIndex: Int32Array;
  /**
   * The reason texts, joined into one string, text k ending at `reasonEnds[k]`
   * (each once, unless a detector's texts are mostly distinct: then a text
   * that comes back after others may be there twice): a detector whose reasons carry numbers (launch latency)
   * has one text per match, ~640 k at 1 GB, and an array of that many strings
   * took the page 0.2 s to receive (structured clone and its GC); one string
   * and one typed array take a few ms.
   */
  reasonText: string;
  reasonEnds: Uint32Array;
  /** launch_latency: its reasons as data (`reasonText` empty, `reasonIndex` the match index). */
  launches?: PackedLaunches;
  reason: string;
  count: number;
  setup: number;
  setupScopes: Int32Array;
  kernels: number;
  /** Per match, the slice standing for its application (DetectorResult.applications). */
  applications: Int32Array;
  totalNs: Ns;
  latency?: DetectorResult['latency'];
}

/**
 * launch_latency's reasons as what they say rather than as text (one per launch, 640 k at 1 GB, whose
 * texts the worker would build, join and send, and the page rarely reads): per match the launching call's
 * name (an index into `names`) and the latency; `reasonTextOf` writes the text (`launchReason`).
 */
export interface PackedLaunches {
  names: string[];
  name: Int32Array;
  latencyNs: Float64Array;
}

export interface PackedDetectors {
  detectors: PackedDetector[];
  /** Index into `detectors` of the first detector (in DETECTOR_NAMES order) matching each slice, -1 for none. */
  firstDetector: Int8Array;
  failure?: string;
}

function attempt<T>(failures: string[], what: string, fallback: T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    failures.push(`${what}: ${(e as Error)?.message ?? String(e)}`);
    return fallback;
  }
}

export function analyzeTracks(model: TraceModel): TrackAnalysis {
  const failures: string[] = [];
  const devices = attempt(failures, 'devices', [] as Device[], () => listDevices(model));
  const workKindCodes = new Int8Array(model.slices.length).fill(-1);
  attempt(failures, 'work kinds', null, () => {
    const kinds = sliceKinds(model);
    for (let i = 0; i < kinds.length; i++) {
      const k = kinds[i];
      if (k !== null) workKindCodes[i] = WORK_KINDS.indexOf(k);
    }
    return null;
  });
  const deviceLanes: DeviceLanes[] = [];
  for (const dev of devices) {
    attempt(failures, `lanes of ${dev.key}`, null, () => {
      const lanes: AnalysisLane[] = [];
      if (dev.kind === 'gpu') {
        const busy = deviceActivity(model, dev.key).busy;
        lanes.push({ name: 'GPU busy', intervals: busy, totalNs: totalNs(busy) });
      }
      for (const lane of overlapTrack(model, dev.key).lanes) lanes.push({ name: lane.name, intervals: lane.intervals, totalNs: lane.totalNs });
      for (const l of lanes) if (l.intervals.length > 2 * MIPMAP_MIN_SLICES) l.levels = intervalLevels(l.intervals, maxLevelOf(model.endNs));
      deviceLanes.push({ deviceKey: dev.key, deviceLabel: dev.label, deviceKind: dev.kind, lanes });
      return null;
    });
  }
  const steps = attempt(failures, 'steps', [] as Step[], () => findSteps(model));
  return { workKindCodes, contentExtent: contentExtentOf(model), devices, deviceLanes, steps, failures };
}

export function packDetectors(model: TraceModel, results: DetectorResults): PackedDetectors {
  const firstDetector = new Int8Array(model.slices.length).fill(-1);
  const detectors = DETECTOR_NAMES.map((name, d): PackedDetector => {
    const r = results[name];
    const slices = Int32Array.from(r.slices);
    const confidence = new Float64Array(slices.length);
    for (let i = 0; i < slices.length; i++) {
      confidence[i] = r.confidence[i] ?? 1;
      if (firstDetector[slices[i]] < 0) firstDetector[slices[i]] = d;
    }
    const reasons = name === 'launch_latency' ? packLaunches(model, slices) : packReasonTexts(r);
    return { name, slices, confidence, ...reasons, reason: r.reason, count: r.count, setup: r.setup, setupScopes: Int32Array.from(r.setupScopes), kernels: r.kernels, applications: Int32Array.from(r.applications), totalNs: r.totalNs, latency: r.latency };
  });
  return { detectors, firstDetector };
}

type PackedReasons = Pick<PackedDetector, 'reasonIndex' | 'reasonText' | 'reasonEnds' | 'launches'>;

/**
 * A detector's reason texts, interned through a Map while they repeat; a detector whose texts carry numbers
 * (one per match) stops hashing them once most are new, and keeps each as it comes.
 */
function packReasonTexts(r: DetectorResult): PackedReasons {
  const list: string[] = [];
  const index = new Map<string, number>();
  let interning = true;
  let prev: string | undefined;
  let prevK = -1;
  const reasonIndex = new Int32Array(r.slices.length);
  for (let i = 0; i < reasonIndex.length; i++) {
    const text = r.reasons[i] ?? r.reason;
    let k: number | undefined = text === prev ? prevK : interning ? index.get(text) : undefined;
    if (k === undefined) {
      k = list.length;
      list.push(text);
      if (interning) index.set(text, k);
      if (interning && i >= 1024 && list.length * 2 > i) interning = false;
    }
    reasonIndex[i] = prevK = k;
    prev = text;
  }
  const reasonEnds = new Uint32Array(list.length);
  let end = 0;
  for (let k = 0; k < list.length; k++) reasonEnds[k] = end += list[k].length;
  return { reasonIndex, reasonText: list.join(''), reasonEnds };
}

/**
 * launch_latency's reasons without their texts (`PackedLaunches`), from the launch links its matches came
 * from: the detector's own texts are built only when read, and reading them here would build them all.
 */
function packLaunches(model: TraceModel, slices: Int32Array): PackedReasons {
  const { launcher } = launchLinks(model);
  const startNs = model.slices.startNs;
  const n = slices.length;
  const names: string[] = [];
  const nameOfString = new Map<number, number>();
  const name = new Int32Array(n);
  const latencyNs = new Float64Array(n);
  const reasonIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = slices[i];
    const h = launcher[s];
    const si = model.slices.name[h];
    let k = nameOfString.get(si);
    if (k === undefined) {
      nameOfString.set(si, (k = names.length));
      names.push(model.strings[si] ?? '');
    }
    name[i] = k;
    latencyNs[i] = startNs[s] - startNs[h];
    reasonIndex[i] = i;
  }
  return { reasonIndex, reasonText: '', reasonEnds: new Uint32Array(0), launches: { names, name, latencyNs } };
}

export function analyzeDetectors(model: TraceModel): PackedDetectors {
  try {
    return packDetectors(model, runDetectors(model));
  } catch (e) {
    return { detectors: [], firstDetector: new Int8Array(0), failure: `detectors: ${(e as Error)?.message ?? String(e)}` };
  }
}

/**
 * Back to lib/analysis' DetectorResults. Each detector's plain arrays are
 * built on first access (a getter), so a page that only colours by detector
 * never pays for the copies; exercise checkers read one or two detectors.
 */
export function unpackDetectors(packed: PackedDetectors): DetectorResults | null {
  if (packed.failure || packed.detectors.length === 0) return null;
  const out = {} as DetectorResults;
  for (const p of packed.detectors) {
    let cached: DetectorResult | null = null;
    Object.defineProperty(out, p.name, {
      enumerable: true,
      get: (): DetectorResult =>
        (cached ??= {
          name: p.name,
          slices: Array.from(p.slices),
          confidence: Array.from(p.confidence),
          reasons: Array.from(p.reasonIndex, (k) => reasonTextOf(p, k)),
          reason: p.reason,
          count: p.count,
          setup: p.setup,
          setupScopes: Array.from(p.setupScopes),
          kernels: p.kernels,
          applications: Array.from(p.applications),
          totalNs: p.totalNs,
          latency: p.latency,
        }),
    });
  }
  return out;
}

/** Reason text `k` of a packed detector. */
export function reasonTextOf(p: Pick<PackedDetector, 'reasonText' | 'reasonEnds' | 'launches'>, k: number): string {
  if (p.launches) return launchReason(p.launches.names[p.launches.name[k]], p.launches.latencyNs[k]);
  return p.reasonText.slice(k > 0 ? p.reasonEnds[k - 1] : 0, p.reasonEnds[k]);
}

/** The detector hits of one slice (for the details panel): one pass over the matches of each detector. */
export function detectorHitsOf(packed: PackedDetectors, id: SliceId): Array<{ detector: DetectorName; confidence: number; reason: string }> {
  const out: Array<{ detector: DetectorName; confidence: number; reason: string }> = [];
  if (packed.firstDetector[id] === undefined || packed.firstDetector[id] < 0) return out;
  for (const p of packed.detectors) {
    const i = p.slices.indexOf(id);
    if (i >= 0) out.push({ detector: p.name, confidence: p.confidence[i], reason: reasonTextOf(p, p.reasonIndex[i]) });
  }
  return out;
}

/**
 * The other whole-trace passes that answer checks ask lib/analysis for: the
 * host ↔ device links (a find exercise that accepts the launching call, a
 * scope query, launch latency). Computed in the worker so that the first
 * check on the page does not walk every slice and flow.
 */
export interface PageMemo {
  links: Links | null;
  /**
   * Each device's overlap over the whole trace (a measure exercise's answer),
   * without its lanes: the page takes those from `TrackAnalysis.deviceLanes`,
   * where the same arrays already came.
   */
  overlaps: Array<Omit<OverlapResult, 'lanes'>>;
  /** The per-step breakdown (step-trace.ts; the upload page's table); null when it failed. */
  stepTrace: StepTraceRow[] | null;
}

/** The step table (step-trace.ts), or null when it failed (the page then computes it on demand). */
export function analyzeStepTrace(model: TraceModel): StepTraceRow[] | null {
  try {
    return stepTraceTime(model);
  } catch {
    return null;
  }
}

/**
 * `stepTrace`: computed earlier by the caller (host.ts runs it before the
 * detectors, so its sorting buffers are garbage before the detectors' are made:
 * at 1 GB computing it last raised the renderer's peak by ~0.1× the file).
 */
export function analyzeMemo(model: TraceModel, tracks: TrackAnalysis, stepTrace: StepTraceRow[] | null = analyzeStepTrace(model)): PageMemo {
  let links: Links | null = null;
  const overlaps: PageMemo['overlaps'] = [];
  try {
    links = launchLinks(model);
    for (const d of tracks.deviceLanes) {
      const { lanes: _, ...scalars } = overlapForDevice(model, d.deviceKey);
      overlaps.push(scalars);
    }
  } catch {
    /* the page computes what is missing on demand, and reports an error where it is used */
  }
  return { links, overlaps, stepTrace };
}

export function transferablesOfMemo(m: PageMemo): ArrayBuffer[] {
  return m.links ? [m.links.launcher.buffer as ArrayBuffer, m.links.context.buffer as ArrayBuffer] : [];
}

/** Seeds lib/analysis' memo of `model` with what the worker computed (see the file comment). */
export function primeAnalysis(model: TraceModel, tracks: TrackAnalysis | null, detectors: PackedDetectors | null, memo: PageMemo | null = null): void {
  if (tracks && !tracks.failures.some((f) => f.startsWith('devices'))) primeMemo(model, 'devices', tracks.devices);
  if (tracks && !tracks.failures.some((f) => f.startsWith('steps'))) primeMemo(model, 'steps', tracks.steps);
  // One entry per slice: built when a checker first asks, not while the page takes the model.
  const codes = tracks?.workKindCodes;
  if (codes && !tracks.failures.some((f) => f.startsWith('work kinds'))) primeMemoLazily(model, 'sliceKinds', () => Array.from(codes, (c) => (c < 0 ? null : WORK_KINDS[c])));
  const results = detectors ? unpackDetectors(detectors) : null;
  if (results) primeMemo(model, 'detectors', results);
  if (memo?.links) primeMemo(model, 'links', memo.links);
  if (memo?.stepTrace) primeMemo(model, 'stepTrace', memo.stepTrace);
  for (const o of memo?.overlaps ?? []) {
    const lanes = tracks?.deviceLanes.find((d) => d.deviceKey === o.deviceKey)?.lanes;
    const lane = (name: string) => lanes?.find((l) => l.name === name)?.intervals;
    const [computing, communication, communicationNotOverlapped, free] = OVERLAP_LANE_NAMES.map(lane);
    if (computing && communication && communicationNotOverlapped && free) {
      primeMemo(model, `overlap:${o.deviceKey}`, { ...o, lanes: { computing, communication, communicationNotOverlapped, free } } satisfies OverlapResult);
    }
  }
}

export function transferablesOfTracks(a: TrackAnalysis): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>([a.workKindCodes.buffer as ArrayBuffer]);
  for (const d of a.deviceLanes) {
    for (const l of d.lanes) {
      if (l.intervals.buffer instanceof ArrayBuffer) buffers.add(l.intervals.buffer);
      for (const level of l.levels ?? []) if (level.set) buffers.add(level.set.buffer as ArrayBuffer);
    }
  }
  return [...buffers];
}

export function transferablesOfDetectors(p: PackedDetectors): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>([p.firstDetector.buffer as ArrayBuffer]);
  for (const d of p.detectors) {
    for (const a of [d.slices, d.confidence, d.reasonIndex, d.reasonEnds, d.applications, d.setupScopes]) buffers.add(a.buffer as ArrayBuffer);
    if (d.launches) for (const a of [d.launches.name, d.launches.latencyNs]) buffers.add(a.buffer as ArrayBuffer);
  }
  return [...buffers];
}
