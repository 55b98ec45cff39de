"""What both recipes share: ranks, collectives, seeded weights, the profiler, numerics, the environment.

World size comes from torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK); plain `python`
is world size 1. At world size 1 no process group is created and every collective here is
the identity, so a TP=1 trace holds no communication at all.
"""

import gzip
import json
import os
import platform
import shutil
import subprocess
import time
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch.profiler import ProfilerActivity, profile, record_function, schedule


@dataclass
class Dist:
    rank: int
    world: int
    device: torch.device

    @property
    def is_first(self) -> bool:
        return self.rank == 0


def init_dist(device_kind: str) -> Dist:
    """device_kind 'cuda' (NCCL) or 'cpu' (gloo; only for testing the recipes without a GPU)."""
    rank = int(os.environ.get("RANK", "0"))
    world = int(os.environ.get("WORLD_SIZE", "1"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    share = ranks_share_gpu()
    if device_kind == "cuda":
        index = local % torch.cuda.device_count() if share else local
        torch.cuda.set_device(index)
        device = torch.device("cuda", index)
    else:
        device = torch.device("cpu")
    if world > 1 and device_kind == "cuda" and share:
        # NCCL refuses two ranks on one GPU ("Duplicate GPU detected") when it believes they share a
        # host. A host id of its own per rank makes each rank another "host" to NCCL, so the ranks talk
        # through NCCL's socket transport over loopback: real NCCL collectives and kernels, but
        # host-staged and slow, not NVLink. Used only when the two-GPU machine is not available.
        os.environ["NCCL_HOSTID"] = f"tracewise-rank{rank}"
        os.environ.setdefault("NCCL_SOCKET_IFNAME", "lo")
        os.environ.setdefault("NCCL_IB_DISABLE", "1")
    if world > 1:
        backend = "nccl" if device_kind == "cuda" else "gloo"
        kwargs = {"device_id": device} if device_kind == "cuda" else {}
        dist.init_process_group(backend=backend, rank=rank, world_size=world, **kwargs)
    return Dist(rank, world, device)


def ranks_share_gpu() -> bool:
    """TRACEWISE_RANKS_SHARE_GPU=1: every rank on GPU 0 (a one-GPU machine standing in for two)."""
    return os.environ.get("TRACEWISE_RANKS_SHARE_GPU") == "1"


def all_reduce(x: torch.Tensor, d: Dist) -> torch.Tensor:
    if d.world > 1:
        dist.all_reduce(x)
    return x


def all_gather_last_dim(x: torch.Tensor, d: Dist) -> torch.Tensor:
    """Concatenate each rank's [rows, n] along the last dim (vocab-parallel logits)."""
    if d.world == 1:
        return x
    rows, n = x.shape
    parts = torch.empty((d.world * rows, n), dtype=x.dtype, device=x.device)
    dist.all_gather_into_tensor(parts, x.contiguous())
    return parts.view(d.world, rows, n).permute(1, 0, 2).reshape(rows, d.world * n)


def reduce_scatter_rows(x: torch.Tensor, d: Dist) -> torch.Tensor:
    """Sum over ranks, each rank keeping its 1/world of the rows."""
    if d.world == 1:
        return x
    out = torch.empty((x.shape[0] // d.world,) + tuple(x.shape[1:]), dtype=x.dtype, device=x.device)
    if x.device.type == "cpu":  # gloo has no reduce_scatter; the CPU path only tests numerics
        dist.all_reduce(x)
        out.copy_(x.chunk(d.world, 0)[d.rank])
    else:
        dist.reduce_scatter_tensor(out, x.contiguous())
    return out


def all_gather_rows(x: torch.Tensor, d: Dist) -> torch.Tensor:
    if d.world == 1:
        return x
    out = torch.empty((x.shape[0] * d.world,) + tuple(x.shape[1:]), dtype=x.dtype, device=x.device)
    dist.all_gather_into_tensor(out, x.contiguous())
    return out


class Weights:
    """Seeded random weights, identical on every rank (each rank draws the full tensor, then keeps its shard).

    Kernel timings do not depend on weight values, so random weights give the same trace
    shape as a checkpoint would. The default std 1/sqrt(fan_in) keeps activations near unit
    scale (in range for fp16) and attention scores of order 1, so the softmax is not flat and
    the numerics check sees errors in q, k and RoPE, not only in v.
    """

    def __init__(self, seed: int, device: torch.device, dtype: torch.dtype):
        self.gen = torch.Generator(device=device)
        self.gen.manual_seed(seed)
        self.device = device
        self.dtype = dtype

    def normal(self, *shape: int, std: float | None = None, gain: float = 1.0) -> torch.Tensor:
        """A weight [..., out, in] (std gain/sqrt(in) unless given)."""
        if std is None:
            std = gain / shape[-1] ** 0.5
        return (torch.randn(shape, generator=self.gen, device=self.device, dtype=torch.float32) * std).to(self.dtype)

    def ones_ish(self, n: int) -> torch.Tensor:
        """Norm weights near 1 (not exactly 1, so a dropped multiply would show in the numerics)."""
        return (1.0 + 0.1 * torch.randn((n,), generator=self.gen, device=self.device)).to(self.dtype)


def shard(full: torch.Tensor, dim: int, parts: list[tuple[int, int]], d: Dist) -> torch.Tensor:
    """Rank's shard of `full` along `dim`: for each (offset, size) segment of the full
    tensor (e.g. the q, k and v rows of a fused QKV), its 1/world slice, concatenated."""
    if d.world == 1:
        return full
    pieces = []
    for off, size in parts:
        assert size % d.world == 0, f"segment of {size} does not split over {d.world} ranks"
        n = size // d.world
        pieces.append(full.narrow(dim, off + d.rank * n, n))
    return torch.cat(pieces, dim=dim).contiguous()


def rel_err(out: torch.Tensor, ref: torch.Tensor) -> float:
    out64, ref64 = out.double(), ref.double()
    if not torch.isfinite(out64).all():
        return float("inf")
    return float((out64 - ref64).norm() / ref64.norm())


def make_profiler(trace_path: str, warmup: int, active: int, device_kind: str) -> profile:
    """One chrome trace written to `trace_path` (then gzipped) when the active steps end."""
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device_kind == "cuda" else [])

    def on_ready(prof: profile) -> None:
        prof.export_chrome_trace(trace_path)
        gzip_file(trace_path)

    return profile(
        activities=activities,
        record_shapes=True,
        profile_memory=True,
        with_stack=False,
        schedule=schedule(wait=0, warmup=warmup, active=active, repeat=1),
        on_trace_ready=on_ready,
    )


def gzip_file(path: str) -> str:
    with open(path, "rb") as src, gzip.open(path + ".gz", "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst)
    os.remove(path)
    return path + ".gz"


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def environment() -> dict:
    """GPU, driver and software versions, as the recipes' README reports them."""
    info: dict = {
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,
        "ranks_share_gpu": ranks_share_gpu(),
        "nccl_env": {k: v for k, v in os.environ.items() if k.startswith("NCCL_") or k.startswith("CUDA_MPS")},
    }
    try:
        import triton

        info["triton"] = triton.__version__
    except ImportError:
        info["triton"] = None
    if torch.cuda.is_available():
        p = torch.cuda.get_device_properties(0)
        info["gpu_count"] = torch.cuda.device_count()
        info["gpu"] = p.name
        info["gpu_memory_MiB"] = p.total_memory // (1 << 20)
        info["gpu_sm_count"] = p.multi_processor_count
        info["gpu_capability"] = f"{p.major}.{p.minor}"
        info["cudnn"] = torch.backends.cudnn.version()
        try:
            v = torch.cuda.nccl.version()
            info["nccl"] = ".".join(map(str, v)) if isinstance(v, tuple) else str(v)
        except Exception as e:  # noqa: BLE001 - a missing NCCL is worth recording, not fatal
            info["nccl"] = f"unavailable: {e}"
    try:
        q = subprocess.run(
            ["nvidia-smi", "--query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit",
             "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30, check=True,
        )
        info["nvidia_smi_query"] = [line.strip() for line in q.stdout.strip().splitlines()]
        head = subprocess.run(["nvidia-smi"], capture_output=True, text=True, timeout=30).stdout
        info["nvidia_smi_header"] = [line for line in head.splitlines()[:4] if "Version" in line]
    except (OSError, subprocess.SubprocessError) as e:
        info["nvidia_smi_query"] = f"unavailable: {e}"
    return info


def write_json(path: str, obj: dict) -> None:
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


__all__ = [
    "Dist", "init_dist", "all_reduce", "all_gather_last_dim", "reduce_scatter_rows", "all_gather_rows",
    "Weights", "shard", "rel_err", "make_profiler", "gzip_file", "sync", "environment", "write_json",
    "record_function",
]
