#!/bin/bash
# job.cancel reaches a job inside one slow parse (issue 9): a repository whose only file is a
# 60 KB Java source that tree-sitter's error recovery takes seconds to parse (20,000
# unterminated string literals; its parse budget is 3.2 s). Cancelled 0.3 s into the job, the
# job must end "canceled" well before the parse's budget (by the daemon's started_at and
# finished_at); the daemon keeps serving; and SIGTERM during such a parse interrupts the job
# within about a second once its --stop-grace has passed (by the daemon's log).
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
rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.cancel\",\"params\":{\"job\":$job}}" >/dev/null
while :; do
	r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.status\",\"params\":{\"job\":$job}}")
	case $r in *'"state":"running"'* | *'"state":"queued"'*) ;; *) break ;; esac
	sleep 0.02
done
case $r in *'"state":"canceled"'*) ;; *) fail "job not canceled: $r" ;; esac
# The daemon's own clock, not this script's (whose nngcat calls a loaded machine slows):
# the parse alone would run to its 3.2 s budget, so a job that waited for it took longer.
took=$(printf '%s' "$r" | python3 -c 'import json,sys; j=json.load(sys.stdin)["result"]; print(round(j["finished_at"] - j["started_at"], 3))')
echo "job ran $took s, cancelled 0.3 s after it was queued"
python3 -c "import sys; sys.exit(0 if $took < 2.5 else 1)" || fail "the cancelled job ran $took s (the parse's budget is 3.2 s)"
"$CODECOMP" daemon ping --connect "$IPC" >/dev/null || fail "daemon not serving after the cancel"

# SIGTERM during the parse: after its --stop-grace the daemon cancels the job and exits
# promptly (the job stays pending in its journal). Measured between the daemon's log lines.
kill "$DPID"; wait_exit "$DPID" 10
: >"$T/log"
start_daemon "$IPC" --stop-grace 0.2
job=$(index_req ',"rev":"HEAD~0"')
sleep 0.3
kill -TERM "$DPID"
wait_exit "$DPID" 10
took=$(python3 - "$T/log" "$job" <<'PY'
import datetime, sys
def at(line):
    return datetime.datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f").timestamp()
t0 = t1 = None
for line in open(sys.argv[1]):
    if "SIGTERM: stopping" in line:
        t0 = at(line)
    if "job %s: interrupted by shutdown" % sys.argv[2] in line:
        t1 = at(line)
print(round(t1 - t0, 3) if t0 and t1 else "none")
PY
)
echo "job interrupted $took s after SIGTERM (stop grace 0.2 s)"
[ "$took" != none ] || fail "no SIGTERM/interrupted lines in the log: $(tail -5 "$T/log")"
python3 -c "import sys; sys.exit(0 if $took < 1.5 else 1)" || fail "SIGTERM: the job was interrupted $took s later"
echo ok
