"""HF transformers' own Qwen2 model, run eagerly and profiled with Python stacks: the trace shape
learners upload from plain `transformers` code (not vLLM).

What it records: `Qwen2ForCausalLM` built by transformers from a `Qwen2Config` with Qwen2.5-7B's
widths (hidden 3584, 28 query / 4 KV heads of dim 128, intermediate 18944, RoPE θ = 1e6), only
`--layers` decoder layers (default 2) and a trimmed vocabulary (`--vocab`, default 32000, so the
embedding stays small), random weights from a fixed seed, fp16, `attn_implementation` eager or sdpa
(`--attn`). `generate()` runs greedy decoding of `--new-tokens` tokens (default 3) after a prompt of
`--prompt` tokens: one forward pass per new token (the prefill's pass gives the first), so the prefill and
2 decode steps, 3 passes, all inside one profiled step,
after one unprofiled and one profiler-warm-up generate (the trace's step is `ProfilerStep#1`). `with_stack=True` records `python_function` events, so the
trace holds HF's `nn.Module: Qwen2RotaryEmbedding_0` (builds the cos/sin table once per pass) and the
`apply_rotary_pos_emb` python function (rotates q and k in every layer): what the detectors must tell
apart (a 2-layer model run for 3 passes applies RoPE 6 times). With stacks every pass adds ~0.9 MB of
JSON, so the default is as few passes as show a prefill and decode steps (the sample recorded before
2026-12-07 ran 14 passes: 12 MB, the slowest lesson widget to open).

No numerics check against a reference: the model is transformers' own code; the summary records the
generated token ids and the versions.

    python3 recipes/hf_qwen2_eager.py --out /tmp/recordings
"""

import argparse
import json
import os
import time

import torch
from torch.profiler import ProfilerActivity, profile, schedule

from common import environment, gzip_file, write_json


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/recordings")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--vocab", type=int, default=32000)
    ap.add_argument("--prompt", type=int, default=16)
    ap.add_argument("--new-tokens", type=int, default=3)
    ap.add_argument("--attn", choices=["eager", "sdpa"], default="eager")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    import transformers
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    cfg = Qwen2Config(
        vocab_size=args.vocab, hidden_size=3584, intermediate_size=18944, num_hidden_layers=args.layers,
        num_attention_heads=28, num_key_value_heads=4, max_position_embeddings=4096, rope_theta=1e6,
        rms_norm_eps=1e-6, tie_word_embeddings=False, use_cache=True,
    )
    cfg._attn_implementation = args.attn
    model = Qwen2ForCausalLM(cfg).to(device="cuda", dtype=torch.float16).eval()
    ids = torch.randint(0, args.vocab, (1, args.prompt), device="cuda")
    gen = dict(max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, do_sample=False)

    name = f"hf_qwen2_{args.attn}_l{args.layers}_rank0"
    path = os.path.join(args.out, f"{name}.json")
    wall = 0.0
    with torch.inference_mode():
        model.generate(ids, **gen)  # unprofiled: cuBLAS handles, allocator
        torch.cuda.synchronize()
        # Step 0 is the profiler's warm-up, step 1 is recorded (ProfilerStep#1).
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA], record_shapes=True,
                     with_stack=True, with_modules=True,
                     schedule=schedule(wait=0, warmup=1, active=1, repeat=1),
                     on_trace_ready=lambda p: p.export_chrome_trace(path)) as prof:
            for _ in range(2):
                t0 = time.perf_counter()
                out = model.generate(ids, **gen)
                torch.cuda.synchronize()
                wall = time.perf_counter() - t0
                prof.step()
    gz = gzip_file(path)
    summary = {
        "recipe": "recipes/hf_qwen2_eager.py",
        "args": vars(args),
        "transformers": transformers.__version__,
        # generate(): the prefill's forward pass yields the first new token, each later pass one more.
        "forward_passes": args.new_tokens,
        "rope_applications_expected": args.new_tokens * args.layers,
        "generated_ids": out[0, args.prompt:].tolist(),
        "generate_wall_s": wall,
        "trace": os.path.basename(gz),
        "environment": environment(),
    }
    write_json(os.path.join(args.out, f"{name}.summary.json"), summary)
    print(json.dumps({k: summary[k] for k in ("transformers", "forward_passes", "rope_applications_expected", "generate_wall_s", "trace")}))


if __name__ == "__main__":
    main()
