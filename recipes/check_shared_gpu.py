"""Two ranks on one GPU: does NCCL run, is the sum right, and does the profiler see the NCCL kernel?

    TRACEWISE_RANKS_SHARE_GPU=1 torchrun --nproc-per-node 2 recipes/check_shared_gpu.py

Run by run_2rank_1gpu.sh before the recordings, once with CUDA MPS and, if that fails, without.
"""

import sys
import time

import torch
from torch.profiler import ProfilerActivity, profile

from common import all_reduce, init_dist


def main() -> int:
    d = init_dist("cuda")
    x = torch.full((1 << 20,), float(d.rank + 1), device=d.device, dtype=torch.float16)
    all_reduce(x, d)
    torch.cuda.synchronize()
    ok = bool((x == 3.0).all())
    t0 = time.perf_counter()
    for _ in range(20):
        all_reduce(x, d)
    torch.cuda.synchronize()
    per = (time.perf_counter() - t0) / 20 * 1e6
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        all_reduce(x, d)
        torch.cuda.synchronize()
    kernels = sorted({e.name for e in prof.events() if e.device_type.name == "CUDA"})
    print(f"[rank {d.rank}] sum {'ok' if ok else 'WRONG'}; 2 MiB all-reduce {per:.0f} us; "
          f"device events: {kernels}", flush=True)
    torch.distributed.destroy_process_group()
    return 0 if ok and any("nccl" in k.lower() for k in kernels) else 1


if __name__ == "__main__":
    sys.exit(main())
