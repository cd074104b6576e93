#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=360
#
# 88-e2e-nat-two-clients: two l2tpsecd clients behind one nftables NAT
# (masquerade, as a home router does it), different users, against one
# l2tpsecd server. Both negotiate IKE with NAT traversal (NAT-D, the
# float to UDP 4500, ESP-in-UDP), both use inner UDP 1701 <-> 1701 and
# come from the same public address: only the ESP SA and the NAT's outer
# port tell them apart, which is what xfrm + xl2tpd cannot do.
#
#   C1 192.168.1.2 (alice) --\                    /-- S 203.0.113.1
#                             N: masquerade to      l2tpsecd, pool
#   C2 192.168.2.2 (bob) ----/   203.0.113.2       10.99.88.10-20
#
# Both connect, get different addresses, show up in `l2tpsec who` with one
# outer address and two ports, pass traffic at the same time (ping both
# ways, iperf3 from both at once); kicking bob leaves alice's traffic
# alone, and bob comes back.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_e2e ping nft iperf3

ktap_plan 8

S=$(ns_name s)
N=$(ns_name n)
C1=$(ns_name c1)
C2=$(ns_name c2)
SO=203.0.113.1
NO=203.0.113.2
SI=10.99.88.1
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
		oifname "wan" masquerade
	}
}
EOF

PSK="e2e 88 $(rand_hex 8)"
secret_file "$TMPD/psk" "$PSK"
cat >"$TMPD/chap-secrets" <<'EOF'
alice	*	wonderland	*
bob	*	builder		*
EOF
chmod 600 "$TMPD/chap-secrets"
cat >"$TMPD/server.conf" <<EOF
[ike]
psk-file = $TMPD/psk

[ppp]
auth = mschapv2
chap-secrets = $TMPD/chap-secrets
ipv6 = no

[pool]
local = $SI
range = 10.99.88.10-10.99.88.20
EOF
chmod 600 "$TMPD/server.conf"
l2tpsecd_start srv "$S" "$TMPD/server.conf" || bail_out "server l2tpsecd"

secret_file "$TMPD/alice.pw" wonderland
secret_file "$TMPD/bob.pw" builder
i=0
for u in alice bob; do
	i=$((i + 1))
	cat >"$TMPD/$u.conf" <<EOF
[ike]
retry-interval = 5

[peer srv]
remote = $SO
initiate = yes
psk-file = $TMPD/psk

[lac srv]
user = $u
password-file = $TMPD/$u.pw
ipv6 = no
routes = 10.99.88.0/24
reconnect-min = 2
EOF
	chmod 600 "$TMPD/$u.conf"
done
l2tpsecd_start alice "$C1" "$TMPD/alice.conf" || bail_out "alice's l2tpsecd"
l2tpsecd_start bob "$C2" "$TMPD/bob.conf" || bail_out "bob's l2tpsecd"

# 1: IKE through the NAT, floated to ESP-in-UDP
udp_pairs() { [ "$(log_count srv "ESP SA pair up: .*ESP-in-UDP")" -ge 2 ]; }
if wait_until 60 udp_pairs; then
	ok "IKE: both behind the NAT, NAT-T: $(grep -Eo 'ipsec [0-9.:]+: ESP SA pair up' "$TMPD/srv.err" | awk '{print $2}' | sed 's/:$//' | tr '\n' ' ')"
else
	not_ok "IKE: both behind the NAT with NAT-T" "$(grep -E '^(ike|ipsec)' "$TMPD/srv.err" | tail -n 10)"
fi

# 2: both users connected, different addresses
if log_has srv "user alice: connected: address" 40 && log_has srv "user bob: connected: address" 20; then
	a1=$(grep -Eo 'user alice: connected: address [0-9.]+' "$TMPD/srv.err" | awk '{print $NF}' | tail -n1)
	a2=$(grep -Eo 'user bob: connected: address [0-9.]+' "$TMPD/srv.err" | awk '{print $NF}' | tail -n1)
	if [ -n "$a1" ] && [ -n "$a2" ] && [ "$a1" != "$a2" ]; then
		ok "alice got $a1, bob got $a2"
	else
		not_ok "different addresses" "alice '$a1' bob '$a2'"
	fi
else
	not_ok "both users connected" "$(tail -n 20 "$TMPD/srv.err")"
fi

