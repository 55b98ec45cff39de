/**
 * The shape of the run: profiler steps and repeated decoder layers.
 *
 * Steps: `ProfilerStep#N` ranges (Kineto user_annotation, torch_npu cpu_op),
 * else user step ranges named like `step 3` / `train_step#3` / `iteration_3`;
 * host ranges preferred, GPU mirrors used only when the host has none.
 *
 * Layers, two ways:
 * - scopes: `*DecoderLayer` ranges (record_function, `nn.Module: X_N`,
 *   gpu_user_annotation). Host time is the range itself; device work is every
 *   device slice launched inside it (or nested under its GPU mirror).
 * - inferred: when no such scope exists, from the repeating pattern of device
 *   work anchored on attention. The device's kernels are put in start order;
 *   attention kernels (the `attention` detector; adjacent ones, such as a
 *   split-KV kernel and its combine kernel, collapse into one anchor) recur
 *   once per layer, so the most common distance P between anchors is the
 *   number of kernels per layer and a run of anchors P apart is one forward
 *   pass. A layer starts k kernels before its anchor, k being how many
 *   kernels before the first two anchors have the same names (the first
 *   layer's predecessors are the embedding, not a layer tail). Boundaries can
 *   be off by a kernel when the first layer differs slightly (e.g. vLLM's first
 *   RMSNorm is not fused with a residual add).
 */
import type { Ns, SliceId, TraceModel } from '../trace/model.ts';
import { ancestorsOf, memoize, nameOf, perString } from './access.ts';
import { deviceActivity, sliceKinds } from './activity.ts';
import { runDetectors } from './detectors/index.ts';
import { scopeKey } from './detectors/semantic.ts';
import { deviceOfTrack, isHostTrack, listDevices } from './devices.ts';
import { totalNs, unionOf } from './intervals.ts';
import { hostContext, launchLinks } from './links.ts';

export interface Step {
  name: string;
  /** N of ProfilerStep#N / step N; null when the name has no number. */
  number: number | null;
  slice: SliceId;
  startNs: Ns;
  endNs: Ns;
}

