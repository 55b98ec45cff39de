/**
 * Host ↔ device synchronisations: the host stops until the device catches up.
 *
 * Signals, each sync counted once:
 * - runtime calls on the host: `cudaStreamSynchronize`, `cudaDeviceSynchronize`,
 *   `cudaEventSynchronize`, `cuCtxSynchronize`, the `hip*` equivalents, Ascend
 *   `aclrtSynchronizeStream*` / `aclrtSynchronizeDevice` / `aclrtSynchronizeEvent`
 *   (CANN). When the call runs inside an ATen op that reads device data on the
 *   host (`aten::item`, `aten::_local_scalar_dense`, `aten::to`/`aten::copy_`
 *   to CPU, `aten::nonzero`, `aten::tolist` ...), the outermost such op is
 *   reported instead, since that is the line of model code to change — 0.95.
 * - Kineto `cuda_sync` events on the device ("Stream Sync", "Context Sync",
 *   "Event Sync") mirror those calls; counted only when no host call is linked
 *   to them (by flow or correlation) — 0.7.
 * - synchronous copies (`cudaMemcpy`, `aclrtMemcpy`) count like sync calls
 *   (0.8 when no ATen op wraps them), and so does an async copy whose device
 *   side is `Memcpy DtoH (Device -> Pageable)`: CUDA returns from a
 *   `cudaMemcpyAsync` to pageable host memory only once the copy has run,
 *   i.e. after all the work queued before it on its stream. That is where a
 *   `.cpu()` / `aten::to` spends its wait (seen in the two-rank DeepSeek
 *   samples: 20 ms in `cudaMemcpyAsync`, µs in the `cudaStreamSynchronize`
 *   after it). Copies to pinned memory are truly asynchronous and not counted.
 * - `aten::item` / `aten::_local_scalar_dense` in a trace with device work but
 *   no runtime calls recorded at all — 0.5. When runtime calls are recorded,
 *   a scalar read with no sync inside read a CPU tensor and is not counted.
 *
 * Blind spots: implicit syncs inside other calls (synchronous `cudaMemcpy`,
 * `cudaMalloc` under memory pressure, NCCL's blocking waits) are not counted;
 * a `aten::to(non_blocking=True)` never syncs but is reported when a sync
 * call happens inside it.
 */
import type { SliceId, TraceModel } from '../../trace/model.ts';
import { ancestorsOf, catOf, memoize, nameOf, perString } from '../access.ts';
import { sliceKinds } from '../activity.ts';
import { isHostTrack, listDevices } from '../devices.ts';
import { hostContext, launchLinks } from '../links.ts';
import { MatchList, type DetectorResult } from './types.ts';

const SYNC_CALL =
  /^(cuda|hip)(Stream|Device|Event|Ctx|Thread)Synchronize$|^cu(Ctx|Stream|Event)Synchronize$|aclrtSynchronize(Stream|Device|Event)/;
/** Synchronous copies: they return only when the copy (and the work before it) is done. */
const BLOCKING_COPY = /^(cuda|hip)Memcpy$|^cuMemcpy(DtoH|HtoD|DtoD)?(_v2)?$|aclrtMemcpy$/;
/** ATen ops that read device data on the host and so wait for the device. */
const BLOCKING_OP =
  /^aten::(item|_local_scalar_dense|nonzero|tolist|is_nonzero|equal|masked_select|_unique2?|unique_consecutive|unique_dim|repeat_interleave|to|_to_copy|copy_|cpu|allclose|any|all)$/;
const SCALAR_READ = /^aten::(item|_local_scalar_dense)$/;
/** Async copy calls, and the device-side copy names that make them block (see the header). */
const ASYNC_COPY = /^(cuda|hip)MemcpyAsync$|^cuMemcpy(DtoH)?Async(_v2)?$/;
const TO_PAGEABLE = /DtoH.*Pageable|Device\s*->\s*Pageable/i;
const RUNTIME_CAT = /^(cuda_runtime|cuda_driver|runtime)$/i;

export function isHostSyncCall(name: string): boolean {
  return SYNC_CALL.test(name) || BLOCKING_COPY.test(name);
}

/** Host async-copy calls whose device copy goes to pageable memory, so they block like `cudaMemcpy`. */
export function pageableCopyCalls(model: TraceModel): Set<SliceId> {
  return memoize(model, 'pageableCopyCalls', () => {
    const out = new Set<SliceId>();
    const kinds = sliceKinds(model);
    const { launcher } = launchLinks(model);
    const toPageable = perString(model, 'sync:toPageable', (n) => TO_PAGEABLE.test(n));
    const asyncCopy = perString(model, 'sync:asyncCopy', (n) => ASYNC_COPY.test(n));
    for (let s = 0; s < model.slices.length; s++) {
      if (kinds[s] !== 'memory' || !toPageable(model.slices.name[s])) continue;
      const h = launcher[s];
      if (h >= 0 && asyncCopy(model.slices.name[h])) out.add(h);
    }
    return out;
  });
}

