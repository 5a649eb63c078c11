#!/bin/bash
# scripts/test after the README's set-up (issue 9 item 9): an existing build directory is
# reused with its own configuration (no new -D options, which would rebuild everything); a
# new one is configured with the CI options. cmake and ctest are stand-ins that log calls;
# FUZZ=0: the libFuzzer stage (a second, clang build directory) is not what this checks.
set -eu
T=$(mktemp -d /tmp/cc-scripts-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir -p "$T/src/scripts" "$T/bin"
cp scripts/test "$T/src/scripts/test"
for tool in cmake ctest; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$tool" "$T" >"$T/bin/$tool"
	chmod +x "$T/bin/$tool"
done
# A build directory the set-up made: configured without -D options, built once.
mkdir -p "$T/src/build"
echo "CODECOMP_WERROR:BOOL=OFF" >"$T/src/build/CMakeCache.txt"
FUZZ=0 PATH="$T/bin:$PATH" sh "$T/src/scripts/test"
grep "^cmake -S" "$T/calls" >"$T/configure"
[ "$(wc -l <"$T/configure")" = 1 ] || fail "configured $(wc -l <"$T/configure") times"
if grep -q -- "-D" "$T/configure"; then fail "an existing build dir is reconfigured with new options: $(cat "$T/configure")"; fi
grep -q "^ctest --test-dir build" "$T/calls" || fail "tests not run"
# A fresh directory gets the CI options.
rm -f "$T/calls"
FUZZ=0 BUILD_DIR=fresh PATH="$T/bin:$PATH" sh "$T/src/scripts/test"
grep -q -- "-B fresh -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCODECOMP_WERROR=ON" "$T/calls" || fail "fresh dir: $(cat "$T/calls")"
echo ok
