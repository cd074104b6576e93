#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600
#
# 85-e2e-strongswan-xl2tpd-client: the Linux L2TP/IPsec client stack
# (strongSwan's charon for IKEv1 with a pre-shared key, xl2tpd, pppd: what
# NetworkManager-l2tp runs) against one l2tpsecd doing IKE, L2TP and PPP:
#
#   netns S (server)                         netns C (client)
#   l2tpsecd: IKE responder, LNS,            charon: IKEv1 initiator,
#     PPP server, pool 10.99.85.10-20          xfrm transport SAs + policy
#     l2tpsec0 10.99.85.1                    xl2tpd + pppd -> ppp0
#   vS 10.0.85.1/24 ------------------ veth ------------------ vC 10.0.85.2/24
#
# One IPsec connection, many L2TP tunnels over it. The server offers
# MS-CHAPv2, CHAP-MD5 and PAP in that order; pppd refuses all but one each
# time, so each is negotiated (falling back after a Configure-Nak) and then
# carries ping and iperf3. Then every way a session ends, each recorded
# with its reason, the user, the peer and the duration: logout, a wrong
# password (authentication failure), `l2tpsec kick` (admin kick, seen by
# `l2tpsec who` first), pppd frozen (LCP echo timeout), xl2tpd frozen
# (HELLO timeout), charon stopped (IKE delete).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

e2e_stack_lab 85
ktap_plan 17

cat >"$TMPD/chap-secrets" <<'EOF'
# client	server	secret		addresses
alice		*	wonderland	*
EOF
chmod 600 "$TMPD/chap-secrets"

# LCP echo every 2 s (3 may fail), a HELLO after 4 s of silence: both
# harmless while the client answers, quick to notice when it stops.
cat >"$TMPD/server.conf" <<EOF
[ike]
psk-file = $TMPD/psk

[l2tp]
hostname = lns-85
hello-interval = 4
retransmit-initial = 1
retransmit-max = 2
max-retries = 3

[ppp]
auth = mschapv2 chap pap
chap-secrets = $TMPD/chap-secrets
dns = 192.0.2.53 192.0.2.54
lcp-echo-interval = 2
lcp-echo-failure = 3

[pool]
local = $SI
range = 10.99.85.10-10.99.85.20
EOF
chmod 600 "$TMPD/server.conf"
l2tpsecd_start srv "$S" "$TMPD/server.conf" || bail_out "l2tpsecd did not start"

# ---- IPsec: charon as Windows would propose ---------------------------------
CH=$TMPD/charon
mkdir -p "$CH"
charon_conf "$CH" "config setup

conn l2tp
	keyexchange=ikev1
	authby=secret
	type=transport
	left=$CO
	leftprotoport=17/1701
	right=$SO
	rightprotoport=17/1701
	ike=aes256-sha1-ecp384,aes128-sha1-ecp256,aes256-sha1-modp2048!
	esp=aes256-sha1,aes128-sha1!
	ikelifetime=8h
	keylife=1h
	keyingtries=3
	auto=start" "$CO $SO : PSK \"$PSK\""
charon_start charon "$C" "$CH" || bail_out "charon did not start"
if wait_until 40 grep -q "CHILD_SA l2tp{[0-9]*} established" "$CH/charon.log" &&
	log_has srv "ESP SA pair up" 10; then
	ok "IKE: charon's Main and Quick Mode: $(grep -Eo 'ESP SA pair up: [^,]*' "$TMPD/srv.err" | head -n1)"
else
	bail_out "IKE with charon: $(grep -E 'ike|ipsec' "$TMPD/srv.err" | tail -n 5 | tr '\n' ' ') $(tail -n 5 "$CH/charon.log" | tr '\n' ' ')"
fi

# ---- L2TP and PPP: xl2tpd + pppd ----------------------------------------------
cat >"$TMPD/xl2tpd.conf" <<EOF
[global]
port = 1701
access control = no

[lac lns]
lns = $SO
pppoptfile = $TMPD/options.l2tp
autodial = yes
redial = no
length bit = yes
require authentication = no
EOF

