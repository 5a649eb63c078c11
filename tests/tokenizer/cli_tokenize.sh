#!/bin/bash
# `codecomp tokenize`: JSON output with ids and offsets, decode round trip, clear errors.
set -u
B="${CC_BIN:-build/bin}/codecomp"
T=fixtures/tokenizer/tokenizers/pycode.json
F=fixtures/tokenizer/inputs/heapq.py
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
"$B" tokenize --model "$T" --json "$F" >"$TMP/out.json" || fail "tokenize exited $?"
python3 - "$F" "$TMP/out.json" <<'PY' || fail "json output"
import json, sys
d = json.load(open(sys.argv[2]))
text = open(sys.argv[1], 'rb').read()
assert len(d["ids"]) == len(d["offsets"]) > 1000, "counts"
assert d["offsets"][0][0] == 0 and d["offsets"][-1][1] == len(text), "offsets cover the file"
assert all(a[1] == b[0] for a, b in zip(d["offsets"], d["offsets"][1:])), "offsets tile the file"
PY
ids=$("$B" tokenize --model "$T" "$F" | cut -f1) || fail "plain output"
"$B" tokenize --model "$T" --decode $ids | cmp - "$F" || fail "decode round trip"
err=$("$B" tokenize --model /nonexistent "$F" 2>&1); rc=$?
[ $rc = 1 ] || fail "missing model: exit $rc"
case "$err" in codecomp:*not\ found*) ;; *) fail "missing model message: $err" ;; esac
"$B" tokenize --model "$T" 2>/dev/null; [ $? = 2 ] || fail "usage error should exit 2"
err=$("$B" tokenize --model "$T" /nonexistent.py 2>&1); [ $? = 1 ] || fail "missing file"
echo ok
