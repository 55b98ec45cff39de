/**
 * Field tests for each parser of the decoder: NCCL names (both namings),
 * custom all-reduce, nvjet and older cuBLAS, template arguments of vLLM's
 * CUDA ops, attention backends, copies and runtime calls, Ascend task types,
 * hcom ops and CANN calls. Each expected value is read off the name by hand.
 */
import { describe, expect, it } from 'vitest';
import { baseName, dtypeOfCxxType, functionName, templateArgs } from './cxx.ts';
import { decodeName, nameOnlyHints } from './decode.ts';
import { parseNvjet } from './gpu-gemm.ts';
import type { NameDecoding, Text } from './types.ts';
import pack from '../../../content/exercises/gpu-qwen-tp.json' with { type: 'json' };

const kernel = (name: string) => decodeName(name, nameOnlyHints(true, 'kernel'));
const host = (name: string, cat = 'cuda_runtime') => decodeName(name, nameOnlyHints(false, cat));
const task = (name: string, taskType: string | null, args: Record<string, string> = {}) => decodeName(name, nameOnlyHints(true, '', taskType, args));

describe('C++ name parsing', () => {
  it('finds the function, its base name and its top-level template arguments', () => {
    const n = 'void vllm::act_and_mul_kernel<c10::BFloat16, &vllm::silu_kernel<c10::BFloat16>, true>(c10::BFloat16*, c10::BFloat16 const*, int)';
    expect(functionName(n)).toBe('vllm::act_and_mul_kernel');
    expect(baseName(functionName(n))).toBe('act_and_mul_kernel');
    expect(templateArgs(n)).toEqual(['c10::BFloat16', '&vllm::silu_kernel<c10::BFloat16>', 'true']);
  });
  it('keeps (anonymous namespace) in the function name and reads a name cut short', () => {
    expect(functionName('void at::native::(anonymous namespace)::max_pool_forward_nchw<float, float>(int)')).toBe('at::native::(anonymous namespace)::max_pool_forward_nchw');
    expect(templateArgs('void vllm::rms_norm_kernel<c10::Half, 8')).toEqual(['c10::Half', '8']);
  });
  it('drops a non-void return type', () => {
    expect(functionName('std::enable_if<!(false), void>::type internal::gemvx::kernel<int, float>(x)')).toBe('internal::gemvx::kernel');
  });
  it.each([
    ['c10::Half', 'f16'], ['__half', 'f16'], ['c10::BFloat16', 'bf16'], ['__nv_bfloat16', 'bf16'], ['float', 'f32'], ['double', 'f64'],
    ['c10::Float8_e4m3fn', 'f8e4m3'], ['signed char', 'i8'], ['unsigned char', 'u8'], ['long', 'i64'], ['vllm::Fp8KVCacheDataType', null],
  ])('%s is %s', (cxx, d) => expect(dtypeOfCxxType(cxx)).toBe(d));
});

describe('NCCL kernels', () => {
  it.each([
    ['ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)', { collective: 'all_reduce', op: 'sum', dtype: 'bf16', algorithm: 'ring', protocol: 'll' }],
    ['ncclDevKernel_AllReduce_Sum_f16_TREE_LL', { collective: 'all_reduce', op: 'sum', dtype: 'f16', algorithm: 'tree', protocol: 'll' }],
    ['ncclDevKernel_AllReduce_MinMax_f32_NVLS_TREE_SIMPLE', { collective: 'all_reduce', op: 'min_max', dtype: 'f32', algorithm: 'nvls_tree', protocol: 'simple' }],
    ['ncclDevKernel_ReduceScatter_Sum_bf16_COLLNET_DIRECT_LL128', { collective: 'reduce_scatter', op: 'sum', dtype: 'bf16', algorithm: 'collnet_direct', protocol: 'll128' }],
    ['ncclDevKernel_AllGather_RING_LL(ncclDevKernelArgsStorage<4096ul>)', { collective: 'all_gather', algorithm: 'ring', protocol: 'll' }],
    ['ncclDevKernel_SendRecv(ncclDevKernelArgsStorage<4096ul>)', { collective: 'send_recv' }],
    ['ncclKernel_AllReduce_RING_LL_Sum_float(ncclDevComm*, unsigned long, ncclWork*)', { collective: 'all_reduce', op: 'sum', dtype: 'f32', algorithm: 'ring', protocol: 'll' }],
    ['ncclKernel_AllReduce_RING_LL_Sum___nv_bfloat16(ncclDevComm*, unsigned long, ncclWork*)', { collective: 'all_reduce', op: 'sum', dtype: 'bf16', algorithm: 'ring', protocol: 'll' }],
    ['ncclKernel_SendRecv_RING_SIMPLE_Sum_int8_t(ncclDevComm*, unsigned long, ncclWork*)', { collective: 'send_recv', op: 'sum', dtype: 'i8', algorithm: 'ring', protocol: 'simple' }],
  ])('%s', (name, fields) => {
    const d = kernel(name)!;
    expect(d.family).toBe('nccl');
    expect(d.category).toBe('communication');
    for (const k of ['collective', 'op', 'dtype', 'algorithm', 'protocol']) expect(d.fields[k], k).toBe((fields as Record<string, string>)[k]);
  });
  it('says that the name is the specialisation, not proof of the algorithm that ran', () => {
    expect(kernel('ncclDevKernel_AllReduce_Sum_f16_RING_LL')!.caveats[0].en).toMatch(/may not be what ran/);
  });
});

