#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench-ike.sh: IKEv1 responder figures. Prints figures; it is not a
# test.
#
#   tools/bench-ike.sh [--time S] [--concurrency N] [--keep N] [--native]
#
# Default: one VM run (tools/vm/run.sh, l2tpsec.ko loaded), l2tpsecd
# against strongSwan's charon. For each DH group (modp2048, ecp256), PSK,
# aes128-sha1: full Main Mode + Quick Mode exchanges per second, the
# responder pinned to CPU 0 and the load generator (user/build/ike-bench,
# l2tpsecd's own IKE code as initiator) to CPU 1; the responder's SAs go
# into the module (l2tpsecd) or into xfrm (charon), each exchange ends
# with DELETEs; also exchanges per second of responder CPU time ("one
# core"). Then the memory of an established ISAKMP SA: the responder's
# resident size before and after --keep ISAKMP SAs.
#
# Under QEMU's software emulation absolute numbers mean little: compare
# the two responders, in the same run.
#
# --native: no VM, no module, no strongSwan (this host's kernel may lack
# ESP, which charon needs): l2tpsecd's IKE code alone as the responder
# (ike-bench --respond: the same library, ESP SAs kept in memory only)
# against the same load generator, in two network namespaces on the real
# CPU. The figures of l2tpsecd's IKE on real hardware, without the
# comparison.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TIME=20
CONC=16
KEEP=300
MODE=vm

while [ $# -gt 0 ]; do
	case $1 in
	--time) TIME=$2; shift ;;
	--concurrency) CONC=$2; shift ;;
	--keep) KEEP=$2; shift ;;
	--native) MODE=native ;;
	--guest) MODE=guest ;;
	*) echo "usage: $0 [--time S] [--concurrency N] [--keep N] [--native]" >&2; exit 2 ;;
	esac
	shift
done

if [ "$MODE" = vm ]; then
	make -C "$TOP/user" build/ike-bench l2tpsecd >/dev/null
	[ -f "$TOP/l2tpsec.ko" ] || make -C "$TOP" module >/dev/null
	exec "$TOP/tools/vm/run.sh" --kernel 6.1 --module "$TOP/l2tpsec.ko" \
		--timeout 1800 -- \
		"$TOP/tools/bench-ike.sh" --guest --time "$TIME" \
		--concurrency "$CONC" --keep "$KEEP"
fi
if [ "$MODE" = native ]; then
	make -C "$TOP/user" build/ike-bench >/dev/null
	[ "$(id -u)" = 0 ] || { echo "bench-ike: --native needs root (network namespaces)" >&2; exit 2; }
fi

# ---- in the guest, or natively -----------------------------------------------
# lib.sh is written for plain bash (selftests), not for set -e.
set +euo pipefail
cd "$TOP"
# shellcheck source=../selftests/lib.sh
. selftests/lib.sh
# shellcheck source=../selftests/ike-lib.sh
. selftests/ike-lib.sh
BENCH=$TOP/user/build/ike-bench
R=$(ns_name r)
I=$(ns_name i)
RO=10.79.0.1
IO=10.79.0.2
PSK="bench psk"
setup_netns "$R" "$I"
veth_pair "$R" vR "$RO/24" "$I" vI "$IO/24"
hz=$(getconf CLK_TCK)
ncpu=$(nproc)
RCPU=0
GCPU=$((ncpu > 1 ? 1 : 0))

cpu_ticks() {	# utime + stime of PID and its threads, in clock ticks
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

# run_bench NAME PID GROUP LOG: one measurement against the responder PID;
# with no exchange at all, the end of the responder's LOG says why.
run_bench() {
	local name=$1 pid=$2 group=$3 log=$4 t0 t1 out ex secs rate fails
	t0=$(cpu_ticks "$pid")
	out=$(ip netns exec "$I" taskset -c "$GCPU" "$BENCH" --local "$IO" \
		--target "$RO" --psk "$PSK" --proposal "aes128-sha1-$group" \
		--esp aes128-sha1 --concurrency "$CONC" --time "$TIME")
	t1=$(cpu_ticks "$pid")
	read -r _ ex _ secs _ rate _ fails <<<"$out"
	awk -v n="$name" -v g="$group" -v ex="$ex" -v s="$secs" -v r="$rate" \
	    -v c="$(( t1 - t0 ))" -v hz="$hz" -v f="$fails" 'BEGIN {
		cpu = c / hz
		printf "%-10s %-9s %6d exchanges in %5.1f s: %7.1f/s wall, responder CPU %5.1f s: %7.1f/s per core (%s failures)\n",
			n, g, ex, s, r + 0, cpu, (cpu > 0 ? ex / cpu : 0), f
	}'
	if [ "${ex:-0}" = 0 ] && [ -n "$log" ]; then
		echo "# no exchange completed; the responder's log ends with:"
		tail -n 15 "$log" | sed 's/^/#   /'
	fi
}

