#!/bin/bash
# Confinement (issue 9 item 2): a daemon serves only repositories under its allowed roots and
# writes databases only at their default place or under --state-dir. The two attacks of the
# review are refused (a database planted as ~/.ssh/authorized_keys through index's 'db'; a
# repository outside the roots indexed with worktree: true to read untracked files back);
# "outside" and "missing" read the same; symlinks are resolved before the check; the defaults
# are the home directory on ipc and nothing with a tcp listener; jobs from the journal are
# checked again against the current roots.
. "$(dirname "$0")/lib.sh"

A=$T/allowed
O=$T/outside
mkdir -p "$A" "$O/.ssh" "$T/state"
make_repo "$A/repo"
make_repo "$O/repo"
echo "secret-untracked" >"$O/repo/untracked.txt"
ln -s "$O/repo" "$A/link"
IPC=ipc://$T/d.sock

# result_or_error JSON: "ok" or the error's code and message, the path named replaced by PATH.
err_of() {
	python3 -c '
import json, sys
r = json.loads(sys.argv[1])
if "result" in r: print("ok"); sys.exit()
print(r["error"]["code"], r["error"]["message"].replace(sys.argv[2], "PATH"))' "$1" "$2"
}
index_req() { # repo [extra params]
	rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"index\",\"params\":{\"repo\":\"$1\"${2:-}}}"
}

CODECOMPD_ALLOW_ROOT=$A start_daemon "$IPC" --state-dir "$T/state"

# The allowed repository still works, by default database and under the state directory.
r=$(index_req "$A/repo")
wait_job "$IPC" "$(printf '%s' "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')"
[ -s "$A/repo/.git/codecomp.db" ] || fail "allowed repository not indexed"
r=$(index_req "$A/repo" ",\"db\":\"$T/state/a.db\"")
wait_job "$IPC" "$(printf '%s' "$r" | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["job"])')"
[ -s "$T/state/a.db" ] || fail "database under --state-dir not written"
"$CODECOMP" nodes --connect "$IPC" --json "$A/repo" calc.py | grep -q '"add"' || fail "nodes of the allowed repository"

# Attack 1: an allowed repository, its database aimed at authorized_keys (or anywhere else).
for db in "$O/.ssh/authorized_keys" "$T/state/../outside/x.db" "$A/repo/calc.db"; do
	r=$(index_req "$A/repo" ",\"db\":\"$db\"")
	case $(err_of "$r" "$db") in
	"-32602 parameter 'db' ('PATH') must be the repository's default database or a file under"*) ;;
	*) fail "db $db not refused: $r" ;;
	esac
done
ln -s "$O/.ssh/authorized_keys" "$T/state/keys.db"
r=$(index_req "$A/repo" ",\"db\":\"$T/state/keys.db\"")
case $r in *'"error"'*) ;; *) fail "db through a symlink in the state dir not refused: $r" ;; esac
sleep 0.3
[ ! -e "$O/.ssh/authorized_keys" ] || fail "authorized_keys was created"
[ ! -e "$O/x.db" ] && [ ! -e "$A/repo/calc.db" ] || fail "a refused database was created"

# Attack 2: a repository outside the roots (directly, through a symlink, through ..), with
# worktree: true; every refusal reads like a missing path.
want=$(err_of "$(index_req "$A/missing")" "$A/missing")
case $want in "-32006 repository 'PATH' does not exist or is outside"*) ;; *) fail "missing repo: $want" ;; esac
for p in "$O/repo" "$A/link" "$A/../outside/repo" "$O/nothing-here" /etc /root/.ssh; do
	got=$(err_of "$(index_req "$p" ',"worktree":true')" "$p")
	[ "$got" = "$want" ] || fail "repo $p: '$got' differs from the missing-path answer '$want'"
	got=$(err_of "$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nodes\",\"params\":{\"repo\":\"$p\",\"path\":\"untracked.txt\",\"worktree\":true}}")" "$p")
	[ "$got" = "$want" ] || fail "nodes of $p: $got"
