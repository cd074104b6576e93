#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=300
#
# 95-diag-status: the admin view (issue 13) against a real client. A
# strongSwan charon + xl2tpd + pppd client first uses a wrong pre-shared
# key, then the right one:
#
#   - the daemon names the wrong key in one line (peer, layer, cause, fix);
#   - `l2tpsec -j status` keeps it as the peer's last failure: class 3
#     (psk-mismatch), the cause and the fix;
#   - `l2tpsec diagnose PEER` shows that failure, finds no live session,
#     and exits non-zero; with forwarding off in the server's netns it
#     says so as FAIL with the sysctl to set;
#   - with the right key: status shows the established ISAKMP SA (its
#     proposal, NAT-T), the installed IPsec SA pair with the module's
#     byte counts, the L2TP tunnel and alice's session;
#   - the SA pair stays without L2TP for longer than l2tp-wait (3 s here):
#     the class-7 line names the peer, the cause and the fix;
#   - `l2tpsec diagnose alice` finds her live session with traffic both
#     ways, its drop counters, LCP echo and NAT-T lines; after she logs
#     out, `l2tpsec history` has her session;
#   - `l2tpsec -j monitor daemon`, started before the right key, shows
#     the class-7 failure, alice's login and her logout as JSON lines.
#
#   netns S: l2tpsecd 10.0.91.1   ------ veth ------   netns C: charon,
#            l2tpsec0 10.99.91.1                          xl2tpd, pppd
#
# Needs one kernel (e.g. 6.12).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_e2e xl2tpd pppd ping
require_charon
ppp_modules || skip_all "no PPP support in this kernel (ppp_generic)"
xfrm_esp_supported || skip_all "kernel has no ESP (CONFIG_INET_ESP)"

ktap_plan 10

S=$(ns_name s)
C=$(ns_name c)
SO=10.0.91.1
CO=10.0.91.2
SI=10.99.91.1
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"
nsx "$S" sysctl -qw net.ipv4.ip_forward=0

PSK="diag 91 $(rand_hex 8)"
secret_file "$TMPD/psk" "$PSK"
printf 'alice * wonderland *\n' >"$TMPD/chap-secrets"
chmod 600 "$TMPD/chap-secrets"
printf '%s\n' "[ike]" "psk-file = $TMPD/psk" "" "[ppp]" "auth = mschapv2" \
	"chap-secrets = $TMPD/chap-secrets" "" "[pool]" "local = $SI" \
	"range = 10.99.91.10-10.99.91.20" "" "[diagnostics]" "l2tp-wait = 3" \
	"history-file = $TMPD/history" >"$TMPD/server.conf"
chmod 600 "$TMPD/server.conf"
l2tpsecd_start srv "$S" "$TMPD/server.conf" || bail_out "l2tpsecd did not start"

# py NS NAME CMD PYEXPR...: each PYEXPR with `j` bound to the JSON of
# `l2tpsec -j CMD`; prints each value, fails when one is false or raises.
py() {
	local ns=$1 name=$2 cmd=$3
	shift 3
	l2c "$ns" "$name" -j "$cmd" | "$PYTHON" -c '
import json, sys
j = json.load(sys.stdin)
ok = True
for e in sys.argv[1:]:
    try:
        v = eval(e)
    except Exception as x:
        v = False
        print("%s: %r" % (e, x))
    else:
        print("%s: %r" % (e, v))
    ok = ok and bool(v)
sys.exit(0 if ok else 1)' "$@"
}

CH=$TMPD/charon
mkdir -p "$CH"
charon_setup() {
	charon_conf "$CH" "config setup

conn l2tp
	keyexchange=ikev1
	authby=secret
	type=transport
	left=$CO
	leftprotoport=17/1701
	right=$SO
	rightprotoport=17/1701
	ike=aes256-sha256-modp2048!
	esp=aes128-sha1!
	keyingtries=1
	auto=start" "$CO $SO : PSK \"$1\""
}

# ---- a wrong pre-shared key ----------------------------------------------------
charon_setup "not the key"
CHARON_TRIES=1 charon_start charon "$C" "$CH" || bail_out "charon did not start"
if wait_log "$TMPD/srv.err" "phase 1: pre-shared key mismatch" 30; then
	line=$(grep "phase 1: pre-shared key mismatch" "$TMPD/srv.err" | head -n 1)
	line=${line#"${line%%ike "$CO":*}"}	# anything before "ike PEER"
	case $line in
	"ike $CO:500: phase 1: pre-shared key mismatch: message 5 does not decrypt with our key"*"; check the PSK configured for this peer" | \
	"ike $CO:500: phase 1: pre-shared key mismatch: the peer's HASH_I does not verify; check the PSK configured for this peer")
		ok "wrong PSK: one line: $line" ;;
	*)
		not_ok "wrong PSK: the line names peer, cause and fix" "$line" ;;
	esac