describe('custom all-reduce', () => {
  it.each([
    ['void vllm::cross_device_reduce_1stage<__half, 2>(vllm::RankData*, vllm::RankSignals, vllm::Signal*, __half*, int, int)', 'one_shot', 'f16', 2],
    ['void vllm::cross_device_reduce_2stage<c10::BFloat16, 8>(vllm::RankData*, vllm::RankSignals, vllm::Signal*, c10::BFloat16*, int, int)', 'two_shot', 'bf16', 8],
    ['void sglang::cross_device_reduce_1stage<__nv_bfloat16, 4>(x)', 'one_shot', 'bf16', 4],
  ])('%s', (name, algorithm, dtype, ranks) => {
    const d = kernel(name)!;
    expect(d.family).toBe('custom-allreduce');
    expect(d.fields).toMatchObject({ collective: 'all_reduce', op: 'sum', algorithm, dtype, ranks });
    expect(d.category).toBe('communication');
  });
  it('reads symmetric-memory one-shot/two-shot kernels', () => {
    expect(kernel('void c10d::symmetric_memory::two_shot_all_reduce_kernel<c10::BFloat16, 16, 8>(x)')!.fields).toMatchObject({ collective: 'all_reduce', algorithm: 'two_shot', dtype: 'bf16' });
  });
});

