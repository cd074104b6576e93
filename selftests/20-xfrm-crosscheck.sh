#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=2400 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 20-xfrm-crosscheck: l2tpsec.ko against an independent implementation.
#
#   netns A (l2tpsec.ko)                   netns B (Linux xfrm + scapy)
#   l2tpsec0 10.99.20.1 fd00:99:20::1      tunB 10.99.20.2 fd00:99:20::2
#     peer 1, tunnel 100 session 10          tools/l2tp-xfrm-peer.py
#                                              tunnel 200 session 20
#   vA 10.0.20.1/24 ---------- veth ---------- vB 10.0.20.2/24
#
# B's ESP is Linux's own xfrm (transport mode SAs and policies on UDP 1701,
# espinudp for ESP-in-UDP), B's L2TP/PPP framing is scapy's. For every
# algorithm, over raw ESP and over ESP-in-UDP: pings both ways, IPv4 and
# IPv6 (our packets decrypt in xfrm and parse in scapy; theirs decrypt and
# parse here), and both implementations count the packets.
#
# Framing: raw ESP runs with the defaults on both sides; ESP-in-UDP runs
# with L2TP length and sequence numbers, PPP ACFC and PFC on both sides, and
# the peer also sends the O (offset, 2 pad bytes) and P bits.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/xfrm-lib.sh"

require_root
require_module
require_cmd ip ping awk od
require_scapy
require_tun
xfrm_esp_supported || skip_all "kernel has no ESP for xfrm (CONFIG_INET_ESP)"

A=$(ns_name a)
B=$(ns_name b)
AO=10.0.20.1
BO=10.0.20.2
AI=10.99.20.1
BI=10.99.20.2
AI6=fd00:99:20::1
BI6=fd00:99:20::2
DEV=l2tpsec0

