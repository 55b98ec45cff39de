/**
 * Validators for the pieces exercises are built from: bilingual text, slice
 * queries, measures, tolerances and answers. schema.ts assembles them into
 * whole exercises.
 */
import { DETECTOR_NAMES } from '../analysis/detectors/types.ts';
import type { Answer, MeasureName, MeasureSpec } from './schema.ts';
import { VALUE_UNITS, quantityOf, type Quantity } from './units.ts';
import {
  Problems,
  describe,
  expectArray,
  expectBoolean,
  expectNumber,
  expectOneOf,
  expectPattern,
  expectRecord,
  expectString,
  join,
  noUnknownKeys,
} from './validator.ts';

export const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

// Value lists live here, not in schema.ts, so the two modules' import cycle is types only.
export const OVERLAP_MEASURES = [
  'overlap.computing',
  'overlap.communication',
  'overlap.communication_not_overlapped',
  'overlap.overlapped',
  'overlap.free',
  'overlap.span',
  'overlap.ratio',
] as const;
export const IDLE_PARTS = ['idle', 'busy', 'host-bound', 'sync', 'queued', 'unknown'] as const;
export const LATENCY_STATS = ['p50', 'p90', 'p99', 'max'] as const;
/** saved = before − after; difference = after − before; ratio = after / before; speedup = before / after. */
export const COMBINES = ['saved', 'difference', 'ratio', 'speedup'] as const;

export function parseL10n(p: Problems, path: string, v: unknown): void {
  const r = expectRecord(p, path, v);
  if (!r) return;
  noUnknownKeys(p, path, r, ['en', 'zh-CN']);
  for (const lang of ['en', 'zh-CN']) {
    if (r[lang] === undefined) p.add(join(path, lang), 'missing: every learner-facing text needs both en and zh-CN');
    else expectString(p, join(path, lang), r[lang], { max: 4000 });
  }
}

const DEVICE_RE = /^(gpu|npu):\d+$/;

function parseDevice(p: Problems, path: string, v: unknown): void {
  const s = expectString(p, path, v);
  if (s !== null && !DEVICE_RE.test(s)) p.add(path, `expected a device key like "gpu:0" or "npu:0", got ${describe(s)}`);
}

function parseIndex(p: Problems, path: string, v: unknown): void {
  expectNumber(p, path, v, { integer: true });
}

function parseScopeRef(p: Problems, path: string, v: unknown): void {
  const r = expectRecord(p, path, v);
  if (!r) return;
  noUnknownKeys(p, path, r, ['scope', 'index']);
  expectPattern(p, join(path, 'scope'), r.scope);
  if (r.index !== undefined) parseIndex(p, join(path, 'index'), r.index);
}

function parseWithin(p: Problems, path: string, v: unknown): void {
  if (Array.isArray(v)) {
    expectArray(p, path, v, { min: 1 })?.forEach((s, i) => parseScopeRef(p, join(path, i), s));
  } else parseScopeRef(p, path, v);
}

function parseAnchor(p: Problems, path: string, v: unknown): void {
  const r = expectRecord(p, path, v);
  if (!r) return;
  noUnknownKeys(p, path, r, ['scope', 'detector', 'name', 'on', 'index']);
  if (r.scope === undefined && r.detector === undefined && r.name === undefined) p.add(path, 'give a scope, detector or name');
  if (r.scope !== undefined) expectPattern(p, join(path, 'scope'), r.scope);
  if (r.name !== undefined) expectPattern(p, join(path, 'name'), r.name);
  if (r.detector !== undefined) expectOneOf(p, join(path, 'detector'), r.detector, DETECTOR_NAMES);
  if (r.on !== undefined) expectOneOf(p, join(path, 'on'), r.on, ['host', 'device'] as const);
  if (r.index !== undefined) parseIndex(p, join(path, 'index'), r.index);
}

const QUERY_KEYS = ['detector', 'name', 'scope', 'on', 'device', 'track', 'blocksPerSm', 'args', 'step', 'within', 'after', 'before', 'nth'];

