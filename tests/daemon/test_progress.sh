#!/bin/bash
# Long work through the daemon shows progress (issue 9 item 9): `codecomp index --connect`
# prints the job's progress (job.status) on a terminal, and nothing of it in a pipe. Files
# with syntax errors are named in the index result, through the daemon and in-process alike.
. "$(dirname "$0")/lib.sh"

IPC=ipc://$T/d.sock
R=$T/repo
mkdir -p "$R"
for i in $(seq 1 12); do printf 'def f%d(x):\n    return x + %d\n' "$i" "$i" >"$R/m$i.py"; done
git -C "$R" init -q
git -C "$R" add .
git -C "$R" commit -q -m init
# Slow the indexer down (test-only knob): ~100 ms per progress step.
CODECOMPD_TEST_PROGRESS_DELAY_MS=100 start_daemon "$IPC"

# On a terminal (a pty), progress lines appear on stderr.
python3 - "$CODECOMP" "$IPC" "$R" "$T/tty.out" <<'EOF' || fail "index on a terminal"
import os, pty, sys
cc, ipc, repo, out = sys.argv[1:]
env = dict(os.environ)
env.pop("CC_NO_PROGRESS", None)
pid, fd = pty.fork()
if pid == 0:
    os.execve(cc, [cc, "index", "--connect", ipc, repo], env)
data = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
open(out, "wb").write(data)
sys.exit(os.waitstatus_to_exitcode(status))
EOF
grep -q "index: .*blobs (daemon)" "$T/tty.out" || fail "no progress on a terminal: $(cat -v "$T/tty.out")"
grep -q "indexed $R" "$T/tty.out" || fail "no result on a terminal"

# In a pipe: the result only.
git -C "$R" commit -q --allow-empty -m again
echo "x = 1" >"$R/x.py" && git -C "$R" add x.py && git -C "$R" commit -q -m x
env -u CC_NO_PROGRESS "$CODECOMP" index --connect "$IPC" "$R" >"$T/out" 2>"$T/err" || fail "index in a pipe"
[ ! -s "$T/err" ] || fail "progress written into a pipe: $(cat -v "$T/err")"
grep -q "indexed $R" "$T/out" || fail "no result in a pipe"

# Files with syntax errors are named, not only counted.
printf 'def broken(:\n    return\n' >"$R/broken.py"
git -C "$R" add broken.py && git -C "$R" commit -q -m broken
"$CODECOMP" index --json --connect "$IPC" "$R" >"$T/d.json" || fail "index --json via the daemon"
"$CODECOMP" index --no-daemon "$R" >"$T/l.txt" || fail "index in-process"
python3 - "$T/d.json" <<'EOF' || fail "error_files: $(cat "$T/d.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["errors"] >= 1 and [e["path"] for e in j["error_files"]] == ["broken.py"], j
assert j["error_files"][0]["errors"] >= 1
EOF
grep -q "syntax errors in broken.py" "$T/l.txt" || fail "text output does not name broken.py"
echo ok
