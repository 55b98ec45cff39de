"""Record a DeepSeek-V3-shaped MLA + MoE layer stack three ways, to compare communication layouts.

    python recipes/deepseek_mla_moe.py --out /tmp/recordings                      # world size 1
    torchrun --nproc-per-node 2 recipes/deepseek_mla_moe.py --out /tmp/recordings   # TP=2, one trace per rank and variant

Variants of one workload (a prefill of --seqs sequences of --seq-len tokens through --layers layers):
  allreduce   vLLM's default TP layout: all-reduce the attention output (after o_proj) and the MoE
              output (routed + shared experts), each on the full token batch.
  rs-ag       sequence-parallel style: reduce-scatter instead of each all-reduce, so the residual add
              and RMSNorm run on 1/world of the tokens, and the all-gather moved later, to just before
              the next block needs every token (same bytes on the wire, less norm work).
  two-stream  the tokens split into two micro-batches (by sequence) on two CUDA streams, issued
              alternately with async all-reduces, so one micro-batch's communication can overlap the
              other's computation.
At world size 1 every collective is skipped (see common.py): the traces then show the computation
only, and the two-stream variant shows two compute streams overlapping each other.

Shapes (scaled down from DeepSeek-V3 so a few layers run quickly; head dims and latent ranks kept):
  hidden 2048 (V3: 7168), 16 heads (128), q_lora_rank 768 (1536), kv_lora_rank 512 (512),
  qk_nope_head_dim 128, qk_rope_head_dim 64, v_head_dim 128 (all as V3), 16 routed experts (256),
  top-4 (top-8), moe_intermediate 1024 (2048), 1 shared expert of 1024 (2048), 4 layers, all MoE
  (V3's first 3 are dense), sigmoid routing with a score-correction bias and routed_scaling_factor
  2.5 as V3 but without group-limited routing, plain neox RoPE (theta 1e4) without YaRN.
MLA is the naive (decompressed) form vLLM uses for prefill: kv_b_proj expands the latent into
per-head K_nope and V, K = [K_nope | shared roped K_pe], then SDPA. Attention heads, the experts'
and the shared expert's intermediate dim are split over ranks (vLLM's TP for DeepSeek).

Numerics: each variant's output is checked against a plain fp32 PyTorch reference with the full
(unsharded) weights, given the same expert choices (top-k ids) the recipe made; separately, the
reference's own top-k choice is compared with the recipe's: where they differ (fp16 rounding flipping
a near-tie), the recipe's worst choice must score within --max-gap of the reference's k-th best.
"""

import argparse
import contextlib
import math
import os
import statistics
import sys
from dataclasses import asdict, dataclass

import torch
import torch.distributed as dist
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    Dist, Weights, all_gather_rows, all_reduce, environment, init_dist, make_profiler, record_function,
    reduce_scatter_rows, rel_err, shard, sync, write_json,
)
from kernels import fused_add_rms_norm, fused_moe, rms_norm, rope_cos_sin_cache, rotary_embedding, silu_and_mul  # noqa: E402
from references import deepseek_reference  # noqa: E402

VARIANTS = ("allreduce", "rs-ag", "two-stream")


@dataclass
class DSShape:
    hidden: int = 2048
    heads: int = 16
    q_lora_rank: int = 768
    kv_lora_rank: int = 512
    qk_nope: int = 128
    qk_rope: int = 64
    v_head: int = 128
    experts: int = 16
    top_k: int = 4
    moe_inter: int = 1024
    shared_inter: int = 1024
    routed_scale: float = 2.5
    eps: float = 1e-6
    rope_theta: float = 1e4
    layers: int = 4


TINY = DSShape(hidden=128, heads=4, q_lora_rank=64, kv_lora_rank=32, qk_nope=16, qk_rope=16, v_head=16,
               experts=8, top_k=2, moe_inter=64, shared_inter=64, layers=2)


