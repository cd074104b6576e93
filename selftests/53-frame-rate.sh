#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=240 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
#
# 53-frame-rate: control frames to the daemon are rate-limited per peer
# (issue 10 item 5).
#
# Server A has two peers on one device: B (peer 1) and C (peer 2). A's
# frame listener (tools/l2tpsec-genl.py listen-count, a small SO_RCVBUF,
# reading nothing while the flood lasts: a daemon that cannot keep up)
# counts the frames of each peer. B floods 400 LCP Configure-Requests for a
# session A does not know (the early-LCP path); then C sends 5 L2TP control
# messages. Without a limit B's frames fill the socket and C's are lost.
# With frame_rate=5 and frame_burst=10 (set for the test, restored after):
#   - all 5 of C's frames arrive;
#   - B gets at most its burst plus the rate through;
#   - B's drops are counted in frame_rate_drops (peer 1 and the device),
#     none for peer 2;
#   - one kernel line names the peer, the limit and the parameters.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip

A=$(ns_name a)
B=$(ns_name b)
C=$(ns_name c)
DEV=l2tpsec0
PARAMS=/sys/module/l2tpsec/parameters
FLOOD=400

ktap_plan 6
dmesg_mark

setup_netns "$A" "$B" "$C"
veth_pair "$A" vAB 10.0.53.1/24 "$B" vB 10.0.53.2/24
veth_pair "$A" vAC 10.0.54.1/24 "$C" vC 10.0.54.2/24
algo_keys aes-gcm-128
KAB="$KEY_ENC:$KEY_AUTH"
algo_keys aes-gcm-128
KBA="$KEY_ENC:$KEY_AUTH"
algo_keys aes-gcm-128
KAC="$KEY_ENC:$KEY_AUTH"
algo_keys aes-gcm-128
KCA="$KEY_ENC:$KEY_AUTH"
l2s_side ns="$A" dev=$DEV encap=none laddr=10.0.53.1 raddr=10.0.53.2 \
	peer=1 alg=aes-gcm-128 spi_in=0x5301 keys_in="$KBA" \
	spi_out=0x5300 keys_out="$KAB" ltid=1 lsid=1 rtid=2 rsid=2 \
	ip=10.99.53.1 peer_ip=10.99.53.2 || bail_out "side A, peer B"
l2s_side ns="$A" dev=$DEV encap=none laddr=10.0.54.1 raddr=10.0.54.2 \
	peer=2 alg=aes-gcm-128 spi_in=0x5303 keys_in="$KCA" \
	spi_out=0x5302 keys_out="$KAC" ltid=3 lsid=3 rtid=4 rsid=4 \
	ip=10.99.53.1 peer_ip=10.99.53.3 || bail_out "side A, peer C"
l2s_side ns="$B" dev=$DEV encap=none laddr=10.0.53.2 raddr=10.0.53.1 \
	peer=1 alg=aes-gcm-128 spi_in=0x5300 keys_in="$KAB" \
	spi_out=0x5301 keys_out="$KBA" ltid=2 lsid=2 rtid=1 rsid=1 \
	ip=10.99.53.2 peer_ip=10.99.53.1 || bail_out "side B"
# a call of B's that A does not know (yet): its LCP takes the early path
l2s_session "$B" $DEV 1 7 7 9 9 10.99.53.9 || bail_out "B's second session"
l2s_side ns="$C" dev=$DEV encap=none laddr=10.0.54.2 raddr=10.0.54.1 \
	peer=1 alg=aes-gcm-128 spi_in=0x5302 keys_in="$KAC" \
	spi_out=0x5303 keys_out="$KCA" ltid=4 lsid=4 rtid=3 rsid=3 \
	ip=10.99.53.3 peer_ip=10.99.53.1 || bail_out "side C"

OLD_RATE=$(cat $PARAMS/frame_rate 2>/dev/null)
OLD_BURST=$(cat $PARAMS/frame_burst 2>/dev/null)
restore() {
	[ -n "$OLD_RATE" ] && echo "$OLD_RATE" >$PARAMS/frame_rate
	[ -n "$OLD_BURST" ] && echo "$OLD_BURST" >$PARAMS/frame_burst
}
if echo 5 >$PARAMS/frame_rate && echo 10 >$PARAMS/frame_burst; then
	ok "module parameters frame_rate=5 frame_burst=10 (were $OLD_RATE, $OLD_BURST)"
