# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/lib.sh - shared helpers for the l2tpsec TAP test scripts.
#
# Source it from a numbered test script:
#
#	. "$(dirname "$0")/lib.sh"
#
# Conventions
#  * Output is KTAP/TAP 13: ktap_plan N, then one ok/not_ok/skip per check,
#    diagnostics on lines starting with '#'. ksft_exit ends the script with
#    the kselftest codes: 0 all passed, 1 something failed, 4 all skipped.
#  * Every netns, background process and temporary file a script makes is
#    registered and removed by the EXIT trap (lib_cleanup).
#  * Waits are bounded: wait_for TIMEOUT CMD..., `timeout` around commands
#    that could hang.
#  * Outer addresses are 10.x in veth pairs between the script's own netns,
#    inner addresses 10.99.x / fd00:99::; nothing leaves the machine.
#
# Environment
#  L2TPSEC_BIN     CLI binary              (default $TOP/user/l2tpsec)
#  L2TPSEC_MODULE  module to (re)load       (default $L2TPSEC_VM_MODULE,
#                                            else $TOP/l2tpsec.ko)
#  L2TPSEC_ALGOS   restrict algorithm loops to these names (algo_names)
#  L2TPSEC_ENCAPS  restrict encapsulations: "none udp" (default both)
#  PYTHON          python3 (xfrm-lib.sh: with scapy) (default /usr/bin/python3)
#  GENL_TOOL       raw netlink client       (default $TOP/tools/l2tpsec-genl.py)
#  VERBOSE=1       echo every configuration command as a '#' line

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=${TOP:-$(cd "$LIB_DIR/.." && pwd)}
PYTHON=${PYTHON:-/usr/bin/python3}
L2TPSEC_BIN=${L2TPSEC_BIN:-$TOP/user/l2tpsec}
GENL_TOOL=${GENL_TOOL:-$TOP/tools/l2tpsec-genl.py}
# tools/vm/run-selftests.sh exports L2TPSEC_VM_MODULE (the .ko it loaded)
L2TPSEC_MODULE=${L2TPSEC_MODULE:-${L2TPSEC_VM_MODULE:-$TOP/l2tpsec.ko}}
TEST_NAME=$(basename "$0" .sh)

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_nplan=0
_ntest=0
_npass=0
_nfail=0
_nskip=0
_ns_list=()
_bg_pids=()
_cleanup_cmds=()

# ---------------------------------------------------------------------------
# TAP
# ---------------------------------------------------------------------------

diag() {
	local line
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$*"
}

ktap_plan() {
	_nplan=$1
	echo "TAP version 13"
	echo "1..$_nplan"
}

ok() {
	_ntest=$((_ntest + 1))
	_npass=$((_npass + 1))
	echo "ok $_ntest - $*"
}

# not_ok DESC [DIAGNOSTIC...]
not_ok() {
	_ntest=$((_ntest + 1))
	_nfail=$((_nfail + 1))
	echo "not ok $_ntest - $1"
	shift
	[ $# -gt 0 ] && diag "$*"
	return 0
}

# skip DESC REASON
skip() {
	_ntest=$((_ntest + 1))
	_nskip=$((_nskip + 1))
	echo "ok $_ntest - $1 # SKIP ${2:-}"
}

# check DESC CMD...: one test line from a command's exit status; on failure
# the command's output is shown as diagnostics.
check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		ok "$desc"
	else
		not_ok "$desc" "command ($rc): $*" "$out"
	fi
	return $rc
}

# skip_all REASON: nothing can run here (exit 4, KSFT_SKIP).
skip_all() {
	echo "TAP version 13"
	echo "1..0 # SKIP $TEST_NAME: $*"
	exit $KSFT_SKIP
}

# bail_out REASON: stop now; the remaining planned tests count as failed.
bail_out() {
	echo "Bail out! $*"
	exit $KSFT_FAIL
}

