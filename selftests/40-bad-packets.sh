#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=1200 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 40-bad-packets: every kind of bad packet is dropped and counted once, in
# the right counter.
#
#   netns A (l2tpsec.ko)                   netns B (Linux xfrm + scapy peer)
#   l2tpsec0 10.99.40.1                    tunB 10.99.40.2
#   vA 10.0.40.1/24 ---------- veth ---------- vB 10.0.40.2/24
#      10.0.42.1/24  (unrelated xfrm ESP)      10.0.42.2/24
#
# An ESP packet B -> A is captured on vB (tools/l2tp-xfrm-peer.py capture)
# and sent again from B (inject, scapy send()):
#   as is                        -> SA replay_drops     (A's inbound SA)
#   seq + 1000, last byte flipped -> SA icv_fails
#   other SPI                    -> ESP-in-UDP: device no_sa_drops;
#                                   raw ESP: left to xfrm (XfrmInNoStates)
#   cut after 12 bytes of ESP    -> device malformed_drops
# and valid ESP (B's xfrm SA) carrying bad L2TP (l2tp-xfrm-peer --once-send):
#   L2TP version 3               -> device malformed_drops
#   Length field past the end    -> device malformed_drops
#   unknown session id           -> device no_session_drops
#   unknown tunnel id            -> device no_session_drops
#   control message (T bit)      -> device frames_lost (no daemon listens)
# Each must move its counter by exactly one and no other drop counter of
# the device or the SA. Raw ESP with aes-gcm-128, ESP-in-UDP with
# aes-cbc-128-sha256-128.
#
# Then: an unrelated xfrm ESP SA pair keeps working while the module has
# SAs, in the same netns pair (other addresses) and in two other netns.

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
X=$(ns_name x)
Y=$(ns_name y)
AO=10.0.40.1
BO=10.0.40.2
AI=10.99.40.1
BI=10.99.40.2
DEV=l2tpsec0
LTID=100	# A's local tunnel/session ids (what B sends to)
LSID=10
declare -A ALG_OF=([none]=aes-gcm-128 [udp]=aes-cbc-128-sha256-128)

