"""The plain PyTorch references the recipes' numerics are checked against.

fp32 throughout (weights upcast), full unsharded weights, no paging, no Triton, unfused RoPE
(rotate-half), explicit softmax attention, experts looped one by one: deliberately the simplest
formulation, sharing no code with kernels.py or the recipes' forward passes.
"""

import math

import torch
import torch.nn.functional as F


def qwen_reference_logits(m, prompts: list[list[int]], sampled: list[list[int]]) -> list[torch.Tensor]:
    """Plain fp32 PyTorch over each whole sequence (prompt + fed tokens): no paging, unfused RoPE,
    causal softmax attention with K/V heads repeated. Returns logits per step, [B, vocab] each."""
    s = m.s
    D, steps = s.head_dim, len(sampled)
    out = [[None] * len(prompts) for _ in range(steps)]
    inv = 1.0 / (s.rope_theta ** (torch.arange(0, D, 2, dtype=torch.float64, device=m.d.device) / D))

    def norm(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + s.eps) * w.float()

    def rope(x, pos):  # x [n, heads, D], neox rotate-half
        ang = (pos.double()[:, None] * inv[None, :]).float()
        cos, sin = torch.cat([ang.cos()] * 2, -1)[:, None, :], torch.cat([ang.sin()] * 2, -1)[:, None, :]
        x1, x2 = x[..., :D // 2], x[..., D // 2:]
        return x * cos + torch.cat([-x2, x1], -1) * sin

    lm_head = m.full_lm_head.float()
    for si, p in enumerate(prompts):
        ids = torch.tensor(p + [sampled[i][si] for i in range(steps - 1)], device=m.d.device)
        n = ids.numel()
        pos = torch.arange(n, device=m.d.device)
        x = m.full_embed[ids].float()
        causal = torch.ones(n, n, dtype=torch.bool, device=m.d.device).tril()
        for f in m.full:
            h = norm(x, f["ln1"])
            qkv = h @ f["qkv_w"].float().T + f["qkv_b"].float()
            qn, kn = s.heads * D, s.kv_heads * D
            q = rope(qkv[:, :qn].view(n, s.heads, D), pos)
            k = rope(qkv[:, qn:qn + kn].view(n, s.kv_heads, D), pos)
            v = qkv[:, qn + kn:].view(n, s.kv_heads, D)
            rep = s.heads // s.kv_heads
            k, v = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
            att = torch.einsum("qhd,khd->hqk", q, k) / math.sqrt(D)
            att = att.masked_fill(~causal, float("-inf")).softmax(-1)
            o = torch.einsum("hqk,khd->qhd", att, v).reshape(n, qn)
            x = x + o @ f["o_w"].float().T
            h = norm(x, f["ln2"])
            gu = h @ f["gate_up_w"].float().T
            g, u = gu[:, :s.inter], gu[:, s.inter:]
            x = x + (F.silu(g) * u) @ f["down_w"].float().T
        x = norm(x, m.norm_w)
        logits = x[len(p) - 1:len(p) - 1 + steps] @ lm_head.T
        for i in range(steps):
            out[i][si] = logits[i]
    return [torch.stack(row) for row in out]


def deepseek_reference(m, x: torch.Tensor, pos: torch.Tensor, seqs: int, topk_ids: list[torch.Tensor]):
    """fp32 PyTorch, full weights, experts looped one by one, given the recipe's top-k ids.
    Returns (output [T, hidden], per layer: (fraction of tokens whose own top-k set matches the recipe's,
    largest score gap between the reference's k-th choice and the recipe's worst choice))."""
    s = m.s
    t, qk = x.shape[0], s.qk_nope + s.qk_rope
    n = t // seqs
    half = s.qk_rope // 2
    inv = 1.0 / (s.rope_theta ** (torch.arange(0, s.qk_rope, 2, dtype=torch.float64, device=x.device) / s.qk_rope))
    ang = (pos.double()[:, None] * inv[None, :]).float()
    cos, sin = torch.cat([ang.cos()] * 2, -1)[:, None, :], torch.cat([ang.sin()] * 2, -1)[:, None, :]

    def rope(z):
        return z * cos + torch.cat([-z[..., half:], z[..., :half]], -1) * sin

    def norm(z, w):
        return z * torch.rsqrt(z.pow(2).mean(-1, keepdim=True) + s.eps) * w.float()

    causal = torch.ones(n, n, dtype=torch.bool, device=x.device).tril()
    res = x.float()
    agree = []
    for f, ids in zip(m.full, topk_ids):
        W = {k: v.float() for k, v in f.items()}
        hN = norm(res, W["ln1"])
        q = (norm(hN @ W["q_a_w"].T, W["q_a_ln"]) @ W["q_b_w"].T).view(t, s.heads, qk)
        kv_a = hN @ W["kv_a_w"].T
        k_pe = rope(kv_a[:, s.kv_lora_rank:].view(t, 1, s.qk_rope))
        kv = (norm(kv_a[:, :s.kv_lora_rank], W["kv_a_ln"]) @ W["kv_b_w"].T).view(t, s.heads, s.qk_nope + s.v_head)
        q = torch.cat([q[..., :s.qk_nope], rope(q[..., s.qk_nope:])], -1)
        k = torch.cat([kv[..., :s.qk_nope], k_pe.expand(t, s.heads, s.qk_rope)], -1)
        v = kv[..., s.qk_nope:]
        o = torch.empty(t, s.heads, s.v_head, device=x.device)
        for b in range(seqs):
            sl = slice(b * n, (b + 1) * n)
            att = torch.einsum("qhd,khd->hqk", q[sl], k[sl]) / math.sqrt(qk)
            o[sl] = torch.einsum("hqk,khd->qhd", att.masked_fill(~causal, float("-inf")).softmax(-1), v[sl])
        res = res + o.reshape(t, -1) @ W["o_w"].T
        hN = norm(res, W["ln2"])
        scores = torch.sigmoid(hN @ W["gate_w"].T)
        sel = scores + W["e_bias"]
        own = torch.topk(sel, s.top_k, -1)
        same = (own.indices.sort(-1).values == ids.sort(-1).values).all(-1)
        # How far below the reference's k-th best is the worst expert the recipe chose (0 when the sets match):
        # tiny gaps mean fp16 rounding flipped a near-tie, not a routing bug.
        gap = (own.values[:, -1] - sel.gather(1, ids).min(-1).values).clamp(min=0)
        agree.append((float(same.float().mean()), float(gap.max())))
        wts = scores.gather(1, ids)
        wts = wts / wts.sum(-1, keepdim=True) * s.routed_scale
        moe = (F.silu(hN @ W["sh_gate_up"][:s.shared_inter].T) * (hN @ W["sh_gate_up"][s.shared_inter:].T)) @ W["sh_down"].T
        for e in range(s.experts):
            tok, slot = (ids == e).nonzero(as_tuple=True)
            if tok.numel() == 0:
                continue
            z = hN[tok]
            y = (F.silu(z @ W["w13"][e, :s.moe_inter].T) * (z @ W["w13"][e, s.moe_inter:].T)) @ W["w2"][e].T
            moe.index_add_(0, tok, y * wts[tok, slot][:, None])
        res = res + moe
    return norm(res, m.norm_w), agree