function parseBlocksPerSm(p: Problems, path: string, v: unknown): void {
  const r = expectRecord(p, path, v);
  if (!r) return;
  noUnknownKeys(p, path, r, ['below', 'atLeast']);
  if (r.below === undefined && r.atLeast === undefined) p.add(path, 'give below and/or atLeast');
  if (r.below !== undefined) expectNumber(p, join(path, 'below'), r.below, { min: 0 });
  if (r.atLeast !== undefined) expectNumber(p, join(path, 'atLeast'), r.atLeast, { min: 0 });
}

export function parseSliceQuery(p: Problems, path: string, v: unknown): void {
  const r = expectRecord(p, path, v);
  if (!r) return;
  noUnknownKeys(p, path, r, QUERY_KEYS);
  if (r.detector === undefined && r.name === undefined && r.scope === undefined && r.blocksPerSm === undefined) {
    p.add(path, 'say what the slice is: a detector, a name, a scope or blocksPerSm');
  }
  if (r.detector !== undefined) expectOneOf(p, join(path, 'detector'), r.detector, DETECTOR_NAMES);
  if (r.name !== undefined) expectPattern(p, join(path, 'name'), r.name);
  if (r.scope !== undefined) expectPattern(p, join(path, 'scope'), r.scope);
  if (r.on !== undefined) expectOneOf(p, join(path, 'on'), r.on, ['host', 'device'] as const);
  if (r.device !== undefined) parseDevice(p, join(path, 'device'), r.device);
  if (r.track !== undefined) expectPattern(p, join(path, 'track'), r.track);
  if (r.blocksPerSm !== undefined) parseBlocksPerSm(p, join(path, 'blocksPerSm'), r.blocksPerSm);
  if (r.args !== undefined) {
    const a = expectRecord(p, join(path, 'args'), r.args);
    if (a && !Object.keys(a).length) p.add(join(path, 'args'), 'name at least one arg');
    if (a) for (const [k, v] of Object.entries(a)) expectPattern(p, join(join(path, 'args'), k), v);
  }
  if (r.step !== undefined) expectNumber(p, join(path, 'step'), r.step, { integer: true, min: 0 });
  if (r.within !== undefined) parseWithin(p, join(path, 'within'), r.within);
  if (r.after !== undefined) parseAnchor(p, join(path, 'after'), r.after);
  if (r.before !== undefined) parseAnchor(p, join(path, 'before'), r.before);
  if (r.nth !== undefined) parseIndex(p, join(path, 'nth'), r.nth);
}

export interface MeasureInfo {
  quantity: Quantity;
  /** Every instance is a time range the learner can select on the timeline. */
  rangeable: boolean;
}

export function measureInfo(m: MeasureSpec): MeasureInfo {
  switch (m.measure) {
    case 'scope-duration':
    case 'slice-duration':
    case 'step-duration':
    case 'idle-gap':
      return { quantity: 'time', rangeable: true };
    case 'launch-latency':
      return { quantity: 'time', rangeable: m.target !== undefined };
    case 'overlap.ratio':
      return { quantity: 'ratio', rangeable: false };
    case 'count':
      return { quantity: 'count', rangeable: false };
    default:
      return { quantity: 'time', rangeable: false };
  }
}

const MEASURE_KEYS: Record<MeasureName, string[]> = {
  'scope-duration': ['scope', 'on', 'index', 'step', 'within'],
  'slice-duration': ['target'],
  'step-duration': ['index'],
  'gpu-idle': ['device', 'part', 'step'],
  'idle-gap': ['device', 'which', 'step'],
  'launch-latency': ['stat', 'target'],
  'detector-total': ['detector', 'device'],
  count: ['target'],
  'kernel-group': ['group', 'device'],
  ...(Object.fromEntries(OVERLAP_MEASURES.map((m) => [m, ['device', 'step']])) as Record<(typeof OVERLAP_MEASURES)[number], string[]>),
};
export const MEASURE_NAMES = Object.keys(MEASURE_KEYS) as MeasureName[];

