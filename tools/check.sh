#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/check.sh: what `make check` runs (after `make all`), in stages:
#   native     the native userspace units: make -C user check (cmocka / TAP)
#   uapi       the UAPI header against its YNL spec (tools/ynl-check.py)
#   lint       checkpatch --strict, W=1 and sparse on kernel/ (tools/lint.sh)
#   install    make install DESTDIR=... and uninstall: files, modes,
#              kept configuration, completion (tools/install-check.sh)
#   deb        the Debian packages built, their contents checked, lintian
#              with no error or warning (tools/deb-check.sh)
#   dkms       dkms add/build/install against Debian's 6.1 and 6.12 headers
#              and the modules' modinfo fields (tools/dkms-check.sh)
#   vm-<K>     the selftests in QEMU on kernel K, for each K of
#              CHECK_KERNELS (tools/vm/run-selftests.sh --kernel K: the
#              module is built for K in build/<kver>/)
#   kunit      the KUnit suites in the debug kernel (tools/vm/run-kunit.sh)
# Counts the results (TAP `ok`/`not ok` lines; cmocka `[  PASSED  ] N
# test(s).` / `[  FAILED  ] N test(s)` lines), keeps the logs in
# build/check-logs/, prints each stage's duration and ends with the line
# `N passed, N failed`. Exits non-zero when anything failed or nothing ran.
#
# Time (CI's hard limit is 90 minutes for .ci/run; make check aims at 45
# on a quiet 2-core machine with the debug kernel cached):
#  - each kernel runs the scripts that tests_for lists (the debug kernel,
#    6.12's source under KASAN, the module's own; 6.12 the algorithms and
#    the daemon's end-to-end scripts; 6.1 the module's, the IKE ones and
#    the load), and the algorithm loops of 10 and 20 (26 algorithms x 2
#    encapsulations) are split: each kernel gets a few algorithms,
#    together every cipher, key size and integrity algorithm (ALGOS_*
#    below). `make check-full` (CHECK_FULL=1) runs every script with
#    every algorithm on every kernel.
#  - the QEMU stages run in CHECK_JOBS lanes at once (default 2); a lane
#    takes the next stage when its last one ends. A TCG guest keeps about
#    one host CPU busy, so two lanes use both cores. Their logs are
#    printed as each stage ends.
#
# Environment:
#   CHECK_KERNELS      default "6.1 6.12 debug"
#   CHECK_FULL=1       every algorithm on every kernel
#   CHECK_JOBS         QEMU stages at once (default 2; 1: one by one, with
#                      their output live)
#   L2TPSEC_ALGOS      overrides the algorithm choice on every kernel
#   CHECK_TESTS        the selftests to run (names or paths, default all)
#   CHECK_SKIP_VM=1    no QEMU stages (native, uapi, lint, dkms only)
#   CHECK_SKIP_KUNIT=1, CHECK_SKIP_LINT=1, CHECK_SKIP_DKMS=1
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_DIR=$REPO/build/check-logs
CHECK_KERNELS=${CHECK_KERNELS:-6.1 6.12 debug}

# Algorithms of algo_table (selftests/lib.sh) per kernel: together every
# cipher and key size (AES-GCM 128/256, AES-CBC 128/192/256, 3DES) and
# every integrity algorithm (MD5, SHA-1, SHA-256 with the 128- and the
# 96-bit ICV, SHA-384, SHA-512). The two 10 runs iperf3 on (aes-gcm-128,
# aes-cbc-128-sha256-128) go to 6.1 and the debug kernel.
ALGOS_6_1="aes-gcm-128 aes-cbc-128-sha256-128 aes-cbc-192-sha384-192 3des-cbc-sha1-96"
ALGOS_6_12="aes-gcm-256 aes-cbc-256-sha512-256 aes-cbc-256-sha256-96 aes-cbc-128-md5-96"
ALGOS_DEBUG="aes-gcm-128 aes-cbc-128-sha256-128"
# 05-xfrm-peer-selfcheck: its 3 default algorithms on 6.1, one elsewhere
PEER_ALGOS_OTHER="aes-gcm-128"

