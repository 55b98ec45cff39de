/**
 * explainSlice: everything the "What is this?" card and `tracewise explain`
 * say about one slice — the name's decoding, the overlap category it counts
 * in and why, the host call that launched it (flows), its layer and step when
 * the trace shows them, and generic facts (stream, duration, grid and blocks
 * per SM for GPU kernels, from occupancy.ts).
 */
import type { Ns, SliceId, TraceModel } from '../../trace/model.ts';
import { ancestorsOf, argString, catOf, memoize, nameOf } from '../access.ts';
import { sliceKinds, workKindOf, type WorkKind } from '../activity.ts';
import { deviceOfTrack, isHostTrack } from '../devices.ts';
import { hostContext, launchLinks } from '../links.ts';
import { findLayers, findSteps } from '../structure.ts';
import { launchShape } from '../occupancy.ts';
import { decodeName } from './decode.ts';
import { t, type ExplainCategory, type NameDecoding, type NameHints, type Text } from './types.ts';

export interface SliceExplanation {
  name: string;
  /** null: no decoder recognises the name. */
  decoding: NameDecoding | null;
  category: ExplainCategory;
  /** False when the slice is in no overlap total (a collective's steps, annotations, bookkeeping). */
  counted: boolean;
  categoryWhy: Text;
  /** `gpu:0`, `npu:3`; null on the host. */
  deviceKey: string | null;
  durNs: Ns;
  /** GPU kernels: the launch grid and blocks per SM (blocks ÷ the device's SMs). */
  grid: [number, number, number] | null;
  block: [number, number, number] | null;
  blocksPerSm: number | null;
  sms: number | null;
  launcher: { sliceId: SliceId; name: string } | null;
  /** The launcher is a graph launch: the kernel was replayed from a CUDA graph (no per-kernel launch or Python scope). */
  fromGraph: boolean;
  /** Host scopes the launch ran under, innermost first (ops, modules, CANN calls; at most MAX_SCOPES). */
  scopes: Array<{ sliceId: SliceId; name: string }>;
  /** index and pass are -1 when only the scope's name is known (the page's cheap path). */
  layer: { index: number; pass: number; name: string } | null;
  step: { name: string; number: number | null } | null;
}

const WHY: Record<WorkKind | 'host', { category: ExplainCategory; counted: boolean; why: Text }> = {
  computation: { category: 'computing', counted: true, why: t('A kernel or task that computes: counted in Computing.', '做计算的 kernel 或任务：计入 Computing（计算）。') },
  communication: { category: 'communication', counted: true, why: t('A collective (NCCL kernel, custom all-reduce, HCCL op): counted in Communication; the part no computation hides is the exposed communication.', '集合通信（NCCL kernel、自定义 all-reduce、HCCL 算子）：计入 Communication（通信）；没有被计算掩盖的部分就是暴露的通信。') },
  'comm-task': { category: 'communication', counted: false, why: t('A step of a collective: its time is already inside the collective\'s span, so it is not counted a second time.', '集合通信中的一步：它的时间已经包含在集合通信的时段里，所以不重复计入。') },
  memory: { category: 'copy', counted: true, why: t('A copy or memset by a copy engine: device busy, but neither computing nor communicating.', '拷贝引擎做的拷贝或置值：device 忙，但既不是计算也不是通信。') },
  wait: { category: 'wait', counted: true, why: t('The device (or a stream) waits here: for another stream, a peer, or the host. Not busy time.', 'device（或某条流）在这里等待：等另一条流、对端或 host。不算忙碌时间。') },
  annotation: { category: 'host', counted: false, why: t('A host range mirrored on a device stream: not device work, counted in nothing.', '映射到 device 流上的 host 区间：不是 device 的工作，不计入任何类别。') },
  other: { category: 'wait', counted: false, why: t('Runtime bookkeeping on a device stream (event records, placeholders): counted in no category.', 'device 流上的 runtime 记账任务（事件记录、占位）：不计入任何类别。') },
  host: { category: 'host', counted: false, why: t('A host (CPU) slice: it launches or waits for device work; overlap counts device time only.', 'host（CPU）上的 slice：它下发或等待 device 的工作；重叠分析只统计 device 时间。') },
};

const MAX_SCOPES = 6;

function layersOf(model: TraceModel) {
  return memoize(model, 'explain:layers', () => findLayers(model));
}

function stepAt(model: TraceModel, ns: Ns) {
  for (const s of findSteps(model)) if (s.startNs <= ns && ns < s.endNs) return { name: s.name, number: s.number };
  return null;
}

