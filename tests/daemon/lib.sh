# lib.sh - helpers for the daemon shell tests: a temporary directory, a tiny git repository,
# starting codecompd on a temporary IPC socket and waiting for it, bounded in time.
set -eu

BIN=${CC_BIN:-build/bin}
[ -d "$BIN" ] && BIN=$(cd "$BIN" && pwd)
CODECOMP=$BIN/codecomp
CODECOMPD=$BIN/codecompd
# Hooks run the codecomp on PATH first: this build's.
export PATH="$BIN:$PATH"
[ -x "$CODECOMPD" ] || { echo "SKIP: $CODECOMPD not built"; exit 77; }
command -v nngcat >/dev/null || { echo "SKIP: nngcat (nng-utils) not installed"; exit 77; }

T=$(mktemp -d /tmp/cc-daemon-test.XXXXXX)
DPIDS=""
cleanup() {
	# A daemon this test did not start itself (detached, autostarted) is asked to stop too.
	[ -n "${IPC:-}" ] && "$CODECOMP" daemon stop --connect "$IPC" --timeout 3 >/dev/null 2>&1 || true
	for p in $DPIDS; do kill -9 "$p" 2>/dev/null || true; done
	# A hook's background process may still be writing: try again once.
	rm -rf "$T" 2>/dev/null || { sleep 0.3; rm -rf "$T"; }
}
trap cleanup EXIT
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export CC_NO_PROGRESS=1
unset CODECOMP_CONNECT CODECOMP_TOKEN
# Daemons serve repositories under the test's directory only (codecompd --allow-root); a test
# of the defaults unsets this.
export CODECOMPD_ALLOW_ROOT=$T
# Hermetic state (default log of detached daemons, the hooks' missed-commit queue).
export XDG_STATE_HOME=$T/xdg-state

fail() { echo "FAIL: $*" >&2; [ -f "$T/log" ] && tail -20 "$T/log" >&2; exit 1; }

# make_repo DIR: a git repository with calc.py (the file docs/protocol.md's examples use).
make_repo() {
	mkdir -p "$1"
	git -C "$1" init -q
	printf 'def add(a, b):\n    return a + b\n\n\ndef twice(x):\n    return add(x, x)\n' >"$1/calc.py"
	git -C "$1" add calc.py
	git -C "$1" commit -q -m init
}

# start_daemon URL [codecompd options...]: start in the foreground (background job), log to
# $T/log, wait until it answers; sets DPID.
start_daemon() {
	url=$1
	shift
	"$CODECOMPD" --foreground --listen "$url" --log-file "$T/log" --log-level debug "$@" &
	DPID=$!
	DPIDS="$DPIDS $DPID"
	i=0
	until "$CODECOMP" daemon ping --connect "$url" >/dev/null 2>&1; do
		i=$((i + 1))
		kill -0 "$DPID" 2>/dev/null || fail "codecompd exited during start"
		[ $i -lt 200 ] || fail "codecompd did not answer within 10 s"
		sleep 0.05
	done
}

# start_daemon_tcp IPC_URL PING_URL [codecompd options...]: start on IPC_URL plus a tcp
# listener on a free 127.0.0.1 port (a few random ones are tried) with a new random token
# (TOKEN, kept in $T/token), the docs examples' limits and --test-methods; waits until
# PING_URL answers. Sets TOKEN, TCP, DPID.
start_daemon_tcp() {
	ipc=$1
	ping=$2
	shift 2
	TOKEN=tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
	printf '%s\n' "$TOKEN" >"$T/token"
	chmod 600 "$T/token"
	for attempt in 1 2 3 4 5 6 7 8; do
		TCP=tcp://127.0.0.1:$((20000 + RANDOM % 40000))
		"$CODECOMPD" --foreground --listen "$ipc" --listen "$TCP" --token-file "$T/token" \
			--max-request 4096 --request-timeout 1 --test-methods --log-file "$T/log" \
			--log-level debug "$@" &
		DPID=$!
		DPIDS="$DPIDS $DPID"
		for i in $(seq 1 100); do
			"$CODECOMP" daemon ping --connect "$ping" >/dev/null 2>&1 && return 0
			kill -0 "$DPID" 2>/dev/null || break
			sleep 0.05
		done
		wait "$DPID" 2>/dev/null || true
	done
	fail "could not start codecompd with a tcp listener"
}