PASSED=0
FAILED=0
SKIPPED=0
TIMES=()

# Adds the results found in log $1 to the counters. A TAP `ok ... # SKIP`
# counts as skipped; only top-level TAP lines count (indented or `# `
# prefixed lines are a test's own details).
count_results() {
	local log=$1 p f s
	p=$(grep -Ec '^ok [0-9]+' "$log" || true)
	s=$(grep -Eci '^ok [0-9]+.*# *skip' "$log" || true)
	f=$(grep -Ec '^not ok [0-9]+' "$log" || true)
	PASSED=$((PASSED + p - s))
	SKIPPED=$((SKIPPED + s))
	FAILED=$((FAILED + f))
	# cmocka's summaries
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9][0-9]*\) test(s).*/\1/p' "$log" | awk '{n += $1} END {print n + 0}')
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	SKIPPED=$((SKIPPED + s))
}

# Counts stage $1's log after it exited $2 in $3 seconds; when it exited
# non-zero without a failure being counted in its log, counts one.
stage_done() {
	local name=$1 rc=$2 secs=$3 log=$LOG_DIR/$1.log before_p before_f
	before_p=$PASSED
	before_f=$FAILED
	count_results "$log"
	if [ "$rc" -ne 0 ] && [ "$FAILED" -eq "$before_f" ]; then
		echo "check: $name exited $rc with no failing test in its output: counted as one failure"
		FAILED=$((FAILED + 1))
	fi
	echo "== $name: exit $rc, $((PASSED - before_p)) passed, $((FAILED - before_f)) failed, ${secs}s"
	TIMES+=("$(printf '%-10s %5ds  %4d passed %3d failed' "$name" "$secs" \
		$((PASSED - before_p)) $((FAILED - before_f)))")
}

# Runs "$@" with its output shown and kept in $LOG_DIR/$name.log.
run_stage() {
	local name=$1 rc=0 start
	shift
	echo "== $name: $*"
	start=$(date +%s)
	"$@" 2>&1 | tee "$LOG_DIR/$name.log" || rc=${PIPESTATUS[0]}
	stage_done "$name" "$rc" $(($(date +%s) - start))
}

# The QEMU stages, queued by vm_stage and run by run_lanes.
VM_NAMES=()
VM_CMDS=()
vm_stage() {
	local name=$1 q
	shift
	printf -v q '%q ' "$@"
	VM_NAMES+=("$name")
	VM_CMDS+=("$q")
}

