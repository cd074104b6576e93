#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=1800 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 10-module-pair: l2tpsec.ko on both ends.
#
#   netns A                                      netns B
#   l2tpsec0 10.99.10.1 fd00:99:10::1            l2tpsec0 10.99.10.2 fd00:99:10::2
#     peer 1, session tunnel 100 session 10        peer 1, session tunnel 200 session 20
#   vA 10.0.10.1/24 --------- veth --------- vB 10.0.10.2/24
#
# For each encapsulation (raw ESP, ESP-in-UDP 4500) the devices, peers and
# sessions are made once; then for EVERY algorithm of algo_table a new SA
# pair replaces the previous one (make before break: add, tx-spi, delete
# the old) and: IPv4 and IPv6 pings go through, the new SAs counted the
# packets, the sessions' counters moved. One iperf3 TCP run for one GCM and
# one CBC algorithm (TCP works: MTU and MSS are right). At the end of each
# encapsulation no replay/ICV/malformed drop was counted; dmesg is clean.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip ping awk od

A=$(ns_name a)
B=$(ns_name b)
AO=10.0.10.1
BO=10.0.10.2
AI=10.99.10.1
BI=10.99.10.2
AI6=fd00:99:10::1
BI6=fd00:99:10::2
DEV=l2tpsec0
IPERF_ALGOS="aes-gcm-128 aes-cbc-128-sha256-128"

mapfile -t ALGOS <<<"$(algo_names)"
read -ra ENCAPS <<<"$(encap_names)"
n_iperf=0
for alg in "${ALGOS[@]}"; do
	[[ " $IPERF_ALGOS " == *" $alg "* ]] && n_iperf=$((n_iperf + 1))
