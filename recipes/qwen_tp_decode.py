"""Record a vLLM-like tensor-parallel decode of a Qwen2.5-7B-shaped model with torch.profiler.

    python recipes/qwen_tp_decode.py --out /tmp/recordings                     # TP=1, one GPU
    torchrun --nproc-per-node 2 recipes/qwen_tp_decode.py --out /tmp/recordings  # TP=2, one trace per rank
    ... --cuda-graph                                                           # decode replays a CUDA graph

Shapes are Qwen2.5-7B's (hidden 3584, 28 query / 4 KV heads of 128, intermediate 18944, RMSNorm
eps 1e-6, RoPE theta 1e6, vocab 152064, qkv bias), with 4 layers instead of 28 so a trace stays
a few MB; weights are random (see recipes/README.md). The code path mirrors vLLM's: a flat token
batch, a paged KV cache with a block table, Triton kernels named like vLLM's (kernels.py),
column-parallel QKV and gate/up, row-parallel O and down each followed by an NCCL all-reduce,
vocab-parallel embedding (all-reduce) and LM head (all-gather of the logits), greedy sampling
with the tokens copied to the host each step (as vLLM's scheduler needs them).

Before recording, the same code path generates once outside the profiler and its logits are
checked against a plain fp32 PyTorch reference (full weights, whole-sequence causal attention,
no paging, unfused RoPE); the run fails when the relative error is above --tol.
"""

import argparse
import math
import os
import random
import sys
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (  # noqa: E402
    Dist, Weights, all_gather_last_dim, all_reduce, environment, init_dist, make_profiler, record_function,
    rel_err, shard, sync, write_json,
)
from kernels import (  # noqa: E402
    fused_add_rms_norm, paged_attention_decode, reshape_and_cache, rms_norm, rope_cos_sin_cache,
    rotary_embedding, silu_and_mul,
)
from references import qwen_reference_logits  # noqa: E402


def use_cuda_ops() -> None:
    """Swap the Triton elementwise kernels for cuda_ops.py's CUDA C++ templates (same signatures)."""
    import cuda_ops
    cuda_ops.ext()  # build before anything is timed or recorded
    g = globals()
    for name in ("fused_add_rms_norm", "reshape_and_cache", "rms_norm", "rotary_embedding", "silu_and_mul"):
        g[name] = getattr(cuda_ops, name)


@dataclass
class QwenShape:
    hidden: int = 3584
    heads: int = 28
    kv_heads: int = 4
    head_dim: int = 128
    inter: int = 18944
    eps: float = 1e-6
    rope_theta: float = 1e6
    vocab: int = 152064
    layers: int = 4
    block_size: int = 16
    max_pos: int = 4096


# For testing the code on a CPU (TRITON_INTERPRET=1): same structure, toy sizes.
TINY = QwenShape(hidden=256, heads=4, kv_heads=2, head_dim=64, inter=512, vocab=1024, layers=2, max_pos=512)


@dataclass
class Batch:
    input_ids: torch.Tensor  # [T] int64
    positions: torch.Tensor  # [T] int64
    slot_mapping: torch.Tensor  # [T] int64, -1 = do not cache
    block_tables: torch.Tensor  # [B, max_blocks] int32
    context_lens: torch.Tensor  # [B] int32 (decode)
    last_index: torch.Tensor  # [B] int64: the token whose logits are sampled
    prefill_lens: list[int] | None  # per-sequence prompt lengths (prefill), None for decode


