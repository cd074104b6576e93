#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=420
#
# 86-e2e-l2tpsecd-client-vs-stack-server: l2tpsecd as the client (IKEv1
# initiator, LAC, PPP client) against the classic Linux server stack:
# strongSwan's charon (IKEv1 responder, PSK, transport mode on UDP 1701),
# xl2tpd (LNS) and pppd (MS-CHAPv2 required, an address from its range):
#
#   netns S (server)                          netns C (client)
#   charon (xfrm SAs + policies)              l2tpsecd: [peer srv] initiate,
#   xl2tpd LNS + pppd, local 10.99.86.1         [lac srv] user alice,
#                                               route 10.99.86.0/24
#   vS 10.0.86.1/24 ------------------ veth ------------------ vC 10.0.86.2/24
#
# The client negotiates IPsec, L2TP and PPP on its own, installs its
# address and route, passes ping and iperf3 and shows the session in
# `l2tpsec who`. When the server's pppd hangs up it records "logout" and
# reconnects with backoff; when charon stops (IKE DELETE) it records "IKE
# delete", removes its route, and once charon is back IKE and then L2TP
# come up again by themselves. Stopping it leaves the device clean.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

e2e_stack_lab 86
ktap_plan 12

secret_file "$TMPD/alice.pw" "wonderland"

# ---- the server: charon + xl2tpd + pppd ------------------------------------------
CH=$TMPD/charon
mkdir -p "$CH"
charon_conf "$CH" "config setup

conn l2tp
	keyexchange=ikev1
	authby=secret
	type=transport
	left=$SO
	leftprotoport=17/1701
	right=%any
	rightprotoport=17/%any
	ike=aes256-sha256-modp2048,aes256-sha1-modp2048!
	esp=aes256-sha1,aes128-sha1!
	auto=add" "$SO %any : PSK \"$PSK\""
charon_start charon "$S" "$CH" || bail_out "charon did not start"

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
ip range = 10.99.86.10-10.99.86.20
local ip = $SI
require authentication = yes
name = xlns
hostname = xlns-86
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
start_xl2tpd xl2tpd "$S" "$TMPD/xl2tpd.conf"

# ---- the client: l2tpsecd -------------------------------------------------------------
cat >"$TMPD/client.conf" <<EOF
[ike]
retry-interval = 5
retransmit-timeout = 2s

[peer srv]
remote = $SO
initiate = yes
psk-file = $TMPD/psk

[l2tp]
hostname = lac-86

[lac srv]
user = alice
password-file = $TMPD/alice.pw
routes = 10.99.86.0/24
reconnect-min = 2
reconnect-max = 8
lcp-echo-interval = 0
EOF
chmod 600 "$TMPD/client.conf"
l2tpsecd_start cli "$C" "$TMPD/client.conf" || bail_out "l2tpsecd did not start"

CONNECTED="user alice: connected: our address 10\.99\.86\.[0-9]+, peer $SI, authentication MS-CHAPv2"
# 1, 2
if log_has cli "ESP SA pair up" 40 &&
	wait_until 10 grep -q "CHILD_SA l2tp{[0-9]*} established" "$CH/charon.log"; then
	ok "IKE with charon: $(grep -Eo 'ESP SA pair up: [^,]*' "$TMPD/cli.err" | head -n1)"
else
	not_ok "IKE with charon" "$(grep -E '^(ike|ipsec)' "$TMPD/cli.err" | tail -n 8)" "$(tail -n 8 "$CH/charon.log")"
fi
if log_has cli "$CONNECTED" 40; then
	ok "L2TP with xl2tpd, PPP with pppd: $(grep -Eo 'connected: our address [0-9.]+' "$TMPD/cli.err" | head -n1)"
else
	not_ok "L2TP with xl2tpd, PPP with pppd (MS-CHAPv2)" "$(tail -n 20 "$TMPD/cli.err")" \
		"pppd: $(tail -n 10 "$TMPD/pppd.log")"
fi
# 3, 4
addr=$(ip -n "$C" -4 -o addr show dev l2tpsec0 | sed -n 's/.* inet \([0-9.]*\) peer.*/\1/p' | head -n1)
if [ -n "$addr" ] && ip -n "$C" route show 10.99.86.0/24 | grep -q "dev l2tpsec0"; then
	ok "address $addr and route 10.99.86.0/24 on l2tpsec0"
