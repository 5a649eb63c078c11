#!/bin/bash
# A tokenizer paired with a model whose vocabulary lacks one of its ids (issue 9): the shared
# model (vocab_size 8192) with fixtures/tokenizer/tokenizers/prefix.json, whose added token
# "<mask>" gets id 8192. score, generate and ask (an agent session, in-process) refuse at load
# with one line naming the token and the id, whatever the text; the same model with its own
# tokenizer works. Skips (77) when the shared model is absent.
set -u
B="${CC_BIN:-build/bin}/codecomp"
M="${CC_MODEL_DIR:-${CC_SOURCE_DIR:-.}/../shared/models/pycode-16m}"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M" >&2; exit 77; }
M=$(cd "$M" && pwd)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
export CC_NO_PROGRESS=1

mkdir "$TMP/m"
for f in "$M"/*; do
	case ${f##*/} in tokenizer.json | tokenizer_config.json) ;; *) ln -s "$f" "$TMP/m/" ;; esac
done
cp fixtures/tokenizer/tokenizers/prefix.json "$TMP/m/tokenizer.json"
printf 'def f(x):\n    return x + 1\n' >"$TMP/p.py"

# expect NAME CMD...: exit 1 and a stderr line naming the token and its id.
expect() {
	local name=$1 rc=0
	shift
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	[ "$rc" = 1 ] || fail "$name: exit $rc (expected 1); stderr: $(cat "$TMP/err")"
	grep -q "added token '<mask>' has id 8192, outside the model's vocabulary of 8192" "$TMP/err" ||
		fail "$name: stderr does not name the token: $(cat "$TMP/err")"
}
expect score "$B" score --model "$TMP/m" --max-tokens 32 "$TMP/p.py"
expect generate "$B" generate --model "$TMP/m" --prompt-file "$TMP/p.py" --max-new 2
expect ask "$B" ask --model "$TMP/m" --max-new 2 "def f(x):"

# The model with its own tokenizer: accepted.
cp "$M/tokenizer.json" "$TMP/m/tokenizer.json"
"$B" score --model "$TMP/m" --max-tokens 32 "$TMP/p.py" >/dev/null 2>"$TMP/err" || fail "own tokenizer refused: $(cat "$TMP/err")"
echo ok
