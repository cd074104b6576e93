#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900
#
# 74-ike-initiator: l2tpsecd as the IKEv1 initiator ([peer] initiate =
# yes, the LAC side) against strongSwan's charon as the responder, first
# directly, then with l2tpsecd behind a NAT (it floats to UDP 4500 itself
# and sends the NAT keepalives). Traffic crosses the negotiated SAs with a
# static L2TP session on our side and tools/l2tp-xfrm-peer.py on charon's.
#
#   netns L (l2tpsecd, initiator)          netns R (charon, responder)
#   10.74.0.1 ------------------- veth --- 10.74.0.2
#   netns L2 10.74.1.2 -- N (masquerade as 10.74.0.3) --/

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike-lib.sh"

require_root
require_module
require_ike
require_cmd ip nft ping
require_scapy
require_tun

L=$(ns_name l)
R=$(ns_name r)
N=$(ns_name n)
L2=$(ns_name l2)
RO=10.74.0.2
PSK="initiator psk 74"
LI=10.99.74.1
RI=10.99.74.2

ktap_plan 11

dmesg_mark
setup_netns "$L" "$R" "$N" "$L2"
ip link add br74 netns "$R" type bridge
ip -n "$R" link set br74 up
ip -n "$R" addr add "$RO/24" dev br74
ip link add vL netns "$L" type veth peer name rL netns "$R"
ip link add vN netns "$N" type veth peer name rN netns "$R"
for x in rL rN; do
	ip -n "$R" link set "$x" master br74 up
done
ip -n "$L" addr add 10.74.0.1/24 dev vL
ip -n "$L" link set vL up
ip -n "$N" addr add 10.74.0.3/24 dev vN
ip -n "$N" link set vN up
veth_pair "$N" nl 10.74.1.1/24 "$L2" vL2 10.74.1.2/24
ip -n "$L2" route add default via 10.74.1.1
nsx "$N" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$N" nft -f - <<NFT || bail_out "nft"
table ip nat74 {
	chain post {
		type nat hook postrouting priority 100;
		oifname "vN" masquerade
	}
	chain forward_filter {
		type filter hook forward priority 0;
		ip saddr 10.74.1.2 udp dport 4500 udp length 9 @th,64,8 0xff counter
	}
}
NFT

CH=$TMPD/charon
mkdir -p "$CH"
charon_conf "$CH" "config setup
	uniqueids = no
conn lac
	keyexchange = ikev1
	authby = secret
	type = transport
	left = $RO
	leftprotoport = 17/1701
	right = %any
	rightprotoport = 17/1701
	ike = aes256-sha256-modp2048,aes128-sha1-ecp256!
	esp = aes256-sha256,aes128-sha1!
	auto = add
	dpdaction = clear
	dpddelay = 5s" ": PSK \"$PSK\"" || bail_out "charon conf"
charon_start charon "$R" "$CH" || bail_out "charon did not start"

start_xfrm_peer peer "$R" --local "$RO:1701" --remote "10.74.0.1:1701" \
	--tun tunR --addr "$RI/32" --peer-addr "$LI" \
	--tunnel-id 1 --session-id 1 --my-tunnel-id 2 --my-session-id 2 ||
	bail_out "xfrm peer"

# ---- direct ----------------------------------------------------------------
ike_daemon_start lac "$L" "[ike]
retransmit-timeout = 2s
[peer lns]
remote = $RO
initiate = yes
psk = $PSK
proposals = aes256-sha256-modp2048
esp = aes256-sha256" || bail_out "l2tpsecd"
LOG=$TMPD/lac.err
LAC_PID=$BG_PID
if wait_log "$LOG" "ESP SA pair up" 60 &&
   wait_log "$CH/charon.log" "CHILD_SA lac\{[0-9]+\} established" 20; then
	ok "initiator: Main Mode + Quick Mode to charon"
