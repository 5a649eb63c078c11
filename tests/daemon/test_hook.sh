#!/bin/bash
# Git hooks with a real repository and a real daemon: `hook install` chains an existing hook,
# a commit / amend / checkout makes the daemon index the new HEAD, a missing daemon neither
# blocks nor fails git, `hook uninstall` restores the original hook.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
make_repo "$T/repo"
R=$T/repo
# A hook that was there before ours: it must keep running, with its arguments and stdin.
cat >"$R/.git/hooks/post-commit" <<EOF
#!/bin/sh
echo "old hook ran \$*" >>"$T/chained.txt"
EOF
chmod +x "$R/.git/hooks/post-commit"
cp "$R/.git/hooks/post-commit" "$T/orig-post-commit"
cat >"$R/.git/hooks/post-rewrite" <<EOF
#!/bin/sh
cat >>"$T/rewrite-stdin.txt"
EOF
chmod +x "$R/.git/hooks/post-rewrite"

start_daemon "$IPC"
out=$("$CODECOMP" hook install --connect "$IPC" "$R") || fail "hook install"
case $out in *"chained existing post-commit"*) ;; *) fail "install did not chain: $out" ;; esac
for h in post-commit post-checkout post-merge post-rewrite; do
	[ -x "$R/.git/hooks/$h" ] || fail "$h not installed"
done
# Installing twice keeps the chain intact.
"$CODECOMP" hook install --connect "$IPC" "$R" >/dev/null || fail "second hook install"
cmp -s "$R/.git/hooks/post-commit.codecomp-chained" "$T/orig-post-commit" || fail "chained hook changed"

# indexed SHA: wait until the daemon's status lists a revision of $R with that commit.
indexed() {
	for i in $(seq 1 300); do
		"$CODECOMP" status --connect "$IPC" --json >"$T/st.json" 2>/dev/null &&
			python3 - "$T/st.json" "$R" "$1" <<'EOF' && return 0
import json, sys
st = json.load(open(sys.argv[1]))
for r in st["repositories"]:
    if r["repo"] == sys.argv[2] and any(v.get("commit") == sys.argv[3] for v in r.get("revisions", [])):
        sys.exit(0)
sys.exit(1)
EOF
		sleep 0.05
	done
	fail "daemon did not index $1"
}

printf 'def sub(a, b):\n    return a - b\n' >"$R/ops.py"
git -C "$R" add ops.py
git -C "$R" commit -q -m "add ops"
indexed "$(git -C "$R" rev-parse HEAD)"
grep -q "old hook ran" "$T/chained.txt" || fail "chained post-commit did not run"

# The daemon's nodes for the new file are the in-process CLI's.
"$CODECOMP" nodes --json --connect "$IPC" "$R" ops.py >"$T/daemon-nodes.json" || fail "nodes via daemon"
"$CODECOMP" nodes --json --no-daemon "$R" ops.py >"$T/local-nodes.json" || fail "in-process nodes"
grep -q '"name":"sub"' "$T/local-nodes.json" || fail "nodes of ops.py lack sub"
cmp -s "$T/daemon-nodes.json" "$T/local-nodes.json" || fail "daemon and in-process nodes differ"

# Amend (post-rewrite, with the rewritten list on the chained hook's stdin) and checkout.
echo "# more" >>"$R/ops.py"
git -C "$R" commit -q -a --amend -m "add ops, amended"
indexed "$(git -C "$R" rev-parse HEAD)"
grep -q "$(git -C "$R" rev-parse HEAD)" "$T/rewrite-stdin.txt" || fail "chained post-rewrite lost its stdin"
git -C "$R" checkout -q -b side HEAD~1
indexed "$(git -C "$R" rev-parse HEAD)"

# No daemon: git is neither blocked nor failed, and says nothing.
kill -TERM "$DPID"
wait_exit "$DPID" 10
echo "x = 1" >"$R/x.py"
git -C "$R" add x.py
start=$(date +%s)
git -C "$R" commit -q -m "no daemon" 2>"$T/commit.err" || fail "commit failed without a daemon"
[ $(($(date +%s) - start)) -lt 10 ] || fail "commit blocked without a daemon"
[ ! -s "$T/commit.err" ] || fail "hook printed: $(cat "$T/commit.err")"
# ... and the commit is not lost: the hook queued the repository, the next daemon indexes it.
missed=$XDG_STATE_HOME/codecomp/missed
for i in $(seq 1 200); do grep -qx "$R" "$missed" 2>/dev/null && break; sleep 0.05; done
grep -qx "$R" "$missed" || fail "the hook did not queue the missed commit"
start_daemon "$IPC"
indexed "$(git -C "$R" rev-parse HEAD)"
[ ! -e "$missed" ] || fail "the daemon left the missed-commit queue behind"
kill -TERM "$DPID"
wait_exit "$DPID" 10

# With `codecomp.autostart`, the hook starts a daemon (at the URL given to hook install).
git -C "$R" config codecomp.autostart true
echo "y = 2" >"$R/y.py"
git -C "$R" add y.py
# (No CODECOMPD_ALLOW_ROOT: the autostarted daemon serves this repository besides home.)
env -u CODECOMPD_ALLOW_ROOT git -C "$R" commit -q -m "autostart" || fail "commit with autostart"
indexed "$(git -C "$R" rev-parse HEAD)"
# The autostarted (detached) daemon logs to the state directory, not to /dev/null.
grep -q "ready" "$XDG_STATE_HOME/codecomp/codecompd.log" || fail "autostarted daemon left no log"
"$CODECOMP" daemon stop --connect "$IPC" >/dev/null || fail "stopping the autostarted daemon"
git -C "$R" config --unset codecomp.autostart

"$CODECOMP" hook uninstall "$R" | grep -q removed || fail "hook uninstall"
cmp -s "$R/.git/hooks/post-commit" "$T/orig-post-commit" || fail "post-commit not restored"
[ ! -e "$R/.git/hooks/post-checkout" ] || fail "post-checkout left behind"
[ ! -e "$R/.git/hooks/post-commit.codecomp-chained" ] || fail "chained copy left behind"
"$CODECOMP" hook uninstall "$R" | grep -q "no codecomp hooks" || fail "second uninstall"
if "$CODECOMP" hook install "$T" 2>"$T/err"; then fail "hook install outside a repository"; fi
grep -q "not a git repository" "$T/err" || fail "unclear error: $(cat "$T/err")"
echo ok
