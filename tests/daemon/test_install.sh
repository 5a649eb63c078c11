#!/bin/bash
# `cmake --install` as a new user runs it (issue 9 item 9): the programs, the systemd user unit
# naming the installed codecompd, the documentation; the installed programs run; git hooks run
# the codecomp found on PATH (an installed one), not the build directory's they recorded.
. "$(dirname "$0")/lib.sh"

BUILD=${CC_BINARY_DIR:-$BIN/..}
[ -f "$BUILD/cmake_install.cmake" ] || { echo "SKIP: no cmake_install.cmake in $BUILD"; exit 77; }
P=$T/prefix
cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1 || fail "cmake --install: $(tail -5 "$T/install.log")"
for f in bin/codecomp bin/codecompd lib/systemd/user/codecompd.service share/doc/codecomp/README.md \
	share/doc/codecomp/protocol.md; do
	[ -e "$P/$f" ] || fail "$f not installed"
done
grep -q "^ExecStart=$P/bin/codecompd " "$P/lib/systemd/user/codecompd.service" || fail "unit does not run the installed codecompd"
"$P/bin/codecompd" --version | grep -q codecompd || fail "installed codecompd does not run"
"$P/bin/codecomp" --help >/dev/null 2>&1 || fail "installed codecomp does not run"

# Hooks installed by the build's codecomp; a commit runs the codecomp on PATH.
make_repo "$T/repo"
"$CODECOMP" hook install "$T/repo" >/dev/null || fail "hook install"
mkdir -p "$T/wrap"
printf '#!/bin/sh\necho "$@" >>"%s/wrap.log"\nexec "%s/bin/codecomp" "$@"\n' "$T" "$P" >"$T/wrap/codecomp"
chmod +x "$T/wrap/codecomp"
echo "z = 3" >"$T/repo/z.py"
git -C "$T/repo" add z.py
PATH="$T/wrap:$PATH" git -C "$T/repo" commit -q -m z
for i in $(seq 1 100); do [ -s "$T/wrap.log" ] && break; sleep 0.05; done
grep -q "hook notify" "$T/wrap.log" || fail "the hook did not run the codecomp on PATH"
# (No daemon runs: the installed codecomp queues the commit; wait for it before cleaning up.)
for i in $(seq 1 100); do grep -q "$T/repo" "$XDG_STATE_HOME/codecomp/missed" 2>/dev/null && break; sleep 0.05; done
grep -q "$T/repo" "$XDG_STATE_HOME/codecomp/missed" || fail "the installed codecomp did not queue the commit"
echo ok