function layerAt(model: TraceModel, id: SliceId, deviceKey: string | null, launcher: SliceId) {
  const L = layersOf(model);
  if (!L.layers.length) return null;
  const start = model.slices.startNs[id];
  for (const l of L.layers) {
    if (deviceKey && deviceKey === L.deviceKey && l.deviceStartNs !== null && l.deviceEndNs !== null && l.deviceStartNs <= start && start < l.deviceEndNs) {
      return { index: l.index, pass: l.pass, name: l.name };
    }
    const hostNs = deviceKey ? (launcher >= 0 ? model.slices.startNs[launcher] : null) : start;
    if (hostNs !== null && l.hostStartNs !== null && l.hostEndNs !== null && (!deviceKey || deviceKey === L.deviceKey) && l.hostStartNs <= hostNs && hostNs < l.hostEndNs) {
      return { index: l.index, pass: l.pass, name: l.name };
    }
  }
  return null;
}

export function sliceHints(model: TraceModel, id: SliceId, onDevice: boolean): NameHints {
  return { cat: catOf(model, id), taskType: argString(model, id, 'Task Type'), onDevice, arg: (k) => argString(model, id, k) };
}

/** The decoding alone (no layers, steps or links): cheap, for listing many names. */
export function decodeSlice(
  model: TraceModel,
  id: SliceId,
  kind: WorkKind | null = sliceKinds(model)[id],
): { decoding: NameDecoding | null; category: ExplainCategory; counted: boolean } {
  const decoding = decodeName(nameOf(model, id), sliceHints(model, id, kind !== null));
  const w = WHY[kind ?? 'host'];
  return { decoding, category: kind === 'other' && decoding ? decoding.category : w.category, counted: w.counted };
}

/**
 * For the page, where the trace worker has done the whole-trace passes: `flowSources` are the slices whose
 * flows end at this one (the details panel has them), so neither every slice's kind nor every launch link
 * nor the inferred layers are computed on the main thread. The launcher is then the first host source
 * (not an `async_npu` context flow), its scopes are those of the context flow's source (hostContext:
 * ancestors, the task-queue and CANN hops), and the layer is a `*DecoderLayer` scope among them
 * (inferred layers are left to the CLI).
 */
export interface PageInputs {
  flowSources: Array<{ sliceId: SliceId; flowCat: string }>;
}

const DECODER_LAYER = /DecoderLayer/;

export function explainSlice(model: TraceModel, id: SliceId, page?: PageInputs): SliceExplanation {
  const kind = page ? workKindOf(model, id) : sliceKinds(model)[id];
  const deviceKey = deviceOfTrack(model)[model.slices.track[id]] ?? null;
  const { decoding, category, counted } = decodeSlice(model, id, kind);
  const shape = launchShape(model, id);
  let launcherId = -1;
  let scopeIds: SliceId[] = [];
  if (deviceKey && page) {
    const fromHost = page.flowSources.filter((f) => isHostTrack(model, model.slices.track[f.sliceId]));
    const src = fromHost.find((f) => !/^async_npu$/i.test(f.flowCat));
    const ctx = fromHost.find((f) => /^async_npu$/i.test(f.flowCat)) ?? src;
    launcherId = src ? src.sliceId : -1;
    scopeIds = ctx ? hostContext(model, ctx.sliceId).filter((s) => s !== launcherId) : [];
  } else if (deviceKey) {
    const links = launchLinks(model);
    launcherId = links.launcher[id];
    scopeIds = hostContext(model, links.context[id]).filter((s) => s !== launcherId);
  } else if (page) {
    scopeIds = [...ancestorsOf(model, id)];
  }
  // A page's scopes are the launch's: a DecoderLayer among them names the layer.
  const launcher = launcherId >= 0 ? { sliceId: launcherId, name: nameOf(model, launcherId) } : null;
  const scopes = scopeIds.slice(0, MAX_SCOPES).map((s) => ({ sliceId: s, name: nameOf(model, s) }));
  const hostNs = launcherId >= 0 ? model.slices.startNs[launcherId] : model.slices.startNs[id];
  let layer: SliceExplanation['layer'] = null;
  if (page) {
    const scope = scopeIds.find((s) => DECODER_LAYER.test(nameOf(model, s)));
    if (scope !== undefined) layer = { index: -1, pass: -1, name: nameOf(model, scope) };
  } else layer = layerAt(model, id, deviceKey, launcherId);
  return {
    name: nameOf(model, id),
    decoding,
    category,
    counted,
    categoryWhy: WHY[kind ?? 'host'].why,
    deviceKey,
    durNs: model.slices.durNs[id],
    grid: shape?.grid ?? null,
    block: shape?.block ?? null,
    blocksPerSm: shape?.blocksPerSm ?? null,
    sms: shape?.sms ?? null,
    launcher,
    fromGraph: launcher !== null && /^(cuda|hip)GraphLaunch/.test(launcher.name),
    scopes,
    layer,
    step: stepAt(model, hostNs),
  };
}
