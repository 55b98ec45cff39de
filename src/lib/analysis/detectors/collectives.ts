/**
 * Collectives: all_reduce, reduce_scatter, all_gather, all_to_all, broadcast,
 * send_recv, each counted ONCE per device-side execution.
 *
 * What is counted: the device slices that activity.ts classifies as
 * communication: GPU collective kernels (NCCL/RCCL `ncclDevKernel_*` /
 * `ncclKernel_*`, vLLM `cross_device_reduce_*`, `one_shot_all_reduce`, ...)
 * and Ascend `hcom_*` ops on the HCCL "Group N Communication" thread. The CPU
 * op (`c10d::allreduce_`, `record_param_comms`), the `nccl:*` annotations (CPU
 * and GPU), HCCL Plane tasks and the Notify/SDMA tasks on hardware streams
 * describe the same execution and are never counted themselves.
 *
 * Which collective, first signal wins:
 * 1. the kernel's `Collective name` arg (Kineto adds it for NCCL kernels) — 0.95;
 * 2. an enclosing `nccl:<op>` gpu_user_annotation on the stream — 0.9;
 * 3. the launch's host context: `nccl:<op>` annotation, `c10d::<op>`,
 *    `record_param_comms` with a `Collective name`, `vllm::all_reduce` ... — 0.85;
 * 4. the kernel / op name (`ncclKernel_AllGather_*`, `hcom_allReduce_*`,
 *    custom all-reduce kernels) — 0.8 (0.95 for HCCL op names, which are exact).
 * The context comes before the name because NCCL runs several collectives with
 * the same kernel: PyTorch's all_to_all is a group of sends/receives
 * (`ncclKernel_SendRecv_*`), and small all_reduces can show up as SendRecv too
 * (seen in HTA's sampled traces).
 *
 * Blind spots: `ncclDevKernel_Generic` (NCCL ≥ 2.19 for grouped work) with
 * no annotation or host link is left unclassified; plain NCCL `Reduce`,
 * barriers and CPU-only (gloo) collectives are not among the six.
 */
import type { SliceId, TraceModel } from '../../trace/model.ts';
import { ancestorsOf, argString, memoize, nameOf, trackName } from '../access.ts';
import { isCommGroupTrackName, sliceKinds } from '../activity.ts';
import { effectiveProcessKind } from '../devices.ts';
import { hostContext, launchLinks } from '../links.ts';
import { COLLECTIVE_NAMES, MatchList, type CollectiveName, type DetectorResult } from './types.ts';

/** Maps any spelling (allReduce, all_reduce, _allgather_base, alltoallv, SendRecv) to one of the six. */
export function normalizeCollective(raw: string): CollectiveName | null {
  const s = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (s.includes('reducescatter')) return 'reduce_scatter';
  if (s.includes('allreduce')) return 'all_reduce';
  if (s.includes('allgather')) return 'all_gather';
  if (s.includes('alltoall') || s.includes('all2all')) return 'all_to_all';
  if (s.includes('broadcast')) return 'broadcast';
  if (/^(batch)?sendrecv|^i?send|^i?recv|^receive|^p2p/.test(s)) return 'send_recv';
  return null;
}

const PG_ANNOTATION = /^(nccl|rccl|gloo|hccl|mpi|ucc|xccl):(.+)$/i;
const NAMED_COLLECTIVE_OP = /all_?reduce|all_?gather|reduce_?scatter|all_?to_?all|broadcast/i;

/** Collective named by a host scope / annotation, or null (by name once per model, but for record_param_comms, which names it in its args). */
function fromScopeName(model: TraceModel, s: SliceId): CollectiveName | null {
  const ni = model.slices.name[s];
  const byName = memoize(model, 'collectives:scopeName', () => new Map<number, CollectiveName | null>());
  const known = byName.get(ni);
  if (known !== undefined) return known;
  const n = nameOf(model, s);
  if (n === 'record_param_comms') return fromScopeNameOnce(model, s, n);
  const type = fromScopeNameOnce(model, s, n);
  byName.set(ni, type);
  return type;
}

