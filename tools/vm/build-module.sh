#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/build-module.sh [options] KERNEL
#
# Builds l2tpsec.ko for one kernel in its own directory, build/<kver>/ (or
# build/<kver>-kunit/ with --kunit), from a copy of the module's sources
# (Kbuild, VERSION, kernel/, include/), so that builds for 6.1, 6.12 and the
# debug kernel neither clobber each other nor the top-level l2tpsec.ko.
# Prints the path of the .ko (stdout, one line); the build log is
# <dir>/build.log. Compiler warnings are shown on stderr; --werror makes
# them fatal.
#
# KERNEL: 6.1 | 6.12   Debian's headers (tools/vm/fetch-kernel.sh --headers)
#         debug        the debug kernel (tools/vm/build-debug-kernel.sh)
#         DIR          a kernel build tree (what KDIR= takes)
#
# Options:
#   --kunit     build the KUnit suites in too (only with a CONFIG_KUNIT
#               kernel; without this option they are left out, so that
#               loading the module does not run them)
#   --werror    fail on any compiler warning (W=1)
#   --sparse    also run sparse on every file (C=2); its warnings count as
#               warnings
#   --kdir      print the kernel build tree instead of the .ko
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
KUNIT=
WERROR=
SPARSE=
PRINT=ko
KERNEL=

die() { echo "build-module: $*" >&2; exit 1; }

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--kunit) KUNIT=1 ;;
	--werror) WERROR=1 ;;
	--sparse) SPARSE=1 ;;
	--kdir) PRINT=kdir ;;
	-h|--help) usage ;;
	-*) echo "build-module: unknown option $1" >&2; usage ;;
	*) [ -z "$KERNEL" ] || die "one KERNEL only (got '$KERNEL' and '$1')"; KERNEL=$1 ;;
	esac
	shift
done
[ -n "$KERNEL" ] || usage

case $KERNEL in
6.1|6.12)
	KDIR=$(QUIET=1 "$VM_DIR/fetch-kernel.sh" --headers "$KERNEL") ||
		die "no headers for $KERNEL (tools/vm/fetch-kernel.sh --headers $KERNEL)"
	;;
debug)
	KDIR=$("$VM_DIR/build-debug-kernel.sh" | sed -n 's/^KDIR=//p') ||
		die "tools/vm/build-debug-kernel.sh failed"
	;;
*)
	KDIR=$KERNEL
	;;
esac
[ -f "$KDIR/Makefile" ] || die "$KDIR is not a kernel build tree (no Makefile)"
if [ "$PRINT" = kdir ]; then
	echo "$KDIR"
	exit 0
fi
# the release the module's vermagic will name (Debian's 6.1 headers have
# 6.1.NNN in include/config/kernel.release, 6.1.0-NN-amd64 here)
KVER=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$KDIR/include/generated/utsrelease.h" 2>/dev/null)
[ -n "$KVER" ] || die "$KDIR has no include/generated/utsrelease.h (not a prepared build tree)"
if [ -n "$KUNIT" ] && ! grep -q '^CONFIG_KUNIT=y' "$KDIR/.config"; then
	die "--kunit: $KDIR has no CONFIG_KUNIT=y"
fi

OUT=$REPO/build/$KVER${KUNIT:+-kunit}
mkdir -p "$OUT"
# One build per output directory at a time: two runs for one kernel (two
# selftest stages, a bench beside a selftest) would otherwise rewrite each
# other's objects mid-build (fixdep: error opening file). Held until exit.
exec 7>"$OUT.lock"
flock 7
# Sources only, the build products in $OUT stay for an incremental build.
# VERSION is written here, so the version needs no git in $OUT.
rsync -a --delete \
	--exclude='*.o' --exclude='.*.cmd' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='*.a' --exclude='modules.order' \
	--exclude='Module.symvers' --exclude='/build.log' --exclude='/VERSION' \
	--include='/Kbuild' --include='/kernel/***' --include='/include/***' \
	--exclude='*' "$REPO/" "$OUT/"
"$REPO/tools/version.sh" >"$OUT/VERSION.tmp"
if cmp -s "$OUT/VERSION.tmp" "$OUT/VERSION"; then
	rm "$OUT/VERSION.tmp"	# unchanged: keep its mtime, no rebuild
else
	mv "$OUT/VERSION.tmp" "$OUT/VERSION"
fi

args=(-C "$KDIR" M="$OUT" W=1 -j"$(nproc)")
[ -n "$KUNIT" ] || args+=(L2TPSEC_KUNIT=n)
[ -n "$SPARSE" ] && args+=(C=2)
if ! make "${args[@]}" modules >"$OUT/build.log" 2>&1; then
	grep -E 'error|warning' "$OUT/build.log" >&2 || tail -n 30 "$OUT/build.log" >&2
	die "building l2tpsec.ko for $KVER failed (log: $OUT/build.log)"
fi
# gcc's "warning:" and sparse's "warning:"/"error:" lines (sparse does not
# fail the build by itself)
if grep -Eq '(warning|error):' "$OUT/build.log"; then
	echo "build-module: warnings building for $KVER:" >&2
	grep -E -A3 '(warning|error):' "$OUT/build.log" >&2
	[ -z "$WERROR" ] || die "warnings are errors (--werror)"
fi
[ -f "$OUT/l2tpsec.ko" ] || die "no $OUT/l2tpsec.ko after the build"
echo "$OUT/l2tpsec.ko"
