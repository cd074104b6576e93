# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/ike-lib.sh - helpers of the IKE interop tests (7x-ike-*.sh):
# l2tpsecd in one netns, strongSwan's charon (charon-lib.sh) in another.
# Source after lib.sh.

. "$(dirname "${BASH_SOURCE[0]}")/charon-lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/xfrm-lib.sh"

L2TPSECD=${L2TPSECD:-$TOP/user/l2tpsecd}

require_ike() {
	[ -x "$L2TPSECD" ] || skip_all "l2tpsecd not built: $L2TPSECD"
	require_charon
}

# ike_daemon_start NAME NS CONFTEXT: l2tpsecd -f -d (IKE_DAEMON_ARGS) in NS
# with CONFTEXT as its configuration; its log is $TMPD/NAME.err; pid in
# BG_PID.
ike_daemon_start() {
	local name=$1 ns=$2 conf
	conf="$(tmpdir)/$name.conf"
	printf '%s\n' "$3" >"$conf"
	chmod 600 "$conf"
	# shellcheck disable=SC2086
	bg_start "$name" ip netns exec "$ns" "$L2TPSECD" ${IKE_DAEMON_ARGS:--f -d} \
		-c "$conf"
	if ! wait_log "$(tmpdir)/$name.err" "core: l2tpsecd .* started" 30; then
		diag "l2tpsecd $name did not start:" "$(tail -n 20 "$(tmpdir)/$name.err")"
		return 1
	fi
}

# ike_lab NN: the interop tests' (71, 75, 76) requirements and names: the
# server's netns S (l2tpsecd, outer SO=10.NN.0.1, inner SI=10.99.NN.1)
# and the client's C (charon and the scapy peer, CO=10.NN.0.2,
# CI=10.99.NN.2). Skips the whole test when something is missing.
# shellcheck disable=SC2034 # the names are for the scripts
ike_lab() {
	local nn=$1
	require_root
	require_module
	require_ike
	require_cmd ip ping
	require_scapy
	require_tun
	S=$(ns_name s)
	C=$(ns_name c)
	SO=10.$nn.0.1
	CO=10.$nn.0.2
	SI=10.99.$nn.1
	CI=10.99.$nn.2
	CH=$TMPD/charon
}

# ike_lab_net: ike_lab's two netns and their veth pair, vS SO/24 - vC CO/24.
ike_lab_net() {
	setup_netns "$S" "$C"
	veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"
}

# ike_lab_peer: the scapy L2TP peer in C (our tunnel/session 2/2, the
# server's 1/1) on tunC with CI, towards SI; pid in BG_PID.
ike_lab_peer() {
	start_xfrm_peer peer "$C" --local "$CO:1701" --remote "$SO:1701" \
		--tun tunC --addr "$CI/32" --peer-addr "$SI" \
		--tunnel-id 1 --session-id 1 --my-tunnel-id 2 --my-session-id 2
}

# ike_ping NS ADDR [COUNT]: lib.sh's ping_ok with patience for a loaded
# TCG guest (round trips of seconds seen): -W 5 and a 25 s margin. Still
# fails when no reply comes at all.
ike_ping() {
	local ns=$1 addr=$2 count=${3:-3}
	nsx "$ns" timeout $((count * 2 + 25)) ping -4 -n -q -c "$count" \
		-i 0.2 -W 5 "$addr"
}

# ike_peer_ids NS [DEV]: the module peer ids of DEV, one per line.
ike_peer_ids() {
	show_json "$1" "${2:-l2tpsec0}" | "$PYTHON" -c '
import json, sys
doc = json.load(sys.stdin)
for d in doc.get("devices", []):
    for p in d.get("peers", []):
        print(int(p["id"], 0) if isinstance(p["id"], str) else p["id"])'
}

# ike_static_session NS PEER_ID IP PEER_IP: our half of a static L2TP
# session (tunnel 1/session 1, the peer's 2/2) on a peer the daemon made.
ike_static_session() {
	local ns=$1 peer=$2 ip=$3 peer_ip=$4
	ip -n "$ns" addr replace "$ip/32" dev l2tpsec0 &&
	ip -n "$ns" route replace "$peer_ip/32" dev l2tpsec0 &&
	l2s "$ns" session add l2tpsec0 peer "$peer" tunnel 1 session 1 \
		peer-tunnel 2 peer-session 2 ipv4 "$peer_ip"
}

# IKE_LOG_DIR=DIR: keep every log of the run there (the scratch directory
# goes at exit). In the VM it defaults to the results share, so that
# tools/vm/run-selftests.sh --log-dir DIR (or run.sh --keep-results DIR)
# brings the daemon's and charon's logs to the host, under ike-logs/.
if [ -z "${IKE_LOG_DIR:-}" ] && [ "${L2TPSEC_VM:-}" = 1 ] &&
   [ -d /run/l2tpsec-vm/results ]; then
	IKE_LOG_DIR=/run/l2tpsec-vm/results/ike-logs
fi
ike_keep_logs() {
	[ -n "${IKE_LOG_DIR:-}" ] || return 0
	mkdir -p "$IKE_LOG_DIR/$TEST_NAME" &&
	(cd "$TMPD" && find . -name '*.err' -o -name '*.out' -o -name '*.log*' \
		-o -name '*.conf' -o -name '*.stats' -o -name 'ping*' |
		cpio -pdm --quiet "$IKE_LOG_DIR/$TEST_NAME") 2>/dev/null
	return 0
}
on_exit ike_keep_logs
# Killed by a timeout: keep the logs before lib.sh's cleanup, which may
# itself be cut short.
trap 'ike_keep_logs; exit $KSFT_FAIL' INT TERM
