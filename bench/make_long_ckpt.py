#!/usr/bin/env python3
"""A random-weight checkpoint of pycode-16m's shape with a 32K-token window, for timing the
repository KV cache at 32K-token contexts on the CPU (bench/repo_cache; pycode-16m's own window
is 4096). Python's standard library only (numpy is not assumed): the tensor names, shapes and
dtypes are read from the source checkpoint's safetensors headers, each tensor is filled with
seeded Gaussian values (std 0.02, norm weights 1.0, as transformers initialises Llama) and
written as one model.safetensors in bf16; config.json is the source's with
max_position_embeddings = WINDOW and rope theta scaled for the longer window by the NTK-aware
rule Llama/Qwen long-context checkpoints use, theta' = theta * s^(d / (d - 2)) with
s = WINDOW / old window and d = head_dim (10000 -> about 85,600 for 4K -> 32K at d = 64). The
tokenizer files are copied. Random weights: timings only, nothing about fidelity.

usage: make_long_ckpt.py SRC_DIR OUT_DIR [WINDOW]     (WINDOW default 32768)
"""
import array
import json
import os
import random
import shutil
import struct
import sys


def headers(src):
    """(name, dtype, shape) of every tensor of the checkpoint in src, in name order."""
    index = os.path.join(src, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) \
        else ["model.safetensors"]
    out = []
    for fn in files:
        with open(os.path.join(src, fn), "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            for name, v in json.loads(f.read(n)).items():
                if name != "__metadata__":
                    out.append((name, v["dtype"], v["shape"]))
    return sorted(out)


def bf16_bytes(vals):
    """bf16 bytes (truncated f32, little-endian) of a list of floats."""
    b = array.array("f", vals).tobytes()
    out = bytearray(len(b) // 2)
    out[0::2] = b[2::4]
    out[1::2] = b[3::4]
    return bytes(out)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[-1])
    src, dst = sys.argv[1], sys.argv[2]
    window = int(sys.argv[3]) if len(sys.argv) == 4 else 32768
    cfg = json.load(open(os.path.join(src, "config.json")))
    old = cfg["max_position_embeddings"]
    d = cfg.get("head_dim") or cfg["hidden_size"] // cfg["num_attention_heads"]
    theta = cfg.get("rope_parameters", {}).get("rope_theta", cfg.get("rope_theta", 10000.0))
    new_theta = theta * (window / old) ** (d / (d - 2))
    cfg["max_position_embeddings"] = window
    cfg["rope_theta"] = new_theta
    if "rope_parameters" in cfg:
        cfg["rope_parameters"]["rope_theta"] = new_theta
    cfg["dtype"] = "bfloat16"
    os.makedirs(dst, exist_ok=True)
    rng = random.Random(0)
    tensors = headers(src)
    meta, at, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, dtype, shape in tensors:
        n = 1
        for s in shape:
            n *= s
        if name.endswith("norm.weight"):
            vals = [1.0] * n
        else:
            g = rng.gauss
            vals = [g(0.0, 0.02) for _ in range(n)]
        blob = bf16_bytes(vals)
        meta[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [at, at + len(blob)]}
        at += len(blob)
        blobs.append(blob)
    head = json.dumps(meta, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(os.path.join(dst, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    with open(os.path.join(dst, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    for fn in ("tokenizer.json", "tokenizer_config.json", "generation_config.json"):
        if os.path.exists(os.path.join(src, fn)):
            shutil.copyfile(os.path.join(src, fn), os.path.join(dst, fn))
    tc = os.path.join(dst, "tokenizer_config.json")
    if os.path.exists(tc):
        t = json.load(open(tc))
        t["model_max_length"] = window
        with open(tc, "w") as f:
            json.dump(t, f, indent=2)
    print("%s: %d tensors, %.1f MB, window %d, rope theta %.1f -> %.1f" %
          (dst, len(tensors), at / 1e6, window, theta, new_theta))


if __name__ == "__main__":
    main()
