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
#  - every script runs on every kernel, but the algorithm loops of 10 and
#    20 (26 algorithms x 2 encapsulations, 10-12 minutes each on 6.1 under
#    TCG) are split: each kernel gets a few algorithms, together every
#    cipher, key size and integrity algorithm (ALGOS_* below); 05 checks
#    the peer tool with 3 algorithms on 6.1, 1 elsewhere. `make check-full`
#    (CHECK_FULL=1) runs every algorithm on every kernel.
#  - the QEMU stages run in CHECK_JOBS lanes at once (default 2: the debug
#    kernel's selftests and KUnit in one, 6.1 and 6.12 in the other). A
#    TCG guest keeps about one host CPU busy, so two lanes use both cores.
#    Their logs are printed as each stage ends.
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

# Runs the queued stages in CHECK_JOBS lanes (stage i in lane i mod
# CHECK_JOBS, each lane one stage after the other). A stage's output goes
# to its log, printed whole when it ends; the counting happens here, in
# queue order, once every lane is done.
run_lanes() {
	local jobs=${CHECK_JOBS:-2} i lane rc secs
	local -a pids=()
	[ ${#VM_NAMES[@]} -gt 0 ] || return 0
	if [ "$jobs" -le 1 ]; then
		for i in "${!VM_NAMES[@]}"; do
			eval "run_stage ${VM_NAMES[$i]} ${VM_CMDS[$i]}"
		done
		return 0
	fi
	for ((lane = 0; lane < jobs; lane++)); do
		(
			for i in "${!VM_NAMES[@]}"; do
				[ $((i % jobs)) -eq "$lane" ] || continue
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

# The selftests kernel $1 runs ("" = every selftests/NN-*.sh). The
# daemon's interop scripts test l2tpsecd against strongSwan, xl2tpd, pppd
# and itself; their kernel side (peers, SAs and sessions over netlink,
# L2TP/PPP frames) is what 10, 20, 50 and 84 cover on every kernel. So
# that both stock kernels carry the daemon without lengthening their
# lane, 6.1 runs the IKE scripts (7x) and 6.12 the end-to-end and daemon ones
# (85-90); the debug kernel neither. CHECK_FULL runs all of them
# everywhere.
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
		6.1:8[5-9]-* | 6.12:7[0-9]-* | debug:7[0-9]-* | debug:8[5-9]-*)
			continue ;;
		# the daemon's own scripts (9x, 95 the admin view: status,
		# diagnose, history) go with the end-to-end ones
		6.1:9[0-9]-* | debug:9[0-9]-*)
			continue ;;
		# the RX hardening scripts: the RX path is one code on every
		# kernel; one stock kernel each, KASAN sees it through 30/40
		6.12:31-* | debug:31-* | 6.1:32-* | debug:32-*)
			continue ;;
		# short datagrams on 4500 (the UDP encap receive path, one
		# code everywhere): 6.1 only
		6.12:41-* | debug:41-*)
			continue ;;
		# the socket's lifetime: the debug kernel (refcounts under
		# KASAN and kmemleak) and 6.1; 6.12's lane carries 89/90
		6.12:62-*)
			continue ;;
		esac
		printf '%s ' "$name"
	done
}

# Queues the selftests on every kernel of CHECK_KERNELS and the KUnit
# suites: the debug kernel's selftests first (the longest), then the
# first other kernel, KUnit, the other kernels. With 2 lanes (round robin)
# the debug kernel's selftests and KUnit share one lane, 6.1 and 6.12 the
# other.
vm_stages() {
	local k peer kunit=
	local -a order=()
	if [ -n "${CHECK_SKIP_VM:-}" ]; then
		echo "== vm: skipped (CHECK_SKIP_VM set)"
		return
	fi
	[ -n "${CHECK_SKIP_KUNIT:-}" ] || kunit=1
	for k in $CHECK_KERNELS; do
		if [ "$k" = debug ]; then
			order=(debug "${order[@]}")
		else
			order+=("$k")
		fi
	done
	for k in "${order[@]}"; do
		peer=$PEER_ALGOS_OTHER
		if [ "$k" = 6.1 ] || [ -n "${CHECK_FULL:-}" ]; then
			peer=	# 05's own default
		fi
		# selftest 54's netlink stress: 30 s, 10 minutes in check-full
		# shellcheck disable=SC2046 # tests_for: words
		vm_stage "vm-$k" env L2TPSEC_ALGOS="$(algos_for "$k")" \
			L2TPSEC_PEER_ALGOS="$peer" \
			L2TPSEC_STRESS_SECS="${CHECK_FULL:+600}" \
			"$REPO/tools/vm/run-selftests.sh" --log-dir "$LOG_DIR/vm" --kernel "$k" \
			$(tests_for "$k")
		if [ -n "$kunit" ] && [ ${#VM_NAMES[@]} -eq 2 ]; then
			vm_stage kunit "$REPO/tools/vm/run-kunit.sh" --log-dir "$LOG_DIR/kunit"
			kunit=
		fi
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
