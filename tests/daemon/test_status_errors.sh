#!/bin/bash
# status names the files that did not give a clean graph (issue 9): a file with syntax errors
# (path, its git blob, "N syntax errors") and files the index run skipped (binary, too large;
# blob null), through the daemon (JSON and text) and in-process without a daemon.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
make_repo "$T/repo"
printf 'def broken(:\n    return ((1 +\n' >"$T/repo/bad.py"
printf 'x = 1\n\0\0\0binary\n' >"$T/repo/blob.py"
git -C "$T/repo" add bad.py blob.py
git -C "$T/repo" commit -q -m errors
BAD_BLOB=$(git -C "$T/repo" rev-parse HEAD:bad.py)

check() { # check STATUS_JSON DAEMON(1|0)
	python3 - "$1" "$BAD_BLOB" "$2" <<'PY' || fail "status error_files: $(cat "$1")"
import json, sys
st = json.load(open(sys.argv[1]))
if sys.argv[3] == "1":
    (r,) = st["repositories"]
    revs = r["revisions"]
else:
    (r,) = st["repos"]
    revs = r["revisions"]
(rev,) = revs
ef = {f["path"]: f for f in rev["error_files"]}
assert rev["error_files_total"] == 2, rev
assert ef["bad.py"]["blob"] == sys.argv[2], ef
assert "syntax error" in ef["bad.py"]["reason"], ef
assert ef["blob.py"]["blob"] is None and ef["blob.py"]["reason"] == "binary", ef
assert "calc.py" not in ef, ef
assert rev["error_files"][0]["path"] == "bad.py", "syntax errors come first"
PY
}

# Without a daemon: the local database.
"$CODECOMP" index "$T/repo" >/dev/null || fail "index"
"$CODECOMP" status --json "$T/repo" >"$T/local.json" || fail "status (local)"
check "$T/local.json" 0
"$CODECOMP" status "$T/repo" >"$T/local.txt" || fail "status text (local)"
grep -q "bad.py (blob ${BAD_BLOB:0:12}): 1 syntax error\|bad.py (blob ${BAD_BLOB:0:12}): [0-9]* syntax errors" "$T/local.txt" ||
	fail "text status does not name bad.py: $(cat "$T/local.txt")"
grep -q "blob.py: binary" "$T/local.txt" || fail "text status does not name blob.py: $(cat "$T/local.txt")"

# Through the daemon, after an index job it ran.
rm -f "$T/repo/.git/codecomp.db"
start_daemon "$IPC"
job=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$T/repo\"}}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')
wait_job "$IPC" "$job"
"$CODECOMP" status --connect "$IPC" --json >"$T/d.json" || fail "status (daemon)"
check "$T/d.json" 1
"$CODECOMP" status --connect "$IPC" >"$T/d.txt" || fail "status text (daemon)"
grep -q "2 files with errors or skipped" "$T/d.txt" || fail "daemon text status: $(cat "$T/d.txt")"
grep -q "bad.py (blob " "$T/d.txt" || fail "daemon text status: $(cat "$T/d.txt")"
echo ok
