#!/bin/bash
# `codecomp viz --session ID` (issue 11): a live agent session of codecompd (the shared model,
# the bundled example's two files, codecomp at 20%) drawn as one self-contained page: the
# daemon's session.viz gives the context's tokens (their bytes are the context the session
# read, "# file:" lines included), a kept mark per token for each layer and KV head for the
# session's policy and for SnapKV at the same budget (each row keeping the session's
# kept_per_head tokens), and headless Chromium renders a PNG that is not blank and shows kept
# and evicted marks. Bad input: an unknown session, no daemon. Skips without the model or
# chromium.
. "$(dirname "$0")/../daemon/lib.sh"
M="${CC_MODEL_DIR:-${CC_SOURCE_DIR:-$PWD}/../shared/models/pycode-16m}"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M (set CC_MODEL_DIR)"; exit 77; }
command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
	{ echo "SKIP: chromium not installed (scripts/bootstrap installs it)"; exit 77; }
M=$(cd "$M" && pwd)
SRC=${CC_SOURCE_DIR:-$PWD}

R=$T/inv
mkdir -p "$R"
cp -R "$SRC/fixtures/example/." "$R/"
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -q -m example || fail "git"
"$CODECOMP" index --no-daemon "$R" >/dev/null || fail "index"

# no daemon: a clear message
err=$("$CODECOMP" viz --session s1 --out "$T/x.html" --connect "ipc://$T/none.sock" 2>&1) && fail "viz without a daemon succeeded"
echo "$err" | grep -q "codecomp: viz: session s1:" || fail "no daemon: $err"

IPC=ipc://$T/d.sock
start_daemon "$IPC" --model "$M"
export CODECOMP_CONNECT=$IPC
"$CODECOMP" session open --model "$M" --repo "$R" --path inventory/store.py --path inventory/report.py \
	--policy codecomp --budget 0.2 --json >"$T/open.json" || fail "session open"
SID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$T/open.json")

# (a SnapKV prefill of its own: allow a slow machine or a sanitizer build more than rpc's 5 s)
nngcat --req --dial "$IPC" --raw --recv-timeout 120 \
	--data '{"jsonrpc":"2.0","id":1,"method":"session.viz","params":{"id":"'"$SID"'"}}' >"$T/viz.json"
python3 - "$T/viz.json" "$T/open.json" "$R" <<'PY' || fail "session.viz"
import json, sys
r = json.load(open(sys.argv[1]))
assert "result" in r, r
d, o = r["result"], json.load(open(sys.argv[2]))
v = d["viz"]
n = len(v["starts"])
assert d["mode"] == "session" and d["policy"] == "codecomp" and d["budget"] == 0.2, d
assert d["session"]["id"] == o["id"] and n == o["context_tokens"], (n, o["context_tokens"])
assert v["starts"][0] == 0 and all(a < b for a, b in zip(v["starts"], v["starts"][1:]))
text = v["text"].encode()
assert text.startswith(b"# file: inventory/store.py\n"), text[:60]
assert open(sys.argv[3] + "/inventory/store.py", "rb").read() in text, "the file's bytes are in the context"
assert len(v["priors"]) == n and all(0 <= p <= 1 for p in v["priors"])
assert set(v["kept"]) == {"codecomp", "snapkv"}, v["kept"].keys()
rows = v["layers"] * v["kv_heads"]
for pol, marks in v["kept"].items():
    assert len(marks) == rows and all(len(m) == n for m in marks), pol
    counts = [m.count("1") for m in marks]
    if pol == "codecomp":  # head budgets: a different count per KV head, the mean as reported
        assert sum(counts) // rows == o["kept_per_head"], (pol, counts, o["kept_per_head"])
    else:
        assert set(counts) == {o["kept_per_head"]}, (pol, counts, o["kept_per_head"])
assert v["kept"]["codecomp"] != v["kept"]["snapkv"], "the two policies kept the same tokens everywhere"
print("session.viz: %d tokens, %d rows, %d kept per head" % (n, rows, o["kept_per_head"]))
PY

"$CODECOMP" viz --session "$SID" --out "$T/s.html" --png "$T/s.png" || fail "viz --session"
[ -n "${VIZ_KEEP:-}" ] && cp "$T/s.png" "$VIZ_KEEP"  # to look at it
grep -Eq '(src|href)="(https?:)?//' "$T/s.html" && fail "the page refers to the network"
grep -q "\"id\":\"$SID\"" "$T/s.html" || fail "the page does not carry the session"
python3 "$SRC/tests/localize/check_png.py" "$T/s.png" || fail "session report PNG"

err=$("$CODECOMP" viz --session nosuch --out "$T/x.html" 2>&1) && fail "unknown session accepted"
echo "$err" | grep -q "no session 'nosuch'" || fail "unknown session: $err"
"$CODECOMP" session close "$SID" >/dev/null || fail "close"
"$CODECOMP" daemon stop --connect "$IPC" --timeout 10 >/dev/null || fail "stop"
echo "viz --session: ok"
