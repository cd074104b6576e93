#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 05-xfrm-peer-selfcheck: proves tools/l2tp-xfrm-peer.py, the independent
# peer of the cross-check tests, with Linux xfrm on BOTH ends (no l2tpsec
# module needed):
#
#   netns A                                   netns B
#   tunA 10.99.5.1 fd00:99:5::1               tunB 10.99.5.2 fd00:99:5::2
#   l2tp-xfrm-peer (plain framing)            l2tp-xfrm-peer (L,S,O,P bits,
#     UDP 10.0.5.1:1701 <-- xfrm ESP -->        ACFC, PFC) UDP 10.0.5.2:1701
#   vA 10.0.5.1/24 ------------ veth ------------ vB 10.0.5.2/24
#
# First with no xfrm at all (L2TP/PPP in clear), then for every algorithm
# of algo_table, over raw ESP and over ESP-in-UDP (espinudp, port 4500,
# with a UDP_ENCAP_ESPINUDP socket in each netns): pings both ways across
# the TUN devices and the four xfrm states count packets.
#
# Without ESP in the kernel (CONFIG_INET_ESP) the xfrm cases are skipped;
# an algorithm the kernel's crypto API lacks is skipped alone.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/xfrm-lib.sh"

require_root
require_cmd ip ping awk od
require_scapy
require_tun

A=$(ns_name a)
B=$(ns_name b)
AO=10.0.5.1
BO=10.0.5.2
AI=10.99.5.1
BI=10.99.5.2
AI6=fd00:99:5::1
BI6=fd00:99:5::2

