#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/run-kunit.sh [options]
#
# Runs l2tpsec's KUnit suites (kernel/tests/*.c) in QEMU on the debug kernel
# (KASAN, lockdep, kmemleak, KUnit) and prints the results as one TAP
# stream: one `ok`/`not ok` line per test case (`suite.case`), the failing
# parameters and messages as `# ` comments, a line for module unload and
# one for the kernel log (KASAN, lockdep, kmemleak or any other splat fails
# it), then `N passed, N failed`.
#
# Steps: tools/vm/build-debug-kernel.sh (cached; the first build takes a
# long time), the module with the suites built against that kernel in
# build/<kver>-kunit/ by tools/vm/build-module.sh --kunit (the
# repository's own build products are not touched), one VM boot with tools/vm/run.sh that loads
# the module (the suites run while it loads), reads
# /sys/kernel/debug/kunit/<suite>/results, unloads the module, and asks
# kmemleak for a scan.
#
# Options:
#   --log-dir DIR   keep the VM's dmesg, console, the raw results and the
#                   module build log in DIR
#   --timeout S     VM timeout (default 900)
#   --suite NAME    only report suite NAME (repeatable; all still run)
#
# Exit status: 0 when every line is ok, 1 when a test or the kernel log
# failed, 2 when the set-up failed (kernel or module build, VM).
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SPLAT_RE=$(cat "$VM_DIR/splat-regex")
LOG_DIR=
TIMEOUT=900
ONLY=()

die() { echo "run-kunit: $*" >&2; exit 2; }

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--log-dir) LOG_DIR=${2:?}; shift ;;
	--timeout) TIMEOUT=${2:?}; shift ;;
	--suite) ONLY+=("${2:?}"); shift ;;
	-h|--help) usage ;;
	*) echo "run-kunit: unknown option $1" >&2; usage ;;
	esac
	shift
done

# ---- the debug kernel --------------------------------------------------------
ENV_LINES=$("$VM_DIR/build-debug-kernel.sh") || die "build-debug-kernel.sh failed"
KDIR=$(sed -n 's/^KDIR=//p' <<<"$ENV_LINES")
BZIMAGE=$(sed -n 's/^BZIMAGE=//p' <<<"$ENV_LINES")
MODULES=$(sed -n 's/^MODULES=//p' <<<"$ENV_LINES")
[ -d "$KDIR" ] && [ -f "$BZIMAGE" ] && [ -d "$MODULES" ] ||
	die "build-debug-kernel.sh printed no usable KDIR/BZIMAGE/MODULES"
grep -q '^CONFIG_KUNIT=y' "$KDIR/.config" || die "$KDIR has no CONFIG_KUNIT=y"