# wait_exit PID SECONDS: wait for a daemon (a child of this shell) to exit; sets EXIT_STATUS.
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ "$(cut -d" " -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; do
		i=$((i + 1))
		[ $i -lt $(($2 * 20)) ] || fail "pid $1 still running after $2 s"
		sleep 0.05
	done
	EXIT_STATUS=0
	wait "$1" || EXIT_STATUS=$?
}

# rpc URL JSON: one request with nngcat, reply on stdout.
rpc() {
	nngcat --req --dial "$1" --raw --recv-timeout 5 --data "$2"
}

# wait_job URL JOB: poll job.status until the job is done (fails on failed/canceled/timeout).
wait_job() {
	i=0
	while :; do
		r=$(rpc "$1" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.status\",\"params\":{\"job\":$2}}")
		case $r in
		*'"state":"done"'*) return 0 ;;
		*'"state":"failed"'* | *'"state":"canceled"'*) fail "job $2: $r" ;;
		esac
		i=$((i + 1))
		[ $i -lt 600 ] || fail "job $2 not done after 30 s: $r"
		sleep 0.05
	done
}

# (for tests that time the daemon by its own clock; a loaded machine delays the script's
# commands, not the daemon's log stamps)
# log_at PATTERN: the daemon's log time (epoch seconds) of the first line with PATTERN, or none
log_at() {
	python3 - "$T/log" "$1" <<'PY'
import datetime, sys
for line in open(sys.argv[1]):
    if sys.argv[2] in line:
        t = datetime.datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f")
        print(t.replace(tzinfo=datetime.timezone.utc).timestamp()); break
else:
    print("none")
PY
}

# below X LIMIT MESSAGE: fail with MESSAGE unless X < LIMIT (seconds, decimals)
below() {
	python3 -c "import sys; sys.exit(0 if $1 < $2 else 1)" || fail "$3"
}

# cancel_job JOB: job.cancel for JOB (on $IPC), then wait until it is neither running nor
# queued; sets CANCEL_REPLY, STATUS (the last job.status reply) and T_CANCEL (the daemon's log
# time of the cancel, or none; the log must have been emptied before the job started)
cancel_job() {
	CANCEL_REPLY=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.cancel\",\"params\":{\"job\":$1}}")
	T_CANCEL=$(log_at "ipc job.cancel")
	while :; do
		STATUS=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"job.status\",\"params\":{\"job\":$1}}")
		case $STATUS in *'"state":"running"'* | *'"state":"queued"'*) ;; *) break ;; esac
		sleep 0.02
	done
}

# Cancels job $1 (cancel_job) and checks it ended canceled, the daemon having logged the
# cancel; CANCEL_LAT = seconds from the daemon's job.cancel line to the job's end (the
# daemon's clock, not this script's, which a loaded machine slows). Returns 1 (the caller
# tries again with a new job) when the cancel reached the daemon after the job had ended.
cancel_timed() {
	cancel_job "$1"
	case $CANCEL_REPLY in *'"state":"done"'*)
		echo "the cancel reached the daemon after the job had ended (a loaded machine): again"
		return 1 ;;
	esac
	case $STATUS in *'"state":"canceled"'*) ;; *) fail "job not canceled: $STATUS (cancel reply $CANCEL_REPLY)" ;; esac
	[ "$T_CANCEL" != none ] || fail "no job.cancel line in the daemon's log"
	local took
	took=$(printf '%s' "$STATUS" | python3 -c 'import json,sys; j=json.load(sys.stdin)["result"]; print(round(j["finished_at"] - j["started_at"], 3))')
	CANCEL_LAT=$(printf '%s' "$STATUS" | python3 -c "import json,sys; j=json.load(sys.stdin)['result']; print(round(j['finished_at'] - $T_CANCEL, 3))")
	echo "job ran $took s; ended $CANCEL_LAT s after the daemon received the cancel"
}
