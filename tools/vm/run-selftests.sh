#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/run-selftests.sh [options] [TEST...]
#
# Runs the kselftest-style scripts selftests/[0-9]*.sh (or the TESTs named: a
# path, or a name like 00-vm-smoke) in ONE VM boot per kernel, with
# l2tpsec.ko loaded, and prints a single TAP stream: one `ok`/`not ok` line
# per script (its own output as `# ` comments, its duration as `# Ns`), then
# per kernel: a line for unloading the module after the last script, one
# for kmemleak (a scan after the unload; SKIP on kernels without kmemleak)
# and one for the kernel log (a WARNING/BUG/KASAN/lockdep/kmemleak splat
# fails it, naming the script that was running).
#
# The module is built for each kernel first, in build/<kver>/
# (tools/vm/build-module.sh: the top-level l2tpsec.ko is not used or
# touched), unless --module names one.
#
# Options:
#   --kernel K              kernel(s) to boot, repeatable (default 6.1):
#                           6.1, 6.12 (Debian's stock kernels), debug (the
#                           KASAN/lockdep/kmemleak 6.12 kernel of
#                           build-debug-kernel.sh), or PATH (a bzImage;
#                           needs --modules, and --module or a ./l2tpsec.ko
#                           built for it)
#   --modules DIR           modules tree of a --kernel PATH
#   --module KO|none        module to insmod instead of building one
#   --test-timeout S        per test (default 300; a test can raise its own
#                           with a line `# timeout=S` in its first 20 lines)
#   --timeout-scale N       multiply every test's timeout by N (default 1,
#                           3 on the debug kernel, which runs several times
#                           slower under TCG)
#   --log-dir DIR           keep each kernel's console, dmesg and output in DIR
#
# Each test runs as `bash TEST` from the repository's top directory (read-only
# in the VM: write under /tmp), with L2TPSEC_ROOT (that directory),
# L2TPSEC_VM=1, L2TPSEC_VM_KVER and L2TPSEC_VM_MODULE (the .ko loaded, or
# empty) in its environment, and the host's L2TPSEC_ALGOS,
# L2TPSEC_PEER_ALGOS, L2TPSEC_ENCAPS, L2TPSEC_STRESS_SECS and VERBOSE when
# they are set
# (selftests/README.md).
# Test exit status: 0 pass, 4 skip (KSFT_SKIP), anything else fail.
# Exit status: 0 when every line is ok, 1 otherwise, 2 on a usage or build
# error.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
# extended regex of kernel log lines that fail a run (one line)
SPLAT_RE=$(cat "$VM_DIR/splat-regex")

KERNELS=()
MODULES_DIR=
MODULE_ARG=
TEST_TIMEOUT=300
TIMEOUT_SCALE=
LOG_DIR=
TESTS=()

die() { echo "run-selftests: $*" >&2; exit 2; }

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--kernel) KERNELS+=("${2:?--kernel needs 6.1, 6.12, debug or a path}"); shift ;;
		--modules) MODULES_DIR=${2:?}; shift ;;
		--module) MODULE_ARG=${2:?--module needs a .ko path or none}; shift ;;
		--test-timeout) TEST_TIMEOUT=${2:?}; shift ;;
		--timeout-scale) TIMEOUT_SCALE=${2:?}; shift ;;
		--log-dir) LOG_DIR=${2:?}; shift ;;
		-h|--help) usage ;;
		-*) echo "run-selftests: unknown option $1" >&2; usage ;;
		*) TESTS+=("$1") ;;
		esac
		shift
	done
	[ ${#KERNELS[@]} -gt 0 ] || KERNELS=(6.1)
	case $TIMEOUT_SCALE in
	''|[1-9]|[1-9][0-9]) ;;
	*) die "--timeout-scale: a whole number from 1 to 99" ;;
	esac
}

