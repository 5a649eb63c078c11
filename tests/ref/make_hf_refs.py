#!/usr/bin/env python3
"""Hugging Face transformers reference outputs for the engine tests (run on the GPU machine,
where torch / transformers / tokenizers are installed; everything runs on its CPU in float32
with eager attention, so the numbers do not depend on TF32 or kernel choice).

Writes into OUT:
  hf_ref_pycode.json   pycode-16m on fixtures/engine/inputs/*.py: HF token ids, per-token NLL
                       (nll[i] = -log p(ids[i+1] | ids[..i])), top-5 log-probs every 64
                       positions, a greedy continuation, and observation-window statistics
                       (sum of attention probabilities of the last 64 queries of a 200-token
                       prompt to every key, per layer and KV head, summed over the GQA group)
  qwen2-tiny/          a random-initialised Qwen2ForCausalLM with q/k/v bias and untied
                       embeddings, saved by save_pretrained in bfloat16
  hf_ref_qwen2.json    its NLL / top-5 / last-position logits for fixed ids, computed from the
                       saved bf16 weights loaded in float32 (as the engine does)
  versions.txt

Usage: python3 tests/ref/make_hf_refs.py --model .model/pycode-16m --out "$OUT"
"""
import argparse
import glob
import json
import os

import torch
import transformers
from transformers import AutoModelForCausalLM, Qwen2Config, Qwen2ForCausalLM
from tokenizers import Tokenizer

torch.backends.cuda.matmul.allow_tf32 = False
torch.set_grad_enabled(False)


def load_f32(path):
    try:
        return AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32,
                                                    attn_implementation="eager").eval()
    except TypeError:
        return AutoModelForCausalLM.from_pretrained(path, torch_dtype=torch.float32,
                                                    attn_implementation="eager").eval()


def r(x, nd=6):
    return [round(float(v), nd) for v in x]


def score(model, ids, topk_every, topk=5):
    t = torch.tensor([ids])
    logits = model(t).logits[0].float()
    lsm = torch.log_softmax(logits.double(), dim=-1)
    nll = [-lsm[i, ids[i + 1]].item() for i in range(len(ids) - 1)]
    tops = []
    for i in range(0, len(ids), topk_every):
        v, k = torch.topk(lsm[i], topk)
        tops.append({"pos": i, "ids": [int(x) for x in k], "logp": r(v)})
    return logits, nll, tops


def pycode(args):
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    model = load_f32(args.model)
    out = {"model": "pycode-16m", "dtype": "float32 (weights bf16 upcast)", "inputs": []}
    for path in sorted(glob.glob(os.path.join(args.inputs, "*.py"))):
        text = open(path, encoding="utf-8").read()
        ids = tok.encode(text).ids[: args.max_tokens]
        _, nll, tops = score(model, ids, 64)
        out["inputs"].append({"file": os.path.basename(path), "n_tokens": len(ids), "ids": ids,
                              "nll": r(nll), "top5": tops,
                              "mean_nll": sum(nll) / len(nll)})
        print(path, len(ids), sum(nll) / len(nll), flush=True)
    # greedy continuation of the first 100 tokens of the first input
    first = out["inputs"][0]["ids"][:100]
    seq = list(first)
    for _ in range(20):
        seq.append(int(model(torch.tensor([seq])).logits[0, -1].argmax()))
    out["greedy"] = {"prompt": first, "new": seq[len(first):]}
    # observation-window statistics
    prompt = out["inputs"][0]["ids"][:200]
    w = 64
    res = model(torch.tensor([prompt]), output_attentions=True)
    cfg = model.config
    group = cfg.num_attention_heads // cfg.num_key_value_heads
    obs = []
    for att in res.attentions:  # [1, heads, S, S]
        a = att[0, :, len(prompt) - w:, :].double().sum(dim=1)  # [heads, S]
        obs.append([r(a[h * group:(h + 1) * group].sum(dim=0), 6)
                    for h in range(cfg.num_key_value_heads)])
    out["obs"] = {"prompt": prompt, "window": w, "scores": obs}
    with open(os.path.join(args.out, "hf_ref_pycode.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


def qwen2(args):
    torch.manual_seed(1234)
    kw = dict(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
              rms_norm_eps=1e-6, tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)
    try:
        cfg = Qwen2Config(rope_theta=1000000.0, **kw)
    except TypeError:
        cfg = Qwen2Config(rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}, **kw)
    model = Qwen2ForCausalLM(cfg).eval()
    for name, p in model.named_parameters():
        if name.endswith("bias"):
            p.normal_(0.0, 0.3)
        elif "norm" in name:
            p.normal_(1.0, 0.2)
        else:
            p.normal_(0.0, 0.15)
    d = os.path.join(args.out, "qwen2-tiny")
    model.to(torch.bfloat16).save_pretrained(d)
    m32 = load_f32(d)
    g = torch.Generator().manual_seed(99)
    seqs = [torch.randint(0, 512, (64,), generator=g).tolist(),
            torch.randint(0, 512, (40,), generator=g).tolist()]
    out = {"model": "qwen2-tiny", "seqs": []}
    for ids in seqs:
        logits, nll, tops = score(m32, ids, 16)
        out["seqs"].append({"ids": ids, "nll": r(nll), "top5": tops,
                            "last_logits": r(logits[-1], 5)})
        print("qwen2", len(ids), sum(nll) / len(nll), flush=True)
    with open(os.path.join(args.out, "hf_ref_qwen2.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--inputs", default="fixtures/engine/inputs")
    ap.add_argument("--max-tokens", type=int, default=1024)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "versions.txt"), "w") as f:
        f.write(f"torch {torch.__version__}\ntransformers {transformers.__version__}\n")
    qwen2(args)
    pycode(args)


if __name__ == "__main__":
    main()