else
	not_ok "wrong PSK named" "$(tail -n 10 "$TMPD/srv.err")"
fi
charon_kill "$CHARON_PID"

if out=$(py "$S" srv status "len(j['failures']) == 1" \
	"j['failures'][0]['peer'] == '$CO'" "j['failures'][0]['class'] == 3" \
	"j['failures'][0]['class_name'] == 'psk-mismatch'" \
	"j['failures'][0]['layer'] == 'ike'" \
	"j['failures'][0]['cause'].startswith('phase 1: pre-shared key mismatch')" \
	"j['failures'][0]['fix'] == 'check the PSK configured for this peer'" \
	"len(j['sessions']) == 0" 2>&1); then
	ok "status: the peer's last failure is class 3 (psk-mismatch) with cause and fix"
else
	not_ok "status keeps the failure" "$out" "$(l2c "$S" srv status 2>&1)"
fi

out=$(l2c "$S" srv diagnose "$CO" config "$TMPD/server.conf" 2>&1)
rc=$?
if [ "$rc" -ne 0 ] &&
	grep -q "class 3 (psk-mismatch), ike" <<<"$out" &&
	grep -q "fix:   check the PSK configured for this peer" <<<"$out" &&
	grep -q "^FAIL  target: $CO has no live session and failed$" <<<"$out" &&
	grep -q "^FAIL  forwarding: net.ipv4.ip_forward = 0: clients reach this host only$" <<<"$out" &&
	grep -q "fix: sysctl -w net.ipv4.ip_forward=1" <<<"$out" &&
	grep -q "^ok    udp: UDP 500 bound$" <<<"$out" &&
	grep -q "^ok    udp: UDP 4500 bound$" <<<"$out" &&
	grep -q "^ok    secrets: $TMPD/psk mode 0600$" <<<"$out" &&
	grep -q "^ok    pool: 11 of 11 addresses free$" <<<"$out"; then
	ok "diagnose $CO: the failure, no live session, forwarding off is FAIL with the sysctl; ports, secrets, pool ok; exit $rc"
else
	not_ok "diagnose $CO" "exit $rc" "$out"
fi
nsx "$S" sysctl -qw net.ipv4.ip_forward=1
# the daemon's events from here on, as l2tpsec monitor shows them
bg_start monitor nsx "$S" "$L2TPSEC_BIN" -s "$TMPD/srv.sock" -j monitor daemon
MON_PID=$BG_PID
MON="$(tmpdir)/monitor.out"

# ---- the right key ----------------------------------------------------------------
charon_setup "$PSK"
charon_start charon "$C" "$CH" || bail_out "charon did not start"
if wait_until 40 grep -q "CHILD_SA l2tp{[0-9]*} established" "$CH/charon.log" &&
	log_has srv "ESP SA pair up" 10; then
	ok "right PSK: charon's SAs up"
else
	bail_out "IKE with the right PSK: $(tail -n 5 "$TMPD/srv.err" | tr '\n' ' ')"
