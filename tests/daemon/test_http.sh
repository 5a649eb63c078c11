#!/usr/bin/env bash
# test_http.sh - codecompd --http (docs/protocol.md, "OpenAI-compatible HTTP") on the shared
# model: curl requests (models, completion, SSE stream, errors), then the urllib client
# (http_client.py: equality with the in-process `codecomp generate` for fixed seeds, streaming
# equal to plain replies, sessions, repository contexts, bad input and a replay of malformed
# HTTP); then a non-loopback bind: the bearer token is required and checked.
. "$(dirname "$0")/lib.sh"

M=${CC_MODEL_DIR:-$CC_SOURCE_DIR/../shared/models/pycode-16m}
[ -f "$M/config.json" ] || { echo "SKIP: shared model not found ($M; set CC_MODEL_DIR)"; exit 77; }
M=$(cd "$M" && pwd)
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }

R=$T/repo
make_repo "$R"
"$CODECOMP" index --no-daemon "$R" >/dev/null || fail "index"

# start_http ADDR_HOST [codecompd options]: codecompd on an ipc socket plus --http on a free
# port of ADDR_HOST (a few random ones are tried). Sets PORT, IPC, DPID.
start_http() {
	host=$1
	shift
	for attempt in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + RANDOM % 40000))
		IPC=ipc://$T/d$attempt.sock
		"$CODECOMPD" --foreground --listen "$IPC" --http "$host:$PORT" --model "$M" \
			--max-request 65536 --request-timeout 5 --log-file "$T/log" --log-level debug "$@" &
		DPID=$!
		DPIDS="$DPIDS $DPID"
		for i in $(seq 1 200); do
			curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null && return 0
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$DPID" 2>/dev/null || true
		wait "$DPID" 2>/dev/null || true
	done
	fail "codecompd --http did not start"
}