ksft_exit() {
	if [ "$_nplan" -ne "$_ntest" ]; then
		diag "planned $_nplan tests, ran $_ntest"
		[ "$_nfail" -eq 0 ] && _nfail=1
	fi
	diag "$TEST_NAME: $_npass passed, $_nfail failed, $_nskip skipped"
	if [ "$_nfail" -gt 0 ]; then
		exit $KSFT_FAIL
	fi
	if [ "$_npass" -eq 0 ] && [ "$_nskip" -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# ---------------------------------------------------------------------------
# requirements
# ---------------------------------------------------------------------------

require_root() {
	[ "$(id -u)" -eq 0 ] || skip_all "must run as root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "missing command: $c"
	done
}

module_loaded() {
	[ -d /sys/module/l2tpsec ]
}

# The module only runs inside the QEMU guest (tools/vm/run-selftests.sh).
require_module() {
	module_loaded || skip_all "l2tpsec module not loaded (/sys/module/l2tpsec absent)"
	[ -x "$L2TPSEC_BIN" ] || skip_all "CLI not built: $L2TPSEC_BIN"
}

# require_tun: /dev/net/tun, loading tun when it is a module (the guest has
# no udev/kmod static nodes).
require_tun() {
	[ -c /dev/net/tun ] || modprobe -q tun 2>/dev/null
	[ -c /dev/net/tun ] || skip_all "no /dev/net/tun"
}

# ---------------------------------------------------------------------------
# cleanup
# ---------------------------------------------------------------------------

# The scratch directory, made when the library is sourced (a lazy one
# would be lost in the $(...) subshells that ask for it).
TMPD=$(mktemp -d "/tmp/l2tpsec-$TEST_NAME.XXXXXX") || exit $KSFT_FAIL
chmod 755 "$TMPD"	# readable by the unprivileged tests

tmpdir() {
	echo "$TMPD"
}

on_exit() {
	_cleanup_cmds+=("$*")
}

lib_cleanup() {
	local rc=$? i pid ns
	trap - EXIT INT TERM
	for pid in "${_bg_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${_bg_pids[@]}"; do
		for i in $(seq 20); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	for ((i = ${#_cleanup_cmds[@]} - 1; i >= 0; i--)); do
		eval "${_cleanup_cmds[$i]}" >/dev/null 2>&1
	done
	for ns in "${_ns_list[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$TMPD" ] && rm -rf "$TMPD"
	exit $rc
}
trap lib_cleanup EXIT
trap 'exit $KSFT_FAIL' INT TERM

# ---------------------------------------------------------------------------
# netns and links
# ---------------------------------------------------------------------------

# ns_name TAG: a netns name unique to this run.
ns_name() {
	echo "l2s-${TEST_NAME%%-*}-$$-$1"
}

nsx() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# setup_netns NAME...: fresh netns with lo up, no IPv6 DAD, deleted on exit.
setup_netns() {
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || bail_out "ip netns add $ns"
		_ns_list+=("$ns")
		ip -n "$ns" link set lo up
		nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0 >/dev/null 2>&1
	done
}

# del_netns NAME: delete now (and forget it).
del_netns() {
	local ns=$1 i
	ip netns del "$ns"
	for i in "${!_ns_list[@]}"; do
		[ "${_ns_list[$i]}" = "$ns" ] && unset '_ns_list[i]'
	done
}

# veth_pair nsA ifA addrA/len nsB ifB addrB/len
veth_pair() {
	local nsa=$1 ifa=$2 addra=$3 nsb=$4 ifb=$5 addrb=$6
	ip link add "$ifa" netns "$nsa" type veth peer name "$ifb" netns "$nsb" ||
		bail_out "veth $ifa/$ifb"
	ip -n "$nsa" addr add "$addra" dev "$ifa"
	ip -n "$nsb" addr add "$addrb" dev "$ifb"
	ip -n "$nsa" link set "$ifa" up
	ip -n "$nsb" link set "$ifb" up
}

# run_ok CMD...: run quietly, print diagnostics and fail when it fails.
run_ok() {
	local out rc
	[ "${VERBOSE:-0}" = 1 ] && diag "+ $*"
	out=$("$@" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || diag "command failed ($rc): $*" "$out"
	return $rc
}

# wait_for TIMEOUT CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
	local t=$1 n
	shift
	n=$(awk -v t="$t" 'BEGIN { printf "%d", t * 10 }')
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	"$@" >/dev/null 2>&1
}

# wait_until SECONDS CMD...: poll CMD (a program or a function) every
# 0.2 s until it succeeds or SECONDS of wall time have passed. Unlike
# wait_for, which counts polls, a slow CMD on a loaded TCG guest does not
# stretch the deadline.
wait_until() {
	local end=$((SECONDS + $1))
	shift
	while [ "$SECONDS" -lt "$end" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@" >/dev/null 2>&1
}

# wait_log FILE REGEX [TIMEOUT]: until a line of FILE matches (grep -E).
wait_log() {
	wait_until "${3:-20}" grep -Eq -- "$2" "$1"
}

# ping_ok NS ADDR [COUNT]: IPv4 or IPv6 ping, bounded.
ping_ok() {
	local ns=$1 addr=$2 count=${3:-3} fam=-4
	case $addr in *:*) fam=-6 ;; esac
	nsx "$ns" timeout $((count + 8)) ping "$fam" -n -q -c "$count" \
		-i 0.2 -W 2 "$addr"
}

# ---------------------------------------------------------------------------
# background processes
# ---------------------------------------------------------------------------

# bg_start NAME CMD...: run in background, output in $TMPD/NAME.{out,err};
# the pid is in BG_PID and is killed (SIGTERM) at exit. CMD must be a
# program, not a shell function (use `ip netns exec`, not nsx), so that
# BG_PID is the program itself and signals reach it.
BG_PID=
bg_start() {
	local name=$1 d
	shift
	d=$(tmpdir)
	"$@" >"$d/$name.out" 2>"$d/$name.err" </dev/null &
	BG_PID=$!
	_bg_pids+=("$BG_PID")
}

# bg_ready NAME [TIMEOUT]: wait for a line "ready" on NAME's stdout.
bg_ready() {
	local f
	f="$(tmpdir)/$1.out"
	wait_for "${2:-30}" grep -qx ready "$f"
}

# bg_stop PID: SIGTERM, wait (bounded); returns the process's status.
bg_stop() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# ---------------------------------------------------------------------------
# keys and algorithms
# ---------------------------------------------------------------------------

# rand_hex BYTES: lowercase hex, no 0x.
rand_hex() {
	[ "$1" -gt 0 ] || return 0
	od -An -v -tx1 -N "$1" /dev/urandom | tr -d ' \n'
}

# algo_table: one algorithm per line:
#  name  l2tpsec-cipher  l2tpsec-integ  enc-key-bytes  auth-key-bytes  icv
#        xfrm-enc  xfrm-auth  xfrm-bits
# enc-key-bytes of aes-gcm include the 4-byte salt (ip xfrm rfc4106 too);
# xfrm-bits is the ICV length in bits (aead ... BITS, auth-trunc ... BITS).
algo_table() {
	local c e ename i ikey ibits
	echo "aes-gcm-128 aes-gcm none 20 0 16 rfc4106(gcm(aes)) - 128"
	echo "aes-gcm-256 aes-gcm none 36 0 16 rfc4106(gcm(aes)) - 128"
	for c in aes-cbc-128 aes-cbc-192 aes-cbc-256 3des-cbc; do
		case $c in
		aes-cbc-128) e=16 ename='cbc(aes)' ;;
		aes-cbc-192) e=24 ename='cbc(aes)' ;;
		aes-cbc-256) e=32 ename='cbc(aes)' ;;
		3des-cbc) e=24 ename='cbc(des3_ede)' ;;
		esac
		for i in md5-96 sha1-96 sha256-128 sha256-96 sha384-192 sha512-256; do
			ibits=${i#*-}
			case $i in
			md5-*) ikey=16 ;;
			sha1-*) ikey=20 ;;
			sha256-*) ikey=32 ;;
			sha384-*) ikey=48 ;;
			sha512-*) ikey=64 ;;
			esac
			echo "$c-$i ${c%-[0-9]*} ${i%-*} $e $ikey $((ibits / 8)) $ename hmac(${i%-*}) $ibits"
		done
	done
}
# Computed once: forks are slow under QEMU's TCG.
ALGO_TABLE=$(algo_table)