done
ktap_plan $(((1 + 4 * ${#ALGOS[@]} + n_iperf + 1) * ${#ENCAPS[@]} + 1))

dmesg_mark
setup_netns "$A" "$B"
veth_pair "$A" vA "$AO/24" "$B" vB "$BO/24"

HAVE_IPERF=1
command -v iperf3 >/dev/null || HAVE_IPERF=0

# sa_session_check NS SPI_IN SPI_OUT LTID LSID PREV_RX PREV_TX: prints
# "sa-out-tx sa-in-rx session-rx session-tx".
pair_counters() {
	json_query "$1" "$DEV" \
		"sa($3, 'out')['stats']['tx_packets']" \
		"sa($2, 'in')['stats']['rx_packets']" \
		"session(1, $4, $5)['stats']['rx_packets']" \
		"session(1, $4, $5)['stats']['tx_packets']"
}

iperf_ok() {
	local out bps
	if ! wait_for 20 nsx "$B" sh -c "ss -Hltn 'sport = :5201' | grep -q ."; then
		echo "iperf3 server did not listen"
		return 1
	fi
	out=$(nsx "$A" timeout 30 iperf3 -c "$BI" -t 2 -J 2>&1) || {
		echo "$out" | tail -n 20
		return 1
	}
	bps=$(echo "$out" | "$PYTHON" -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))')
	echo "received $bps bit/s"
	[ "${bps:-0}" -gt 0 ]
}

spi=$((0x10000))
for encap in "${ENCAPS[@]}"; do
	# fresh devices for each encapsulation
	ip -n "$A" link del "$DEV" 2>/dev/null
	ip -n "$B" link del "$DEV" 2>/dev/null
	first=${ALGOS[0]}
	SA_IN_A=$(printf '0x%x' $spi)		# B -> A
	SA_IN_B=$(printf '0x%x' $((spi + 1)))	# A -> B
	spi=$((spi + 2))
	algo_keys "$first"
	K_AB="$KEY_ENC:$KEY_AUTH"
	algo_keys "$first"
	K_BA="$KEY_ENC:$KEY_AUTH"
	if l2s_side ns="$A" dev=$DEV encap="$encap" laddr=$AO raddr=$BO peer=1 \
		alg="$first" spi_in="$SA_IN_A" keys_in="$K_BA" \
		spi_out="$SA_IN_B" keys_out="$K_AB" \
		ltid=100 lsid=10 rtid=200 rsid=20 \
		ip=$AI peer_ip=$BI ip6=$AI6 peer_ip6=$BI6 &&
	   l2s_side ns="$B" dev=$DEV encap="$encap" laddr=$BO raddr=$AO peer=1 \
		alg="$first" spi_in="$SA_IN_B" keys_in="$K_AB" \
		spi_out="$SA_IN_A" keys_out="$K_BA" \
		ltid=200 lsid=20 rtid=100 rsid=10 \
		ip=$BI peer_ip=$AI ip6=$BI6 peer_ip6=$AI6; then
		ok "$encap: devices, peers, SAs ($first) and sessions set up"
		SETUP=1
	else
		not_ok "$encap: devices, peers, SAs ($first) and sessions set up"
		SETUP=0
	fi
	PREV_A="0 0"
	PREV_B="0 0"
	for alg in "${ALGOS[@]}"; do
		tag="$alg $encap"
		if [ "$SETUP" = 0 ]; then
			for t in "ping $BI" "ping6 $BI6" "SA counters" "session counters"; do
				skip "$tag: $t" "setup failed"
			done
			[[ " $IPERF_ALGOS " == *" $alg "* ]] && skip "$tag: iperf3 TCP" "setup failed"
			continue
		fi
		if [ "$alg" != "$first" ]; then
			# replace the SA pair: new ones first, then drop the old
			OLD_A=$SA_IN_A
			OLD_B=$SA_IN_B
			SA_IN_A=$(printf '0x%x' $spi)
			SA_IN_B=$(printf '0x%x' $((spi + 1)))
			spi=$((spi + 2))
			algo_keys "$alg"
			K_AB="$KEY_ENC:$KEY_AUTH"
			algo_keys "$alg"
			K_BA="$KEY_ENC:$KEY_AUTH"
			if ! l2s_sa_pair "$A" $DEV 1 "$alg" "$SA_IN_A" "$K_BA" "$SA_IN_B" "$K_AB" ||
			   ! l2s_sa_pair "$B" $DEV 1 "$alg" "$SA_IN_B" "$K_AB" "$SA_IN_A" "$K_BA"; then
				diag "$tag: SA setup failed"
			fi
			l2s_sa_pair_del "$A" $DEV 1 "$OLD_A" "$OLD_B"
			l2s_sa_pair_del "$B" $DEV 1 "$OLD_B" "$OLD_A"
		fi
		check "$tag: ping $BI" ping_ok "$A" "$BI" 2
		check "$tag: ping6 $BI6" ping_ok "$A" "$BI6" 2
		ca=$(pair_counters "$A" "$SA_IN_A" "$SA_IN_B" 100 10)
		cb=$(pair_counters "$B" "$SA_IN_B" "$SA_IN_A" 200 20)
		read -r a_out a_in a_srx a_stx <<<"$ca"
		read -r b_out b_in b_srx b_stx <<<"$cb"
		if [ "${a_out:-0}" -ge 4 ] 2>/dev/null && [ "${a_in:-0}" -ge 4 ] 2>/dev/null &&
		   [ "${b_out:-0}" -ge 4 ] 2>/dev/null && [ "${b_in:-0}" -ge 4 ] 2>/dev/null; then
			ok "$tag: SA counters (A out $a_out in $a_in, B out $b_out in $b_in)"
		else
			not_ok "$tag: SA counters (>= 4 packets each)" \
				"A out/in: $a_out $a_in  B out/in: $b_out $b_in"
		fi
		read -r pa_rx pa_tx <<<"$PREV_A"
		read -r pb_rx pb_tx <<<"$PREV_B"
		if [ "${a_srx:-0}" -gt "$pa_rx" ] 2>/dev/null && [ "${a_stx:-0}" -gt "$pa_tx" ] 2>/dev/null &&
		   [ "${b_srx:-0}" -gt "$pb_rx" ] 2>/dev/null && [ "${b_stx:-0}" -gt "$pb_tx" ] 2>/dev/null; then
			ok "$tag: session counters moved (A rx $a_srx tx $a_stx, B rx $b_srx tx $b_stx)"
		else
			not_ok "$tag: session counters moved" \
				"A rx/tx $pa_rx/$pa_tx -> $a_srx/$a_stx  B rx/tx $pb_rx/$pb_tx -> $b_srx/$b_stx"
		fi
		PREV_A="${a_srx:-0} ${a_stx:-0}"
		PREV_B="${b_srx:-0} ${b_stx:-0}"
		if [[ " $IPERF_ALGOS " == *" $alg "* ]]; then
			if [ "$HAVE_IPERF" = 0 ]; then
				skip "$tag: iperf3 TCP to $BI" "iperf3 not installed"
			else
				bg_start "iperf-$alg-$encap" ip netns exec "$B" \
					timeout 60 iperf3 -s -1 -B "$BI"
				check "$tag: iperf3 TCP to $BI (2 s)" iperf_ok
				bg_stop "$BG_PID"
			fi
		fi
	done
	if [ "$SETUP" = 1 ]; then
		ea=$(dev_error_counters "$A" $DEV)
		eb=$(dev_error_counters "$B" $DEV)
		bad=$(echo "$ea $eb" | tr ' ' '\n' |
			grep -E '^(replay_drops|icv_fails|malformed_drops)=' | grep -v '=0$')
		if [ -z "$bad" ]; then
			ok "$encap: no replay, ICV or malformed drops on either device"
		else
			not_ok "$encap: no replay, ICV or malformed drops on either device" \
				"A: $ea" "B: $eb"
		fi
	else
		skip "$encap: no replay, ICV or malformed drops on either device" "setup failed"
	fi
done

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
