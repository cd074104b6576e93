#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600
#
# 80-l2tp-xl2tpd-client: xl2tpd + pppd as the client (LAC) against
# l2tpsecd's L2TP/PPP half as the server (LNS), the way Linux clients
# (NetworkManager-l2tp) connect:
#
#   netns S (server)                            netns C (client)
#   l2tpsec0 10.99.80.1, l2tp_harness           xl2tpd + pppd -> ppp0
#   l2tpsec.ko peer 1 (static SAs)  <-- ESP --> xfrm states + UDP/1701 policy
#   vS 10.0.80.1/24 -------------------- veth ---------------- vC 10.0.80.2/24
#
# For MS-CHAPv2, CHAP-MD5 and PAP (the server requires each in turn):
# connect, ping and iperf3 through, a clean logout recorded as "logout".
# Then the two liveness checks, each recorded with its reason: pppd
# frozen (SIGSTOP) -> "LCP echo timeout"; xl2tpd frozen -> "HELLO timeout".
# IPsec is static until IKE drives the same entry points.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_l2tp_tools xl2tpd pppd ping iperf3
ppp_modules || skip_all "no PPP support in this kernel (ppp_generic)"
xfrm_esp_supported || skip_all "kernel has no ESP (CONFIG_INET_ESP)"

ktap_plan 16

S=$(ns_name s)
C=$(ns_name c)
SO=10.0.80.1
CO=10.0.80.2
SI=10.99.80.1
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"

K_CS=$(rand_hex 20)
K_SC=$(rand_hex 20)
l2tpsec_end "$S" "$SO" "$CO" 0x8001 "$K_CS" 0x8002 "$K_SC" ||
	bail_out "l2tpsec SAs"
xfrm_end "$C" "$CO" "$SO" 0x8002 "$K_SC" 0x8001 "$K_CS" || bail_out "xfrm SAs"

chap_secrets "$TMPD/chap-secrets"

# server_conf AUTH ECHO_INTERVAL HELLO_INTERVAL
server_conf() {
	cat >"$TMPD/server.conf" <<EOF
[l2tp]
hostname = lns-under-test
hello-interval = $3
retransmit-initial = 1
retransmit-max = 2
max-retries = 3

[ppp]
name = l2tpsec
auth = $1
dns = 192.0.2.53 192.0.2.54
lcp-echo-interval = $2
lcp-echo-failure = 3
ipv6 = yes
chap-secrets = $TMPD/chap-secrets

[pool]
local = $SI
range = 10.99.80.10-10.99.80.20
EOF
}

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

cat >"$TMPD/options.l2tp" <<EOF
name alice
password wonderland
noauth
refuse-eap
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

# connect AUTH ECHO HELLO: harness + xl2tpd, wait for ppp0 up.
connect() {
	server_conf "$@"
	: >"$TMPD/pppd.log"
	start_harness srv "$S" "$TMPD/server.conf" -p 1 -o "$CO" || return 1
	start_xl2tpd xl2tpd "$C" "$TMPD/xl2tpd.conf"
	if ! wait_for 40 ppp_iface "$C"; then
		diag "server:" "$(tail -n 25 "$TMPD/srv.err")"
		diag "xl2tpd:" "$(tail -n 10 "$TMPD/xl2tpd.err")"
		diag "pppd:" "$(tail -n 15 "$TMPD/pppd.log")"
		return 1
	fi
	PPP_IF=$(ppp_iface "$C")
}

disconnect() {
	bg_stop "$XL2TPD_PID"
	pkill -TERM -f "pppd.*$TMPD/options.l2tp" 2>/dev/null
	sleep 1
	bg_stop "$HARNESS_PID"
}

