#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/demo-guest.sh: runs inside the VM (tools/demo.sh boots it).
#
# Brings up an L2TP/IPsec connection between a "server" and a "client"
# network namespace joined by a veth pair, both ends on l2tpsec.ko, over
# ESP-in-UDP (NAT-T) with AES-256-GCM, then shows it and pushes traffic
# through it. Until l2tpsecd negotiates the keys (IKEv1, L2TP control, PPP),
# the SAs and the session are programmed statically with the l2tpsec CLI,
# the way `ip xfrm state` and `wg set` do it.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
L2TPSEC=$TOP/user/l2tpsec
SERVER=l2tpsec-server
CLIENT=l2tpsec-client

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

cleanup() { ip netns del "$SERVER" 2>/dev/null; ip netns del "$CLIENT" 2>/dev/null; true; }
trap cleanup EXIT

say "Two hosts: $SERVER (198.51.100.1) and $CLIENT (198.51.100.2)"
ip netns add "$SERVER"
ip netns add "$CLIENT"
ip link add wan0 netns "$SERVER" type veth peer name wan0 netns "$CLIENT"
in_ns "$SERVER" ip addr add 198.51.100.1/24 dev wan0
in_ns "$CLIENT" ip addr add 198.51.100.2/24 dev wan0
for ns in "$SERVER" "$CLIENT"; do
	in_ns "$ns" ip link set lo up
	in_ns "$ns" ip link set wan0 up
	in_ns "$ns" ip link add l2tpsec0 type l2tpsec
	# ESP-in-UDP: the module adopts a UDP 4500 socket.
	in_ns "$ns" "$L2TPSEC" dev attach l2tpsec0 port 4500
done

key_c2s=$(hexkey 36)	# AES-256 key + 4-byte salt
key_s2c=$(hexkey 36)

say "IPsec: one ESP SA each way, AES-256-GCM, ESP-in-UDP port 4500"
in_ns "$SERVER" "$L2TPSEC" peer add l2tpsec0 id 1 encap udp local 198.51.100.1 remote 198.51.100.2
in_ns "$SERVER" "$L2TPSEC" sa add l2tpsec0 spi 0xc0000001 dir in peer 1 cipher aes-gcm key "$key_c2s"
in_ns "$SERVER" "$L2TPSEC" sa add l2tpsec0 spi 0x50000001 dir out peer 1 cipher aes-gcm key "$key_s2c"
in_ns "$SERVER" "$L2TPSEC" peer set l2tpsec0 id 1 tx-spi 0x50000001

in_ns "$CLIENT" "$L2TPSEC" peer add l2tpsec0 id 1 encap udp local 198.51.100.2 remote 198.51.100.1
in_ns "$CLIENT" "$L2TPSEC" sa add l2tpsec0 spi 0x50000001 dir in peer 1 cipher aes-gcm key "$key_s2c"
in_ns "$CLIENT" "$L2TPSEC" sa add l2tpsec0 spi 0xc0000001 dir out peer 1 cipher aes-gcm key "$key_c2s"
in_ns "$CLIENT" "$L2TPSEC" peer set l2tpsec0 id 1 tx-spi 0xc0000001

say "L2TP: tunnel 1/session 1 on the server, 7/9 on the client; PPP addresses 10.99.0.1 <-> 10.99.0.2"
in_ns "$SERVER" "$L2TPSEC" session add l2tpsec0 peer 1 tunnel 1 session 1 peer-tunnel 7 peer-session 9 \
	ipv4 10.99.0.2 ipv6 fd00:99::2/128
in_ns "$CLIENT" "$L2TPSEC" session add l2tpsec0 peer 1 tunnel 7 session 9 peer-tunnel 1 peer-session 1 \
	ipv4 10.99.0.1 ipv6 fd00:99::1/128
in_ns "$SERVER" ip addr add 10.99.0.1 peer 10.99.0.2/32 dev l2tpsec0
in_ns "$SERVER" ip addr add fd00:99::1/128 dev l2tpsec0 nodad
in_ns "$CLIENT" ip addr add 10.99.0.2 peer 10.99.0.1/32 dev l2tpsec0
in_ns "$CLIENT" ip addr add fd00:99::2/128 dev l2tpsec0 nodad
for ns in "$SERVER" "$CLIENT"; do in_ns "$ns" ip link set l2tpsec0 up; done
in_ns "$SERVER" ip -6 route add fd00:99::2/128 dev l2tpsec0
in_ns "$CLIENT" ip -6 route add fd00:99::1/128 dev l2tpsec0

say "Traffic: ping over IPv4 and IPv6 inside the tunnel"
in_ns "$CLIENT" ping -c 3 -i 0.3 10.99.0.1
in_ns "$CLIENT" ping -6 -c 3 -i 0.3 fd00:99::1

say "Traffic: 5 s of TCP with iperf3 (QEMU software emulation: the number is not a real figure)"
in_ns "$SERVER" iperf3 -s -1 -D
sleep 1
in_ns "$CLIENT" iperf3 -c 10.99.0.1 -t 5 -f m

say "What the server sees: l2tpsec show"
in_ns "$SERVER" "$L2TPSEC" show

say "The device, as the kernel counts it"
in_ns "$SERVER" ip -s link show l2tpsec0
echo
echo "demo: the connection carried traffic both ways."