# ---- the module, with the suites, in build/<kver>-kunit/ -----------------------
# (tools/vm/build-module.sh: the repository's own build products are for
# other kernels and stay untouched)
TMP=$(mktemp -d /tmp/l2tpsec-kunit.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
KO=$("$VM_DIR/build-module.sh" --kunit debug) || die "building l2tpsec.ko with the KUnit suites failed"
SCRATCH=$(dirname "$KO")
cp "$SCRATCH/build.log" "$TMP/module-build.log"

# Suites we expect results from: every suite named in kernel/tests/*.c.
mapfile -t SUITES < <(sed -n 's/^[[:space:]]*\.name = "\(l2tpsec_[a-z0-9_]*\)",/\1/p' \
	"$SCRATCH"/kernel/tests/*.c | sort -u)
[ ${#SUITES[@]} -gt 0 ] || die "no KUnit suite found in kernel/tests/*.c"

# ---- the VM ----------------------------------------------------------------------
cat >"$TMP/guest.sh" <<'EOF'
K=/sys/kernel/debug/kunit
for s in "$@"; do
	echo "@@SUITE $s"
	if [ -r "$K/$s/results" ]; then cat "$K/$s/results"; else echo "@@MISSING"; fi
	echo "@@END"
done
# Unload (exercises every teardown path), then let kmemleak look: objects
# must be unreferenced for 5 s before a scan reports them.
if rmmod l2tpsec; then echo "@@RMMOD 0"; else echo "@@RMMOD $?"; fi
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	echo "@@KMEMLEAK"
	cat /sys/kernel/debug/kmemleak
	echo "@@END"
else
	echo "@@NOKMEMLEAK"
fi
exit 0
EOF
cp "$TMP/guest.sh" "$SCRATCH/guest.sh"

RES=$TMP/results
mkdir -p "$RES"
rc=0
start=$(date +%s)
"$VM_DIR/run.sh" --kernel "$BZIMAGE" --modules "$MODULES" --module "$KO" \
	--timeout "$TIMEOUT" --allow-splat --keep-results "$RES" \
	-- sh "$SCRATCH/guest.sh" "${SUITES[@]}" >"$TMP/out" 2>"$TMP/err" || rc=$?
end=$(date +%s)
if [ -n "$LOG_DIR" ]; then
	mkdir -p "$LOG_DIR"
	cp "$TMP/out" "$LOG_DIR/guest-output"
	cp "$TMP/err" "$LOG_DIR/run.sh.stderr"
	cp "$TMP/module-build.log" "$LOG_DIR/"
	for f in dmesg console.log; do
		[ -f "$RES/$f" ] && cp "$RES/$f" "$LOG_DIR/"
	done
fi
if [ "$rc" -ne 0 ]; then
	cat "$TMP/err" >&2
	[ -f "$RES/dmesg" ] && tail -n 40 "$RES/dmesg" >&2
	die "the VM run failed (run.sh exit $rc)"
fi

# ---- TAP -------------------------------------------------------------------------
want_suite() {
	local s
	[ ${#ONLY[@]} -eq 0 ] && return 0
	for s in "${ONLY[@]}"; do [ "$s" = "$1" ] && return 0; done
	return 1
}

N=0
PASS=0
FAIL=0
SKIP=0
LINES=()
emit() {	# emit ok|not-ok name [directive]
	N=$((N + 1))
	if [ "$1" = ok ]; then
		case ${3:-} in
		SKIP*) SKIP=$((SKIP + 1)) ;;
		*) PASS=$((PASS + 1)) ;;
		esac
		LINES+=("ok $N $2${3:+ # $3}")
	else
		FAIL=$((FAIL + 1))
		LINES+=("not ok $N $2")
	fi
}
comment() { LINES+=("# $*"); }

# KTAP of one suite (debugfs format) on stdin -> TAP lines.
parse_suite() {
	local suite=$1 file=$2 line status name rest details=() pass=0 fail=0 skip=0
	while IFS= read -r line; do
		case $line in
		"    ok "*|"    not ok "*)
			line=${line#    }
			if [ "${line#not }" != "$line" ]; then
				status=not-ok
				rest=${line#not ok }
			else
				status=ok
				rest=${line#ok }
			fi
			rest=${rest#* }		# drop the number
			name=${rest%% # *}
			if [ "$status" = ok ] && [ "$rest" != "$name" ] &&
				[[ ${rest#* # } == SKIP* ]]; then
				skip=$((skip + 1))
				emit ok "$suite.$name" "${rest#* # }"
			else
				emit "$status" "$suite.$name"
				if [ "$status" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
			fi
			local d shown=0
			for d in "${details[@]}"; do
				case $d in
				"# $name: pass:"*)	# parameterised: the counts
					comment "  ${d#\# }"
					;;
				"    ok "*|"    KTAP version"*|"    1.."*) ;;
				*)
					[ "$status" = ok ] && continue
					shown=$((shown + 1))
					[ $shown -le 40 ] && comment "  $d"
					[ $shown -eq 41 ] && comment "  (more in --log-dir ktap-$suite)"
					;;
				esac
			done
			details=()
			;;
		"    KTAP version"*|"    # Subtest:"*|"    1.."*) ;;
		"    "*)	# messages, parameter results
			details+=("${line#    }")
			;;
		"KTAP version"*|"1.."*|"ok "*|"not ok "*|"# Totals"*|"") ;;
		*)	# the text of a *_MSG() expectation
			details+=("  $line")
			;;
		esac
	done <"$file"
	comment "suite $suite: $pass passed, $fail failed, $skip skipped"
	if [ $((pass + fail + skip)) -eq 0 ]; then
		emit not-ok "$suite (no test case results)"
	fi
}

awk -v dir="$TMP" '
	/^@@SUITE / { f = dir "/suite-" $2; printf "" > f; next }
	/^@@END/ { f = ""; next }
	f != "" { print >> f }
' "$TMP/out"

for s in "${SUITES[@]}"; do
	want_suite "$s" || continue
	f=$TMP/suite-$s
	if [ ! -f "$f" ] || grep -q '^@@MISSING' "$f"; then
		emit not-ok "$s (suite did not run: no /sys/kernel/debug/kunit/$s/results)"
		continue
	fi
	[ -n "$LOG_DIR" ] && cp "$f" "$LOG_DIR/ktap-$s"
	parse_suite "$s" "$f"
done

if grep -q '^@@RMMOD 0' "$TMP/out"; then
	emit ok "rmmod l2tpsec"
else
	emit not-ok "rmmod l2tpsec"
	comment "  $(grep '^@@RMMOD' "$TMP/out" || echo 'no result')"
fi

if ! grep -q '^@@KMEMLEAK' "$TMP/out"; then
	emit not-ok "kmemleak scan (no /sys/kernel/debug/kmemleak)"
else
	leaks=$(sed -n '/^@@KMEMLEAK/,/^@@END/{/^@@/d;p}' "$TMP/out")
	if [ -n "$leaks" ]; then
		emit not-ok "kmemleak scan after rmmod"
		while IFS= read -r l; do comment "  $l"; done <<<"$(head -n 40 <<<"$leaks")"
	else
		emit ok "kmemleak scan after rmmod"
	fi
fi

if [ ! -s "$RES/dmesg" ]; then
	emit not-ok "kernel log (no dmesg from the VM)"
elif grep -Eq "$SPLAT_RE" "$RES/dmesg"; then
	emit not-ok "kernel log: KASAN/lockdep/kmemleak/WARN splat"
	first=$(grep -Enm1 "$SPLAT_RE" "$RES/dmesg" | cut -d: -f1)
	while IFS= read -r l; do comment "  $l"; done \
		<<<"$(tail -n +"$((first > 3 ? first - 3 : 1))" "$RES/dmesg" | head -n 60)"
else
	emit ok "kernel log clean (no KASAN, lockdep, kmemleak or WARN)"
fi

echo "TAP version 13"
echo "1..$N"
printf '%s\n' "${LINES[@]}"
echo "# debug kernel: $(basename "$MODULES"); VM run $((end - start)) s"
echo "kunit: $PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
