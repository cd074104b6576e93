# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/l2tp-lib.sh - helpers of the L2TP/PPP tests (8x-*.sh), on
# top of lib.sh (source lib.sh first).
#
# The end-to-end tests (85-88) run the whole daemon, user/l2tpsecd: IKE
# negotiates the SAs, then L2TP and PPP run over them (l2tpsecd_start,
# example_conf, l2c, who_json, ended_line); the strongSwan peers are
# charon (IKEv1, ipsec.conf via its starter) with a private /run and
# /etc/ipsec.d each (charon_conf, charon_start); xl2tpd and pppd are the
# Linux L2TP stack (start_xl2tpd, ppp_iface).
#
# 84 (200 sessions from a load client that speaks no IKE) programs the
# IPsec side statically instead: on an l2tpsec end with the CLI (peer, two
# SAs), on a Linux end with xfrm (states + UDP/1701 policies), AES-GCM-128
# over raw ESP; the L2TP/PPP half of l2tpsecd runs as
# user/build/daemon/tests/l2tp_harness, the same code (daemon/l2tp,
# daemon/ppp, daemon/auth) on the real core (loop, config, kmod), with the
# module peer given on its command line.

. "$(dirname "${BASH_SOURCE[0]}")/charon-lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/xfrm-lib.sh"

HARNESS=${HARNESS:-$TOP/user/build/daemon/tests/l2tp_harness}
L2TPSECD=${L2TPSECD:-$TOP/user/l2tpsecd}
EXAMPLES=${EXAMPLES:-$TOP/Documentation/examples}

require_l2tp_tools() {
	require_cmd "$@"
	[ -x "$HARNESS" ] || skip_all "harness not built: $HARNESS (make -C user)"
}

# ppp_modules: the kernel side of pppd and xl2tpd (no udev in the guest).
ppp_modules() {
	local m
	for m in ppp_generic ppp_async ppp_synctty pppox l2tp_core l2tp_ppp; do
		modprobe -q "$m" 2>/dev/null
	done
	[ -c /dev/ppp ] || mknod /dev/ppp c 108 0 2>/dev/null
	[ -c /dev/ppp ]
}

# l2tpsec_end NS LOCAL REMOTE SPI_IN KEY_IN SPI_OUT KEY_OUT [PEER_ID]:
# device l2tpsec0, one peer over raw ESP, an SA each way, AES-GCM-128.
l2tpsec_end() {
	local ns=$1 l=$2 r=$3 si=$4 ki=$5 so=$6 ko=$7 id=${8:-1}
	ip -n "$ns" link show l2tpsec0 >/dev/null 2>&1 ||
		run_ok ip -n "$ns" link add l2tpsec0 type l2tpsec || return 1
	run_ok nsx "$ns" "$L2TPSEC_BIN" peer add l2tpsec0 id "$id" encap none \
		local "$l" remote "$r" &&
	run_ok nsx "$ns" "$L2TPSEC_BIN" sa add l2tpsec0 spi "$si" dir in \
		peer "$id" cipher aes-gcm key "$ki" &&
	run_ok nsx "$ns" "$L2TPSEC_BIN" sa add l2tpsec0 spi "$so" dir out \
		peer "$id" cipher aes-gcm key "$ko" &&
	run_ok nsx "$ns" "$L2TPSEC_BIN" peer set l2tpsec0 id "$id" tx-spi "$so" &&
	run_ok ip -n "$ns" link set l2tpsec0 up
}

# xfrm_end NS LOCAL REMOTE SPI_IN KEY_IN SPI_OUT KEY_OUT: Linux xfrm
# protecting UDP 1701 <-> 1701 between LOCAL and REMOTE (AES-GCM-128).
xfrm_end() {
	local ns=$1 l=$2 r=$3 si=$4 ki=$5 so=$6 ko=$7
	run_ok ip -n "$ns" xfrm state add src "$l" dst "$r" proto esp spi "$so" \
		reqid 1701 mode transport aead 'rfc4106(gcm(aes))' "0x$ko" 128 &&
	run_ok ip -n "$ns" xfrm state add src "$r" dst "$l" proto esp spi "$si" \
		reqid 1701 mode transport aead 'rfc4106(gcm(aes))' "0x$ki" 128 &&
	xfrm_l2tp_policy "$ns" "$l" "$r"
}

# start_harness NAME NS CONF [ARGS...]: the L2TP/PPP half of l2tpsecd in NS.
start_harness() {
	local name=$1 ns=$2 conf=$3
	shift 3
	bg_start "$name" ip netns exec "$ns" "$HARNESS" -v -c "$conf" \
		-s "$TMPD/$name.status" "$@"
	HARNESS_PID=$BG_PID
	bg_ready "$name" 20 || { diag "$name: $(tail -n 20 "$TMPD/$name.err")"; return 1; }
}


# log_has NAME REGEX [TIMEOUT]: wait until NAME's stderr has a line matching.
log_has() {
	wait_log "$TMPD/$1.err" "$2" "${3:-20}"
}

# start_xl2tpd NAME NS CONF: xl2tpd in the foreground, its own pid and
# control files.
start_xl2tpd() {
	local name=$1 ns=$2 conf=$3
	mkdir -p /run/xl2tpd
	bg_start "$name" ip netns exec "$ns" xl2tpd -D -c "$conf" \
		-p "$TMPD/$name.pid" -C "$TMPD/$name.control"
	XL2TPD_PID=$BG_PID
}

