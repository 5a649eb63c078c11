#!/bin/bash
# A real codecompd on a temporary IPC socket (plus a 127.0.0.1 tcp listener with a token):
# socket permissions, the lock against a second daemon, every example of docs/protocol.md
# replayed with nngcat (success and error paths, limits, auth), refused tcp requests logged,
# SIGHUP reopening the log, `shutdown` exiting 0; then the project's client: status, daemon
# stop, SIGTERM.
. "$(dirname "$0")/lib.sh"

make_repo "$T/repo"
IPC=ipc://$T/d.sock

# The agent-session examples need the shared model (loaded at start: the examples' daemon
# answers within 1 s); without it they are skipped, saying so.
MODEL=${CC_MODEL_DIR:-$PWD/../shared/models/pycode-16m}
if [ -f "$MODEL/config.json" ]; then
	MODEL=$(cd "$MODEL" && pwd -P)
	start_daemon_tcp "$IPC" "$IPC" --model "$MODEL"
else
	echo "test_daemon_proto: no shared model at $MODEL: agent-session examples skipped"
	MODEL=
	start_daemon_tcp "$IPC" "$IPC"
fi

# The socket is owner-only; the lock file names the pid.
mode=$(stat -c %a "$T/d.sock")
[ "$mode" = 600 ] || fail "socket mode is $mode, expected 600"
if out=$("$CODECOMPD" --foreground --listen "$IPC" 2>&1); then fail "second daemon started"; fi
case $out in *"pid $DPID"*) ;; *) fail "second start does not name pid $DPID: $out" ;; esac

# tcp without a token is refused by the daemon itself too.
if "$CODECOMPD" --foreground --listen tcp://127.0.0.1:1 2>/dev/null; then fail "tcp without token accepted"; fi

# SIGHUP reopens the log file.
mv "$T/log" "$T/log.1"
kill -HUP "$DPID"
for i in $(seq 1 100); do [ -s "$T/log" ] && break; sleep 0.05; done
grep -q "SIGHUP" "$T/log" || fail "no new log after SIGHUP"

# Every documented example, over IPC and tcp; the last one shuts the daemon down.
REPO=$T/repo TOKEN=$TOKEN TOK=$PWD/fixtures/tokenizer/tokenizers/pycode.json MODEL=$MODEL \
	python3 tests/daemon/replay.py docs/protocol.md "$IPC" "$TCP" ||
	fail "docs/protocol.md examples"
cat "$T/log.1" "$T/log" >"$T/all.log"
grep -q "refused a request from 127.0.0.1" "$T/all.log" || fail "refused tcp request not logged"
wait_exit "$DPID" 10
[ "$EXIT_STATUS" = 0 ] || fail "daemon exited with $EXIT_STATUS after shutdown"

# The project's client: status (JSON and text), daemon stop, and SIGTERM.
start_daemon "$IPC"
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$T/repo\"}}")
job=$(printf '%s' "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')
wait_job "$IPC" "$job"
"$CODECOMP" status --connect "$IPC" --json >"$T/status.json" || fail "codecomp status --json"
python3 - "$T/status.json" "$T/repo" <<'EOF' || fail "status content"
import json, sys
st = json.load(open(sys.argv[1]))
repos = st["repositories"]
assert [r["repo"] for r in repos] == [sys.argv[2]], repos
assert repos[0]["revisions"] and repos[0]["revisions"][0]["files"] == 1, repos
assert repos[0]["db_bytes"] > 0
assert st["daemon"]["rss_bytes"] > 0
EOF
"$CODECOMP" status --connect "$IPC" | grep -q "$T/repo" || fail "codecomp status text"

# Identical output through the daemon and in-process (--no-daemon), JSON and text.
for verb in nodes edges; do
	for fmt in --json ""; do
		"$CODECOMP" $verb $fmt --connect "$IPC" "$T/repo" calc.py >"$T/d.out" || fail "$verb via daemon"
		"$CODECOMP" $verb $fmt --no-daemon "$T/repo" calc.py >"$T/l.out" || fail "$verb in-process"
		[ -s "$T/d.out" ] && cmp -s "$T/d.out" "$T/l.out" || fail "$verb $fmt differs via the daemon"
	done
done
(cd "$T/repo" && "$CODECOMP" edges --connect "$IPC" . ./calc.py) >"$T/d.out" ||
	fail "relative paths via the daemon"
cmp -s "$T/d.out" "$T/l.out" || fail "relative repo path differs via the daemon"
git -C "$T/repo" commit -q --allow-empty -m second
"$CODECOMP" index --json --connect "$IPC" "$T/repo" >"$T/d.json" || fail "index via daemon"
"$CODECOMP" index --json --no-daemon --db "$T/other.db" "$T/repo" >"$T/l.json" || fail "index in-process"
python3 - "$T/d.json" "$T/l.json" <<'EOF' || fail "index --json differs via the daemon"
import json, sys
d, l = (json.load(open(f)) for f in sys.argv[1:3])
assert set(d) == set(l), (sorted(d), sorted(l))
for k in d:
    if k not in ("seconds", "parsed_blobs", "reused_blobs"):
        assert d[k] == l[k], (k, d[k], l[k])
assert d["reused_blobs"] == 1 and d["parsed_blobs"] == 0, d  # second commit: same blob
EOF
"$CODECOMP" index --connect "$IPC" "$T/repo" | grep -q "^indexed $T/repo at [0-9a-f]\{12\}: 1 files" ||
	fail "index text via daemon"
if "$CODECOMP" index --connect "$IPC" --threads 2 "$T/repo" 2>/dev/null; then fail "--threads via daemon accepted"; fi
"$CODECOMP" daemon stop --connect "$IPC" | grep -q stopped || fail "codecomp daemon stop"
wait_exit "$DPID" 10
[ "$EXIT_STATUS" = 0 ] || fail "daemon exited with $EXIT_STATUS after daemon stop"
[ ! -e "$T/d.sock.lock" ] || fail "lock file left behind"

start_daemon "$IPC"
kill -TERM "$DPID"
wait_exit "$DPID" 10
[ "$EXIT_STATUS" = 0 ] || fail "daemon exited with $EXIT_STATUS after SIGTERM"
if "$CODECOMP" status --connect "$IPC" 2>"$T/err"; then fail "status with no daemon at --connect"; fi
grep -q "no daemon at" "$T/err" || fail "unclear error without daemon: $(cat "$T/err")"

# Detached start (the default): returns once the daemon answers; a second start fails with
# the pid; `codecomp daemon stop` ends it.
"$CODECOMP" daemon start --listen "$IPC" --log-file "$T/detached.log" || fail "detached start"
"$CODECOMP" daemon ping --connect "$IPC" >"$T/hello.json" || fail "detached daemon not answering"
dpid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$T/hello.json")
DPIDS="$DPIDS $dpid"
if "$CODECOMPD" --listen "$IPC" 2>"$T/err"; then fail "second detached start succeeded"; fi
grep -q "pid $dpid" "$T/err" || fail "second detached start does not name pid $dpid: $(cat "$T/err")"
"$CODECOMP" daemon stop --connect "$IPC" >/dev/null || fail "stopping the detached daemon"
for i in $(seq 1 200); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$dpid" 2>/dev/null && fail "detached daemon still running"
grep -q "stopped" "$T/detached.log" || fail "detached daemon did not log its stop"
echo "ok"
