#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 31-inner-source: a session delivers only what its own client sends, and
# a server encrypts only to clients that are there.
#
#   C1 10.1.1.2 --\                          /-- S 10.0.31.1 (l2tpsec0 10.99.31.1)
#                  N (nftables SNAT) 10.0.31.254   peer 1: 10.0.31.254:40001
#   C2 10.1.2.2 --/   C1 udp/4500 -> :40001          peer 2: 10.0.31.254:40002
#
# The topology of 30-nat-two-clients (same inner ports and L2TP ids for
# both clients). C1 is logged in with 10.99.31.11, C2 with 10.99.31.12.
#
# Inner source (allowed addresses, RX): C1 sends with C2's IPv4 and IPv6
# address and with an address of the server's LAN. The server must drop
# each packet before its stack sees it (an nftables counter on S's input
# stays at 0), count it as inner_source_drops on the device, peer 1, its
# inbound SA and session 1 (text and JSON of `l2tpsec show`), say so in a
# debug line naming the session and the address, and C2's traffic must
# be untouched (pings pass, session 2 counts no such drop).
#
# Single-session fallback: C2 leaves (its session is deleted) while the
# server keeps a route covering the whole client range. Packets for C2
# must be dropped as no-route on the server, not encrypted to C1, the
# only session left; C1 still reaches the server and back.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip ping nft awk

S=$(ns_name s)
N=$(ns_name n)
C1=$(ns_name c1)
C2=$(ns_name c2)
SO=10.0.31.1
NP=10.0.31.254
C1O=10.1.1.2
C2O=10.1.2.2
SI=10.99.31.1
C1I=10.99.31.11
C2I=10.99.31.12
LAN=192.168.31.7
SI6=fd00:99:31::1
C1I6=fd00:99:31::11
C2I6=fd00:99:31::12
DEV=l2tpsec0
ALG=aes-gcm-128
# Spoofed echo requests carry 333 bytes: IPv4 total length 361, IPv6
# payload length 341, so that nftables can tell them from real traffic.
SPOOF_SIZE=333

ktap_plan 14
dmesg_mark

setup_netns "$S" "$N" "$C1" "$C2"
# No kernel link-local address on the l2tpsec devices: their router
# solicitations would be (correctly) dropped and blur the counters.
for ns in "$S" "$C1" "$C2"; do
	nsx "$ns" sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
done
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

# What reaches the server's stack from l2tpsec0 with a spoofed source, and
# what reaches C1 addressed to C2.
nsx "$S" nft -f - <<EOF || bail_out "nftables counters in S"
table inet t {
	counter spoof4 {}
	counter spoof6 {}
	counter lan {}
	chain in {
		type filter hook prerouting priority 0; policy accept;
		iifname "$DEV" ip saddr $C2I ip length 361 counter name spoof4
		iifname "$DEV" ip6 saddr $C2I6 ip6 length 341 counter name spoof6
		iifname "$DEV" ip saddr $LAN counter name lan
	}
}
EOF
nsx "$C1" nft -f - <<EOF || bail_out "nftables counters in C1"
table inet t {
	counter for_c2 {}
	chain in {
		type filter hook prerouting priority 0; policy accept;
		iifname "$DEV" ip daddr $C2I icmp type echo-request counter name for_c2
	}
}
EOF

