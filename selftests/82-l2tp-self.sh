#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=300
#
# 82-l2tp-self: l2tpsecd's L2TP/PPP half against itself, l2tpsec.ko on
# both ends (static SAs until IKE drives the same entry points):
#
#   netns S: l2tp_harness (LNS), l2tpsec0 10.99.82.1, pool .10-.20
#   netns C: l2tp_harness -l srv (LAC), l2tpsec0 gets 10.99.82.x
#   vS 10.0.82.1/24 -------------------- veth ---------------- vC 10.0.82.2/24
#
# Tunnel authentication and hidden AVPs on, MS-CHAPv2; IPv4 ping and iperf3,
# an IPv6 link-local ping (IPV6CP interface ids), `l2tpsec show` on both
# ends, then an IKE delete on the server ends the session with that reason.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_l2tp_tools ping iperf3

ktap_plan 6

S=$(ns_name s)
C=$(ns_name c)
SO=10.0.82.1
CO=10.0.82.2
SI=10.99.82.1
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"

K_CS=$(rand_hex 20)
K_SC=$(rand_hex 20)
l2tpsec_end "$S" "$SO" "$CO" 0x8201 "$K_CS" 0x8202 "$K_SC" || bail_out "server SAs"
l2tpsec_end "$C" "$CO" "$SO" 0x8202 "$K_SC" 0x8201 "$K_CS" || bail_out "client SAs"

printf 'tunnel-s3cret\n' >"$TMPD/tunnel.secret"
chmod 600 "$TMPD/tunnel.secret"
printf 'bob * "the builder" *\n' >"$TMPD/chap-secrets"
chmod 600 "$TMPD/chap-secrets"
printf 'the builder\n' >"$TMPD/bob.pw"
chmod 600 "$TMPD/bob.pw"

cat >"$TMPD/server.conf" <<EOF
[l2tp]
hostname = lns
tunnel-secret-file = $TMPD/tunnel.secret
hide-avps = yes

[ppp]
auth = mschapv2
chap-secrets = $TMPD/chap-secrets

[pool]
local = $SI
range = 10.99.82.10-10.99.82.20
EOF

cat >"$TMPD/client.conf" <<EOF
[l2tp]
hostname = lac
listen = no
tunnel-secret-file = $TMPD/tunnel.secret
hide-avps = yes

[lac srv]
user = bob
password-file = $TMPD/bob.pw
routes = 10.99.82.0/24
reconnect-min = 30
lcp-echo-interval = 2
lcp-echo-failure = 3
EOF

start_harness srv "$S" "$TMPD/server.conf" -p 1 -o "$CO" || bail_out "server"
start_harness cli "$C" "$TMPD/client.conf" -p 1 -o "$SO" -l srv || bail_out "client"

if log_has srv "user bob: connected: address 10\.99\.82\.[0-9]+, peer $SI, authentication MS-CHAPv2" 30 &&
	log_has cli "user bob: connected: our address" 10; then
	ok "connects to itself: tunnel authenticated, hidden AVPs, MS-CHAPv2"
else
	not_ok "connects to itself" "server: $(tail -n 15 "$TMPD/srv.err")" \
		"client: $(tail -n 15 "$TMPD/cli.err")"
fi
if grep -q "authenticated" "$TMPD/srv.err" && grep -q "authenticated" "$TMPD/cli.err"; then
	ok "tunnel authentication on both ends"
else
	not_ok "tunnel authentication on both ends" "$(grep -h 'tunnel established' "$TMPD"/*.err)"
fi
check "ping $SI through the tunnel" ping_ok "$C" "$SI" 3
if out=$(iperf_ok "$S" "$C" "$SI"); then
	ok "iperf3 through the tunnel: $out"
else
	not_ok "iperf3 through the tunnel" "$out"
fi
ll=$(ip -n "$S" -6 -o addr show dev l2tpsec0 scope link | sed -n 's/.* inet6 \(fe80::[0-9a-f:]*\)\/.*/\1/p' | head -n1)
if [ -n "$ll" ] && ping_ok "$C" "$ll%l2tpsec0" 2 >/dev/null; then
	ok "IPv6 link-local ping $ll (IPV6CP)"
else
	not_ok "IPv6 link-local ping (IPV6CP)" "server ll '$ll'" \
		"$(ip -n "$C" -6 addr show dev l2tpsec0; ip -n "$C" -6 route show dev l2tpsec0)"
fi
nsx "$S" "$L2TPSEC_BIN" show 2>&1 | while read -r l; do diag "server show: $l"; done

kill -USR2 "$(pgrep -f "l2tp_harness.*$TMPD/server.conf" | head -n1)"
if log_has srv "user bob: session ended: IKE delete" 10; then
	ok "IKE delete ends the session with that reason: $(grep -Eo 'session ended: IKE delete[^;]*' "$TMPD/srv.err" | head -n1)"
else
	not_ok "IKE delete ends the session with that reason" "$(tail -n 10 "$TMPD/srv.err")"
fi
grep -hE 'warning|error' "$TMPD/srv.err" "$TMPD/cli.err" | head -n 10 | while read -r l; do diag "$l"; done
ksft_exit
