#!/bin/bash
# job.cancel reaches a job inside one slow parse (issue 9): a repository whose only file is a
# 60 KB Java source that tree-sitter's error recovery takes seconds to parse (20,000
# unterminated string literals; its parse budget is 3.2 s). Cancelled 0.3 s into the job, the
# job must end "canceled" within about a second of the request, not at the parse's budget; the
# daemon keeps serving, and SIGTERM during such a parse stops it
# just as promptly once its --stop-grace has passed.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
mkdir -p "$T/repo"
git -C "$T/repo" init -q
python3 -c 'import sys; sys.stdout.write("\"a " * 20000)' >"$T/repo/Slow.java"
git -C "$T/repo" add Slow.java
git -C "$T/repo" commit -q -m slow
index_req() {
	rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$T/repo\"$1}}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])'
}

start_daemon "$IPC"
job=$(index_req "")
sleep 0.3
t0=$(date +%s.%N)
rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.cancel\",\"params\":{\"job\":$job}}" >/dev/null
while :; do
	r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.status\",\"params\":{\"job\":$job}}")
	case $r in *'"state":"running"'* | *'"state":"queued"'*) ;; *) break ;; esac
	sleep 0.02
done
took=$(python3 -c "import time; print(round(time.time() - $t0, 3))")
echo "job ended $took s after job.cancel: $r"
case $r in *'"state":"canceled"'*) ;; *) fail "job not canceled: $r" ;; esac
python3 -c "import sys; sys.exit(0 if $took < 1.6 else 1)" || fail "job.cancel took $took s (the parse's budget is 3.2 s)"
"$CODECOMP" daemon ping --connect "$IPC" >/dev/null || fail "daemon not serving after the cancel"

# SIGTERM during the parse: after its --stop-grace the daemon cancels the job and exits
# promptly (the job stays pending in its journal).
kill "$DPID"; wait_exit "$DPID" 10
start_daemon "$IPC" --stop-grace 0.2
job=$(index_req ',"rev":"HEAD~0"')
sleep 0.3
t0=$(date +%s.%N)
kill -TERM "$DPID"
wait_exit "$DPID" 10
took=$(python3 -c "import time; print(round(time.time() - $t0, 3))")
echo "daemon exited $took s after SIGTERM"
python3 -c "import sys; sys.exit(0 if $took < 1.6 else 1)" || fail "SIGTERM took $took s"
echo ok
