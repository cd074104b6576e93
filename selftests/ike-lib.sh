# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/ike-lib.sh - helpers of the IKE interop tests (7x-ike-*.sh):
# l2tpsecd in one netns, strongSwan's charon (IKEv1, ipsec.conf via its
# starter) in another, each charon with its own /run (pid file, stroke
# socket) and /etc/ipsec.d in a private mount namespace. Source after
# lib.sh.

L2TPSECD=${L2TPSECD:-$TOP/user/l2tpsecd}
CHARON_STARTER=${CHARON_STARTER:-/usr/lib/ipsec/starter}
CHARON_STROKE=${CHARON_STROKE:-/usr/lib/ipsec/stroke}

require_ike() {
	[ -x "$L2TPSECD" ] || skip_all "l2tpsecd not built: $L2TPSECD"
	[ -x "$CHARON_STARTER" ] ||
		skip_all "strongSwan's starter not installed (apt-get install strongswan-starter strongswan-charon)"
	require_cmd unshare nsenter
}

# ike_wait TIMEOUT CMD...: as lib.sh's wait_for, but TIMEOUT is wall-clock
# seconds: under a loaded TCG guest each try of CMD can take far longer
# than wait_for's 0.1 s step, which would stretch its bound tenfold.
ike_wait() {
	local end=$((SECONDS + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$SECONDS" -ge "$end" ] && break
		sleep 0.2
	done
	"$@" >/dev/null 2>&1
}

# wait_log FILE REGEX [TIMEOUT]: until a line of FILE matches (grep -E).
wait_log() {
	ike_wait "${3:-20}" grep -Eq -- "$2" "$1"
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

# charon_conf DIR IPSEC_CONF SECRETS: a private strongSwan configuration.
charon_conf() {
	local dir=$1
	mkdir -p "$dir/ipsec.d/cacerts" "$dir/ipsec.d/certs" \
		"$dir/ipsec.d/private" "$dir/ipsec.d/crls"
	cat >"$dir/strongswan.conf" <<EOS
charon {
	load_modular = yes
	install_routes = no
	install_virtual_ip = no
	retransmit_tries = ${CHARON_TRIES:-3}
	retransmit_timeout = ${CHARON_TIMEOUT:-2.0}
	retransmit_base = 1.4
	${CHARON_EXTRA:-}
	plugins {
		include /etc/strongswan.d/charon/*.conf
		stroke {
			secrets_file = $dir/ipsec.secrets
			timeout = 0
		}
	}
	filelog {
		log {
			path = $dir/charon.log
			time_format = %T
			default = 1
			ike = 2
			cfg = 1
			knl = 1
			flush_line = yes
		}
	}
	syslog {
		daemon {
			default = -1
		}
	}
}
EOS
	printf '%s\n' "$2" >"$dir/ipsec.conf"
	printf '%s\n' "$3" >"$dir/ipsec.secrets"
	chmod 600 "$dir/ipsec.secrets"
}

# charon_start NAME NS DIR: starter + charon in NS, private /run and
# /etc/ipsec.d; the log is DIR/charon.log; pid in BG_PID.
charon_start() {
	local name=$1 ns=$2 dir=$3 n=1
	# The log of a previous charon in DIR is kept as charon.log.N.
	if [ -s "$dir/charon.log" ]; then
		while [ -e "$dir/charon.log.$n" ]; do n=$((n + 1)); done
		mv "$dir/charon.log" "$dir/charon.log.$n"
	fi
	: >"$dir/charon.log"
	bg_start "$name" ip netns exec "$ns" unshare -m sh -c "
		mount -t tmpfs tmpfs /run &&
		mount --bind '$dir/ipsec.d' /etc/ipsec.d &&
		STRONGSWAN_CONF='$dir/strongswan.conf' exec '$CHARON_STARTER' \
			--nofork --conf '$dir/ipsec.conf'"
	# shellcheck disable=SC2034	# for the caller
	CHARON_PID=$BG_PID
	if ! wait_log "$dir/charon.log" "loaded plugins|charon.*started|listening on interfaces" 30; then
		diag "charon $name did not start:" "$(tail -n 20 "$dir/charon.log")" \
			"$(tail -n 10 "$(tmpdir)/$name.err")"
		return 1
	fi
}

# charon_stroke PID ARGS...: the stroke tool in charon's mount namespace.
charon_stroke() {
	local pid=$1 ns
	shift
	ns=$(pgrep -P "$pid" -x starter 2>/dev/null || echo "$pid")
	nsenter -t "$pid" -m -n "$CHARON_STROKE" "$@"
}

# charon_kill PID: the client vanishes: SIGKILL to charon and its starter
# (no DELETE).
charon_kill() {
	pkill -KILL -P "$1" 2>/dev/null
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

# charon_stop PID: SIGTERM to the starter; charon sends its DELETEs.
charon_stop() {
	bg_stop "$1"
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
