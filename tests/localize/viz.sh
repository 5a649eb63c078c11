#!/bin/bash
# `codecomp viz`: the page is one self-contained file (no external URL), and headless Chromium
# renders it to a PNG that is not blank and shows both the kept (green) and evicted (red)
# marks. Run on a hand-written localize reply (no model needed) and, when the shared model is
# there, on a real `codecomp localize --json --viz`. Skips only when chromium is absent.
set -u
B="${CC_BIN:-build/bin}/codecomp"
SRC=${CC_SOURCE_DIR:-$PWD}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$B" ] || fail "no $B"
command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
	{ echo "SKIP: chromium not installed (scripts/bootstrap installs it)"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

python3 - "$T/hand.json" <<'PY'
import json, sys
text = "Stock.remove() is wrong\n# file: inventory/store.py\n    def remove(self, name, quantity):\n        if item.quantity == 0:\n            del self.items[key]\n        return True\n</script><script>alert(1)</script>\n"
starts, i = [], 0
while i < len(text):
    starts.append(i); i += 3
n = len(starts)
kept = {"codecomp": ["".join("1" if (j % 3) else "0" for j in range(n)) for _ in range(4)],
        "snapkv": ["".join("1" if j < n // 2 else "0" for j in range(n)) for _ in range(4)]}
d = {"commit": "0" * 40, "mode": "likelihood", "policy": "codecomp", "budget": 0.5, "fallback": False,
     "notice": None, "kv_bytes": {"full": 2048, "held": 1024},
     "results": [{"rank": 1, "file": "inventory/store.py", "function": "remove", "qualified": "Stock.remove",
                  "start_line": 17, "end_line": 27, "line": 25, "score": 1.0, "evidence": {}}],
     "viz": {"text": text, "starts": starts, "priors": [(j % 10) / 10 for j in range(n)], "layers": 2,
             "kv_heads": 2, "kept": kept}}
json.dump(d, open(sys.argv[1], "w"))
PY

check_png() { # PNG: not blank, green and red marks present
	python3 "$SRC/tests/localize/check_png.py" "$1"
}

"$B" viz --localize-json "$T/hand.json" --out "$T/hand.html" --png "$T/hand.png" || fail "viz exited $?"
grep -q '<script>alert' "$T/hand.html" && fail "the page's own text escapes its script element"
grep -Eq '(src|href)="(https?:)?//' "$T/hand.html" && fail "the page refers to the network"
check_png "$T/hand.png" || fail "hand-written report"

# errors: no viz section, not JSON, a mark row of the wrong length
echo '{"results": []}' >"$T/noviz.json"
err=$("$B" viz --localize-json "$T/noviz.json" --out "$T/x.html" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'localize --json --viz' || fail "no viz section: $rc $err"
echo 'nope' >"$T/bad.json"
err=$("$B" viz --localize-json "$T/bad.json" --out "$T/x.html" 2>&1); [ $? = 1 ] || fail "not JSON: $err"
python3 -c "
import json; d = json.load(open('$T/hand.json')); d['viz']['kept']['snapkv'][0] += '1'
json.dump(d, open('$T/short.json', 'w'))"
err=$("$B" viz --localize-json "$T/short.json" --out "$T/x.html" 2>&1); rc=$?
[ $rc = 1 ] && echo "$err" | grep -q 'inconsistent' || fail "bad rows: $rc $err"

# a real localization, when the model is there
M="${CC_MODEL_DIR:-$SRC/../shared/models/pycode-16m}"
if [ -f "$M/config.json" ]; then
	R=$T/inv
	mkdir -p "$R" && cp -R "$SRC/fixtures/example/." "$R/"
	git -C "$R" init -q && git -C "$R" add -A &&
		git -C "$R" -c user.name=t -c user.email=t@t commit -qm x || fail git
	"$B" index --no-daemon "$R" >/dev/null || fail index
	"$B" localize --no-daemon --repo "$R" --model "$M" --json --viz --budget 0.1 --scored 2 \
		--issue "Stock.remove() leaves an item in the stock" >"$T/loc.json" || fail "localize --viz"
	"$B" viz --localize-json "$T/loc.json" --out "$T/loc.html" --png "$T/loc.png" || fail "viz (real)"
	check_png "$T/loc.png" || fail "real report"
else
	echo "no model at $M: real-run part skipped"
fi
echo "viz: ok"
