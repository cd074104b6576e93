#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=400
#
# 81-l2tp-client-xl2tpd-server: l2tpsecd's L2TP/PPP half as the client
# (LAC + PPP client, [lac NAME]) against xl2tpd + pppd as the server
# (LNS, MS-CHAPv2 required):
#
#   netns S (server)                            netns C (client)
#   xl2tpd LNS + pppd 10.99.81.1                l2tp_harness -l srv, l2tpsec0
#   xfrm states + UDP/1701 policy   <-- ESP --> l2tpsec.ko peer 1 (static SAs)
#   vS 10.0.81.1/24 -------------------- veth ---------------- vC 10.0.81.2/24
#
# Connects, installs its address and routes, passes ping and iperf3; when
# the server hangs up, records it and reconnects with backoff.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_l2tp_tools xl2tpd pppd ping iperf3
ppp_modules || skip_all "no PPP support in this kernel (ppp_generic)"
xfrm_esp_supported || skip_all "kernel has no ESP (CONFIG_INET_ESP)"

ktap_plan 7

S=$(ns_name s)
C=$(ns_name c)
SO=10.0.81.1
CO=10.0.81.2
SI=10.99.81.1
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"

K_CS=$(rand_hex 20)
K_SC=$(rand_hex 20)
l2tpsec_end "$C" "$CO" "$SO" 0x8102 "$K_SC" 0x8101 "$K_CS" || bail_out "l2tpsec SAs"
xfrm_end "$S" "$SO" "$CO" 0x8101 "$K_CS" 0x8102 "$K_SC" || bail_out "xfrm SAs"

# pppd as a server reads /etc/ppp/chap-secrets (a throwaway overlay in the VM)
mkdir -p /etc/ppp
[ -f /etc/ppp/chap-secrets ] && cp /etc/ppp/chap-secrets "$TMPD/chap-secrets.saved"
on_exit "[ -f $TMPD/chap-secrets.saved ] && cp $TMPD/chap-secrets.saved /etc/ppp/chap-secrets"
printf 'alice * wonderland *\n' >/etc/ppp/chap-secrets
chmod 600 /etc/ppp/chap-secrets

cat >"$TMPD/xl2tpd.conf" <<EOF
[global]
port = 1701
access control = no

[lns default]
ip range = 10.99.81.10-10.99.81.20
local ip = $SI
require authentication = yes
name = xlns
pppoptfile = $TMPD/options.lns
length bit = yes
EOF

cat >"$TMPD/options.lns" <<EOF
require-mschap-v2
refuse-pap
refuse-chap
ms-dns 192.0.2.53
noccp
novj
mtu 1400
mru 1400
lcp-echo-interval 0
nodefaultroute
debug
logfile $TMPD/pppd.log
EOF

printf 'wonderland\n' >"$TMPD/alice.pw"
chmod 600 "$TMPD/alice.pw"
cat >"$TMPD/client.conf" <<EOF
[l2tp]
hostname = lac-under-test
listen = no

[lac srv]
user = alice
password-file = $TMPD/alice.pw
routes = 10.99.81.0/24
reconnect-min = 2
reconnect-max = 8
lcp-echo-interval = 0
EOF

start_xl2tpd xl2tpd "$S" "$TMPD/xl2tpd.conf"
sleep 1
start_harness cli "$C" "$TMPD/client.conf" -p 1 -o "$SO" -l srv ||
	bail_out "client harness did not start"

if log_has cli "user alice: connected: our address 10\.99\.81\.[0-9]+, peer $SI, authentication MS-CHAPv2" 40; then
	ok "connects to xl2tpd+pppd with MS-CHAPv2: $(grep -Eo 'our address [0-9.]+' "$TMPD/cli.err" | head -n1)"
else
	not_ok "connects to xl2tpd+pppd with MS-CHAPv2" "$(tail -n 25 "$TMPD/cli.err")" \
		"pppd: $(tail -n 15 "$TMPD/pppd.log")"
fi
addr=$(ip -n "$C" -4 -o addr show dev l2tpsec0 | sed -n 's/.* inet \([0-9.]*\) peer.*/\1/p' | head -n1)
if [ -n "$addr" ] && ip -n "$C" route show 10.99.81.0/24 | grep -q l2tpsec0; then
	ok "address $addr and route 10.99.81.0/24 on l2tpsec0"
else
	not_ok "address and route installed on l2tpsec0" "$(ip -n "$C" addr show dev l2tpsec0; ip -n "$C" route)"
fi
check "ping the server ($SI) through the tunnel" ping_ok "$C" "$SI" 3
if out=$(iperf_ok "$S" "$C" "$SI"); then
	ok "iperf3 through the tunnel: $out"
else
	not_ok "iperf3 through the tunnel" "$out"
fi

# the server hangs up: pppd terminates the link
pkill -TERM -f "pppd.*$TMPD/options.lns"
if log_has cli "session ended: logout" 20; then
	ok "server hang-up recorded as logout"
else
	not_ok "server hang-up recorded as logout" "$(tail -n 10 "$TMPD/cli.err")"
fi
connected_twice() {
	[ "$(grep -c 'connected: our address' "$TMPD/cli.err")" -ge 2 ]
}
if log_has cli "reconnecting in [0-9]+ s" 10 && wait_for 60 connected_twice; then
	ok "reconnects with backoff: $(grep -Eo 'reconnecting in [0-9]+ s' "$TMPD/cli.err" | tr '\n' ' ')"
else
	not_ok "reconnects with backoff" "$(tail -n 15 "$TMPD/cli.err")"
fi
check "ping again after the reconnect" ping_ok "$C" "$SI" 3

grep -E 'warning|error' "$TMPD/cli.err" | head -n 10 | while read -r l; do diag "cli: $l"; done
ksft_exit
