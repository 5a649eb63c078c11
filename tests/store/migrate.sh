# migrate.sh - a database written by schema version 1 (the first release's DDL, spelled out
# here as history) is upgraded in place by the next index run, keeping its rows.
source "$(dirname "$0")/lib.sh"
make_fixtures
R="$WORK/repos/skips"
DB="$WORK/v1.db"
python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript("""
PRAGMA journal_mode=WAL;
CREATE TABLE repos(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
CREATE TABLE blobs(id INTEGER PRIMARY KEY, oid BLOB NOT NULL UNIQUE, lang INTEGER NOT NULL,
  size INTEGER NOT NULL, n_nodes INTEGER NOT NULL, n_edges INTEGER NOT NULL,
  n_errors INTEGER NOT NULL, links BLOB NOT NULL);
CREATE TABLE graphs(blob_id INTEGER PRIMARY KEY, graph BLOB NOT NULL);
CREATE TABLE contents(blob_id INTEGER PRIMARY KEY, content BLOB NOT NULL);
CREATE TABLE revs(id INTEGER PRIMARY KEY, repo_id INTEGER NOT NULL, commit_hex TEXT NOT NULL,
  indexed_at INTEGER NOT NULL, files INTEGER NOT NULL, bytes INTEGER NOT NULL,
  nodes INTEGER NOT NULL, edges INTEGER NOT NULL, errors INTEGER NOT NULL,
  UNIQUE(repo_id, commit_hex));
CREATE TABLE rev_files(rev_id INTEGER NOT NULL, path TEXT NOT NULL, blob_id INTEGER NOT NULL,
  PRIMARY KEY(rev_id, path)) WITHOUT ROWID;
CREATE TABLE rev_skipped(rev_id INTEGER NOT NULL, path TEXT NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY(rev_id, path)) WITHOUT ROWID;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO repos(path) VALUES('/somewhere/else');
PRAGMA user_version = 1;
PRAGMA application_id = 1667449922;
""")
c.commit()
PY
"$CODECOMP" index --json --db "$DB" "$R" > "$WORK/a.json"
v=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("pragma user_version").fetchone()[0])' "$DB")
[ "$v" = 4 ] || fail "schema version after the upgrade: $v"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); assert c.execute("select count(*) from repos where path=\"/somewhere/else\"").fetchone()[0] == 1' "$DB" ||
	fail "the upgrade lost existing rows"
# Version 3 keeps each file's call edge count, known for every file of the new revision.
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); assert c.execute("select count(*) from rev_files").fetchone()[0] > 0; assert c.execute("select count(*) from rev_files where n_calls < 0").fetchone()[0] == 0' "$DB" ||
	fail "call edge counts of the upgraded database's new revision"
# Version 2 remembers blobs skipped for their content: a second run reads none of them.
"$CODECOMP" index --json --db "$DB" "$R" > "$WORK/b.json"
# parsed_blobs counts blobs analysed: ok.py only (blob.c is binary, gen/tables.py generated,
# big.py too large: read, then skipped, not analysed)
[ "$(json "$WORK/a.json" 'j["parsed_blobs"]')" = 1 ] || fail "first run analyses ok.py only"
[ "$(json "$WORK/b.json" 'j["parsed_blobs"]')" = 0 ] || fail "second run reads nothing: $(cat "$WORK/b.json")"
[ "$(json "$WORK/b.json" 'sorted(s["path"] for s in j["skipped"] if s["reason"] in ("binary","generated","too-large"))')" = \
  "['api_pb2.py', 'big.py', 'blob.c', 'gen/tables.py']" ] || fail "remembered skips keep their reasons"
# A larger limit lets the remembered too-large blob in.
"$CODECOMP" index --json --max-size 2000000 --db "$DB" "$R" > "$WORK/c.json"
[ "$(json "$WORK/c.json" 'j["parsed_blobs"]')" = 1 ] || fail "big.py is parsed under a larger limit"
[ "$(json "$WORK/c.json" 'j["files"]')" = 2 ] || fail "ok.py and big.py are indexed"
echo ok