# Fills TESTS with absolute paths of the scripts to run.
resolve_tests() {
	local t p resolved=()
	if [ ${#TESTS[@]} -eq 0 ]; then
		for p in "$REPO"/selftests/[0-9]*.sh; do
			[ -f "$p" ] && resolved+=("$p")
		done
	else
		for t in "${TESTS[@]}"; do
			if [ -f "$t" ]; then
				p=$(realpath "$t")
			elif [ -f "$REPO/selftests/$t" ]; then
				p=$REPO/selftests/$t
			elif [ -f "$REPO/selftests/$t.sh" ]; then
				p=$REPO/selftests/$t.sh
			else
				die "no test '$t' (give a path or a name from selftests/)"
			fi
			resolved+=("$p")
		done
	fi
	[ ${#resolved[@]} -gt 0 ] || die "no tests found in $REPO/selftests"
	TESTS=("${resolved[@]}")
}

# test_timeout TEST SCALE
test_timeout() {
	local t
	t=$(head -n 20 "$1" | sed -n 's/^# *timeout=\([0-9][0-9]*\).*/\1/p' | head -n1)
	echo $(( ${t:-$TEST_TIMEOUT} * $2 ))
}

# The debug kernel's KEY=value lines (KDIR BZIMAGE MODULES KVER).
DEBUG_ENV=
debug_env() {
	if [ -z "$DEBUG_ENV" ]; then
		# quiet when cached; its messages when it builds or fails
		DEBUG_ENV=$("$VM_DIR/build-debug-kernel.sh" --print 2>/dev/null) ||
			DEBUG_ENV=$("$VM_DIR/build-debug-kernel.sh") ||
			die "tools/vm/build-debug-kernel.sh failed"
	fi
	sed -n "s/^$1=//p" <<<"$DEBUG_ENV"
}

# kernel release of a --kernel argument
kernel_release() {
	case $1 in
	6.1|6.12) cat "$("$VM_DIR/fetch-kernel.sh" "$1" 2>/dev/null)/kver" ;;
	debug) debug_env KVER ;;
	*) basename "$(realpath "${MODULES_DIR:-.}")" ;;
	esac
}

# Module for kernel $1 (release $2): prints a path or nothing; builds it
# in build/<kver>/ for the kernels we know the build tree of.
pick_module() {
	local kernel=$1 kver=$2 m
	case $MODULE_ARG in
	none) return 0 ;;
	?*) echo "$MODULE_ARG"; return 0 ;;
	esac
	case $kernel in
	6.1|6.12|debug)
		"$REPO/tools/vm/build-module.sh" "$kernel" ||
			die "cannot build l2tpsec.ko for $kernel (see above)"
		return 0
		;;
	esac
	m=$REPO/l2tpsec.ko
	if [ -f "$m" ] && [ "$(modinfo -F vermagic "$m" 2>/dev/null | cut -d' ' -f1)" = "$kver" ]; then
		echo "$m"
	fi
}

# The script the guest runs: every test in sequence, TAP lines out.
# Its arguments: the first TAP number, then "timeout path" pairs.
guest_script() {
	cat <<'GUEST'
#!/bin/bash
n=$1; shift
export L2TPSEC_ROOT
while [ $# -gt 0 ]; do
	to=$1 t=$2; shift 2
	name=${t##*/}; name=${name%.sh}
	echo "l2tpsec-selftest: start $name" >/dev/kmsg
	echo "# selftests: $name (timeout ${to}s)"
	start=$(date +%s)
	( cd "$L2TPSEC_ROOT" && exec timeout -k 10 "$to" bash "$t" ) </dev/null 2>&1 |
		sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	echo "l2tpsec-selftest: end $name rc=$rc" >/dev/kmsg
	case $rc in
	0) echo "ok $n $L2TPSEC_TAP_PREFIX$name # ${secs}s" ;;
	4) echo "ok $n $L2TPSEC_TAP_PREFIX$name # SKIP" ;;
	124|137) echo "not ok $n $L2TPSEC_TAP_PREFIX$name # TIMEOUT ${to}s" ;;
	*) echo "not ok $n $L2TPSEC_TAP_PREFIX$name # exit=$rc" ;;
	esac
	n=$((n + 1))
done

# After the last script: unload the module (every teardown path, with
# whatever the scripts left behind), then let kmemleak look. Objects must
# stay unreferenced for 5 s, and a first scan only checksums new objects:
# two scans. The first pair runs while the module is still loaded, so
# that the backtraces of what it leaked so far name its functions.
K=/sys/kernel/debug/kmemleak
kmemleak_scan() {
	echo scan >"$K"
	echo scan >"$K"
	cat "$K"
}
leaks_loaded=
if [ -w "$K" ] && [ -d /sys/module/l2tpsec ]; then
	echo "l2tpsec-selftest: start kmemleak-before-rmmod" >/dev/kmsg
	sleep 6
	leaks_loaded=$(kmemleak_scan)
fi
echo "l2tpsec-selftest: start rmmod" >/dev/kmsg
if [ -d /sys/module/l2tpsec ]; then
	if out=$(timeout -k 10 120 rmmod l2tpsec 2>&1); then
		echo "ok $n ${L2TPSEC_TAP_PREFIX}rmmod l2tpsec after the last script"
	else
		echo "not ok $n ${L2TPSEC_TAP_PREFIX}rmmod l2tpsec after the last script"
		echo "# $out"
		echo "# refcnt $(cat /sys/module/l2tpsec/refcnt 2>/dev/null)"
	fi
