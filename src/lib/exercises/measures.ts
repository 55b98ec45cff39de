/**
 * Named measures: the reference value of a measure/compare exercise, computed
 * from the trace, never typed in by the author.
 *
 * A measure gives one or more instances ("how long is one layer" has one per
 * layer), each a value in canonical units (ns, fraction, count) and, when it
 * is a stretch of time the learner can select, its range.
 *
 *   scope-duration   a host scope (on: 'host') or the device work launched
 *                    under it, first start → last end (on: 'device')
 *   slice-duration   the matched slices
 *   step-duration    profiler steps
 *   overlap.*        Computing / Communication / ...(Not Overlapped) / Free /
 *                    span / overlapped ns / overlap ratio of a device (or step)
 *   gpu-idle         busy, idle and idle-by-cause totals of a device
 *   idle-gap         one idle gap: the longest, or the n-th in time order
 *   launch-latency   distribution stat, or per matched device slice
 *                    (host launch start → device start)
 *   detector-total   summed duration of a detector's matches
 *   count            number of matched slices
 *   kernel-group     summed duration of the device kernels in one group of
 *                    the run diff (normalised name, or a /regex/ on it); 0
 *                    when the run has no such kernel
 *
 * With no `device`, the first device of the trace is used (GPUs before NPUs,
 * then by index), which is the only one in single-rank samples.
 */
import { clip, totalNs } from '../analysis/intervals.ts';
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import type { Analysis } from './analysis.ts';
import { resolveQuery, resolverFor } from './query.ts';
import { compilePattern } from './validator.ts';
import type { MeasureSpec } from './schema.ts';
import { measureInfo } from './schema-parts.ts';
import type { Quantity } from './units.ts';

export interface TimeRange {
  startNs: Ns;
  endNs: Ns;
}

export interface MeasureInstance {
  value: number;
  range?: TimeRange;
  /** Slices the instance is about, for "Show me". */
  sliceIds?: SliceId[];
}

export interface MeasureResult {
  quantity: Quantity;
  instances: MeasureInstance[];
  /** Why there is no instance (e.g. "no device npu:3 in this trace"); absent when there are some. */
  missing?: string;
}

function deviceKey(model: TraceModel, a: Analysis, key: string | undefined): string | null {
  const devs = a.devices(model);
  if (key === undefined) return devs[0]?.key ?? null;
  return devs.some((d) => d.key === key) ? key : null;
}

function stepRange(model: TraceModel, a: Analysis, step: number | undefined): TimeRange | null | undefined {
  if (step === undefined) return undefined;
  const s = a.steps(model)[step];
  return s ? { startNs: s.startNs, endNs: s.endNs } : null;
}

function pickIndex<T>(list: T[], index: number | undefined): T[] {
  if (index === undefined) return list;
  const i = index < 0 ? list.length + index : index;
  return i >= 0 && i < list.length ? [list[i]] : [];
}

const sliceInstance = (model: TraceModel, s: SliceId): MeasureInstance => ({
  value: model.slices.durNs[s],
  range: { startNs: model.slices.startNs[s], endNs: model.slices.startNs[s] + model.slices.durNs[s] },
  sliceIds: [s],
});