else
	not_ok "module parameters frame_rate and frame_burst can be set" \
		"$(ls $PARAMS)"
fi

# A's listener: 24 KiB asked (the kernel doubles it), room for ~60 frames
HOLD_IN=$(tmpdir)/hold.in
mkfifo "$HOLD_IN"
nsx "$A" "$PYTHON" "$GENL_TOOL" listen-count $DEV 24576 <"$HOLD_IN" \
	>"$(tmpdir)/count.out" 2>&1 &
LPID=$!
exec 7>"$HOLD_IN"
wait_for 10 grep -q errno "$(tmpdir)/count.out"
diag "listener: $(cat "$(tmpdir)/count.out")"

stat_of() {	# stat_of PEER_ID|dev NAME
	if [ "$1" = dev ]; then
		json_query "$A" $DEV "dev['stats']['$2']"
	else
		json_query "$A" $DEV "peer($1)['stats']['$2']"
	fi
}

# B: LCP Configure-Request (id 1, no options) on its call 7/7, unknown to A
T0=$(date +%s)
out=$(nsx "$B" "$PYTHON" "$GENL_TOOL" send-many $FLOOD \
	'{"cmd": 14, "attrs": [[2, "str", "'$DEV'"], [11, "nest", [[1, "u8", 2], [2, "u32", 1], [5, "u16", 7], [6, "u16", 7], [7, "bin", "c02101010004"]]]]}' 2>&1)
diag "B: $out ($(( $(date +%s) - T0 )) s)"
# then C: 5 L2TP control messages (ZLB-sized headers, Ns 1..5)
for i in 1 2 3 4 5; do
	l2s "$C" frame send $DEV peer 1 l2tp-ctrl \
		"c802000c000100000000$(printf %04x "$i")" >/dev/null
done
ELAPSED=$(( $(date +%s) - T0 + 1 ))
sleep 1
exec 7>&-
wait "$LPID"
COUNT=$(tail -n 1 "$(tmpdir)/count.out")
diag "listener read: $COUNT (flood and C's frames took about $ELAPSED s)"
restore

n_of() {	# n_of PEER: frames of PEER the listener read
	local v
	v=$(grep -o "peer$1=[0-9]*" <<<"$COUNT")
	echo "${v#*=}"
}
GOT_B=$(n_of 1)
GOT_C=$(n_of 2)
if [ "${GOT_C:-0}" -eq 5 ]; then
	ok "C's 5 frames all reached the listener during B's flood"
else
	not_ok "C's 5 frames all reached the listener during B's flood" \
		"C: ${GOT_C:-0}, B: ${GOT_B:-0}, frames_lost $(stat_of dev frames_lost)"
fi
MAXB=$((10 + 5 * ELAPSED))
if [ "${GOT_B:-0}" -ge 10 ] && [ "${GOT_B:-0}" -le "$MAXB" ]; then
	ok "B's flood: ${GOT_B} of $FLOOD frames passed (burst 10 + 5/s, at most $MAXB)"
else
	not_ok "B's flood limited to burst 10 + 5/s (10..$MAXB)" "B: ${GOT_B:-0}"
fi
D1=$(stat_of 1 frame_rate_drops)
D2=$(stat_of 2 frame_rate_drops)
DD=$(stat_of dev frame_rate_drops)
if [ "${D1:-0}" -gt 0 ] && [ "${D2:-1}" -eq 0 ] && [ "${DD:-0}" -eq "${D1:-0}" ]; then
	ok "frame_rate_drops: peer 1 $D1, peer 2 $D2, device $DD"
else
	not_ok "frame_rate_drops counted for peer 1 only" \
		"peer 1 '${D1}', peer 2 '${D2}', device '${DD}'"
fi
LINES=$(dmesg | tail -n +"$((DMESG_START + 1))" | grep -c "peer 1: control frames to the daemon over 5/s (burst 10).*frame_rate, frame_burst")
if [ "$LINES" -eq 1 ]; then
	ok "one kernel line names peer 1, the limit and the parameters"
else
	not_ok "one kernel line names peer 1, the limit and the parameters" \
		"$LINES lines: $(dmesg | tail -n 5)"
fi

check "dmesg has no WARNING, BUG or Call Trace" dmesg_clean
ksft_exit
