#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/bench.sh (make bench): l2tpsec's data path side by side with
# the stock stack, WireGuard and raw xfrm ESP, in one boot. Prints a table
# of medians, spreads and ratios, writes a JSON file. Not a test.
#
#   tools/bench/bench.sh [--kernel 6.1|6.12] [--smp N] [--mem SIZE]
#                        [--rounds N] [--time S] [--alg NAME]
#                        [--configs "veth l2tpsec-esp ..."]
#                        [--tests "tcp1 tcp4 udp64 udp1400 ping"]
#                        [--json FILE] [--native]
#
# One VM run (tools/vm/run.sh, TCG): every configuration of
# tools/bench/bench-lib.sh is set up at once, each in its own two netns
# joined by a veth, then each round runs every test on every configuration
# in turn (the order rotates each round), so that a slow moment of the
# shared host hits all of them alike. Tests: TCP 1 and 4 streams (iperf3,
# Mbit/s, and guest CPU seconds per GB received from /proc/stat), UDP
# 64- and 1400-byte payloads at an unlimited rate (packets/s received),
# ping RTT (ms). Defaults: 3 rounds of 3 s per test (about 6 minutes of VM
# time for everything), AES-GCM-128.
#
# --native runs the same on this machine instead of a VM (real hardware:
# root, this tree's module built for the running kernel and loaded, the
# same packages installed); see Documentation/benchmark.rst. Under QEMU's
# software emulation only the ratios of one run mean anything.
#
# The JSON file (default build/bench/bench-<date>.json) holds every sample
# and the summary; tools/bench/report.py prints the table again from it.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KERNEL=6.1
SMP=2
MEM=2G
ROUNDS=3
TIME=3
ALG=aes-gcm-128
CONFIGS="veth l2tpsec-esp l2tpsec-udp stock wireguard xfrm"
TESTS="tcp1 tcp4 udp64 udp1400 ping"
JSON=
MODE=vm

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KERNEL=$2; shift ;;
	--smp) SMP=$2; shift ;;
	--mem) MEM=$2; shift ;;
	--rounds) ROUNDS=$2; shift ;;
	--time) TIME=$2; shift ;;
	--alg) ALG=$2; shift ;;
	--configs) CONFIGS=$2; shift ;;
	--tests) TESTS=$2; shift ;;
	--json) JSON=$2; shift ;;
	--native) MODE=native ;;
	--guest) MODE=guest ;;
	*) usage ;;
	esac
	shift
done

guest_args=(--guest --rounds "$ROUNDS" --time "$TIME" --alg "$ALG"
	--configs "$CONFIGS" --tests "$TESTS")

if [ "$MODE" != guest ]; then
	mkdir -p "$TOP/build/bench"
	[ -n "$JSON" ] || JSON=$TOP/build/bench/bench-$(date -u +%Y%m%dT%H%M%SZ).json
	log=${JSON%.json}.log
	make -s -C "$TOP/user" >/dev/null
	if [ "$MODE" = vm ]; then
		ko=$("$TOP/tools/vm/build-module.sh" "$KERNEL" | tail -n 1)
		per_run=$(( ROUNDS * $(wc -w <<<"$CONFIGS") * $(wc -w <<<"$TESTS") * (TIME + 8) + 180 ))
		set +e
		"$TOP/tools/vm/run.sh" --kernel "$KERNEL" --smp "$SMP" --mem "$MEM" \
			--module "$ko" --timeout "$per_run" -- \
			"$TOP/tools/bench/bench.sh" "${guest_args[@]}" | tee "$log"
		rc=${PIPESTATUS[0]}
		set -e
	else
		[ "$(id -u)" -eq 0 ] || { echo "bench: --native needs root" >&2; exit 1; }
		if ! grep -q '^l2tpsec ' /proc/modules; then
			make -s -C "$TOP" module
			for dep in $(modinfo -F depends "$TOP/l2tpsec.ko" | tr , ' '); do
				modprobe "$dep"
			done
			insmod "$TOP/l2tpsec.ko"
		fi
		set +e
		L2TPSEC_VM_KVER=$(uname -r) "$TOP/tools/bench/bench.sh" \
			"${guest_args[@]}" | tee "$log"
		rc=${PIPESTATUS[0]}
		set -e
	fi
	info="kernel=$KERNEL smp=$SMP mode=$MODE alg=$ALG rounds=$ROUNDS time=$TIME"
	[ "$MODE" = native ] && info="kernel=$(uname -r) cpus=$(nproc) mode=native alg=$ALG rounds=$ROUNDS time=$TIME"
	"$TOP/tools/bench/report.py" --info "$info" --json "$JSON" "$log" || rc=1
	echo "bench: samples and summary in $JSON"
	exit "$rc"
fi

# ---- in the guest (or on the host with --native) ------------------------------

cd "$TOP"
# selftests/lib.sh (its EXIT trap removes the netns and processes) is
# written for scripts without errexit and nounset
set +euo pipefail
# shellcheck source=../../selftests/lib.sh
. "$TOP/selftests/lib.sh"
# shellcheck source=../../selftests/l2tp-lib.sh
. "$TOP/selftests/l2tp-lib.sh"
# shellcheck source=bench-lib.sh
. "$TOP/tools/bench/bench-lib.sh"
# shellcheck disable=SC2034 # read by bench-lib.sh
BENCH_ALG=$ALG

[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "bench: no iperf3" >&2; exit 1; }

read -ra confs <<<"$CONFIGS"
read -ra tests <<<"$TESTS"
ok_confs=()
k=0
for c in "${confs[@]}"; do
	k=$((k + 1))
	# pppd's MTU: what l2tpsec derived for the same algorithm
	if [ "$c" = stock ] && [ -n "${BENCH_A[l2tpsec-esp]:-}" ]; then
		# shellcheck disable=SC2034 # read by bench_stock
		BENCH_PPP_MTU=$(ip -n "${BENCH_A[l2tpsec-esp]}" -o link show l2tpsec0 |
			sed -n 's/.* mtu \([0-9]*\).*/\1/p')
	fi
	if bench_setup "$c" "$k"; then
		ok_confs+=("$c")
		echo "# bench: $c set up (to ${BENCH_DST[$c]})"
	else
		echo "BENCH-ERROR {\"config\": \"$c\", \"error\": \"set-up failed\"}"
	fi
done
echo "# bench: $(nproc) CPUs, kernel $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"

n=${#ok_confs[@]}
for r in $(seq 1 "$ROUNDS"); do
	for t in "${tests[@]}"; do
		for i in $(seq 0 $((n - 1))); do
			c=${ok_confs[$(((i + r - 1) % n))]}
			if res=$(bench_run "$c" "$t" "$TIME") && [ -n "$res" ]; then
				read -r val unit cpu <<<"$res"
				echo "BENCH {\"round\": $r, \"config\": \"$c\", \"test\": \"$t\", \"value\": $val, \"unit\": \"$unit\", \"cpu_s_per_gb\": $([ "$cpu" = - ] && echo null || echo "$cpu")}"
			else
				echo "BENCH-ERROR {\"round\": $r, \"config\": \"$c\", \"test\": \"$t\", \"error\": \"$(echo "$res" | tr -d '"\\' | head -c 200)\"}"
			fi
		done
	done
done
exit 0
