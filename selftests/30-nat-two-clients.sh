#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 30-nat-two-clients: two clients behind one NAT, identical inside.
#
#   C1 10.1.1.2 --\                          /-- S 10.0.30.1 (l2tpsec0 10.99.30.1)
#                  N (nftables SNAT) 10.0.30.254   peer 1: 10.0.30.254:40001
#   C2 10.1.2.2 --/   C1 udp/4500 -> :40001          peer 2: 10.0.30.254:40999
#                     C2 udp/4500 -> :40002                  (wrong: must float)
#
# Both clients run l2tpsec.ko with ESP-in-UDP from port 4500, inner UDP
# 1701, and the SAME L2TP tunnel and session ids (100/10 locally, 7/70 at
# the server); the server has the same local ids for both sessions too.
# What tells them apart is the SA, then the outer address and port.
#
# Checks: each client reaches the server; the server's peer 1 keeps port
# 40001; peer 2, configured with a wrong port, floats to 40002 on the first
# authenticated packet and a PEER_FLOAT event says so; both clients ping at
# once and each server session counts its own packets; the server reaches
# each client by its inner IPv4 and IPv6 address.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip ping nft awk od

S=$(ns_name s)
N=$(ns_name n)
C1=$(ns_name c1)
C2=$(ns_name c2)
SO=10.0.30.1
NP=10.0.30.254
C1O=10.1.1.2
C2O=10.1.2.2
SI=10.99.30.1
C1I=10.99.30.11
C2I=10.99.30.12
SI6=fd00:99:30::1
C1I6=fd00:99:30::11
C2I6=fd00:99:30::12
DEV=l2tpsec0
ALG1=aes-gcm-256
ALG2=aes-cbc-256-sha256-128

ktap_plan 14
dmesg_mark

setup_netns "$S" "$N" "$C1" "$C2"
veth_pair "$S" sS "$SO/24" "$N" nS "$NP/24"
veth_pair "$C1" c1 "$C1O/24" "$N" n1 10.1.1.1/24
veth_pair "$C2" c2 "$C2O/24" "$N" n2 10.1.2.1/24
ip -n "$C1" route add default via 10.1.1.1
ip -n "$C2" route add default via 10.1.2.1
nsx "$N" sysctl -qw net.ipv4.ip_forward=1

nsx "$N" nft -f - <<EOF || bail_out "nftables rules in N"
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "nS" ip saddr $C1O udp sport 4500 snat to $NP:40001
		oifname "nS" ip saddr $C2O udp sport 4500 snat to $NP:40002
		oifname "nS" masquerade
	}
}
EOF

algo_keys $ALG1; K_C1S="$KEY_ENC:$KEY_AUTH"
algo_keys $ALG1; K_SC1="$KEY_ENC:$KEY_AUTH"
algo_keys $ALG2; K_C2S="$KEY_ENC:$KEY_AUTH"
algo_keys $ALG2; K_SC2="$KEY_ENC:$KEY_AUTH"

# SPIs: 0x3001 C1->S, 0x3002 S->C1, 0x3003 C2->S, 0x3004 S->C2
#
# Order matters, as with any NAT: the server must not send to 10.0.30.254:
# 40001 before C1 has spoken (its IPv6 autoconfiguration would), or N's
# conntrack holds that tuple for the server's flow and SNAT of C1's packets
# to :40001 finds it taken and drops them. So the server gets its peers and
# SAs first but its sessions last, after each client sent one packet (its
# ping fails: no session yet; the NAT mapping now exists).
setup_all() {
	l2s_side ns="$S" dev=$DEV encap=udp laddr=$SO raddr=$NP rport=40001 \
		peer=1 alg=$ALG1 spi_in=0x3001 keys_in="$K_C1S" \
		spi_out=0x3002 keys_out="$K_SC1" ltid=7 lsid=70 rtid=100 rsid=10 \
		ip=$SI peer_ip=$C1I ip6=$SI6 peer_ip6=$C1I6 session=no || return 1
	l2s_side ns="$S" dev=$DEV encap=udp laddr=$SO raddr=$NP rport=40999 \
		peer=2 alg=$ALG2 spi_in=0x3003 keys_in="$K_C2S" \
		spi_out=0x3004 keys_out="$K_SC2" ltid=7 lsid=70 rtid=100 rsid=10 \
		ip=$SI peer_ip=$C2I ip6=$SI6 peer_ip6=$C2I6 session=no || return 1
	l2s_side ns="$C1" dev=$DEV encap=udp laddr=$C1O raddr=$SO \
		peer=1 alg=$ALG1 spi_in=0x3002 keys_in="$K_SC1" \
		spi_out=0x3001 keys_out="$K_C1S" ltid=100 lsid=10 rtid=7 rsid=70 \
		ip=$C1I peer_ip=$SI ip6=$C1I6 peer_ip6=$SI6 || return 1
	l2s_side ns="$C2" dev=$DEV encap=udp laddr=$C2O raddr=$SO \
		peer=1 alg=$ALG2 spi_in=0x3004 keys_in="$K_SC2" \
		spi_out=0x3003 keys_out="$K_C2S" ltid=100 lsid=10 rtid=7 rsid=70 \
		ip=$C2I peer_ip=$SI ip6=$C2I6 peer_ip6=$SI6 || return 1
	# each client speaks first: its NAT mapping exists before the server
	# can send (these pings fail: the server has no session yet)
	ping_ok "$C1" "$SI" 1 >/dev/null 2>&1
	ping_ok "$C2" "$SI" 1 >/dev/null 2>&1
	l2s_session "$S" $DEV 1 7 70 100 10 $C1I $C1I6 || return 1
	l2s_session "$S" $DEV 2 7 70 100 10 $C2I $C2I6 || return 1
}

