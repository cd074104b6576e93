#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
#
# 52-frame-listener: the frame listener's netlink port belongs to one socket.
#
# Control frames (L2TP control, LCP, PAP passwords, CHAP) go by unicast to
# the listener's netlink port id. A port id is only a number: once the
# listener's socket is closed, any local user can bind a NETLINK_GENERIC
# socket with the same id. The listeners and the squatter are
# tools/l2tpsec-genl.py (listen-exit, listen-hold, listen-once, squat).
#  1. A listener (python) starts listening and exits without saying so. An
#     unprivileged process binds the old port id; frames sent by the peer
#     are counted as frames_lost and the process receives none.
#  2. With a listener alive, a second one is refused with EBUSY and an
#     extended ACK naming the holder's port; once the first is gone, the
#     second one is accepted.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip setpriv

A=$(ns_name a)
B=$(ns_name b)
DEV=l2tpsec0

ktap_plan 8
dmesg_mark

setup_netns "$A" "$B"
veth_pair "$A" vA 10.0.52.1/24 "$B" vB 10.0.52.2/24
algo_keys aes-gcm-128
K12="$KEY_ENC:$KEY_AUTH"
algo_keys aes-gcm-128
K21="$KEY_ENC:$KEY_AUTH"
l2s_side ns="$A" dev=$DEV encap=none laddr=10.0.52.1 raddr=10.0.52.2 \
	peer=1 alg=aes-gcm-128 spi_in=0x5201 keys_in="$K21" \
	spi_out=0x5200 keys_out="$K12" ltid=1 lsid=1 rtid=2 rsid=2 \
	ip=10.99.52.1 peer_ip=10.99.52.2 || bail_out "side A"
l2s_side ns="$B" dev=$DEV encap=none laddr=10.0.52.2 raddr=10.0.52.1 \
	peer=1 alg=aes-gcm-128 spi_in=0x5200 keys_in="$K12" \
	spi_out=0x5201 keys_out="$K21" ltid=2 lsid=2 rtid=1 rsid=1 \
	ip=10.99.52.2 peer_ip=10.99.52.1 || bail_out "side B"
check "pair A-B up (raw ESP, aes-gcm-128)" ping_ok "$A" 10.99.52.2 2

frames_lost() {
	json_query "$A" $DEV "dev['stats']['frames_lost']"
}

# ---- 1. port id takeover after the listener exits ---------------------------
out=$(nsx "$A" "$PYTHON" "$GENL_TOOL" listen-exit $DEV 2>&1)
PORT=${out%% *}
if [[ "$out" == *" errno=0 "* ]] && [ "$PORT" -gt 0 ] 2>/dev/null; then
	ok "a listener on port $PORT starts and exits without stopping"
else
	not_ok "a listener starts and exits without stopping" "$out"
fi
# the program on stdin, opened as root: uid 65534 may not read the checkout
bg_start squat bash -c 'exec ip netns exec "$1" setpriv --reuid=65534 \
	--regid=65534 --clear-groups "$2" - squat "$3" 8 <"$4"' _ \
	"$A" "$PYTHON" "$PORT" "$GENL_TOOL"
SQ_PID=$BG_PID
bg_ready squat 10 || diag "squatter not ready: $(cat "$(tmpdir)/squat.err")"
LOST0=$(frames_lost)
for i in 1 2 3 4 5; do
	l2s "$B" frame send $DEV peer 1 l2tp-ctrl "c802000c000100000000$(printf %04x $i)" \
		>/dev/null
done
lost_grew() {
	[ "$(frames_lost)" -ge "$1" ] 2>/dev/null
}
wait_for 10 lost_grew $((LOST0 + 5))
LOST1=$(frames_lost)
wait "$SQ_PID" 2>/dev/null
SQOUT=$(cat "$(tmpdir)/squat.out" 2>/dev/null)
if [ $((LOST1 - LOST0)) -eq 5 ]; then
	ok "5 L2TP control frames from the peer with no listener: frames_lost +5"
else
	not_ok "5 L2TP control frames from the peer with no listener: frames_lost +5" \
		"frames_lost $LOST0 -> $LOST1"
fi
if [[ "$SQOUT" == *"frames=0"* ]]; then
	ok "an unprivileged process bound to the old port $PORT receives no frame"
else
	not_ok "an unprivileged process bound to the old port $PORT receives no frame" \
		"$SQOUT $(cat "$(tmpdir)/squat.err" 2>/dev/null)"
fi

# ---- 2. one listener at a time -----------------------------------------------
HOLD_IN=$(tmpdir)/hold.in
mkfifo "$HOLD_IN"
nsx "$A" "$PYTHON" "$GENL_TOOL" listen-hold $DEV <"$HOLD_IN" >"$(tmpdir)/hold.out" 2>&1 &
HOLD_PID=$!
exec 7>"$HOLD_IN"
wait_for 10 grep -q errno "$(tmpdir)/hold.out"
hold=$(cat "$(tmpdir)/hold.out")
HPORT=${hold%% *}
if [[ "$hold" == *" errno=0 "* ]]; then
	ok "first listener (port $HPORT) accepted"
else
	not_ok "first listener accepted" "$hold"
fi
out=$(nsx "$A" "$PYTHON" "$GENL_TOOL" listen-once $DEV 2>&1)
if [[ "$out" == "errno=16 "*"$HPORT"* ]]; then
	ok "second listener refused: $out"
else
	not_ok "second listener refused with EBUSY naming port $HPORT" "$out" \
		"first listener alive: $(kill -0 "$HOLD_PID" 2>&1 && echo yes)" \
		"$(cat "$(tmpdir)/hold.out")"
fi
exec 7>&-
wait "$HOLD_PID"
out=$(nsx "$A" "$PYTHON" "$GENL_TOOL" listen-once $DEV 2>&1)
if [[ "$out" == "errno=0 "* ]]; then
	ok "after the first listener's socket is closed, a new listener is accepted"
else
	not_ok "after the first listener's socket is closed, a new listener is accepted" "$out"
fi

check "dmesg has no WARNING, BUG or Call Trace" dmesg_clean
ksft_exit
