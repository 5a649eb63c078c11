#!/bin/bash
# packed.sh OLD_CODECOMPD NEW_CODECOMPD [RUNS] - the daemon's `priors` request with
# "packed": true on a large prompt (five Python stdlib modules, ~117K tokens, the pycode
# tokenizer fixture, no context limit), answered by two codecompd builds in the same run:
# wall time per request (nngcat round trip, median and range of RUNS) and the daemon's peak
# resident memory after them. Prints a Markdown table and checks both answers are identical.
# Used for bench/results/priors_packed.md (JSON round trip before, direct columns after).
set -eu
OLD=$1 NEW=$2 RUNS=${3:-7}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
TOK=$SRC/fixtures/tokenizer/tokenizers/pycode.json
PY=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
T=$(mktemp -d /tmp/cc-packed.XXXXXX)
trap 'rm -rf "$T"' EXIT
R=$T/repo
mkdir -p "$R"
git -C "$R" init -q
for f in argparse typing inspect subprocess pathlib; do cp "$PY/$f.py" "$R/"; done
git -C "$R" add -A
git -C "$R" -c user.name=t -c user.email=t@t commit -qm x
"$SRC/build/bin/codecomp" index --no-daemon "$R" >/dev/null
req='{"jsonrpc":"2.0","id":1,"method":"priors","params":{"repo":"'$R'","model":"'$TOK'","paths":["argparse.py","typing.py","inspect.py","subprocess.py","pathlib.py"],"packed":true}}'
echo "| build | median s | min-max s | peak RSS MiB | tokens |"
echo "|---|---|---|---|---|"
for which in old new; do
	bin=$OLD
	[ $which = new ] && bin=$NEW
	S=ipc://$T/$which.sock
	CODECOMPD_ALLOW_ROOT=$T "$bin" --foreground --listen "$S" --log-file "$T/$which.log" &
	pid=$!
	for i in $(seq 100); do nngcat --req --dial "$S" --raw --recv-timeout 2 --data '{"jsonrpc":"2.0","id":1,"method":"hello"}' >/dev/null 2>&1 && break; sleep 0.1; done
	: >"$T/$which.times"
	for i in $(seq "$RUNS"); do
		t0=$(date +%s.%N)
		nngcat --req --dial "$S" --raw --recv-timeout 300 --data "$req" >"$T/$which.out"
		t1=$(date +%s.%N)
		echo "$t0 $t1" >>"$T/$which.times"
	done
	hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
	kill $pid
	wait $pid || true
	python3 - "$T/$which.times" "$T/$which.out" "$which" "$hwm" <<'PY'
import json, statistics, sys
t = [float(b) - float(a) for a, b in (l.split() for l in open(sys.argv[1]))]
n = json.load(open(sys.argv[2]))["result"]["n_tokens"]
print("| %s | %.3f | %.3f-%.3f | %.0f | %d |" % (sys.argv[3], statistics.median(t), min(t), max(t), int(sys.argv[4]) / 1024, n))
PY
done
python3 -c 'import json,sys; a,b=(json.load(open(f))["result"] for f in sys.argv[1:]); sys.exit(0 if a == b else "the two answers differ")' "$T/old.out" "$T/new.out"
echo
echo "answers identical"