# algo_names: the names to loop over (L2TPSEC_ALGOS restricts them).
algo_names() {
	local n line
	while read -r n line; do
		if [ -z "${L2TPSEC_ALGOS:-}" ] || [[ " $L2TPSEC_ALGOS " == *" $n "* ]]; then
			echo "$n"
		fi
	done <<<"$ALGO_TABLE"
}

encap_names() {
	echo "${L2TPSEC_ENCAPS:-none udp}"
}

# algo_load NAME: sets ALG_NAME ALG_CIPHER ALG_INTEG ALG_ENCLEN ALG_AUTHLEN
# ALG_ICV ALG_XENC ALG_XAUTH ALG_XBITS ALG_ICV_DEFAULT (1 if the CLI needs no
# icv argument).
algo_load() {
	local line
	while read -r line; do
		[ "${line%% *}" = "$1" ] || continue
		# shellcheck disable=SC2034 # ALG_X*: ip xfrm's names (xfrm-lib.sh)
		read -r ALG_NAME ALG_CIPHER ALG_INTEG ALG_ENCLEN ALG_AUTHLEN ALG_ICV \
			ALG_XENC ALG_XAUTH ALG_XBITS <<<"$line"
		ALG_ICV_DEFAULT=1
		[ "$ALG_NAME" = "${ALG_NAME%sha256-96}" ] || ALG_ICV_DEFAULT=0
		return 0
	done <<<"$ALGO_TABLE"
	return 1
}

