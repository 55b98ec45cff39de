/**
 * Lesson exercises re-targeted to a trace the learner brought: "find an
 * all-reduce", "find RoPE", "find paged attention", "find the KV-cache write",
 * "find an event wait", "measure one layer (host time)", "measure one layer
 * (device span)", "measure one step" and "what share of communication is
 * hidden". Each becomes an ordinary exercise in the schema of
 * schema.ts, so the Exercise UI and the checkers work on it unchanged; its
 * targets are the detectors' matches in *this* trace.
 *
 * When the detector behind an exercise finds nothing, the slot says so and why
 * (`status: 'missing'`) instead of producing an exercise that cannot be solved.
 *
 * Every ready exercise carries a known wrong answer chosen from the trace and
 * checked here to be rejected, so `verifyExercise` holds for it as for a
 * lesson's exercise (retarget.test.ts runs it on real traces).
 */
import { COLLECTIVE_NAMES, type DetectorName } from '../analysis/detectors/types.ts';
import { scopeKey } from '../analysis/detectors/semantic.ts';
import { isHostTrack } from '../analysis/devices.ts';
import { perString } from '../analysis/access.ts';
import type { SliceId, TraceModel } from '../trace/model.ts';
import type { Analysis } from './analysis.ts';
import { checkAnswer } from './check.ts';
import { computeMeasure } from './measures.ts';
import { resolveQuery } from './query.ts';
import type { Answer, Exercise, FindExercise, FindNearMiss, L10n, MeasureExercise, MeasureNearMiss, MeasureSpec } from './schema.ts';
import { M } from './retarget-text.ts';

export type RetargetId =
  | 'find-collective'
  | 'find-rope'
  | 'find-paged-attention'
  | 'find-kv-cache-write'
  | 'find-event-wait'
  | 'measure-layer-host'
  | 'measure-layer-device'
  | 'measure-step'
  | 'overlap-hidden';

export const RETARGET_IDS: readonly RetargetId[] = [
  'find-collective',
  'find-rope',
  'find-paged-attention',
  'find-kv-cache-write',
  'find-event-wait',
  'measure-layer-host',
  'measure-layer-device',
  'measure-step',
  'overlap-hidden',
];

export type RetargetSlot =
  | { id: RetargetId; title: L10n; status: 'ready'; exercise: Exercise }
  | { id: RetargetId; title: L10n; status: 'missing'; reason: L10n };

/**
 * The exercises for one trace. `traceRef` becomes each exercise's `trace`
 * (no spaces; the upload page uses `upload:<sha-256 prefix>`), which the
 * widgets only use as a label since the model is handed to them directly.
 */
export function retargetExercises(model: TraceModel, a: Analysis, traceRef: string): RetargetSlot[] {
  const ref = traceRef.replace(/\s+/g, '_') || 'upload';
  // Metadata only: not a CPU-only trace, nothing happened at any time.
  if (model.slices.length + model.instants.length + model.counters.length === 0) return RETARGET_IDS.map((id) => missing(id, M.noTimedEvents));
  return [
    findCollective(model, a, ref),
    findDetector(model, a, ref, 'find-rope', 'rope'),
    findDetector(model, a, ref, 'find-paged-attention', 'paged_attention'),
    findDetector(model, a, ref, 'find-kv-cache-write', 'kv_cache_write'),
    findEventWait(model, a, ref),
    measureLayer(model, a, ref),
    measureLayerDevice(model, a, ref),
    measureStep(model, a, ref),
    overlapHidden(model, a, ref),
  ];
}

const missing = (id: RetargetId, reason: L10n): RetargetSlot => ({ id, title: M.title[id], status: 'missing', reason });

function hasDevices(model: TraceModel, a: Analysis): boolean {
  return a.devices(model).length > 0;
}

function findCollective(model: TraceModel, a: Analysis, ref: string): RetargetSlot {
  const d = a.detectors(model);
  const present = COLLECTIVE_NAMES.filter((n) => d[n].count > 0);
  if (!present.length) {
    if (!hasDevices(model, a)) return missing('find-collective', M.noDevice);
    const world = worldSize(model);
    return missing('find-collective', world !== null && world > 1 ? M.noCollectiveMultiRank(world) : M.noCollective(model.format === 'ascend'));
  }
  // All-reduce when there is one (the lessons' example), else the most frequent kind.
  const kind = present.includes('all_reduce') ? 'all_reduce' : [...present].sort((x, y) => d[y].count - d[x].count)[0];
  const nearMisses: FindNearMiss[] = present
    .filter((n) => n !== kind)
    .map((n) => ({ id: `other-${n}`, match: { detector: n }, feedback: M.otherCollective(n, kind) }));
  return findExercise(model, a, ref, 'find-collective', kind, nearMisses, M.collectiveText(kind, d[kind].count));
}

