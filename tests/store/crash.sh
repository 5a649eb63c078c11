# crash.sh - kill -9 (and Ctrl-C) the indexer mid-run on a real tree (Python standard library
# files), then check the database is intact, the revision is absent rather than partial, and a
# re-run finishes the work with the result of a clean index: same counts, same nodes JSON.
source "$(dirname "$0")/lib.sh"
STDLIB=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])' 2>/dev/null || true)
[ -d "$STDLIB" ] || { echo "SKIP: no Python standard library to index"; exit 77; }
R="$WORK/tree"
mkdir -p "$R"
# About 5 MB of Python in a few hundred files: long enough to interrupt, short for CI.
python3 - "$STDLIB" "$R" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
total = 0
for root, dirs, files in os.walk(src):
    dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "dist-packages", "__pycache__"))
    for f in sorted(files):
        if not f.endswith(".py"):
            continue
        p = os.path.join(root, f)
        rel = os.path.relpath(p, src)
        os.makedirs(os.path.join(dst, os.path.dirname(rel)), exist_ok=True)
        shutil.copyfile(p, os.path.join(dst, rel))
        total += os.path.getsize(p)
        if total > 5_000_000:
            sys.exit(0)
PY
git -C "$R" init -q && git -C "$R" add -A && git -C "$R" commit -qm tree

sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(sys.argv[2]).fetchone()[0])' "$@"; }

"$CODECOMP" index --json --db "$WORK/clean.db" "$R" > "$WORK/clean.json"
total=$(json "$WORK/clean.json" 'j["parsed_blobs"]')
[ "$total" -gt 100 ] || fail "tree too small: $total blobs"

# interrupt SIGNAL DB: start an index run, wait until some blobs are committed, send SIGNAL.
interrupt() {
	local sig=$1 db=$2 n=0
	# small batches, and the writer held after each committed one while the gate file exists
	# (test-only knobs): the signal lands mid-run however slow a loaded machine makes this loop
	touch "$WORK/gate"
	CODECOMP_TEST_GATE=$WORK/gate CODECOMP_BATCH_BLOBS=8 "$CODECOMP" index --json --threads 2 \
		--db "$db" "$R" > "$WORK/run.json" 2>"$WORK/run.err" &
	local pid=$!
	for _ in $(seq 1500); do
		[ -e "$db" ] && n=$(sql "$db" "select count(*) from blobs" 2>/dev/null || echo 0)
		[ "${n:-0}" -ge 8 ] && break
		sleep 0.02
	done
	kill "-$sig" "$pid" 2>/dev/null || true
	local rc=0
	wait "$pid" || rc=$?
	rm -f "$WORK/gate"
	echo "$rc"
}

for sig in KILL INT; do
	db="$WORK/crash-$sig.db"
	rc=$(interrupt "$sig" "$db")
	stored=$(sql "$db" "select count(*) from blobs")
	revs=$(sql "$db" "select count(*) from revs")
	[ "$revs" = 0 ] && [ "$stored" -lt "$total" ] ||
		fail "$sig: the run was not interrupted mid-way (rc $rc, $stored/$total blobs, $revs revs)"
	case $sig in
	KILL) [ "$rc" = 137 ] || fail "kill -9: exit $rc" ;;
	INT) [ "$rc" = 130 ] || fail "SIGINT: exit $rc, expected 130: $(cat "$WORK/run.err")"
	     grep -q "interrupted" "$WORK/run.err" || fail "SIGINT: no message" ;;
	esac
	[ "$(sql "$db" "pragma integrity_check")" = ok ] || fail "$sig: database damaged"
	[ "$(sql "$db" "select count(*) from blobs b left join graphs g on g.blob_id=b.id left join contents c on c.blob_id=b.id where g.blob_id is null or c.blob_id is null")" = 0 ] ||
		fail "$sig: a blob row without its graph or content"
	if "$CODECOMP" nodes --json --db "$db" "$R" "$(git -C "$R" ls-files | head -1)" 2>/dev/null; then
		fail "$sig: the interrupted revision must not be visible"
	fi
	"$CODECOMP" index --json --db "$db" "$R" > "$WORK/resume.json"
	parsed=$(json "$WORK/resume.json" 'j["parsed_blobs"]')
	reused=$(json "$WORK/resume.json" 'j["reused_blobs"]')
	[ "$reused" -ge 8 ] && [ $((parsed + reused)) = "$total" ] ||
		fail "$sig: resume parsed $parsed, reused $reused of $total"
	for k in files bytes nodes edges errors; do
		[ "$(json "$WORK/resume.json" "j['$k']")" = "$(json "$WORK/clean.json" "j['$k']")" ] ||
			fail "$sig: $k differs from a clean index"
	done
	for f in $(git -C "$R" ls-files | awk 'NR % 97 == 1'); do
		"$CODECOMP" nodes --json --db "$WORK/clean.db" "$R" "$f" > "$WORK/a.json"
		"$CODECOMP" nodes --json --db "$db" "$R" "$f" > "$WORK/b.json"
		cmp -s "$WORK/a.json" "$WORK/b.json" || fail "$sig: nodes of $f differ from a clean index"
		"$CODECOMP" edges --json --db "$WORK/clean.db" "$R" "$f" > "$WORK/a.json"
		"$CODECOMP" edges --json --db "$db" "$R" "$f" > "$WORK/b.json"
		cmp -s "$WORK/a.json" "$WORK/b.json" || fail "$sig: edges of $f differ from a clean index"
	done
	echo "$sig: interrupted at $stored/$total blobs, resumed: parsed $parsed, reused $reused"
done

# Two writers at once (say the daemon and a CLI run) on one database, with a reader polling
# throughout: both runs succeed with the clean totals, the reader never fails.
db="$WORK/concurrent.db"
"$CODECOMP" index --json --db "$db" --rev HEAD "$R" > "$WORK/c0.json"   # create, then reset
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript("delete from rev_files; delete from revs; delete from graphs; delete from contents; delete from blobs")' "$db"
first=$(git -C "$R" ls-files | head -1)
"$CODECOMP" index --json --threads 1 --db "$db" "$R" > "$WORK/c1.json" 2>"$WORK/c1.err" & p1=$!
"$CODECOMP" index --json --threads 1 --db "$db" "$R" > "$WORK/c2.json" 2>"$WORK/c2.err" & p2=$!
reads=0
while kill -0 "$p1" 2>/dev/null || kill -0 "$p2" 2>/dev/null; do
	out=$("$CODECOMP" nodes --json --db "$db" "$R" "$first" 2>&1) && reads=$((reads + 1)) ||
		case "$out" in *"not indexed"*) ;; *) fail "reader failed during indexing: $out" ;; esac
	sleep 0.05
done
wait "$p1" || fail "first concurrent run failed: $(cat "$WORK/c1.err")"
wait "$p2" || fail "second concurrent run failed: $(cat "$WORK/c2.err")"
for k in files nodes edges; do
	for c in c1 c2; do
		[ "$(json "$WORK/$c.json" "j['$k']")" = "$(json "$WORK/clean.json" "j['$k']")" ] ||
			fail "concurrent run $c: $k differs from a clean index"
	done
done
[ "$(sql "$db" "select count(*) from blobs")" = "$(sql "$WORK/clean.db" "select count(*) from blobs")" ] ||
	fail "concurrent runs stored a different set of blobs"
echo "concurrent: two writers ok, $reads reads answered while they ran"
echo ok
