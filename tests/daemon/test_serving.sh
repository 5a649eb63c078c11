#!/bin/bash
# codecompd --serve-procs 3: the serving processes' sockets are owner-only, every process
# answers hello as the same daemon, every example of docs/protocol.md gives the same replies
# through a serving process (nngcat), the CLI's index/nodes/edges/status through a serving
# process equal the in-process output, SIGHUP reaches them, and `shutdown` sent to a serving
# process stops the whole daemon (exit 0, every process gone, sockets removed); a primary
# killed and restarted at once gets its serving sockets back from the dying old processes.
. "$(dirname "$0")/lib.sh"

make_repo "$T/repo"
IPC=ipc://$T/d.sock
S1=ipc://$T/d.sock.1
S2=ipc://$T/d.sock.2

start_daemon_tcp "$IPC" "$S2" --serve-procs 3

for s in d.sock.1 d.sock.2; do
	mode=$(stat -c %a "$T/$s")
	[ "$mode" = 600 ] || fail "$s mode is $mode, expected 600"
done

# One daemon, three processes: same pid and endpoints, each its own process, children of it.
for u in "$IPC" "$S1" "$S2"; do rpc "$u" '{"jsonrpc":"2.0","id":1,"method":"hello"}'; echo; done >"$T/hellos"
python3 - "$T/hellos" "$DPID" "$IPC" "$S1" "$S2" <<'EOF' || fail "hello through the three endpoints"
import json, sys
hs = [json.loads(l)["result"] for l in open(sys.argv[1]) if l.strip()]
dpid, urls = int(sys.argv[2]), sys.argv[3:]
assert len(hs) == 3
assert all(h["pid"] == dpid for h in hs), hs
assert all(h["endpoints"] == urls for h in hs), hs
procs = [h["process"] for h in hs]
assert procs[0] == dpid and len(set(procs)) == 3, procs
for p in procs[1:]:
    ppid = int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1])
    assert ppid == dpid, (p, ppid)
EOF
SERVING=$(python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["result"]["process"]) for l in open(sys.argv[1]) if l.strip()))' "$T/hellos" | cut -d" " -f2-)

# Every documented example through serving process 2 (tcp ones go to the primary); the last
# one, shutdown, is relayed and stops the daemon.
REPO=$T/repo TOKEN=$TOKEN TOK=$PWD/fixtures/tokenizer/tokenizers/pycode.json \
	python3 tests/daemon/replay.py docs/protocol.md "$S2" "$TCP" ||
	fail "docs/protocol.md examples through a serving process"
wait_exit "$DPID" 15
[ "$EXIT_STATUS" = 0 ] || fail "daemon exited with $EXIT_STATUS after shutdown"
for p in $SERVING; do
	kill -0 "$p" 2>/dev/null && fail "serving process $p still running after shutdown"
done
for s in d.sock d.sock.1 d.sock.2; do
	[ -e "$T/$s" ] && fail "$s left behind"
done

# Again, for the project's client: the CLI through serving processes.
start_daemon "$IPC" --serve-procs 3
SERVING=$(python3 -c 'import json,sys; print(" ".join(str(s["pid"]) for s in json.load(sys.stdin)["result"]["daemon"]["serving"]))' \
	<<<"$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"status"}')")
# The CLI through a serving process: index (relayed, waited for through job.status), nodes and
# edges (answered there) equal in-process work; status lists the serving processes.
"$CODECOMP" index --connect "$S1" --json "$T/repo" >"$T/index.json" || fail "index via a serving process"
for verb in nodes edges; do
	"$CODECOMP" $verb --json --connect "$S2" "$T/repo" calc.py >"$T/d.out" || fail "$verb via a serving process"
	"$CODECOMP" $verb --json --no-daemon "$T/repo" calc.py >"$T/l.out" || fail "$verb in-process"
	cmp -s "$T/d.out" "$T/l.out" || fail "$verb differs through a serving process"