# 3: who: one public address, two ports, two SA pairs
diag "$(l2c "$S" srv who 2>&1)"
if out=$(who_json "$S" srv 'len(who["sessions"]) == 2' \
	'sorted(x["user"] for x in who["sessions"]) == ["alice", "bob"]' \
	"all(x[\"outer\"] == \"$NO\" and x[\"encap\"] == \"udp\" for x in who[\"sessions\"])" \
	'len(set(x["outer_port"] for x in who["sessions"])) == 2' \
	'len(set(x["sa_in"]["spi"] for x in who["sessions"])) == 2' \
	'len(set(x["peer_id"] for x in who["sessions"])) == 2' 2>&1); then
	ok "who: alice and bob from $NO on two NAT ports, two SA pairs, two module peers"
else
	not_ok "who: two users, one address, two ports, two SA pairs" "$out"
fi

# 4: the module: two sessions with the same inner ports
n=$(json_query "$S" l2tpsec0 'len([s for s in dev["sessions"] if s.get("local_port", 1701) in (0, 1701) and s.get("remote_port", 1701) in (0, 1701)])' 2>/dev/null)
if [ "${n:-0}" = 2 ]; then
	ok "the module demuxes two sessions with the same inner UDP ports 1701 <-> 1701"
else
	not_ok "two sessions with the same inner ports" "$(nsx "$S" "$L2TPSEC_BIN" session show l2tpsec0)"
fi

# 5: traffic at once: both ping the server, then the server pings both
ping_ok "$C1" "$SI" 10 >"$TMPD/p1" 2>&1 &
p1=$!
ping_ok "$C2" "$SI" 10 >"$TMPD/p2" 2>&1 &
p2=$!
r1=0; r2=0
wait $p1 || r1=$?
wait $p2 || r2=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && ping_ok "$S" "$a1" 2 >/dev/null &&
	ping_ok "$S" "$a2" 2 >/dev/null; then
	ok "alice and bob ping the server at the same time, the server reaches both"
else
	not_ok "pings both ways for both" "$(cat "$TMPD/p1" "$TMPD/p2")"
fi

# 6: iperf3 from both at once
nsx "$S" timeout 30 iperf3 -s -1 -D -p 5301 >/dev/null 2>&1
nsx "$S" timeout 30 iperf3 -s -1 -D -p 5302 >/dev/null 2>&1
sleep 0.5
nsx "$C1" timeout 25 iperf3 -c "$SI" -p 5301 -t 3 -f m >"$TMPD/i1" 2>&1 &
i1=$!
nsx "$C2" timeout 25 iperf3 -c "$SI" -p 5302 -t 3 -f m >"$TMPD/i2" 2>&1 &
i2=$!
r1=0; r2=0
wait $i1 || r1=$?
wait $i2 || r2=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ]; then
	ok "iperf3 from both at once: alice $(grep receiver "$TMPD/i1" | grep -Eo '[0-9.]+ Mbits/sec'), bob $(grep receiver "$TMPD/i2" | grep -Eo '[0-9.]+ Mbits/sec')"
else
	not_ok "iperf3 from both at once" "$(tail -n 3 "$TMPD/i1" "$TMPD/i2")"
fi

# 7, 8: kick bob; alice keeps going, bob comes back
ping_ok "$C1" "$SI" 15 >"$TMPD/p3" 2>&1 &
p3=$!
before=$(log_count srv "user bob: connected")
if l2c "$S" srv kick user bob >/dev/null 2>&1 && log_has srv "user bob: session ended: admin kick" 15 &&
	log_more srv "user bob: connected" "$before" 40 && ping_ok "$C2" "$SI" 2 >/dev/null; then
	ok "bob kicked ($(ended_line srv bob "admin kick" | grep -Eo 'peer [0-9.:]+, address [0-9.]+, duration [0-9:]+')) and back"
else
	not_ok "bob kicked and back" "$(grep bob "$TMPD/srv.err" | tail -n 5)"
fi
r3=0
wait $p3 || r3=$?
if [ $r3 -eq 0 ] && ! grep -q "user alice: session ended" "$TMPD/srv.err"; then
	ok "alice unaffected: her ping ran on through bob's kick"
else
	not_ok "alice unaffected by bob's kick" "$(cat "$TMPD/p3")" "$(grep alice "$TMPD/srv.err" | tail -n 3)"
fi
grep -hE 'warning|error' "$TMPD"/*.err | head -n 10 | while read -r l; do diag "$l"; done
ksft_exit
