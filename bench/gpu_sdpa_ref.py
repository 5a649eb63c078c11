#!/usr/bin/env python3
"""The reference for bench/gpu_attn's prefill rows: torch's scaled_dot_product_attention
(causal, bf16; the kernel transformers' sdpa path runs) on the same shapes, in TFLOP/s counted
as gpu_attn counts them (causal QK^T and PV: 4 * heads * hd * n * (n + 1) / 2).

usage: python3 bench/gpu_sdpa_ref.py   (needs torch with CUDA; prints a markdown table)"""
import statistics
import sys

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    sys.exit("gpu_sdpa_ref: torch is not installed")


def bench(n, nh, kvh, hd, reps=30):
    q = torch.randn(1, nh, n, hd, device="cuda", dtype=torch.bfloat16)
    k = torch.randn(1, kvh, n, hd, device="cuda", dtype=torch.bfloat16)
    v = torch.randn(1, kvh, n, hd, device="cuda", dtype=torch.bfloat16)
    # transformers repeats the KV heads for sdpa (repeat_kv) before the call
    kr = k.repeat_interleave(nh // kvh, dim=1)
    vr = v.repeat_interleave(nh // kvh, dim=1)
    ts = []
    for i in range(reps + 3):
        e0 = torch.cuda.Event(enable_timing=True)
        e1 = torch.cuda.Event(enable_timing=True)
        e0.record()
        F.scaled_dot_product_attention(q, kr, vr, is_causal=True)
        e1.record()
        torch.cuda.synchronize()
        if i >= 3:
            ts.append(e0.elapsed_time(e1))
    ms = statistics.median(ts)
    flops = 4.0 * nh * hd * n * (n + 1) / 2
    print(f"| torch sdpa (causal, bf16) | {n} tokens, {nh} q / {kvh} kv heads, hd {hd} | "
          f"{ms:.3f} ms ({min(ts):.3f}-{max(ts):.3f}) | {flops / (ms * 1e-3) / 1e12:.1f} TFLOP/s |")


if not torch.cuda.is_available():
    sys.exit("gpu_sdpa_ref: no CUDA device")
print(f"device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}\n")
print("| kernel | shape | median (range) | rate |")
print("| --- | --- | --- | --- |")
for shape in [(2048, 6, 2, 64), (4096, 6, 2, 64), (4096, 32, 8, 128), (4096, 28, 4, 128)]:
    bench(*shape)