# memory NAME PID: RSS before and after --keep established ISAKMP SAs.
memory() {
	local name=$1 pid=$2 before after n kp
	before=$(rss_kb "$pid")
	ip netns exec "$I" taskset -c "$GCPU" "$BENCH" --local "$IO" \
		--target "$RO" --psk "$PSK" --proposal aes128-sha1-ecp256 \
		--keep "$KEEP" --concurrency "$CONC" >"$TMPD/keep-$name.out" 2>&1 &
	kp=$!
	wait_for 600 grep -q "^kept" "$TMPD/keep-$name.out"
	sleep 1
	after=$(rss_kb "$pid")
	kill "$kp"
	wait "$kp" 2>/dev/null
	n=$(sed -n 's/^kept //p' "$TMPD/keep-$name.out")
	awk -v nm="$name" -v a="$after" -v b="$before" -v n="${n:-0}" 'BEGIN {
		printf "%-10s memory: %d ISAKMP SAs established: RSS %d -> %d KiB, %.1f KiB per ISAKMP SA\n",
			nm, n, b, a, n ? (a - b) / n : 0 }'
}

# warm_up: exchanges until some complete before measuring. The first SA
# of an algorithm makes the kernel instantiate its crypto templates, which
# under TCG blocks the responder's netlink request for many seconds.
warm_up() {
	local i out ex
	for i in 1 2 3 4 5 6; do
		out=$(ip netns exec "$I" "$BENCH" --local "$IO" --target "$RO" \
			--psk "$PSK" --proposal aes128-sha1-ecp256 \
			--concurrency 2 --time 10)
		read -r _ ex _ <<<"$out"
		[ "${ex:-0}" -ge 5 ] && break
	done
	sleep 4	# its last half-open SAs time out on neither side: let them go
}

echo "== IKEv1 Main Mode + Quick Mode, PSK, aes128-sha1, $CONC in flight, $TIME s each"
if [ "$MODE" = native ]; then
	echo "== natively on $(nproc) CPU(s) ($(uname -r)), no module: l2tpsecd's IKE code (ike-bench --respond) on CPU $RCPU, load generator on CPU $GCPU"
	bg_start responder ip netns exec "$R" taskset -c "$RCPU" "$BENCH" \
		--respond --local "$RO" --psk "$PSK" \
		--proposal "aes128-sha1-modp2048, aes128-sha1-ecp256" --esp aes128-sha1
	RP=$BG_PID
	bg_ready responder 10 || { cat "$TMPD/responder.err"; exit 1; }
	warm_up
	for g in modp2048 ecp256; do
		run_bench l2tpsec-ike "$RP" "$g" "$TMPD/responder.err"
		sleep 2
	done
	memory l2tpsec-ike "$RP"
	bg_stop "$RP"
	sed -n 's/^responder/# responder totals:/p' "$TMPD/responder.out"
	exit 0
fi

echo "== responder on CPU $RCPU, load generator on CPU $GCPU (QEMU TCG: compare, do not quote)"

# l2tpsecd
conf="[ike]
psk = $PSK
dpd = no
max-half-open = 0
proposals = aes128-sha1-modp2048, aes128-sha1-ecp256
esp = aes128-sha1"
IKE_DAEMON_ARGS=-f ike_daemon_start l2tpsecd "$R" "$conf" >/dev/null || { cat "$TMPD/l2tpsecd.err"; exit 1; }
LPID=$BG_PID
taskset -a -p -c "$RCPU" "$LPID" >/dev/null
warm_up
for g in modp2048 ecp256; do
	run_bench l2tpsecd "$LPID" "$g" "$TMPD/l2tpsecd.err"
	sleep 4
done
memory l2tpsecd "$LPID"
kill -TERM "$LPID"
for i in $(seq 50); do kill -0 "$LPID" 2>/dev/null || break; sleep 0.1; done
wait "$LPID"
rc=$?
if [ "$rc" != 0 ]; then
	echo "l2tpsecd exited with status $rc:" "$(tail -n 5 "$TMPD/l2tpsecd.err")"
fi
ip -n "$R" link del l2tpsec0 2>/dev/null || true

# strongSwan
CH=$TMPD/charon
mkdir -p "$CH"
# strongSwan blocks more than 5 half-open SAs per peer address by default
CHARON_EXTRA="block_threshold = 100000
	init_limit_half_open = 0
	threads = 8" CHARON_TRIES=3 charon_conf "$CH" "config setup
	uniqueids = no
conn bench
	keyexchange = ikev1
	authby = secret
	type = transport
	left = $RO
	leftprotoport = 17/1701
	right = %any
	rightprotoport = 17/1701
	ike = aes128-sha1-modp2048,aes128-sha1-ecp256!
	esp = aes128-sha1!
	dpdaction = none
	auto = add" ": PSK \"$PSK\""
# as quiet as l2tpsecd without -d: no line per packet
sed -i 's/ike = 2/ike = 0\n\t\t\tnet = 0\n\t\t\tenc = 0\n\t\t\tchd = 0\n\t\t\tmgr = 0/; s/cfg = 1/cfg = 0/; s/knl = 1/knl = 0/' \
	"$CH/strongswan.conf"
charon_start charon "$R" "$CH" >/dev/null 2>&1 ||
	wait_for 20 pgrep -x charon >/dev/null
CP=$(pgrep -x charon | head -n 1)
taskset -a -p -c "$RCPU" "$CP" >/dev/null
warm_up
for g in modp2048 ecp256; do
	run_bench strongswan "$CP" "$g" "$CH/charon.log"
	sleep 4	# let the last half-open SAs of the run time out
done
memory strongswan "$CP"
