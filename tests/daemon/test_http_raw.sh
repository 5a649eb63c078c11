#!/usr/bin/env bash
# test_http_raw.sh - /v1/completions with a prompt and no codecomp context (issue 10): the
# prompt is the context exactly, as token ids (all but its last token; the last one is the
# generation's prompt), never cut at a newline or given a newline of its own. Over real HTTP
# (Python urllib), greedy continuations and prompt token counts equal the in-process
# `codecomp generate --json` on the same text, for prompts whose newlines all merge with the
# indentation after them, without a final newline, with one, with CRLF line ends; a prompt of
# token ids equals the text it spells; session.open takes the same raw text and token-id
# contexts. A one-token prompt has nothing before its last token:
# it gets a context of one newline, so it is only checked to work.
. "$(dirname "$0")/lib.sh"

M=${CC_MODEL_DIR:-$CC_SOURCE_DIR/../shared/models/pycode-16m}
[ -f "$M/config.json" ] || { echo "SKIP: shared model not found ($M; set CC_MODEL_DIR)"; exit 77; }
M=$(cd "$M" && pwd)
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }

n=0
for p in 'class Stack:\n    def __init__(self):\n        self.items = []\n    def push(self, x):\n        self' \
	'import os\nimport sys\n\ndef main(argv):\n    for a in argv:\n        print(a)\n    return' \
	'def add(a, b):\n    return a + b\n' \
	'x = 1\r\ny = 2\r\nz = x +' \
	'def'; do
	n=$((n + 1))
	printf "$p" >"$T/p$n"
	"$CODECOMP" generate --model "$M" --prompt-file "$T/p$n" --max-new 16 --json >"$T/g$n.json" ||
		fail "codecomp generate p$n"
done

for attempt in 1 2 3 4 5 6 7 8; do
	PORT=$((20000 + RANDOM % 40000))
	IPC=ipc://$T/d$attempt.sock
	"$CODECOMPD" --foreground --listen "$IPC" --http "127.0.0.1:$PORT" --model "$M" \
		--log-file "$T/log" --log-level debug &
	DPID=$!
	DPIDS="$DPIDS $DPID"
	up=0
	for i in $(seq 1 200); do
		python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/v1/models', timeout=2)" 2>/dev/null && { up=1; break; }
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.05
	done
	[ $up = 1 ] && break
	kill "$DPID" 2>/dev/null || true
	wait "$DPID" 2>/dev/null || true
done
[ $up = 1 ] || fail "codecompd --http did not start"

python3 - "http://127.0.0.1:$PORT" "$T" "$n" <<'PY' || fail "HTTP completions differ from codecomp generate"
import json, sys, urllib.request, urllib.error
base, t, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
bad = []

def complete(prompt):
    req = urllib.request.Request(base + "/v1/completions", headers={"Content-Type": "application/json"},
                                 data=json.dumps({"model": "pycode-16m", "prompt": prompt,
                                                  "max_tokens": 16, "temperature": 0}).encode())
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return {"error": e.read().decode()}

for i in range(1, n + 1):
    text = open("%s/p%d" % (t, i), newline="").read()
    ref = json.load(open("%s/g%d.json" % (t, i)))
    r = complete(text)
    if "error" in r:
        bad.append("p%d: %s" % (i, r["error"]))
        continue
    got = r["codecomp"]["completion_ids"]
    if len(ref["prompt_ids"]) == 1:
        if not got:
            bad.append("one-token prompt: no completion")
        continue
    print("p%d: %d prompt tokens, http %s, generate %s" % (i, r["usage"]["prompt_tokens"], got[:6], ref["ids"][:6]))
    if got != ref["ids"]:
        bad.append("p%d %r: ids %r != codecomp generate %r" % (i, text, got, ref["ids"]))
    if r["choices"][0]["text"] != ref["text"]:
        bad.append("p%d: text %r != %r" % (i, r["choices"][0]["text"], ref["text"]))
    if len(ref["prompt_ids"]) > 1 and r["usage"]["prompt_tokens"] != len(ref["prompt_ids"]):
        bad.append("p%d: prompt_tokens %d != %d" % (i, r["usage"]["prompt_tokens"], len(ref["prompt_ids"])))
    if i == 1:
        # the same prompt as token ids
        r2 = complete(ref["prompt_ids"])
        if "error" in r2 or r2["codecomp"]["completion_ids"] != ref["ids"]:
            bad.append("token-id prompt: %r" % (r2,))
for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
# session.open over JSON-RPC takes the same exact contexts: raw text (no newline added) and
# token ids; an id outside the vocabulary is refused by position.
want=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["prompt_ids"]))' "$T/g1.json")
ptext=$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$T/p1")
pids=$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["prompt_ids"]))' "$T/g1.json")
ctx_tokens() { python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["result"]["context_tokens"] if "result" in r else r)'; }
got=$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"session.open","params":{"model":"'"$M"'","text":'"$ptext"',"raw":true,"policy":"full"}}' | ctx_tokens)
[ "$got" = "$want" ] || fail "session.open raw text: $got context tokens, codecomp generate's prompt has $want"
got=$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"session.open","params":{"model":"'"$M"'","text":'"$ptext"',"policy":"full"}}' | ctx_tokens)
[ "$got" != "$want" ] || fail "session.open text (not raw) should end with an added newline"
got=$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"session.open","params":{"model":"'"$M"'","ids":'"$pids"',"policy":"full"}}' | ctx_tokens)
[ "$got" = "$want" ] || fail "session.open ids: $got context tokens, want $want"
r=$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"session.open","params":{"model":"'"$M"'","ids":[5,99999],"policy":"full"}}')
case $r in *'-32602'*'context token 1: id 99999 is outside'*) ;; *) fail "bad id: $r" ;; esac

kill -0 "$DPID" 2>/dev/null || fail "codecompd died"
"$CODECOMP" daemon stop --connect "$IPC" --timeout 10 >/dev/null || fail "stop"
echo ok