class QwenTP:
    def __init__(self, s: QwenShape, d: Dist, seed: int, num_blocks: int):
        assert s.heads % d.world == 0 and s.kv_heads % d.world == 0, "TP size must divide the heads"
        assert s.inter % d.world == 0 and s.vocab % d.world == 0
        self.s, self.d = s, d
        w = Weights(seed, d.device, torch.float16)
        h, D = s.hidden, s.head_dim
        qn, kn = s.heads * D, s.kv_heads * D
        self.hq, self.hkv = s.heads // d.world, s.kv_heads // d.world
        self.full: list[dict] = []  # full weights for the reference (the same tensors at TP=1)
        self.layers: list[dict] = []
        embed = w.normal(s.vocab, h, std=1.0)
        for _ in range(s.layers):
            f = {
                "ln1": w.ones_ish(h), "ln2": w.ones_ish(h),
                "qkv_w": w.normal(qn + 2 * kn, h, gain=2.0), "qkv_b": w.normal(qn + 2 * kn, std=0.1),
                "o_w": w.normal(h, qn),
                "gate_up_w": w.normal(2 * s.inter, h), "down_w": w.normal(h, s.inter),
            }
            qkv_parts = [(0, qn), (qn, kn), (qn + kn, kn)]
            self.layers.append({
                "ln1": f["ln1"], "ln2": f["ln2"],
                "qkv_w": shard(f["qkv_w"], 0, qkv_parts, d), "qkv_b": shard(f["qkv_b"], 0, qkv_parts, d),
                "o_w": shard(f["o_w"], 1, [(0, qn)], d),
                "gate_up_w": shard(f["gate_up_w"], 0, [(0, s.inter), (s.inter, s.inter)], d),
                "down_w": shard(f["down_w"], 1, [(0, s.inter)], d),
            })
            self.full.append(f)
        self.norm_w = w.ones_ish(h)
        lm_head = w.normal(s.vocab, h)
        self.full_embed, self.full_lm_head = embed, lm_head
        self.vocab_local = s.vocab // d.world
        self.vocab_start = d.rank * self.vocab_local
        self.embed = shard(embed, 0, [(0, s.vocab)], d)
        self.lm_head = shard(lm_head, 0, [(0, s.vocab)], d)
        self.cos_sin = rope_cos_sin_cache(D, s.max_pos, s.rope_theta, d.device)
        cache_shape = (num_blocks, s.block_size, self.hkv, D)
        self.k_cache = [torch.zeros(cache_shape, dtype=torch.float16, device=d.device) for _ in range(s.layers)]
        self.v_cache = [torch.zeros(cache_shape, dtype=torch.float16, device=d.device) for _ in range(s.layers)]
        self.scale = 1.0 / math.sqrt(D)

    # ---- the model, scoped like vLLM's modules ----

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        with record_function("embed_tokens"):
            if self.d.world == 1:
                return F.embedding(ids, self.embed)
            local = ids - self.vocab_start
            mask = (local >= 0) & (local < self.vocab_local)
            x = F.embedding(local.clamp(0, self.vocab_local - 1), self.embed) * mask.unsqueeze(1).to(self.embed.dtype)
            return all_reduce(x, self.d)

    def attention(self, L: dict, k_cache, v_cache, x: torch.Tensor, b: Batch) -> torch.Tensor:
        D = self.s.head_dim
        qn, kn = self.hq * D, self.hkv * D
        t = x.shape[0]
        with record_function("Qwen2Attention"):
            with record_function("qkv_proj"):
                qkv = F.linear(x, L["qkv_w"], L["qkv_b"])
            q, k, v = qkv[:, :qn], qkv[:, qn:qn + kn], qkv[:, qn + kn:]
            with record_function("rotary_emb"):
                rotary_embedding(b.positions, q.view(t, self.hq, D), k.view(t, self.hkv, D), self.cos_sin)
            with record_function("attn"):
                reshape_and_cache(k, v, k_cache, v_cache, b.slot_mapping)
                out = torch.empty((t, qn), dtype=x.dtype, device=x.device)
                if b.prefill_lens is not None:
                    # vLLM runs one varlen flash-attention kernel; one SDPA call per prompt is the plain equivalent.
                    start = 0
                    for n in b.prefill_lens:
                        qs = q[start:start + n].view(n, self.hq, D).transpose(0, 1).unsqueeze(0)
                        ks = k[start:start + n].view(n, self.hkv, D).transpose(0, 1).unsqueeze(0)
                        vs = v[start:start + n].view(n, self.hkv, D).transpose(0, 1).unsqueeze(0)
                        o = F.scaled_dot_product_attention(qs, ks, vs, is_causal=True, enable_gqa=True)
                        out[start:start + n].view(n, self.hq, D).copy_(o[0].transpose(0, 1))
                        start += n
                else:
                    paged_attention_decode(out, q, k_cache, v_cache, b.block_tables, b.context_lens, self.scale)
            with record_function("o_proj"):
                y = F.linear(out, L["o_w"])
                all_reduce(y, self.d)
        return y

    def mlp(self, L: dict, x: torch.Tensor) -> torch.Tensor:
        with record_function("Qwen2MLP"):
            with record_function("gate_up_proj"):
                gu = F.linear(x, L["gate_up_w"])
            with record_function("act_fn"):
                a = silu_and_mul(gu)
            with record_function("down_proj"):
                y = F.linear(a, L["down_w"])
                all_reduce(y, self.d)
        return y

    def forward_hidden(self, b: Batch) -> torch.Tensor:
        """Qwen2Model: embedding, decoder layers, final norm -> hidden states [T, hidden]."""
        eps = self.s.eps
        with record_function("Qwen2Model"):
            h = self.embed_tokens(b.input_ids)
            residual = None
            for i, L in enumerate(self.layers):
                with record_function("Qwen2DecoderLayer"):
                    with record_function("input_layernorm"):
                        if residual is None:
                            residual, h = h, rms_norm(h, L["ln1"], eps)
                        else:
                            fused_add_rms_norm(h, residual, L["ln1"], eps)
                    h = self.attention(L, self.k_cache[i], self.v_cache[i], h, b)
                    with record_function("post_attention_layernorm"):
                        fused_add_rms_norm(h, residual, L["ln2"], eps)
                    h = self.mlp(L, h)
            with record_function("norm"):
                fused_add_rms_norm(h, residual, self.norm_w, eps)
        return h

    def compute_logits(self, hidden_last: torch.Tensor) -> torch.Tensor:
        with record_function("logits_processor"):
            return all_gather_last_dim(F.linear(hidden_last, self.lm_head), self.d)


