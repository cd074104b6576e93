# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/l2tp-lib.sh - helpers of the L2TP/PPP interop tests (8x-*.sh),
# on top of lib.sh (source lib.sh first).
#
# Until IKE drives them, the tests program the IPsec side statically: on an
# l2tpsec end with the CLI (peer, two SAs), on a Linux end with xfrm
# (states + UDP/1701 policies), AES-GCM-128 over raw ESP. The L2TP/PPP
# side of l2tpsecd runs as user/build/daemon/tests/l2tp_harness: the same
# code (daemon/l2tp, daemon/ppp, daemon/auth) on the real core (loop,
# config, kmod), with the module peer given on its command line.

HARNESS=${HARNESS:-$TOP/user/build/daemon/tests/l2tp_harness}

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
	wait_for "${3:-20}" grep -Eq "$2" "$TMPD/$1.err"
}

# chap_secrets FILE: alice/wonderland from the pool, bob pinned.
chap_secrets() {
	cat >"$1" <<'EOF'
# client	server	secret		addresses
alice		*	wonderland	*
bob		*	"the builder"	10.99.80.50
EOF
	chmod 600 "$1"
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

# ppp_up NS: the name of the first pppN with an IPv4 address, or fail.
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