# The tool's framing is what is under test here, not xfrm's crypto (the
# cross-check, 20-xfrm-crosscheck, runs every algorithm against the module):
# one AEAD, one CBC/HMAC and 3DES are enough unless L2TPSEC_PEER_ALGOS says
# otherwise. L2TPSEC_ALGOS, which narrows the module tests' loops (make
# check narrows them to 8 algorithms on some kernels), does not apply here.
L2TPSEC_ALGOS=${L2TPSEC_PEER_ALGOS:-aes-gcm-128 aes-cbc-256-sha256-128 3des-cbc-sha1-96}
mapfile -t ALGOS <<<"$(algo_names)"
read -ra ENCAPS <<<"$(encap_names)"
ktap_plan $((1 + 4 + (4 * ${#ALGOS[@]} + 5) * ${#ENCAPS[@]} + 2))

check "codec: scapy L2TP/PPP build and parse, all flag combinations" \
	"$PYTHON" "$XFRM_PEER" codec-test

setup_netns "$A" "$B"
veth_pair "$A" vA "$AO/24" "$B" vB "$BO/24"

start_xfrm_peer peerA "$A" --local "$AO:1701" --remote "$BO:1701" \
	--tun tunA --addr "$AI/32" --peer-addr "$BI" --addr6 "$AI6/64" \
	--tunnel-id 200 --session-id 20 --my-tunnel-id 100 --my-session-id 10 ||
	bail_out "peer A did not start"
PID_A=$BG_PID
start_xfrm_peer peerB "$B" --local "$BO:1701" --remote "$AO:1701" \
	--tun tunB --addr "$BI/32" --peer-addr "$AI" --addr6 "$BI6/64" \
	--tunnel-id 100 --session-id 10 --my-tunnel-id 200 --my-session-id 20 \
	--length-bit --seq --offset 3 --priority --acfc --pfc ||
	bail_out "peer B did not start"
PID_B=$BG_PID

# ---- no xfrm: L2TP/PPP in clear over UDP 1701 ----------------------------
check "plain: ping $BI (A -> B)" ping_ok "$A" "$BI"
check "plain: ping $BI6 (A -> B)" ping_ok "$A" "$BI6"
check "plain: ping $AI (B -> A)" ping_ok "$B" "$AI"
check "plain: ping $AI6 (B -> A)" ping_ok "$B" "$AI6"

# ---- xfrm on both ends ----------------------------------------------------
ESP_OK=1
if ! xfrm_esp_supported; then
	ESP_OK=0
	ESP_WHY="kernel has no ESP (CONFIG_INET_ESP): xfrm cases run in the QEMU guest"
else
	# policies stay; each algorithm replaces the states
	if ! xfrm_l2tp_policy "$A" "$AO" "$BO" || ! xfrm_l2tp_policy "$B" "$BO" "$AO"; then
		bail_out "xfrm policies"
	fi
fi

XFRM_IN_ERRORS="XfrmInError XfrmInBufferError XfrmInHdrError XfrmInNoStates XfrmInStateProtoError XfrmInStateModeError XfrmInStateSeqError XfrmInStateExpired XfrmInStateMismatch XfrmInStateInvalid XfrmInTmplMismatch XfrmInNoPols XfrmInPolBlock XfrmInPolError"

# xfrm_in_errors NS: "name=value ..." of the nonzero XfrmIn* error counters.
xfrm_in_errors() {
	# shellcheck disable=SC2016
	nsx "$1" awk -v names=" $XFRM_IN_ERRORS " \
		'index(names, " " $1 " ") && $2 != 0 { printf "%s=%s ", $1, $2 }' \
		/proc/net/xfrm_stat
}

# wait_counter CMD... EXPECTED: poll (3 s) until CMD prints EXPECTED.
wait_value() {
	local want=$1
	shift
	for _ in $(seq 30); do
		[ "$("$@")" = "$want" ] && return 0
		sleep 0.1
	done
	echo "got $("$@"), want $want"
	return 1
}

# inject_expect FILE MUTATION... -- GETTER...: inject from A, then the
# number GETTER prints must grow by exactly one.
inject_expect() {
	local f=$1 m=() before
	shift
	while [ "$1" != -- ]; do
		m+=("$1")
		shift
	done
	shift
	before=$("$@")
	inject "$A" "$f" "${m[@]}" || return 1
	wait_value $((before + 1)) "$@"
}

# tooling_checks TAG ENCAP: the capture/inject tools of 40-bad-packets,
# checked against xfrm in B as the receiver (5 tests).
tooling_checks() {
	local tag=$1 encap=$2 pid f r0 e0 t
	f="$TMPD/cap-$encap.pkts"
	if ! capture_start "cap-$encap" "$B" vB "$AO" "$BO" "$encap"; then
		for t in "capture" "replay" "ICV" "SPI" "truncated"; do
			not_ok "$tag: tools: $t" "capture did not start"
		done
		return
	fi
	pid=$BG_PID
	ping_ok "$A" "$BI" 1 >/dev/null
	if capture_wait "$pid"; then
		ok "$tag: tools: capture got an ESP packet ($( [ "$encap" = udp ] && echo UDP 4500 || echo IP proto 50)) on the wire"
	else
		not_ok "$tag: tools: capture got an ESP packet on the wire" \
			"$(cat "$TMPD/cap-$encap.err")"
	fi
	check "$tag: tools: re-injected packet counted as replay by xfrm" \
		inject_expect "$f" replay -- xfrm_state_stat "$B" "$AO" "$BO" "$SPI_AB" replay
	check "$tag: tools: flipped ICV byte (seq +1000) counted as failed by xfrm" \
		inject_expect "$f" seq=+1000 flip-icv -- xfrm_state_stat "$B" "$AO" "$BO" "$SPI_AB" failed
	check "$tag: tools: unknown SPI counted as XfrmInNoStates" \
		inject_expect "$f" spi=0x0badf00d -- xfrm_stat "$B" XfrmInNoStates
	# 20 bytes: SPI, sequence number, 12 more. (xfrm drops ESP-in-UDP of
	# 12 or 16 bytes without counting it anywhere; raw ESP it counts.)
	e0=$(xfrm_in_errors "$B")
	inject "$A" "$f" seq=+2000 truncate=20 >/dev/null
	for t in $(seq 30); do
		r0=$(xfrm_in_errors "$B")
		[ "$r0" != "$e0" ] && break
		sleep 0.1
	done
	if [ "$r0" != "$e0" ]; then
		ok "$tag: tools: truncated packet dropped by xfrm (before: ${e0:-none}; after: $r0)"
	else
		not_ok "$tag: tools: truncated packet dropped by xfrm" "no XfrmIn* error counter moved: $r0" \
			"$(nsx "$B" grep -E '^Udp:' /proc/net/snmp)" "$(ip -s -n "$B" xfrm state)"
	fi
}

# counters_ok: every state of this case counted at least $1 packets.
counters_ok() {
	local min=$1 a_out a_in b_out b_in
	a_out=$(xfrm_state_packets "$A" "$AO" "$BO" "$SPI_AB")
	a_in=$(xfrm_state_packets "$A" "$BO" "$AO" "$SPI_BA")
	b_out=$(xfrm_state_packets "$B" "$BO" "$AO" "$SPI_BA")
	b_in=$(xfrm_state_packets "$B" "$AO" "$BO" "$SPI_AB")
	echo "A out ${a_out:-?} A in ${a_in:-?} B out ${b_out:-?} B in ${b_in:-?}"
	[ "${a_out:-0}" -ge "$min" ] && [ "${a_in:-0}" -ge "$min" ] &&
		[ "${b_out:-0}" -ge "$min" ] && [ "${b_in:-0}" -ge "$min" ]
}

spi=$((0x5000))
for encap in "${ENCAPS[@]}"; do
	if [ "$ESP_OK" = 1 ] && [ "$encap" = udp ]; then
		if ! start_encap_sock "$A" 4500 || ! start_encap_sock "$B" 4500; then
			bail_out "cannot open UDP_ENCAP_ESPINUDP sockets"
		fi
	fi
	if [ "$ESP_OK" = 0 ]; then
		for t in capture replay ICV SPI truncated; do
			skip "$encap: tools: $t" "$ESP_WHY"
		done
	fi
	first=1
	for alg in "${ALGOS[@]}"; do
		tag="$alg $encap"
		if [ "$ESP_OK" = 0 ]; then
			for t in "ping $BI" "ping6 $BI6" "ping $AI (B -> A)" "xfrm state counters"; do
				skip "$tag: $t" "$ESP_WHY"
			done
			continue
		fi
		ip -n "$A" xfrm state flush
		ip -n "$B" xfrm state flush
		SPI_AB=$(printf '0x%x' $spi)
		SPI_BA=$(printf '0x%x' $((spi + 1)))
		spi=$((spi + 2))
		algo_keys "$alg"
		K_AB="$KEY_ENC:$KEY_AUTH"
		algo_keys "$alg"
		K_BA="$KEY_ENC:$KEY_AUTH"
		if ! xfrm_peer_states "$A" "$AO" "$BO" "$SPI_AB" "$K_AB" "$SPI_BA" "$K_BA" "$alg" "$encap" ||
			! xfrm_peer_states "$B" "$BO" "$AO" "$SPI_BA" "$K_BA" "$SPI_AB" "$K_AB" "$alg" "$encap"; then
			# an algorithm the kernel's crypto API lacks: skip it alone
			why="xfrm setup failed"
			xfrm_algo_supported "$alg" || why="SKIP"
			for t in "ping $BI" "ping6 $BI6" "ping $AI (B -> A)" "xfrm state counters"; do
				if [ "$why" = SKIP ]; then
					skip "$tag: $t" "kernel crypto API lacks $ALG_XENC $ALG_XAUTH"
				else
					not_ok "$tag: $t" "$why"
				fi
			done
			if [ "$first" = 1 ]; then
				for t in capture replay ICV SPI truncated; do
					skip "$encap: tools: $t" "no SA with $alg"
				done
				first=0
			fi
			continue
		fi
		check "$tag: ping $BI" ping_ok "$A" "$BI" 2
		check "$tag: ping6 $BI6" ping_ok "$A" "$BI6" 2
		check "$tag: ping $AI (B -> A)" ping_ok "$B" "$AI" 2
		if out=$(counters_ok 4); then
			ok "$tag: xfrm state counters (>= 4 packets each SA): $out"
		else
			not_ok "$tag: xfrm state counters (>= 4 packets each SA)" "$out"
		fi
		if [ "$first" = 1 ]; then
			tooling_checks "$tag" "$encap"
			first=0
		fi
	done
done

# ---- the peers saw nothing odd and stop cleanly on SIGTERM ---------------
bad=""
for p in "peerA $PID_A" "peerB $PID_B"; do
	read -r name pid <<<"$p"
	v=
	v=$(xfrm_peer_stat "$name" "$pid" malformed unknown_session ppp_other)
	[ "$v" = "0 0 0" ] || bad+="$name malformed/unknown_session/ppp_other: $v "
done
if [ -z "$bad" ]; then
	ok "peers counted no malformed, unknown-session or non-IP packets"
else
	not_ok "peers counted no malformed, unknown-session or non-IP packets" \
		"$bad" "$(tail -n 5 "$TMPD/peerA.err" "$TMPD/peerB.err")"
fi
rcs=""
bg_stop "$PID_A"
rcs+="$? "
bg_stop "$PID_B"
rcs+="$?"
if [ "$rcs" = "0 0" ] && ! ip -n "$A" link show tunA >/dev/null 2>&1; then
	ok "peers exit 0 on SIGTERM and remove their TUN devices"
else
	not_ok "peers exit 0 on SIGTERM and remove their TUN devices" "exit codes $rcs"
fi

ksft_exit
