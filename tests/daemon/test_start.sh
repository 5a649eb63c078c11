#!/bin/bash
# `codecomp daemon start` as a new user runs it (issue 9 item 9): it returns once the daemon
# answers, also with serving processes (--serve-procs 2: they must not hold the start-up pipe),
# and the detached daemon logs to $XDG_STATE_HOME/codecomp/codecompd.log.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
start=$(date +%s)
timeout 20 "$CODECOMP" daemon start --listen "$IPC" --serve-procs 2 || fail "daemon start did not return (or failed): $?"
[ $(($(date +%s) - start)) -lt 10 ] || fail "daemon start took $(($(date +%s) - start)) s"
"$CODECOMP" daemon ping --connect "$IPC" >"$T/hello.json" || fail "started daemon does not answer"
grep -q "d.sock.1" "$T/hello.json" || fail "serving process endpoint missing: $(cat "$T/hello.json")"
grep -q "ready" "$XDG_STATE_HOME/codecomp/codecompd.log" || fail "no log in the state directory"
[ "$(stat -c %a "$XDG_STATE_HOME/codecomp")" = 700 ] || fail "state directory not private"
"$CODECOMP" daemon stop --connect "$IPC" >/dev/null || fail "daemon stop"
echo ok
