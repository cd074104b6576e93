#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/check.sh: what `make check` runs (after `make all`).
#   1. the native userspace units: make -C user check (cmocka / TAP)
#   2. the module's selftests in QEMU: tools/vm/run-selftests.sh --kernel 6.1
#   3. the KUnit suites in the debug kernel: tools/vm/run-kunit.sh
# Counts the results of both (TAP `ok`/`not ok` lines; cmocka
# `[  PASSED  ] N test(s).` / `[  FAILED  ] N test(s)` lines), keeps the logs
# in build/check-logs/ and ends with the line `N passed, N failed`.
# Exits non-zero when anything failed or nothing ran.
#
# Environment: CHECK_KERNELS (default "6.1"), e.g. "6.1 6.12";
#              CHECK_SKIP_VM=1 to run the native units only.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_DIR=$REPO/build/check-logs
CHECK_KERNELS=${CHECK_KERNELS:-6.1}

PASSED=0
FAILED=0
SKIPPED=0

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

# Runs "$@" with its output shown and kept in $LOG_DIR/$name.log; when it
# exits non-zero without a failure being counted in its log, counts one.
run_stage() {
	local name=$1 log rc=0 before
	shift
	log=$LOG_DIR/$name.log
	echo "== $name: $*"
	"$@" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	before=$FAILED
	count_results "$log"
	if [ "$rc" -ne 0 ] && [ "$FAILED" -eq "$before" ]; then
		echo "check: $name exited $rc with no failing test in its output: counted as one failure"
		FAILED=$((FAILED + 1))
	fi
	echo "== $name: exit $rc"
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

vm_selftests() {
	local k args=()
	if [ -n "${CHECK_SKIP_VM:-}" ]; then
		echo "== vm: skipped (CHECK_SKIP_VM set)"
		return
	fi
	for k in $CHECK_KERNELS; do
		args+=(--kernel "$k")
	done
	run_stage vm "$REPO/tools/vm/run-selftests.sh" --log-dir "$LOG_DIR/vm" "${args[@]}"
}

# KUnit suites in the debug kernel (KASAN, lockdep, kmemleak): built once
# per machine and cached, see tools/vm/build-debug-kernel.sh.
vm_kunit() {
	if [ -n "${CHECK_SKIP_VM:-}" ] || [ -n "${CHECK_SKIP_KUNIT:-}" ]; then
		echo "== kunit: skipped"
		return
	fi
	run_stage kunit "$REPO/tools/vm/run-kunit.sh" --log-dir "$LOG_DIR/kunit"
}

main() {
	rm -rf "$LOG_DIR"
	mkdir -p "$LOG_DIR"
	native_units
	uapi_spec
	vm_selftests
	vm_kunit
	echo "== logs: $LOG_DIR"
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