type SemanticId = 'find-rope' | 'find-paged-attention' | 'find-kv-cache-write';

function findDetector(model: TraceModel, a: Analysis, ref: string, id: SemanticId, det: DetectorName): RetargetSlot {
  const r = a.detectors(model)[det];
  if (!r.count) return missing(id, hasDevices(model, a) ? M.noSemantic[id] : M.noDevice);
  return findExercise(model, a, ref, id, det, [], M.semanticText(id, r.count, r.kernels));
}

function findEventWait(model: TraceModel, a: Analysis, ref: string): RetargetSlot {
  const r = a.detectors(model).event_wait;
  if (!r.count) {
    if (!hasDevices(model, a)) return missing('find-event-wait', M.noDevice);
    return missing('find-event-wait', model.format === 'ascend' ? M.noWaitAscend : M.noWaitGpu);
  }
  const sync = a.detectors(model).sync;
  const nearMisses: FindNearMiss[] = sync.count ? [{ id: 'host-sync', match: { detector: 'sync' }, feedback: M.hostSync }] : [];
  // Say what the trace shows: device-side waits, or only the host calls that queue them.
  const onDevice = r.slices.some((s) => !isHostTrack(model, model.slices.track[s]));
  const text = onDevice ? M.waitText(model.format === 'ascend', r.count) : M.waitHostText(r.count);
  return findExercise(model, a, ref, 'find-event-wait', 'event_wait', nearMisses, text);
}

interface FindText {
  prompt: L10n;
  hints: L10n[];
  explanation: L10n;
}

function findExercise(
  model: TraceModel,
  a: Analysis,
  ref: string,
  id: RetargetId,
  detector: DetectorName,
  nearMisses: FindNearMiss[],
  text: FindText,
): RetargetSlot {
  const ex: FindExercise = {
    id: `upload-${id}`,
    kind: 'find',
    title: M.title[id],
    trace: ref,
    ...text,
    target: { detector },
    ...(nearMisses.length ? { nearMisses } : {}),
    solution: { kind: 'slice', query: { detector, nth: showMeIndex(model, a, detector) } },
    wrongAnswers: [],
  };
  const wrong = wrongSlice(model, a, ex);
  if (wrong === null) return missing(id, M.onlyTarget);
  ex.wrongAnswers = [{ answer: { kind: 'slice', sliceId: wrong }, note: 'a slice of another kind, picked from this trace' }];
  return { id, title: M.title[id], status: 'ready', exercise: ex };
}

/**
 * Which match "Show me" points at: the first kernel of the application with
 * the most kernels (earliest on ties), setup scopes left out. HF's eager RoPE
 * has a cos/sin table scope before the first `apply_rotary_pos_emb`; the first
 * match in time would be a table kernel, not RoPE as the model applies it.
 * Fused kernels are one per application, so this is the first match.
 */
function showMeIndex(model: TraceModel, a: Analysis, detector: DetectorName): number {
  const r = a.detectors(model)[detector];
  const size = new Map<SliceId, number>();
  for (const app of r.applications) size.set(app, (size.get(app) ?? 0) + 1);
  // Setup scopes (the cos/sin table) are RoPE's kernels but not RoPE as the model applies it.
  const setup = new Set(r.setupScopes);
  let best = -1;
  for (let i = 0; i < r.slices.length; i++) {
    if (setup.has(r.applications[i])) continue;
    const n = size.get(r.applications[i])!;
    if (best < 0 || n > size.get(r.applications[best])! || (n === size.get(r.applications[best])! && model.slices.startNs[r.slices[i]] < model.slices.startNs[r.slices[best]])) best = i;
  }
  if (best < 0) return 0;
  const order = resolveQuery(model, a, { detector });
  return Math.max(0, order.indexOf(r.slices[best]));
}

/**
 * A slice the checker rejects: device work of another kind first (the mistake
 * a learner makes), else any other slice. Each candidate goes through the real
 * checker, because a host call or annotation may count as the target.
 */
function wrongSlice(model: TraceModel, a: Analysis, ex: FindExercise): SliceId | null {
  const targets = new Set(resolveQuery(model, a, ex.target));
  const d = a.detectors(model);
  const candidates: SliceId[] = [];
  for (const other of ['matmul', 'norm', 'activation', 'attention', 'sync', 'event_wait', ...COLLECTIVE_NAMES] as const) {
    if (other === ex.target.detector) continue;
    candidates.push(...d[other].slices.slice(0, 3));
  }
  const n = model.slices.length;
  for (let i = 0; i < 12 && n; i++) candidates.push(Math.floor(((i + 0.5) / 12) * n));
  for (const s of candidates) {
    if (targets.has(s)) continue;
    const r = checkAnswer(ex, { model }, a, { kind: 'slice', sliceId: s });
    if (!r.correct && !r.unavailable) return s;
  }
  return null;
}