mapfile -t ALGOS <<<"$(algo_names)"
read -ra ENCAPS <<<"$(encap_names)"
ktap_plan $(((1 + 5 * ${#ALGOS[@]} + 1) * ${#ENCAPS[@]} + 1))

dmesg_mark
setup_netns "$A" "$B"
veth_pair "$A" vA "$AO/24" "$B" vB "$BO/24"
xfrm_l2tp_policy "$B" "$BO" "$AO" || bail_out "xfrm policies in B"

# counters: xfrm states in B and the module's SAs in A, >= $1 packets each.
counters_ok() {
	local min=$1 b_out b_in a
	b_out=$(xfrm_state_packets "$B" "$BO" "$AO" "$SA_IN_A")
	b_in=$(xfrm_state_packets "$B" "$AO" "$BO" "$SA_IN_B")
	a=$(json_query "$A" $DEV "sa($SA_IN_B, 'out')['stats']['tx_packets']" \
		"sa($SA_IN_A, 'in')['stats']['rx_packets']")
	read -r a_out a_in <<<"$a"
	echo "xfrm B out ${b_out:-?} in ${b_in:-?}; l2tpsec A out ${a_out:-?} in ${a_in:-?}"
	for v in "$b_out" "$b_in" "$a_out" "$a_in"; do
		[ "${v:-0}" -ge "$min" ] 2>/dev/null || return 1
	done
}

spi=$((0x20000))
for encap in "${ENCAPS[@]}"; do
	ip -n "$A" link del "$DEV" 2>/dev/null
	[ -n "${PEER_PID:-}" ] && bg_stop "$PEER_PID"
	PEER_PID=
	if [ "$encap" = udp ]; then
		sess_opts="l2tp-length on l2tp-seq on acfc on pfc on"
		peer_opts=(--length-bit --seq --offset 2 --priority --acfc --pfc)
		start_encap_sock "$B" 4500 || bail_out "encap socket in B"
	else
		sess_opts="l2tp-length off l2tp-seq off acfc off pfc off"
		peer_opts=()
	fi
	first=${ALGOS[0]}
	SA_IN_A=$(printf '0x%x' $spi)		# B -> A
	SA_IN_B=$(printf '0x%x' $((spi + 1)))	# A -> B
	spi=$((spi + 2))
	algo_keys "$first"
	K_AB="$KEY_ENC:$KEY_AUTH"
	algo_keys "$first"
	K_BA="$KEY_ENC:$KEY_AUTH"
	SETUP=0
	if l2s_side ns="$A" dev=$DEV encap="$encap" laddr=$AO raddr=$BO peer=1 \
		alg="$first" spi_in="$SA_IN_A" keys_in="$K_BA" \
		spi_out="$SA_IN_B" keys_out="$K_AB" \
		ltid=100 lsid=10 rtid=200 rsid=20 \
		ip=$AI peer_ip=$BI ip6=$AI6 peer_ip6=$BI6 sess_opts="$sess_opts" &&
	   start_xfrm_peer "peer-$encap" "$B" --local "$BO:1701" --remote "$AO:1701" \
		--tun tunB --addr "$BI/32" --peer-addr "$AI" --addr6 "$BI6/64" \
		--tunnel-id 100 --session-id 10 --my-tunnel-id 200 --my-session-id 20 \
		"${peer_opts[@]}"; then
		PEER_PID=$BG_PID
		SETUP=1
		ok "$encap: l2tpsec device in A, xfrm peer in B ($sess_opts)"
	else
		not_ok "$encap: l2tpsec device in A, xfrm peer in B"
	fi
	for alg in "${ALGOS[@]}"; do
		tag="$alg $encap"
		if [ "$SETUP" = 0 ]; then
			for t in "ping $BI" "ping6 $BI6" "ping $AI from xfrm" "ping6 $AI6 from xfrm" "counters"; do
				skip "$tag: $t" "setup failed"
			done
			continue
		fi
		if [ "$alg" != "$first" ]; then
			OLD_A=$SA_IN_A
			OLD_B=$SA_IN_B
			SA_IN_A=$(printf '0x%x' $spi)
			SA_IN_B=$(printf '0x%x' $((spi + 1)))
			spi=$((spi + 2))
			algo_keys "$alg"
			K_AB="$KEY_ENC:$KEY_AUTH"
			algo_keys "$alg"
			K_BA="$KEY_ENC:$KEY_AUTH"
			l2s_sa_pair "$A" $DEV 1 "$alg" "$SA_IN_A" "$K_BA" "$SA_IN_B" "$K_AB" ||
				diag "$tag: l2tpsec SA setup failed"
			l2s_sa_pair_del "$A" $DEV 1 "$OLD_A" "$OLD_B"
		fi
		ip -n "$B" xfrm state flush
		xfrm_peer_states "$B" "$BO" "$AO" "$SA_IN_A" "$K_BA" "$SA_IN_B" "$K_AB" \
			"$alg" "$encap" || diag "$tag: xfrm SA setup failed"
		check "$tag: ping $BI (l2tpsec -> xfrm)" ping_ok "$A" "$BI" 2
		check "$tag: ping6 $BI6 (l2tpsec -> xfrm)" ping_ok "$A" "$BI6" 2
		check "$tag: ping $AI (xfrm -> l2tpsec)" ping_ok "$B" "$AI" 2
		check "$tag: ping6 $AI6 (xfrm -> l2tpsec)" ping_ok "$B" "$AI6" 2
		if out=$(counters_ok 8); then
			ok "$tag: both implementations counted the packets: $out"
		else
			not_ok "$tag: both implementations counted the packets (>= 8 each)" "$out"
		fi
	done
	if [ "$SETUP" = 1 ]; then
		v=$(xfrm_peer_stat "peer-$encap" "$PEER_PID" malformed unknown_session ppp_other rx_packets)
		if [[ "$v" == "0 0 0 "* ]]; then
			ok "$encap: scapy peer parsed every l2tpsec packet (malformed, unknown session, non-IP, received: $v)"
		else
			not_ok "$encap: scapy peer parsed every l2tpsec packet" \
				"malformed, unknown session, non-IP, received: $v" \
				"$(tail -n 5 "$TMPD/peer-$encap.err")"
		fi
	else
		skip "$encap: scapy peer parsed every l2tpsec packet" "setup failed"
	fi
done

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
