#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=480
#
# 90-lac-auth: the client (LAC) is safe by default against a server that
# holds the group PSK but not the user's password.
#
#   netns S: l2tpsecd server (l2tpsecd-server.conf, [ppp] auth varied)
#   netns C: l2tpsecd client (l2tpsecd-client.conf as shipped: no auth
#            setting, so the default mschapv2)
#
# a) a server that asks for no authentication: the client refuses it
#    with one line naming the cause and the setting, no address, no
#    route;
# b) a server that asks for PAP (the password in clear): refused, named
#    with the setting that would allow it, the password never sent;
# c) the client told `auth = mschapv2 pap`: a startup warning, then it
#    connects to the PAP server and pings.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_e2e ping

ktap_plan 6

S=$(ns_name s)
C=$(ns_name c)
SO=192.0.2.1
CO=192.0.2.2
SI=10.99.0.1
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"

secret_file "$TMPD/psk" "lac auth psk $(rand_hex 8)"
secret_file "$TMPD/office.password" "correct horse battery"
example_conf chap-secrets.example "$TMPD/chap-secrets"

# run NAME SERVER-AUTH [CLIENT-AUTH]: a server and a client, logs in
# NAME-srv.err and NAME-cli.err; SRV and CLI hold their pids.
run() {
	local name=$1 sauth=$2 cauth=$3
	example_conf l2tpsecd-server.conf "$TMPD/$name-srv.conf" \
		-e "s/^auth = .*/auth = $sauth/"
	example_conf l2tpsecd-client.conf "$TMPD/$name-cli.conf"
	[ -n "$cauth" ] && sed -i "/^\[lac office\]/a auth = $cauth" "$TMPD/$name-cli.conf"
	l2tpsecd_start "$name-srv" "$S" "$TMPD/$name-srv.conf" || bail_out "server $name"
	SRV=$DAEMON_PID
	l2tpsecd_start "$name-cli" "$C" "$TMPD/$name-cli.conf" || bail_out "client $name"
	CLI=$DAEMON_PID
}
stop() {
	bg_stop "$CLI"
	bg_stop "$SRV"
}
no_address() {
	! ip -n "$C" -4 -o addr show dev l2tpsec0 | grep -q " inet 10\.99\."
}

# 1, 2: no authentication asked
run none none
re='ppp: .*the server asks for no authentication, so it proves nothing about itself: refused; to accept such a server add none to auth in \[lac\] \(auth = mschapv2 none\)'
if log_has none-cli "$re" 60; then
	ok "no authentication asked: refused: $(grep -Eo 'the server asks for no authentication[^;]*' "$TMPD/none-cli.err" | head -n1)"
else
	not_ok "no authentication asked: refused with cause and setting" "$(tail -n 15 "$TMPD/none-cli.err")"
fi
if no_address && ! grep -q "user alice: connected" "$TMPD/none-cli.err"; then
	ok "no authentication asked: the client took no address"
else
	not_ok "no authentication asked: the client took no address" "$(ip -n "$C" addr show dev l2tpsec0)"
fi
stop

# 3, 4: PAP asked
run pap pap
re='ppp: .*the server asks for PAP, which \[lac\] auth does not allow: refused, asking for MS-CHAPv2 instead; to accept it set auth = mschapv2 pap in \[lac\]'
if log_has pap-cli "$re" 60; then
	ok "PAP asked: refused: $(grep -Eo 'the server asks for PAP[^;]*' "$TMPD/pap-cli.err" | head -n1)"
else
	not_ok "PAP asked: refused with what it asked for and the setting" "$(tail -n 15 "$TMPD/pap-cli.err")"
fi
sleep 3
if no_address && ! grep -qE "user alice: (connected|authenticated)" "$TMPD/pap-srv.err"; then
	ok "PAP asked: no password went to the server, no address"
else
	not_ok "PAP asked: no password sent" "$(grep alice "$TMPD/pap-srv.err" | tail -n 5)"
fi
stop

# 5, 6: PAP allowed by the client's configuration
run papok pap "mschapv2 pap"
if grep -q "config: \[lac office\] auth allows PAP: the password goes to the server in clear" "$TMPD/papok-cli.err"; then
	ok "auth = mschapv2 pap: warned at startup"
else
	not_ok "auth = mschapv2 pap: warned at startup" "$(head -n 10 "$TMPD/papok-cli.err")"
fi
if log_has papok-cli "user alice: connected: our address 10\.99\.0\.[0-9]+" 60 &&
	ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "auth = mschapv2 pap: connects to the PAP server and pings"
else
	not_ok "auth = mschapv2 pap: connects" "$(tail -n 10 "$TMPD/papok-cli.err")" \
		"$(tail -n 10 "$TMPD/papok-srv.err")"
fi
stop

ksft_exit
