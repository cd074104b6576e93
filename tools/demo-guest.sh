#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/demo-guest.sh: runs inside the VM (tools/demo.sh boots it).
#
# Two hosts, a server and a client, in two network namespaces joined by a
# veth pair, each running l2tpsecd with its example configuration from
# Documentation/examples/ installed into /etc/l2tpsec (the VM's /etc is a
# throwaway overlay), the way an administrator would. Nothing is
# programmed by hand: IKEv1 (Main and Quick Mode, pre-shared key)
# negotiates the ESP SAs, L2TPv2 opens a tunnel and a call, PPP logs the
# user alice in with MS-CHAPv2 against chap-secrets and gives her an
# address from the pool. Then the demo shows the connection (l2tpsec who,
# l2tpsec show), pushes traffic through it (ping over IPv4 and IPv6,
# iperf3), kicks alice and watches the client come back.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
L2TPSEC=$TOP/user/l2tpsec
L2TPSECD=$TOP/user/l2tpsecd
EXAMPLES=$TOP/Documentation/examples
ETC=/etc/l2tpsec
LOGS=/var/log
SERVER=l2tpsec-server
CLIENT=l2tpsec-client
CLIENT_SOCK=/run/l2tpsecd-client.sock
PIDS=()

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	ip netns del "$SERVER" 2>/dev/null || true
	ip netns del "$CLIENT" 2>/dev/null || true
}
trap cleanup EXIT

# wait_log FILE REGEX SECONDS
wait_log() {
	local i
	for ((i = 0; i < $3 * 5; i++)); do
		grep -Eq -- "$2" "$1" && return 0
		sleep 0.2
	done
	echo "demo: no \"$2\" in $1 after $3 s; its end:" >&2
	tail -n 20 "$1" >&2
	return 1
}

# log_lines FILE REGEX: the daemon's lines that tell the story
log_lines() { grep -E -- "$2" "$1" | sed 's/^/    /'; }

say "Two hosts: $SERVER (192.0.2.1) and $CLIENT (192.0.2.2)"
ip netns add "$SERVER"
ip netns add "$CLIENT"
ip link add wan0 netns "$SERVER" type veth peer name wan0 netns "$CLIENT"
in_ns "$SERVER" ip addr add 192.0.2.1/24 dev wan0
in_ns "$CLIENT" ip addr add 192.0.2.2/24 dev wan0
for ns in "$SERVER" "$CLIENT"; do
	in_ns "$ns" ip link set lo up
	in_ns "$ns" ip link set wan0 up
done

