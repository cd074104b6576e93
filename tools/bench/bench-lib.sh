# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tools/bench/bench-lib.sh - the benchmark's set-ups and measurements, for
# tools/bench/bench.sh (make bench) and the regression guard
# selftests/45-perf-guard.sh. Source selftests/lib.sh and
# selftests/l2tp-lib.sh first (netns, veth, the CLI, xfrm and PPP helpers).
#
# Each configuration lives in its own pair of netns, A (client) and B
# (server), joined by one veth; all exist at once so that rounds can be
# interleaved. bench_setup CONF IDX sets BENCH_A[CONF], BENCH_B[CONF] and
# BENCH_DST[CONF] (the address A sends to). Configurations:
#
#   veth         plain veth, no tunnel (the ceiling)
#   l2tpsec-esp  l2tpsec.ko both ends, raw ESP (IP proto 50)
#   l2tpsec-udp  l2tpsec.ko both ends, ESP-in-UDP 4500
#   stock        the stock Linux stack: xfrm transport SAs protecting UDP
#                1701, the kernel's L2TPv2 (l2tp_core, l2tp_ppp) and pppd
#                with the pppol2tp plugin (tools/bench/pppol2tp-static.py
#                does xl2tpd's socket set-up with fixed ids)
#   wireguard    the kernel's WireGuard (wg from wireguard-tools)
#   xfrm         xfrm transport ESP between the outer addresses, no L2TP
#
# Keys are static and random; the algorithm (BENCH_ALG, a name of
# algo_table in selftests/lib.sh, default aes-gcm-128) is the same for
# l2tpsec, stock and xfrm; WireGuard has only ChaCha20-Poly1305.

BENCH_DIR=${BENCH_DIR:-$TOP/tools/bench}
BENCH_ALG=${BENCH_ALG:-aes-gcm-128}
declare -gA BENCH_A=() BENCH_B=() BENCH_DST=()

bench_all_configs="veth l2tpsec-esp l2tpsec-udp stock wireguard xfrm"

# bench_setup CONF IDX: make configuration CONF with index IDX (1..50).
bench_setup() {
	local conf=$1 k=$2 a b ao bo ai bi
	a=$(ns_name "b$k-a")
	b=$(ns_name "b$k-b")
	ao=10.0.$((100 + k)).1
	bo=10.0.$((100 + k)).2
	ai=10.99.$((100 + k)).1
	bi=10.99.$((100 + k)).2
	setup_netns "$a" "$b"
	veth_pair "$a" "v$k" "$ao/24" "$b" "v$k" "$bo/24"
	BENCH_A[$conf]=$a
	BENCH_B[$conf]=$b
	case $conf in
	veth) BENCH_DST[$conf]=$bo ;;
	xfrm) bench_xfrm "$a" "$b" "$ao" "$bo" && BENCH_DST[$conf]=$bo ;;
	l2tpsec-esp) bench_l2tpsec none "$a" "$b" "$ao" "$bo" "$ai" "$bi" &&
		BENCH_DST[$conf]=$bi ;;
	l2tpsec-udp) bench_l2tpsec udp "$a" "$b" "$ao" "$bo" "$ai" "$bi" &&
		BENCH_DST[$conf]=$bi ;;
	stock) bench_stock "$a" "$b" "$ao" "$bo" "$ai" "$bi" &&
		BENCH_DST[$conf]=$bi ;;
	wireguard) bench_wireguard "$a" "$b" "$ao" "$bo" "$ai" "$bi" &&
		BENCH_DST[$conf]=$bi ;;
	*) diag "bench: unknown configuration $conf"; return 1 ;;
	esac || return 1
	# an iperf3 server for every test of this configuration
	bg_start "iperf-$conf" ip netns exec "$b" iperf3 -s -p 5201
	wait_until 20 nsx "$b" sh -c "ss -Hltn 'sport = :5201' | grep -q ." ||
		{ diag "bench: $conf: iperf3 server did not listen"; return 1; }
	# the path works before it is measured
	ping_ok "$a" "${BENCH_DST[$conf]}" 2 >/dev/null ||
		{ diag "bench: $conf: no ping to ${BENCH_DST[$conf]}"; return 1; }
}

