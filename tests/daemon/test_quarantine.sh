#!/bin/bash
# Crash-looping jobs (issue 9 item 1): a job that kills the daemon (fault injection: the
# stand-in job calls abort()) runs once more after a restart, and after the second death it is
# quarantined: the next daemon stays up, does not run it, reports it in status and job.status
# (repo, rev, why, when), refuses the same index request, and runs it again only on job.retry
# or index with force. Finished jobs survive restarts (job.status of an old job). A planted
# symlink at the journal's place is refused, not followed.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
J=$T/jobs.json
make_repo "$T/repo"
export CODECOMPD_TEST_JOB_MS=300
job_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])'; }
index_req() {
	rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$T/repo\"${1:-}}}"
}
status_of() { rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.status\",\"params\":{\"job\":$1}}"; }

# A job that finishes: its status must survive the restarts below.
start_daemon "$IPC" --test-jobs --state-file "$J"
done_job=$(index_req ',"rev":"HEAD~0"' | job_of)
wait_job "$IPC" "$done_job"

# The crashing job: the daemon dies in it (first run).
kill "$DPID"; wait_exit "$DPID" 10
export CODECOMPD_TEST_JOB_ABORT=1
start_daemon "$IPC" --test-jobs --state-file "$J"
bad=$(index_req | job_of)
wait_exit "$DPID" 10
[ "$EXIT_STATUS" != 0 ] || fail "the fault-injected job did not kill the daemon"
# Restart: the job is retried once, and kills it again.
start_daemon "$IPC" --test-jobs --state-file "$J"
wait_exit "$DPID" 10
[ "$EXIT_STATUS" != 0 ] || fail "the job was not retried after the first crash"
grep -q "job $bad: resumed from the journal" "$T/log" || fail "no retry logged"
# Restart again: quarantined, not run, the daemon stays up.
start_daemon "$IPC" --test-jobs --state-file "$J"
sleep 0.8
kill -0 "$DPID" 2>/dev/null || fail "the daemon died a third time: the job was not quarantined"
s=$(status_of "$bad")
case $s in *'"state":"quarantined"'*'"attempts":2'*'quarantined: the daemon stopped without finishing this job 2 times'*) ;; *) fail "job.status: $s" ;; esac
"$CODECOMP" status --connect "$IPC" --json >"$T/st.json" || fail "status"
python3 - "$T/st.json" "$T/repo" "$bad" <<'EOF' || fail "status does not report the quarantined job"
import json, sys
q = json.load(open(sys.argv[1]))["queue"]
(j,) = q["quarantined"]
assert j["job"] == int(sys.argv[3]) and j["repo"] == sys.argv[2] and j["rev"] == "HEAD", j
assert j["finished_at"] > 0 and "crash" in j["error"]["message"], j
assert not q["running"] and not q["queued"], q
EOF
"$CODECOMP" status --connect "$IPC" | grep -qi "quarantined" || fail "codecomp status (text) does not show the quarantine"
# The same request is refused (the hook cannot restart the loop) ...
r=$(index_req)
case $r in *'"error"'*"quarantined"*) ;; *) fail "index of a quarantined job accepted: $r" ;; esac
# ... the old finished job is still known ...
case $(status_of "$done_job") in *'"state":"done"'*) ;; *) fail "finished job forgotten after restarts" ;; esac
# ... and job.retry runs it again (here with the fault gone).
kill "$DPID"; wait_exit "$DPID" 10
unset CODECOMPD_TEST_JOB_ABORT
start_daemon "$IPC" --test-jobs --state-file "$J"
kill -0 "$DPID" || fail "daemon"
case $(status_of "$bad") in *'"state":"quarantined"'*) ;; *) fail "quarantine not kept across restarts" ;; esac
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.retry\",\"params\":{\"job\":$bad}}")
case $r in *'"state":"queued"'*) ;; *) fail "job.retry: $r" ;; esac
wait_job "$IPC" "$bad"
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.retry\",\"params\":{\"job\":$bad}}")
case $r in *'-32602'*'not quarantined'*) ;; *) fail "job.retry of a finished job: $r" ;; esac
kill "$DPID"; wait_exit "$DPID" 10

# A symlink planted at the journal's place (or its temporary file) is not followed.
echo precious >"$T/target"
rm -f "$J"
ln -s "$T/target" "$J"
if "$CODECOMPD" --foreground --listen "$IPC" --test-jobs --state-file "$J" 2>"$T/err"; then fail "started with a symlinked journal"; fi
grep -q "symlink" "$T/err" || fail "symlinked journal: $(cat "$T/err")"
rm -f "$J"
ln -s "$T/target" "$J.tmp"
start_daemon "$IPC" --test-jobs --state-file "$J"
wait_job "$IPC" "$(index_req | job_of)"
[ "$(cat "$T/target")" = precious ] || fail "the journal's temporary file followed a symlink"
[ -f "$J" ] && [ ! -L "$J" ] || fail "journal not written"
kill "$DPID"; wait_exit "$DPID" 10

# The lock file too.
rm -f "$T/d.sock.lock"
ln -s "$T/target" "$T/d.sock.lock"
if "$CODECOMPD" --foreground --listen "$IPC" 2>"$T/err"; then fail "started with a symlinked lock file"; fi
[ "$(cat "$T/target")" = precious ] || fail "the lock file followed a symlink"
echo ok