class DSStack:
    def __init__(self, s: DSShape, d: Dist, seed: int, max_pos: int):
        assert s.heads % d.world == 0 and s.moe_inter % d.world == 0 and s.shared_inter % d.world == 0
        self.s, self.d = s, d
        w = Weights(seed, d.device, torch.float16)
        h, qk = s.hidden, s.qk_nope + s.qk_rope
        self.hl = s.heads // d.world
        self.full, self.layers = [], []
        for _ in range(s.layers):
            f = {
                "ln1": w.ones_ish(h), "ln2": w.ones_ish(h),
                "q_a_w": w.normal(s.q_lora_rank, h), "q_a_ln": w.ones_ish(s.q_lora_rank),
                "q_b_w": w.normal(s.heads * qk, s.q_lora_rank, gain=2.0),
                "kv_a_w": w.normal(s.kv_lora_rank + s.qk_rope, h), "kv_a_ln": w.ones_ish(s.kv_lora_rank),
                "kv_b_w": w.normal(s.heads * (s.qk_nope + s.v_head), s.kv_lora_rank, gain=2.0),
                "o_w": w.normal(h, s.heads * s.v_head),
                "gate_w": w.normal(s.experts, h), "e_bias": w.normal(s.experts, std=0.1).float(),
                "w13": w.normal(s.experts, 2 * s.moe_inter, h), "w2": w.normal(s.experts, h, s.moe_inter),
                "sh_gate_up": w.normal(2 * s.shared_inter, h), "sh_down": w.normal(h, s.shared_inter),
            }
            mi, si = s.moe_inter, s.shared_inter
            sh = dict(f)
            sh.update({
                "q_b_w": shard(f["q_b_w"], 0, [(0, s.heads * qk)], d),
                "kv_b_w": shard(f["kv_b_w"], 0, [(0, s.heads * (s.qk_nope + s.v_head))], d),
                "o_w": shard(f["o_w"], 1, [(0, s.heads * s.v_head)], d),
                "w13": shard(f["w13"], 1, [(0, mi), (mi, mi)], d),
                "w2": shard(f["w2"], 2, [(0, mi)], d),
                "sh_gate_up": shard(f["sh_gate_up"], 0, [(0, si), (si, si)], d),
                "sh_down": shard(f["sh_down"], 1, [(0, si)], d),
            })
            self.full.append(f)
            self.layers.append(sh)
        self.norm_w = w.ones_ish(h)
        self.cos_sin = rope_cos_sin_cache(s.qk_rope, max_pos, s.rope_theta, d.device)
        self.topk_record: dict | None = None  # (layer, micro-batch) -> top-k ids, when checking numerics
        # The two-stream variant's streams, made once so a trace shows the same two stream lanes every step.
        self.streams = [torch.cuda.Stream(d.device), torch.cuda.Stream(d.device)] if d.device.type == "cuda" else None

    # ---- the blocks, scoped like vLLM's DeepseekV2 modules ----

    def mla(self, L: dict, x: torch.Tensor, pos: torch.Tensor, seqs: int) -> torch.Tensor:
        s, t = self.s, x.shape[0]
        qk = s.qk_nope + s.qk_rope
        with record_function("DeepseekV2MLAAttention"):
            with record_function("q_a_proj"):
                q_lat = F.linear(x, L["q_a_w"])
            with record_function("q_a_layernorm"):
                q_lat = rms_norm(q_lat, L["q_a_ln"], s.eps)
            with record_function("q_b_proj"):
                q = F.linear(q_lat, L["q_b_w"]).view(t, self.hl, qk)
            with record_function("kv_a_proj_with_mqa"):
                kv_a = F.linear(x, L["kv_a_w"])
            with record_function("kv_a_layernorm"):
                kv_lat = rms_norm(kv_a[:, :s.kv_lora_rank], L["kv_a_ln"], s.eps)
            k_pe = kv_a[:, s.kv_lora_rank:].view(t, 1, s.qk_rope)
            with record_function("rotary_emb"):
                rotary_embedding(pos, q[..., s.qk_nope:], k_pe, self.cos_sin)
            with record_function("kv_b_proj"):
                kv = F.linear(kv_lat, L["kv_b_w"]).view(t, self.hl, s.qk_nope + s.v_head)
            with record_function("attn"):
                k = torch.empty((t, self.hl, qk), dtype=x.dtype, device=x.device)
                k[..., :s.qk_nope] = kv[..., :s.qk_nope]
                k[..., s.qk_nope:] = k_pe
                n = t // seqs

                def heads_first(z):
                    return z.view(seqs, n, self.hl, z.shape[-1]).transpose(1, 2)

                o = F.scaled_dot_product_attention(heads_first(q), heads_first(k), heads_first(kv[..., s.qk_nope:]),
                                                   is_causal=True, scale=1.0 / math.sqrt(qk))
                o = o.transpose(1, 2).reshape(t, self.hl * s.v_head)
            with record_function("o_proj"):
                return F.linear(o, L["o_w"])

    def moe(self, L: dict, x: torch.Tensor, key) -> torch.Tensor:
        s = self.s
        with record_function("DeepseekV2MoE"):
            with record_function("gate"):
                scores = torch.sigmoid(F.linear(x, L["gate_w"]).float())
                ids = torch.topk(scores + L["e_bias"], s.top_k, dim=-1).indices
                wts = scores.gather(1, ids)
                wts = wts / wts.sum(-1, keepdim=True) * s.routed_scale
            if self.topk_record is not None:
                self.topk_record[key] = ids
            with record_function("experts"):
                routed = fused_moe(x, L["w13"], L["w2"], wts, ids)
            with record_function("shared_experts"):
                shared = F.linear(silu_and_mul(F.linear(x, L["sh_gate_up"])), L["sh_down"])
            return routed + shared

    def input_norm(self, L, h, residual):
        with record_function("input_layernorm"):
            if residual is None:
                return rms_norm(h, L["ln1"], self.s.eps), h
            fused_add_rms_norm(h, residual, L["ln1"], self.s.eps)
            return h, residual

    def post_norm(self, L, h, residual):
        with record_function("post_attention_layernorm"):
            fused_add_rms_norm(h, residual, L["ln2"], self.s.eps)
        return h

    def final_norm(self, h, residual):
        with record_function("norm"):
            fused_add_rms_norm(h, residual, self.norm_w, self.s.eps)
        return h

    # ---- the three variants ----

    def forward_allreduce(self, x, pos, seqs):
        d, h, residual = self.d, x, None
        for i, L in enumerate(self.layers):
            with record_function("DeepseekV2DecoderLayer"):
                h, residual = self.input_norm(L, h, residual)
                h = all_reduce(self.mla(L, h, pos, seqs), d)
                h = self.post_norm(L, h, residual)
                h = all_reduce(self.moe(L, h, (i, 0)), d)
        return self.final_norm(h, residual)

    def forward_rs_ag(self, x, pos, seqs):
        d = self.d
        rows = x.shape[0] // d.world
        h_shard = x[d.rank * rows:(d.rank + 1) * rows].contiguous()  # the residual stream stays sharded by tokens
        residual = None
        for i, L in enumerate(self.layers):
            with record_function("DeepseekV2DecoderLayer"):
                h_shard, residual = self.input_norm(L, h_shard, residual)
                h = all_gather_rows(h_shard, d)  # gathered only now, after the residual add + norm on 1/world
                h_shard = reduce_scatter_rows(self.mla(L, h, pos, seqs), d)
                h_shard = self.post_norm(L, h_shard, residual)
                h = all_gather_rows(h_shard, d)
                h_shard = reduce_scatter_rows(self.moe(L, h, (i, 0)), d)
        return all_gather_rows(self.final_norm(h_shard, residual), d)

    def forward_two_stream(self, x, pos, seqs):
        d, dev = self.d, x.device
        assert seqs % 2 == 0, "two micro-batches split the sequences in halves"
        half = x.shape[0] // 2
        streams = self.streams
        if streams is not None:
            main = torch.cuda.current_stream(dev)
            for st in streams:
                st.wait_stream(main)

            def on(i):
                return torch.cuda.stream(streams[i])
        else:
            main = None

            def on(i):
                return contextlib.nullcontext()

        def ar_async(t):
            return dist.all_reduce(t, async_op=True) if d.world > 1 else None

        def wait(work):
            if work is not None:
                work.wait()

        h = [x[:half], x[half:]]
        p = [pos[:half], pos[half:]]
        residual, work = [None, None], [None, None]
        for i, L in enumerate(self.layers):
            with record_function("DeepseekV2DecoderLayer"):
                for mb in (0, 1):
                    with on(mb), record_function(f"micro_batch_{mb}"):
                        wait(work[mb])
                        h[mb], residual[mb] = self.input_norm(L, h[mb], residual[mb])
                        h[mb] = self.mla(L, h[mb], p[mb], seqs // 2)
                        work[mb] = ar_async(h[mb])
                for mb in (0, 1):
                    with on(mb), record_function(f"micro_batch_{mb}"):
                        wait(work[mb])
                        h[mb] = self.post_norm(L, h[mb], residual[mb])
                        h[mb] = self.moe(L, h[mb], (i, mb))
                        work[mb] = ar_async(h[mb])
        for mb in (0, 1):
            with on(mb), record_function(f"micro_batch_{mb}"):
                wait(work[mb])
                h[mb] = self.final_norm(h[mb], residual[mb])
        if streams is not None:
            for mb in (0, 1):
                main.wait_stream(streams[mb])
                h[mb].record_stream(main)
        return torch.cat(h, 0)

    def forward(self, variant: str, x, pos, seqs):
        fwd = {"allreduce": self.forward_allreduce, "rs-ag": self.forward_rs_ag,
               "two-stream": self.forward_two_stream}[variant]
        with record_function(f"DeepseekV2Model[{variant}]"):
            return fwd(x.clone(), pos, seqs)  # clone: the residual stream is updated in place

    def recorded_topk(self, variant: str) -> list[torch.Tensor]:
        mbs = 2 if variant == "two-stream" else 1
        return [torch.cat([self.topk_record[(i, mb)] for mb in range(mbs)], 0) for i in range(self.s.layers)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="/tmp/recordings")
    ap.add_argument("--variant", choices=VARIANTS + ("all",), default="all")
    ap.add_argument("--seqs", type=int, default=8)
    ap.add_argument("--seq-len", type=int, default=2048)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    ap.add_argument("--tiny", action="store_true", help="toy sizes, for testing on a CPU")
    ap.add_argument("--no-profile", action="store_true", help="numerics (and timing) only")
    ap.add_argument("--tol", type=float, default=1e-2, help="max relative error of the output vs fp32")
    ap.add_argument("--max-gap", type=float, default=1e-2,
                    help="max routing-score gap where the recipe's top-k differs from the fp32 reference's")
    ap.add_argument("--seed", type=int, default=4321)
    a = ap.parse_args()

    d = init_dist(a.device)
    shape = TINY if a.tiny else DSShape(layers=a.layers)
    if a.tiny:
        a.seq_len = min(a.seq_len, 16)
    t = a.seqs * a.seq_len
    assert t % (2 * d.world) == 0, "tokens must split over ranks (rs-ag) and into two micro-batches"
    model = DSStack(shape, d, a.seed, a.seq_len)
    gen = torch.Generator(device=d.device)
    gen.manual_seed(a.seed + 1)
    x = torch.randn((t, shape.hidden), generator=gen, device=d.device).to(torch.float16)
    pos = torch.arange(a.seq_len, device=d.device).repeat(a.seqs)
    log = (lambda *m: print(f"[rank {d.rank}]", *m, flush=True))
    os.makedirs(a.out, exist_ok=True)
    variants = VARIANTS if a.variant == "all" else (a.variant,)
    summary = {"recipe": "recipes/deepseek_mla_moe.py", "argv": sys.argv[1:], "world": d.world, "rank": d.rank,
               "shape": asdict(shape), "seqs": a.seqs, "seq_len": a.seq_len, "variants": {},
               "environment": environment() if d.is_first else None}
    failed = False
    outputs = {}
    for v in variants:
        for _ in range(2):  # warm-up: Triton compiles, cuBLAS picks kernels, NCCL connects
            model.forward(v, x, pos, a.seqs)
        model.topk_record = {}
        out = model.forward(v, x, pos, a.seqs)
        sync(d.device)
        ref, agree = deepseek_reference(model, x, pos, a.seqs, model.recorded_topk(v))
        model.topk_record = None
        err = rel_err(out, ref)
        outputs[v] = out
        ok = err <= a.tol and max(g for _, g in agree) <= a.max_gap
        failed |= not ok
        log(f"numerics {v}: rel err vs fp32 reference {err:.2e} (tol {a.tol:.0e}); tokens routed like the "
            f"reference per layer: {', '.join(f'{f:.4f}' for f, _ in agree)}, largest score gap where not "
            f"{max(g for _, g in agree):.1e} (max {a.max_gap:.0e}) -> {'PASS' if ok else 'FAIL'}"
)
        entry = {"rel_err": err, "tol": a.tol, "routing_agreement_per_layer": [f for f, _ in agree],
                 "routing_max_gap_per_layer": [g for _, g in agree], "max_gap": a.max_gap, "pass": ok}
        if not a.no_profile and ok:
            tag = f"deepseek-v3-shape_{v}_ws{d.world}_rank{d.rank}"
            trace = os.path.join(a.out, tag + ".json")
            prof = make_profiler(trace, warmup=1, active=2, device_kind=a.device)
            with prof:
                for _ in range(3):
                    model.forward(v, x, pos, a.seqs)
                    prof.step()
            entry["trace"] = os.path.basename(trace) + ".gz"
            log(f"wrote {trace}.gz")
        summary["variants"][v] = entry
    if a.device == "cuda":
        # Forward time without the profiler, variants interleaved (5 rounds of 4 forwards each) so clock
        # and host drift hit them alike; device events around each forward, median reported.
        times = {v: [] for v in variants}
        for _ in range(5):
            for v in variants:
                for _ in range(4):
                    e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                    e0.record()
                    model.forward(v, x, pos, a.seqs)
                    e1.record()
                    e1.synchronize()
                    times[v].append(e0.elapsed_time(e1))
        for v in variants:
            summary["variants"][v]["forward_ms"] = {"median": statistics.median(times[v]),
                                                    "min": min(times[v]), "max": max(times[v]), "n": len(times[v])}
        log("forward time, median of 20 (min-max) ms: " + ", ".join(
            f"{v} {statistics.median(times[v]):.2f} ({min(times[v]):.2f}-{max(times[v]):.2f})" for v in variants))
    if len(outputs) > 1:
        base = outputs[variants[0]]
        summary["between_variants_rel_err"] = {v: rel_err(o, base) for v, o in outputs.items()}
        log("rel err between variants (vs " + variants[0] + "): "
            + ", ".join(f"{v} {e:.2e}" for v, e in summary["between_variants_rel_err"].items()))
    write_json(os.path.join(a.out, f"deepseek-v3-shape_ws{d.world}_rank{d.rank}.summary.json"), summary)
    if d.world > 1:
        dist.destroy_process_group()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
