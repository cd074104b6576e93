#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=300
#
# 83-l2tp-nat-two-clients: two clients behind one NAT, different users,
# both connected and passing traffic at once. Both use the same inner UDP
# ports (1701 <-> 1701) from the same public address: only the ESP SA and
# the outer UDP port (ESP-in-UDP, RFC 3948) tell them apart, which is what
# xfrm + xl2tpd cannot do.
#
#   C1 192.168.1.2 --\                         /-- S 203.0.113.1
#                     N (masquerade, 4500 ->   )   l2tpsec0 10.99.83.1
#   C2 192.168.2.2 --/   203.0.113.2:40001/2   /   peers 1 and 2
#
# IPsec is static (CLI) until IKE drives the same entry points; each end
# runs the L2TP/PPP half of l2tpsecd (l2tp_harness).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_l2tp_tools ping nft

ktap_plan 6

S=$(ns_name s)
N=$(ns_name n)
C1=$(ns_name c1)
C2=$(ns_name c2)
SO=203.0.113.1
NO=203.0.113.2
SI=10.99.83.1
setup_netns "$S" "$N" "$C1" "$C2"
veth_pair "$N" wan "$NO/24" "$S" vS "$SO/24"
veth_pair "$C1" vC "192.168.1.2/24" "$N" lan1 "192.168.1.1/24"
veth_pair "$C2" vC "192.168.2.2/24" "$N" lan2 "192.168.2.1/24"
ip -n "$C1" route add default via 192.168.1.1
ip -n "$C2" route add default via 192.168.2.1
nsx "$N" sysctl -qw net.ipv4.ip_forward=1
nsx "$N" nft -f - <<EOF || bail_out "nft NAT"
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		ip saddr 192.168.1.2 udp sport 4500 snat to $NO:40001
		ip saddr 192.168.2.2 udp sport 4500 snat to $NO:40002
		oifname "wan" masquerade
	}
}
EOF

# server: one adopted UDP 4500 socket, a peer per client
run_ok ip -n "$S" link add l2tpsec0 type l2tpsec || bail_out "device"
run_ok nsx "$S" "$L2TPSEC_BIN" dev attach l2tpsec0 port 4500 || bail_out "attach"
i=0
for c in "$C1" "$C2"; do
	i=$((i + 1))
	k_in=$(rand_hex 20)
	k_out=$(rand_hex 20)
	run_ok nsx "$S" "$L2TPSEC_BIN" peer add l2tpsec0 id "$i" encap udp \
		local "$SO" remote "$NO" lport 4500 rport "4000$i" || bail_out "server peer $i"
	run_ok nsx "$S" "$L2TPSEC_BIN" sa add l2tpsec0 spi "0x830$i" dir in peer "$i" \
		cipher aes-gcm key "$k_in" || bail_out "sa"
	run_ok nsx "$S" "$L2TPSEC_BIN" sa add l2tpsec0 spi "0x831$i" dir out peer "$i" \
		cipher aes-gcm key "$k_out" || bail_out "sa"
	run_ok nsx "$S" "$L2TPSEC_BIN" peer set l2tpsec0 id "$i" tx-spi "0x831$i"
	run_ok ip -n "$c" link add l2tpsec0 type l2tpsec || bail_out "client device"
	run_ok nsx "$c" "$L2TPSEC_BIN" dev attach l2tpsec0 port 4500 || bail_out "attach"
	run_ok nsx "$c" "$L2TPSEC_BIN" peer add l2tpsec0 id 1 encap udp \
		local "192.168.$i.2" remote "$SO" lport 4500 rport 4500 || bail_out "client peer"
	run_ok nsx "$c" "$L2TPSEC_BIN" sa add l2tpsec0 spi "0x831$i" dir in peer 1 \
		cipher aes-gcm key "$k_out" || bail_out "sa"
	run_ok nsx "$c" "$L2TPSEC_BIN" sa add l2tpsec0 spi "0x830$i" dir out peer 1 \
		cipher aes-gcm key "$k_in" || bail_out "sa"
	run_ok nsx "$c" "$L2TPSEC_BIN" peer set l2tpsec0 id 1 tx-spi "0x830$i"
	run_ok ip -n "$c" link set l2tpsec0 up