# nft_count NS NAME: packets of a named counter.
nft_count() {
	nsx "$1" nft list counter inet t "$2" |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

algo_keys $ALG; K_C1S="$KEY_ENC:$KEY_AUTH"
algo_keys $ALG; K_SC1="$KEY_ENC:$KEY_AUTH"
algo_keys $ALG; K_C2S="$KEY_ENC:$KEY_AUTH"
algo_keys $ALG; K_SC2="$KEY_ENC:$KEY_AUTH"

# The server's sessions come last, after each client made its NAT
# mapping (see 30-nat-two-clients.sh).
setup_all() {
	l2s_side ns="$S" dev=$DEV encap=udp laddr=$SO raddr=$NP rport=40001 \
		peer=1 alg=$ALG spi_in=0x3101 keys_in="$K_C1S" \
		spi_out=0x3102 keys_out="$K_SC1" ltid=7 lsid=70 rtid=100 rsid=10 \
		ip=$SI peer_ip=$C1I ip6=$SI6 peer_ip6=$C1I6 session=no || return 1
	l2s_side ns="$S" dev=$DEV encap=udp laddr=$SO raddr=$NP rport=40002 \
		peer=2 alg=$ALG spi_in=0x3103 keys_in="$K_C2S" \
		spi_out=0x3104 keys_out="$K_SC2" ltid=7 lsid=70 rtid=100 rsid=10 \
		ip=$SI peer_ip=$C2I ip6=$SI6 peer_ip6=$C2I6 session=no || return 1
	l2s_side ns="$C1" dev=$DEV encap=udp laddr=$C1O raddr=$SO \
		peer=1 alg=$ALG spi_in=0x3102 keys_in="$K_SC1" \
		spi_out=0x3101 keys_out="$K_C1S" ltid=100 lsid=10 rtid=7 rsid=70 \
		ip=$C1I peer_ip=$SI ip6=$C1I6 peer_ip6=$SI6 || return 1
	l2s_side ns="$C2" dev=$DEV encap=udp laddr=$C2O raddr=$SO \
		peer=1 alg=$ALG spi_in=0x3104 keys_in="$K_SC2" \
		spi_out=0x3103 keys_out="$K_C2S" ltid=100 lsid=10 rtid=7 rsid=70 \
		ip=$C2I peer_ip=$SI ip6=$C2I6 peer_ip6=$SI6 || return 1
	ping_ok "$C1" "$SI" 1 >/dev/null 2>&1
	ping_ok "$C2" "$SI" 1 >/dev/null 2>&1
	l2s_session "$S" $DEV 1 7 70 100 10 $C1I $C1I6 || return 1
	l2s_session "$S" $DEV 2 7 70 100 10 $C2I $C2I6 || return 1
	# C1, the attacker, may put any address on its own device.
	run_ok ip -n "$C1" addr add "$C2I/32" dev $DEV || return 1
	run_ok ip -n "$C1" addr add "$LAN/32" dev $DEV || return 1
	run_ok ip -n "$C1" -6 addr add "$C2I6/128" dev $DEV nodad
}

if setup_all && ping_ok "$C1" "$SI" 2 >/dev/null && ping_ok "$C2" "$SI" 2 >/dev/null; then
	ok "two clients behind one NAT reach the server"
else
	not_ok "two clients behind one NAT reach the server"
	dump_state "$S" "$C1" "$C2"
	for i in $(seq 12); do
		skip "inner source test $i" "setup failed"
	done
	ksft_exit
fi

# The debug line is net_dbg_ratelimited(): switch it on when we can.
DYNDBG=/sys/kernel/debug/dynamic_debug/control
HAVE_DYNDBG=0
if [ -w "$DYNDBG" ] && echo 'module l2tpsec +p' >"$DYNDBG" 2>/dev/null; then
	HAVE_DYNDBG=1
fi

# counters of the drops on every level, one line
ISD="['stats']['inner_source_drops']"
isd_all() {
	json_query "$S" $DEV "dev$ISD" "peer(1)$ISD" "sa(0x3101, 'in')$ISD" \
		"session(1, 7, 70)$ISD" "session(2, 7, 70)$ISD"
}
before=$(isd_all) || before="0 0 0 0 0"

# C1 speaks as C2 (IPv4 and IPv6) and as a host of the server's LAN.
nsx "$C1" ping -4 -n -q -c 5 -i 0.2 -W 1 -s $SPOOF_SIZE -I "$C2I" "$SI" >/dev/null 2>&1
nsx "$C1" ping -6 -n -q -c 5 -i 0.2 -W 1 -s $SPOOF_SIZE -I "$C2I6" "$SI6" >/dev/null 2>&1
nsx "$C1" ping -4 -n -q -c 5 -i 0.2 -W 1 -I "$LAN" "$SI" >/dev/null 2>&1

n4=$(nft_count "$S" spoof4)
n6=$(nft_count "$S" spoof6)
nl=$(nft_count "$S" lan)
if [ "$n4" = 0 ] && [ "$n6" = 0 ] && [ "$nl" = 0 ]; then
	ok "server's stack saw none of C1's packets with C2's or a LAN source"
else
	not_ok "server's stack saw none of C1's packets with C2's or a LAN source" \
		"delivered: as $C2I $n4, as $C2I6 $n6, as $LAN $nl (of 5 each)"
fi

after=$(isd_all)
rc=$?
read -r -a B <<<"$before"
read -r -a A <<<"$after"
LEVELS=("device" "peer 1" "SA 0x3101 in" "session 1 (tunnel 7 session 70)")
for i in 0 1 2 3; do
	what=${LEVELS[$i]}
	d=$(( ${A[$i]:-0} - ${B[$i]:-0} ))
	if [ $rc -eq 0 ] && [ "$d" -ge 15 ] && [ "$d" -le 20 ]; then
		ok "inner_source_drops of the $what: +$d"
	else
		not_ok "inner_source_drops of the $what" \
			"delta $d (want 15..20): before '$before' after '$after'"
	fi
done
d=$(( ${A[4]:-1} - ${B[4]:-0} ))
if [ $rc -eq 0 ] && [ "$d" = 0 ]; then
	ok "C2's session counted no inner source drop"
else
	not_ok "C2's session counted no inner source drop" \
		"before '$before' after '$after'"
fi

txt=$(nsx "$S" "$L2TPSEC_BIN" show $DEV 2>&1)
if echo "$txt" | grep -Eq 'inner-source [1-9]'; then
	ok "l2tpsec show names the inner-source drops"
else
	not_ok "l2tpsec show names the inner-source drops" "$txt"
fi

if [ "$HAVE_DYNDBG" = 0 ]; then
	skip "debug line names the session and the spoofed address" "no dynamic debug"
elif dmesg | tail -n +"$((DMESG_START + 1))" |
	grep -E "peer 1 tunnel 7 session 70: inner source $C2I " | grep -q .; then
	ok "debug line names the session and the spoofed address"
else
	not_ok "debug line names the session and the spoofed address" \
		"$(dmesg | tail -n +"$((DMESG_START + 1))" | grep l2tpsec | tail -n 5)"
fi
[ "$HAVE_DYNDBG" = 1 ] && echo 'module l2tpsec -p' >"$DYNDBG" 2>/dev/null

check "the victim C2 still pings the server (IPv4)" ping_ok "$C2" "$SI" 3
check "the victim C2 still pings the server (IPv6)" ping_ok "$C2" "$SI6" 3

# ---- the only session left gets nothing that is not its own ----------------

l2s "$S" session del $DEV peer 2 tunnel 7 session 70
run_ok ip -n "$S" route add 10.99.31.0/24 dev $DEV
nr_before=$(stat_of "$S" $DEV dev no_route_drops)
nsx "$S" ping -4 -n -q -c 5 -i 0.2 -W 1 "$C2I" >/dev/null 2>&1
nr_after=$(stat_of "$S" $DEV dev no_route_drops)
got=$(nft_count "$C1" for_c2)
d=$(( ${nr_after:-0} - ${nr_before:-0} ))
if [ "$got" = 0 ] && [ "$d" -ge 5 ]; then
	ok "one session left: traffic for the absent C2 dropped as no-route (+$d), not sent to C1"
else
	not_ok "one session left: traffic for the absent C2 dropped as no-route, not sent to C1" \
		"C1 received $got echo requests for $C2I; server no_route_drops +$d"
fi
check "C1 still pings the server after C2 left" ping_ok "$C1" "$SI" 3

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