/** The first host scope named like a decoder layer, as a scope pattern the queries accept. */
function layerScope(model: TraceModel): string | null {
  const layerName = perString(model, 'retarget:decoderLayerName', (name) => /DecoderLayer/.test(name));
  for (let s = 0; s < model.slices.length; s++) {
    if (!layerName(model.slices.name[s]) || !isHostTrack(model, model.slices.track[s])) continue;
    const name = model.strings[model.slices.name[s]];
    const key = scopeKey(name);
    if (/^[A-Za-z0-9_]+$/.test(key)) return key;
  }
  return null;
}

function measureLayer(model: TraceModel, a: Analysis, ref: string): RetargetSlot {
  const scope = layerScope(model);
  if (!scope) return missing('measure-layer-host', a.steps(model).length ? M.noLayersStep : M.noLayers);
  const step = a.steps(model).length ? 0 : undefined;
  const measure = { measure: 'scope-duration', scope, on: 'host', ...(step !== undefined ? { step } : {}) } as const;
  const host = computeMeasure(model, a, measure);
  if (!host.instances.length) return missing('measure-layer-host', M.noLayers);
  const ex: MeasureExercise = {
    id: 'upload-measure-layer-host',
    kind: 'measure',
    title: M.title['measure-layer-host'],
    trace: ref,
    ...M.layerText(scope, host.instances.length),
    measure,
    unit: 'ms',
    tolerance: { relative: 0.05 },
    solution: { kind: 'range', of: { scope, on: 'host', ...(step !== undefined ? { step } : {}), nth: 0 } },
    wrongAnswers: [],
  };
  const device = computeMeasure(model, a, { ...measure, on: 'device' });
  const clash = device.instances.some((x) => host.instances.some((h) => Math.abs(x.value - h.value) <= 0.05 * Math.abs(h.value)));
  if (device.instances.length && !clash) {
    ex.nearMisses = [{ id: 'device-time', measure: { ...measure, on: 'device' }, feedback: M.layerDeviceTime }];
    ex.wrongAnswers.push({ answer: { kind: 'value', value: device.instances[0].value / 1e6, unit: 'ms' }, nearMiss: 'device-time' });
  }
  return finishMeasure(model, a, ex, maxOf(host.instances));
}

/**
 * One decoder layer's device span: first start → last end of the device work
 * launched under the layer's host scope (the scope-duration measure on the
 * device), found like the host-time slot. Its host time is the near miss.
 */
function measureLayerDevice(model: TraceModel, a: Analysis, ref: string): RetargetSlot {
  const id = 'measure-layer-device';
  if (!hasDevices(model, a)) return missing(id, M.noDevice);
  const scope = layerScope(model);
  if (!scope) return missing(id, M.noLayersDevice);
  const step = a.steps(model).length ? 0 : undefined;
  const measure = { measure: 'scope-duration', scope, on: 'device', ...(step !== undefined ? { step } : {}) } as const;
  const device = computeMeasure(model, a, measure);
  const host = computeMeasure(model, a, { ...measure, on: 'host' });
  // No layer in the measured step: said as no layers, like the host-time slot; layers with no linked kernels: said so.
  if (!host.instances.length) return missing(id, M.noLayersDevice);
  const first = device.instances.find((x) => x.range);
  if (!first?.range) return missing(id, M.noLayerDeviceWork(scope));
  const ex: MeasureExercise = {
    id: `upload-${id}`,
    kind: 'measure',
    title: M.title[id],
    trace: ref,
    ...M.layerDeviceText(scope, device.instances.length, step !== undefined),
    measure,
    unit: 'ms',
    tolerance: { relative: 0.05 },
    solution: { kind: 'range', startNs: first.range.startNs, endNs: first.range.endNs },
    wrongAnswers: [],
  };
  const clash = host.instances.some((h) => device.instances.some((x) => Math.abs(x.value - h.value) <= 0.05 * Math.abs(x.value)));
  if (host.instances.length && !clash) {
    ex.nearMisses = [{ id: 'host-time', measure: { ...measure, on: 'host' }, feedback: M.layerHostTime }];
    ex.wrongAnswers.push({ answer: { kind: 'value', value: host.instances[0].value / 1e6, unit: 'ms' }, nearMiss: 'host-time' });
  }
  return finishMeasure(model, a, ex, maxOf(device.instances));
}