# algo_keys NAME: random keys for one SA in KEY_ENC / KEY_AUTH (hex, no 0x).
# shellcheck disable=SC2034 # for the scripts and xfrm-lib.sh
algo_keys() {
	algo_load "$1" || return 1
	KEY_ENC=$(rand_hex "$ALG_ENCLEN")
	KEY_AUTH=$(rand_hex "$ALG_AUTHLEN")
}

# l2tpsec_sa_args NAME ENCKEY AUTHKEY: the CLI's algorithm arguments.
l2tpsec_sa_args() {
	algo_load "$1" || return 1
	local a="cipher $ALG_CIPHER"
	[ "$ALG_INTEG" != none ] && a+=" integ $ALG_INTEG"
	a+=" key $2"
	[ "$ALG_AUTHLEN" -gt 0 ] && a+=" auth-key $3"
	[ "$ALG_ICV_DEFAULT" = 1 ] || a+=" icv $ALG_ICV"
	echo "$a"
}

# ---------------------------------------------------------------------------
# the l2tpsec CLI
# ---------------------------------------------------------------------------

l2tpsec() {
	"$L2TPSEC_BIN" "$@"
}

# l2s NS ARGS...: the CLI inside a netns, diagnostics on failure.
l2s() {
	local ns=$1
	shift
	run_ok ip netns exec "$ns" "$L2TPSEC_BIN" "$@"
}

# show_json NS [DEV]
show_json() {
	nsx "$1" "$L2TPSEC_BIN" -j show ${2:+"$2"}
}

# json_query NS DEV PYEXPR...: evaluate each PYEXPR with `dev` bound to the
# device object of `l2tpsec -j show DEV` and print the values on one line,
# space separated (one CLI call for many values). Helpers: sa(spi, dir),
# peer(id), session(peer, ltid, lsid) return the object or None. Fails if
# a value is missing.
json_query() {
	local ns=$1 dev=$2
	shift 2
	show_json "$ns" "$dev" | "$PYTHON" -c '
import json, sys
def num(v):
    return int(v, 0) if isinstance(v, str) else int(v)
doc = json.load(sys.stdin)
devs = doc.get("devices", [])
dev = next((d for d in devs if d.get("ifname") == sys.argv[1]), None)
if dev is None:
    sys.exit("no device " + sys.argv[1])
def sa(spi, d):
    for s in dev.get("sas", []):
        if num(s["spi"]) == num(spi) and str(s["dir"]) in (d, {"in": "1", "out": "2"}[d]):
            return s
def peer(i):
    return next((p for p in dev.get("peers", []) if num(p["id"]) == num(i)), None)
def session(p, t, s):
    for x in dev.get("sessions", []):
        if (num(x["peer_id"]) == num(p) and num(x["local_tunnel_id"]) == num(t)
                and num(x["local_session_id"]) == num(s)):
            return x
out, bad = [], 0
for e in sys.argv[2:]:
    try:
        v = eval(e)
    except (KeyError, TypeError, IndexError):
        v = None
    bad += v is None
    out.append(str(v))
print(" ".join(out))
sys.exit(1 if bad else 0)
' "$dev" "$@"
}

# stat_of NS DEV dev FIELD
# stat_of NS DEV peer ID FIELD
# stat_of NS DEV sa SPI in|out FIELD
# stat_of NS DEV session PEER LTID LSID FIELD
stat_of() {
	local ns=$1 dev=$2 kind=$3
	shift 3
	case $kind in
	dev) json_query "$ns" "$dev" "dev['stats']['$1']" ;;
	peer) json_query "$ns" "$dev" "peer('$1')['stats']['$2']" ;;
	sa | spi) json_query "$ns" "$dev" "sa('$1', '$2')['stats']['$3']" ;;
	session) json_query "$ns" "$dev" "session('$1', '$2', '$3')['stats']['$4']" ;;
	*) diag "stat_of: unknown kind $kind"; return 1 ;;
	esac
}