export function computeMeasure(model: TraceModel, a: Analysis, m: MeasureSpec): MeasureResult {
  const quantity = measureInfo(m).quantity;
  const none = (missing: string): MeasureResult => ({ quantity, instances: [], missing });
  const done = (instances: MeasureInstance[], missing: string): MeasureResult =>
    instances.length ? { quantity, instances } : none(missing);

  switch (m.measure) {
    case 'scope-duration': {
      const r = resolverFor(model, a);
      const inst = r.scopesIn({ scope: m.scope, index: m.index }, { step: m.step, within: m.within });
      if (m.on === 'host') return done(inst.map((s) => sliceInstance(model, s)), `no scope ${m.scope} here`);
      const out: MeasureInstance[] = [];
      for (const s of inst) {
        const work = r.workUnder(s);
        if (!work.length) continue;
        let start = Infinity;
        let end = -Infinity;
        for (const k of work) {
          start = Math.min(start, model.slices.startNs[k]);
          end = Math.max(end, model.slices.startNs[k] + model.slices.durNs[k]);
        }
        out.push({ value: end - start, range: { startNs: start, endNs: end }, sliceIds: work });
      }
      return done(out, `no device work under ${m.scope}`);
    }
    case 'slice-duration':
      return done(resolveQuery(model, a, m.target).map((s) => sliceInstance(model, s)), 'no slice matches the target');
    case 'step-duration': {
      const steps = pickIndex(a.steps(model), m.index);
      return done(
        steps.map((s) => ({ value: s.endNs - s.startNs, range: { startNs: s.startNs, endNs: s.endNs }, sliceIds: [s.slice] })),
        'no profiler step found',
      );
    }
    case 'gpu-idle': {
      const dev = deviceKey(model, a, m.device);
      if (!dev) return none(`no device ${m.device ?? ''} in this trace`);
      const b = a.busy(model, dev);
      const range = stepRange(model, a, m.step);
      if (range === null) return none(`no step ${m.step}`);
      const part = m.part ?? 'idle';
      if (range) {
        // The causes are attributed per whole gap (its sync share is a length, not an interval), so a
        // gap cut by the step's edge cannot be split exactly: refuse rather than return plain idle time.
        if (part !== 'busy' && part !== 'idle') return none(`gpu-idle part "${part}" is computed for the whole trace only; use part "idle" or "busy" with a step`);
        const set = part === 'busy' ? b.busy : b.idle;
        return { quantity, instances: [{ value: totalNs(clip(set, range.startNs, range.endNs)), range }] };
      }
      const value = {
        idle: b.idleNs,
        busy: b.busyNs,
        'host-bound': b.hostBoundNs,
        sync: b.syncNs,
        queued: b.queuedNs,
        unknown: b.unknownNs,
      }[part];
      return { quantity, instances: [{ value }] };
    }
    case 'idle-gap': {
      const dev = deviceKey(model, a, m.device);
      if (!dev) return none(`no device ${m.device ?? ''} in this trace`);
      const range = stepRange(model, a, m.step);
      if (range === null) return none(`no step ${m.step}`);
      let gaps = a.busy(model, dev).gaps.map((g) => ({ startNs: g.startNs, endNs: g.endNs, next: g.next }));
      if (range) {
        gaps = gaps
          .map((g) => ({ ...g, startNs: Math.max(g.startNs, range.startNs), endNs: Math.min(g.endNs, range.endNs) }))
          .filter((g) => g.endNs > g.startNs);
      }
      let chosen = gaps;
      if (m.which === 'longest') {
        const best = gaps.reduce<(typeof gaps)[number] | null>((x, g) => (!x || g.endNs - g.startNs > x.endNs - x.startNs ? g : x), null);
        chosen = best ? [best] : [];
      } else chosen = pickIndex(gaps, m.which);
      return done(
        chosen.map((g) => ({ value: g.endNs - g.startNs, range: { startNs: g.startNs, endNs: g.endNs }, sliceIds: g.next >= 0 ? [g.next] : [] })),
        'no idle gap',
      );
    }
    case 'launch-latency': {
      if (m.stat) {
        const lat = a.detectors(model).launch_latency.latency;
        if (!lat || a.detectors(model).launch_latency.count === 0) return none('no launch links in this trace');
        const value = { p50: lat.p50Ns, p90: lat.p90Ns, p99: lat.p99Ns, max: lat.maxNs }[m.stat];
        return { quantity, instances: [{ value }] };
      }
      const launcher = a.links(model).launcher;
      const out: MeasureInstance[] = [];
      for (const s of resolveQuery(model, a, m.target!)) {
        const h = launcher[s];
        if (h < 0) continue;
        const startNs = model.slices.startNs[h];
        const endNs = model.slices.startNs[s];
        if (endNs < startNs) continue;
        out.push({ value: endNs - startNs, range: { startNs, endNs }, sliceIds: [h, s] });
      }
      return done(out, 'no launched slice matches the target');
    }
    case 'detector-total': {
      const r = a.detectors(model)[m.detector];
      const res = resolverFor(model, a);
      const ids = m.device === undefined ? r.slices : r.slices.filter((s) => res.deviceOf(s) === m.device);
      if (!ids.length) return none(`the ${m.detector} detector found nothing`);
      let total = 0;
      for (const s of ids) total += model.slices.durNs[s];
      return { quantity, instances: [{ value: total, sliceIds: ids }] };
    }
    case 'count': {
      const ids = resolveQuery(model, a, m.target);
      return { quantity, instances: [{ value: ids.length, sliceIds: ids }] };
    }
    case 'kernel-group': {
      const test = compilePattern(m.group);
      if (typeof test === 'string') return none(test);
      const res = resolverFor(model, a);
      const ids: SliceId[] = [];
      for (const g of a.kernelGroups(model).groups.values()) if (test(g.name)) for (const s of g.slices) if (m.device === undefined || res.deviceOf(s) === m.device) ids.push(s);
      // A group absent from a run took no time in it (0 → 147.8 ms is the point of a compare).
      let total = 0;
      for (const s of ids) total += model.slices.durNs[s];
      return { quantity, instances: [{ value: total, sliceIds: ids.sort((x, y) => x - y) }] };
    }
    default: {
      const dev = deviceKey(model, a, m.device);
      if (!dev) return none(`no device ${m.device ?? ''} in this trace`);
      const range = stepRange(model, a, m.step);
      if (range === null) return none(`no step ${m.step}`);
      const o = a.overlap(model, dev, range);
      const value = {
        'overlap.computing': o.computingNs,
        'overlap.communication': o.communicationNs,
        'overlap.communication_not_overlapped': o.communicationNotOverlappedNs,
        'overlap.overlapped': o.overlappedNs,
        'overlap.free': o.freeNs,
        'overlap.span': o.spanNs,
        'overlap.ratio': o.overlapRatio,
      }[m.measure];
      if (value === null || value === undefined) return none('no communication on this device');
      return { quantity, instances: [{ value, range: range ?? undefined }] };
    }
  }
}

/** One number for a measure: its only instance, or the sum of several (used by compare). */
export function totalOf(r: MeasureResult): number | null {
  if (!r.instances.length) return null;
  if (r.quantity === 'ratio' && r.instances.length > 1) return null;
  return r.instances.reduce((s, i) => s + i.value, 0);
}

/** Middle instance value, for showing "the reference" of a many-instance measure. */
export function medianOf(r: MeasureResult): number | null {
  if (!r.instances.length) return null;
  const v = r.instances.map((i) => i.value).sort((x, y) => x - y);
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}