describe('GEMMs', () => {
  it('decodes an nvjet name field by field', () => {
    expect(parseNvjet('nvjet_sm90_hsh_192x8_64x8_4x1_v_bz_TNT')).toEqual({
      library: 'cublaslt', arch: 'sm90', types: 'hsh', in_type: 'f16', compute_type: 'f32', out_type: 'f16', dtype: 'f16',
      tile: '192x8', tile_k: 64, stages: 8, cluster: '4x1', raster: 'vertical', layout: 'TNT', split_k: false, bias: false, flags: 'bz',
    });
  });
  it('reads the split-K and bias epilogues, cooperative variants and names without an arch', () => {
    expect(parseNvjet('nvjet_sm90_hsh_64x8_64x16_4x1_v_bz_splitK_bias_TNT')).toMatchObject({ split_k: true, bias: true, flags: 'bz' });
    expect(parseNvjet('nvjet_tst_128x256_64x4_1x2_h_bz_coopA_NNT')).toMatchObject({ in_type: 'bf16', compute_type: 'f32', out_type: 'bf16', tile: '128x256', cluster: '1x2', raster: 'horizontal', flags: 'bz,coopA', layout: 'NNT' });
    expect(parseNvjet('nvjet_tst_128x256_64x4_1x2_h_bz_coopA_NNT')).not.toHaveProperty('arch');
  });
  it.each([
    ['volta_sgemm_128x64_nn', 'cublas', { library: 'cublas', arch: 'volta', dtype: 'f32', tile: '128x64', layout: 'NN' }],
    ['ampere_bf16_s16816gemm_bf16_128x128_ldg8_f2f_stages_64x3_tn', 'cublas', { library: 'cublas', dtype: 'bf16', layout: 'TN' }],
    ['sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas', 'cublas', { library: 'cublas', arch: 'sm90', dtype: 'bf16' }],
    ['void cutlass::Kernel<cutlass_80_tensorop_s1688gemm_128x128_16x4_nn_align4>(cutlass_80_tensorop_s1688gemm_128x128_16x4_nn_align4::Params)', 'cutlass', { library: 'cutlass', arch: 'sm80', math: 'tensorop', dtype: 'f32', tile: '128x128', layout: 'NN' }],
    ['void cublasLt::splitKreduce_kernel<32, 16, int, float, __half, float, __half, true, false, false>(x)', 'cublas-splitk-reduce', { library: 'cublaslt', split_k: true }],
    ['triton_poi_fused_add_cos_sin_0', 'triton', { library: 'triton', kernel_kind: 'poi', fused: 'add_cos_sin' }],
    ['Cijk_Ailk_Bjlk_SB_Bias_AS_SAV_UserArgs_MT64x16x16_MI16x16x1_SN_GSU1_ISA90a', 'rocm-gemm', { tile: '64x16', tile_k: 16, layout: 'NT', bias: true, split_k: false }],
  ])('%s', (name, family, fields) => {
    const d = kernel(name)!;
    expect(d.family).toBe(family);
    expect(d.fields).toMatchObject(fields);
  });
  it('says Triton kernels carry no dtype', () => {
    const d = kernel('triton_red_fused_rms_norm_0')!;
    expect(d.fields).not.toHaveProperty('dtype');
    expect(d.caveats.map((c) => c.en).join(' ')).toMatch(/carry no data type/);
  });
});

describe('attention and vLLM ops', () => {
  it.each([
    ['void pytorch_flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t> >, false>(Flash_fwd_params)', { implementation: 'pytorch_sdpa_flash', variant: 'splitkv', dtype: 'bf16' }],
    ['void pytorch_flash::flash_fwd_splitkv_combine_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::half_t>, 4, 2, true>(x)', { implementation: 'pytorch_sdpa_flash', variant: 'splitkv_combine', dtype: 'f16' }],
    ['void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t>, true>(Flash_fwd_params)', { implementation: 'flash_attention_2', variant: 'splitkv', dtype: 'bf16' }],
    ['void vllm::paged_attention_v2_kernel<__nv_bfloat16, __nv_bfloat16, 128, 16, 128, (vllm::Fp8KVCacheDataType)0, false, 512>(x)', { implementation: 'vllm_paged_attention', variant: 'v2', dtype: 'bf16' }],
    ['void vllm::paged_attention_v2_reduce_kernel<__nv_bfloat16, 128, 128, 512>(x)', { implementation: 'vllm_paged_attention_v2', variant: 'v2_reduce', dtype: 'bf16' }],
    ['kernel_unified_attention_2d', { implementation: 'vllm_unified_attention', variant: '2d' }],
    ['void flashinfer::BatchDecodeWithPagedKVCacheKernel<(flashinfer::PosEncodingMode)0, 2u, 4u, 8u, 16u, 1u, 8u, __nv_bfloat16, __nv_bfloat16>(x)', { implementation: 'flashinfer', variant: 'decode', dtype: 'bf16' }],
    ['fmha_cutlassF_f16_aligned_64x64_rf_sm80(PyTorchMemEffAttention::AttentionKernel<cutlass::half_t, cutlass::arch::Sm80, true, 64, 64, 64, true, true>::Params)', { implementation: 'pytorch_sdpa_efficient', variant: 'forward', dtype: 'f16' }],
  ])('%s', (name, fields) => {
    const d = kernel(name)!;
    expect(d.family).toBe('attention');
    expect(d.fields).toMatchObject(fields);
  });
  it.each([
    ['void vllm::act_and_mul_kernel<c10::Half, &vllm::silu_kernel<c10::Half>, true>(c10::Half*, c10::Half const*, int)', { kind: 'activation', dtype: 'f16', activation: 'silu' }],
    ['void vllm::act_and_mul_kernel<c10::BFloat16, &(c10::BFloat16 vllm::gelu_tanh_kernel<c10::BFloat16>(c10::BFloat16 const&)), true>(x)', { kind: 'activation', dtype: 'bf16', activation: 'gelu_tanh' }],
    ['void vllm::rotary_embedding_kernel<c10::BFloat16, true>(long const*, c10::BFloat16*, c10::BFloat16*, c10::BFloat16 const*, int, long, long, int, int, int)', { kind: 'rope', dtype: 'bf16', neox_style: true }],
    ['void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(x)', { kind: 'kv_cache_write', dtype: 'bf16', cache_dtype: 'bf16' }],
    ['void vllm::reshape_and_cache_kernel<c10::Half, unsigned char, (vllm::Fp8KVCacheDataType)1>(x)', { kind: 'kv_cache_write', dtype: 'f16', cache_dtype: 'u8' }],
    ['void vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, c10::BFloat16*, c10::BFloat16 const*, float, int, int)', { kind: 'fused_add_rms_norm', dtype: 'bf16' }],
    ['void vllm::rms_norm_kernel<float>(float*, float const*, float const*, float, int, int)', { kind: 'rms_norm', dtype: 'f32' }],
  ])('%s', (name, fields) => {
    const d = kernel(name)!;
    expect(d.family).toBe('vllm-op');
    expect(d.fields).toMatchObject(fields);
    expect(d.caveats).toEqual([]);
  });
  it('a bare vLLM-op name (a Triton kernel) has no dtype and says so', () => {
    const d = kernel('silu_and_mul_kernel')!;
    expect(d.family).toBe('vllm-op');
    expect(d.fields).not.toHaveProperty('dtype');
    expect(d.caveats[0].en).toMatch(/no data type/);
  });
});

