#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/lint.sh [--no-debug]: static checks of the module, as TAP.
#
#   - checkpatch.pl --strict on every file of kernel/ and kernel/tests/
#     (one line per file), from Debian's linux-source-6.12;
#   - the module built with W=1 and sparse on every file (C=2) against
#     Debian's 6.1 and 6.12 headers, and with the KUnit suites against the
#     debug kernel (skipped with --no-debug): no compiler or sparse warning;
#   - the ESP known-answer vectors in kernel/tests/esp_kat_test.c are what
#     kernel/tests/esp_kat_gen.py prints;
#   - dkms.conf's PACKAGE_VERSION is the VERSION file's;
#   - kernel/netlink-gen.[ch] are what tools/ynl-gen.sh generates from the
#     YNL spec now.
#
# No --ignore is passed to checkpatch: a warning is fixed, not hidden.
# Exit status: 0 when every line is ok, 1 otherwise.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${L2TPSEC_CACHE:-/var/cache/l2tpsec}
TARBALL=/usr/src/linux-source-6.12.tar.xz
DEBUG=1

case ${1:-} in
--no-debug) DEBUG= ;;
"") ;;
*) echo "usage: $0 [--no-debug]" >&2; exit 2 ;;
esac

N=0
FAIL=0
LINES=()
ok() { N=$((N + 1)); LINES+=("ok $N $*"); }
not_ok() {
	N=$((N + 1))
	FAIL=$((FAIL + 1))
	LINES+=("not ok $N $1")
	shift
	local l
	while IFS= read -r l; do LINES+=("# $l"); done <<<"$*"
}
skip() { N=$((N + 1)); LINES+=("ok $N $1 # SKIP $2"); }

# Prints the directory of a checkpatch.pl that has spelling.txt and
# const_structs.checkpatch next to it: the debug kernel's extracted
# source when there is one, else the three files taken out of
# linux-source-6.12's tarball once into the cache.
checkpatch_dir() {
	local d ver
	for d in "$CACHE"/debug-kernel/src/*/linux-source-6.12/scripts; do
		[ -f "$d/checkpatch.pl" ] && [ -f "$d/spelling.txt" ] &&
			[ -f "$d/const_structs.checkpatch" ] && { echo "$d"; return 0; }
	done
	[ -r "$TARBALL" ] || {
		echo "lint: no checkpatch.pl: apt-get install linux-source-6.12" >&2
		return 1
	}
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
	d=$CACHE/checkpatch/$ver
	if [ ! -f "$d/scripts/const_structs.checkpatch" ]; then
		mkdir -p "$d"
		tar -C "$d" -xJf "$TARBALL" --strip-components=1 \
			linux-source-6.12/scripts/checkpatch.pl \
			linux-source-6.12/scripts/spelling.txt \
			linux-source-6.12/scripts/const_structs.checkpatch ||
			{ echo "lint: cannot extract checkpatch.pl from $TARBALL" >&2; return 1; }
	fi
	echo "$d/scripts"
}

lint_checkpatch() {
	local dir f out
	if ! dir=$(checkpatch_dir); then
		not_ok "checkpatch.pl available" "install linux-source-6.12"
		return
	fi
	for f in "$REPO"/kernel/*.[ch] "$REPO"/kernel/tests/*.[ch]; do
		# --no-tree: no kernel tree around us; -f: a file, not a patch.
		# From / : in a git work tree checkpatch --strict leaves a
		# .checkpatch-camelcase.git.* cache in the working directory.
		if out=$(cd / && perl "$dir/checkpatch.pl" --strict --no-tree --quiet \
			--no-summary --show-types -f "$f" 2>&1) && [ -z "$out" ]; then
			ok "checkpatch --strict ${f#"$REPO"/}"
		else
			not_ok "checkpatch --strict ${f#"$REPO"/}" "$out"
		fi
	done
}

# sparse + W=1 against kernel $1 (build-module.sh's KERNEL), $2 = extra
# options of build-module.sh
lint_build() {
	local kernel=$1 opts=$2 out
	# shellcheck disable=SC2086
	if out=$("$REPO/tools/vm/build-module.sh" --sparse --werror $opts "$kernel" 2>&1); then
		ok "W=1 and sparse clean for $kernel${opts:+ ($opts)}"
	else
		not_ok "W=1 and sparse clean for $kernel${opts:+ ($opts)}" "$(tail -n 60 <<<"$out")"
	fi
}

lint_kat() {
	local want got
	if ! /usr/bin/python3 -c 'import cryptography' 2>/dev/null; then
		not_ok "ESP KAT vectors match esp_kat_gen.py" \
			"python3-cryptography missing: apt-get install python3-cryptography"
		return
	fi
	got=$(/usr/bin/python3 "$REPO/kernel/tests/esp_kat_gen.py")
	want=$(sed -n '/^static const struct esp_kat_vec esp_kat_vectors\[\] = {$/,/^};$/p' \
		"$REPO/kernel/tests/esp_kat_test.c" | sed '1d;$d')
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		ok "ESP KAT vectors match esp_kat_gen.py"
	else
		not_ok "ESP KAT vectors match esp_kat_gen.py" \
			"$(diff <(echo "$want") <(echo "$got") | head -n 20)"
	fi
}

lint_dkms_version() {
	local v d
	v=$(tr -d '[:space:]' <"$REPO/VERSION")
	d=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$REPO/dkms.conf")
	if [ -n "$v" ] && [ "$v" = "$d" ]; then
		ok "dkms.conf PACKAGE_VERSION is VERSION ($v)"
	else
		not_ok "dkms.conf PACKAGE_VERSION is VERSION" "VERSION '$v', dkms.conf '$d'"
	fi
}

lint_ynl_gen() {
	local out
	if out=$("$REPO/tools/ynl-gen.sh" --check 2>&1); then
		ok "kernel/netlink-gen.[ch] match the YNL spec"
	else
		not_ok "kernel/netlink-gen.[ch] match the YNL spec" "$(tail -n 40 <<<"$out")"
	fi
}

lint_checkpatch
lint_ynl_gen
lint_build 6.1 ""
lint_build 6.12 ""
if [ -n "$DEBUG" ]; then
	lint_build debug --kunit
else
	skip "W=1 and sparse clean for debug (--kunit)" "--no-debug"
fi
lint_kat
lint_dkms_version

echo "TAP version 13"
echo "1..$N"
printf '%s\n' "${LINES[@]}"
echo "# lint: $((N - FAIL)) passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