# peer_field NS DEV ID NAME...: the first of the named peer fields present.
peer_field() {
	local ns=$1 dev=$2 id=$3
	shift 3
	local names
	names=$(printf '"%s",' "$@")
	json_query "$ns" "$dev" "next((peer('$id')[k] for k in ($names) if k in peer('$id')), None)"
}

# dev_error_sum NS DEV: sum of the device's drop/error counters.
DROP_COUNTERS="replay_drops icv_fails malformed_drops no_session_drops no_sa_drops tx_errors expired_drops no_route_drops"
dev_error_counters() {
	local f vals=()
	for f in $DROP_COUNTERS; do
		vals+=("$f=$(stat_of "$1" "$2" dev "$f")")
	done
	echo "${vals[*]}"
}

# state_snapshot NS: configuration (no stats, no counters that move) of
# every device, sorted: to check that a failed command created nothing.
state_snapshot() {
	show_json "$1" | "$PYTHON" -c '
import json, sys
VOLATILE = {"stats", "seq", "age"}
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in VOLATILE}
    if isinstance(o, list):
        return sorted((strip(x) for x in o), key=lambda x: json.dumps(x, sort_keys=True))
    return o
print(json.dumps(strip(json.load(sys.stdin)), sort_keys=True))
'
}

# l2s_side key=value...: one end of a static l2tpsec link in a netns.
#  ns dev encap(none|udp) laddr raddr [lport=4500 rport=4500] peer(id)
#  alg spi_in keys_in spi_out keys_out (keys "ENC[:AUTH]")
#  ltid lsid rtid rsid ip peer_ip [ip6 peer_ip6] [sess_opts="acfc on ..."]
#  [session=no]
# Creates the device (once), attaches a UDP 4500 socket for encap=udp
# (once), adds the addresses and routes, the peer, both SAs (tx-spi set),
# and the session (unless session=no: l2s_session adds it later).
l2s_side() {
	local ns dev=l2tpsec0 encap=none laddr raddr lport=4500 rport=4500
	local peer=1 alg spi_in keys_in spi_out keys_out ltid lsid rtid rsid
	local ip peer_ip ip6='' peer_ip6='' sess_opts='' session=yes kv
	for kv in "$@"; do
		local "${kv%%=*}"="${kv#*=}"
	done
	if ! ip -n "$ns" link show "$dev" >/dev/null 2>&1; then
		run_ok ip -n "$ns" link add "$dev" type l2tpsec || return 1
		if [ "$encap" = udp ]; then
			l2s "$ns" dev attach "$dev" port "$lport" addr "$laddr" || return 1
		fi
		run_ok ip -n "$ns" addr add "$ip/32" dev "$dev" || return 1
		if [ -n "$ip6" ]; then
			run_ok ip -n "$ns" -6 addr add "$ip6/128" dev "$dev" nodad || return 1
		fi
		run_ok ip -n "$ns" link set "$dev" up || return 1
	fi
	run_ok ip -n "$ns" route add "$peer_ip/32" dev "$dev" || return 1
	if [ -n "$peer_ip6" ]; then
		run_ok ip -n "$ns" -6 route add "$peer_ip6/128" dev "$dev" || return 1
	fi
	if [ "$encap" = udp ]; then
		l2s "$ns" peer add "$dev" id "$peer" encap udp local "$laddr" \
			remote "$raddr" lport "$lport" rport "$rport" || return 1
	else
		l2s "$ns" peer add "$dev" id "$peer" encap none local "$laddr" \
			remote "$raddr" || return 1
	fi
	l2s_sa_pair "$ns" "$dev" "$peer" "$alg" "$spi_in" "$keys_in" \
		"$spi_out" "$keys_out" || return 1
	[ "$session" = no ] && return 0
	l2s_session "$ns" "$dev" "$peer" "$ltid" "$lsid" "$rtid" "$rsid" \
		"$peer_ip" "$peer_ip6" "$sess_opts"
}

