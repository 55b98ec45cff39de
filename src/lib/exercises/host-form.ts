/**
 * The operation as the learner sees it. A "find" exercise targets device work
 * (kernels, NPU tasks, HCCL ops), but a learner who searches for RoPE finds
 * `apply_rotary_pos_emb` or `nn.Module: Qwen2RotaryEmbedding_0` on the host,
 * and one who searches for an all-reduce on Ascend finds
 * `AscendCL@hcom_allReduce_` first. Those are right answers: the host or scope
 * form of one application. This module says which device slices a clicked
 * host slice or annotation stands for, so the checker can accept it and say
 * where its device part is.
 *
 * A slice stands for device work when
 * 1. it is the scope instance a detector match was found through (the
 *    detector's `applications`; a `setupScopes` one is accepted with the
 *    caveat that it prepares the operation rather than applying it), or
 * 2. every piece of device work launched under it is a target, or
 * 3. (collectives) it is a host call named for the same collective (the text
 *    after `@`, `::` or `:` normalises to it, e.g. `AscendCL@hcom_allReduce_`,
 *    `HcclAllreduce`, `c10d::allreduce_`): the device execution is the first
 *    target on its rank that starts after the call does.
 */
import { nameOf } from '../analysis/access.ts';
import { normalizeCollective } from '../analysis/detectors/collectives.ts';
import { COLLECTIVE_NAMES, type CollectiveName } from '../analysis/detectors/types.ts';
import type { SliceId, TraceModel } from '../trace/model.ts';
import type { Analysis } from './analysis.ts';
import { resolverFor } from './query.ts';
import type { SliceQuery } from './schema.ts';

export interface HostForm {
  /** The device slices the answer stands for, in time order. */
  device: SliceId[];
  /** `setup`: the scope prepares the operation (RoPE's cos/sin table) rather than applying it. */
  how: 'scope' | 'setup' | 'launched' | 'named-call';
}

export function hostFormOf(model: TraceModel, a: Analysis, target: SliceQuery, answer: SliceId, targets: readonly SliceId[]): HostForm | null {
  if (targets.includes(answer)) return null;
  const byTime = (xs: SliceId[]) => xs.sort((x, y) => model.slices.startNs[x] - model.slices.startNs[y]);
  if (target.detector) {
    const r = a.detectors(model)[target.detector];
    const wanted = new Set(targets);
    const device = r.slices.filter((s, i) => r.applications[i] === answer && wanted.has(s));
    if (device.length) return { device: byTime(device), how: r.setupScopes.includes(answer) ? 'setup' : 'scope' };
  }
  const res = resolverFor(model, a);
  const kinds = a.sliceKinds(model);
  if (!res.isHost(answer) && kinds[answer] !== 'annotation') return null;
  const work = res.workUnder(answer);
  const wanted = new Set(targets);
  if (work.length && work.every((k) => wanted.has(k))) return { device: byTime([...work]), how: 'launched' };
  if (target.detector && (COLLECTIVE_NAMES as readonly string[]).includes(target.detector) && res.isHost(answer)) {
    const name = nameOf(model, answer);
    const tail = name.slice(Math.max(name.lastIndexOf('@'), name.lastIndexOf(':')) + 1);
    if (normalizeCollective(tail) !== (target.detector as CollectiveName)) return null;
    // One trace is one rank: the call's execution is the next one on the device.
    const start = model.slices.startNs[answer];
    let best: SliceId | null = null;
    for (const s of targets) {
      if (model.slices.startNs[s] < start) continue;
      if (best === null || model.slices.startNs[s] < model.slices.startNs[best]) best = s;
    }
    if (best !== null) return { device: [best], how: 'named-call' };
  }
  return null;
}
