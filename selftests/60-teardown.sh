#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=1200 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 60-teardown: things disappear under load and nothing breaks.
#
#  1. pair A-B (ESP-in-UDP, aes-gcm-128) with ping -f and iperf3 running:
#     `ip netns del B` (and its last process killed), then A's device is
#     deleted while ping -f still sends into it; the adopted UDP socket is
#     released.
#  2. pair C-D (raw ESP, aes-cbc-128-sha1-96) with ping -f both ways:
#     `rmmod l2tpsec` succeeds, the devices are gone; insmod again (module:
#     $L2TPSEC_MODULE, set by the VM runner, else $TOP/l2tpsec.ko) and a new
#     pair works.
#  3. 50 x insmod/rmmod, every 5th time with a device, peer, SAs, a session
#     and an attached socket in a netns at rmmod time.
#  4. The module is loaded at the end (later tests need it); dmesg has no
#     WARNING, BUG or Call Trace.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip ping awk od ss

A=$(ns_name a)
B=$(ns_name b)
C=$(ns_name c)
D=$(ns_name d)
DEV=l2tpsec0

ktap_plan 13
dmesg_mark

CAN_RELOAD=1
RELOAD_WHY=""
if [ ! -f "$L2TPSEC_MODULE" ]; then
	CAN_RELOAD=0
	RELOAD_WHY="module file $L2TPSEC_MODULE not found (set L2TPSEC_MODULE)"
elif command -v modinfo >/dev/null &&
     ! modinfo -F vermagic "$L2TPSEC_MODULE" 2>/dev/null | grep -q "^$(uname -r) "; then
	CAN_RELOAD=0
	RELOAD_WHY="$L2TPSEC_MODULE is not built for $(uname -r)"
fi

# pair NS1 NS2 OUTER_NET(10.0.N) INNER_NET(10.99.N) ENCAP ALG SPI_BASE
pair() {
	local n1=$1 n2=$2 o=$3 i=$4 encap=$5 alg=$6 s=$7 k12 k21
	algo_keys "$alg"
	k12="$KEY_ENC:$KEY_AUTH"
	algo_keys "$alg"
	k21="$KEY_ENC:$KEY_AUTH"
	setup_netns "$n1" "$n2"
	veth_pair "$n1" "v1" "$o.1/24" "$n2" "v2" "$o.2/24" || return 1
	l2s_side ns="$n1" dev=$DEV encap="$encap" laddr="$o.1" raddr="$o.2" \
		peer=1 alg="$alg" spi_in=$((s + 1)) keys_in="$k21" \
		spi_out="$s" keys_out="$k12" ltid=1 lsid=1 rtid=2 rsid=2 \
		ip="$i.1" peer_ip="$i.2" || return 1
	l2s_side ns="$n2" dev=$DEV encap="$encap" laddr="$o.2" raddr="$o.1" \
		peer=1 alg="$alg" spi_in="$s" keys_in="$k12" \
		spi_out=$((s + 1)) keys_out="$k21" ltid=2 lsid=2 rtid=1 rsid=1 \
		ip="$i.2" peer_ip="$i.1" || return 1
	ping_ok "$n1" "$i.2" 2
}

# sa_tx NS SPI: packets sent on an outbound SA
sa_tx() {
	json_query "$1" $DEV "sa($2, 'out')['stats']['tx_packets']"
}

traffic_running() {
	local v
	v=$(sa_tx "$1" "$2")
	[ "${v:-0}" -gt "$3" ] 2>/dev/null
}

# ---- 1. netns deletion under traffic -----------------------------------------
check "pair A-B up (ESP-in-UDP, aes-gcm-128)" \
	pair "$A" "$B" 10.0.60 10.99.60 udp aes-gcm-128 0x6000
bg_start pingf-a ip netns exec "$A" timeout 120 ping -f -q -w 100 10.99.60.2
PING_A=$BG_PID
IPERF_S=
if command -v iperf3 >/dev/null; then
	bg_start iperf-s ip netns exec "$B" timeout 120 iperf3 -s -1 -B 10.99.60.2
	IPERF_S=$BG_PID
	wait_for 20 nsx "$B" sh -c "ss -Hltn 'sport = :5201' | grep -q ." &&
		bg_start iperf-c ip netns exec "$A" timeout 120 iperf3 -c 10.99.60.2 -t 100
fi
wait_for 20 traffic_running "$A" 0x6000 200 || diag "traffic A -> B did not start"
diag "A -> B packets before deleting B: $(sa_tx "$A" 0x6000)"
out=$(ip netns del "$B" 2>&1)
rc=$?
[ -n "$IPERF_S" ] && kill -KILL "$IPERF_S" 2>/dev/null	# B's last process
del_netns "$B" 2>/dev/null
if [ $rc -eq 0 ]; then
	ok "ip netns del B with device, session, ping -f and iperf3 running"
