#!/usr/bin/env bash
# Two TP ranks on ONE GPU, for when no two-GPU machine is lent: the same recipes as run_2gpu.sh, both
# ranks on GPU 0 (TRACEWISE_RANKS_SHARE_GPU=1). NCCL runs for real, through its socket transport over
# loopback (each rank gets its own NCCL_HOSTID, see common.py), and CUDA MPS, when it can be started,
# lets the two ranks' kernels run side by side instead of time-slicing the GPU. Kernel names, order,
# shapes and the host side are real; collective durations are loopback-TCP ones, not NVLink's, and
# compute kernels share the SMs with the other rank.
set -uo pipefail
cd "$(dirname "$0")/.."
REC=${REC:-/tmp/recordings}
mkdir -p "$REC"
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
export TRACEWISE_RANKS_SHARE_GPU=1 NCCL_SOCKET_IFNAME=lo NCCL_IB_DISABLE=1
LOG="$REC/run_2rank_1gpu.log"
status=0
{
  nvidia-smi || true
  mps_on() {
    export CUDA_MPS_PIPE_DIRECTORY=/tmp/mps-pipe CUDA_MPS_LOG_DIRECTORY=/tmp/mps-log
    mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
    nvidia-cuda-mps-control -d
  }
  mps_off() { echo quit | nvidia-cuda-mps-control 2>/dev/null; sleep 2; unset CUDA_MPS_PIPE_DIRECTORY CUDA_MPS_LOG_DIRECTORY; }
  check() { (cd recipes && timeout 90 torchrun --nproc-per-node 2 check_shared_gpu.py); }
  if [ "${MPS:-1}" = 1 ] && command -v nvidia-cuda-mps-control >/dev/null && mps_on; then
    echo "MPS daemon started"
    if ! check; then echo "check failed under MPS: trying without"; mps_off; check || { echo "two ranks on one GPU do not work here"; exit 1; }; fi
  else
    echo "MPS not used: ranks time-slice the GPU"
    check || { echo "two ranks on one GPU do not work here"; exit 1; }
  fi
  python3 recipes/record_env.py > "$REC/environment-2rank-1gpu.json" && cat "$REC/environment-2rank-1gpu.json"
  timeout 200 torchrun --nproc-per-node 2 recipes/qwen_tp_decode.py --out "$REC" || status=1
  timeout 180 torchrun --nproc-per-node 2 recipes/qwen_tp_decode.py --out "$REC" --cuda-graph || status=1
  [ "${DEEPSEEK:-1}" = 1 ] && { timeout 240 torchrun --nproc-per-node 2 recipes/deepseek_mla_moe.py --out "$REC" --seqs "${SEQS:-4}" || status=1; }
  ls -l "$REC"
  command -v nvidia-cuda-mps-control >/dev/null && mps_off
} 2>&1 | tee "$LOG"
if [ -n "${OUT:-}" ]; then
  cp "$LOG" "$OUT/"
  (cd "$REC" && tar czf "$OUT/summaries-2rank-1gpu.tar.gz" environment-2rank-1gpu.json $(ls *tp2*.summary.json *ws2*.summary.json 2>/dev/null))
  (cd "$REC" && tar cf "$OUT/qwen-tp2-traces.tar" $(ls qwen2_5-7b-shape_tp2_*.json.gz 2>/dev/null))
  (cd "$REC" && tar cf "$OUT/deepseek-ws2-traces.tar" $(ls deepseek-v3-shape_*ws2*.json.gz 2>/dev/null))
fi
exit $status