# Runs the queued stages in CHECK_JOBS lanes: each lane takes the next
# stage of the queue when its last one ends (a shared counter under a
# lock), so a long stage does not leave the other lane idle behind a
# fixed split. A stage's output goes to its log, printed whole when it
# ends; the counting happens here, in queue order, once every lane is done.
run_lanes() {
	local jobs=${CHECK_JOBS:-2} i lane rc secs next=$LOG_DIR/.next
	local -a pids=()
	[ ${#VM_NAMES[@]} -gt 0 ] || return 0
	if [ "$jobs" -le 1 ]; then
		for i in "${!VM_NAMES[@]}"; do
			eval "run_stage ${VM_NAMES[$i]} ${VM_CMDS[$i]}"
		done
		return 0
	fi
	echo 0 >"$next"
	for ((lane = 0; lane < jobs; lane++)); do
		(
			while :; do
				# take the next stage number
				i=$(flock "$next" sh -c 'read -r n <"$1"; echo $((n + 1)) >"$1"; echo "$n"' sh "$next")
				[ "$i" -lt ${#VM_NAMES[@]} ] || break
				name=${VM_NAMES[$i]}
				echo "== $name: started in lane $lane: ${VM_CMDS[$i]}"
				start=$(date +%s)
				rc=0
				eval "${VM_CMDS[$i]}" >"$LOG_DIR/$name.log" 2>&1 || rc=$?
				echo "$rc $(($(date +%s) - start))" >"$LOG_DIR/$name.rc"
				# one lane prints at a time
				flock "$LOG_DIR/.print" sh -c \
					'echo "== $1: log"; cat "$2"; echo "== $1: ended (exit $3)"' \
					sh "$name" "$LOG_DIR/$name.log" "$rc"
			done
		) &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		wait "$i" || true
	done
	for i in "${!VM_NAMES[@]}"; do
		rc=1 secs=0
		[ -s "$LOG_DIR/${VM_NAMES[$i]}.rc" ] && read -r rc secs <"$LOG_DIR/${VM_NAMES[$i]}.rc"
		stage_done "${VM_NAMES[$i]}" "$rc" "$secs"
	done
}

native_units() {
	if [ -f "$REPO/user/Makefile" ] && grep -q '^check:' "$REPO/user/Makefile"; then
		run_stage native make -C "$REPO/user" check
	else
		echo "== native: skipped (user/Makefile has no check target)"
	fi
}

# The UAPI header must match its YNL spec, the source of truth.
uapi_spec() {
	run_stage uapi /usr/bin/python3 "$REPO/tools/ynl-check.py"
}

lint() {
	if [ -n "${CHECK_SKIP_LINT:-}" ]; then
		echo "== lint: skipped (CHECK_SKIP_LINT set)"
		return
	fi
	# the debug kernel's sparse pass only when the VM stages build it anyway
	if [ -n "${CHECK_SKIP_VM:-}" ]; then
		run_stage lint "$REPO/tools/lint.sh" --no-debug
	else
		run_stage lint "$REPO/tools/lint.sh"
	fi
}

install_check() {
	run_stage install "$REPO/tools/install-check.sh"
}

deb_check() {
	run_stage deb "$REPO/tools/deb-check.sh"
}

dkms() {
	if [ -n "${CHECK_SKIP_DKMS:-}" ]; then
		echo "== dkms: skipped (CHECK_SKIP_DKMS set)"
		return
	fi
	run_stage dkms "$REPO/tools/dkms-check.sh" 6.1 6.12
}

# The algorithms kernel $1's selftests loop over ("" = all of them).
algos_for() {
	if [ -n "${L2TPSEC_ALGOS:-}" ]; then
		echo "$L2TPSEC_ALGOS"
	elif [ -n "${CHECK_FULL:-}" ]; then
		echo ""
	else
		case $1 in
		6.1) echo "$ALGOS_6_1" ;;
		6.12) echo "$ALGOS_6_12" ;;
		debug) echo "$ALGOS_DEBUG" ;;
		*) echo "" ;;
		esac
	fi
}

# The selftests kernel $1 runs ("" = every selftests/NN-*.sh). The debug
# kernel is 6.12's source with KASAN, lockdep and kmemleak: it runs the
# module's own scripts (object lifetimes, bad input, teardown) and stock
# 6.12 does not repeat them; stock 6.12 keeps what differs per kernel or
# needs a stock kernel's speed: the crypto API's algorithms (10, 20 with
# algorithms of its own), the float/reorder path (32) and the daemon's
# end-to-end scripts against strongSwan, xl2tpd and pppd (85-95). 6.1
# runs the module's scripts on the older kernel, the IKE scripts (7x)
# and the 200-session load (84). 05 proves the test peer (a Python tool,
# not the module): once, on 6.1. CHECK_FULL runs all of them everywhere.
#   6.1:   00 05 10 20 30 31 40 41 50 52 53 60 62 7x 84
#   6.12:  00 10 20 32 85-91 95
#   debug: 00 10 30 40 50 52 54 60 62
# vm_stages splits 6.1 in two stages (module scripts; 7x and 84) so that
# the two lanes end together.
tests_for() {
	local t name
	if [ -n "${CHECK_TESTS:-}" ]; then
		echo "$CHECK_TESTS"
		return
	fi
	[ -n "${CHECK_FULL:-}" ] && return
	for t in "$REPO"/selftests/[0-9][0-9]-*.sh; do
		name=${t##*/}
		case $1:$name in
		6.1:32-* | debug:05-* | debug:20-* | debug:3[12]-* | debug:41-*)
			continue ;;
		# the per-peer frame rate (53): 6.1 (KUnit covers the bucket
		# under KASAN); the netlink stress (54): under KASAN only
		debug:53-* | 6.1:54-*)
			continue ;;
		6.1:0[0-9]-* | 6.1:[1-6][0-9]-* | 6.1-ike:7[0-9]-* | 6.1-ike:84-*)
			;;
		6.12:00-* | 6.12:10-* | 6.12:20-* | 6.12:32-* | 6.12:8[5-9]-* | 6.12:9[0-9]-*)
			;;
		debug:0[0-9]-* | debug:[1-6][0-9]-*)
			;;
		*)
			continue ;;
		esac
		printf '%s ' "$name"
	done
}