read -ra ENCAPS <<<"$(encap_names)"
ktap_plan $((12 * ${#ENCAPS[@]} + 3))

dmesg_mark
setup_netns "$A" "$B"
veth_pair "$A" vA "$AO/24" "$B" vB "$BO/24"
xfrm_l2tp_policy "$B" "$BO" "$AO" || bail_out "xfrm policies in B"

# An ICMP echo request BI -> AI, to put behind the bad L2TP headers.
ICMP_HEX=4500001c00010000400116180a6328020a6328010800f7f700070001
h16() { printf '%04x' "$1"; }

STAT_FIELDS="replay_drops icv_fails malformed_drops no_session_drops no_sa_drops tx_errors expired_drops no_route_drops frames_lost"

# snapshot: "dev.F=V ... sa.F=V ..." for every drop counter.
snapshot() {
	local e=() f v names=() i=0
	for f in $STAT_FIELDS; do
		e+=("dev['stats']['$f']")
		names+=("dev.$f")
	done
	for f in $STAT_FIELDS; do
		e+=("sa($SA_IN_A, 'in')['stats']['$f']")
		names+=("sa.$f")
	done
	local cur="" ok=0
	for _ in 1 2 3; do
		cur=$(json_query "$A" $DEV "${e[@]}" 2>&1) && ok=1 && break
		sleep 0.2
	done
	if [ "$ok" = 0 ]; then
		echo "ERROR: $cur"
		return 1
	fi
	for v in $cur; do
		printf '%s=%s ' "${names[$i]}" "$v"
		i=$((i + 1))
	done
}

# value KEY SNAPSHOT
value() {
	local kv
	for kv in $2; do
		[ "${kv%%=*}" = "$1" ] && echo "${kv#*=}" && return
	done
	echo NA
}

# expect_one KEY [ALSO]: after the action that the caller just did, KEY
# (dev.F or sa.F) grows by exactly one within 5 s, and no other drop
# counter moves, except ALSO (the same counter one level up or down may
# count the same drop).
expect_one() {
	local key=$1 also=${2:-} want after kv k d moved=""
	want=$(($(value "$key" "$BEFORE") + 1))
	for _ in $(seq 50); do
		after=$(snapshot)
		[ "$(value "$key" "$after")" -ge "$want" ] 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.3	# a second (wrong) increment would show now
	after=$(snapshot)
	for kv in $after; do
		k=${kv%%=*}
		d=$((${kv#*=} - $(value "$k" "$BEFORE")))
		if [ "$k" = "$key" ]; then
			[ "$d" -eq 1 ] || moved+="$k+$d(want +1) "
		elif [ "$d" -ne 0 ] && [ "$k" != "$also" ]; then
			moved+="$k+$d "
		fi
	done
	[ -z "$moved" ] && return 0
	echo "unexpected counter changes: $moved"
	echo "before: $BEFORE"
	echo "after:  $after"
	return 1
}

# bad_case DESC KEY ALSO CMD...: run CMD, then expect_one KEY ALSO.
bad_case() {
	local desc=$1 key=$2 also=$3 out
	shift 3
	BEFORE=$(snapshot)
	if [[ "$BEFORE" != *"dev.frames_lost="[0-9]* ]]; then
		not_ok "$desc" "cannot read the counters: $BEFORE"
		return
	fi
	if ! out=$("$@" 2>&1); then
		not_ok "$desc" "action failed: $*" "$out"
		return
	fi
	if out=$(expect_one "$key" "$also"); then
		ok "$desc"
	else
		not_ok "$desc" "$out"
	fi
}

once_send() {
	timeout 60 ip netns exec "$B" "$PYTHON" "$XFRM_PEER" --local "$BO:1701" \
		--remote "$AO:1701" --once-send "$1"
}

raw_unknown_spi() {
	local before after
	before=$(xfrm_stat "$A" XfrmInNoStates)
	inject "$B" "$CAP" spi=0x0badf00d || return 1
	for _ in $(seq 50); do
		after=$(xfrm_stat "$A" XfrmInNoStates)
		[ "$after" -gt "$before" ] && break
		sleep 0.1
	done
	echo "A XfrmInNoStates $before -> $after; module: $(snapshot)"
	[ "$after" -eq $((before + 1)) ]
}

spi=$((0x40000))
for encap in "${ENCAPS[@]}"; do
	alg=${ALG_OF[$encap]}
	tag="$encap $alg"
	ip -n "$A" link del "$DEV" 2>/dev/null
	[ -n "${PEER_PID:-}" ] && bg_stop "$PEER_PID"
	PEER_PID=
	ip -n "$B" xfrm state flush
	[ "$encap" = udp ] && { start_encap_sock "$B" 4500 || bail_out "encap socket in B"; }
	SA_IN_A=$(printf '0x%x' $spi)		# B -> A
	SA_IN_B=$(printf '0x%x' $((spi + 1)))	# A -> B
	spi=$((spi + 2))
	algo_keys "$alg"
	K_AB="$KEY_ENC:$KEY_AUTH"
	algo_keys "$alg"
	K_BA="$KEY_ENC:$KEY_AUTH"
	# A is B's client: its only session is its default route both ways
	# (single-session fallback), so the router solicitations of its own
	# link-local address go to B and move no drop counter.
	if l2s_side ns="$A" dev=$DEV encap="$encap" laddr=$AO raddr=$BO peer=1 \
		alg="$alg" spi_in="$SA_IN_A" keys_in="$K_BA" \
		spi_out="$SA_IN_B" keys_out="$K_AB" \
		ltid=$LTID lsid=$LSID rtid=200 rsid=20 ip=$AI peer_ip=$BI &&
	   l2s "$A" dev set $DEV fallback on &&
	   xfrm_peer_states "$B" "$BO" "$AO" "$SA_IN_A" "$K_BA" "$SA_IN_B" "$K_AB" \
		"$alg" "$encap" &&
	   start_xfrm_peer "peer-$encap" "$B" --local "$BO:1701" --remote "$AO:1701" \
		--tun tunB --addr "$BI/32" --peer-addr "$AI" \
		--tunnel-id $LTID --session-id $LSID --my-tunnel-id 200 --my-session-id 20; then
		PEER_PID=$BG_PID
		ok "$tag: l2tpsec in A, xfrm peer in B"
	else
		not_ok "$tag: l2tpsec in A, xfrm peer in B"
		for i in $(seq 11); do
			skip "$tag: bad packet case $i" "setup failed"
		done
		continue
	fi
	check "$tag: ping $BI works before the bad packets" ping_ok "$A" "$BI" 2

	CAP=$TMPD/cap-$encap.pkts
	captured=0
	if capture_start "cap-$encap" "$B" vB "$BO" "$AO" "$encap"; then
		cpid=$BG_PID
		ping_ok "$B" "$AI" 1 >/dev/null
		capture_wait "$cpid" && captured=1
	fi
	if [ "$captured" = 1 ]; then
		ok "$tag: captured an ESP packet B -> A"
	else
		not_ok "$tag: captured an ESP packet B -> A" "$(cat "$TMPD/cap-$encap.err")"
	fi

	bad_case "$tag: replayed ESP packet -> SA replay_drops +1" \
		sa.replay_drops dev.replay_drops inject "$B" "$CAP" replay
	bad_case "$tag: flipped ICV byte (seq +1000) -> SA icv_fails +1" \
		sa.icv_fails dev.icv_fails inject "$B" "$CAP" seq=+1000 flip-icv
	if [ "$encap" = udp ]; then
		bad_case "$tag: unknown SPI -> device no_sa_drops +1" \
			dev.no_sa_drops "" inject "$B" "$CAP" spi=0x0badf00d
	else
		check "$tag: unknown SPI (raw ESP) -> left to xfrm: XfrmInNoStates +1" \
			raw_unknown_spi
	fi
	bad_case "$tag: ESP cut after 12 bytes -> device malformed_drops +1" \
		dev.malformed_drops sa.malformed_drops inject "$B" "$CAP" seq=+2000 truncate=12
	bad_case "$tag: L2TP version 3 -> device malformed_drops +1" \
		dev.malformed_drops sa.malformed_drops \
		once_send "0003000000000064ff0300$ICMP_HEX"
	bad_case "$tag: L2TP Length past the end -> device malformed_drops +1" \
		dev.malformed_drops sa.malformed_drops \
		once_send "40020100$(h16 $LTID)$(h16 $LSID)ff030021$ICMP_HEX"
	bad_case "$tag: unknown L2TP session id 999 -> device no_session_drops +1" \
		dev.no_session_drops sa.no_session_drops \
		once_send "0002$(h16 $LTID)$(h16 999)ff030021$ICMP_HEX"
	bad_case "$tag: unknown L2TP tunnel id 555 -> device no_session_drops +1" \
		dev.no_session_drops sa.no_session_drops \
		once_send "0002$(h16 555)$(h16 $LSID)ff030021$ICMP_HEX"
	bad_case "$tag: L2TP control message, no daemon -> device frames_lost +1" \
		dev.frames_lost "" \
		once_send "c802000c$(h16 $LTID)000000000000"
done

# ---- unrelated xfrm ESP keeps working --------------------------------------
unrelated_pair() {
	local n1=$1 n2=$2 a1=$3 a2=$4 k1 k2 p
	algo_keys aes-cbc-128-sha1-96
	k1="$KEY_ENC:$KEY_AUTH"
	algo_keys aes-cbc-128-sha1-96
	k2="$KEY_ENC:$KEY_AUTH"
	xfrm_transport_sa "$n1" "$a1" "$a2" 0x4201 aes-cbc-128-sha1-96 "$k1" || return 1
	xfrm_transport_sa "$n1" "$a2" "$a1" 0x4202 aes-cbc-128-sha1-96 "$k2" || return 1
	xfrm_transport_sa "$n2" "$a1" "$a2" 0x4201 aes-cbc-128-sha1-96 "$k1" || return 1
	xfrm_transport_sa "$n2" "$a2" "$a1" 0x4202 aes-cbc-128-sha1-96 "$k2" || return 1
	for p in "$n1 $a1 $a2" "$n2 $a2 $a1"; do
		read -r n l r <<<"$p"
		ip -n "$n" xfrm policy add src "$l" dst "$r" proto icmp dir out \
			tmpl src "$l" dst "$r" proto esp reqid 1701 mode transport || return 1
		ip -n "$n" xfrm policy add src "$r" dst "$l" proto icmp dir in \
			tmpl src "$r" dst "$l" proto esp reqid 1701 mode transport || return 1
	done
	ping_ok "$n1" "$a2" 3 || return 1
	local o i
	o=$(xfrm_state_packets "$n1" "$a1" "$a2" 0x4201)
	i=$(xfrm_state_packets "$n1" "$a2" "$a1" 0x4202)
	echo "xfrm state packets out $o in $i"
	[ "${o:-0}" -ge 3 ] && [ "${i:-0}" -ge 3 ]
}

ip -n "$A" addr add 10.0.42.1/24 dev vA
ip -n "$B" addr add 10.0.42.2/24 dev vB
if out=$(unrelated_pair "$A" "$B" 10.0.42.1 10.0.42.2); then
	ok "unrelated xfrm ESP (ICMP, SPI 0x4201/0x4202) in the module's netns still works: $out"
else
	not_ok "unrelated xfrm ESP in the module's netns still works" "$out"
fi
setup_netns "$X" "$Y"
veth_pair "$X" vX 10.0.43.1/24 "$Y" vY 10.0.43.2/24
if out=$(unrelated_pair "$X" "$Y" 10.0.43.1 10.0.43.2); then
	ok "unrelated xfrm ESP in two other netns still works: $out"
else
	not_ok "unrelated xfrm ESP in two other netns still works" "$out"
fi

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