export function parseMeasure(p: Problems, path: string, v: unknown): MeasureSpec | null {
  const r = expectRecord(p, path, v);
  if (!r) return null;
  const name = expectOneOf(p, join(path, 'measure'), r.measure, MEASURE_NAMES);
  if (name === null) return null;
  noUnknownKeys(p, path, r, ['measure', ...MEASURE_KEYS[name]]);
  const before = p.list.length;
  if (r.device !== undefined) parseDevice(p, join(path, 'device'), r.device);
  if (r.step !== undefined) expectNumber(p, join(path, 'step'), r.step, { integer: true, min: 0 });
  if (r.index !== undefined) parseIndex(p, join(path, 'index'), r.index);
  switch (name) {
    case 'scope-duration':
      expectPattern(p, join(path, 'scope'), r.scope);
      expectOneOf(p, join(path, 'on'), r.on, ['host', 'device'] as const);
      if (r.within !== undefined) parseWithin(p, join(path, 'within'), r.within);
      break;
    case 'slice-duration':
    case 'count':
      parseSliceQuery(p, join(path, 'target'), r.target);
      break;
    case 'gpu-idle':
      if (r.part !== undefined) expectOneOf(p, join(path, 'part'), r.part, IDLE_PARTS);
      if (r.step !== undefined && r.part !== undefined && r.part !== 'idle' && r.part !== 'busy') {
        p.add(join(path, 'step'), `only the "idle" and "busy" parts can be limited to a step, not "${String(r.part)}"`);
      }
      break;
    case 'idle-gap':
      if (r.which !== 'longest') expectNumber(p, join(path, 'which'), r.which, { integer: true });
      break;
    case 'launch-latency':
      if ((r.stat === undefined) === (r.target === undefined)) p.add(path, 'give exactly one of `stat` (p50, p90, p99, max) or `target`');
      if (r.stat !== undefined) expectOneOf(p, join(path, 'stat'), r.stat, LATENCY_STATS);
      if (r.target !== undefined) parseSliceQuery(p, join(path, 'target'), r.target);
      break;
    case 'detector-total':
      expectOneOf(p, join(path, 'detector'), r.detector, DETECTOR_NAMES);
      break;
    case 'kernel-group':
      expectPattern(p, join(path, 'group'), r.group);
      break;
    default:
      break;
  }
  return p.list.length === before ? (r as unknown as MeasureSpec) : null;
}

export function parseTolerance(p: Problems, path: string, v: unknown): void {
  const r = expectRecord(p, path, v);
  if (!r) return;
  noUnknownKeys(p, path, r, ['relative', 'absolute']);
  if (r.relative === undefined && r.absolute === undefined) p.add(path, 'give `relative` (0.05 = 5%) and/or `absolute` (in the exercise unit)');
  if (r.relative !== undefined) expectNumber(p, join(path, 'relative'), r.relative, { min: 0, max: 1 });
  if (r.absolute !== undefined) expectNumber(p, join(path, 'absolute'), r.absolute, { min: 0 });
}

/** An answer written in exercise data, of one of the kinds the exercise takes. */
export function parseAnswerSpec(
  p: Problems,
  path: string,
  v: unknown,
  kinds: Answer['kind'][],
  optionIds: string[],
  quantity: Quantity | null,
): { kind: Answer['kind'] } | null {
  const r = expectRecord(p, path, v);
  if (!r) return null;
  const kind = expectOneOf(p, join(path, 'kind'), r.kind, ['slice', 'range', 'value', 'choice'] as const);
  if (kind === null) return null;
  if (kinds.length && !kinds.includes(kind)) p.add(join(path, 'kind'), `this exercise is answered with ${kinds.join(' or ')}, not ${kind}`);
  switch (kind) {
    case 'slice':
      noUnknownKeys(p, path, r, ['kind', 'sliceId', 'query']);
      if ((r.sliceId === undefined) === (r.query === undefined)) p.add(path, 'give exactly one of `sliceId` or `query`');
      if (r.sliceId !== undefined) expectNumber(p, join(path, 'sliceId'), r.sliceId, { integer: true, min: 0 });
      if (r.query !== undefined) parseSliceQuery(p, join(path, 'query'), r.query);
      break;
    case 'range':
      noUnknownKeys(p, path, r, ['kind', 'startNs', 'endNs', 'of']);
      if (r.of !== undefined) {
        if (r.startNs !== undefined || r.endNs !== undefined) p.add(path, 'give either `of` or `startNs`/`endNs`');
        parseSliceQuery(p, join(path, 'of'), r.of);
      } else {
        const s = expectNumber(p, join(path, 'startNs'), r.startNs);
        const e = expectNumber(p, join(path, 'endNs'), r.endNs);
        if (s !== null && e !== null && e <= s) p.add(path, `endNs (${e}) must be after startNs (${s})`);
      }
      break;
    case 'value': {
      noUnknownKeys(p, path, r, ['kind', 'value', 'unit']);
      expectNumber(p, join(path, 'value'), r.value);
      const unit = expectOneOf(p, join(path, 'unit'), r.unit, VALUE_UNITS);
      if (unit && quantity && quantityOf(unit) !== quantity) p.add(join(path, 'unit'), `"${unit}" is a ${quantityOf(unit)} unit; this answer is a ${quantity}`);
      break;
    }
    case 'choice':
      noUnknownKeys(p, path, r, ['kind', 'optionIds']);
      expectArray(p, join(path, 'optionIds'), r.optionIds, { min: 1 })?.forEach((o, i) => {
        const s = expectString(p, join(join(path, 'optionIds'), i), o);
        if (s !== null && !optionIds.includes(s)) p.add(join(join(path, 'optionIds'), i), `no option "${s}"; options: ${optionIds.join(', ')}`);
      });
      break;
  }
  return { kind };
}