elif [ -n "$L2TPSEC_VM_MODULE" ]; then
	echo "not ok $n ${L2TPSEC_TAP_PREFIX}rmmod l2tpsec after the last script # not loaded: a script left it unloaded"
else
	echo "ok $n ${L2TPSEC_TAP_PREFIX}rmmod l2tpsec after the last script # SKIP no module"
fi
n=$((n + 1))
if [ -w "$K" ]; then
	echo "l2tpsec-selftest: start kmemleak" >/dev/kmsg
	sleep 6
	leaks=$(kmemleak_scan)
	if [ -z "$leaks" ]; then
		echo "ok $n ${L2TPSEC_TAP_PREFIX}kmemleak: no leak after the scripts and rmmod"
	else
		echo "not ok $n ${L2TPSEC_TAP_PREFIX}kmemleak: $(grep -c '^unreferenced object' <<<"$leaks") suspected leak(s)"
		# the listing with the module loaded, then what the unload
		# added (the same objects are listed again, unsymbolised)
		{
			printf '%s\n' "$leaks_loaded"
			awk -v seen="$(grep '^unreferenced object' <<<"$leaks_loaded")" '
				/^unreferenced object/ { show = index(seen, $0) == 0 }
				show' <<<"$leaks"
		} | sed '/^$/d' | head -n 300 | sed 's/^/# /'
	fi
else
	echo "ok $n ${L2TPSEC_TAP_PREFIX}kmemleak # SKIP no kmemleak in this kernel"
fi
echo "l2tpsec-selftest: end" >/dev/kmsg
GUEST
}

# "NAME=value" words (POSIX-quoted) for the host variables a test reads.
forward_env() {
	local v
	for v in L2TPSEC_ALGOS L2TPSEC_PEER_ALGOS L2TPSEC_ENCAPS VERBOSE \
		 L2TP_LOAD_SESSIONS L2TP_LOAD_TIMEOUT L2TP_LOAD_DEBUG \
		 L2TPSEC_STRESS_SECS; do
		[ -n "${!v:-}" ] && printf ' %s=%s' "$v" "$(sq "${!v}")"
	done
	return 0
}

TOTAL_FAIL=0
N=0
RES_DIRS=()
cleanup() {
	local d
	for d in "${RES_DIRS[@]}"; do
		rm -rf "$d"
	done
}

# POSIX shell single quoting
sq() {
	local s=$1
	printf "'%s'" "${s//\'/\'\\\'\'}"
}

