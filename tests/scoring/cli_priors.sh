#!/bin/bash
# `codecomp priors` over an indexed repository: JSON shape, determinism, byte ranges, and the
# errors a user meets (path not indexed, working tree changed since indexing, prompt over the
# model's context).
set -u
B="${CC_BIN:-build/bin}/codecomp"
TOK="$PWD/fixtures/tokenizer/tokenizers/pycode.json"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
R="$TMP/repo"
mkdir -p "$R" && cp tests/scoring/fixtures/app.py "$R/" || fail setup
(cd "$R" && git init -q && git add app.py &&
	git -c user.email=t@t -c user.name=t commit -qm init) || fail "git"
"$B" index "$R" >/dev/null || fail "index"

"$B" priors --json --model "$TOK" --query "order_total is wrong" "$R" app.py >"$TMP/a.json" ||
	fail "priors exited $?"
"$B" priors --json --model "$TOK" --query "order_total is wrong" "$R" app.py >"$TMP/b.json"
cmp -s "$TMP/a.json" "$TMP/b.json" || fail "two runs differ"
python3 - "$TMP/a.json" "$R/app.py" <<'PY' || fail "json content"
import json, sys
d = json.load(open(sys.argv[1]))
src = open(sys.argv[2], "rb").read()
toks = d["tokens"]
assert d["n_tokens"] == len(toks) > 300, "token count"
keys = {"id", "start", "end", "file", "class", "span", "chunk", "prior", "protected"}
assert all(set(t) == keys for t in toks), "token keys"
code = [t for t in toks if t["file"] == "app.py" and t["class"] != "header"]
assert code and all(0 <= t["start"] <= t["end"] <= len(src) for t in code), "offsets"
assert {"call", "predicate", "return", "assignment", "signature", "comment"} <= {t["class"] for t in toks}
assert toks[0]["class"] == "text" and toks[0]["file"] is None, "query first"
by = lambda c: [t["prior"] for t in toks if t["class"] == c]
assert max(by("comment") + by("whitespace")) < min(by("call") + by("predicate") + by("return")), "order"
ch = d["chunks"]
assert sum(c["count"] for c in ch) == len(toks) and all(c["budget"] == c["count"] for c in ch)
PY
# budget and byte range
"$B" priors --json --budget 30 --model "$TOK" "$R" app.py:0-200 >"$TMP/c.json" || fail "range"
python3 -c "
import json,sys; d=json.load(open('$TMP/c.json'))
assert sum(c['budget'] for c in d['chunks']) == 30
assert all(t['end'] <= 200 for t in d['tokens'] if t['file'])" || fail "budget/range output"

# errors: a path not in the index, a bad range
err=$("$B" priors --json --model "$TOK" "$R" nope.py 2>&1); rc=$?
[ $rc = 1 ] || fail "missing path: exit $rc"
case "$err" in codecomp:*nope.py*) ;; *) fail "missing path message: $err" ;; esac
err=$("$B" priors --json --model "$TOK" "$R" app.py:0-999999 2>&1); [ $? = 1 ] || fail "bad range"
case "$err" in codecomp:*app.py*outside*) ;; *) fail "bad range message: $err" ;; esac

# the working tree: indexed, then edited -> refused, re-indexed -> fine
echo "# edit" >>"$R/app.py"
"$B" index --worktree "$R" >/dev/null || fail "index worktree"
"$B" priors --worktree --model "$TOK" "$R" app.py >/dev/null || fail "fresh worktree"
echo "# another edit" >>"$R/app.py"
err=$("$B" priors --worktree --model "$TOK" "$R" app.py 2>&1); [ $? = 1 ] || fail "stale accepted"
case "$err" in codecomp:*app.py*changed*index*) ;; *) fail "stale message: $err" ;; esac

# over the model's context: both lengths named
mkdir "$TMP/model" && cp "$TOK" "$TMP/model/tokenizer.json" &&
	echo '{"max_position_embeddings": 50}' >"$TMP/model/config.json"
err=$("$B" priors --model "$TMP/model" "$R" app.py 2>&1); [ $? = 1 ] || fail "context accepted"
case "$err" in codecomp:*tokens*context\ of\ 50*) ;; *) fail "context message: $err" ;; esac
# configuration: the printed defaults load back and change nothing; a bad one is refused
"$B" priors --print-config >"$TMP/cfg.json" || fail "print-config"
"$B" priors --json --config "$TMP/cfg.json" --model "$TOK" --query "order_total is wrong" "$R" \
	app.py >"$TMP/d.json" || fail "priors --config"
cmp -s "$TMP/a.json" "$TMP/d.json" || fail "defaults from --print-config changed the priors"
echo '{"class_weight": {"comment": 0.95}}' >"$TMP/bad.json"
err=$("$B" priors --config "$TMP/bad.json" --model "$TOK" "$R" app.py 2>&1); [ $? = 1 ] || fail "bad config"
case "$err" in codecomp:*bad.json*outrank*) ;; *) fail "bad config message: $err" ;; esac
"$B" priors --model "$TOK" 2>/dev/null; [ $? = 2 ] || fail "usage error should exit 2"
echo ok
