# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/xfrm-lib.sh - the independent peer: Linux xfrm SAs set up with
# ip xfrm, and tools/l2tp-xfrm-peer.py (python3 + scapy) that speaks L2TP
# over them, captures ESP packets and injects mutated copies. Source after
# lib.sh (which has the algorithm table, algo_load/algo_keys, that these
# helpers spell the way ip xfrm does).
#
# Environment
#  XFRM_PEER       the scapy peer     (default $TOP/tools/l2tp-xfrm-peer.py)

XFRM_PEER=${XFRM_PEER:-$TOP/tools/l2tp-xfrm-peer.py}

require_scapy() {
	"$PYTHON" -c 'import scapy.layers.l2tp' 2>/dev/null ||
		skip_all "$PYTHON lacks scapy (apt-get install python3-scapy)"
}

# xfrm_alg_args NAME ENCKEY AUTHKEY: ip xfrm's spelling, in the array
# XFRM_ALG_ARGS (no subshell) and printed one per line.
xfrm_alg_args() {
	XFRM_ALG_ARGS=()
	algo_load "$1" || return 1
	if [ "$ALG_CIPHER" = aes-gcm ]; then
		XFRM_ALG_ARGS=(aead "$ALG_XENC" "0x$2" "$ALG_XBITS")
	else
		XFRM_ALG_ARGS=(enc "$ALG_XENC" "0x$2" auth-trunc "$ALG_XAUTH" "0x$3" "$ALG_XBITS")
	fi
	printf '%s\n' "${XFRM_ALG_ARGS[@]}"
}

# xfrm_transport_sa NS SRC DST SPI ALG KEYS [ENCAP]
#  KEYS "ENCHEX[:AUTHHEX]"; ENCAP "none" (default), "udp" (4500 -> 4500)
#  or "udp:SPORT:DPORT" (espinudp).
xfrm_transport_sa() {
	local ns=$1 src=$2 dst=$3 spi=$4 alg=$5 keys=$6 encap=${7:-none}
	local enc=${keys%%:*} auth='' sp dp
	[ "$keys" != "$enc" ] && auth=${keys#*:}
	local -a encargs=()
	xfrm_alg_args "$alg" "$enc" "$auth" >/dev/null || { diag "unknown algorithm $alg"; return 1; }
	case $encap in
	none | esp | "") ;;
	udp) encargs=(encap espinudp 4500 4500 0.0.0.0) ;;
	udp:*:*)
		sp=${encap#udp:}
		dp=${sp#*:}
		sp=${sp%%:*}
		encargs=(encap espinudp "$sp" "$dp" 0.0.0.0)
		;;
	*) diag "bad encap $encap"; return 1 ;;
	esac
	run_ok ip -n "$ns" xfrm state add src "$src" dst "$dst" proto esp \
		spi "$spi" reqid 1701 mode transport replay-window 32 \
		"${XFRM_ALG_ARGS[@]}" "${encargs[@]}"
}

# xfrm_l2tp_policy NS LOCAL REMOTE: protect UDP 1701 <-> 1701 both ways.
xfrm_l2tp_policy() {
	local ns=$1 l=$2 r=$3
	run_ok ip -n "$ns" xfrm policy add src "$l" dst "$r" proto udp \
		sport 1701 dport 1701 dir out \
		tmpl src "$l" dst "$r" proto esp reqid 1701 mode transport &&
	run_ok ip -n "$ns" xfrm policy add src "$r" dst "$l" proto udp \
		sport 1701 dport 1701 dir in \
		tmpl src "$r" dst "$l" proto esp reqid 1701 mode transport
}

xfrm_flush() {
	ip -n "$1" xfrm state flush
	ip -n "$1" xfrm policy flush
}

# xfrm_peer_sas NS LOCAL REMOTE SPI_OUT KEYS_OUT SPI_IN KEYS_IN ALG [ENCAP]
# A full xfrm end: both SAs and both policies.
xfrm_peer_sas() {
	xfrm_peer_states "$@" && xfrm_l2tp_policy "$1" "$2" "$3"
}

# xfrm_peer_states: the same, SAs only (policies in place already).
xfrm_peer_states() {
	local ns=$1 l=$2 r=$3 so=$4 ko=$5 si=$6 ki=$7 alg=$8 encap=${9:-none}
	xfrm_transport_sa "$ns" "$l" "$r" "$so" "$alg" "$ko" "$encap" &&
	xfrm_transport_sa "$ns" "$r" "$l" "$si" "$alg" "$ki" "$encap"
}

# xfrm_state_packets NS SRC DST SPI: packets counted by an xfrm state.
xfrm_state_packets() {
	ip -s -n "$1" xfrm state get src "$2" dst "$3" proto esp spi "$4" |
		sed -n 's/.*(bytes), *\([0-9]*\)(packets).*/\1/p' | head -n1
}