describe('copies, syncs and runtime calls', () => {
  it.each([
    ['Memcpy HtoD (Pageable -> Device)', { direction: 'HtoD', src_memory: 'pageable', dst_memory: 'device' }],
    ['Memcpy DtoH (Device -> Pinned)', { direction: 'DtoH', src_memory: 'device', dst_memory: 'pinned' }],
    ['Memcpy DtoD (Device -> Device)', { direction: 'DtoD' }],
  ])('%s', (name, fields) => {
    const d = decodeName(name, nameOnlyHints(true, 'gpu_memcpy'))!;
    expect(d.family).toBe('gpu-memcpy');
    expect(d.category).toBe('copy');
    expect(d.fields).toMatchObject(fields);
  });
  it('warns about pageable memory only when the copy is pageable', () => {
    expect(decodeName('Memcpy HtoD (Pageable -> Device)', nameOnlyHints(true))!.caveats[0].en).toMatch(/Pageable/);
    expect(decodeName('Memcpy HtoD (Pinned -> Device)', nameOnlyHints(true))!.caveats).toEqual([]);
  });
  it.each([
    ['cudaGraphLaunch', 'graph_launch'], ['cudaLaunchKernel', 'launch'], ['cuLaunchKernelEx', 'launch'], ['cudaStreamSynchronize', 'sync'],
    ['cudaDeviceSynchronize', 'sync'], ['cudaStreamWaitEvent', 'stream_wait_event'], ['cudaMemcpyAsync', 'copy'], ['cudaEventRecord', 'event'], ['cudaMalloc', 'other'],
  ])('%s is a %s call', (name, kind) => {
    const d = host(name)!;
    expect(d.family).toBe('cuda-api');
    expect(d.category).toBe('host');
    expect(d.fields.kind).toBe(kind);
  });
  it('a device-side Stream Wait Event is a wait', () => {
    expect(decodeName('Stream Wait Event', nameOnlyHints(true, 'cuda_sync'))).toMatchObject({ family: 'cuda-sync', category: 'wait' });
  });
});