fi
# no L2TP yet: failure class 7 after l2tp-wait
if wait_log "$TMPD/srv.err" "IPsec SA pair up for 3 s and no L2TP tunnel request" 15; then
	line=$(grep "IPsec SA pair up for 3 s" "$TMPD/srv.err" | head -n 1)
	line=${line#"${line%%ipsec "$CO":*}"}
	if [ "$line" = "ipsec $CO:500: IPsec SA pair up for 3 s and no L2TP tunnel request (SCCRQ) arrived: the client's L2TP part did not start or sends elsewhere; check its L2TP service (xl2tpd, the system's L2TP client) and that it connects to this server's address (l2tp-wait in [diagnostics])" ]; then
		ok "IPsec without L2TP: $line"
	else
		not_ok "IPsec without L2TP: the line" "$line"
	fi
else
	not_ok "IPsec without L2TP named after l2tp-wait" "$(tail -n 5 "$TMPD/srv.err")"
fi

printf '%s\n' "[global]" "port = 1701" "access control = no" "" "[lac lns]" \
	"lns = $SO" "pppoptfile = $TMPD/options.l2tp" "autodial = yes" \
	"redial = no" "length bit = yes" "require authentication = no" \
	>"$TMPD/xl2tpd.conf"
printf '%s\n' "name alice" 'password "wonderland"' noauth refuse-eap refuse-pap \
	refuse-chap refuse-mschap noipdefault nodefaultroute noccp novj \
	"mtu 1400" "mru 1400" "lcp-echo-interval 0" "logfile $TMPD/pppd.log" \
	>"$TMPD/options.l2tp"
start_xl2tpd xl2tpd "$C" "$TMPD/xl2tpd.conf"
if wait_until 40 ppp_iface "$C" && ping_ok "$C" "$SI" 5 >/dev/null; then
	ok "alice connects over charon+xl2tpd+pppd and pings $SI"
else
	bail_out "not connected: $(tail -n 10 "$TMPD/srv.err" | tr '\n' ' ')"
fi

if out=$(py "$S" srv status \
	"any(s['established'] and s['remote'] == '$CO' and s['proposal'] == 'aes256-sha256-modp2048' and s['auth'] == 'psk' and s['nat'] == 'none' for s in j['isakmp'])" \
	"any(p['state'] == 'installed' and p['tx'] and p['encap'] == 'esp' and p['in']['bytes'] > 0 and p['out']['bytes'] > 0 and p['in']['packets'] >= 5 and p['lifetime'] > 0 for p in j['ipsec'])" \
	"len(j['tunnels']) == 1 and j['tunnels'][0]['state'] == 'established' and j['tunnels'][0]['role'] == 'lns' and j['tunnels'][0]['sessions'] == 1" \
	"len(j['sessions']) == 1 and j['sessions'][0]['user'] == 'alice' and j['sessions'][0]['phase'] == 'network'" \
	"[f['class_name'] for f in j['failures']] == ['ipsec-without-l2tp', 'psk-mismatch']" 2>&1); then
	ok "status: ISAKMP SA established with its proposal, SA pair with byte counts, tunnel, alice's session, the peer's two failures newest first"
else
	not_ok "status after connecting" "$out" "$(l2c "$S" srv status 2>&1)"
fi
diag "$(l2c "$S" srv status 2>&1)"

out=$(l2c "$S" srv diagnose alice config "$TMPD/server.conf" 2>&1)
rc=$?
if grep -q "^ok    target: alice has 1 live session$" <<<"$out" &&
	grep -Eq "^  rx [1-9][0-9]* packets [0-9]+ bytes, tx [1-9][0-9]* packets" <<<"$out" &&
	grep -Eq "^  drops \(session\):" <<<"$out" &&
	grep -Eq "^  LCP echo: (last round trip [0-9]+ ms|no reply timed yet)" <<<"$out" &&
	grep -q "^  NAT-T: no (raw ESP), NAT none$" <<<"$out" &&
	grep -q "^ok    forwarding: IPv4 forwarding on$" <<<"$out"; then
	ok "diagnose alice: her live session with traffic both ways (exit $rc)"
else
	not_ok "diagnose alice" "exit $rc" "$out"
fi

pkill -TERM -f "[p]ppd.*$TMPD/options.l2tp" 2>/dev/null
if log_has srv "user alice: session ended" 20 &&
	out=$(py "$S" srv history "len(j) == 1" "j[0]['user'] == 'alice'" \
		"j[0]['peer'] == '$CO'" "j[0]['address'].startswith('10.99.91.')" \
		"j[0]['rx_bytes'] > 0 and j[0]['tx_packets'] > 0" \
		"j[0]['reason'] == 'logout'" "j[0]['duration'] >= 0" 2>&1); then
	ok "history: alice's ended session (peer, address, bytes, logout)"
else
	not_ok "history keeps alice's session" "$out" "$(l2c "$S" srv history 2>&1)"
fi
if wait_until 10 grep -q '"event":"logout"' "$MON" &&
	out=$("$PYTHON" -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
kinds = [e["event"] for e in ev]
assert all(e["source"] == "daemon" and e["time_ms"] > 0 and e["time"] for e in ev), ev
fail = [e for e in ev if e["event"] == "failure"]
assert fail and fail[0]["class_name"] == "ipsec-without-l2tp" and fail[0]["peer"] == sys.argv[2], fail
login = [e for e in ev if e["event"] == "login"]
assert len(login) == 1 and login[0]["user"] == "alice" and login[0]["address"].startswith("10.99.91.") and login[0]["peer"] == sys.argv[2], login
out = [e for e in ev if e["event"] == "logout"]
assert len(out) == 1 and out[0]["user"] == "alice" and out[0]["detail"].startswith("logout"), out
assert kinds.index("login") < kinds.index("logout"), kinds
print(kinds)
' "$MON" "$CO" 2>&1); then
	ok "monitor: the class-7 failure, alice's login and logout as JSON lines $out"
else
	not_ok "monitor shows the daemon's events" "$out" "$(cat "$MON" "$(tmpdir)/monitor.err")"
fi
bg_stop "$MON_PID"
bg_stop "$XL2TPD_PID"
charon_stop "$CHARON_PID"
ksft_exit