else
	not_ok "initiator: Main Mode + Quick Mode to charon" "$(tail -n 10 "$LOG")" \
		"$(grep -E 'IKE\]|CFG\]' "$CH/charon.log" | tail -n 10)"
fi
if grep -q "phase 1 established as initiator: aes256-sha256-modp2048" "$LOG" &&
   grep -q "ESP SA pair up: aes256-sha256 (ICV 128 bits)" "$LOG"; then
	ok "initiator: our proposals were chosen (aes256-sha256-modp2048, aes256-sha256)"
else
	not_ok "initiator: our proposals were chosen" "$(grep -E 'established|pair up' "$LOG")"
fi
peer=$(ike_peer_ids "$L" | head -n 1)
ike_static_session "$L" "$peer" "$LI" "$RI" >/dev/null
ip -n "$L" link set l2tpsec0 up
check "initiator: ping $RI across the SAs" ike_ping "$L" "$RI" 3
check "initiator: ping $LI from the responder" ike_ping "$R" "$LI" 3
if grep -q "DPD: R-U-THERE .*: answering" "$LOG" || wait_log "$LOG" "R-U-THERE .*: answering" 15; then
	ok "initiator: charon's DPD is answered"
else
	not_ok "initiator: charon's DPD is answered" "$(grep DPD "$LOG" | tail -n 3)"
fi
bg_stop "$LAC_PID"
if wait_log "$CH/charon.log" "received DELETE for ESP CHILD_SA with SPI" 15 &&
   wait_log "$CH/charon.log" "received DELETE for IKE_SA lac" 10; then
	ok "initiator shutdown: charon receives our DELETEs (ESP SA, then ISAKMP SA)"
else
	not_ok "initiator shutdown: charon receives our DELETE" "$(tail -n 8 "$CH/charon.log")"
fi

# ---- behind a NAT ----------------------------------------------------------
start_xfrm_peer peer2 "$R" --local "$RO:1701" --remote "10.74.0.3:1701" \
	--tun tunR2 --addr 10.99.74.4/32 --peer-addr 10.99.74.3 \
	--tunnel-id 1 --session-id 1 --my-tunnel-id 2 --my-session-id 2 ||
	diag "xfrm peer 2"
ike_daemon_start lac2 "$L2" "[ike]
retransmit-timeout = 2s
keepalive = 2
[peer lns]
remote = $RO
initiate = yes
psk = $PSK" || bail_out "l2tpsecd behind NAT"
LOG=$TMPD/lac2.err
if wait_log "$LOG" "ESP SA pair up: .*ESP-in-UDP" 60; then
	ok "initiator behind NAT: established, ESP-in-UDP"
else
	not_ok "initiator behind NAT: established, ESP-in-UDP" "$(tail -n 10 "$LOG")"
fi
if grep -q "NAT detected: we are behind a NAT" "$LOG"; then
	ok "initiator behind NAT: NAT-D says we are behind the NAT"
else
	not_ok "initiator behind NAT: NAT-D says we are behind the NAT" "$(grep NAT "$LOG")"
fi
peer=$(ike_peer_ids "$L2" | head -n 1)
ike_static_session "$L2" "$peer" 10.99.74.3 10.99.74.4 >/dev/null
ip -n "$L2" link set l2tpsec0 up
check "initiator behind NAT: ping across NAT-T" ike_ping "$L2" 10.99.74.4 3
# keepalive = 2: one-byte 0xFF datagrams to UDP 4500 cross the NAT.
ka() {
	ip netns exec "$N" nft list chain ip nat74 forward_filter |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}
ka_seen() { [ "$(ka)" -ge 2 ] 2>/dev/null; }
if wait_until 10 ka_seen; then
	ok "initiator behind NAT: NAT-T keepalives sent ($(ka) seen by the NAT)"
else
	not_ok "initiator behind NAT: NAT-T keepalives sent" "seen by the NAT: $(ka)"
fi

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi
ksft_exit