# PEER_FLOAT listener (raw genl: prints "ready" once subscribed), before
# anything exists: a client's first packet (even IPv6 autoconfiguration
# traffic) may float the peer.
bg_start float ip netns exec "$S" "$PYTHON" "$GENL_TOOL" listen \
	--kind "$L2TPSEC_EVENT_PEER_FLOAT" --timeout 180
FLOAT_PID=$BG_PID
bg_ready float 30 || diag "event listener not ready: $(cat "$TMPD/float.err")"

if setup_all; then
	ok "server with two peers, two clients behind SNAT, same L2TP ids everywhere"
else
	not_ok "server with two peers, two clients behind SNAT, same L2TP ids everywhere"
	for i in $(seq 12); do
		skip "NAT test $i" "setup failed"
	done
	ksft_exit
fi

if ! check "C1 -> server: ping $SI via NAT port 40001" ping_ok "$C1" "$SI" 2; then
	dump_state "$S" "$C1"
	diag "N conntrack:" "$(nsx "$N" cat /proc/net/nf_conntrack 2>&1)"
	diag "C1 neighbours:" "$(ip -n "$C1" neigh)" "C1 c1 link:" "$(ip -s -n "$C1" link show c1)"
	diag "C1 counters:" "$(nsx "$C1" nstat -az 2>/dev/null | grep -E '^(IpOut|IpExtOut|UdpOut|UdpSnd|IpInDiscards)')"
	diag "N n1 link:" "$(ip -s -n "$N" link show n1)"
fi
port=$(json_query "$S" $DEV "peer(1)['remote_port']")
if [ "$port" = 40001 ]; then
	ok "server peer 1 keeps port 40001"
else
	not_ok "server peer 1 keeps port 40001" "remote_port $port"
fi

check "C2 -> server: ping $SI (server peer 2 configured with port 40999)" \
	ping_ok "$C2" "$SI" 3 || dump_state "$S" "$C2"
rp=$(json_query "$S" $DEV "peer(2)['remote']" "peer(2)['remote_port']")
if [ "$rp" = "$NP 40002" ]; then
	ok "server peer 2 floated to the observed $NP:40002"
else
	not_ok "server peer 2 floated to the observed $NP:40002" "peer 2 remote: $rp"
fi

wait "$FLOAT_PID"
frc=$?
ev=$(cat "$TMPD/float.out")
# event attributes by number: 1 kind, 2 peer id, 6 remote ipv4, 7 remote port
if [ $frc -eq 0 ] && echo "$ev" | grep -q '"2": 2' && echo "$ev" | grep -q '"7": 40002'; then
	ok "PEER_FLOAT event for peer 2, port 40002"
else
	not_ok "PEER_FLOAT event for peer 2, port 40002" "listener rc $frc" "$ev" \
		"$(cat "$TMPD/float.err")"
fi

before=$(json_query "$S" $DEV "session(1, 7, 70)['stats']['rx_packets']" \
	"session(2, 7, 70)['stats']['rx_packets']")
bg_start ping1 ip netns exec "$C1" timeout 30 ping -n -q -c 20 -i 0.1 -W 2 "$SI"
P1=$BG_PID
bg_start ping2 ip netns exec "$C2" timeout 30 ping -n -q -c 20 -i 0.1 -W 2 "$SI"
P2=$BG_PID
wait "$P1"
r1=$?
wait "$P2"
r2=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ]; then
	ok "C1 and C2 ping the server at the same time (20 packets each)"
else
	not_ok "C1 and C2 ping the server at the same time (20 packets each)" \
		"C1: $(tail -n 2 "$TMPD/ping1.out")" "C2: $(tail -n 2 "$TMPD/ping2.out")"
fi
after=$(json_query "$S" $DEV "session(1, 7, 70)['stats']['rx_packets']" \
	"session(2, 7, 70)['stats']['rx_packets']")
read -r b1 b2 <<<"$before"
read -r a1 a2 <<<"$after"
for i in 1 2; do
	if [ "$i" = 1 ]; then d=$((${a1:-0} - ${b1:-0})); else d=$((${a2:-0} - ${b2:-0})); fi
	if [ "$d" -ge 20 ] && [ "$d" -le 30 ]; then
		ok "server session of peer $i (tunnel 7 session 70) counted its own client's packets: +$d"
	else
		not_ok "server session of peer $i (tunnel 7 session 70) counted its own client's packets" \
			"rx_packets delta $d (want 20..30): before $before after $after"
	fi
done

check "server -> C1: ping $C1I" ping_ok "$S" "$C1I" 2
check "server -> C2: ping $C2I" ping_ok "$S" "$C2I" 2
check "server -> C1: ping6 $C1I6" ping_ok "$S" "$C1I6" 2
check "server -> C2: ping6 $C2I6" ping_ok "$S" "$C2I6" 2

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
