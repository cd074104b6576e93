#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900
#
# 73-ike-nat: two L2TP/IPsec clients behind one NAT (strongSwan's charon,
# IKEv1, PSK) against l2tpsecd. Both float to UDP 4500 (RFC 3947), both
# get their own module peer (the same public address, different ports),
# and both carry traffic at once with the SAME inner L2TP tunnel and
# session ids and UDP port 1701 - the case xl2tpd + xfrm cannot tell apart.
#
#   C1 10.73.1.2 --\                                   S 10.73.0.1
#                   N (masquerade as 10.73.0.2) ------ l2tpsecd
#   C2 10.73.2.2 --/                                   l2tpsec0 10.99.73.1
#   tun 10.99.73.2 / 10.99.73.3 (tools/l2tp-xfrm-peer.py, tunnel 2/2 both)
#   C3 10.73.3.2 --/   (its UDP 4500 blocked in N; then against nat-t = no)
#
# Then the two ways a client behind the NAT fails to use NAT-T, each named
# by its line: its UDP 4500 does not get through (NAT-D found the NAT, the
# client floats, nothing arrives), and NAT-T off on our side (no NAT-D:
# the Quick Mode IDs give the NAT away). In between, with aggressive = yes,
# C3 behind the NAT uses Aggressive Mode: its message 3 comes on UDP 4500
# (RFC 3947 3.1), the SAs are ESP-in-UDP and a ping crosses them.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike-lib.sh"

require_root
require_module
require_ike
require_cmd ip nft ping
require_scapy
require_tun

S=$(ns_name s)
N=$(ns_name n)
C1=$(ns_name c1)
C2=$(ns_name c2)
C3=$(ns_name c3)
SO=10.73.0.1
NO=10.73.0.2
SI=10.99.73.1
PSK="nat psk 73"

ktap_plan 18

dmesg_mark
setup_netns "$S" "$N" "$C1" "$C2" "$C3"
veth_pair "$S" vS "$SO/24" "$N" vN "$NO/24"
veth_pair "$N" n1 10.73.1.1/24 "$C1" c1 10.73.1.2/24
veth_pair "$N" n2 10.73.2.1/24 "$C2" c2 10.73.2.2/24
veth_pair "$N" n3 10.73.3.1/24 "$C3" c3 10.73.3.2/24
nsx "$N" sysctl -qw net.ipv4.ip_forward=1
ip -n "$C1" route add default via 10.73.1.1
ip -n "$C2" route add default via 10.73.2.1
ip -n "$C3" route add default via 10.73.3.1
ip netns exec "$N" nft -f - <<NFT || bail_out "nft"
table ip nat73 {
	chain post {
		type nat hook postrouting priority 100;
		oifname "vN" masquerade
	}
}
NFT

ike_daemon_start srv "$S" "[ike]
psk = $PSK
retransmit-timeout = 2s
retransmit-tries = 2" || bail_out "l2tpsecd did not start"
SRV_PID=$BG_PID
SRVLOG=$TMPD/srv.err

# client NS LEFT INNER: charon + xfrm peer in NS.
client() {
	local ns=$1 left=$2 inner=$3 dir=$TMPD/charon-$1
	mkdir -p "$dir"
	charon_conf "$dir" "config setup
	uniqueids = no
conn l2tp
	keyexchange = ikev1
	authby = secret
	type = transport
	left = $left
	leftprotoport = 17/1701
	right = $SO
	rightprotoport = 17/1701
	ike = aes256-sha1-modp2048!
	esp = aes128-sha1!
	auto = start
	keyingtries = 1" "$left $SO : PSK \"$PSK\"" &&
	charon_start "charon-$ns" "$ns" "$dir" &&
	start_xfrm_peer "peer-$ns" "$ns" --local "$left:1701" --remote "$SO:1701" \
		--tun tunC --addr "$inner/32" --peer-addr "$SI" \
		--tunnel-id 1 --session-id 1 --my-tunnel-id 2 --my-session-id 2
}

pairs_up() {
	[ "$(grep -c 'ESP SA pair up' "$SRVLOG")" -ge "$1" ]
}

client "$C1" 10.73.1.2 10.99.73.2 || bail_out "client 1"
if wait_until 60 pairs_up 1; then
	ok "client 1 behind the NAT: established"
else
	not_ok "client 1 behind the NAT: established" "$(tail -n 10 "$SRVLOG")"
fi
P1=$(ike_peer_ids "$S" | head -n 1)
client "$C2" 10.73.2.2 10.99.73.3 || bail_out "client 2"
if wait_until 60 pairs_up 2; then
	ok "client 2 behind the same NAT: established"