else
	not_ok "ip netns del B with device, session, ping -f and iperf3 running" "$out"
fi
if wait_for 10 json_query "$A" $DEV "peer(1)['id']"; then
	ok "A's device and peer still answer after B is gone"
else
	not_ok "A's device and peer still answer after B is gone"
fi
if kill -0 "$PING_A" 2>/dev/null; then
	diag "ping -f in A still running: deleting A's device under it"
fi
check "ip link del A's l2tpsec0 while ping -f sends into it" \
	ip -n "$A" link del $DEV
bg_stop "$PING_A"
if wait_for 5 sh -c "! ip netns exec '$A' ss -Huln 'sport = :4500' | grep -q ."; then
	ok "A's adopted UDP socket (port 4500) is released"
else
	not_ok "A's adopted UDP socket (port 4500) is released" \
		"$(nsx "$A" ss -uanp 'sport = :4500')"
fi

# ---- 2. rmmod with live sessions and traffic -------------------------------
check "pair C-D up (raw ESP, aes-cbc-128-sha1-96)" \
	pair "$C" "$D" 10.0.61 10.99.61 none aes-cbc-128-sha1-96 0x6100
if [ "$CAN_RELOAD" = 0 ]; then
	for t in "rmmod l2tpsec with live sessions and traffic" \
		"devices in C and D are gone after rmmod" \
		"insmod $L2TPSEC_MODULE again" "a new pair works after the reload" \
		"50 x insmod/rmmod"; do
		skip "$t" "$RELOAD_WHY"
	done
else
	bg_start pingf-c ip netns exec "$C" timeout 120 ping -f -q -w 100 10.99.61.2
	PING_C=$BG_PID
	bg_start pingf-d ip netns exec "$D" timeout 120 ping -f -q -w 100 10.99.61.1
	PING_D=$BG_PID
	wait_for 20 traffic_running "$C" 0x6100 200 || diag "traffic C -> D did not start"
	out=$(timeout 60 rmmod l2tpsec 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && ! module_loaded; then
		ok "rmmod l2tpsec with live sessions and ping -f in C and D"
	else
		not_ok "rmmod l2tpsec with live sessions and ping -f in C and D" \
			"rmmod rc $rc: $out" "$(cat /sys/module/l2tpsec/refcnt 2>/dev/null)"
	fi
	if ! ip -n "$C" link show $DEV >/dev/null 2>&1 &&
	   ! ip -n "$D" link show $DEV >/dev/null 2>&1; then
		ok "devices in C and D are gone after rmmod"
	else
		not_ok "devices in C and D are gone after rmmod"
	fi
	bg_stop "$PING_C"
	bg_stop "$PING_D"
	if module_loaded; then
		skip "insmod $L2TPSEC_MODULE again" "rmmod failed"
	else
		check "insmod $L2TPSEC_MODULE again" insmod "$L2TPSEC_MODULE"
	fi
	del_netns "$C"
	del_netns "$D"
	check "a new pair works after the reload" \
		pair "$C" "$D" 10.0.62 10.99.62 udp aes-cbc-256-sha512-256 0x6200
	del_netns "$C"
	del_netns "$D"

	# ---- 3. load/unload loop ---------------------------------------------
	fails=0
	why=""
	for n in $(seq 50); do
		if ! module_loaded && ! out=$(insmod "$L2TPSEC_MODULE" 2>&1); then
			fails=$((fails + 1))
			why+="insmod #$n: $out; "
			continue
		fi
		if [ $((n % 5)) = 0 ]; then
			pair "$C" "$D" 10.0.63 10.99.63 udp aes-gcm-256 0x6300 >/dev/null 2>&1 ||
				why+="pair #$n failed; "
		fi
		if ! out=$(timeout 60 rmmod l2tpsec 2>&1); then
			fails=$((fails + 1))
			why+="rmmod #$n: $out; "
		fi
		if [ $((n % 5)) = 0 ]; then
			del_netns "$C"
			del_netns "$D"
		fi
	done
	if [ $fails -eq 0 ]; then
		ok "50 x insmod/rmmod (every 5th with live devices)"
		[ -n "$why" ] && diag "$why"
	else
		not_ok "50 x insmod/rmmod (every 5th with live devices)" "$fails failures: $why"
	fi
fi

# ---- 4. leave the module loaded ---------------------------------------------
if ! module_loaded && [ -f "$L2TPSEC_MODULE" ]; then
	insmod "$L2TPSEC_MODULE"
fi
if module_loaded; then
	ok "l2tpsec is loaded at the end"
else
	not_ok "l2tpsec is loaded at the end"
fi

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
