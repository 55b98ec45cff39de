/**
 * A synthetic GPU-style TraceModel of about `targetSlices` slices, written
 * straight into typed arrays so millions of slices take well under a second.
 * Used by the frame benchmark (bench/frames.mjs) and the LOD tests.
 *
 * The function is self-contained (no imports at run time, no module-level
 * helpers) on purpose: the benchmark ships its source text into the page with
 * Playwright's `page.evaluate`.
 *
 * Shape: one host thread with ProfilerStep → decoder layer → op →
 * cudaLaunchKernel (depths 0–3), a compute stream and a communication stream
 * with one kernel per op, a flow from each launch to its kernel, and a
 * memory counter.
 */
import type { TraceModel } from '../../../lib/trace/model.ts';

export function syntheticModel(targetSlices: number, seed = 1): TraceModel {
  let state = seed >>> 0 || 1;
  const rand = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const strings = ['python', 'GPU 0', 'thread 1 (python)', 'stream 7', 'stream 13', 'cpu_op', 'cuda_runtime', 'kernel', 'user_annotation', 'cudaLaunchKernel', 'ac2g', 'GPU memory (MB)'];
  const S = (s: string): number => {
    let i = strings.indexOf(s);
    if (i < 0) i = strings.push(s) - 1;
    return i;
  };
  const OPS = [
    ['aten::linear', 'sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64'],
    ['aten::mm', 'ampere_bf16_s16816gemm_bf16_128x64_ldg8_f2f_stages_64x3_tn'],
    ['flash_attn::_flash_attn_forward', 'flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 64, 4>>'],
    ['aten::add', 'vectorized_elementwise_kernel<4, CUDAFunctor_add<c10::BFloat16>>'],
    ['aten::silu', 'vectorized_elementwise_kernel<4, silu_kernel<c10::BFloat16>>'],
    ['c10d::allreduce_', 'ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevComm*, unsigned long, ncclWork*)'],
  ];
  const opName = OPS.map((o) => S(o[0]));
  const kernelName = OPS.map((o) => S(o[1]));
  const OPS_PER_LAYER = OPS.length;
  const LAYERS_PER_STEP = 28;
  const layerName = Array.from({ length: LAYERS_PER_STEP }, (_, i) => S(`decoder_layer.${i}`));
  const CAT_USER = S('user_annotation');
  const CAT_OP = S('cpu_op');
  const CAT_RUNTIME = S('cuda_runtime');
  const CAT_KERNEL = S('kernel');
  const LAUNCH = S('cudaLaunchKernel');
  // Slices per op: op + launch + kernel; plus one layer per 6 ops, one step per 28 layers.
  const perOp = 3 + 1 / OPS_PER_LAYER + 1 / (OPS_PER_LAYER * LAYERS_PER_STEP);
  const nOps = Math.max(OPS_PER_LAYER, Math.floor(targetSlices / perOp));
  const nLayers = Math.ceil(nOps / OPS_PER_LAYER);
  const nSteps = Math.ceil(nLayers / LAYERS_PER_STEP);
  const nHost = nSteps + nLayers + 2 * nOps;
  const n = nHost + nOps;

  const track = new Int32Array(n);
  const startNs = new Float64Array(n);
  const durNs = new Float64Array(n);
  const depth = new Uint16Array(n);
  const name = new Int32Array(n);
  const cat = new Int32Array(n);
  const parent = new Int32Array(n);
  const kStart = new Float64Array(nOps);
  const kDur = new Float64Array(nOps);
  const kOp = new Int32Array(nOps);
  const launchId = new Int32Array(nOps);
  const streamFree = [0, 0];

  let id = 0;
  let t = 1000;
  let op = 0;
  for (let step = 0; step < nSteps && op < nOps; step++) {
    const stepId = id++;
    track[stepId] = 0; startNs[stepId] = t; depth[stepId] = 0; parent[stepId] = -1;
    name[stepId] = strings.push(`ProfilerStep#${step}`) - 1; cat[stepId] = CAT_USER;
    t += 2000;
    for (let layer = 0; layer < LAYERS_PER_STEP && op < nOps; layer++) {
      const layerId = id++;
      track[layerId] = 0; startNs[layerId] = t; depth[layerId] = 1; parent[layerId] = stepId;
      name[layerId] = layerName[layer]; cat[layerId] = CAT_USER;
      t += 300;
      for (let k = 0; k < OPS_PER_LAYER && op < nOps; k++, op++) {
        const opId = id++;
        const launch = id++;
        const opDur = 6000 + Math.floor(rand() * 12000);
        track[opId] = 0; startNs[opId] = t; durNs[opId] = opDur; depth[opId] = 2; parent[opId] = layerId;
        name[opId] = opName[k]; cat[opId] = CAT_OP;
        const lStart = t + 1500 + Math.floor(rand() * 2000);
        track[launch] = 0; startNs[launch] = lStart; durNs[launch] = 2500 + Math.floor(rand() * 2000);
        depth[launch] = 3; parent[launch] = opId; name[launch] = LAUNCH; cat[launch] = CAT_RUNTIME;
        const stream = k === OPS_PER_LAYER - 1 ? 1 : 0;
        const ks = Math.max(lStart + 4000, streamFree[stream]);
        const kd = stream === 1 ? 20000 + Math.floor(rand() * 40000) : 3000 + Math.floor(rand() * 20000);
        kStart[op] = ks; kDur[op] = kd; kOp[op] = k; launchId[op] = launch;
        streamFree[stream] = ks + kd + 1000;
        t += opDur + 500 + Math.floor(rand() * 1500);
      }
      durNs[layerId] = t - startNs[layerId];
      t += 200;
    }
    durNs[stepId] = t - startNs[stepId];
    t += 5000;
  }
  const hostEnd = id;
  // Streams: compute (track 1) then communication (track 2), each in start order.
  const kernelId = new Int32Array(op);
  const streamRange: number[] = [];
  for (let s = 0; s < 2; s++) {
    streamRange.push(id);
    for (let i = 0; i < op; i++) {
      if ((kOp[i] === OPS_PER_LAYER - 1 ? 1 : 0) !== s) continue;
      const k = id++;
      track[k] = 1 + s; startNs[k] = kStart[i]; durNs[k] = kDur[i]; depth[k] = 0; parent[k] = -1;
      name[k] = kernelName[kOp[i]]; cat[k] = CAT_KERNEL;
      kernelId[i] = k;
    }
  }
  streamRange.push(id);
  const total = id;
  let endNs = 0;
  for (let i = 0; i < total; i++) if (startNs[i] + durNs[i] > endNs) endNs = startNs[i] + durNs[i];

  const nCounter = 2000;
  const ctrTs = new Float64Array(nCounter);
  const ctrVal = new Float64Array(nCounter);
  for (let i = 0; i < nCounter; i++) {
    ctrTs[i] = (endNs * i) / nCounter;
    ctrVal[i] = 14000 + 2000 * Math.sin(i / 40) + rand() * 300;
  }
  const flowIds = new Float64Array(op);
  for (let i = 0; i < op; i++) flowIds[i] = i + 1;
  const fromSlice = launchId.slice(0, op);
  const toSlice = kernelId;
  const fromNs = new Float64Array(op);
  const toNs = new Float64Array(op);
  for (let i = 0; i < op; i++) {
    fromNs[i] = startNs[fromSlice[i]];
    toNs[i] = startNs[toSlice[i]];
  }
  const flowCat = new Int32Array(op).fill(S('ac2g'));

  return {
    format: 'kineto',
    originUs: '0',
    endNs,
    strings,
    processes: {
      length: 2,
      pid: ['1', '0'],
      name: [S('python'), S('GPU 0')],
      label: [-1, -1],
      sortIndex: Float64Array.from([0, 1]),
      kind: ['host', 'gpu'],
      device: Int32Array.from([-1, 0]),
    },
    tracks: {
      length: 4,
      process: Int32Array.from([0, 1, 1, 0]),
      tid: ['1', '7', '13', 'GPU memory (MB)'],
      name: [S('thread 1 (python)'), S('stream 7'), S('stream 13'), S('GPU memory (MB)')],
      sortIndex: Float64Array.from([0, 7, 13, 100]),
      kind: ['thread', 'gpu-stream', 'gpu-stream', 'counter'],
      sliceStart: Int32Array.from([0, streamRange[0], streamRange[1], total]),
      sliceEnd: Int32Array.from([hostEnd, streamRange[1], streamRange[2], total]),
      maxDepth: Int32Array.from([4, 1, 1, 0]),
    },
    slices: {
      length: total,
      track: track.subarray(0, total),
      startNs: startNs.subarray(0, total),
      durNs: durNs.subarray(0, total),
      depth: depth.subarray(0, total),
      name: name.subarray(0, total),
      cat: cat.subarray(0, total),
      args: new Int32Array(total).fill(-1),
      parent: parent.subarray(0, total),
      fromBE: new Uint8Array(total),
    },
    instants: { length: 0, track: new Int32Array(0), tsNs: new Float64Array(0), name: new Int32Array(0), cat: new Int32Array(0), args: new Int32Array(0) },
    counters: { length: nCounter, track: new Int32Array(nCounter).fill(3), tsNs: ctrTs, value: ctrVal },
    flows: { length: op, idNumber: flowIds, idText: new Int32Array(op).fill(-1), idBytes: new Uint8Array(0), idOffsets: new Int32Array(1), cat: flowCat, fromSlice, toSlice, fromNs, toNs },
    args: { length: 0, segments: [], segment: new Int32Array(0), start: new Int32Array(0), end: new Int32Array(0), keyed: {} },
    metadata: { synthetic: true },
    stats: { bytes: 0, events: total, byPhase: { X: total }, droppedBytes: 0, truncated: false, warnings: [] },
  };
}
