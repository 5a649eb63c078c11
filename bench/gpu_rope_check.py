#!/usr/bin/env python3
"""Llama 3 RoPE scaling against transformers (issue 14), on the GPU machine: a tiny random
LlamaForCausalLM (Llama-3.1-8B's 32 / 8 heads of 128, hidden 256, 2 layers) whose config has
rope_scaling {"rope_type": "llama3", factor 8, low_freq_factor 1, high_freq_factor 4,
original_max_position_embeddings 64}, saved by transformers itself (so the engine reads the
config the way transformers writes it), run over 300 tokens in float32 by transformers (eager
attention) and by codecomp's CPU and CUDA engines (bench/gpu_logits). Prints the largest logit
difference relative to the largest logit, and the same against transformers with plain RoPE
(what the difference would be if the scaling were ignored).

usage: gpu_rope_check.py BUILD_DIR
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from transformers import LlamaConfig, LlamaForCausalLM


def main():
    build = sys.argv[1]
    d = tempfile.mkdtemp()
    scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
               "high_freq_factor": 4.0, "original_max_position_embeddings": 64}
    kw = dict(hidden_size=256, intermediate_size=512, num_hidden_layers=2,
              num_attention_heads=32, num_key_value_heads=8, head_dim=128, vocab_size=512,
              max_position_embeddings=4096, rms_norm_eps=1e-5, hidden_act="silu",
              tie_word_embeddings=False, attn_implementation="eager")
    torch.manual_seed(0)
    # transformers 5 names it rope_parameters, 4.x rope_scaling: take the one it keeps
    cfg = None
    for key in ("rope_parameters", "rope_scaling"):
        try:
            c = LlamaConfig(**{key: dict(scaling, rope_theta=500000.0)}, **kw)
        except Exception:
            continue
        if "llama3" in c.to_json_string():
            cfg = c
            break
    if cfg is None:
        sys.exit("this transformers does not keep rope_type llama3 in LlamaConfig")
    m = LlamaForCausalLM(cfg).float().eval()
    with torch.no_grad():  # larger weights so that attention is far from uniform
        for n, p in m.named_parameters():
            if "proj" in n:
                p.mul_(8.0)
    m.save_pretrained(d, safe_serialization=True)
    print("config rope:", open(os.path.join(d, "config.json")).read().count("llama3"),
          "mention(s) of llama3")
    ids = (np.arange(300) * 37 + 5) % 512
    ids.astype("<i4").tofile(os.path.join(d, "ids.i32"))
    with torch.no_grad():
        ref = m(torch.tensor([ids.tolist()])).logits[0].double().numpy()
    try:
        cfg2 = LlamaConfig(rope_parameters={"rope_type": "default", "rope_theta": 500000.0}, **kw)
    except Exception:
        cfg2 = LlamaConfig(rope_theta=500000.0, **kw)
    m2 = LlamaForCausalLM(cfg2).float().eval()
    m2.load_state_dict(m.state_dict())
    with torch.no_grad():
        plain = m2(torch.tensor([ids.tolist()])).logits[0].double().numpy()
    r = subprocess.run([os.path.join(build, "bin", "gpu_logits"), d,
                        os.path.join(d, "ids.i32"), os.path.join(d, "out")],
                       capture_output=True, text=True)
    if r.returncode:
        print("gpu_logits failed:", r.stderr.strip())
        sys.exit(1)
    mx = np.abs(ref).max()
    print(f"transformers plain RoPE vs llama3: {np.abs(plain - ref).max() / mx:.3g}")
    for dev in ("cpu", "cuda"):
        got = np.fromfile(os.path.join(d, f"out.{dev}.f32"), dtype="<f4").reshape(ref.shape)
        print(f"codecomp {dev} vs transformers (llama3 rope, 300 tokens): max |d logit| / "
              f"max |logit| = {np.abs(got - ref).max() / mx:.3g}")


if __name__ == "__main__":
    main()