class Runner:
    """Scheduler-side state: block allocation, input preparation, the optional decode CUDA graph."""

    def __init__(self, model: QwenTP, batch: int, max_len: int, seed: int):
        s, self.model, self.dev = model.s, model, model.d.device
        self.bs = s.block_size
        self.max_blocks = (max_len + self.bs - 1) // self.bs
        self.batch = batch
        self.rng = random.Random(seed)
        self.graph = None
        self.pin = self.dev.type == "cuda"

    def _to_dev(self, data, dtype) -> torch.Tensor:
        t = torch.tensor(data, dtype=dtype, pin_memory=self.pin)
        return t.to(self.dev, non_blocking=True)

    def start(self, prompts: list[list[int]]) -> None:
        # Shuffled physical blocks, so the block table really is a scatter (as after a while in vLLM).
        blocks = list(range(len(prompts) * self.max_blocks))
        self.rng.shuffle(blocks)
        self.tables = [blocks[i * self.max_blocks:(i + 1) * self.max_blocks] for i in range(len(prompts))]
        self.lens = [len(p) for p in prompts]

    def slot(self, seq: int, pos: int) -> int:
        return self.tables[seq][pos // self.bs] * self.bs + pos % self.bs

    def prefill_batch(self, prompts: list[list[int]]) -> Batch:
        with record_function("prepare_inputs"):
            ids = [t for p in prompts for t in p]
            pos = [i for p in prompts for i in range(len(p))]
            slots = [self.slot(s, i) for s, p in enumerate(prompts) for i in range(len(p))]
            last, acc = [], 0
            for p in prompts:
                acc += len(p)
                last.append(acc - 1)
            return Batch(
                self._to_dev(ids, torch.int64), self._to_dev(pos, torch.int64), self._to_dev(slots, torch.int64),
                self._to_dev(self.tables, torch.int32), self._to_dev(self.lens, torch.int32),
                self._to_dev(last, torch.int64), [len(p) for p in prompts],
            )

    def decode_batch(self, tokens: list[int]) -> Batch:
        with record_function("prepare_inputs"):
            pos = list(self.lens)  # the new token's position = tokens already cached
            slots = [self.slot(s, p) for s, p in enumerate(pos)]
            self.lens = [n + 1 for n in self.lens]
            if self.graph is not None:
                st = self.static
                for dst, src, dt in ((st.input_ids, tokens, torch.int64), (st.positions, pos, torch.int64),
                                     (st.slot_mapping, slots, torch.int64), (st.block_tables, self.tables, torch.int32),
                                     (st.context_lens, self.lens, torch.int32)):
                    dst.copy_(torch.tensor(src, dtype=dt, pin_memory=self.pin), non_blocking=True)
                return st
            return Batch(
                self._to_dev(tokens, torch.int64), self._to_dev(pos, torch.int64), self._to_dev(slots, torch.int64),
                self._to_dev(self.tables, torch.int32), self._to_dev(self.lens, torch.int32),
                torch.arange(len(tokens), device=self.dev), None,
            )

    def capture_decode_graph(self) -> None:
        """Capture Qwen2Model for a decode batch (vLLM captures the model forward, not logits or sampling)."""
        b, dev = self.batch, self.dev
        self.static = Batch(
            torch.zeros(b, dtype=torch.int64, device=dev), torch.zeros(b, dtype=torch.int64, device=dev),
            torch.full((b,), -1, dtype=torch.int64, device=dev),  # -1: capture writes nothing to the cache
            torch.zeros((b, self.max_blocks), dtype=torch.int32, device=dev),
            torch.ones(b, dtype=torch.int32, device=dev), torch.arange(b, device=dev), None,
        )
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            self.model.forward_hidden(self.static)
        torch.cuda.current_stream().wait_stream(side)
        self.graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(self.graph):
            self.static_hidden = self.model.forward_hidden(self.static)

    def step(self, b: Batch, phase: str) -> tuple[torch.Tensor, list[int]]:
        with record_function(phase):
            with record_function("Qwen2ForCausalLM"):
                if phase == "decode" and self.graph is not None:
                    with record_function("cuda_graph_replay"):
                        self.graph.replay()
                    hidden = self.static_hidden
                else:
                    hidden = self.model.forward_hidden(b)
                logits = self.model.compute_logits(hidden.index_select(0, b.last_index))
            with record_function("sampler"):
                tokens = torch.argmax(logits, dim=-1).cpu().tolist()  # greedy; the host needs the tokens
        return logits, tokens

    def generate(self, prompts: list[list[int]], decode_steps: int, hook=None, keep_logits=False):
        """Prefill + decode_steps decodes; returns (sampled tokens per step, logits per step if kept)."""
        self.start(prompts)
        logits, tokens = self.step(self.prefill_batch(prompts), "prefill")
        all_tokens, all_logits = [tokens], [logits.float().clone()] if keep_logits else []
        if hook:
            hook()
        for _ in range(decode_steps):
            logits, tokens = self.step(self.decode_batch(tokens), "decode")
            all_tokens.append(tokens)
            if keep_logits:
                all_logits.append(logits.float().clone())
            if hook:
                hook()
        return all_tokens, all_logits


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="/tmp/recordings")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--batch", type=int, default=8, help="prompts in the batch")
    ap.add_argument("--min-prompt", type=int, default=128)
    ap.add_argument("--max-prompt", type=int, default=512)
    ap.add_argument("--decode-steps", type=int, default=4, help="profiled decode steps after the prefill")
    ap.add_argument("--cuda-graph", action="store_true", help="decode replays a captured CUDA graph")
    ap.add_argument("--ops", choices=["triton", "cuda"], default="triton",
                    help="elementwise kernels: Triton (kernels.py, names carry no dtype) or CUDA C++ templates "
                         "(cuda_ops.py, names carry the dtype as vLLM's do)")
    ap.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    ap.add_argument("--tiny", action="store_true", help="toy sizes, for testing on a CPU")
    ap.add_argument("--no-profile", action="store_true", help="numerics check only")
    ap.add_argument("--tol", type=float, default=1e-2, help="max relative error of the logits vs fp32")
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()

    if a.ops == "cuda":
        if a.device != "cuda":
            sys.exit("--ops cuda needs --device cuda")
        use_cuda_ops()
    d = init_dist(a.device)
    if a.device == "cuda":
        # Prefill attention through FlashAttention, as vLLM does; PyTorch would otherwise pick cuDNN's
        # SDPA on Hopper, which builds a plan per new sequence length (tens of ms each, in the host lane).
        torch.backends.cuda.enable_cudnn_sdp(False)
    base = TINY if a.tiny else QwenShape()
    shape = QwenShape(**{**asdict(base), "layers": a.layers if not a.tiny else base.layers})
    if a.tiny:
        a.min_prompt, a.max_prompt = min(a.min_prompt, 24), min(a.max_prompt, 40)
    if a.cuda_graph and a.device != "cuda":
        sys.exit("--cuda-graph needs --device cuda")
    max_len = a.max_prompt + a.decode_steps + 2
    runner_blocks = a.batch * ((max_len + shape.block_size - 1) // shape.block_size)
    model = QwenTP(shape, d, a.seed, runner_blocks)
    runner = Runner(model, a.batch, max_len, a.seed)
    rng = random.Random(a.seed + 1)
    # One set of prompt lengths for every generation (fresh tokens each time): the warm-up then covers
    # every shape, so no cuBLAS heuristic or attention plan is chosen inside the recorded steps.
    lens = [rng.randint(a.min_prompt, a.max_prompt) for _ in range(a.batch)]

    def prompts():
        return [[rng.randrange(shape.vocab) for _ in range(n)] for n in lens]

    mode = "cudagraph" if a.cuda_graph else "eager"
    tag = f"qwen2_5-7b-shape_tp{d.world}_rank{d.rank}_{mode}" + ("_cudaops" if a.ops == "cuda" else "")
    os.makedirs(a.out, exist_ok=True)
    log = (lambda *x: print(f"[rank {d.rank}]", *x, flush=True))

    # 1. Warm-up (Triton compiles, cuBLAS picks kernels, NCCL connects), then capture the graph.
    runner.generate(prompts(), 2)
    if a.cuda_graph:
        runner.capture_decode_graph()
        runner.generate(prompts(), 1)

    # 2. Numerics: the recorded code path, outside the profiler, against fp32 PyTorch.
    ps = prompts()
    tokens, logits = runner.generate(ps, a.decode_steps, keep_logits=True)
    sync(d.device)
    ref = qwen_reference_logits(model, ps, tokens)
    errs = [rel_err(o, r) for o, r in zip(logits, ref)]
    agree = sum(int(x == y) for o, r in zip(logits, ref) for x, y in zip(o.argmax(-1).tolist(), r.argmax(-1).tolist()))
    total = sum(o.shape[0] for o in logits)
    ok = max(errs) <= a.tol
    log(f"numerics {mode}: rel err of logits vs fp32 reference per step "
        f"(prefill, decode...): {', '.join(f'{e:.2e}' for e in errs)}; "
        f"max {max(errs):.2e} (tol {a.tol:.0e}) -> {'PASS' if ok else 'FAIL'}; "
        f"greedy token agrees {agree}/{total}")
    summary = {
        "recipe": "recipes/qwen_tp_decode.py", "argv": sys.argv[1:], "tp": d.world, "rank": d.rank, "mode": mode,
        "ops": a.ops,
        "shape": asdict(shape), "batch": a.batch, "prompt_lens": [len(p) for p in ps],
        "decode_steps": a.decode_steps, "numerics": {"rel_err_per_step": errs, "tol": a.tol, "pass": ok,
                                                      "greedy_agree": agree, "greedy_total": total},
        "environment": environment() if d.is_first else None,
    }
    del ref, logits
    if not ok:
        write_json(os.path.join(a.out, tag + ".summary.json"), summary)
        return 1

    # 3. Record: one warm-up step (a prefill, not kept), then prefill + decode steps, one ProfilerStep each.
    if not a.no_profile:
        trace = os.path.join(a.out, tag + ".json")
        prof = make_profiler(trace, warmup=1, active=1 + a.decode_steps, device_kind=a.device)
        with prof:
            runner.generate(prompts(), 0, hook=prof.step)
            ps = prompts()
            runner.generate(ps, a.decode_steps, hook=prof.step)
        summary["recorded"] = {"trace": os.path.basename(trace) + ".gz", "prompt_lens": [len(p) for p in ps],
                               "profiler_steps": "ProfilerStep#1 = prefill, #2.. = decode"}
        log(f"wrote {trace}.gz")
    write_json(os.path.join(a.out, tag + ".summary.json"), summary)
    if d.world > 1:
        torch.distributed.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