bench_keys() {
	algo_keys "$BENCH_ALG" || return 1
	echo "$KEY_ENC:$KEY_AUTH"
}

# bench_l2tpsec ENCAP A B AO BO AI BI
bench_l2tpsec() {
	local encap=$1 a=$2 b=$3 ao=$4 bo=$5 ai=$6 bi=$7 kab kba
	kab=$(bench_keys) && kba=$(bench_keys) || return 1
	l2s_side ns="$a" encap="$encap" laddr="$ao" raddr="$bo" peer=1 \
		alg="$BENCH_ALG" spi_in=0x2001 keys_in="$kba" \
		spi_out=0x2002 keys_out="$kab" ltid=100 lsid=10 rtid=200 rsid=20 \
		ip="$ai" peer_ip="$bi" &&
	l2s_side ns="$b" encap="$encap" laddr="$bo" raddr="$ao" peer=1 \
		alg="$BENCH_ALG" spi_in=0x2002 keys_in="$kab" \
		spi_out=0x2001 keys_out="$kba" ltid=200 lsid=20 rtid=100 rsid=10 \
		ip="$bi" peer_ip="$ai"
}

# bench_xfrm A B AO BO: transport ESP for everything between AO and BO.
bench_xfrm() {
	local a=$1 b=$2 ao=$3 bo=$4 kab kba ns l r
	kab=$(bench_keys) && kba=$(bench_keys) || return 1
	xfrm_transport_sa "$a" "$ao" "$bo" 0x3001 "$BENCH_ALG" "$kab" &&
	xfrm_transport_sa "$a" "$bo" "$ao" 0x3002 "$BENCH_ALG" "$kba" &&
	xfrm_transport_sa "$b" "$ao" "$bo" 0x3001 "$BENCH_ALG" "$kab" &&
	xfrm_transport_sa "$b" "$bo" "$ao" 0x3002 "$BENCH_ALG" "$kba" || return 1
	for ns in "$a" "$b"; do
		l=$ao r=$bo
		[ "$ns" = "$b" ] && l=$bo r=$ao
		run_ok ip -n "$ns" xfrm policy add src "$l/32" dst "$r/32" dir out \
			tmpl src "$l" dst "$r" proto esp mode transport &&
		run_ok ip -n "$ns" xfrm policy add src "$r/32" dst "$l/32" dir in \
			tmpl src "$r" dst "$l" proto esp mode transport || return 1
	done
}

# bench_stock A B AO BO AI BI: xfrm SAs and UDP 1701 policies, then a
# pppd on each end over the kernel's L2TP, the MTU l2tpsec's device has.
bench_stock() {
	local a=$1 b=$2 ao=$3 bo=$4 ai=$5 bi=$6 kab kba mtu=${BENCH_PPP_MTU:-1400}
	ppp_modules || { diag "bench: stock: no PPP/L2TP modules or /dev/ppp"; return 1; }
	kab=$(bench_keys) && kba=$(bench_keys) || return 1
	xfrm_peer_sas "$a" "$ao" "$bo" 0x4001 "$kab" 0x4002 "$kba" "$BENCH_ALG" &&
	xfrm_peer_sas "$b" "$bo" "$ao" 0x4002 "$kba" 0x4001 "$kab" "$BENCH_ALG" ||
		return 1
	local -a opts=(nodetach noauth nolock local nocrtscts noccp novj
		lcp-echo-interval 0 mtu "$mtu" mru "$mtu" ipparam bench)
	bg_start stock-pppd-b ip netns exec "$b" "$PYTHON" \
		"$BENCH_DIR/pppol2tp-static.py" "$bo" "$ao" 200 100 20 10 -- \
		"${opts[@]}" "$bi:$ai"
	bg_start stock-pppd-a ip netns exec "$a" "$PYTHON" \
		"$BENCH_DIR/pppol2tp-static.py" "$ao" "$bo" 100 200 10 20 -- \
		"${opts[@]}" "$ai:$bi"
	if ! wait_until 30 ppp_iface "$a" || ! wait_until 10 ppp_iface "$b"; then
		diag "bench: stock: pppd did not come up" \
			"$(tail -n 5 "$TMPD/stock-pppd-a.err" "$TMPD/stock-pppd-b.err" 2>&1)"
		return 1
	fi
}

