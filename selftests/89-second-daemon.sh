#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600
#
# 89-second-daemon: a second l2tpsecd cannot break the first.
#
#   netns S: l2tpsecd (l2tpsecd-server.conf), the client connected to it
#   netns C: l2tpsecd (l2tpsecd-client.conf)
#   vS 192.0.2.1/24 ------------------- veth ------------------- vC 192.0.2.2/24
#
# With the client's session up, a second l2tpsecd is started in S
#  a) with the very same configuration (same control socket, so the same
#     lock file): it refuses before touching the module or an address,
#     with one line naming the running daemon's pid, and exits non-zero;
#  b) with the same configuration but its own control socket (so another
#     lock file): the module refuses it a second frame listener (EBUSY);
#     it says so, naming the device, and exits non-zero (skipped on a
#     kernel whose module still hands the listener over);
# After each: the server's tunnel address is still there, the module
# still has its socket and frame listener, `who` shows the same session
# (same ids, same peer), the client's ping passes, and the running
# server's L2TP keeps working (a kick is answered and the client comes
# back). When something does take the server's UDP 4500 socket or frame
# listener (`l2tpsec dev detach`, `dev set listen off`), the server
# logs it loudly. After it stops, a new server starts and serves.
#
# That new server runs with `user = nobody` in [daemon]: once its ports,
# module and control socket are open it is uid nobody with CAP_NET_ADMIN
# and CAP_NET_BIND_SERVICE only (effective, permitted and bounding set,
# from /proc/PID/status), and still serves: the client connects and
# pings, a kick through the control socket is answered, the client's
# reconnect is served (addresses and routes by the unprivileged daemon),
# and a second daemon beside it is refused naming it.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_e2e ping

ktap_plan 16

S=$(ns_name s)
C=$(ns_name c)
SO=192.0.2.1
CO=192.0.2.2
SI=10.99.0.1
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"

secret_file "$TMPD/psk" "second daemon psk $(rand_hex 8)"
secret_file "$TMPD/office.password" "correct horse battery"
example_conf chap-secrets.example "$TMPD/chap-secrets"
example_conf l2tpsecd-server.conf "$TMPD/server.conf"
example_conf l2tpsecd-client.conf "$TMPD/client.conf"

l2tpsecd_start srv "$S" "$TMPD/server.conf" || bail_out "server l2tpsecd"
SRV_PID=$DAEMON_PID
l2tpsecd_start cli "$C" "$TMPD/client.conf" || bail_out "client l2tpsecd"
CLI_PID=$DAEMON_PID

# 1: the client is connected
if log_has srv "user alice: connected: address 10\.99\.0\.[0-9]+" 90 &&
	log_has cli "user alice: connected: our address 10\.99\.0\.[0-9]+" 10 &&
	ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "client connected, ping $SI"
else
	bail_out "client not connected: $(tail -n 10 "$TMPD/srv.err") $(tail -n 10 "$TMPD/cli.err")"
fi

# The server's state a second daemon must not change.
server_state() {
	local dev
	dev=$(json_query "$S" l2tpsec0 'dev["sock_port"], dev["frame_listen"]' 2>&1)
	printf 'addr=%s dev=%s who=%s\n' \
		"$(ip -n "$S" -4 -o addr show dev l2tpsec0 | grep -c " inet $SI/")" \
		"$dev" \
		"$(l2c "$S" srv -j who | "$PYTHON" -c '
import json, sys
w = json.load(sys.stdin)
print(w.get("pid"),
      [(s["user"], s["peer_id"], s["tunnel"], s["session"], s["peer_tunnel"],
        s["peer_session"], s["outer"]) for s in w["sessions"]])' 2>&1)"
}
before=$(server_state)
diag "server state: $before"
srv_lines=$(wc -l <"$TMPD/srv.err")

# second NAME CONF: a second server daemon in S, in the foreground, with
# at most 30 s to give up; its exit status in SECOND_RC, log in NAME.err.
second() {
	local name=$1 conf=$2
	nsx "$S" timeout 30 "$L2TPSECD" -f -d -c "$conf" \
		>"$TMPD/$name.out" 2>"$TMPD/$name.err" </dev/null
	SECOND_RC=$?
}

