#!/bin/bash
# Fault localization through codecompd's HTTP endpoint (issue 11): POST /v1/codecomp/localize
# with the `localize` method's params answers the same JSON as `codecomp localize --json`
# (timings aside, numbers to the CLI's 6 digits), with the model named by its id, by its
# directory or not at all (the first loaded model); bad input gets OpenAI-shaped errors (an
# empty issue 400, a repository outside the daemon's roots 404 with the same message as a
# missing one, a model that is not loaded 404: HTTP loads none), and the JSON-RPC method is
# confined to the roots as well.
. "$(dirname "$0")/../daemon/lib.sh"
M="${CC_MODEL_DIR:-${CC_SOURCE_DIR:-$PWD}/../shared/models/pycode-16m}"
[ -f "$M/config.json" ] || { echo "SKIP: no model at $M (set CC_MODEL_DIR)"; exit 77; }
M=$(cd "$M" && pwd)
SRC=${CC_SOURCE_DIR:-$PWD}

R=$T/inv
mkdir -p "$R"
cp -R "$SRC/fixtures/example/." "$R/"
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -q -m example || fail "git"
"$CODECOMP" index --no-daemon "$R" >/dev/null || fail "index"
# a repository outside the daemon's roots (the roots are $T)
OUT=$(mktemp -d /tmp/cc-outside.XXXXXX)
trap 'rm -rf "$OUT"; cleanup' EXIT
cp -R "$R" "$OUT/inv"

ISSUE="Stock.remove() leaves an item in the stock after removing all of it"
"$CODECOMP" localize --no-daemon --repo "$R" --model "$M" --json --issue "$ISSUE" --top 5 >"$T/cli.json" ||
	fail "codecomp localize"

for attempt in 1 2 3 4 5 6 7 8; do
	PORT=$((20000 + RANDOM % 40000))
	IPC=ipc://$T/d$attempt.sock
	"$CODECOMPD" --foreground --listen "$IPC" --http "127.0.0.1:$PORT" --model "$M" \
		--log-file "$T/log" --log-level debug &
	DPID=$!
	DPIDS="$DPIDS $DPID"
	up=0
	for i in $(seq 1 200); do
		python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/v1/models', timeout=2)" 2>/dev/null && { up=1; break; }
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.05
	done
	[ $up = 1 ] && break
	kill "$DPID" 2>/dev/null || true
	wait "$DPID" 2>/dev/null || true
done
[ $up = 1 ] || fail "codecompd --http did not start"

python3 - "http://127.0.0.1:$PORT" "$T/cli.json" "$R" "$M" "$ISSUE" "$OUT/inv" <<'PY' || fail "HTTP localize"
import json, sys, urllib.request, urllib.error
base, cli, repo, model, issue, outside = sys.argv[1:7]
bad = []

def post(body):
    req = urllib.request.Request(base + "/v1/codecomp/localize", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode())

def norm(x):
    if isinstance(x, float):
        return float("%.6g" % x)
    if isinstance(x, dict):
        return {k: norm(v) for k, v in x.items() if k != "timings"}
    if isinstance(x, list):
        return [norm(v) for v in x]
    return x

ref = norm(json.load(open(cli)))
for m in ("pycode-16m", model, None):
    body = {"repo": repo, "issue": issue, "top": 5}
    if m:
        body["model"] = m
    st, r = post(body)
    if st != 200:
        bad.append("model %r: %d %r" % (m, st, r))
        continue
    if "timings" not in r:
        bad.append("no timings")
    if norm(r) != ref:
        bad.append("model %r: the HTTP answer differs from codecomp localize --json" % m)
    elif m is None and r["results"][0]["qualified"] != "Stock.remove":
        bad.append("top result %r" % r["results"][0])

def expect(body, status, want, what):
    st, r = post(body)
    ok = st == status and isinstance(r.get("error"), dict) and want in r["error"]["message"]
    if not ok:
        bad.append("%s: want %d '%s', got %d %r" % (what, status, want, st, r))
    return r
expect({"repo": repo, "issue": ""}, 400, "issue text is empty", "empty issue")
e1 = expect({"repo": outside, "issue": issue}, 404, "outside the daemon's allowed roots", "outside the roots")
e2 = expect({"repo": outside + "-missing", "issue": issue}, 404, "outside the daemon's allowed roots", "missing")
if e1.get("error", {}).get("message", "").replace(outside, "X") != e2.get("error", {}).get("message", "").replace(outside + "-missing", "X"):
    bad.append("missing and outside repositories answer differently")
expect({"repo": repo, "issue": issue, "model": "gpt-4"}, 404, "does not exist", "unknown model")
expect({"repo": repo, "issue": issue, "model": "/etc"}, 404, "does not exist", "a directory not loaded")
expect({"repo": repo, "issue": issue, "bogus": 1}, 400, "bogus", "unknown parameter")
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# The JSON-RPC method: the same confinement.
r=$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"localize","params":{"repo":"'"$OUT/inv"'","model":"'"$M"'","issue":"x"}}')
case $r in *'-32006'*"outside the daemon's allowed roots"*) ;; *) fail "JSON-RPC localize outside the roots: $r" ;; esac
kill -0 "$DPID" 2>/dev/null || fail "codecompd died"
"$CODECOMP" daemon stop --connect "$IPC" --timeout 10 >/dev/null || fail "stop"
echo ok