# Queues the selftests of every kernel of CHECK_KERNELS and the KUnit
# suites: the debug kernel's selftests first (the longest stage), then the
# other kernels, 6.1's second half (7x, 84) and KUnit; the lanes take the
# next stage as they free up (run_lanes).
vm_stages() {
	local k peer split='' kunit=''
	local -a order=()
	if [ -n "${CHECK_SKIP_VM:-}" ]; then
		echo "== vm: skipped (CHECK_SKIP_VM set)"
		return
	fi
	[ -n "${CHECK_SKIP_KUNIT:-}" ] || kunit=1
	[ -z "${CHECK_FULL:-}" ] && [ -z "${CHECK_TESTS:-}" ] && split=1
	for k in $CHECK_KERNELS; do
		if [ "$k" = debug ]; then
			order=(debug "${order[@]}")
		else
			order+=("$k")
		fi
	done
	if [ -n "$split" ] && [[ " ${order[*]} " == *" 6.1 "* ]]; then
		order+=(6.1-ike)
	fi
	for k in "${order[@]}"; do
		peer=$PEER_ALGOS_OTHER
		[ -n "${CHECK_FULL:-}" ] && peer=	# 05's own default
		# selftest 54's netlink stress: 30 s, 10 minutes in check-full
		# shellcheck disable=SC2046 # tests_for: words
		vm_stage "vm-$k" env L2TPSEC_ALGOS="$(algos_for "${k%-ike}")" \
			L2TPSEC_PEER_ALGOS="$peer" \
			L2TPSEC_STRESS_SECS="${CHECK_FULL:+600}" \
			"$REPO/tools/vm/run-selftests.sh" --log-dir "$LOG_DIR/vm-$k" \
			--kernel "${k%-ike}" $(tests_for "$k")
	done
	if [ -n "$kunit" ]; then
		vm_stage kunit "$REPO/tools/vm/run-kunit.sh" --log-dir "$LOG_DIR/kunit"
	fi
	run_lanes
}

main() {
	local start t
	start=$(date +%s)
	rm -rf "$LOG_DIR"
	mkdir -p "$LOG_DIR"
	native_units
	uapi_spec
	lint
	install_check
	deb_check
	dkms
	vm_stages
	echo "== logs: $LOG_DIR"
	echo "== durations:"
	for t in "${TIMES[@]}"; do
		echo "   $t"
	done
	echo "   total      $(($(date +%s) - start))s"
	[ "$SKIPPED" -gt 0 ] && echo "$SKIPPED skipped"
	echo "$PASSED passed, $FAILED failed"
	if [ "$FAILED" -gt 0 ]; then
		exit 1
	fi
	if [ "$PASSED" -eq 0 ]; then
		echo "check: no test ran" >&2
		exit 1
	fi
}

main "$@"