done
[ ! -e "$O/repo/.git/codecomp.db" ] || fail "the outside repository was indexed"

# status names the confinement.
"$CODECOMP" status --connect "$IPC" --json >"$T/st.json" || fail "status"
python3 - "$T/st.json" "$(cd "$A" && pwd -P)" "$(cd "$T/state" && pwd -P)" <<'EOF' || fail "status confinement"
import json, sys
c = json.load(open(sys.argv[1]))["daemon"]["confinement"]
assert c == {"allow_roots": [sys.argv[2]], "state_dir": sys.argv[3]}, c
EOF
kill "$DPID"
wait_exit "$DPID" 10

# A job journaled before the roots changed (here: written by hand) is checked again.
cat >"$T/jobs.json" <<EOF
{"version": 2, "next_id": 5, "repos": [], "pending": [{"job": 4, "repo": "$O/repo",
 "db": "$O/repo/.git/codecomp.db", "rev": "HEAD", "worktree": false, "attempts": 0}]}
EOF
CODECOMPD_ALLOW_ROOT=$A start_daemon "$IPC" --state-file "$T/jobs.json"
for i in $(seq 1 100); do
	s=$(rpc "$IPC" '{"jsonrpc":"2.0","id":1,"method":"job.status","params":{"job":4}}')
	case $s in *'"state":"failed"'*) break ;; esac
	sleep 0.05
done
case $s in *'"state":"failed"'*"outside the daemon's allowed roots"*) ;; *) fail "journaled job outside the roots: $s" ;; esac
[ ! -e "$O/repo/.git/codecomp.db" ] || fail "a journaled job indexed a repository outside the roots"
kill "$DPID"
wait_exit "$DPID" 10

# Defaults: the home directory on ipc; nothing when a tcp listener exists.
mkdir -p "$T/home"
make_repo "$T/home/r"
env -u CODECOMPD_ALLOW_ROOT HOME="$T/home" "$CODECOMPD" --foreground --listen "$IPC" \
	--log-file "$T/log" &
DPID=$!
DPIDS="$DPIDS $DPID"
for i in $(seq 1 300); do "$CODECOMP" daemon ping --connect "$IPC" >/dev/null 2>&1 && break; sleep 0.05; done
"$CODECOMP" daemon ping --connect "$IPC" >/dev/null 2>&1 || fail "daemon with the default roots did not start"
case $(index_req "$T/home/r") in *'"result"'*) ;; *) fail "home repository refused by default" ;; esac
case $(index_req "$A/repo") in *'-32006'*) ;; *) fail "repository outside home allowed by default" ;; esac
kill "$DPID"
wait_exit "$DPID" 10

unset CODECOMPD_ALLOW_ROOT
HOME=$T/home start_daemon_tcp "$IPC" "$IPC"
case $(index_req "$T/home/r") in *'-32006'*) ;; *) fail "a daemon with a tcp listener serves the home directory by default" ;; esac
kill "$DPID"
wait_exit "$DPID" 10

# Over tcp, priors' model path (not confined) answers the same for a missing path, a file
# that is no tokenizer and one that does not parse: it tells nothing about other paths.
start_daemon_tcp "$IPC" "$IPC" --allow-root "$A" --request-timeout 10
"$CODECOMP" index --connect "$IPC" "$A/repo" >/dev/null || fail "index"
echo '{"model": {"type": "BPE"}}' >"$T/bad-tokenizer.json"
model_err() {
	err_of "$(rpc "$TCP" "{\"token\":\"$TOKEN\",\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"priors\",\"params\":{\"repo\":\"$A/repo\",\"model\":\"$1\",\"query\":\"x\",\"paths\":[\"calc.py\"]}}")" "$1"
}
want=$(model_err /nonexistent/model)
case $want in "-32006 model 'PATH' is not a readable tokenizer"*) ;; *) fail "tcp model error: $want" ;; esac
for m in /etc/passwd /etc "$T/bad-tokenizer.json" "$O"; do
	[ "$(model_err "$m")" = "$want" ] || fail "model $m over tcp: $(model_err "$m")"
done
echo "ok"