say "Configuration: Documentation/examples/ installed into $ETC"
mkdir -p "$ETC"
install -m 600 "$EXAMPLES/l2tpsecd-server.conf" "$ETC/server.conf"
install -m 600 "$EXAMPLES/l2tpsecd-client.conf" "$ETC/client.conf"
install -m 600 "$EXAMPLES/chap-secrets.example" "$ETC/chap-secrets"
# The secrets the examples name: one IPsec key for both, alice's password
# (the one chap-secrets.example gives her).
(umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$ETC/psk" && echo >>"$ETC/psk")
(umask 077 && echo "correct horse battery" >"$ETC/office.password")
# Two daemons on one machine: the client gets its own control socket.
printf '\n[daemon]\ncontrol-socket = %s\n' "$CLIENT_SOCK" >>"$ETC/client.conf"
echo "server ($ETC/server.conf, comments left out):"
grep -Ev '^[[:space:]]*(#|$)' "$ETC/server.conf" | sed 's/^/    /'
echo "client ($ETC/client.conf):"
grep -Ev '^[[:space:]]*(#|$)' "$ETC/client.conf" | sed 's/^/    /'
echo "users ($ETC/chap-secrets):"
grep -Ev '^[[:space:]]*(#|$)' "$ETC/chap-secrets" | sed 's/^/    /'

say "Start l2tpsecd on both: IKE, then L2TP, then PPP"
# (ip netns exec, not in_ns: $! must be the daemon itself)
ip netns exec "$SERVER" "$L2TPSECD" -f -c "$ETC/server.conf" 2>"$LOGS/l2tpsecd-server.log" &
PIDS+=($!)
wait_log "$LOGS/l2tpsecd-server.log" "core: l2tpsecd .* started" 20
ip netns exec "$CLIENT" "$L2TPSECD" -f -c "$ETC/client.conf" 2>"$LOGS/l2tpsecd-client.log" &
PIDS+=($!)
wait_log "$LOGS/l2tpsecd-server.log" "user alice: connected" 90
wait_log "$LOGS/l2tpsecd-client.log" "user alice: connected" 20
echo "server log:"
log_lines "$LOGS/l2tpsecd-server.log" "ESP SA pair up|tunnel established|authenticated with|connected:"
echo "client log:"
log_lines "$LOGS/l2tpsecd-client.log" "ESP SA pair up|tunnel established|connected:"

say "Who is connected (the server): l2tpsec who"
in_ns "$SERVER" "$L2TPSEC" who
say "The client's side: l2tpsec -s $CLIENT_SOCK who"
in_ns "$CLIENT" "$L2TPSEC" -s "$CLIENT_SOCK" who
echo
echo "the client's device and routes:"
in_ns "$CLIENT" ip -4 addr show dev l2tpsec0 | sed 's/^/    /'
in_ns "$CLIENT" ip route show dev l2tpsec0 | sed 's/^/    /'

say "Traffic: ping over IPv4 through the tunnel (alice -> 10.99.0.1)"
in_ns "$CLIENT" ping -c 3 -i 0.3 10.99.0.1
ll=$(in_ns "$SERVER" ip -6 -o addr show dev l2tpsec0 scope link |
	sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/.*/\1/p' | head -n1)
if [ -n "$ll" ]; then
	say "Traffic: ping over IPv6 (link-local addresses from IPV6CP)"
	in_ns "$CLIENT" ping -6 -c 3 -i 0.3 "$ll%l2tpsec0"
fi

say "Traffic: 5 s of TCP with iperf3 (QEMU software emulation: the number is not a real figure)"
in_ns "$SERVER" iperf3 -s -1 -D
sleep 1
in_ns "$CLIENT" iperf3 -c 10.99.0.1 -t 5 -f m

say "What the module sees on the server: l2tpsec show"
in_ns "$SERVER" "$L2TPSEC" show

say "An administrator ends alice's session: l2tpsec kick user alice"
in_ns "$SERVER" "$L2TPSEC" kick user alice
wait_log "$LOGS/l2tpsecd-server.log" "user alice: session ended: admin kick" 20
log_lines "$LOGS/l2tpsecd-server.log" "session ended"
echo "the client notices, and reconnects after its backoff (reconnect-min 5 s):"
wait_log "$LOGS/l2tpsecd-client.log" "reconnecting in" 20
for ((i = 0; i < 300; i++)); do
	[ "$(grep -c 'user alice: connected' "$LOGS/l2tpsecd-client.log")" -ge 2 ] && break
	sleep 0.2
done
log_lines "$LOGS/l2tpsecd-client.log" "session ended|reconnecting|connected:"
in_ns "$SERVER" "$L2TPSEC" who
in_ns "$CLIENT" ping -c 2 -i 0.3 10.99.0.1 | tail -n 2

say "The client stops: every end is logged with its reason, user, peer and duration"
kill -TERM "${PIDS[1]}"
wait "${PIDS[1]}" 2>/dev/null || true
wait_log "$LOGS/l2tpsecd-server.log" "peer [0-9]+ down" 20
log_lines "$LOGS/l2tpsecd-server.log" "session ended|peer [0-9]+ down"
echo
echo "demo: l2tpsecd negotiated IKE, L2TP and PPP on both ends and the connection carried traffic both ways."