# pppd_options REFUSED PASSWORD: the client's options, refusing REFUSED.
pppd_options() {
	local r
	{
		printf 'name alice\npassword "%s"\nnoauth\nrefuse-eap\n' "$2"
		for r in $1; do printf 'refuse-%s\n' "$r"; done
		cat <<EOF
noipdefault
nodefaultroute
usepeerdns
noccp
novj
mtu 1400
mru 1400
lcp-echo-interval 0
debug
logfile $TMPD/pppd.log
EOF
	} >"$TMPD/options.l2tp"
}

# connect: xl2tpd (and its pppd) up; waits for ppp0 unless told not to.
connect() {
	: >"$TMPD/pppd.log"
	start_xl2tpd xl2tpd "$C" "$TMPD/xl2tpd.conf"
	[ "${1:-}" = nowait ] && return 0
	if ! wait_until 40 ppp_iface "$C"; then
		diag "server:" "$(tail -n 20 "$TMPD/srv.err")"
		diag "xl2tpd:" "$(tail -n 10 "$TMPD/xl2tpd.err")"
		diag "pppd:" "$(tail -n 15 "$TMPD/pppd.log")"
		return 1
	fi
	PPP_IF=$(ppp_iface "$C")
}

# The pppd xl2tpd started for us ([p]: the pattern does not match itself).
PPPD_RE="[p]ppd.*$TMPD/options.l2tp"
ppp_gone() { ! pgrep -f "$PPPD_RE" >/dev/null; }

disconnect() {
	pkill -CONT -f "$PPPD_RE" 2>/dev/null
	kill -CONT "$XL2TPD_PID" 2>/dev/null
	bg_stop "$XL2TPD_PID"
	pkill -TERM -f "$PPPD_RE" 2>/dev/null
	wait_until 5 ppp_gone
}

# end_logout, end_kick, end_echo: three ways a live session ends, one per
# authentication protocol (each recorded with reason, user, peer, duration).
end_logout() {
	local ended
	ended=$(log_count srv "user alice: session ended")
	disconnect
	if log_more srv "user alice: session ended" "$ended" 15 &&
		line=$(ended_line srv alice logout) && [ -n "$line" ]; then
		ok "$1: logout recorded: ${line#*session ended: }"
	else
		not_ok "$1: logout recorded" "$(grep -E 'ended' "$TMPD/srv.err" | tail -n 3)"
	fi
}

end_kick() {
	local addr out line
	addr=$(ppp_addr "$C" "$PPP_IF")
	diag "$(l2c "$S" srv who 2>&1)"
	if out=$(who_json "$S" srv 's["user"] == "alice"' "s[\"address\"] == \"$addr\"" \
		"s[\"outer\"] == \"$CO\"" 's["encap"] == "esp"' 's["sa_in"]["spi"] > 0' \
		's["sa_out"]["spi"] > 0' 's["sa_in"]["integ"] == "sha1"' "s[\"auth\"] == \"$1\"" 2>&1); then
		ok "$1: who shows alice, $addr, from $CO, her SA pair and cipher"
	else
		not_ok "$1: who shows alice, her address, outer address and SAs" "$out"
	fi
	if out=$(l2c "$S" srv kick address "$addr" 2>&1) &&
		log_has srv "user alice: session ended: admin kick" 20 &&
		line=$(ended_line srv alice "admin kick") && [ -n "$line" ]; then
		ok "$1: kick address $addr: ${line#*session ended: }"
	else
		not_ok "$1: kick ends the session as admin kick" "$out" "$(tail -n 5 "$TMPD/srv.err")"
	fi
	if wait_until 15 grep -q "LCP terminated by peer" "$TMPD/pppd.log" &&
		[ "$(who_json "$S" srv 'len(who["sessions"])' | sed 's/.*: //')" = 0 ]; then
		ok "$1: pppd was told (LCP Terminate), who shows no session"
	else
		not_ok "$1: pppd was told, who shows no session" "$(tail -n 5 "$TMPD/pppd.log")" \
			"$(l2c "$S" srv who 2>&1)"
	fi
	disconnect
}

end_echo() {
	local line
	pkill -STOP -f "$PPPD_RE"
	if log_has srv "user alice: session ended: LCP echo timeout" 40 &&
		line=$(ended_line srv alice "LCP echo timeout") && [ -n "$line" ]; then
		ok "$1: pppd frozen: ${line#*session ended: }"
	else
		not_ok "$1: frozen pppd detected as LCP echo timeout" "$(tail -n 10 "$TMPD/srv.err")"
	fi
	disconnect
}

