# devdeps.sh - sourced (not run) by the device scripts (tests/gpu/run.sh, bench/gpu_*.sh) from
# the repository root: when jansson's or zlib's pkg-config file is missing and Debian packages
# were carried in .devdeps (tests/gpu/fetch-devdeps.sh downloads them on the CPU machine), they
# are unpacked into a private prefix (/tmp/ccdeps, never /) and PKG_CONFIG_PATH,
# CMAKE_PREFIX_PATH and LD_LIBRARY_PATH point there, in the sourcing shell, so builds find the
# headers and programs the libraries.
# Sets CC_DEVDEPS to "system", "carried" or "missing".
if pkg-config --exists jansson zlib 2>/dev/null; then
	CC_DEVDEPS=system
elif ls .devdeps/*.deb >/dev/null 2>&1; then
	CC_DEVDEPS=carried
	mkdir -p /tmp/ccdeps
	for f in .devdeps/*.deb; do dpkg -x "$f" /tmp/ccdeps; done
	for pc in /tmp/ccdeps/usr/lib/x86_64-linux-gnu/pkgconfig/*.pc; do
		sed -i "s|^prefix=.*|prefix=/tmp/ccdeps/usr|" "$pc"
	done
	export PKG_CONFIG_PATH=/tmp/ccdeps/usr/lib/x86_64-linux-gnu/pkgconfig
	export CMAKE_PREFIX_PATH=/tmp/ccdeps/usr${CMAKE_PREFIX_PATH:+:$CMAKE_PREFIX_PATH} # find_package(ZLIB)
	export LD_LIBRARY_PATH=/tmp/ccdeps/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
else
	CC_DEVDEPS=missing
fi
