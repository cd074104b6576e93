#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900 (seconds, for tools/vm/run-selftests.sh: the long run is 600 s)
#
# 54-netlink-stress: random valid and invalid generic-netlink sequences
# from several threads while traffic flows and namespaces come and go
# (issue 10 item 10).
#
# tools/nl-stress.py sends, from 4 threads with a socket each, random peer,
# SA and session create/change/delete/get requests, dumps, DEV_SET (frame
# listener, MSS clamp, adopting a UDP socket the thread then closes, the
# module's own socket), frames and garbage to A's device, whose peer 1
# carries a ping flood to B meanwhile. In a third loop namespaces are
# created with a device, a peer, an SA pair and a session, and deleted
# with all of it. Every request must be answered; afterwards the pair
# still passes traffic, and the kernel log stays clean (on the debug
# kernel: KASAN, lockdep, kmemleak after the run).
#
# L2TPSEC_STRESS_SECS sets the stress time: 30 s by default (make check),
# 600 for make check-full (tools/check.sh sets it).

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip ping

SECS=${L2TPSEC_STRESS_SECS:-30}
A=$(ns_name a)
B=$(ns_name b)
DEV=l2tpsec0
STRESS="$L2TPSEC_ROOT/tools/nl-stress.py"
[ -r "$STRESS" ] || STRESS="$(dirname "$0")/../tools/nl-stress.py"

ktap_plan 5
dmesg_mark

setup_netns "$A" "$B"
veth_pair "$A" vA 10.0.55.1/24 "$B" vB 10.0.55.2/24
algo_keys aes-gcm-128
K12="$KEY_ENC:$KEY_AUTH"
algo_keys aes-gcm-128
K21="$KEY_ENC:$KEY_AUTH"
l2s_side ns="$A" dev=$DEV encap=none laddr=10.0.55.1 raddr=10.0.55.2 \
	peer=1 alg=aes-gcm-128 spi_in=0x5501 keys_in="$K21" \
	spi_out=0x5500 keys_out="$K12" ltid=1 lsid=1 rtid=2 rsid=2 \
	ip=10.99.55.1 peer_ip=10.99.55.2 || bail_out "side A"
l2s_side ns="$B" dev=$DEV encap=none laddr=10.0.55.2 raddr=10.0.55.1 \
	peer=1 alg=aes-gcm-128 spi_in=0x5500 keys_in="$K12" \
	spi_out=0x5501 keys_out="$K21" ltid=2 lsid=2 rtid=1 rsid=1 \
	ip=10.99.55.2 peer_ip=10.99.55.1 || bail_out "side B"
check "pair A-B up (raw ESP, aes-gcm-128)" ping_ok "$A" 10.99.55.2 2

# traffic through peer 1 for the whole run
nsx "$A" ping -q -i 0.01 -w $((SECS + 5)) 10.99.55.2 \
	>"$(tmpdir)/ping.out" 2>&1 &
PING_PID=$!

# namespaces created and deleted with a device, a peer, SAs and a session
CHURN_STOP=$(tmpdir)/churn.stop
churn() {
	local n=0 ns
	while [ ! -e "$CHURN_STOP" ]; do
		n=$((n + 1))
		ns="l2s-stress-$$-$n"
		ip netns add "$ns" || continue
		ip -n "$ns" link set lo up
		ip -n "$ns" link add $DEV type l2tpsec &&
		ip netns exec "$ns" "$L2TPSEC_BIN" peer add $DEV id 1 encap none \
			local 10.0.0.1 remote 10.0.0.2 >/dev/null 2>&1 &&
		l2tpsec_sa_pair_quiet "$ns" &&
		ip netns exec "$ns" "$L2TPSEC_BIN" session add $DEV peer 1 \
			tunnel 1 session 1 peer-tunnel 2 peer-session 2 \
			ipv4 10.0.9.9 >/dev/null 2>&1
		# every other one keeps its device up: the exit path tears it down
		[ $((n % 2)) -eq 0 ] && ip -n "$ns" link set $DEV up
		ip netns del "$ns"
	done
	echo "$n" >"$(tmpdir)/churn.n"
}
l2tpsec_sa_pair_quiet() {
	local -a args
	read -r -a args <<<"$(l2tpsec_sa_args aes-gcm-128 "$(rand_hex 20)" "")" ||
		return 1
	ip netns exec "$1" "$L2TPSEC_BIN" sa add $DEV spi 0x700 dir in peer 1 \
		"${args[@]}" >/dev/null 2>&1 &&
	ip netns exec "$1" "$L2TPSEC_BIN" sa add $DEV spi 0x701 dir out peer 1 \
		"${args[@]}" >/dev/null 2>&1
}
churn &
CHURN_PID=$!

T0=$(date +%s)
nsx "$A" "$PYTHON" "$STRESS" $DEV "$SECS" 4 >"$(tmpdir)/stress.out" 2>&1
rc=$?
touch "$CHURN_STOP"
wait "$CHURN_PID"
diag "$(cat "$(tmpdir)/stress.out")"
if [ $rc -eq 0 ] && grep -q "^requests=[1-9]" "$(tmpdir)/stress.out"; then
	ok "$(grep -o 'requests=[0-9]*' "$(tmpdir)/stress.out") in $(( $(date +%s) - T0 )) s from 4 threads, every one answered"
else
	not_ok "the stress run ends with every request answered" \
		"exit $rc: $(tail -n 3 "$(tmpdir)/stress.out")"
fi
NS_N=$(cat "$(tmpdir)/churn.n" 2>/dev/null)
if [ "${NS_N:-0}" -gt 0 ] && ! ip netns list | grep -q "l2s-stress-$$-"; then
	ok "$NS_N namespaces created and deleted meanwhile, none left"
else
	not_ok "namespaces created and deleted meanwhile, none left" \
		"${NS_N:-0}: $(ip netns list | grep l2s-stress | head -3)"
fi
wait "$PING_PID"
diag "ping during the run: $(grep -E 'transmitted|rtt' "$(tmpdir)/ping.out" | tr '\n' ' ')"
check "pair A-B still passes traffic after the run" ping_ok "$A" 10.99.55.2 2
check "dmesg has no WARNING, BUG or Call Trace" dmesg_clean
ksft_exit
