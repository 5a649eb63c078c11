# lib.sh - sourced by the benchmark smoke tests of this folder: bench_setup PROGRAM sets bin
# (the built program), model (the shared model), tmp (removed at exit) and fail=0, and skips
# (exit 77) with a message naming what is absent.
set -u
bench_setup() {
	bin="${CC_BINARY_DIR:-build}/bin/$1"
	model="${CC_MODEL_DIR:-${CC_SOURCE_DIR:-.}/../shared/models/pycode-16m}"
	[ -x "$bin" ] || { echo "SKIP: $bin not built"; exit 77; }
	[ -f "$model/config.json" ] || { echo "SKIP: shared model absent ($model)"; exit 77; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	fail=0
}
