#!/bin/bash
# The daemon's tokenizer cache (issue 9 item 6): keyed by the tokenizer file itself, not by how
# the model path is spelt - 260 spellings (M, M/., M/./., ..., M/tokenizer.json, a symlink)
# load it once and leave the resident memory flat; the cache is bounded (least recently used
# evicted: six distinct files, then the first again, is a seventh load); a file replaced on
# disk is loaded again.
. "$(dirname "$0")/lib.sh"

TOK=${CC_SOURCE_DIR:-$PWD}/fixtures/tokenizer/tokenizers/pycode.json
[ -f "$TOK" ] || { echo "SKIP: no tokenizer fixture"; exit 77; }
IPC=ipc://$T/d.sock
R=$T/repo
make_repo "$R"
"$CODECOMP" index --no-daemon "$R" >/dev/null || fail "index"
mkdir -p "$T/m"
cp "$TOK" "$T/m/tokenizer.json"
ln -s "$T/m" "$T/mlink"
for i in 1 2 3 4 5; do mkdir -p "$T/m$i" && cp "$TOK" "$T/m$i/tokenizer.json"; done
start_daemon "$IPC"

# priors MODEL...: one request per model, every one must succeed.
priors() {
	python3 - "$IPC" "$R" "$@" <<'EOF' || fail "priors requests"
import json, subprocess, sys
url, repo = sys.argv[1], sys.argv[2]
for m in sys.argv[3:]:
    req = {"jsonrpc": "2.0", "id": 1, "method": "priors",
           "params": {"repo": repo, "model": m, "query": "add", "paths": ["calc.py"]}}
    out = subprocess.run(["nngcat", "--req", "--dial", url, "--raw", "--recv-timeout", "10",
                          "--data", json.dumps(req)], capture_output=True, text=True).stdout
    assert '"result"' in out, (m, out[:300])
EOF
}
loads() { grep -c "tokenizer .* loaded" "$T/log" || true; }
anon() {
	rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"status"}' |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["daemon"]["rss_anon_bytes"])'
}

priors "$T/m"
a0=$(anon)
spellings=$(python3 -c '
import sys
t = sys.argv[1]
s = [t + "/m" + "/." * k for k in range(256)] + [t + "/m/", t + "/m/tokenizer.json", t + "/mlink", t + "/m/../m"]
print(" ".join(s))' "$T")
# shellcheck disable=SC2086
priors $spellings
a1=$(anon)
[ "$(loads)" = 1 ] || fail "$(loads) tokenizer loads for 261 spellings of one model"
grow=$(((a1 - a0) >> 20))
echo "anonymous memory: $((a0 >> 20)) MiB after one request, $((a1 >> 20)) MiB after 260 more spellings"
[ "$grow" -lt 40 ] || fail "memory grew by $grow MiB over 260 spellings of one model"

# Bounded: five more tokenizers (six distinct), then the first again: evicted, loaded again.
priors "$T/m1" "$T/m2" "$T/m3" "$T/m4" "$T/m5"
[ "$(loads)" = 6 ] || fail "$(loads) loads for 6 distinct tokenizers"
priors "$T/m5" "$T/m4"
[ "$(loads)" = 6 ] || fail "recently used tokenizers were reloaded"
priors "$T/m"
[ "$(loads)" = 7 ] || fail "the cache kept more than its bound ($(loads) loads)"
# A tokenizer replaced on disk is loaded again.
sleep 0.01
cp "$TOK" "$T/m5/tokenizer.json.new" && mv "$T/m5/tokenizer.json.new" "$T/m5/tokenizer.json"
priors "$T/m5"
[ "$(loads)" = 8 ] || fail "a replaced tokenizer file was not reloaded"

# A prompt over the model's context is invalid params (-32602, as docs/protocol.md says).
mkdir -p "$T/small" && cp "$TOK" "$T/small/tokenizer.json"
echo '{"max_position_embeddings": 8}' >"$T/small/config.json"
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"priors\",\"params\":{\"repo\":\"$R\",\"model\":\"$T/small\",\"query\":\"add\",\"paths\":[\"calc.py\"]}}")
case $r in *'"code":-32602'*"over the model's context"*) ;; *) fail "prompt over the context: $r" ;; esac
echo ok
