#!/bin/sh
# tests/gpu/fetch-devdeps.sh - download (not install) the Debian packages that tests/gpu/run.sh
# unpacks into a private prefix on a GPU machine lacking them (jansson, pcre2, zlib), into .devdeps/
# of the checkout (git-ignored through .git/info/exclude). Run on the CPU machine; carry
# .devdeps to the GPU machine with the working tree.
set -eu
cd "$(dirname "$0")/../.."
grep -qx '/.devdeps/' .git/info/exclude 2>/dev/null || echo '/.devdeps/' >> .git/info/exclude
mkdir -p .devdeps
cd .devdeps
apt-get download libjansson4 libjansson-dev libpcre2-8-0 libpcre2-16-0 libpcre2-32-0 \
	libpcre2-posix3 libpcre2-dev zlib1g zlib1g-dev
ls -1