else
	not_ok "address and route on l2tpsec0" "$(ip -n "$C" addr show dev l2tpsec0; ip -n "$C" route)"
fi
if ping_ok "$C" "$SI" 3 >/dev/null && out=$(iperf_ok "$S" "$C" "$SI"); then
	ok "ping and iperf3 through: $out"
else
	not_ok "ping and iperf3 through" "$out"
fi
# 5
diag "$(l2c "$C" cli who 2>&1)"
if out=$(who_json "$C" cli 's["user"] == "alice"' 's["role"] == "client"' 's["lac"] == "srv"' \
	"s[\"address\"] == \"$addr\"" "s[\"outer\"] == \"$SO\"" 's["sa_out"]["spi"] > 0' \
	's["host"] == "xlns-86"' 2>&1); then
	ok "who: alice on [lac srv], $addr, to $SO, with its SA pair"
else
	not_ok "who shows the client session" "$out"
fi

# 6, 7: the server's pppd hangs up
before=$(log_count cli "$CONNECTED")
pkill -TERM -f "pppd.*$TMPD/options.lns"
if log_has cli "user alice: session ended: logout" 20 &&
	line=$(ended_line cli alice logout) && [ -n "$line" ]; then
	ok "server hang-up recorded: ${line#*session ended: }"
else
	not_ok "server hang-up recorded as logout" "$(tail -n 10 "$TMPD/cli.err")"
fi
if log_has cli "reconnecting in [0-9]+ s" 10 && log_more cli "$CONNECTED" "$before" 60 &&
	ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "reconnects with backoff, ping again: $(grep -Eo 'reconnecting in [0-9]+ s' "$TMPD/cli.err" | tr '\n' ' ')"
else
	not_ok "reconnects with backoff" "$(tail -n 15 "$TMPD/cli.err")"
fi

# 8, 9, 10: charon stops (DELETE), then comes back
before=$(log_count cli "$CONNECTED")
bg_stop "$CHARON_PID"
if log_has cli "user alice: session ended: IKE delete" 20 &&
	line=$(ended_line cli alice "IKE delete") && [ -n "$line" ]; then
	ok "charon's DELETE recorded: ${line#*session ended: }"
else
	not_ok "charon's DELETE recorded as IKE delete" "$(tail -n 10 "$TMPD/cli.err")"
fi
if ! ip -n "$C" route show 10.99.86.0/24 | grep -q l2tpsec0 &&
	! ip -n "$C" -4 addr show dev l2tpsec0 | grep -q "inet "; then
	ok "route and address removed with the session"
else
	not_ok "route and address removed with the session" "$(ip -n "$C" addr show dev l2tpsec0; ip -n "$C" route)"
fi
# xl2tpd still holds the dead tunnel: start the server side afresh
bg_stop "$XL2TPD_PID"
pkill -TERM -f "pppd.*$TMPD/options.lns"
start_xl2tpd xl2tpd "$S" "$TMPD/xl2tpd.conf"
charon_start charon2 "$S" "$CH" || bail_out "charon did not restart"
if log_more cli "$CONNECTED" "$before" 60 && ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "charon back: IKE re-initiated, L2TP and PPP up again, ping"
else
	not_ok "charon back: IKE re-initiated, L2TP and PPP up again" "$(tail -n 20 "$TMPD/cli.err")"
fi

# 11, 12: the client stops
bg_stop "$DAEMON_PID"
if grep -q "user alice: session ended: daemon shutdown" "$TMPD/cli.err"; then
	ok "client shutdown recorded: $(ended_line cli alice "daemon shutdown" | sed 's/.*session ended: //')"
else
	not_ok "client shutdown recorded" "$(tail -n 10 "$TMPD/cli.err")"
fi
left=$(nsx "$C" "$L2TPSEC_BIN" show l2tpsec0 2>&1 | grep -cE '^(peer|sa|session) ')
if [ "$left" -eq 0 ] && ! ip -n "$C" route show 10.99.86.0/24 | grep -q l2tpsec0; then
	ok "the client's module and routes are clean"
else
	not_ok "the client's module and routes are clean" "$(nsx "$C" "$L2TPSEC_BIN" show l2tpsec0)" "$(ip -n "$C" route)"
fi
grep -E "session ended|reconnecting" "$TMPD/cli.err" | while read -r l; do diag "$l"; done
ksft_exit
