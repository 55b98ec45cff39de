// Writes a PyTorch-profiler-shaped trace (Kineto JSON layout, formatting and
// event mix of a training step: nested cpu_ops, cudaLaunchKernel + ac2g
// flows, kernels with launch args on two streams, memcpys, python_function
// frames) of a target size, deterministically, streaming to disk so that 1 GB
// needs no 1 GB string. Used by bench/load.mjs; not a fixture for tests.
import fs from 'node:fs';

/** Small deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPS = ['aten::linear', 'aten::addmm', 'aten::matmul', 'aten::relu', 'aten::conv2d', 'aten::convolution', 'aten::_convolution', 'aten::cudnn_convolution', 'aten::add_', 'aten::mul', 'aten::empty', 'aten::copy_', 'aten::to', 'aten::view', 'aten::t', 'aten::transpose', 'aten::as_strided', 'aten::native_batch_norm', 'autograd::engine::evaluate_function: AddmmBackward0', 'AddmmBackward0', 'aten::mm', 'aten::sum', 'aten::_log_softmax', 'Optimizer.step#SGD.step'];
const KERNELS = [
  'void at::native::vectorized_elementwise_kernel<4, at::native::CUDAFunctor_add<float>, at::detail::Array<char*, 3> >(int, at::native::CUDAFunctor_add<float>, at::detail::Array<char*, 3>)',
  'void cutlass::Kernel<cutlass_80_tensorop_s1688gemm_256x64_16x4_nt_align4>(cutlass_80_tensorop_s1688gemm_256x64_16x4_nt_align4::Params)',
  'ampere_sgemm_128x64_nn',
  'void cudnn::bn_fw_tr_1C11_kernel_NCHW<float, float, int, 512, true, 1>(cudnnTensorStruct, float const*, cudnnTensorStruct, float*, float const*, float const*, float, float, float*, float*, float*, float*, float, float)',
  'void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::func_wrapper_t<float, at::native::sum_functor<float, float, float>::operator()(at::TensorIterator&)::{lambda(float, float)#1}>, unsigned int, float, 4> >(at::native::ReduceOp<float, at::native::func_wrapper_t<float, at::native::sum_functor<float, float, float>::operator()(at::TensorIterator&)::{lambda(float, float)#1}>, unsigned int, float, 4>)',
  'ncclKernel_AllReduce_RING_LL_Sum_float(ncclDevComm*, unsigned long, ncclWork*)',
];
const PY = ['torch/nn/modules/module.py(1501): _call_impl', 'torch/nn/modules/linear.py(114): forward', 'train.py(88): train_step', 'torch/optim/optimizer.py(280): wrapper', 'torch/autograd/__init__.py(200): backward'];

const PID = 2910249;
const TID = 2910249;
const us = (t) => (t / 1000).toFixed(3); // t in ns → µs text with 3 decimals, as Kineto writes

export function writeKinetoLike(path, targetBytes, seed = 1) {
  const rand = rng(seed);
  const fd = fs.openSync(path, 'w');
  let pending = '';
  let written = 0;
  const out = (s) => {
    pending += s;
    if (pending.length > 1 << 20) {
      fs.writeSync(fd, pending);
      written += Buffer.byteLength(pending);
      pending = '';
    }
  };
  out('{\n  "schemaVersion": 1,\n  "deviceProperties": [\n    {\n      "id": 0, "name": "NVIDIA A100-SXM4-80GB", "totalGlobalMem": 85031714816,\n      "computeMajor": 8, "computeMinor": 0,\n      "maxThreadsPerBlock": 1024, "maxThreadsPerMultiprocessor": 2048,\n      "regsPerBlock": 65536, "warpSize": 32,\n      "sharedMemPerBlock": 49152, "numSms": 108\n    }\n  ],\n  "distributedInfo": {"backend": "nccl", "rank": 0, "world_size": 8},\n  "traceEvents": [\n');
  let t = 4458676388068751; // ns
  let gpuT = t + 50000;
  let ext = 1;
  let corr = 1;
  let evIdx = 0;
  let first = true;
  const event = (text) => {
    out(first ? '  {\n' + text + '\n  }' : ',\n  {\n' + text + '\n  }');
    first = false;
  };
  while (written + pending.length < targetBytes - 2000) {
    // A python frame around a nested cpu_op with a kernel launch.
    const opStart = t;
    const nOps = 1 + Math.floor(rand() * 3);
    const py = PY[Math.floor(rand() * PY.length)];
    const pyId = ext;
    let c = opStart + 1000;
    for (let k = 0; k < nOps; k++) {
      const name = OPS[Math.floor(rand() * OPS.length)];
      const dur = 8000 + Math.floor(rand() * 20000);
      const dims = rand() < 0.5 ? `, "Input Dims": [[${32 + Math.floor(rand() * 4000)}, ${1024}], [1024, 1024], []], "Input type": ["float", "float", "Scalar"]` : '';
      event(`    "ph": "X", "cat": "cpu_op", "name": "${name}", "pid": ${PID}, "tid": ${TID},\n    "ts": ${us(c)}, "dur": ${us(dur)},\n    "args": {\n      "External id": ${ext},"Record function id": ${ext + 7}, "Sequence number": ${ext >> 1}, "Fwd thread id": 0, "Ev Idx": ${evIdx++}${dims}\n    }`);
      const launch = c + 1500 + Math.floor(rand() * 1000);
      const ldur = 2000 + Math.floor(rand() * 3000);
      event(`    "ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": ${PID}, "tid": ${TID},\n    "ts": ${us(launch)}, "dur": ${us(ldur)},\n    "args": {\n      "External id": ${ext},      "cbid": 211, "correlation": ${corr}\n    }`);
      event(`    "ph": "s", "id": ${corr}, "pid": ${PID}, "tid": ${TID}, "ts": ${us(launch)},\n    "cat": "ac2g", "name": "ac2g"`);
      gpuT = Math.max(gpuT + 500, launch + 4000);
      const kdur = 1000 + Math.floor(rand() * 200000);
      const stream = rand() < 0.8 ? 7 : 20;
      const r = rand() < 0.1;
      const kname = r ? 'Memcpy HtoD (Pageable -> Device)' : KERNELS[Math.floor(rand() * KERNELS.length)];
      const kargs = r
        ? `"External id": ${ext},      "device": 0, "context": 1,      "stream": ${stream}, "correlation": ${corr},      "bytes": ${Math.floor(rand() * 1e7)}, "memory bandwidth (GB/s)": ${(rand() * 20).toFixed(6)}`
        : `"External id": ${ext},      "queued": 0, "device": 0, "context": 1,      "stream": ${stream}, "correlation": ${corr},      "registers per thread": ${16 + Math.floor(rand() * 200)},      "shared memory": ${Math.floor(rand() * 49152)},      "blocks per SM": ${(rand() * 8).toFixed(6)},      "warps per SM": ${(rand() * 64).toFixed(6)},      "grid": [${1 + Math.floor(rand() * 1024)}, 1, 1],      "block": [${[128, 256, 512][Math.floor(rand() * 3)]}, 1, 1],      "est. achieved occupancy %": ${Math.floor(rand() * 100)}`;
      event(`    "ph": "X", "cat": "${r ? 'gpu_memcpy' : 'kernel'}", "name": "${kname}", "pid": 0, "tid": ${stream},\n    "ts": ${us(gpuT)}, "dur": ${us(kdur)},\n    "args": {\n      ${kargs}\n    }`);
      event(`    "ph": "f", "id": ${corr}, "pid": 0, "tid": ${stream}, "ts": ${us(gpuT)},\n    "cat": "ac2g", "name": "ac2g", "bp": "e"`);
      gpuT += kdur;
      ext++;
      corr++;
      c += dur + 500;
    }
    // The Python frame encloses its ops (written after them: files are not sorted).
    const pyDur = c - opStart + 1000 + Math.floor(rand() * 5000);
    event(`    "ph": "X", "cat": "python_function", "name": "${py}", "pid": ${PID}, "tid": ${TID},\n    "ts": ${us(opStart)}, "dur": ${us(pyDur)},\n    "args": {\n      "Python parent id": ${pyId}, "Python id": ${pyId + 1}, "Python thread": 0\n    }`);
    t = opStart + pyDur + 2000;
  }
  // Metadata last, as Kineto writes it.
  const meta = (name, pid, tid, args) => event(`    "name": "${name}", "ph": "M", "ts": ${us(4458676388068751)}, "pid": ${pid}, "tid": ${tid},\n    "args": {\n      ${args}\n    }`);
  meta('process_name', PID, 0, '"name": "python3.10"');
  meta('process_labels', PID, 0, '"labels": "CPU"');
  meta('process_name', 0, 0, '"name": "python3.10"');
  meta('process_labels', 0, 0, '"labels": "GPU 0"');
  meta('thread_name', PID, TID, `"name": "thread ${TID} (python3.10)"`);
  meta('thread_name', 0, 7, '"name": "stream 7 "');
  meta('thread_name', 0, 20, '"name": "stream 20 "');
  out('\n  ],\n  "traceName": "synthetic.pt.trace.json"\n}\n');
  fs.writeSync(fd, pending);
  fs.closeSync(fd);
  return written + Buffer.byteLength(pending);
}
