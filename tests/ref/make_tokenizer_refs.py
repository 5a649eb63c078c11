#!/usr/bin/env python3
"""Reference token ids for the tokenizer parity test (tests/tokenizer/test_tokenizer_parity.c).

Two steps:

  derive  (any machine, standard library only)
      python3 tests/ref/make_tokenizer_refs.py derive MODEL_DIR/tokenizer.json
    writes fixtures/tokenizer/tokenizers/{pycode,qwen2,llama3,prefix}.json: the shared model's
    tokenizer and three variants built from its vocabulary and merges:
      qwen2   Qwen2's normalizer (NFC), pre-tokenizer (Split with Qwen2's regex, Isolated, then
              ByteLevel without regex), ByteLevel decoder/post-processor, merges as "a b"
              strings, Qwen2's added tokens (<|endoftext|>, <|im_start|>, <|im_end|>)
      llama3  Llama 3's split regex, ignore_merges, a TemplateProcessing post-processor that
              adds <|begin_of_text|>
      prefix  GPT-2 ByteLevel with add_prefix_space, an added token <mask> with lstrip/rstrip

  refs    (the GPU machine, where Python `tokenizers` is installed)
      python3 tests/ref/make_tokenizer_refs.py refs OUT_DIR
    encodes every file of fixtures/tokenizer/inputs (sorted by name, decoded as UTF-8 without
    newline translation) with each tokenizer, tokenizer.encode(text) defaults
    (add_special_tokens=True), and writes OUT_DIR/<tokenizer>.ids: for each input in order a
    little-endian uint32 count then that many uint32 ids. Also OUT_DIR/refs.log.
"""
import json
import os
import struct
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TOKDIR = os.path.join(ROOT, "fixtures", "tokenizer", "tokenizers")
INDIR = os.path.join(ROOT, "fixtures", "tokenizer", "inputs")

QWEN2_RE = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
            r"|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_RE = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
             r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


def added(id_, content, special=True, lstrip=False, rstrip=False):
    return {"id": id_, "content": content, "single_word": False, "lstrip": lstrip,
            "rstrip": rstrip, "normalized": False, "special": special}


def bytelevel(prefix=False, regex=True, trim=True):
    return {"type": "ByteLevel", "add_prefix_space": prefix, "trim_offsets": trim,
            "use_regex": regex}


def derive(src):
    base = json.load(open(src, encoding="utf-8"))
    os.makedirs(TOKDIR, exist_ok=True)
    n = len(base["model"]["vocab"])
    out = {"pycode": base}

    q = json.loads(json.dumps(base))
    q["normalizer"] = {"type": "NFC"}
    q["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": QWEN2_RE}, "behavior": "Isolated", "invert": False},
        bytelevel(False, False, False)]}
    q["post_processor"] = bytelevel(False, False, False)
    q["decoder"] = bytelevel(False, False, False)
    q["model"]["merges"] = [" ".join(m) if isinstance(m, list) else m for m in q["model"]["merges"]]
    q["added_tokens"] = [added(n, "<|endoftext|>"), added(n + 1, "<|im_start|>"),
                         added(n + 2, "<|im_end|>")]
    out["qwen2"] = q

    l3 = json.loads(json.dumps(base))
    l3["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": LLAMA3_RE}, "behavior": "Isolated", "invert": False},
        bytelevel(False, False)]}
    l3["model"]["ignore_merges"] = True
    l3["added_tokens"] = [added(n, "<|begin_of_text|>"), added(n + 1, "<|end_of_text|>")]
    l3["post_processor"] = {"type": "Sequence", "processors": [
        bytelevel(True, True, False),
        {"type": "TemplateProcessing",
         "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}},
                    {"Sequence": {"id": "A", "type_id": 0}}],
         "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}},
                  {"Sequence": {"id": "A", "type_id": 0}},
                  {"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 1}},
                  {"Sequence": {"id": "B", "type_id": 1}}],
         "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [n],
                                                  "tokens": ["<|begin_of_text|>"]}}}]}
    out["llama3"] = l3

    p = json.loads(json.dumps(base))
    p["pre_tokenizer"] = bytelevel(True, True)
    p["added_tokens"] = base["added_tokens"] + [added(n, "<mask>", True, True, True)]
    out["prefix"] = p

    for name, tok in out.items():
        with open(os.path.join(TOKDIR, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(tok, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        print("wrote", os.path.join(TOKDIR, name + ".json"))


def refs(outdir):
    from tokenizers import Tokenizer, __version__
    import time
    os.makedirs(outdir, exist_ok=True)
    inputs = sorted(os.listdir(INDIR))
    log = open(os.path.join(outdir, "refs.log"), "w")
    log.write("tokenizers %s, %d inputs\n" % (__version__, len(inputs)))
    for name in sorted(os.listdir(TOKDIR)):
        if not name.endswith(".json"):
            continue
        tok = Tokenizer.from_file(os.path.join(TOKDIR, name))
        total = 0
        t0 = time.time()
        with open(os.path.join(outdir, name[:-5] + ".ids"), "wb") as f:
            for inp in inputs:
                text = open(os.path.join(INDIR, inp), "rb").read().decode("utf-8")
                ids = tok.encode(text).ids
                f.write(struct.pack("<I", len(ids)))
                f.write(struct.pack("<%dI" % len(ids), *ids))
                total += len(ids)
        log.write("%s: %d ids in %.2fs\n" % (name, total, time.time() - t0))
    log.close()
    print(open(os.path.join(outdir, "refs.log")).read())


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "derive":
        derive(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "refs":
        refs(sys.argv[2])
    else:
        sys.exit(__doc__)
