# worktree.sh - `index --worktree` sees uncommitted edits and untracked files, and reading
# with --worktree answers from them while HEAD stays as committed.
source "$(dirname "$0")/lib.sh"
make_fixtures
R="$WORK/repos/python"
"$CODECOMP" index --json "$R" > "$WORK/head.json"
printf '\ndef fresh():\n    return clamp(1, 0, 2)\n' >> "$R/pkg/util.py"       # modified, unstaged
printf 'def newfile():\n    return 1\n' > "$R/pkg/new.py"                        # untracked
printf 'def staged():\n    return 2\n' > "$R/pkg/staged.py" && git -C "$R" add pkg/staged.py
rm "$R/pkg/__init__.py"                                                          # deleted
"$CODECOMP" index --json --worktree "$R" > "$WORK/wt.json"
[ "$(json "$WORK/wt.json" 'j["parsed_blobs"]')" = 3 ] || fail "worktree: 3 new blobs: $(cat "$WORK/wt.json")"
[ "$(json "$WORK/wt.json" 'j["files"]')" = 5 ] || fail "worktree: 5 files (4 - 1 deleted + 2 new)"
"$CODECOMP" nodes --json --worktree "$R" pkg/util.py > "$WORK/u.json"
[ "$(json "$WORK/u.json" 'sum(n["kind"]=="method" and n["name"]=="fresh" for n in j)')" = 1 ] ||
	fail "the uncommitted function is in the worktree graph"
"$CODECOMP" nodes --json --worktree "$R" pkg/new.py > "$WORK/new.json"
[ "$(json "$WORK/new.json" '[n["name"] for n in j if n["kind"]=="method"]')" = "['newfile']" ] ||
	fail "the untracked file is indexed"
"$CODECOMP" nodes --json "$R" pkg/util.py > "$WORK/uh.json"
[ "$(json "$WORK/uh.json" 'sum(n["name"]=="fresh" for n in j)')" = 0 ] || fail "HEAD is unchanged"
if "$CODECOMP" nodes --json --worktree "$R" pkg/__init__.py 2>"$WORK/err"; then
	fail "a deleted file is not in the worktree revision"
fi
grep -q "not a file of the indexed revision" "$WORK/err" || fail "deleted file: $(cat "$WORK/err")"
# Indexing the worktree again reuses everything.
"$CODECOMP" index --json --worktree "$R" > "$WORK/wt2.json"
[ "$(json "$WORK/wt2.json" 'j["parsed_blobs"]')" = 0 ] || fail "second worktree index parses nothing"
echo ok