done
run_ok ip -n "$S" link set l2tpsec0 up

cat >"$TMPD/chap-secrets" <<'EOF'
alice	*	wonderland	*
bob	*	builder		*
EOF
chmod 600 "$TMPD/chap-secrets"
cat >"$TMPD/server.conf" <<EOF
[ppp]
auth = mschapv2
chap-secrets = $TMPD/chap-secrets
ipv6 = no

[pool]
local = $SI
range = 10.99.83.10-10.99.83.20
EOF
printf 'wonderland\n' >"$TMPD/alice.pw"
printf 'builder\n' >"$TMPD/bob.pw"
chmod 600 "$TMPD/alice.pw" "$TMPD/bob.pw"
for u in alice bob; do
	cat >"$TMPD/$u.conf" <<EOF
[l2tp]
listen = no

[lac srv]
user = $u
password-file = $TMPD/$u.pw
ipv6 = no
routes = 10.99.83.0/24
EOF
done

start_harness srv "$S" "$TMPD/server.conf" -p 1 -o "$NO" -P "2=$NO:40002" ||
	bail_out "server"
start_harness alice "$C1" "$TMPD/alice.conf" -p 1 -o "$SO" -l srv || bail_out "alice"
start_harness bob "$C2" "$TMPD/bob.conf" -p 1 -o "$SO" -l srv || bail_out "bob"

if log_has srv "user alice: connected: address" 40 && log_has srv "user bob: connected: address" 20; then
	ok "both users connected through one NAT: $(grep -Eo 'user [a-z]+: connected: address [0-9.]+' "$TMPD/srv.err" | tr '\n' ' ')"
else
	not_ok "both users connected through one NAT" "$(tail -n 20 "$TMPD/srv.err")"
fi
a1=$(grep -Eo 'user alice: connected: address [0-9.]+' "$TMPD/srv.err" | awk '{print $NF}')
a2=$(grep -Eo 'user bob: connected: address [0-9.]+' "$TMPD/srv.err" | awk '{print $NF}')
if [ -n "$a1" ] && [ -n "$a2" ] && [ "$a1" != "$a2" ]; then
	ok "different addresses: alice $a1, bob $a2"
else
	not_ok "different addresses" "alice '$a1' bob '$a2'"
fi
n=$(nsx "$S" "$L2TPSEC_BIN" session show l2tpsec0 2>/dev/null | grep -c '^session')
if [ "$n" -eq 2 ]; then
	ok "the module carries two sessions, one per peer (same inner ports)"
else
	not_ok "the module carries two sessions" "$(nsx "$S" "$L2TPSEC_BIN" session show l2tpsec0)"
fi

# traffic at once: both ping the server concurrently, then the server pings both
ping_ok "$C1" "$SI" 10 >"$TMPD/p1" 2>&1 &
p1=$!
ping_ok "$C2" "$SI" 10 >"$TMPD/p2" 2>&1 &
p2=$!
r1=0; r2=0
wait $p1 || r1=$?
wait $p2 || r2=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ]; then
	ok "alice and bob ping the server at the same time"
else
	not_ok "alice and bob ping the server at the same time" "$(cat "$TMPD/p1" "$TMPD/p2")"
fi
if ping_ok "$S" "$a1" 2 >/dev/null && ping_ok "$S" "$a2" 2 >/dev/null; then
	ok "the server reaches each client by its address"
else
	not_ok "the server reaches each client by its address"
fi
peers=$(grep -Eo 'ppp:? [0-9.:]+ tunnel [0-9]+ session [0-9]+ user [a-z]+: connected' "$TMPD/srv.err" | sed 's/^ppp: /ppp /' |
	awk '{print $2}' | sort -u | tr '\n' ' ')
if [ "$(echo $peers | wc -w)" -eq 2 ]; then
	ok "each user on its own IPsec peer behind the NAT: $peers"
else
	not_ok "each user on its own IPsec peer behind the NAT" "$peers"
fi
grep -hE 'warning|error' "$TMPD"/*.err | head -n 10 | while read -r l; do diag "$l"; done
ksft_exit