function measureStep(model: TraceModel, a: Analysis, ref: string): RetargetSlot {
  const steps = a.steps(model);
  if (!steps.length) return missing('measure-step', M.noSteps);
  const s = steps[0];
  const host = isHostTrack(model, model.slices.track[s.slice]);
  const ex: MeasureExercise = {
    id: 'upload-measure-step',
    kind: 'measure',
    title: M.title['measure-step'],
    trace: ref,
    ...M.stepText(s.name, steps.length),
    measure: { measure: 'step-duration', index: 0 },
    unit: 'ms',
    tolerance: { relative: 0.03 },
    solution: { kind: 'range', of: { name: s.name, on: host ? 'host' : 'device', nth: 0 } },
    wrongAnswers: [],
  };
  // The device side of the same step (its GPU annotation, or the span of the work it launched) is another length:
  // an answer that measured it gets that said, not a bare "too high".
  const stepNs = s.endNs - s.startNs;
  const nearMisses: MeasureNearMiss[] = [];
  const deviceSides: MeasureSpec[] = [
    { measure: 'slice-duration', target: { name: s.name, on: 'device', nth: 0 } },
    { measure: 'scope-duration', scope: s.name, on: 'device', index: 0 },
  ];
  for (const measure of deviceSides) {
    if (!host) break;
    const v = computeMeasure(model, a, measure).instances[0]?.value;
    if (v === undefined || Math.abs(v - stepNs) <= 0.03 * stepNs) continue;
    if (nearMisses.some((nm) => nm.measure && Math.abs((computeMeasure(model, a, nm.measure).instances[0]?.value ?? NaN) - v) <= 0.03 * v)) continue;
    nearMisses.push({ id: `device-span-${nearMisses.length}`, measure, feedback: M.stepDeviceSpan(v > stepNs) });
  }
  if (nearMisses.length) ex.nearMisses = nearMisses;
  return finishMeasure(model, a, ex, stepNs);
}

/** The device with the most communication, and its overlap; null when no device communicates. */
function communicatingDevice(model: TraceModel, a: Analysis) {
  let best: { key: string; label: string; ratio: number; commNs: number } | null = null;
  for (const dev of a.devices(model)) {
    const o = a.overlap(model, dev.key);
    if (o.overlapRatio === null || o.communicationNs <= 0) continue;
    if (!best || o.communicationNs > best.commNs) best = { key: dev.key, label: dev.label, ratio: o.overlapRatio, commNs: o.communicationNs };
  }
  return best;
}

function overlapHidden(model: TraceModel, a: Analysis, ref: string): RetargetSlot {
  if (!hasDevices(model, a)) return missing('overlap-hidden', M.noDevice);
  const dev = communicatingDevice(model, a);
  if (!dev) return missing('overlap-hidden', M.noCommunication);
  const ex: MeasureExercise = {
    id: 'upload-overlap-hidden',
    kind: 'measure',
    title: M.title['overlap-hidden'],
    trace: ref,
    ...M.overlapText(dev.key, dev.label, model.format === 'ascend'),
    measure: { measure: 'overlap.ratio', device: dev.key },
    answerWith: 'value',
    unit: '%',
    tolerance: { absolute: 2 },
    solution: { kind: 'value', value: round(dev.ratio * 100, 2), unit: '%' },
    wrongAnswers: [],
  };
  // The share *not* hidden is the classic mix-up; fall back to a far value when the two are close.
  const notHidden = round((1 - dev.ratio) * 100, 2);
  const far = Math.abs(notHidden - dev.ratio * 100) > 5 ? notHidden : round(((dev.ratio * 100 + 50) % 100) + 0.5, 2);
  ex.wrongAnswers.push({ answer: { kind: 'value', value: far, unit: '%' }, note: 'the share that is not hidden' });
  return { id: 'overlap-hidden', title: M.title['overlap-hidden'], status: 'ready', exercise: ex };
}

/** Adds a typed wrong value (3× the largest instance, checked to be rejected) and returns the slot. */
function finishMeasure(model: TraceModel, a: Analysis, ex: MeasureExercise, largestNs: number): RetargetSlot {
  const id = ex.id.replace(/^upload-/, '') as RetargetId;
  for (const factor of [3, 10, 0.2]) {
    const answer: Answer = { kind: 'value', value: round((largestNs * factor) / 1e6, 6), unit: 'ms' };
    const r = checkAnswer(ex, { model }, a, answer);
    if (!r.correct && !r.unavailable) {
      ex.wrongAnswers.push({ answer, note: `${factor}× the longest instance` });
      break;
    }
  }
  if (!ex.wrongAnswers.length) return missing(id, M.onlyTarget);
  return { id, title: M.title[id], status: 'ready', exercise: ex };
}

function maxOf(instances: Array<{ value: number }>): number {
  return instances.reduce((m, i) => Math.max(m, i.value), 0);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** `distributedInfo.world_size` of a Kineto trace, when written. */
function worldSize(model: TraceModel): number | null {
  const info = model.metadata.distributedInfo as { world_size?: unknown } | undefined;
  return typeof info?.world_size === 'number' ? info.world_size : null;
}