for auth in mschapv2 chap pap; do
	case $auth in
	mschapv2) name="MS-CHAPv2" ;;
	chap) name="CHAP-MD5" ;;
	pap) name="PAP" ;;
	esac
	if ! connect "$auth" 0 60; then
		not_ok "$name: xl2tpd+pppd connects and gets an address"
		skip "$name: ping and iperf3 through" "not connected"
		skip "$name: logout recorded" "not connected"
		disconnect
		continue
	fi
	addr=$(ppp_addr "$C" "$PPP_IF")
	if log_has srv "user alice: connected: address 10\.99\.80\.[0-9]+, peer $SI, authentication $name"; then
		ok "$name: xl2tpd+pppd connects and gets an address ($addr)"
	else
		not_ok "$name: xl2tpd+pppd connects and gets an address" \
			"$(grep -E 'connected|auth' "$TMPD/srv.err" | tail -n 5)"
	fi
	if ping_ok "$C" "$SI" 3 >/dev/null && out=$(iperf_ok "$S" "$C" "$SI"); then
		ok "$name: ping and iperf3 through: $out"
	else
		not_ok "$name: ping and iperf3 through" "$out" \
			"$(nsx "$S" "$L2TPSEC_BIN" show 2>&1 | tail -n 20)"
	fi
	disconnect
	if grep -Eq "user alice: session ended: (logout|daemon shutdown)" "$TMPD/srv.err"; then
		ok "$name: logout recorded: $(grep -Eo 'session ended: [a-z ]+' "$TMPD/srv.err" | head -n1)"
	else
		not_ok "$name: logout recorded" "$(grep -E 'ended' "$TMPD/srv.err")"
	fi
done

# ---- DNS was handed out (RFC 1877) ---------------------------------------
if grep -q "primary   DNS address 192.0.2.53" "$TMPD/pppd.log" ||
	grep -q "192.0.2.53" "$TMPD/pppd.log"; then
	ok "pppd received the primary DNS server"
else
	not_ok "pppd received the primary DNS server" "$(grep -i dns "$TMPD/pppd.log")"
fi

# ---- LCP echo failure: pppd frozen ----------------------------------------
if connect mschapv2 2 0; then
	ok "echo: connected with lcp-echo-interval 2, lcp-echo-failure 3"
	pkill -STOP -f "pppd.*$TMPD/options.l2tp"
	if log_has srv "session ended: LCP echo timeout" 30; then
		ok "echo: frozen pppd detected: $(grep -Eo 'session ended: LCP echo timeout: [^;]*' "$TMPD/srv.err" | head -n1)"
	else
		not_ok "echo: frozen pppd detected as LCP echo timeout" "$(tail -n 10 "$TMPD/srv.err")"
	fi
	pkill -CONT -f "pppd.*$TMPD/options.l2tp"
	if grep -Eq "session ended: LCP echo timeout.*user alice|user alice: session ended: LCP echo timeout" "$TMPD/srv.err"; then
		ok "echo: the end names the user, peer and duration: $(grep -Eo 'peer [0-9.:]+, address [0-9.]+, duration [0-9:]+' "$TMPD/srv.err" | tail -n1)"
	else
		not_ok "echo: the end names the user, peer and duration"
	fi
else
	not_ok "echo: connected with lcp-echo-interval 2, lcp-echo-failure 3"
	skip "echo: frozen pppd detected" "not connected"
	skip "echo: the end names the user, peer and duration" "not connected"
fi
disconnect

# ---- HELLO timeout: xl2tpd frozen -------------------------------------------
if connect mschapv2 0 3; then
	ok "hello: connected with hello-interval 3"
	kill -STOP "$XL2TPD_PID"
	if log_has srv "session ended: HELLO timeout" 40; then
		ok "hello: frozen xl2tpd detected: $(grep -Eo 'session ended: HELLO timeout: [^;]*' "$TMPD/srv.err" | head -n1)"
	else
		not_ok "hello: frozen xl2tpd detected as HELLO timeout" "$(tail -n 10 "$TMPD/srv.err")"
	fi
	kill -CONT "$XL2TPD_PID"
else
	not_ok "hello: connected with hello-interval 3"
	skip "hello: frozen xl2tpd detected" "not connected"
fi
disconnect

# ---- nothing left in the module ---------------------------------------------
n=$(nsx "$S" "$L2TPSEC_BIN" session show l2tpsec0 2>/dev/null | grep -c 'session')
if [ "${n:-0}" -eq 0 ]; then
	ok "no session left in the module"
else
	not_ok "no session left in the module" "$(nsx "$S" "$L2TPSEC_BIN" session show l2tpsec0)"
fi

ksft_exit
