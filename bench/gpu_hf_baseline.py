#!/usr/bin/env python3
"""Hugging Face transformers baseline for bench/gpu_engine (run in the same device call by
tests/gpu/run.sh): pycode-16m in bf16 with sdpa attention on the GPU, the same ids
(fixtures/engine/hf_ref_pycode.json's first input, tiled), prefill tokens/s at 2K and 4K
(logits of the last token only, as generation's prefill) and greedy decode tokens/s (256 steps
after a 512-token prompt, KV cache on). Medians after warm-up, synchronised timings.

usage: gpu_hf_baseline.py MODEL_DIR [OURS_JSON]   (OURS_JSON from gpu_engine: adds ratios)
"""
import json
import statistics
import sys
import time

import torch
from transformers import AutoModelForCausalLM


def main():
    model_dir = sys.argv[1]
    ours = json.load(open(sys.argv[2])) if len(sys.argv) > 2 else {}
    ids = json.load(open("fixtures/engine/hf_ref_pycode.json"))["inputs"][0]["ids"]
    tile = lambda n: (ids * (n // len(ids) + 1))[:n]
    m = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.bfloat16,
                                             attn_implementation="sdpa").cuda().eval()
    import transformers
    print(f"transformers {transformers.__version__}, torch {torch.__version__}, "
          f"{torch.cuda.get_device_name(0)}")
    rows = []
    res = {}
    with torch.inference_mode():
        for T in (2048, 4096):
            x = torch.tensor([tile(T)], device="cuda")
            ts = []
            for r in range(15):
                torch.cuda.synchronize()
                t0 = time.perf_counter()
                m(x, logits_to_keep=1, use_cache=True)
                torch.cuda.synchronize()
                if r >= 3:
                    ts.append(time.perf_counter() - t0)
            med = statistics.median(ts)
            res[f"prefill_{T}_tok_s"] = T / med
            rows.append((f"prefill {T} tokens", f"{med * 1e3:.3f} ms, {T / med:.0f} tokens/s",
                         ours.get(f"prefill_{T}_tok_s")))
        P, steps = 512, 256
        x = torch.tensor([tile(P)], device="cuda")
        ts = []
        for r in range(4):
            out = m(x, use_cache=True)
            pkv = out.past_key_values
            tok = out.logits[:, -1:].argmax(-1)
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            for _ in range(steps):
                out = m(tok, past_key_values=pkv, use_cache=True)
                pkv = out.past_key_values
                tok = out.logits[:, -1:].argmax(-1)
            torch.cuda.synchronize()
            if r >= 1:
                ts.append(time.perf_counter() - t0)
        med = statistics.median(ts)
        res["decode_tok_s"] = steps / med
        rows.append((f"decode (batch 1, {steps} steps after {P} tokens)",
                     f"{med / steps * 1e3:.3f} ms/token, {steps / med:.0f} tokens/s",
                     ours.get("decode_tok_s")))
    print("\n| figure | transformers (sdpa, bf16) | codecomp CUDA | ratio |")
    print("| --- | --- | --- | --- |")
    keys = ["prefill_2048_tok_s", "prefill_4096_tok_s", "decode_tok_s"]
    for (name, hf, o), k in zip(rows, keys):
        if o:
            print(f"| {name} | {hf} | {o:.0f} tokens/s | {o / res[k]:.2f}x |")
        else:
            print(f"| {name} | {hf} | - | - |")


if __name__ == "__main__":
    main()