# A chat model: the shared model's files with a ChatML (Qwen2.5) template in its
# tokenizer_config.json (fixtures/chat/qwen2.5), so chat runs end to end.
mkdir "$T/chatm"
for f in "$M"/*; do [ "$(basename "$f")" = tokenizer_config.json ] || ln -s "$f" "$T/chatm/"; done
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["chat_template"]=json.load(open(sys.argv[2]))["chat_template"]; json.dump(c, open(sys.argv[3], "w"))' \
	"$M/tokenizer_config.json" "$CC_SOURCE_DIR/fixtures/chat/qwen2.5/tokenizer_config.json" \
	"$T/chatm/tokenizer_config.json"

start_http 127.0.0.1 --model "$T/chatm"
B=http://127.0.0.1:$PORT

# ---- curl
out=$(curl -sS "$B/v1/models") || fail "curl models"
case $out in *'"id":"pycode-16m"'*'"object":"model"'*) ;; *) fail "models: $out" ;; esac
out=$(curl -sS "$B/v1/completions" -H 'Content-Type: application/json' \
	-d '{"model":"pycode-16m","prompt":"def add(a, b):\n    return","max_tokens":8,"temperature":0}')
case $out in *'"object":"text_completion"'*'"finish_reason":"'*'"usage":{"prompt_tokens":'*) ;;
*) fail "completion: $out" ;; esac
out=$(curl -sSN "$B/v1/completions" -H 'Content-Type: application/json' \
	-d '{"prompt":"import os\n","max_tokens":6,"temperature":0,"stream":true}')
case $out in data:\ \{*'data: [DONE]') ;; *) fail "stream: $out" ;; esac
code=$(curl -s -o "$T/err" -w '%{http_code}' "$B/v1/completions" -d '{"prompt": ')
[ "$code" = 400 ] || fail "malformed JSON: $code"
grep -q '"error":{"message":' "$T/err" || fail "error shape: $(cat "$T/err")"
code=$(curl -s -o "$T/err" -w '%{http_code}' "$B/v1/chat/completions" \
	-d '{"model":"pycode-16m","messages":[{"role":"user","content":"hi"}]}')
[ "$code" = 400 ] && grep -q 'no chat template' "$T/err" || fail "chat refusal: $code $(cat "$T/err")"

# ---- the in-process references and a session opened over JSON-RPC
printf 'def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n' >"$T/prompt"
"$CODECOMP" generate --model "$M" --prompt-file "$T/prompt" --max-new 24 --json >"$T/greedy.json" ||
	fail "codecomp generate"
"$CODECOMP" generate --model "$M" --prompt-file "$T/prompt" --max-new 24 --temperature 0.8 \
	--top-p 0.95 --seed 7 --json >"$T/sampled.json" || fail "codecomp generate sampled"
printf '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nWrite a function that adds two numbers.<|im_end|>\n<|im_start|>assistant\n' >"$T/chat_prompt"
"$CODECOMP" generate --model "$T/chatm" --prompt-file "$T/chat_prompt" --max-new 16 --json \
	>"$T/chat.json" || fail "codecomp generate chat"
open=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"session.open\",\"params\":{\"model\":\"$M\",\"text\":\"def add(a, b):\\n    return a + b\\n\",\"policy\":\"full\"}}")
SID=$(printf '%s' "$open" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["id"])') ||
	fail "session.open: $open"
gen=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"session.generate\",\"params\":{\"id\":\"$SID\",\"prompt\":\"def sub(a, b):\\n\",\"max_new\":8}}")
SID_TEXT=$(printf '%s' "$gen" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["text"], end="")') ||
	fail "session.generate: $gen"

BASE=$B PROMPT_FILE=$T/prompt REF_GREEDY=$T/greedy.json REF_SAMPLED=$T/sampled.json SID=$SID \
	SID_TEXT=$SID_TEXT REPO=$R REF_CHAT=$T/chat.json python3 "$CC_SOURCE_DIR/tests/daemon/http_client.py" ||
	fail "http_client.py"
kill -0 "$DPID" 2>/dev/null || fail "codecompd died"
"$CODECOMP" daemon stop --connect "$IPC" --timeout 10 >/dev/null || fail "stop"

# ---- a non-loopback bind needs a token file, then every request the bearer token
"$CODECOMPD" --foreground --listen "ipc://$T/x.sock" --http "0.0.0.0:1" --model "$M" \
	>"$T/out" 2>&1 && fail "non-loopback without --token-file started"
grep -q 'needs --token-file' "$T/out" || fail "no clear refusal: $(cat "$T/out")"
TOKEN=tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$TOKEN" >"$T/token"
chmod 600 "$T/token"
start_http 0.0.0.0 --token-file "$T/token" --request-timeout 1
B=http://127.0.0.1:$PORT
# a body that never fully arrives: the connection is closed after --request-timeout (nng
# closes a connection whose read failed, so no 408 can be sent), not held
python3 - "$PORT" "$TOKEN" <<'PY' || fail "slow body"
import socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
c.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
          sys.argv[2].encode() + b"\r\nContent-Length: 100\r\n\r\n{\"prompt\"")
t0 = time.time()
out = c.recv(4096)
dt = time.time() - t0
assert (out == b"" or out.startswith(b"HTTP/1.1 408")) and 0.5 < dt < 5, (out, dt)
PY
code=$(curl -s -o "$T/err" -w '%{http_code}' "$B/v1/models")
[ "$code" = 401 ] && grep -q 'Missing API key' "$T/err" || fail "no token: $code $(cat "$T/err")"
code=$(curl -s -o "$T/err" -w '%{http_code}' -H "Authorization: Bearer ${TOKEN}x" "$B/v1/models")
[ "$code" = 401 ] && grep -q 'Incorrect API key' "$T/err" || fail "wrong token: $code"
code=$(curl -s -o "$T/err" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$B/v1/models")
[ "$code" = 200 ] || fail "right token: $code $(cat "$T/err")"
code=$(curl -s -o "$T/err" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	"$B/v1/completions" -d '{"prompt":"import os\n","max_tokens":4}')
[ "$code" = 200 ] || fail "completion with token: $code $(cat "$T/err")"
"$CODECOMP" daemon stop --connect "$IPC" --timeout 10 >/dev/null || fail "stop"
echo "test_http: ok"
