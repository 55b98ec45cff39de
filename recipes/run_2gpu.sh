#!/usr/bin/env bash
# The two-GPU recordings (pending until a 2-GPU machine is lent): TP=2 Qwen decode (eager and CUDA
# graph) and the three DeepSeek communication variants at world size 2, one trace per rank each.
# Keep NVLink multicast off (the workplace's machines require it; harmless elsewhere).
set -uo pipefail
cd "$(dirname "$0")/.."
REC=${REC:-/tmp/recordings}
mkdir -p "$REC"
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
LOG="$REC/run_2gpu.log"
status=0
{
  nvidia-smi || true
  python3 recipes/record_env.py > "$REC/environment-2gpu.json" && cat "$REC/environment-2gpu.json"
  torchrun --nproc-per-node 2 recipes/qwen_tp_decode.py --out "$REC" || status=1
  torchrun --nproc-per-node 2 recipes/qwen_tp_decode.py --out "$REC" --cuda-graph || status=1
  torchrun --nproc-per-node 2 recipes/deepseek_mla_moe.py --out "$REC" || status=1
  ls -l "$REC"
} 2>&1 | tee "$LOG"
if [ -n "${OUT:-}" ]; then
  # At most 8 files come back from the device tool: the log, the summaries, and the traces in two tarballs.
  cp "$LOG" "$OUT/"
  tar czf "$OUT/summaries-2gpu.tar.gz" -C "$REC" environment-2gpu.json $(cd "$REC" && ls *ws2*.summary.json *tp2*.summary.json)
  tar cf "$OUT/qwen-tp2-traces.tar" -C "$REC" $(cd "$REC" && ls qwen2_5-7b-shape_tp2_*.json.gz)
  tar cf "$OUT/deepseek-ws2-traces.tar" -C "$REC" $(cd "$REC" && ls deepseek-v3-shape_*_ws2_*.json.gz)
fi
exit $status