function fromScopeNameOnce(model: TraceModel, s: SliceId, n: string): CollectiveName | null {
  const pg = PG_ANNOTATION.exec(n);
  if (pg) return normalizeCollective(pg[2]);
  if (n.startsWith('c10d::')) return normalizeCollective(n.slice(6));
  if (n === 'record_param_comms') {
    const c = argString(model, s, 'Collective name');
    return c ? normalizeCollective(c) : null;
  }
  if (NAMED_COLLECTIVE_OP.test(n) && /::/.test(n)) return normalizeCollective(n.slice(n.lastIndexOf('::') + 2));
  return null;
}

function fromKernelName(name: string): CollectiveName | null {
  const nccl = /nccl(?:Dev)?Kernel_([A-Za-z]+)/.exec(name);
  if (nccl) return normalizeCollective(nccl[1]);
  const hcom = /^hcom_([A-Za-z0-9]+)/.exec(name);
  if (hcom) return normalizeCollective(hcom[1]);
  if (/deep_ep::.*(dispatch|combine)/i.test(name)) return 'all_to_all';
  if (/all_?gather/i.test(name)) return 'all_gather';
  if (/reduce_?scatter/i.test(name)) return 'reduce_scatter';
  if (/cross_device_reduce|all_?reduce|allreduce|lamport|quickreduce/i.test(name)) return 'all_reduce';
  return null;
}

export interface CollectiveClassification {
  type: CollectiveName | null;
  confidence: number;
  reason: string;
  /** The slice standing for this execution's application: the enclosing annotation or host op that named it, else the slice itself. */
  scope: SliceId;
}

/** Which collective a communication slice executes, with the signal used. */
export function classifyCollective(model: TraceModel, s: SliceId): CollectiveClassification {
  const name = nameOf(model, s);
  const t = model.slices.track[s];
  const onHcclGroup =
    effectiveProcessKind(model, model.tracks.process[t]) === 'comm' && isCommGroupTrackName(trackName(model, t));
  if (onHcclGroup) {
    const type = fromKernelName(name);
    return { type, confidence: 0.95, reason: `HCCL op \`${name}\` on ${trackName(model, t)}`, scope: s };
  }
  const arg = argString(model, s, 'Collective name');
  if (arg) {
    const type = normalizeCollective(arg);
    if (type) return { type, confidence: 0.95, reason: `kernel arg Collective name = ${arg}`, scope: s };
  }
  const kinds = sliceKinds(model);
  for (const a of ancestorsOf(model, s)) {
    if (kinds[a] !== 'annotation') continue;
    const type = fromScopeName(model, a);
    if (type) return { type, confidence: 0.9, reason: `under GPU annotation \`${nameOf(model, a)}\``, scope: a };
  }
  const ctx = launchLinks(model).context[s];
  if (ctx >= 0) {
    for (const h of hostContext(model, ctx)) {
      const type = fromScopeName(model, h);
      if (type) return { type, confidence: 0.85, reason: `launched under \`${nameOf(model, h)}\``, scope: h };
    }
  }
  const type = fromKernelName(name);
  const short = name.length > 60 ? `${name.slice(0, 57)}...` : name;
  return { type, confidence: 0.8, reason: `kernel name \`${short}\``, scope: s };
}

export function detectCollectives(model: TraceModel): Map<CollectiveName, DetectorResult> {
  const lists = new Map<CollectiveName, MatchList>(COLLECTIVE_NAMES.map((n) => [n, new MatchList()]));
  const kinds = sliceKinds(model);
  for (let s = 0; s < model.slices.length; s++) {
    if (kinds[s] !== 'communication') continue;
    const c = classifyCollective(model, s);
    if (c.type) lists.get(c.type)!.add(s, c.confidence, c.reason, c.scope);
  }
  const out = new Map<CollectiveName, DetectorResult>();
  for (const n of COLLECTIVE_NAMES) {
    out.set(
      n,
      lists.get(n)!.result(n, `${n} executions on the device (collective kernels / HCCL Group ops), once each`, model.slices.durNs),
    );
  }
  return out;
}
