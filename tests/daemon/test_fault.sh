#!/bin/bash
# Fault test: reads of an indexed revision proceed while an index job writes; kill -9 the
# daemon while that job runs, start it again: the job (same id, from the journal) re-runs to
# completion, the database passes SQLite's integrity check and holds the same graph as a clean
# in-process index of the same revision.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
R=$T/repo
mkdir -p "$R"
python3 - "$R" <<'EOF'
import os, sys
root = sys.argv[1]
for d in range(8):
    os.makedirs(f"{root}/pkg{d}", exist_ok=True)
    for f in range(40):
        with open(f"{root}/pkg{d}/m{f}.py", "w") as fh:
            for k in range(12):
                fh.write(f"def f{k}(x, y):\n    if x > {k}:\n        return g{k}(y) + x\n    z = x * y\n    return z\n\n")
                fh.write(f"def g{k}(v):\n    return v + {d * 1000 + f * 10 + k}\n\n")
EOF
git -C "$R" init -q
git -C "$R" add pkg0
git -C "$R" commit -q -m small
FIRST=$(git -C "$R" rev-parse HEAD)
git -C "$R" add .
git -C "$R" commit -q -m big

# Hold the indexer after each committed batch of 8 blobs while $T/gate exists (test-only
# knobs) so that the kill lands mid-job however slow this script is on a loaded machine.
CODECOMP_TEST_GATE=$T/gate CODECOMP_BATCH_BLOBS=8 start_daemon "$IPC"
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$R\",\"rev\":\"$FIRST\"}}")
wait_job "$IPC" "$(printf '%s' "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')"
touch "$T/gate"
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$R\"}}")
job=$(printf '%s' "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')
for i in $(seq 1 400); do
	s=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"job.status\",\"params\":{\"job\":$job}}")
	case $s in *'"state":"running"'*'"phase":"parsing"'*) break ;; *'"state":"done"'*) fail "job finished although held mid-parse by the gate" ;; esac
	sleep 0.02
done
case $s in *'"state":"running"'*) ;; *) fail "job never ran: $s" ;; esac
# Reads proceed while the index job writes (SQLite WAL): the first revision answers now.
"$CODECOMP" nodes --json --connect "$IPC" --rev "$FIRST" "$R" pkg0/m0.py >"$T/during.json" ||
	fail "nodes of the indexed revision failed during an index job"
grep -q '"name":"f0"' "$T/during.json" || fail "nodes during indexing lack f0"
s=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"job.status\",\"params\":{\"job\":$job}}")
case $s in *'"state":"running"'*) ;; *) fail "job no longer running after the read: $s" ;; esac
kill -9 "$DPID"
wait "$DPID" 2>/dev/null || true
[ -f "$T/d.sock.jobs.json" ] || fail "no job journal"
grep -q "\"job\": $job" "$T/d.sock.jobs.json" || fail "job $job not pending in the journal"

# Restart (stale socket and lock are taken over; no gate): the same job runs again and
# finishes.
rm -f "$T/gate"
start_daemon "$IPC"
grep -q "job $job: resumed from the journal" "$T/log" || fail "job not resumed"
wait_job "$IPC" "$job"
rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"job.status\",\"params\":{\"job\":$job}}" >"$T/job.json"

# The restarted daemon still answers and stops cleanly.
"$CODECOMP" daemon ping --connect "$IPC" >/dev/null || fail "daemon not answering"
"$CODECOMP" daemon stop --connect "$IPC" >/dev/null || fail "daemon stop"
wait_exit "$DPID" 10

DB=$R/.git/codecomp.db
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed"
"$CODECOMP" index --json --db "$T/clean.db" "$R" >"$T/clean.json" || fail "clean index"
python3 - "$T/job.json" "$T/clean.json" <<'EOF' || fail "resumed index differs from a clean one"
import json, sys
job = json.load(open(sys.argv[1]))["result"]
assert job["state"] == "done", job
res, clean = job["result"], json.load(open(sys.argv[2]))
for k in ("files", "bytes", "nodes", "edges", "errors"):
    assert res[k] == clean[k], (k, res[k], clean[k])
assert res["files"] == 320, res
EOF
for f in pkg0/m0.py pkg7/m39.py; do
	"$CODECOMP" nodes --json "$R" "$f" | python3 -c 'import json,sys; print(json.dumps([{k: v for k, v in n.items() if k != "id"} for n in json.load(sys.stdin)]))' >"$T/a.json"
	"$CODECOMP" nodes --json --db "$T/clean.db" "$R" "$f" | python3 -c 'import json,sys; print(json.dumps([{k: v for k, v in n.items() if k != "id"} for n in json.load(sys.stdin)]))' >"$T/b.json"
	cmp -s "$T/a.json" "$T/b.json" || fail "nodes of $f differ after the crash"
done

# SIGTERM during a job: the daemon checkpoints it (cancelled after --stop-grace, kept in the
# journal), exits 0, and the next daemon finishes it.
python3 - "$R" <<'EOF'
import sys
for f in range(400):
    with open(f"{sys.argv[1]}/pkg0/new{f}.py", "w") as fh:
        fh.write("".join(f"def h{k}(a):\n    return a + {k} * {f + 1}\n\n" for k in range(30)))  # distinct blobs
EOF
git -C "$R" add .
git -C "$R" commit -q -m more
touch "$T/gate"
CODECOMP_TEST_GATE=$T/gate CODECOMP_BATCH_BLOBS=8 start_daemon "$IPC" --stop-grace 0
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$R\"}}")
job=$(printf '%s' "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')
for i in $(seq 1 400); do
	s=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"job.status\",\"params\":{\"job\":$job}}")
	case $s in *'"state":"running"'*'"phase":"parsing"'*) break ;; esac
	sleep 0.02
done
case $s in *'"phase":"parsing"'*) ;; *) fail "job $job never reached parsing: $s" ;; esac
kill -TERM "$DPID"
wait_exit "$DPID" 20
[ "$EXIT_STATUS" = 0 ] || fail "SIGTERM during a job: exit status $EXIT_STATUS"
grep -q "job $job: interrupted by shutdown" "$T/log" || fail "job $job not checkpointed"
grep -q "\"job\": $job" "$T/d.sock.jobs.json" || fail "checkpointed job $job not in the journal"
rm -f "$T/gate"
start_daemon "$IPC"
wait_job "$IPC" "$job"
"$CODECOMP" daemon stop --connect "$IPC" >/dev/null || fail "daemon stop"
wait_exit "$DPID" 10
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity check failed after SIGTERM"
echo ok