describe('Ascend', () => {
  it.each([
    ['aclnnMm_MatMulV3Common_MatMulV3', 'AI_CORE', 'computing', { task_type: 'AI_CORE', op_api: 'aclnnMm', kernel: 'MatMulV3', kernel_impl: 'MatMulV3Common' }],
    ['aclnnRmsNorm_RmsNorm_RmsNorm', 'AI_VECTOR_CORE', 'computing', { op_api: 'aclnnRmsNorm', kernel: 'RmsNorm' }],
    ['aclnnFusedInferAttentionScoreV3_FusedInferAttentionScore_FusedInferAttentionScore', 'MIX_AIC', 'computing', { task_type: 'MIX_AIC', kernel: 'FusedInferAttentionScore' }],
    ['aclnnMoeGatingTopK_MoeGatingTopK_MoeGatingTopK', 'MIX_AIV', 'computing', { task_type: 'MIX_AIV' }],
    ['NonZero', 'AI_CPU', 'computing', { task_type: 'AI_CPU', kernel: 'NonZero' }],
    ['aclnnDropoutGenMaskV2_DSAGenBitMask_DSAGenBitMask', 'DSA_SQE', 'computing', { task_type: 'DSA_SQE', kernel: 'DSAGenBitMask' }],
    ['EVENT_WAIT', 'EVENT_WAIT_SQE', 'wait', { task_type: 'EVENT_WAIT_SQE' }],
    ['EVENT_RECORD', 'EVENT_RECORD_SQE', 'wait', { task_type: 'EVENT_RECORD_SQE' }],
    ['MEMCPY_ASYNC', 'SDMA_SQE', 'copy', { task_type: 'SDMA_SQE' }],
    ['MEMCPY_ASYNC', 'PCIE_DMA_SQE', 'copy', { task_type: 'PCIE_DMA_SQE' }],
    ['Notify Wait', 'Notify Wait', 'wait', { task_type: 'Notify Wait' }],
    ['SDMA', 'SDMA', 'communication', { task_type: 'SDMA' }],
    ['Write Value', 'Write Value', 'communication', {}],
    ['trans_TransData_3', 'AI_CORE', 'computing', { kernel: 'TransData' }],
  ])('%s (%s)', (name, type, category, fields) => {
    const d = task(name, type)!;
    expect(d.family).toBe('ascend-task');
    expect(d.category).toBe(category);
    expect(d.fields).toMatchObject(fields);
  });
  it('reads HCCL plane sub-tasks from their lower-case args', () => {
    const d = task('Reduce_Inline', null, { 'task type': 'Reduce_Inline', 'transport type': 'SDMA', 'size(Byte)': '4', 'data type': 'INT32', 'src rank': '0', 'dst rank': '4294967295', 'link type': 'ON_CHIP' })!;
    expect(d.fields).toEqual({ task_type: 'Reduce_Inline', transport: 'SDMA', link: 'ON_CHIP', src_rank: 0, size_bytes: 4, dtype: 'i32' });
    expect(task('Memcpy', null, { 'task type': 'Memcpy', 'transport type': 'SDMA', 'size(Byte)': '2064384' })!.fields).toMatchObject({ size_bytes: 2064384 });
  });
  it('an unknown task type is named honestly', () => {
    const d = task('STARS_COMMON', 'STARS_COMMON')!;
    expect(d.label.en).toContain('STARS_COMMON');
    expect(d.role.en).toMatch(/does not describe/);
  });
  it('decodes hcom ops on the device and on the host', () => {
    const dev = decodeName('hcom_allReduce__586_0_1', nameOnlyHints(true, '', null, { data_type: 'FP32', alg_type: 'MESH-RING', count: '4097000' }))!;
    expect(dev).toMatchObject({ family: 'hccl', category: 'communication', fields: { collective: 'all_reduce', dtype: 'f32', algorithm: 'mesh_ring', count: 4097000 } });
    expect(host('AscendCL@hcom_reduceScatter_', '')).toMatchObject({ family: 'hccl', category: 'host', fields: { collective: 'reduce_scatter' } });
  });
  it.each([
    ['AscendCL@aclnnMm', 'ascend-cann', 'op_launch'],
    ['AscendCL@aclnnDivsGetWorkspaceSize', 'ascend-cann', 'workspace_query'],
    ['AscendCL@aclrtSynchronizeStreamWithTimeout', 'ascend-cann', 'sync'],
    ['AscendCL@aclrtStreamWaitEvent', 'ascend-cann', 'event'],
    ['AscendCL@TransData_Tiling', 'ascend-cann', 'compile_or_tiling'],
    ['aclnnQuantMatmulV4', 'ascend-cann', 'op_launch'],
  ])('%s', (name, family, kind) => {
    expect(host(name, '')).toMatchObject({ family, category: 'host', fields: { kind } });
  });
  it('decodes torch_npu ops', () => {
    expect(host('npu::npu_fused_infer_attention_score', 'cpu_op')).toMatchObject({ family: 'torch-npu-op', fields: { op: 'npu_fused_infer_attention_score' } });
  });
});