const PROFILER_STEP = /^ProfilerStep#(\d+)$/;
const USER_STEP = /^(?:train_?step|training_step|step|iteration|iter)[\s#_-]*(\d+)$/i;

/** Memoised per model (a pass over every slice); the trace worker's result primes it on the page. Read-only. */
export function findSteps(model: TraceModel): Step[] {
  return memoize(model, 'steps', () => findStepsOnce(model));
}

function findStepsOnce(model: TraceModel): Step[] {
  const host: Step[] = [];
  const device: Step[] = [];
  const user: Step[] = [];
  const devOf = deviceOfTrack(model);
  for (let s = 0; s < model.slices.length; s++) {
    const n = nameOf(model, s);
    const m = PROFILER_STEP.exec(n);
    const u = m ? null : USER_STEP.exec(n);
    if (!m && !u) continue;
    const t = model.slices.track[s];
    const step: Step = {
      name: n,
      number: Number((m ?? u)![1]),
      slice: s,
      startNs: model.slices.startNs[s],
      endNs: model.slices.startNs[s] + model.slices.durNs[s],
    };
    if (m && isHostTrack(model, t)) host.push(step);
    else if (m && devOf[t] !== undefined) device.push(step);
    else if (u && isHostTrack(model, t)) user.push(step);
  }
  const steps = host.length ? host : device.length ? device : user;
  return steps.sort((a, b) => a.startNs - b.startNs);
}

export interface LayerInstance {
  /** Position within its forward pass, from 0. */
  index: number;
  pass: number;
  name: string;
  /** The scope slice (scopes source) or -1 (inferred). */
  slice: SliceId;
  /** Host range: the scope, or the launches of the layer's kernels; null when unknown. */
  hostStartNs: Ns | null;
  hostEndNs: Ns | null;
  /** First device start and last device end of the layer's work; null without device work. */
  deviceStartNs: Ns | null;
  deviceEndNs: Ns | null;
  /** |∪ device work of the layer|. */
  deviceBusyNs: Ns;
  kernels: number;
}

export interface LayerStructure {
  source: 'scopes' | 'inferred' | 'none';
  /** Layers in one forward pass (the most common count). */
  layersPerPass: number;
  passes: number;
  deviceKey: string | null;
  layers: LayerInstance[];
}

const DECODER_LAYER = /DecoderLayer/;

function deviceExtent(model: TraceModel, kernels: SliceId[]) {
  if (!kernels.length) return { deviceStartNs: null, deviceEndNs: null, deviceBusyNs: 0 };
  const s = kernels.map((k) => model.slices.startNs[k]);
  const e = kernels.map((k) => model.slices.startNs[k] + model.slices.durNs[k]);
  return { deviceStartNs: minOf(s), deviceEndNs: maxOf(e), deviceBusyNs: totalNs(unionOf(s, e)) };
}

// Loops rather than Math.min(...xs): spreading a huge array overflows the stack.
function minOf(xs: number[]): number {
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}
function maxOf(xs: number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function mode(values: number[]): number {
  const c = new Map<number, number>();
  let best = 0;
  let bestN = 0;
  for (const v of values) {
    const n = (c.get(v) ?? 0) + 1;
    c.set(v, n);
    if (n > bestN || (n === bestN && v > best)) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

function layersFromScopes(model: TraceModel): LayerStructure | null {
  const kinds = sliceKinds(model);
  const scopes: SliceId[] = [];
  let onHost = false;
  const layerName = perString(model, 'decoderLayerScope', (name) => DECODER_LAYER.test(scopeKey(name)));
  for (let s = 0; s < model.slices.length; s++) {
    if (!layerName(model.slices.name[s])) continue;
    const host = isHostTrack(model, model.slices.track[s]);
    if (!host && kinds[s] !== 'annotation') continue;
    let nested = false;
    for (const a of ancestorsOf(model, s)) if (layerName(model.slices.name[a])) nested = true;
    if (nested) continue;
    scopes.push(s);
    if (host) onHost = true;
  }
  // Host scopes carry the launches; GPU mirrors only when the host has none.
  const chosen = scopes.filter((s) => isHostTrack(model, model.slices.track[s]) === onHost);
  if (!chosen.length) return null;
  const index = new Map<SliceId, number>(chosen.map((s, i) => [s, i]));
  const kernelsOf: SliceId[][] = chosen.map(() => []);
  const links = launchLinks(model);
  const ctxCache = new Map<SliceId, number>();
  for (let k = 0; k < model.slices.length; k++) {
    const kind = kinds[k];
    if (kind !== 'computation' && kind !== 'communication' && kind !== 'memory') continue;
    let owner = -1;
    if (onHost) {
      const c = links.context[k];
      if (c < 0) continue;
      const hit = ctxCache.get(c);
      if (hit !== undefined) owner = hit;
      else {
        for (const h of hostContext(model, c)) {
          const i = index.get(h);
          if (i !== undefined) {
            owner = i;
            break;
          }
        }
        ctxCache.set(c, owner);
      }
    } else {
      for (const a of ancestorsOf(model, k)) {
        const i = index.get(a);
        if (i !== undefined) {
          owner = i;
          break;
        }
      }
    }
    if (owner >= 0) kernelsOf[owner].push(k);
  }
  // Passes: a layer belongs to the innermost enclosing scope that holds more than one layer
  // (the model's forward); per-layer wrappers such as `_call_impl` frames hold only one.
  const layersInside = new Map<SliceId, number>();
  for (const s of chosen) for (const a of ancestorsOf(model, s)) layersInside.set(a, (layersInside.get(a) ?? 0) + 1);
  const passKey = chosen.map((s) => {
    for (const a of ancestorsOf(model, s)) if ((layersInside.get(a) ?? 0) > 1) return `s${a}`;
    return `t${model.slices.track[s]}`;
  });
  const passIds = new Map<string, number>();
  const counts: number[] = [];
  const layers: LayerInstance[] = chosen.map((s, i) => {
    let pass = passIds.get(passKey[i]);
    if (pass === undefined) {
      pass = passIds.size;
      passIds.set(passKey[i], pass);
      counts.push(0);
    }
    const idx = counts[pass]++;
    const ext = deviceExtent(model, kernelsOf[i]);
    return {
      index: idx,
      pass,
      name: nameOf(model, s),
      slice: s,
      hostStartNs: onHost ? model.slices.startNs[s] : null,
      hostEndNs: onHost ? model.slices.startNs[s] + model.slices.durNs[s] : null,
      ...ext,
      kernels: kernelsOf[i].length,
    };
  });
  const devs = new Set(chosen.flatMap((_, i) => kernelsOf[i].map((k) => deviceOfTrack(model)[model.slices.track[k]])));
  return {
    source: 'scopes',
    layersPerPass: mode(counts),
    passes: counts.length,
    deviceKey: devs.size === 1 ? ([...devs][0] ?? null) : null,
    layers,
  };
}

function inferLayers(model: TraceModel): LayerStructure | null {
  const attention = runDetectors(model).attention;
  const anchorSet = new Set(attention.slices);
  let best: LayerStructure | null = null;
  const { launcher } = launchLinks(model);
  for (const dev of listDevices(model)) {
    const act = deviceActivity(model, dev.key);
    const seq = [...act.slices.computation, ...act.slices.communication].sort(
      (a, b) => model.slices.startNs[a] - model.slices.startNs[b] || a - b,
    );
    // Adjacent attention kernels (split-KV + combine) form one anchor: keep run starts.
    const collapsed: number[] = [];
    for (let i = 0; i < seq.length; i++) {
      if (anchorSet.has(seq[i]) && !(i > 0 && anchorSet.has(seq[i - 1]))) collapsed.push(i);
    }
    if (collapsed.length < 2) continue;
    const gaps = collapsed.slice(1).map((a, i) => a - collapsed[i]);
    const P = mode(gaps);
    if (P < 2) continue;
    // Runs of anchors P apart = passes.
    const runs: number[][] = [];
    let run = [collapsed[0]];
    for (let i = 1; i < collapsed.length; i++) {
      if (collapsed[i] - collapsed[i - 1] === P) run.push(collapsed[i]);
      else {
        runs.push(run);
        run = [collapsed[i]];
      }
    }
    runs.push(run);
    const multi = runs.filter((r) => r.length >= 2);
    if (!multi.length) continue;
    // k: how many kernels before the first two anchors of a run repeat by name.
    const r0 = multi[0];
    let k = 0;
    while (k < P - 1 && r0[0] - (k + 1) >= 0 && nameOf(model, seq[r0[0] - (k + 1)]) === nameOf(model, seq[r0[1] - (k + 1)])) k++;
    const layers: LayerInstance[] = [];
    multi.forEach((r, pass) => {
      r.forEach((a, index) => {
        const from = Math.max(0, a - k);
        const to = Math.min(seq.length, from + P);
        const kernels = seq.slice(from, to);
        const hosts = kernels.map((x) => launcher[x]).filter((h) => h >= 0);
        layers.push({
          index,
          pass,
          name: `layer ${index}`,
          slice: -1,
          hostStartNs: hosts.length ? minOf(hosts.map((h) => model.slices.startNs[h])) : null,
          hostEndNs: hosts.length ? maxOf(hosts.map((h) => model.slices.startNs[h] + model.slices.durNs[h])) : null,
          ...deviceExtent(model, kernels),
          kernels: kernels.length,
        });
      });
    });
    const candidate: LayerStructure = {
      source: 'inferred',
      layersPerPass: mode(multi.map((r) => r.length)),
      passes: multi.length,
      deviceKey: dev.key,
      layers,
    };
    if (!best || candidate.layers.length > best.layers.length) best = candidate;
  }
  return best;
}

export function findLayers(model: TraceModel): LayerStructure {
  return (
    layersFromScopes(model) ??
    inferLayers(model) ?? { source: 'none', layersPerPass: 0, passes: 0, deviceKey: null, layers: [] }
  );
}