# l2s_session NS DEV PEER LTID LSID RTID RSID PEER_IP [PEER_IP6] [OPTS]
l2s_session() {
	local -a s6=()
	[ -n "${9:-}" ] && s6=(ipv6 "$9/128")
	# shellcheck disable=SC2086
	l2s "$1" session add "$2" peer "$3" tunnel "$4" session "$5" \
		peer-tunnel "$6" peer-session "$7" ipv4 "$8" "${s6[@]}" ${10:-}
}

# l2s_sa_pair NS DEV PEER ALG SPI_IN KEYS_IN SPI_OUT KEYS_OUT
# Adds both SAs and points the peer's TX at the new outbound one.
l2s_sa_pair() {
	local ns=$1 dev=$2 peer=$3 alg=$4 si=$5 ki=$6 so=$7 ko=$8
	local ai ao
	ai=$(l2tpsec_sa_args "$alg" "${ki%%:*}" "${ki#*:}") || return 1
	ao=$(l2tpsec_sa_args "$alg" "${ko%%:*}" "${ko#*:}") || return 1
	# shellcheck disable=SC2086
	l2s "$ns" sa add "$dev" spi "$si" dir in peer "$peer" $ai || return 1
	# shellcheck disable=SC2086
	l2s "$ns" sa add "$dev" spi "$so" dir out peer "$peer" $ao || return 1
	l2s "$ns" peer set "$dev" id "$peer" tx-spi "$so"
}

# l2s_sa_pair_del NS DEV PEER SPI_IN SPI_OUT
l2s_sa_pair_del() {
	l2s "$1" sa del "$2" spi "$4" dir in peer "$3" &&
	l2s "$1" sa del "$2" spi "$5" dir out peer "$3"
}

# dump_state NS...: `l2tpsec show` (text, with counters) of each netns, as
# diagnostics after a failure.
dump_state() {
	local ns
	for ns in "$@"; do
		diag "--- $ns: l2tpsec show"
		diag "$(nsx "$ns" "$L2TPSEC_BIN" show 2>&1)"
	done
}

# ---------------------------------------------------------------------------
# kernel log
# ---------------------------------------------------------------------------

DMESG_BAD='WARNING:|BUG:|BUG |Call Trace|general protection|Oops|KASAN|UBSAN|kmemleak|refcount_t:|list_add corruption|list_del corruption|possible circular locking|suspicious RCU|INFO: task .* blocked|RCU stall|sleeping function called'

# dmesg_mark: remember where the kernel log is now.
DMESG_START=0
dmesg_mark() {
	DMESG_START=$(dmesg 2>/dev/null | wc -l)
}

# dmesg_clean: no warning/BUG/splat since dmesg_mark (prints offenders).
dmesg_clean() {
	local bad
	bad=$(dmesg 2>/dev/null | tail -n +"$((DMESG_START + 1))" | grep -E "$DMESG_BAD")
	[ -z "$bad" ] && return 0
	echo "$bad" | head -n 40
	return 1
}

# ---------------------------------------------------------------------------
# raw generic netlink (tools/l2tpsec-genl.py): errno of one request, events
# ---------------------------------------------------------------------------

# tools/l2tpsec-genl.py (GENL_TOOL): a raw request to the family and its
# errno and extended ACK ("send"), the events as JSON ("listen"), frame
# listener and port-id games ("listen-exit", "squat" ...); see its --help.

# genl_errno NS JSON: errno (0 = success) of one raw request in NS.
genl_errno() {
	local out
	out=$(nsx "$1" "$PYTHON" "$GENL_TOOL" send "$2" 2>&1)
	echo "$out" | sed -n 's/^errno=\([0-9-]*\).*/\1/p'
	[ -n "$out" ] && [ "${VERBOSE:-0}" = 1 ] && diag "genl: $out"
	return 0
}

# numeric values from include/uapi/linux/l2tpsec.h
# shellcheck disable=SC2034
{
L2TPSEC_CMD_DEV_GET=1
L2TPSEC_CMD_PEER_NEW=3
L2TPSEC_CMD_PEER_SET=4
L2TPSEC_CMD_SA_NEW=7
L2TPSEC_CMD_SESSION_NEW=10
L2TPSEC_A_IFINDEX=1
L2TPSEC_A_IFNAME=2
L2TPSEC_A_PEER=8
L2TPSEC_A_SA=9
L2TPSEC_A_SESSION=10
L2TPSEC_EVENT_PEER_FLOAT=4
}