# after LABEL NAME: the checks after a second daemon NAME has run.
after() {
	local label=$1 name=$2 now
	now=$(server_state)
	if [ "$now" = "$before" ]; then
		ok "$label: the server's address, module socket, listener and session are untouched"
	else
		not_ok "$label: the server's state is untouched" "before: $before" "after:  $now" \
			"second: $(tail -n 8 "$TMPD/$name.err")"
	fi
	if ping_ok "$C" "$SI" 3 >/dev/null; then
		ok "$label: the client's ping still passes"
	else
		not_ok "$label: the client's ping still passes" "$(ip -n "$S" addr show dev l2tpsec0)"
	fi
}

# 2-4: the same configuration
second second "$TMPD/server.conf"
line=$(grep -E "another l2tpsecd \(pid $SRV_PID\)" "$TMPD/second.err" | head -n1)
if [ "$SECOND_RC" -ne 0 ] && [ "$SECOND_RC" -ne 124 ] && [ -n "$line" ] &&
	! grep -qE "kernel|ike: listening|accepting tunnels" "$TMPD/second.err"; then
	ok "same configuration: refused before the module is touched (exit $SECOND_RC): ${line#*: }"
else
	not_ok "same configuration: refused naming the running daemon's pid $SRV_PID" \
		"exit $SECOND_RC" "$(cat "$TMPD/second.err")"
fi
after "same configuration" second

# 5-7: the same configuration, its own control socket. Only a module
# that refuses a second frame listener can tell this one: probe that on a
# device of our own first.
single_listener() {
	local ns rc=0 pid
	ns=$(ns_name k)
	setup_netns "$ns"
	ip -n "$ns" link add l2tpsecT type l2tpsec 2>/dev/null || return 2
	bg_start probe ip netns exec "$ns" "$L2TPSEC_BIN" frame listen l2tpsecT
	pid=$BG_PID
	wait_until 5 json_query "$ns" l2tpsecT 'dev["frame_listen"] or None'
	nsx "$ns" "$L2TPSEC_BIN" dev set l2tpsecT listen on >"$TMPD/probe.set" 2>&1 && rc=1
	bg_stop "$pid"
	del_netns "$ns"
	return $rc
}
if single_listener; then
	sed -e "s|^control-socket = .*|control-socket = $TMPD/other.sock|" \
		"$TMPD/server.conf" >"$TMPD/other.conf"
	chmod 600 "$TMPD/other.conf"
	second other "$TMPD/other.conf"
	line=$(grep -E "l2tpsec0 already has a frame listener" "$TMPD/other.err" | head -n1)
	if [ "$SECOND_RC" -ne 0 ] && [ "$SECOND_RC" -ne 124 ] && [ -n "$line" ] &&
		! grep -qE "ike: listening|accepting tunnels" "$TMPD/other.err"; then
		ok "own control socket: the module refuses a second listener (exit $SECOND_RC): ${line#*: }"
	else
		not_ok "own control socket: refused, the device's frame listener named" \
			"exit $SECOND_RC" "$(cat "$TMPD/other.err")"
	fi
	after "own control socket" other
else
	for i in 1 2 3; do
		skip "own control socket" "this kernel's module hands the frame listener to a second process (a second 'l2tpsec dev set listen on' succeeded); the module change that refuses it (EBUSY) is needed"
	done
fi

# 8: the running server noticed nothing wrong and logged nothing about it
new=$(tail -n +"$((srv_lines + 1))" "$TMPD/srv.err" | grep -E "error|cannot|failed|taken|ended" | head -n 5)
if [ -z "$new" ]; then
	ok "the running server logged no error"
else
	not_ok "the running server logged no error" "$new"
fi

# 9, 10: the server's L2TP still works: a kick, the client comes back
if out=$(l2c "$S" srv kick user alice 2>&1) && [[ $out == "1 session ending"* ]] &&
	log_has srv "user alice: session ended: admin kick" 15; then
	ok "kick answered by the running server"
else
	not_ok "kick answered by the running server" "$out" "$(tail -n 5 "$TMPD/srv.err")"
fi
connected_twice() {
	[ "$(grep -c 'user alice: connected: our address' "$TMPD/cli.err")" -ge 2 ]
}
if wait_until 60 connected_twice && ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "the client reconnects through the running server and pings"
else
	not_ok "the client reconnects through the running server" "$(tail -n 10 "$TMPD/cli.err")" \
		"$(tail -n 10 "$TMPD/srv.err")"
fi

