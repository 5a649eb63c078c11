#!/usr/bin/env python3
"""Random-weight checkpoints with the exact shapes of real code models, for the GPU benchmarks
(bench/gpu_engine, bench/gpu_throughput, bench/gpu_hf_baseline.py). Made on the GPU machine
with transformers (weights initialised on the GPU in bf16, transformers' own init), saved as
safetensors; no download, no network. The shapes are those of the models' config.json files
(hidden, intermediate, layers, heads, KV heads, vocabulary, rope theta); Llama-3.1's
"llama3" rope scaling is left out (it changes the rotation frequencies, not the cost; the
engine implements it, checked against transformers by bench/gpu_rope_check.py).

usage: make_shape_ckpt.py NAME OUT_DIR      NAME: one of SHAPES below
"""
import sys
import time

import torch
from transformers import AutoModelForCausalLM, LlamaConfig, Qwen2Config

SHAPES = {
    "qwen2.5-coder-1.5b": (Qwen2Config, dict(hidden_size=1536, intermediate_size=8960,
                                             num_hidden_layers=28, num_attention_heads=12,
                                             num_key_value_heads=2, vocab_size=151936,
                                             tie_word_embeddings=True, rope_theta=1e6,
                                             max_position_embeddings=32768)),
    "qwen2.5-coder-7b": (Qwen2Config, dict(hidden_size=3584, intermediate_size=18944,
                                           num_hidden_layers=28, num_attention_heads=28,
                                           num_key_value_heads=4, vocab_size=152064,
                                           tie_word_embeddings=False, rope_theta=1e6,
                                           max_position_embeddings=32768)),
    "qwen2.5-coder-14b": (Qwen2Config, dict(hidden_size=5120, intermediate_size=13824,
                                            num_hidden_layers=48, num_attention_heads=40,
                                            num_key_value_heads=8, vocab_size=152064,
                                            tie_word_embeddings=False, rope_theta=1e6,
                                            max_position_embeddings=32768)),
    "llama-3.1-8b": (LlamaConfig, dict(hidden_size=4096, intermediate_size=14336,
                                       num_hidden_layers=32, num_attention_heads=32,
                                       num_key_value_heads=8, vocab_size=128256,
                                       tie_word_embeddings=False, rope_theta=500000.0,
                                       max_position_embeddings=131072, rms_norm_eps=1e-5)),
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        sys.exit("usage: make_shape_ckpt.py {%s} OUT_DIR" % ",".join(SHAPES))
    cls, kw = SHAPES[sys.argv[1]]
    cfg = cls(hidden_act="silu", use_sliding_window=False, **kw) if cls is Qwen2Config \
        else cls(hidden_act="silu", **kw)
    t0 = time.time()
    torch.manual_seed(0)
    with torch.device("cuda"):
        m = AutoModelForCausalLM.from_config(cfg, dtype=torch.bfloat16)
    n = sum(p.numel() for p in m.parameters())
    m.save_pretrained(sys.argv[2], safe_serialization=True)
    print(f"{sys.argv[1]}: {n / 1e9:.2f} B parameters, written to {sys.argv[2]} in "
          f"{time.time() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()
