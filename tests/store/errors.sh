# errors.sh - every user mistake or damaged input gives one clear line on stderr and a
# non-zero exit code (1 for failures, 2 for usage), never a crash.
source "$(dirname "$0")/lib.sh"
make_fixtures
R="$WORK/repos/python"

# expect RC PATTERN CMD...: exit code RC and exactly one stderr line matching PATTERN.
expect() {
	local want=$1 pat=$2 rc=0
	shift 2
	"$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" = "$want" ] || fail "$*: exit $rc, expected $want; stderr: $(cat "$WORK/err")"
	[ "$(wc -l < "$WORK/err")" = 1 ] || fail "$*: expected one stderr line, got: $(cat "$WORK/err")"
	grep -Eq "^codecomp: .*$pat" "$WORK/err" || [ "$want" = 2 ] ||
		fail "$*: stderr does not match '$pat': $(cat "$WORK/err")"
}

mkdir -p "$WORK/plain"
expect 1 "no index database" "$CODECOMP" nodes --json "$R" app.py
expect 1 "is not a git repository" "$CODECOMP" index "$WORK/plain"
expect 1 "is not a git repository" "$CODECOMP" index --db "$WORK/x.db" "$WORK/plain"
expect 1 "no such directory" "$CODECOMP" index "$WORK/missing"
expect 1 "revision 'nosuch' not found" "$CODECOMP" index --rev nosuch "$R"
expect 1 "revision 'nosuch' not found" "$CODECOMP" nodes --rev nosuch "$R" app.py
mkdir -p "$WORK/empty" && git init -q "$WORK/empty"
expect 1 "no commits" "$CODECOMP" index "$WORK/empty"
"$CODECOMP" index --json --rev HEAD~1 "$R" >/dev/null
expect 1 "not indexed" "$CODECOMP" nodes --json "$R" app.py
expect 1 "not indexed" "$CODECOMP" edges --json "$R" app.py
expect 1 "not a file of the indexed revision" "$CODECOMP" nodes --json --rev HEAD~1 "$R" nope.py
expect 2 "" "$CODECOMP" index
expect 2 "" "$CODECOMP" index --bogus "$R"
expect 2 "" "$CODECOMP" nodes "$R"
expect 2 "" "$CODECOMP" index --threads 0 "$R"

# A file that is not a database, and a SQLite database that is not codecomp's.
head -c 8192 /dev/urandom > "$WORK/garbage.db"
expect 1 "corrupt or not a database" "$CODECOMP" index --db "$WORK/garbage.db" "$R"
expect 1 "corrupt or not a database" "$CODECOMP" nodes --db "$WORK/garbage.db" "$R" app.py
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("create table t(x)"); c.commit()' "$WORK/other.db"
expect 1 "not codecomp's" "$CODECOMP" index --db "$WORK/other.db" "$R"
# A database from a newer codecomp is refused, not guessed at.
cp "$R/.git/codecomp.db" "$WORK/newer.db"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("pragma user_version=99"); c.commit()' "$WORK/newer.db"
expect 1 "newer than this codecomp" "$CODECOMP" nodes --db "$WORK/newer.db" --rev HEAD~1 "$R" app.py
# A damaged page in an indexed database: a clear error, not a crash.
cp "$R/.git/codecomp.db" "$WORK/damaged.db"
python3 - "$WORK/damaged.db" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for off in range(4096, len(b), 4096):   # every page after the header page
    b[off:off + 100] = b"\xa5" * 100
open(p, "wb").write(b)
PY
expect 1 "database" "$CODECOMP" nodes --db "$WORK/damaged.db" --rev HEAD~1 "$R" app.py

# Locked: another process holds the write lock. The indexer gives up after the busy timeout
# with a clear message, while readers keep working (WAL).
python3 - "$R/.git/codecomp.db" "$WORK/locked" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("begin immediate")
c.execute("insert into meta(key, value) values('lock-test', 'x')")
open(sys.argv[2], "w").close()
time.sleep(8)
c.execute("rollback")
PY
locker=$!
for _ in $(seq 100); do [ -e "$WORK/locked" ] && break; sleep 0.1; done
[ -e "$WORK/locked" ] || fail "the locking helper did not start"
CODECOMP_BUSY_TIMEOUT_MS=300 expect 1 "locked by another process" "$CODECOMP" index "$R"
CODECOMP_BUSY_TIMEOUT_MS=300 "$CODECOMP" nodes --json --rev HEAD~1 "$R" app.py > "$WORK/n.json" ||
	fail "a reader is blocked by the writer"
[ "$(json "$WORK/n.json" 'len(j) > 0')" = True ] || fail "reader got no nodes"
kill "$locker" 2>/dev/null || true
wait "$locker" 2>/dev/null || true
echo ok