describe('host operators', () => {
  it.each([
    ['aten::_scaled_dot_product_flash_attention', 'flash'],
    ['aten::_scaled_dot_product_efficient_attention', 'efficient'],
    ['aten::_scaled_dot_product_cudnn_attention', 'cudnn'],
    ['aten::_scaled_dot_product_attention_math', 'math'],
  ])('%s names the SDPA backend %s', (name, backend) => {
    expect(host(name, 'cpu_op')).toMatchObject({ family: 'pytorch-op', category: 'host', fields: { sdpa_backend: backend } });
  });
  it('other aten ops are PyTorch operators', () => {
    expect(host('aten::mm', 'cpu_op')).toMatchObject({ family: 'pytorch-op', fields: { namespace: 'aten', op: 'mm' } });
  });
});

describe('not recognised', () => {
  it('a templated kernel of a library with no table is not recognised, not guessed', () => {
    expect(kernel('void mylib::detail::frobnicate<int, 4>(int*, int)')).toBeNull();
    expect(host('SomeHostThing', '')).toBeNull();
  });
  it('a bare name on a device is a bare kernel (Triton or extern "C"), on the host nothing', () => {
    expect(kernel('my_custom_kernel')?.family).toBe('bare-kernel');
    expect(host('my_custom_kernel', '')).toBeNull();
  });
});

describe('texts', () => {
  const samples: NameDecoding[] = [
    kernel('ncclDevKernel_AllReduce_Sum_bf16_RING_LL')!, kernel('void vllm::cross_device_reduce_1stage<__half, 2>(x)')!, kernel('nvjet_sm90_hsh_64x8_64x16_4x1_v_bz_bias_TNT')!,
    kernel('silu_and_mul_kernel')!, kernel('void vllm::rms_norm_kernel<float>(x)')!, task('EVENT_WAIT', 'EVENT_WAIT_SQE')!, host('cudaGraphLaunch')!, host('AscendCL@aclnnMm', '')!,
    decodeName('Memcpy DtoH (Device -> Pageable)', nameOnlyHints(true))!, kernel('triton_poi_fused_add_0')!, kernel('some_bare_kernel')!,
  ];
  const texts = (d: NameDecoding): Text[] => [d.label, d.role, ...d.caveats, ...(d.learn ? [d.learn.title] : [])];
  it('every text exists in both languages', () => {
    for (const d of samples) for (const x of texts(d)) {
      expect(x.en.length, d.family).toBeGreaterThan(0);
      expect(x.zh.length, d.family).toBeGreaterThan(0);
    }
  });
  it('Chinese text puts no ASCII space after full-width punctuation', () => {
    for (const d of samples) for (const x of texts(d)) expect(x.zh).not.toMatch(/[，。：；！？、）”] /);
  });
});

describe("lesson 2's exercises on real vLLM names agree with the decoder", () => {
  const byId = new Map(pack.exercises.map((e) => [e.id, e as { options?: Array<{ id: string; text: { en: string }; correct?: boolean }>; prompt: { en: string } }]));
  it('the dtype exercise: only the templated name carries a dtype', () => {
    const ex = byId.get('gq-real-vllm-dtype')!;
    for (const o of ex.options!) {
      const d = kernel(o.text.en.replace('(…)', '(x)'))!;
      expect(d, o.text.en).not.toBeNull();
      expect('dtype' in d.fields, o.text.en).toBe(Boolean(o.correct));
    }
  });
  it('the all-reduce exercise: the name in the prompt decodes to a one-shot fp16 all-reduce over 2 GPUs', () => {
    const name = /void vllm::cross_device_reduce_1stage<[^>]+>\(…\)/.exec(byId.get('gq-real-vllm-allreduce')!.prompt.en)![0];
    expect(kernel(name)!.fields).toMatchObject({ collective: 'all_reduce', algorithm: 'one_shot', dtype: 'f16', ranks: 2 });
  });
});
