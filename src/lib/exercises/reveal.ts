/**
 * "Show me": what an exercise's answer looks like on the timeline, derived
 * from its target or measure (or its explicit `showMe`). The UI turns a
 * Reveal into the timeline handle's calls: showRange(window), highlight(...),
 * and select(the slice) when there is exactly one.
 */
import { endOf } from '../analysis/access.ts';
import type { SliceId, TraceModel } from '../trace/model.ts';
import type { Analysis } from './analysis.ts';
import type { Traces } from './check.ts';
import { computeMeasure, type TimeRange } from './measures.ts';
import { resolveQuery } from './query.ts';
import type { Exercise, L10n, MeasureSpec, ShowMeSpec, SliceQuery } from './schema.ts';

export type TraceRole = 'model' | 'before' | 'after';

export interface Reveal {
  /** Which of the exercise's traces this is about. */
  role: TraceRole;
  sliceIds: SliceId[];
  /** Time ranges to shade (measured stretches, idle gaps). */
  ranges: TimeRange[];
  /** What to zoom to: the first instance, padded; null when nothing resolved. */
  window: TimeRange | null;
  label: L10n;
}

const DEFAULT_LABEL: L10n = { en: 'answer', 'zh-CN': '答案' };

/** A range with a margin on both sides, so the thing is seen in its surroundings. */
export function padded(r: TimeRange, model: TraceModel): TimeRange {
  const pad = Math.round(Math.max(1000, (r.endNs - r.startNs) * 0.25));
  return { startNs: Math.max(0, r.startNs - pad), endNs: Math.min(Math.max(model.endNs, r.endNs), r.endNs + pad) };
}

function sliceRange(model: TraceModel, s: SliceId): TimeRange {
  return { startNs: model.slices.startNs[s], endNs: endOf(model, s) };
}

function fromQuery(model: TraceModel, a: Analysis, q: SliceQuery, role: TraceRole, label: L10n): Reveal {
  const ids = resolveQuery(model, a, q);
  return { role, sliceIds: ids, ranges: [], window: ids.length ? padded(sliceRange(model, ids[0]), model) : null, label };
}

function fromMeasure(model: TraceModel, a: Analysis, m: MeasureSpec, role: TraceRole, label: L10n): Reveal {
  const r = computeMeasure(model, a, m);
  const ranges = r.instances.flatMap((i) => (i.range ? [i.range] : []));
  // Slices are outlined only when few; a detector total can cover thousands.
  const ids = r.instances.flatMap((i) => i.sliceIds ?? []);
  const sliceIds = ids.length <= 200 ? ids : [];
  const first = ranges[0] ?? (sliceIds.length ? sliceRange(model, sliceIds[0]) : null);
  return { role, sliceIds, ranges, window: first ? padded(first, model) : null, label };
}

function fromShowMe(model: TraceModel, a: Analysis, s: ShowMeSpec, role: TraceRole, label: L10n): Reveal {
  const base = s.target ? fromQuery(model, a, s.target, role, label) : { role, sliceIds: [], ranges: [], window: null, label };
  if (s.range) {
    base.ranges = [s.range];
    base.window = padded(s.range, model);
  }
  return base;
}

/** The slice an exercise's reference solution picks (a re-targeted find's "Show me" choice), if it is one. */
export function solutionSlice(model: TraceModel, a: Analysis, spec: Exercise['solution']): SliceId | null {
  if (spec.kind !== 'slice') return null;
  if ('query' in spec) return resolveQuery(model, a, spec.query)[0] ?? null;
  return spec.sliceId;
}

/**
 * All targets stay outlined, but the view goes to the solution's slice when it is one of them: the first
 * target in time can be a poor example (HF's RoPE: a cos/sin table kernel before the first
 * apply_rotary_pos_emb).
 */
function leadWith(model: TraceModel, r: Reveal, lead: SliceId | null): Reveal {
  const i = lead === null ? -1 : r.sliceIds.indexOf(lead);
  if (i <= 0) return r;
  const sliceIds = [r.sliceIds[i], ...r.sliceIds.slice(0, i), ...r.sliceIds.slice(i + 1)];
  return { ...r, sliceIds, window: padded(sliceRange(model, sliceIds[0]), model) };
}

/** What "Show me" reveals on each trace of the exercise (empty when nothing is loaded). */
export function resolveTarget(ex: Exercise, traces: Traces, a: Analysis): Reveal[] {
  const label = ex.showMe?.label ?? DEFAULT_LABEL;
  const roles: TraceRole[] = ex.kind === 'compare' ? ['before', 'after'] : ['model'];
  const out: Reveal[] = [];
  for (const role of roles) {
    const model = traces[role];
    if (!model) continue;
    if (ex.showMe) out.push(fromShowMe(model, a, ex.showMe, role, label));
    else if (ex.kind === 'find') out.push(leadWith(model, fromQuery(model, a, ex.target, role, label), solutionSlice(model, a, ex.solution)));
    else if (ex.kind === 'measure' || ex.kind === 'compare') out.push(fromMeasure(model, a, ex.measure, role, label));
  }
  return out;
}