# bench_wireguard A B AO BO AI BI
bench_wireguard() {
	local a=$1 b=$2 ao=$3 bo=$4 ai=$5 bi=$6 ka kb
	command -v wg >/dev/null || { diag "bench: wireguard: no wg (wireguard-tools)"; return 1; }
	modprobe -q wireguard 2>/dev/null
	ka=$TMPD/wg-a.key
	kb=$TMPD/wg-b.key
	(umask 077 && wg genkey >"$ka" && wg genkey >"$kb") || return 1
	run_ok ip -n "$a" link add wg0 type wireguard &&
	run_ok ip -n "$b" link add wg0 type wireguard &&
	run_ok nsx "$a" wg set wg0 private-key "$ka" listen-port 51820 \
		peer "$(wg pubkey <"$kb")" allowed-ips "$bi/32" endpoint "$bo:51820" &&
	run_ok nsx "$b" wg set wg0 private-key "$kb" listen-port 51820 \
		peer "$(wg pubkey <"$ka")" allowed-ips "$ai/32" endpoint "$ao:51820" &&
	run_ok ip -n "$a" addr add "$ai/24" dev wg0 &&
	run_ok ip -n "$b" addr add "$bi/24" dev wg0 &&
	run_ok ip -n "$a" link set wg0 up &&
	run_ok ip -n "$b" link set wg0 up
}

# ---- measurements -------------------------------------------------------------

# the busy jiffies of all CPUs together (user .. steal, not idle/iowait)
bench_busy() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# bench_run CONF TEST SECONDS: one measurement; prints "VALUE UNIT CPU"
# (CPU: guest CPU seconds per gigabyte received, or "-"). TEST: tcp1,
# tcp4 (iperf3 TCP, 1 or 4 streams, Mbit/s), udp64, udp1400 (iperf3 UDP
# of that payload, unlimited rate, packets/s received), ping (RTT ms).
bench_run() {
	local conf=$1 test=$2 t=$3 a=${BENCH_A[$1]} dst=${BENCH_DST[$1]}
	local out b0 b1 hz
	hz=$(getconf CLK_TCK)
	case $test in
	tcp1 | tcp4)
		b0=$(bench_busy)
		out=$(nsx "$a" timeout $((t + 30)) iperf3 -c "$dst" -p 5201 -t "$t" \
			-P "${test#tcp}" -J 2>&1) || { echo "iperf3 failed"; return 1; }
		b1=$(bench_busy)
		echo "$out" | "$PYTHON" -c '
import json, sys
j = json.load(sys.stdin)["end"]["sum_received"]
busy = (int(sys.argv[1]) - int(sys.argv[2])) / int(sys.argv[3])
gb = j["bytes"] / 1e9
print("%.1f Mbit/s %s" % (j["bits_per_second"] / 1e6,
      "%.2f" % (busy / gb) if gb > 0 else "-"))' "$b1" "$b0" "$hz"
		;;
	udp64 | udp1400)
		out=$(nsx "$a" timeout $((t + 30)) iperf3 -c "$dst" -p 5201 -t "$t" \
			-u -b 0 -l "${test#udp}" -J 2>&1) || { echo "iperf3 failed"; return 1; }
		echo "$out" | "$PYTHON" -c '
import json, sys
e = json.load(sys.stdin)["end"]
s = e["sum"]
got = s["packets"] - s.get("lost_packets", 0)
print("%.0f pps -" % (got / s["seconds"]))'
		;;
	ping)
		out=$(nsx "$a" timeout 30 ping -q -n -c 25 -i 0.02 "$dst" 2>&1) ||
			{ echo "ping failed"; return 1; }
		echo "$out" | sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1 ms -|p'
		;;
	*) echo "unknown test $test"; return 1 ;;
	esac
}
