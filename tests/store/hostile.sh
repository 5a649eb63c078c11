# hostile.sh - files that must be skipped with a reason naming what was wrong, never crash,
# block or leak: a source file nested too deeply for tree-sitter (heap corruption in
# libtree-sitter 0.20.7 before the guard), a Git LFS pointer, work tree files replaced by a
# FIFO, a symlink to a device, and a file swapped for a symlink to an outside file while
# indexing runs (nothing from outside the repository may be stored).
source "$(dirname "$0")/lib.sh"
TOK="$CC_SOURCE_DIR/fixtures/tokenizer/tokenizers/pycode.json"
R="$WORK/repo"
mkdir -p "$R"
git -C "$R" init -q
echo 'def ok(x):
    return x + 1' >"$R/ok.py"
python3 -c 'import sys; sys.stdout.write("x = " + "f(" * 33000 + "\n")' >"$R/deep.py"
python3 -c 'import sys; sys.stdout.write("x = 1" + " +" * 70000 + "\n")' >"$R/chain.js"
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n' >"$R/model.py"
echo 'def mod(): pass' >"$R/mod.py"
git -C "$R" add -A && git -C "$R" commit -qm init

timeout 60 "$CODECOMP" index --json "$R" >"$WORK/a.json" || fail "index HEAD exited $?"
python3 - "$WORK/a.json" <<'PY' || fail "skip reasons of HEAD: $(cat "$WORK/a.json")"
import json, sys
j = json.load(open(sys.argv[1]))
got = {s["path"]: s["reason"] for s in j["skipped"]}
assert got["deep.py"].startswith("nesting too deep ("), got
assert got["chain.js"].startswith("nesting too deep ("), got
assert got["model.py"] == "git-lfs pointer", got
assert set(got) == {"deep.py", "chain.js", "model.py"}, got
assert j["files"] == 2, j   # ok.py, mod.py
PY
# the reasons are remembered with the blobs: a second run analyses nothing, says the same
timeout 60 "$CODECOMP" index --json "$R" >"$WORK/b.json" || fail "second index exited $?"
[ "$(json "$WORK/b.json" 'j["parsed_blobs"]')" = 0 ] || fail "second run re-analyses"
[ "$(json "$WORK/b.json" 'sorted(s["reason"][:16] for s in j["skipped"])')" = \
  "['git-lfs pointer', 'nesting too deep', 'nesting too deep']" ] || fail "remembered reasons: $(cat "$WORK/b.json")"

# Work tree: a tracked file replaced by a FIFO, an untracked FIFO, a symlink to /dev/zero:
# never opened, never waited on.
# (and a package.json / tsconfig.json there as a FIFO / a symlink to /dev/zero: not read)
rm "$R/mod.py" && mkfifo "$R/mod.py" && mkfifo "$R/new.py" && ln -s /dev/zero "$R/zero.py"
mkfifo "$R/package.json" && ln -s /dev/zero "$R/tsconfig.json"
timeout 30 "$CODECOMP" index --json --worktree "$R" >"$WORK/w.json" || fail "worktree index exited $? (blocked on a FIFO?)"
python3 - "$WORK/w.json" <<'PY' || fail "work tree skips: $(cat "$WORK/w.json")"
import json, sys
j = json.load(open(sys.argv[1]))
got = {s["path"]: s["reason"] for s in j["skipped"]}
# libgit2 reports a FIFO as a deleted file (mod.py) or not at all (new.py): neither is read
assert got.get("mod.py", "not-regular-file") == "not-regular-file", got
assert got.get("new.py", "not-regular-file") == "not-regular-file", got
assert got["zero.py"] == "symlink", got
assert j["files"] == 1, j   # ok.py
PY
rm "$R/mod.py" "$R/new.py" "$R/zero.py" "$R/package.json" "$R/tsconfig.json"
git -C "$R" checkout -q mod.py

# priors on a work tree file that became a FIFO: an error naming the file, not a hang
"$CODECOMP" index --worktree "$R" >/dev/null || fail "worktree index"
rm "$R/ok.py" && mkfifo "$R/ok.py"
if timeout 30 "$CODECOMP" priors --json --worktree --model "$TOK" "$R" ok.py >/dev/null 2>"$WORK/err"; then
	fail "priors on a FIFO succeeded"
fi
[ $? -ne 124 ] || fail "priors blocked on a FIFO"
grep -q "ok.py" "$WORK/err" && grep -q "FIFO" "$WORK/err" || fail "priors error: $(cat "$WORK/err")"
rm "$R/ok.py" && git -C "$R" checkout -q ok.py

# Race: race.py is swapped between a regular file and a symlink to an outside file while the
# work tree is indexed; the outside file's content must never be stored.
OUT="$WORK/outside.py"
echo 'SECRET_OUTSIDE_TOKEN = 1' >"$OUT"
echo 'inside = 1' >"$WORK/inside.py"
cp "$WORK/inside.py" "$R/race.py"
(
	while :; do
		ln -sfn "$OUT" "$R/.l" && mv -fT "$R/.l" "$R/race.py"
		cp "$WORK/inside.py" "$R/.r" && mv -fT "$R/.r" "$R/race.py"
	done
) &
SWAP=$!
trap 'kill $SWAP 2>/dev/null || true' EXIT
for i in $(seq 1 15); do
	rm -f "$WORK/race.db"
	timeout 30 "$CODECOMP" index --worktree --db "$WORK/race.db" "$R" >/dev/null 2>&1 ||
		[ $? -ne 124 ] || fail "worktree index blocked during the race"
	[ -f "$WORK/race.db" ] || continue
	python3 - "$WORK/race.db" <<'PY' || fail "run $i stored a file from outside the repository"
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = sum(1 for (b,) in c.execute("select content from contents") if b"SECRET_OUTSIDE_TOKEN" in bytes(b))
sys.exit(1 if n else 0)
PY
done
kill $SWAP 2>/dev/null || true
wait $SWAP 2>/dev/null || true
echo ok