# ppp_addr NS IFACE: the IPv4 address pppd gave IFACE.
ppp_addr() {
	ip -n "$1" -4 -o addr show dev "$2" 2>/dev/null |
		sed -n 's/.* inet \([0-9.]*\).*/\1/p' | head -n1
}

# ppp_iface NS: the name of the first pppN with an IPv4 address, or fail.
ppp_iface() {
	local i
	for i in $(ip -n "$1" -o link show | sed -n 's/^[0-9]*: \(ppp[0-9]*\).*/\1/p'); do
		[ -n "$(ppp_addr "$1" "$i")" ] && { echo "$i"; return 0; }
	done
	return 1
}

# iperf_ok NS_SERVER NS_CLIENT ADDR: 2 s of TCP through the tunnel.
iperf_ok() {
	local out
	nsx "$1" timeout 20 iperf3 -s -1 -D -p 5299 >/dev/null 2>&1
	sleep 0.5
	out=$(nsx "$2" timeout 20 iperf3 -c "$3" -p 5299 -t 2 -f m 2>&1) || {
		echo "$out"
		return 1
	}
	echo "$out" | grep -E 'receiver' | tail -n1
}

# ---- the whole daemon (85-88) ------------------------------------------------

require_e2e() {
	[ -x "$L2TPSECD" ] || skip_all "l2tpsecd not built: $L2TPSECD (make -C user)"
	require_cmd "$@"
}


# example_conf FILE OUT [SED-ARGS...]: Documentation/examples/FILE with its
# /etc/l2tpsec/ paths moved to $TMPD, then SED-ARGS applied.
example_conf() {
	local src=$EXAMPLES/$1 out=$2
	shift 2
	sed -e "s|/etc/l2tpsec/|$TMPD/|g" "$@" "$src" >"$out" && chmod 600 "$out"
}

# e2e_stack_lab NN: the set-up the tests against the Linux stack (85, 86)
# share: their requirements (l2tpsecd, xl2tpd, pppd, ping, iperf3, charon,
# PPP and ESP in the kernel; a missing one skips the test), the server's
# netns S (outer SO=10.0.NN.1, inner SI=10.99.NN.1) and the client's C
# (CO=10.0.NN.2) joined by vS - vC, and a fresh PSK ($PSK, in $TMPD/psk).
# Call it before ktap_plan.
# shellcheck disable=SC2034 # the names are for the scripts
e2e_stack_lab() {
	local nn=$1
	require_root
	require_module
	require_e2e xl2tpd pppd ping iperf3
	require_charon
	ppp_modules || skip_all "no PPP support in this kernel (ppp_generic)"
	xfrm_esp_supported || skip_all "kernel has no ESP (CONFIG_INET_ESP)"
	S=$(ns_name s)
	C=$(ns_name c)
	SO=10.0.$nn.1
	CO=10.0.$nn.2
	SI=10.99.$nn.1
	setup_netns "$S" "$C"
	veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"
	PSK="e2e $nn $(rand_hex 8)"
	secret_file "$TMPD/psk" "$PSK"
}

# secret_file FILE TEXT: a secrets file, mode 0600.
secret_file() {
	printf '%s\n' "$2" >"$1" && chmod 600 "$1"
}

# l2tpsecd_start NAME NS CONF: `l2tpsecd -f -d -c CONF` in NS, with its
# control socket at $TMPD/NAME.sock (a [daemon] section appended); its
# log is $TMPD/NAME.err, its pid in DAEMON_PID.
l2tpsecd_start() {
	local name=$1 ns=$2 conf=$3
	printf '\n[daemon]\ncontrol-socket = %s\n' "$TMPD/$name.sock" >>"$conf"
	bg_start "$name" ip netns exec "$ns" "$L2TPSECD" -f -d -c "$conf"
	DAEMON_PID=$BG_PID
	if ! wait_until 15 grep -q "core: l2tpsecd .* started" "$TMPD/$name.err"; then
		diag "l2tpsecd $name did not start:" "$(tail -n 20 "$TMPD/$name.err")"
		return 1
	fi
}

# l2c NS NAME ARGS...: the CLI in NS, talking to daemon NAME.
l2c() {
	local ns=$1 name=$2
	shift 2
	nsx "$ns" "$L2TPSEC_BIN" -s "$TMPD/$name.sock" "$@"
}

# who_json NS NAME PYEXPR...: each PYEXPR evaluated with `who` bound to
# `l2tpsec -j who` of daemon NAME and `s` to its first session (None
# without one); prints each value, fails when one is false or raises.
who_json() {
	local ns=$1 name=$2
	shift 2
	l2c "$ns" "$name" -j who | "$PYTHON" -c '
import json, sys
who = json.load(sys.stdin)
s = who["sessions"][0] if who["sessions"] else None
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

# log_count NAME REGEX: how many lines of NAME's log match.
log_count() {
	grep -Ec -- "$2" "$TMPD/$1.err"
}

# log_more NAME REGEX BEFORE [TIMEOUT]: wait until more than BEFORE lines
# of NAME's log match (a long-running daemon logs the same line again).
log_more() {
	local name=$1 re=$2 before=$3 t=${4:-20}
	_log_more() { [ "$(log_count "$name" "$re")" -gt "$before" ]; }
	wait_until "$t" _log_more
}

# ended_line NAME USER REASON: the daemon's "session ended" line of USER
# with REASON, which must name the peer, the address and the duration.
ended_line() {
	grep -E "user $2: session ended: $3(: .*)?; peer [0-9.:]+, address [0-9.-]+, duration [0-9]{2}:[0-9]{2}:[0-9]{2}" \
		"$TMPD/$1.err" | tail -n1
}