/**
 * Host slices that block on the device: sync calls, and scalar reads. Used by gpu-busy (once per device)
 * and the diff's host times too, so computed once per model; callers only read the list.
 */
export function hostSyncSlices(model: TraceModel): readonly SliceId[] {
  return memoize(model, 'hostSyncSlices', () => {
    const out: SliceId[] = [];
    const pageable = pageableCopyCalls(model);
    const blocks = perString(model, 'sync:blocks', (n) => isHostSyncCall(n) || SCALAR_READ.test(n));
    for (let t = 0; t < model.tracks.length; t++) {
      if (!isHostTrack(model, t)) continue;
      for (let s = model.tracks.sliceStart[t]; s < model.tracks.sliceEnd[t]; s++) {
        if (blocks(model.slices.name[s]) || pageable.has(s)) out.push(s);
      }
    }
    return out;
  });
}

export function detectSync(model: TraceModel): DetectorResult {
  const list = new MatchList();
  const links = launchLinks(model);
  const kinds = sliceKinds(model);
  const hasDevice = listDevices(model).length > 0;
  const counted = new Set<SliceId>(); // host sync calls covered by a match
  const pageable = pageableCopyCalls(model);

  let runtimeRecorded = false;
  const runtimeCat = perString(model, 'sync:runtimeCat', (c) => RUNTIME_CAT.test(c));
  const ascendCl = perString(model, 'sync:ascendCl', (n) => n.startsWith('AscendCL@'));
  const blockingCopy = perString(model, 'sync:blockingCopy', (n) => BLOCKING_COPY.test(n));
  const syncCall = perString(model, 'sync:syncCall', (n) => SYNC_CALL.test(n));
  for (let t = 0; t < model.tracks.length; t++) {
    if (!isHostTrack(model, t)) continue;
    for (let s = model.tracks.sliceStart[t]; s < model.tracks.sliceEnd[t]; s++) {
      const ni = model.slices.name[s];
      if (!runtimeRecorded && (runtimeCat(model.slices.cat[s]) || ascendCl(ni))) runtimeRecorded = true;
      const toPageable = pageable.has(s);
      const copy = toPageable || blockingCopy(ni);
      if (!copy && !syncCall(ni)) continue;
      const n = nameOf(model, s);
      counted.add(s);
      const what = toPageable ? `\`${n}\` to pageable host memory` : `\`${n}\``;
      let outer = -1;
      for (const a of hostContext(model, s)) if (a !== s && BLOCKING_OP.test(nameOf(model, a))) outer = a;
      if (outer >= 0) list.add(outer, 0.95, `\`${nameOf(model, outer)}\` waits for the device (${what} inside)`);
      else list.add(s, copy ? 0.8 : 0.95, copy ? `blocking copy ${what}` : `host sync call ${what}`);
    }
  }
  // Device-side mirrors of sync calls (Kineto cuda_sync), unless their host call was counted.
  for (let s = 0; s < model.slices.length; s++) {
    if (kinds[s] !== 'wait' || catOf(model, s) !== 'cuda_sync') continue;
    const n = nameOf(model, s);
    if (/Wait Event/i.test(n)) continue; // a stream waiting on an event: event_wait
    const h = links.launcher[s];
    if (h >= 0 && counted.has(h)) continue;
    list.add(s, 0.7, `device-side \`${n}\` with no host sync call linked`);
  }
  // Scalar reads with no sync call inside: only when the trace records no runtime calls at
  // all (otherwise the missing call means the tensor was on the CPU).
  if (hasDevice && !runtimeRecorded) {
    for (let t = 0; t < model.tracks.length; t++) {
      if (!isHostTrack(model, t)) continue;
      const scalarRead = perString(model, 'sync:scalarRead', (n) => SCALAR_READ.test(n));
      for (let s = model.tracks.sliceStart[t]; s < model.tracks.sliceEnd[t]; s++) {
        if (!scalarRead(model.slices.name[s]) || list.has(s)) continue;
        let covered = false;
        for (const a of ancestorsOf(model, s)) if (list.has(a)) covered = true;
        if (!covered) list.add(s, 0.5, `\`${nameOf(model, s)}\` reads a device value on the host (no runtime calls recorded)`);
      }
    }
  }
  return list.result('sync', 'host waits for the device: sync calls, and the ATen ops that contain them', model.slices.durNs);
}