# xfrm_stat NS FIELD: a /proc/net/xfrm_stat counter (CONFIG_XFRM_STATISTICS).
xfrm_stat() {
	# shellcheck disable=SC2016
	nsx "$1" awk -v f="$2" '$1 == f { print $2 }' /proc/net/xfrm_stat
}

# xfrm_state_stat NS SRC DST SPI replay|failed|replay-window: the
# "stats:" line of `ip -s xfrm state` (replayed, integrity-failed packets).
xfrm_state_stat() {
	ip -s -n "$1" xfrm state get src "$2" dst "$3" proto esp spi "$4" |
		awk -v f="$5" '/^\tstats:/ { s = 1; next }
			s { for (i = 1; i < NF; i++) if ($i == f) { print $(i + 1); exit } }'
}

# xfrm_esp_supported: can this kernel make ESP states (CONFIG_INET_ESP)?
xfrm_esp_supported() {
	local ns out
	ns=$(ns_name esp-probe)
	ip netns add "$ns" 2>/dev/null || return 1
	out=$(ip -n "$ns" xfrm state add src 10.255.0.1 dst 10.255.0.2 \
		proto esp spi 0x100 mode transport \
		enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff \
		auth-trunc 'hmac(sha1)' 0x00112233445566778899aabbccddeeff00112233 96 2>&1)
	local rc=$?
	ip netns del "$ns"
	[ $rc -eq 0 ] || diag "ESP state: $out"
	return $rc
}

# xfrm_algo_supported NAME: can ip xfrm make a state with this algorithm?
xfrm_algo_supported() {
	local ns rc
	ns=$(ns_name alg-probe)
	ip netns add "$ns" 2>/dev/null || return 1
	algo_keys "$1"
	xfrm_transport_sa "$ns" 10.255.0.1 10.255.0.2 0x100 "$1" \
		"$KEY_ENC:$KEY_AUTH" >/dev/null
	rc=$?
	ip netns del "$ns"
	return $rc
}

# start_encap_sock NS [PORT]: a UDP_ENCAP_ESPINUDP socket for xfrm RX.
start_encap_sock() {
	local ns=$1 port=${2:-4500} name
	name=encap-$ns-$port
	bg_start "$name" ip netns exec "$ns" "$PYTHON" "$XFRM_PEER" encap-sock --port "$port"
	bg_ready "$name" 30 || { diag "encap-sock in $ns: $(cat "$TMPD/$name.err")"; return 1; }
}

# start_xfrm_peer NAME NS ARGS...: tools/l2tp-xfrm-peer.py run, waits for
# "ready"; its pid in BG_PID, counters in $TMPD/NAME.stats (SIGUSR1).
start_xfrm_peer() {
	local name=$1 ns=$2
	shift 2
	bg_start "$name" ip netns exec "$ns" "$PYTHON" "$XFRM_PEER" run \
		--stats "$(tmpdir)/$name.stats" "$@"
	bg_ready "$name" 30 || {
		diag "xfrm peer $name not ready:" "$(cat "$TMPD/$name.err")"
		return 1
	}
}

# capture_start NAME NS IFACE SRC DST ENCAP [COUNT]: capture ESP packets
# (tools/l2tp-xfrm-peer.py capture) into $TMPD/NAME.pkts, one hex line
# each; waits until the capture socket is open. Pid in BG_PID.
capture_start() {
	local name=$1 ns=$2 ifc=$3 src=$4 dst=$5 encap=$6 count=${7:-1}
	bg_start "$name" ip netns exec "$ns" "$PYTHON" "$XFRM_PEER" capture \
		--iface "$ifc" --src "$src" --dst "$dst" --encap "$encap" \
		--count "$count" --timeout 20 --out "$(tmpdir)/$name.pkts"
	bg_ready "$name" 30
}

# capture_wait PID: wait (bounded by capture's own --timeout) for the
# capture to end; success when it got its packets.
capture_wait() {
	wait "$1"
}

# inject NS FILE MUTATION...: send the first captured packet of FILE again
# from NS, mutated (see tools/l2tp-xfrm-peer.py inject --help).
inject() {
	local ns=$1 file=$2 m margs=()
	shift 2
	for m in "$@"; do
		margs+=(--mutate "$m")
	done
	run_ok timeout 60 ip netns exec "$ns" "$PYTHON" "$XFRM_PEER" inject \
		--in "$file" "${margs[@]}"
}

# xfrm_peer_stat NAME PID FIELD...: refresh (SIGUSR1) and read peer
# counters, printed space separated in the order asked.
xfrm_peer_stat() {
	local f=$TMPD/$1.stats pid=$2
	shift 2
	kill -USR1 "$pid" 2>/dev/null
	sleep 0.3
	"$PYTHON" -c 'import json,sys; d = json.load(open(sys.argv[1])); print(*(d[k] for k in sys.argv[2:]))' \
		"$f" "$@"
}