else
	not_ok "client 2 behind the same NAT: established" "$(tail -n 10 "$SRVLOG")"
fi
P2=$(ike_peer_ids "$S" | grep -vx "$P1" | head -n 1)

if [ "$(grep -c 'NAT detected: the peer is behind a NAT' "$SRVLOG")" -ge 2 ]; then
	ok "NAT-D: the NAT in front of both clients is detected"
else
	not_ok "NAT-D: the NAT in front of both clients is detected" "$(grep NAT "$SRVLOG")"
fi
if [ "$(grep -c 'ESP SA pair up: aes128-sha1, .*, ESP-in-UDP, module peer' "$SRVLOG")" -ge 2 ]; then
	ok "both SA pairs are ESP-in-UDP"
else
	not_ok "both SA pairs are ESP-in-UDP" "$(grep 'pair up' "$SRVLOG")"
fi
# The module peers: the NAT's address, port 4500 on our side, two ports.
ports=$(show_json "$S" l2tpsec0 | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)["devices"][0]
print(" ".join("%s:%s/%s" % (p["remote"], p["remote_port"], p["encap"]) for p in d["peers"]))')
read -r pa pb <<<"$ports"
if [ -n "$pa" ] && [ -n "$pb" ] && [ "${pa%%:*}" = "$NO" ] && [ "${pb%%:*}" = "$NO" ] &&
   [ "$pa" != "$pb" ] && [[ "$pa" == */udp ]] && [[ "$pb" == */udp ]]; then
	ok "two module peers, one per client: $ports"
else
	not_ok "two module peers, one per client" "$ports"
fi
if grep -q "peer moved to $NO:[0-9]* (NAT-T float)" "$SRVLOG"; then
	ok "the clients floated to NAT-T (our log)"
else
	not_ok "the clients floated to NAT-T (our log)" "$(grep -i float "$SRVLOG")"
fi

# Same local tunnel/session ids on both peers: the SA tells them apart.
ip -n "$S" addr replace "$SI/32" dev l2tpsec0
ip -n "$S" link set l2tpsec0 up
for x in "$P1 10.99.73.2" "$P2 10.99.73.3"; do
	read -r p ip <<<"$x"
	ip -n "$S" route replace "$ip/32" dev l2tpsec0
	l2s "$S" session add l2tpsec0 peer "$p" tunnel 1 session 1 \
		peer-tunnel 2 peer-session 2 ipv4 "$ip" || diag "session on peer $p"
done
check "client 1: ping $SI across NAT-T" ike_ping "$C1" "$SI" 3
check "client 2: ping $SI across NAT-T" ike_ping "$C2" "$SI" 3
check "server: ping client 1 (10.99.73.2)" ike_ping "$S" 10.99.73.2 3
check "server: ping client 2 (10.99.73.3)" ike_ping "$S" 10.99.73.3 3
# Both at once.
nsx "$C1" ping -c 20 -i 0.05 -q "$SI" >"$TMPD/p1" 2>&1 &
W1=$!
nsx "$C2" ping -c 20 -i 0.05 -q "$SI" >"$TMPD/p2" 2>&1 &
W2=$!
wait "$W1" "$W2"
if grep -q " 0% packet loss" "$TMPD/p1" && grep -q " 0% packet loss" "$TMPD/p2"; then
	ok "both clients at once: no loss"
else
	not_ok "both clients at once: no loss" "$(cat "$TMPD/p1" "$TMPD/p2")"
fi
# Each session counted only its own client's packets.
cnt=$(json_query "$S" l2tpsec0 "session($P1, 1, 1)['stats']['rx_packets']" \
	"session($P2, 1, 1)['stats']['rx_packets']")
read -r r1 r2 <<<"$cnt"
if [ "${r1:-0}" -ge 23 ] && [ "${r2:-0}" -ge 23 ]; then
	ok "per-peer sessions counted their own traffic ($r1, $r2 packets)"
else
	not_ok "per-peer sessions counted their own traffic" "$cnt"
fi
# ---- NAT detected, but the client's UDP 4500 does not get through ----------
ip netns exec "$N" nft -f - <<NFT || bail_out "nft"
table ip block73 {
	chain forward_filter {
		type filter hook forward priority 0;
		ip saddr 10.73.3.2 udp dport 4500 drop
	}
}
NFT
# c3conf NAME [EXTRA]: charon in C3, PSK, one connection.
c3conf() {
	local dir=$TMPD/charon-$1
	mkdir -p "$dir"
	charon_conf "$dir" "config setup
	uniqueids = no
conn $1
	keyexchange = ikev1
	authby = secret
	type = transport
	left = 10.73.3.2
	leftprotoport = 17/1701
	right = $SO
	rightprotoport = 17/1701
	ike = aes256-sha1-modp2048!
	esp = aes128-sha1!
	auto = start
	keyingtries = 1
	${2:-}" "10.73.3.2 $SO : PSK \"$PSK\"" &&
	charon_start "charon-$1" "$C3" "$dir"
}
c3conf blocked || diag "charon in C3 did not start"
C3_PID=$BG_PID
re="^ike $NO:[0-9]+: phase 1: NAT detected but the peer does not float to NAT-T: nothing came on UDP 4500 after our message 4: is UDP 4500 from the peer to us blocked\\?\$"
if wait_log "$SRVLOG" "$re" 40; then
	ok "NAT, UDP 4500 blocked: named (NAT detected, the peer does not float)"
