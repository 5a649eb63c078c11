# lib.sh - shared setup of the store's shell tests: a scratch directory per test under the
# build tree, the codecomp binary, fixture repositories and a failure helper.
set -euo pipefail
: "${CC_SOURCE_DIR:=$(pwd)}"
: "${CC_BINARY_DIR:=$CC_SOURCE_DIR/build}"
: "${CC_BIN:=$CC_BINARY_DIR/bin}"
CODECOMP="$CC_BIN/codecomp"
[ -x "$CODECOMP" ] || { echo "SKIP: $CODECOMP not built"; exit 77; }
WORK="$CC_BINARY_DIR/store-tests/$(basename "$0" .sh)"
rm -rf "$WORK"
mkdir -p "$WORK"
export GIT_CONFIG_NOSYSTEM=1 HOME="$WORK"
# Hermetic: no codecompd on the default socket can take these commands over.
export XDG_RUNTIME_DIR="$WORK"
unset CODECOMP_CONNECT CODECOMP_TOKEN 2>/dev/null || true
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@codecomp.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@codecomp.invalid
git config --global init.defaultBranch main
git config --global commit.gpgsign false

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

make_fixtures() {
	bash "$CC_SOURCE_DIR/fixtures/make-repos.sh" "$WORK/repos" >/dev/null
}

# json FILE EXPR: evaluate a Python expression over the JSON document j read from FILE.
json() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