for auth in mschapv2 chap pap; do
	case $auth in
	mschapv2) name="MS-CHAPv2" refuse="pap chap mschap" how=end_logout n=1 ;;
	chap) name="CHAP-MD5" refuse="pap mschap mschap-v2" how=end_kick n=3 ;;
	pap) name="PAP" refuse="chap mschap mschap-v2" how=end_echo n=1 ;;
	esac
	pppd_options "$refuse" wonderland
	re="user alice: connected: address 10\.99\.85\.[0-9]+, peer $SI, authentication $name"
	before=$(log_count srv "$re")
	if ! connect || ! log_more srv "$re" "$before" 15; then
		not_ok "$name: charon+xl2tpd+pppd connects and gets an address" \
			"$(grep -E 'connected|auth|LCP' "$TMPD/srv.err" | tail -n 5)"
		skip "$name: ping and iperf3 through" "not connected"
		for ((i = 0; i < n; i++)); do skip "$name: how it ends" "not connected"; done
		disconnect
		continue
	fi
	ok "$name: connects (the server offers MS-CHAPv2 first) and gets $(ppp_addr "$C" "$PPP_IF")"
	if ping_ok "$C" "$SI" 3 >/dev/null && out=$(iperf_ok "$S" "$C" "$SI"); then
		ok "$name: ping and iperf3 through: $out"
	else
		not_ok "$name: ping and iperf3 through" "$out" \
			"$(nsx "$S" "$L2TPSEC_BIN" show 2>&1 | tail -n 20)"
	fi
	$how "$name"
done

# ---- DNS was handed out (RFC 1877) ---------------------------------------------
if grep -q "192.0.2.53" "$TMPD/pppd.log"; then
	ok "pppd received the DNS servers"
else
	not_ok "pppd received the DNS servers" "$(grep -i dns "$TMPD/pppd.log")"
fi

# ---- a wrong password -----------------------------------------------------------
pppd_options "pap chap mschap" "not the password"
connect nowait
if log_has srv "user alice: session ended: authentication failure" 40 &&
	line=$(ended_line srv alice "authentication failure") && [ -n "$line" ]; then
	ok "wrong password: ${line#*session ended: }"
else
	not_ok "wrong password recorded as authentication failure" "$(tail -n 10 "$TMPD/srv.err")"
fi
disconnect
pppd_options "pap chap mschap" wonderland

# ---- HELLO timeout: xl2tpd frozen (pppd still answers LCP) ---------------------------
if connect; then
	kill -STOP "$XL2TPD_PID"
	if log_has srv "user alice: session ended: HELLO timeout" 40 &&
		line=$(ended_line srv alice "HELLO timeout") && [ -n "$line" ]; then
		ok "frozen xl2tpd: ${line#*session ended: }"
	else
		not_ok "frozen xl2tpd detected as HELLO timeout" "$(tail -n 10 "$TMPD/srv.err")"
	fi
else
	not_ok "frozen xl2tpd detected as HELLO timeout" "not connected"
fi
disconnect

# ---- IKE delete: charon stops under a live session --------------------------------------
if connect; then
	bg_stop "$CHARON_PID"
	if log_has srv "user alice: session ended: IKE delete" 20 &&
		line=$(ended_line srv alice "IKE delete") && [ -n "$line" ]; then
		ok "charon stopped: ${line#*session ended: }"
	else
		not_ok "charon's DELETE ends the session as IKE delete" "$(tail -n 10 "$TMPD/srv.err")"
	fi
else
	not_ok "charon's DELETE ends the session as IKE delete" "not connected"
fi
disconnect

left=$(nsx "$S" "$L2TPSEC_BIN" show l2tpsec0 2>&1 | grep -cE '^(peer|sa|session) ')
if [ "$left" -eq 0 ]; then
	ok "nothing left in the module: no peer, SA or session"
else
	not_ok "nothing left in the module" "$(nsx "$S" "$L2TPSEC_BIN" show l2tpsec0)"
fi
grep -E "session ended" "$TMPD/srv.err" | while read -r l; do diag "$l"; done
ksft_exit
