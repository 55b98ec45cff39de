#!/usr/bin/env bash
# Everything that runs on one GPU, in one go: versions, the TP=1 Qwen recording (eager and CUDA graph)
# with its numerics check, and the DeepSeek variants' single-GPU numerics check and traces.
# Raw traces go to $REC (default /tmp/recordings, outside the repository); with $OUT set (the device
# tool's return folder) the log, the summaries and the gzipped traces are copied there.
set -uo pipefail
cd "$(dirname "$0")/.."
REC=${REC:-/tmp/recordings}
mkdir -p "$REC"
export PYTHONUNBUFFERED=1
LOG="$REC/run_1gpu.log"
status=0
{
  nvidia-smi || true
  python3 recipes/record_env.py > "$REC/environment.json" && cat "$REC/environment.json"
  python3 recipes/qwen_tp_decode.py --out "$REC" || status=1
  python3 recipes/qwen_tp_decode.py --out "$REC" --cuda-graph || status=1
  python3 recipes/qwen_tp_decode.py --out "$REC" --ops cuda || status=1
  python3 recipes/deepseek_mla_moe.py --out "$REC" || status=1
  ls -l "$REC"
} 2>&1 | tee "$LOG"
if [ -n "${OUT:-}" ]; then
  cp "$LOG" "$OUT/"
  tar czf "$OUT/summaries.tar.gz" -C "$REC" environment.json $(cd "$REC" && ls *.summary.json)
  for f in "$REC"/*.json.gz; do
    if [ "$(stat -c %s "$f")" -le $((16 * 1024 * 1024)) ]; then cp "$f" "$OUT/"; else echo "too big to bring back: $f"; fi
  done
fi
exit $status
