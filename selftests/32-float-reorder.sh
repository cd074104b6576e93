#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 32-float-reorder: an authenticated but older packet does not move a peer.
#
#   C 10.0.32.2:4500  ---- ESP-in-UDP ----  S 10.0.32.1:4500
#   (l2tpsec0 10.99.32.2)                   (l2tpsec0 10.99.32.1)
#
# The server drops one of C's packets on its way in (nftables, after the
# capture socket saw it), C then sends more, and the held packet arrives
# late and from another source port (4501), the way a reordering path or
# an old NAT binding delivers it. It is inside the replay window and
# never seen, so it is accepted, but it does not advance the top of the
# window: the peer must stay at 10.0.32.2:4500 (RFC 3948 and xfrm's
# NAT-T mapping update only for the newest packet) and the server must
# still reach C. A peer that floats on the first packet is tested in
# 30-nat-two-clients.sh.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/xfrm-lib.sh"

require_root
require_module
require_scapy
require_cmd ip ping nft

S=$(ns_name s)
C=$(ns_name c)
SO=10.0.32.1
CO=10.0.32.2
SI=10.99.32.1
CI=10.99.32.2
DEV=l2tpsec0
ALG=aes-gcm-128

ktap_plan 6
dmesg_mark

setup_netns "$S" "$C"
for ns in "$S" "$C"; do
	nsx "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
done
veth_pair "$S" sS "$SO/24" "$C" sC "$CO/24"

algo_keys $ALG; K_CS="$KEY_ENC:$KEY_AUTH"
algo_keys $ALG; K_SC="$KEY_ENC:$KEY_AUTH"

setup_all() {
	l2s_side ns="$S" dev=$DEV encap=udp laddr=$SO raddr=$CO \
		peer=1 alg=$ALG spi_in=0x3201 keys_in="$K_CS" \
		spi_out=0x3202 keys_out="$K_SC" ltid=7 lsid=70 rtid=100 rsid=10 \
		ip=$SI peer_ip=$CI || return 1
	l2s_side ns="$C" dev=$DEV encap=udp laddr=$CO raddr=$SO \
		peer=1 alg=$ALG spi_in=0x3202 keys_in="$K_SC" \
		spi_out=0x3201 keys_out="$K_CS" ltid=100 lsid=10 rtid=7 rsid=70 \
		ip=$CI peer_ip=$SI || return 1
	ping_ok "$C" "$SI" 2 >/dev/null
}

if setup_all; then
	ok "ESP-in-UDP pair up, C pings S"
else
	not_ok "ESP-in-UDP pair up, C pings S"
	dump_state "$S" "$C"
	for i in $(seq 5); do
		skip "float test $i" "setup failed"
	done
	ksft_exit
fi

# Hold one packet of C: captured on S's interface, dropped by S's
# nftables before ESP sees it.
nsx "$S" nft -f - <<EOF || bail_out "nftables drop rule in S"
table ip hold {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		ip saddr $CO udp dport 4500 drop
	}
}
EOF
capture_start held "$S" sS "$CO" "$SO" udp 1
CAP=$BG_PID
nsx "$C" ping -4 -n -q -c 1 -W 1 "$SI" >/dev/null 2>&1
if capture_wait "$CAP" && [ -s "$TMPD/held.pkts" ]; then
	ok "one ESP packet of C held back"
else
	not_ok "one ESP packet of C held back" "$(cat "$TMPD/held.err")"
fi
nsx "$S" nft delete table ip hold
# newer packets: the window's top moves past the held one
ping_ok "$C" "$SI" 3 >/dev/null 2>&1

Q=("sa(0x3201, 'in')['stats']['rx_packets']"
   "sa(0x3201, 'in')['stats']['replay_drops']")
before=$(json_query "$S" $DEV "${Q[@]}")
inject "$C" "$TMPD/held.pkts" sport=4501
sleep 1
after=$(json_query "$S" $DEV "${Q[@]}")
read -r b_rx b_rp <<<"$before"
read -r a_rx a_rp <<<"$after"
if [ "$((a_rx - b_rx))" = 1 ] && [ "$a_rp" = "$b_rp" ]; then
	ok "the late packet from port 4501 is accepted (in the window, never seen)"
else
	not_ok "the late packet from port 4501 is accepted (in the window, never seen)" \
		"SA 0x3201 rx_packets/replay_drops: before $before after $after"
fi

rp=$(json_query "$S" $DEV "peer(1)['remote']" "peer(1)['remote_port']")
if [ "$rp" = "$CO 4500" ]; then
	ok "peer stays at $CO:4500: an older packet does not float it"
else
	not_ok "peer stays at $CO:4500: an older packet does not float it" \
		"peer 1 remote: $rp"
fi

check "S still reaches C (its packets go to port 4500)" ping_ok "$S" "$CI" 3

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