done
"$CODECOMP" status --json --connect "$S1" >"$T/status.json" || fail "status via a serving process"
python3 - "$T/status.json" "$T/repo" "$SERVING" <<'EOF' || fail "status content"
import json, sys
st = json.load(open(sys.argv[1]))
assert [r["repo"] for r in st["repositories"]] == [sys.argv[2]], st["repositories"]
sv = st["daemon"]["serving"]
assert sorted(str(s["pid"]) for s in sv) == sorted(sys.argv[3].split()), sv
assert all(s["alive"] and s["rss_bytes"] > 0 for s in sv), sv
assert st["daemon"]["requests"]["forwarded"] == 0  # the primary's own counter
EOF
grep -q "\[serving .1\] ipc index: relayed to the primary" "$T/log" || fail "relay not logged"

# SIGHUP to the primary reaches the serving processes (they reopen the log too).
mv "$T/log" "$T/log.1"
kill -HUP "$DPID"
for i in $(seq 1 400); do # up to 20 s on a loaded machine
	rpc "$S2" '{"jsonrpc":"2.0","id":1,"method":"hello"}' >/dev/null
	grep -q "\[serving .2\] ipc hello" "$T/log" 2>/dev/null && break
	sleep 0.05
done
grep -q "\[serving .2\] ipc hello" "$T/log" || fail "serving process did not reopen its log on SIGHUP"

# `codecomp daemon stop` through a serving process stops them all.
"$CODECOMP" daemon stop --connect "$S2" >/dev/null || fail "daemon stop via a serving process"
wait_exit "$DPID" 15
[ "$EXIT_STATUS" = 0 ] || fail "daemon exited with $EXIT_STATUS after daemon stop"
for p in $SERVING; do
	kill -0 "$p" 2>/dev/null && fail "serving process $p still running after daemon stop"
done

# kill -9 of the primary, restarted at once while its old serving process still holds SOCK.1
# (stopped here, so it cannot exit yet): the new serving process waits for the socket instead
# of failing the start, and the old one dies with its primary (PR_SET_PDEATHSIG).
start_daemon "$IPC" --serve-procs 2
OLD=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["daemon"]["serving"][0]["pid"])' \
	<<<"$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"status"}')")
kill -STOP "$OLD"
kill -9 "$DPID"
wait "$DPID" 2>/dev/null || true
"$CODECOMPD" --foreground --listen "$IPC" --serve-procs 2 --log-file "$T/log2" --log-level debug &
DPID=$!
DPIDS="$DPIDS $DPID"
sleep 1
kill -CONT "$OLD"
for i in $(seq 1 600); do # up to 30 s on a loaded machine
	grep -q "ready (pid $DPID)" "$T/log2" 2>/dev/null && break
	kill -0 "$DPID" 2>/dev/null || fail "restarted daemon exited: $(cat "$T/log2")"
	sleep 0.05
done
grep -q "ready (pid $DPID)" "$T/log2" || fail "restarted daemon not ready: $(cat "$T/log2")"
rpc "$S1" '{"jsonrpc":"2.0","id":1,"method":"hello"}' >"$T/h.json" || fail "hello on the new SOCK.1"
python3 - "$T/h.json" "$DPID" "$OLD" <<'EOF2' || fail "SOCK.1 not served by the new daemon"
import json, sys
h = json.load(open(sys.argv[1]))["result"]
assert h["pid"] == int(sys.argv[2]) and h["process"] != int(sys.argv[3]), h
EOF2
for i in $(seq 1 400); do # gone, or a zombie nobody reaps (its parent died)
	kill -0 "$OLD" 2>/dev/null && [ "$(cut -d" " -f3 "/proc/$OLD/stat" 2>/dev/null)" != Z ] || break
	sleep 0.05
done
kill -0 "$OLD" 2>/dev/null && [ "$(cut -d" " -f3 "/proc/$OLD/stat" 2>/dev/null)" != Z ] &&
	fail "old serving process $OLD survived its primary"
"$CODECOMP" daemon stop --connect "$IPC" >/dev/null || fail "daemon stop"
wait_exit "$DPID" 15
IPC=
echo "ok"
