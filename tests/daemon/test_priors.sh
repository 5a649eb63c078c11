#!/bin/bash
# The daemon's `priors` method: the same priors as `codecomp priors --json` for the same
# request, and the packed form (int32/float32 base64 columns) decodes to the same tokens.
. "$(dirname "$0")/lib.sh"

TOK=${CC_SOURCE_DIR:-$PWD}/fixtures/tokenizer/tokenizers/pycode.json
[ -f "$TOK" ] || TOK=$PWD/fixtures/tokenizer/tokenizers/pycode.json
[ -f "$TOK" ] || { echo "SKIP: no tokenizer fixture"; exit 77; }
[ -f tests/scoring/fixtures/app.py ] || { echo "SKIP: no priors fixture"; exit 77; }
IPC=ipc://$T/d.sock
R=$T/repo
mkdir -p "$R"
cp tests/scoring/fixtures/app.py "$R/"
git -C "$R" init -q
git -C "$R" add app.py
git -C "$R" commit -q -m init
"$CODECOMP" index --no-daemon "$R" >/dev/null || fail "index"
"$CODECOMP" priors --json --model "$TOK" --query "order_total is wrong" "$R" app.py >"$T/cli.json" ||
	fail "codecomp priors"

start_daemon "$IPC"
"$CODECOMP" daemon ping --connect "$IPC" | grep -q '"priors"' || fail "priors not in capabilities"
req() {
	printf '{"jsonrpc":"2.0","id":1,"method":"priors","params":{"repo":"%s","model":"%s","query":"order_total is wrong","paths":["app.py"]%s}}' "$R" "$TOK" "$1"
}
# the CLI through the daemon prints exactly what it prints in-process
"$CODECOMP" priors --json --connect "$IPC" --model "$TOK" --query "order_total is wrong" "$R" app.py \
	>"$T/cli_d.json" || fail "codecomp priors --connect"
cmp -s "$T/cli.json" "$T/cli_d.json" || fail "codecomp priors --connect differs from in-process"
(cd "$R" && "$CODECOMP" priors --json --connect "$IPC" --model "$TOK" --query "order_total is wrong" . app.py) \
	>"$T/cli_rel.json" || fail "codecomp priors --connect with a relative repo"
cmp -s "$T/cli.json" "$T/cli_rel.json" || fail "relative repo path through the daemon differs"
rpc "$IPC" "$(req "")" >"$T/d.json" || fail "priors request"
rpc "$IPC" "$(req ',"packed":true')" >"$T/p.json" || fail "packed priors request"
python3 - "$T/cli.json" "$T/d.json" "$T/p.json" <<'PY' || fail "daemon priors differ from the CLI's"
import base64, json, math, struct, sys
cli = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))["result"]
p = json.load(open(sys.argv[3]))["result"]

def same(a, b, where):
    if isinstance(a, dict):
        assert set(a) == set(b), (where, sorted(a), sorted(b))
        for k in a:
            same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), (where, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        # the CLI prints 6 significant digits
        assert math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6), (where, a, b)
    else:
        assert a == b, (where, a, b)

same(cli, d, "result")
assert d["n_tokens"] == len(d["tokens"]) > 100

cols = p["tokens"]
def col(name):
    a = cols[name]
    raw = base64.b64decode(a["data"])
    assert len(raw) == 4 * a["shape"][0] == 4 * d["n_tokens"], name
    fmt = "<%d%s" % (a["shape"][0], "f" if a["dtype"] == "float32" else "i")
    return struct.unpack(fmt, raw)
c = {k: col(k) for k in ("id", "start", "end", "file", "class", "span", "chunk", "prior", "protected")}
for i, t in enumerate(d["tokens"]):
    for k in ("id", "start", "end", "span", "chunk"):
        assert c[k][i] == t[k], (i, k)
    assert cols["classes"][c["class"][i]] == t["class"], i
    assert (cols["files"][c["file"][i]] if c["file"][i] >= 0 else None) == t["file"], i
    assert abs(c["prior"][i] - t["prior"]) < 1e-6, i
    assert c["protected"][i] == int(t["protected"]), i
assert p["chunks"] == d["chunks"]
PY
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"priors\",\"params\":{\"repo\":\"$R\",\"model\":\"$TOK\",\"paths\":[\"nope.py\"]}}")
case $r in *'"code":-32006'*nope.py*) ;; *) fail "missing path: $r" ;; esac
r=$(rpc "$IPC" "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"priors\",\"params\":{\"repo\":\"$R\",\"model\":\"tok.json\",\"paths\":[\"app.py\"]}}")
case $r in *'"code":-32602'*model*) ;; *) fail "relative model: $r" ;; esac
echo ok