export function parseOptions(p: Problems, path: string, v: unknown, compare: boolean): string[] {
  const list = expectArray(p, path, v, { min: 2 });
  const ids: string[] = [];
  list?.forEach((o, i) => {
    const op = join(path, i);
    const r = expectRecord(p, op, o);
    if (!r) return;
    noUnknownKeys(p, op, r, compare ? ['id', 'text', 'explanation'] : ['id', 'text', 'explanation', 'correct']);
    const id = compare ? expectOneOf(p, join(op, 'id'), r.id, ['before', 'after', 'same'] as const) : expectString(p, join(op, 'id'), r.id);
    if (id !== null) {
      if (ids.includes(id)) p.add(join(op, 'id'), `"${id}" is used by another option`);
      ids.push(id);
    }
    parseL10n(p, join(op, 'text'), r.text);
    parseL10n(p, join(op, 'explanation'), r.explanation);
    if (r.correct !== undefined) expectBoolean(p, join(op, 'correct'), r.correct);
  });
  return ids;
}

export function parseNearMissIds(p: Problems, path: string, v: unknown, each: (p: Problems, path: string, r: Record<string, unknown>) => void): string[] {
  if (v === undefined) return [];
  const ids: string[] = [];
  expectArray(p, path, v)?.forEach((n, i) => {
    const np = join(path, i);
    const r = expectRecord(p, np, n);
    if (!r) return;
    const id = expectString(p, join(np, 'id'), r.id);
    if (id !== null) {
      if (ids.includes(id)) p.add(join(np, 'id'), `"${id}" is used by another near miss`);
      ids.push(id);
    }
    parseL10n(p, join(np, 'feedback'), r.feedback);
    each(p, np, r);
  });
  return ids;
}

export function parseTrace(p: Problems, path: string, v: unknown): void {
  const s = expectString(p, path, v, { max: 500 });
  if (s !== null && /\s/.test(s)) p.add(path, 'a trace URL has no spaces');
}

export function parseShowMe(p: Problems, path: string, v: unknown): void {
  const r = expectRecord(p, path, v);
  if (!r) return;
  noUnknownKeys(p, path, r, ['target', 'range', 'label']);
  if (r.target !== undefined) parseSliceQuery(p, join(path, 'target'), r.target);
  if (r.range !== undefined) {
    const rr = expectRecord(p, join(path, 'range'), r.range);
    if (rr) {
      noUnknownKeys(p, join(path, 'range'), rr, ['startNs', 'endNs']);
      const ok = typeof rr.startNs === 'number' && typeof rr.endNs === 'number' && rr.endNs > rr.startNs;
      if (!ok) p.add(join(path, 'range'), `expected { startNs, endNs } with endNs > startNs, got ${describe(rr)}`);
    }
  }
  if (r.label !== undefined) parseL10n(p, join(path, 'label'), r.label);
}