# Runs every test on kernel $1; prints TAP lines numbered from N+1.
run_kernel() {
	local kernel=$1 kver module prefix res script t to budget=300 rc=0 scale
	local -a pairs=() args=()
	kver=$(kernel_release "$kernel") || kver=unknown
	module=$(pick_module "$kernel" "$kver") || exit 2
	if [ -z "$module" ] && [ "$MODULE_ARG" != none ]; then
		echo "# WARNING: no l2tpsec.ko built for $kver (make; or KDIR=... for another kernel): tests run without the module"
	fi
	prefix=
	[ ${#KERNELS[@]} -gt 1 ] && prefix="[$kernel] "
	scale=${TIMEOUT_SCALE:-1}
	[ "$kernel" = debug ] && scale=${TIMEOUT_SCALE:-3}
	for t in "${TESTS[@]}"; do
		to=$(test_timeout "$t" "$scale")
		pairs+=("$to" "$t")
		budget=$((budget + to + 15))
	done
	res=$(mktemp -d /tmp/l2tpsec-selftests.XXXXXX)
	RES_DIRS+=("$res")
	script=$res/guest.sh
	guest_script >"$script"
	args=(--timeout "$budget" --allow-splat --keep-results "$res/vm")
	if [ "$kernel" = debug ]; then
		args+=(--kernel "$(debug_env BZIMAGE)" --modules "$(debug_env MODULES)")
	else
		args+=(--kernel "$kernel")
		[ -n "$MODULES_DIR" ] && args+=(--modules "$MODULES_DIR")
	fi
	[ -n "$module" ] && args+=(--module "$module")
	for t in "${TESTS[@]}"; do
		args+=(--share "$(dirname "$t")")
	done
	echo "# kernel $kernel ($kver), module ${module:-none}, ${#TESTS[@]} test(s), timeouts x$scale"
	[ -n "${L2TPSEC_ALGOS:-}" ] && echo "# L2TPSEC_ALGOS=$L2TPSEC_ALGOS"
	[ -n "${L2TPSEC_ENCAPS:-}" ] && echo "# L2TPSEC_ENCAPS=$L2TPSEC_ENCAPS"

	# The guest script is passed inline: the host's /tmp is not the guest's.
	local cmd first=$((N + 1)) line
	# (run.sh runs it with /bin/sh: POSIX quoting only.)
	cmd="L2TPSEC_ROOT=$(sq "$REPO") L2TPSEC_TAP_PREFIX=$(sq "$prefix")$(forward_env) bash -c $(sq "$(cat "$script")") guest $first"
	for t in "${pairs[@]}"; do
		cmd+=" $(sq "$t")"
	done
	local -A seen=()
	rc=125
	while IFS= read -r line; do
		case $line in
		"@@l2tpsec-run-rc="*) rc=${line#*=}; continue ;;
		"ok "*|"not ok "*|"#"*) printf '%s\n' "$line" ;;
		*) printf '# %s\n' "$line" ;;	# the VM's own messages
		esac
		case $line in
		"ok "[0-9]*) seen[$(echo "$line" | awk '{print $2}')]=ok ;;
		"not ok "[0-9]*) seen[$(echo "$line" | awk '{print $3}')]=fail ;;
		esac
	done < <(
		rc=0
		"$VM_DIR/run.sh" "${args[@]}" -- "$cmd" 2>"$res/run.err" || rc=$?
		echo "@@l2tpsec-run-rc=$rc"
	)

	# Lines the VM did not get to (timeout, crash, failed insmod).
	local i why
	local -a names=()
	for t in "${TESTS[@]}"; do
		t=${t##*/}
		names+=("${t%.sh}")
	done
	names+=("rmmod l2tpsec after the last script" "kmemleak")
	why="VM exit $rc"
	[ "$rc" = 124 ] && why="VM timeout after ${budget}s"
	[ "$rc" = 125 ] && why="VM failed (boot or insmod)"
	for ((i = 0; i < ${#names[@]}; i++)); do
		N=$((N + 1))
		case ${seen[$N]:-} in
		ok) ;;
		fail) TOTAL_FAIL=$((TOTAL_FAIL + 1)) ;;
		*)
			echo "not ok $N $prefix${names[$i]} # $why"
			TOTAL_FAIL=$((TOTAL_FAIL + 1))
			;;
		esac
	done
	# wall and CPU time of the VM (run.sh's last line)
	grep -h 'VM ran' "$res/run.err" | sed 's/^/# /' || true
	if [ "${#seen[@]}" -lt "${#names[@]}" ] || [ "$rc" -ge 124 ]; then
		sed 's/^/# run.sh: /' "$res/run.err"
		[ -s "$res/vm/console.log" ] && tail -n 40 "$res/vm/console.log" | sed 's/^/# console: /'
	fi

	# The kernel log: one TAP line per kernel.
	N=$((N + 1))
	local dmesg=$res/vm/dmesg
	if [ ! -s "$dmesg" ]; then
		dmesg=$res/vm/console.log
	fi
	if [ -s "$dmesg" ] && grep -Eq "$SPLAT_RE" "$dmesg"; then
		local culprit first
		culprit=$(awk -v re="$SPLAT_RE" '
			/l2tpsec-selftest: start / { t = $NF }
			$0 ~ re { print (t == "" ? "boot or insmod" : t); exit }' "$dmesg")
		first=$(grep -Enm1 "$SPLAT_RE" "$dmesg" | cut -d: -f1)
		echo "not ok $N ${prefix}kernel log: splat during $culprit"
		# the splat and what follows it (the whole log is in --log-dir)
		tail -n +"$((first > 5 ? first - 5 : 1))" "$dmesg" | head -n 80 | sed 's/^/# /'
		TOTAL_FAIL=$((TOTAL_FAIL + 1))
	elif [ -s "$dmesg" ]; then
		echo "ok $N ${prefix}kernel log: no WARNING/BUG/KASAN/lockdep splat"
	else
		echo "not ok $N ${prefix}kernel log: none (the VM did not finish)"
		TOTAL_FAIL=$((TOTAL_FAIL + 1))
	fi
	if [ -n "$LOG_DIR" ]; then
		rm -f "$res/vm/out.fifo"
		cp -a "$res/vm/." "$LOG_DIR/$kver/" 2>/dev/null || true
	fi
	rm -rf "$res"
}

main() {
	trap cleanup EXIT
	parse_args "$@"
	resolve_tests
	if [ -n "$LOG_DIR" ]; then
		mkdir -p "$LOG_DIR"
	fi
	local k
	echo "TAP version 13"
	echo "1..$(((${#TESTS[@]} + 3) * ${#KERNELS[@]}))"
	for k in "${KERNELS[@]}"; do
		[ -n "$LOG_DIR" ] && mkdir -p "$LOG_DIR/$(kernel_release "$k" || echo "$k")"
		run_kernel "$k"
	done
	if [ "$TOTAL_FAIL" -gt 0 ]; then
		echo "# $TOTAL_FAIL failed"
		exit 1
	fi
	exit 0
}

main "$@"
