#!/bin/bash
# SIGTERM stops the daemon even when a running job does not honour its cancellation (issue 9
# item 1: an analysis stuck in a long phase): after --stop-grace and --stop-timeout the daemon
# exits, the job stays pending in the journal (attempt counted), and the next daemon resumes it.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
J=$T/jobs.json
make_repo "$T/repo"
CODECOMPD_TEST_JOB_DEAF=1 CODECOMPD_TEST_JOB_MS=60000 \
	start_daemon "$IPC" --test-jobs --state-file "$J" --stop-grace 0.2 --stop-timeout 1
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$T/repo\"}}")
job=$(printf '%s' "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')
for i in $(seq 1 100); do
	case $(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"job.status\",\"params\":{\"job\":$job}}") in
	*'"state":"running"'*) break ;;
	esac
	sleep 0.05
done
kill -TERM "$DPID"
wait_exit "$DPID" 6
[ "$EXIT_STATUS" = 0 ] || fail "exit status $EXIT_STATUS"
grep -q "job $job .* ignored its cancellation" "$T/log" || fail "the stuck job is not named in the log"
python3 - "$J" "$job" <<'EOF' || fail "the stuck job is not pending in the journal: $(cat "$J")"
import json, sys
p = json.load(open(sys.argv[1]))["pending"]
assert [(e["job"], e["attempts"]) for e in p] == [(int(sys.argv[2]), 1)], p
EOF
CODECOMPD_TEST_JOB_MS=50 start_daemon "$IPC" --test-jobs --state-file "$J"
wait_job "$IPC" "$job"
echo ok