# 11: taken from under the running server: it says so
before_taken=$(log_count srv "taken|detached|no longer")
nsx "$S" "$L2TPSEC_BIN" dev detach l2tpsec0 >/dev/null 2>&1
nsx "$S" "$L2TPSEC_BIN" dev set l2tpsec0 listen off >/dev/null 2>&1
if log_has srv "kernel: l2tpsec0: our UDP 4500 socket was detached from the device .*restart l2tpsecd" 15 &&
	log_has srv "kernel: l2tpsec0: this daemon is no longer the device's frame listener .*restart l2tpsecd" 15; then
	ok "the server logs its socket and listener taken: $(grep -Eo 'our UDP 4500 socket was detached[^(]*' "$TMPD/srv.err" | head -n1)"
else
	not_ok "the server logs its socket and listener taken" \
		"$(tail -n +"$((srv_lines + 1))" "$TMPD/srv.err" | tail -n 8)" "(matching lines before: $before_taken)"
fi

# 12, 13: once the first server has stopped, a new one starts and serves
# (the lock goes with the process)
bg_stop "$CLI_PID"
bg_stop "$SRV_PID"
cp "$TMPD/server.conf" "$TMPD/server2.conf"
printf '\n[daemon]\nuser = nobody\n' >>"$TMPD/server2.conf"
l2tpsecd_start srv2 "$S" "$TMPD/server2.conf"
rc=$?
SRV2_PID=$DAEMON_PID
if [ $rc -eq 0 ]; then
	ok "a new server starts once the first has stopped"
else
	not_ok "a new server starts once the first has stopped" "$(tail -n 10 "$TMPD/srv2.err")"
fi
l2tpsecd_start cli2 "$C" "$TMPD/client.conf" || diag "client did not start"
if log_has cli2 "user alice: connected: our address" 90 && ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "the client connects to the new server and pings"
else
	not_ok "the client connects to the new server" "$(tail -n 10 "$TMPD/cli2.err")" \
		"$(tail -n 10 "$TMPD/srv2.err")"
fi

# 14: least privilege
st=$(cat "/proc/$SRV2_PID/status" 2>/dev/null)
nobody=$(id -u nobody)
cap() { sed -n "s/^$1:[[:space:]]*//p" <<<"$st"; }
if grep -q "core: running as user nobody (uid $nobody, .*) with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only" "$TMPD/srv2.err" &&
	grep -Eq "^Uid:[[:space:]]+$nobody[[:space:]]+$nobody[[:space:]]+$nobody[[:space:]]+$nobody$" <<<"$st" &&
	[ "$(cap CapEff)" = 0000000000001400 ] && [ "$(cap CapPrm)" = 0000000000001400 ] &&
	[ "$(cap CapBnd)" = 0000000000001400 ] && [ "$(cap CapInh)" = 0000000000000000 ] &&
	[ "$(cap NoNewPrivs)" = 1 ]; then
	ok "the server runs as nobody (uid $nobody), CapEff/CapPrm/CapBnd $(cap CapEff) (CAP_NET_ADMIN, CAP_NET_BIND_SERVICE)"
else
	not_ok "the server runs as nobody with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only" \
		"$(grep -E '^(Uid|Gid|Cap|NoNewPrivs)' <<<"$st")" "$(grep -E 'core:' "$TMPD/srv2.err" | tail -n 5)"
fi

# 15: the unprivileged server still does its work: kick, reconnect
before=$(log_count cli2 'user alice: connected: our address')
if out=$(l2c "$S" srv2 kick user alice 2>&1) && [[ $out == "1 session ending"* ]] &&
	log_has srv2 "user alice: session ended: admin kick" 15 &&
	log_more cli2 'user alice: connected: our address' "$before" 60 &&
	ping_ok "$C" "$SI" 2 >/dev/null &&
	ip -n "$S" -4 -o addr show dev l2tpsec0 | grep -q " inet $SI/"; then
	ok "unprivileged: kick answered, the client's reconnect served, ping passes"
else
	not_ok "unprivileged: kick, reconnect, ping" "$out" "$(tail -n 10 "$TMPD/srv2.err")" \
		"$(tail -n 5 "$TMPD/cli2.err")"
fi

# 16: and a second daemon beside the unprivileged one is refused naming it
second third "$TMPD/server2.conf"
if [ "$SECOND_RC" -ne 0 ] && [ "$SECOND_RC" -ne 124 ] &&
	grep -qE "another l2tpsecd \(pid $SRV2_PID\)" "$TMPD/third.err" &&
	ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "a second daemon beside the unprivileged server is refused, the client's ping passes"
else
	not_ok "a second daemon beside the unprivileged server is refused" "exit $SECOND_RC" \
		"$(cat "$TMPD/third.err")"
fi

ksft_exit