else
	not_ok "NAT, UDP 4500 blocked: named" "want: $re" "got: $(grep -E '^ike ' "$SRVLOG" | tail -n 3)"
fi
charon_stop "$C3_PID"
ip netns exec "$N" nft delete table ip block73

# ---- Aggressive Mode behind the NAT (aggressive = yes) ---------------------
bg_stop "$SRV_PID"
ip -n "$S" link del l2tpsec0 2>/dev/null
mv "$SRVLOG" "$TMPD/srv-0.err"
ike_daemon_start srv "$S" "[ike]
psk = $PSK
aggressive = yes
retransmit-timeout = 2s
retransmit-tries = 2" || bail_out "l2tpsecd (aggressive = yes) did not start"
SRV_PID=$BG_PID
start_xfrm_peer peer-am "$C3" --local 10.73.3.2:1701 --remote "$SO:1701" \
	--tun tunC --addr 10.99.73.4/32 --peer-addr "$SI" \
	--tunnel-id 1 --session-id 1 --my-tunnel-id 2 --my-session-id 2 ||
	diag "xfrm peer in C3 did not start"
PEER_AM_PID=$BG_PID
CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes" \
	c3conf am "aggressive = yes" || diag "charon in C3 did not start"
C3_PID=$BG_PID
if wait_until 60 pairs_up 1 &&
   grep -q "phase 1 established as responder: aes256-sha1-modp2048, pre-shared key, .*; peer behind NAT" "$SRVLOG" &&
   ! grep -q "we are behind" "$SRVLOG" &&
   grep -q "ESP SA pair up: aes128-sha1, .*, ESP-in-UDP, module peer" "$SRVLOG"; then
	ok "Aggressive Mode behind the NAT: established, ESP-in-UDP"
else
	not_ok "Aggressive Mode behind the NAT: established, ESP-in-UDP" \
		"$(grep -E '^ike |^ipsec ' "$SRVLOG" | tail -n 8)" \
		"$(grep -E 'IKE\]|ENC\]' "$TMPD/charon-am/charon.log" | tail -n 10)"
fi
if grep -q "peer moved to $NO:[0-9]* (NAT-T float)" "$SRVLOG"; then
	ok "Aggressive Mode behind the NAT: message 3 came on UDP 4500 (float)"
else
	not_ok "Aggressive Mode behind the NAT: message 3 came on UDP 4500 (float)" \
		"$(grep -iE 'float|moved|NAT' "$SRVLOG")"
fi
peer=$(ike_peer_ids "$S" | tail -n 1)
[ -n "$peer" ] && ike_static_session "$S" "$peer" "$SI" 10.99.73.4 >/dev/null
ip -n "$S" link set l2tpsec0 up 2>/dev/null
check "Aggressive Mode behind the NAT: ping $SI from C3 across NAT-T" \
	ike_ping "$C3" "$SI" 3
charon_stop "$C3_PID"
bg_stop "$PEER_AM_PID"

# ---- NAT-T off here: a client behind the NAT cannot use it -----------------
bg_stop "$SRV_PID"
ip -n "$S" link del l2tpsec0 2>/dev/null
mv "$SRVLOG" "$TMPD/srv-1.err"
ike_daemon_start srv "$S" "[ike]
psk = $PSK
nat-t = no
retransmit-timeout = 2s
retransmit-tries = 2" || bail_out "l2tpsecd (nat-t = no) did not start"
c3conf nonatt || diag "charon in C3 did not start"
re="^ike $NO:[0-9]+: phase 2: NAT between us, but the peer does not use NAT-T: it says its address is 10.73.3.2, its packets come from $NO; nat-t = no here: set nat-t = yes\$"
if wait_log "$SRVLOG" "$re" 40; then
	ok "NAT, NAT-T off here: named from the client's Quick Mode IDs"
else
	not_ok "NAT, NAT-T off here: named" "want: $re" "got: $(grep -E '^ike ' "$SRVLOG" | tail -n 3)"
fi

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi
ksft_exit
