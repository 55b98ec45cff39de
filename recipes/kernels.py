"""Triton kernels the recipes launch, named like vLLM's so a trace reads like a vLLM trace.

Each kernel is the plain, readable version of what vLLM runs (vLLM's own are CUDA C++ or
more tuned Triton): correctness is checked against plain PyTorch in the recipes, speed is
whatever these simple versions give. Kernel names as they appear on the GPU lane:

    rms_norm_kernel, fused_add_rms_norm_kernel   vLLM: rms_norm, fused_add_rms_norm
    rotary_embedding_kernel                      vLLM: rotary_embedding (neox style)
    reshape_and_cache_kernel                     vLLM: reshape_and_cache_flash
    paged_attention_decode_kernel                vLLM: paged_attention_v1
    silu_and_mul_kernel                          vLLM: act_and_mul_kernel (silu)
    fused_moe_kernel                             vLLM: fused_moe_kernel (Triton)

Runs on the GPU, or on the CPU under TRITON_INTERPRET=1 (how the recipes are tested
without a GPU; see recipes/README.md).
"""

import torch
import triton
import triton.language as tl


@triton.jit
def rms_norm_kernel(x_ptr, x_row_stride, w_ptr, out_ptr, out_row_stride, N, eps, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    offs = tl.arange(0, BLOCK)
    mask = offs < N
    x = tl.load(x_ptr + row * x_row_stride + offs, mask=mask, other=0.0).to(tl.float32)
    rstd = 1.0 / tl.sqrt(tl.sum(x * x, axis=0) / N + eps)
    w = tl.load(w_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + row * out_row_stride + offs, (x * rstd * w).to(out_ptr.dtype.element_ty), mask=mask)


@triton.jit
def fused_add_rms_norm_kernel(x_ptr, res_ptr, w_ptr, row_stride, N, eps, BLOCK: tl.constexpr):
    """residual += x; x = rmsnorm(residual) * w, both in place (vLLM's fused_add_rms_norm)."""
    row = tl.program_id(0).to(tl.int64)
    offs = tl.arange(0, BLOCK)
    mask = offs < N
    x = tl.load(x_ptr + row * row_stride + offs, mask=mask, other=0.0).to(tl.float32)
    r = tl.load(res_ptr + row * row_stride + offs, mask=mask, other=0.0).to(tl.float32)
    s = (x + r).to(res_ptr.dtype.element_ty)
    tl.store(res_ptr + row * row_stride + offs, s, mask=mask)
    s32 = s.to(tl.float32)
    rstd = 1.0 / tl.sqrt(tl.sum(s32 * s32, axis=0) / N + eps)
    w = tl.load(w_ptr + offs, mask=mask, other=0.0).to(tl.float32)
    tl.store(x_ptr + row * row_stride + offs, (s32 * rstd * w).to(x_ptr.dtype.element_ty), mask=mask)


def rms_norm(x: torch.Tensor, w: torch.Tensor, eps: float) -> torch.Tensor:
    """x may be a row-strided view (last dim contiguous); returns a new contiguous tensor."""
    assert x.stride(-1) == 1
    rows, n = x.shape
    out = torch.empty((rows, n), dtype=x.dtype, device=x.device)
    rms_norm_kernel[(rows,)](x, x.stride(0), w, out, out.stride(0), n, eps, BLOCK=triton.next_power_of_2(n))
    return out


def fused_add_rms_norm(x: torch.Tensor, residual: torch.Tensor, w: torch.Tensor, eps: float) -> None:
    assert x.is_contiguous() and residual.is_contiguous() and x.shape == residual.shape
    rows, n = x.shape
    fused_add_rms_norm_kernel[(rows,)](x, residual, w, x.stride(0), n, eps, BLOCK=triton.next_power_of_2(n))


@triton.jit
def rotary_embedding_kernel(
    pos_ptr, q_ptr, k_ptr, cos_sin_ptr,
    q_tok_stride, q_head_stride, k_tok_stride, k_head_stride,
    NQ, NK, HALF: tl.constexpr, NQ_PAD: tl.constexpr, NK_PAD: tl.constexpr, HALF_PAD: tl.constexpr,
):
    """Neox-style RoPE in place on the first 2*HALF dims of every q and k head of one token.

    cos_sin cache rows are [cos(HALF) | sin(HALF)] per position, as in vLLM.
    """
    t = tl.program_id(0).to(tl.int64)
    pos = tl.load(pos_ptr + t).to(tl.int64)
    d = tl.arange(0, HALF_PAD)
    dmask = d < HALF
    cos = tl.load(cos_sin_ptr + pos * (2 * HALF) + d, mask=dmask, other=0.0).to(tl.float32)
    sin = tl.load(cos_sin_ptr + pos * (2 * HALF) + HALF + d, mask=dmask, other=0.0).to(tl.float32)

    hq = tl.arange(0, NQ_PAD)
    qmask = (hq[:, None] < NQ) & dmask[None, :]
    qp = q_ptr + t * q_tok_stride + hq[:, None] * q_head_stride + d[None, :]
    x1 = tl.load(qp, mask=qmask, other=0.0).to(tl.float32)
    x2 = tl.load(qp + HALF, mask=qmask, other=0.0).to(tl.float32)
    tl.store(qp, (x1 * cos[None, :] - x2 * sin[None, :]).to(q_ptr.dtype.element_ty), mask=qmask)
    tl.store(qp + HALF, (x2 * cos[None, :] + x1 * sin[None, :]).to(q_ptr.dtype.element_ty), mask=qmask)

    hk = tl.arange(0, NK_PAD)
    kmask = (hk[:, None] < NK) & dmask[None, :]
    kp = k_ptr + t * k_tok_stride + hk[:, None] * k_head_stride + d[None, :]
    y1 = tl.load(kp, mask=kmask, other=0.0).to(tl.float32)
    y2 = tl.load(kp + HALF, mask=kmask, other=0.0).to(tl.float32)
    tl.store(kp, (y1 * cos[None, :] - y2 * sin[None, :]).to(k_ptr.dtype.element_ty), mask=kmask)
    tl.store(kp + HALF, (y2 * cos[None, :] + y1 * sin[None, :]).to(k_ptr.dtype.element_ty), mask=kmask)


def rotary_embedding(positions: torch.Tensor, q: torch.Tensor, k: torch.Tensor, cos_sin: torch.Tensor) -> None:
    """q: [T, NQ, >=rot], k: [T, NK, >=rot] (views; last dim contiguous), rotated in place."""
    assert q.stride(-1) == 1 and k.stride(-1) == 1
    t, nq, _ = q.shape
    nk = k.shape[1]
    half = cos_sin.shape[1] // 2
    rotary_embedding_kernel[(t,)](
        positions, q, k, cos_sin, q.stride(0), q.stride(1), k.stride(0), k.stride(1), nq, nk,
        HALF=half, NQ_PAD=triton.next_power_of_2(nq), NK_PAD=triton.next_power_of_2(nk),
        HALF_PAD=triton.next_power_of_2(half),
    )


def rope_cos_sin_cache(rot_dim: int, max_pos: int, theta: float, device, dtype=torch.float32) -> torch.Tensor:
    inv_freq = 1.0 / (theta ** (torch.arange(0, rot_dim, 2, dtype=torch.float64) / rot_dim))
    freqs = torch.outer(torch.arange(max_pos, dtype=torch.float64), inv_freq)
    return torch.cat([freqs.cos(), freqs.sin()], dim=-1).to(device=device, dtype=dtype)


@triton.jit
def reshape_and_cache_kernel(
    key_ptr, value_ptr, key_cache_ptr, value_cache_ptr, slot_ptr, key_tok_stride, value_tok_stride,
    N, BLOCK: tl.constexpr,
):
    """Write one token's K and V ([kv_heads*head_dim] each) into its cache slot.

    Cache layout [num_blocks, block_size, kv_heads, head_dim] (vLLM's flash layout), so a
    slot (= block * block_size + offset) starts at slot * N.
    """
    t = tl.program_id(0).to(tl.int64)
    slot = tl.load(slot_ptr + t).to(tl.int64)
    if slot < 0:  # padding token: nothing to cache
        return
    offs = tl.arange(0, BLOCK)
    mask = offs < N
    k = tl.load(key_ptr + t * key_tok_stride + offs, mask=mask)
    v = tl.load(value_ptr + t * value_tok_stride + offs, mask=mask)
    tl.store(key_cache_ptr + slot * N + offs, k, mask=mask)
    tl.store(value_cache_ptr + slot * N + offs, v, mask=mask)


def reshape_and_cache(key, value, key_cache, value_cache, slot_mapping) -> None:
    """key/value: [T, kv_heads*head_dim] row-strided views; caches [blocks, block_size, kv_heads, head_dim]."""
    t, n = key.shape
    assert key.stride(-1) == 1 and value.stride(-1) == 1 and key_cache.is_contiguous()
    assert n == key_cache.shape[2] * key_cache.shape[3]
    reshape_and_cache_kernel[(t,)](
        key, value, key_cache, value_cache, slot_mapping, key.stride(0), value.stride(0), n,
        BLOCK=triton.next_power_of_2(n),
    )


@triton.jit
def paged_attention_decode_kernel(
    out_ptr, q_ptr, k_cache_ptr, v_cache_ptr, block_tables_ptr, context_lens_ptr, scale,
    q_tok_stride, out_tok_stride, bt_stride,
    NUM_KV_HEADS: tl.constexpr, GROUP: tl.constexpr, HEAD_DIM: tl.constexpr, BLOCK_SIZE: tl.constexpr,
):
    """One (query head, sequence) per program: online softmax over the sequence's KV pages.

    Like vLLM's paged_attention_v1: the block table maps the sequence's logical pages to
    physical cache blocks; GQA reads the KV head that this query head shares.
    """
    h = tl.program_id(0)
    s = tl.program_id(1).to(tl.int64)
    kvh = h // GROUP
    ctx = tl.load(context_lens_ptr + s)
    d = tl.arange(0, HEAD_DIM)
    q = tl.load(q_ptr + s * q_tok_stride + h * HEAD_DIM + d).to(tl.float32) * scale
    m_i = tl.zeros([1], dtype=tl.float32) - float("inf")
    l_i = tl.zeros([1], dtype=tl.float32)
    acc = tl.zeros([HEAD_DIM], dtype=tl.float32)
    offs_t = tl.arange(0, BLOCK_SIZE)
    row = NUM_KV_HEADS * HEAD_DIM
    for b in range(0, tl.cdiv(ctx, BLOCK_SIZE)):
        phys = tl.load(block_tables_ptr + s * bt_stride + b).to(tl.int64)
        valid = (b * BLOCK_SIZE + offs_t) < ctx
        base = phys * BLOCK_SIZE * row + offs_t[:, None] * row + kvh * HEAD_DIM + d[None, :]
        k = tl.load(k_cache_ptr + base, mask=valid[:, None], other=0.0).to(tl.float32)
        scores = tl.sum(k * q[None, :], axis=1)
        scores = tl.where(valid, scores, float("-inf"))
        m_new = tl.maximum(m_i, tl.max(scores, axis=0))
        p = tl.exp(scores - m_new)
        alpha = tl.exp(m_i - m_new)
        v = tl.load(v_cache_ptr + base, mask=valid[:, None], other=0.0).to(tl.float32)
        acc = acc * alpha + tl.sum(p[:, None] * v, axis=0)
        l_i = l_i * alpha + tl.sum(p, axis=0)
        m_i = m_new
    tl.store(out_ptr + s * out_tok_stride + h * HEAD_DIM + d, (acc / l_i).to(out_ptr.dtype.element_ty))


def paged_attention_decode(out, q, key_cache, value_cache, block_tables, context_lens, scale: float) -> None:
    """q: [B, num_heads*head_dim] (row-strided view), out: [B, num_heads*head_dim]."""
    b = q.shape[0]
    _, block_size, kv_heads, head_dim = key_cache.shape
    num_heads = q.shape[1] // head_dim
    paged_attention_decode_kernel[(num_heads, b)](
        out, q, key_cache, value_cache, block_tables, context_lens, scale,
        q.stride(0), out.stride(0), block_tables.stride(0),
        NUM_KV_HEADS=kv_heads, GROUP=num_heads // kv_heads, HEAD_DIM=head_dim, BLOCK_SIZE=block_size,
    )


@triton.jit
def silu_and_mul_kernel(x_ptr, out_ptr, I, x_row_stride, out_row_stride, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    offs = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < I
    a = tl.load(x_ptr + row * x_row_stride + offs, mask=mask, other=0.0).to(tl.float32)
    b = tl.load(x_ptr + row * x_row_stride + I + offs, mask=mask, other=0.0).to(tl.float32)
    tl.store(out_ptr + row * out_row_stride + offs, (a * tl.sigmoid(a) * b).to(out_ptr.dtype.element_ty), mask=mask)


def silu_and_mul(x: torch.Tensor) -> torch.Tensor:
    """x: [rows, 2*I] = [gate | up] -> silu(gate) * up, [rows, I]."""
    rows, two_i = x.shape
    inter = two_i // 2
    out = torch.empty((rows, inter), dtype=x.dtype, device=x.device)
    block = 1024
    silu_and_mul_kernel[(rows, triton.cdiv(inter, block))](x, out, inter, x.stride(0), out.stride(0), BLOCK=block)
    return out


@triton.jit
def fused_moe_kernel(
    a_ptr, b_ptr, c_ptr, topk_weights_ptr, sorted_token_ids_ptr, expert_ids_ptr, num_tokens_post_padded_ptr,
    N, K, num_valid_tokens,
    stride_am, stride_be, stride_bn, stride_bk, stride_cm,
    MUL_ROUTED_WEIGHT: tl.constexpr, TOP_K: tl.constexpr,
    BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr, BLOCK_K: tl.constexpr,
):
    """Grouped GEMM over experts, vLLM's fused_moe_kernel without quantisation.

    Rows are (token, k) pairs sorted by expert and padded so each BLOCK_M tile belongs to
    one expert (moe_align_block_size); a tile reads A rows row_id // TOP_K and that
    expert's weight [N, K], and writes C rows row_id.
    """
    pid = tl.program_id(0)
    num_pid_n = tl.cdiv(N, BLOCK_N)
    pid_m = pid // num_pid_n
    pid_n = pid % num_pid_n
    if pid_m * BLOCK_M >= tl.load(num_tokens_post_padded_ptr):
        return
    offs_tid = pid_m * BLOCK_M + tl.arange(0, BLOCK_M)
    offs_token = tl.load(sorted_token_ids_ptr + offs_tid).to(tl.int64)
    token_mask = offs_token < num_valid_tokens
    eid = tl.load(expert_ids_ptr + pid_m).to(tl.int64)
    offs_n = pid_n * BLOCK_N + tl.arange(0, BLOCK_N)
    offs_bn = offs_n % N
    offs_k = tl.arange(0, BLOCK_K)
    a_ptrs = a_ptr + (offs_token[:, None] // TOP_K) * stride_am + offs_k[None, :]
    b_ptrs = b_ptr + eid * stride_be + offs_k[:, None] * stride_bk + offs_bn[None, :] * stride_bn
    acc = tl.zeros((BLOCK_M, BLOCK_N), dtype=tl.float32)
    for k in range(0, tl.cdiv(K, BLOCK_K)):
        kmask = offs_k < K - k * BLOCK_K
        a = tl.load(a_ptrs, mask=token_mask[:, None] & kmask[None, :], other=0.0)
        b = tl.load(b_ptrs, mask=kmask[:, None], other=0.0)
        acc = tl.dot(a, b, acc)
        a_ptrs += BLOCK_K
        b_ptrs += BLOCK_K * stride_bk
    if MUL_ROUTED_WEIGHT:
        w = tl.load(topk_weights_ptr + offs_token, mask=token_mask, other=0.0)
        acc = acc * w[:, None]
    c_ptrs = c_ptr + offs_token[:, None] * stride_cm + offs_n[None, :]
    tl.store(c_ptrs, acc.to(c_ptr.dtype.element_ty), mask=token_mask[:, None] & (offs_n[None, :] < N))


def moe_align_block_size(topk_ids: torch.Tensor, num_experts: int, block_m: int):
    """Sort (token, k) rows by expert, padding each expert's rows to a multiple of block_m.

    All on the device with a static upper bound on the padded length, so no host sync
    (vLLM does the same in its moe_align_block_size CUDA kernel).
    Returns (sorted_row_ids [max_padded], expert_ids [max_padded // block_m], num_post_padded [1]).
    """
    flat = topk_ids.flatten().to(torch.int64)
    rows = flat.numel()
    counts = torch.bincount(flat, minlength=num_experts)
    padded = (counts + block_m - 1) // block_m * block_m
    ends = torch.cumsum(padded, 0)
    starts = ends - padded
    order = torch.argsort(flat, stable=True)
    sorted_e = flat[order]
    first_of_e = torch.cumsum(counts, 0) - counts
    dest = starts[sorted_e] + (torch.arange(rows, device=flat.device) - first_of_e[sorted_e])
    max_padded = rows + num_experts * (block_m - 1)
    max_padded = (max_padded + block_m - 1) // block_m * block_m
    sorted_ids = torch.full((max_padded,), rows, dtype=torch.int32, device=flat.device)
    sorted_ids[dest] = order.to(torch.int32)
    block_starts = torch.arange(0, max_padded, block_m, device=flat.device)
    expert_ids = torch.searchsorted(ends, block_starts, right=True).clamp_(max=num_experts - 1).to(torch.int32)
    return sorted_ids, expert_ids, ends[-1:].to(torch.int32)


def fused_moe(x, w13, w2, topk_weights, topk_ids, block_m: int = 64) -> torch.Tensor:
    """Routed experts: x [T, H]; w13 [E, 2I, H] (gate;up); w2 [E, H, I] -> [T, H] (weighted sum over top-k)."""
    t, hidden = x.shape
    e, two_i, _ = w13.shape
    top_k = topk_ids.shape[1]
    sorted_ids, expert_ids, num_post = moe_align_block_size(topk_ids, e, block_m)
    rows = t * top_k
    bn, bk = 64, 64
    inter_out = torch.empty((rows, two_i), dtype=x.dtype, device=x.device)
    grid1 = (expert_ids.numel() * triton.cdiv(two_i, bn),)
    fused_moe_kernel[grid1](
        x, w13, inter_out, topk_weights, sorted_ids, expert_ids, num_post, two_i, hidden, rows,
        x.stride(0), w13.stride(0), w13.stride(1), w13.stride(2), inter_out.stride(0),
        MUL_ROUTED_WEIGHT=False, TOP_K=top_k, BLOCK_M=block_m, BLOCK_N=bn, BLOCK_K=bk,
    )
    act = silu_and_mul(inter_out)
    out = torch.empty((rows, hidden), dtype=x.dtype, device=x.device)
    grid2 = (expert_ids.numel() * triton.cdiv(hidden, bn),)
    fused_moe_kernel[grid2](
        act, w2, out, topk_weights.flatten(), sorted_ids, expert_ids, num_post, hidden, two_i // 2, rows,
        act.stride(0), w2.stride(0), w2.stride(1), w2.stride(2), out.stride(0),
        MUL_ROUTED_WEIGHT=True, TOP_K=1, BLOCK_M=block_m, BLOCK_N=bn, BLOCK_K=bk,
    )
    return out.view(t, top_k, hidden).sum(dim=1)
