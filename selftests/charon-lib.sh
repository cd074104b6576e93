# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# selftests/charon-lib.sh - strongSwan's charon (IKEv1, ipsec.conf via its
# starter) as a test peer, for the IKE interop tests (ike-lib.sh) and the
# end-to-end tests (l2tp-lib.sh). Each charon runs in a netns with its own
# /run (pid file, stroke socket) and /etc/ipsec.d in a private mount
# namespace, so several can run at once. Sourced by those libraries,
# after lib.sh.

CHARON_STARTER=${CHARON_STARTER:-/usr/lib/ipsec/starter}
CHARON_STROKE=${CHARON_STROKE:-/usr/lib/ipsec/stroke}

require_charon() {
	[ -x "$CHARON_STARTER" ] ||
		skip_all "strongSwan's starter not installed (apt-get install strongswan-starter strongswan-charon)"
	require_cmd unshare nsenter
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
# /etc/ipsec.d; the log is DIR/charon.log (a previous one is kept as
# charon.log.N); the starter's pid in CHARON_PID (and BG_PID).
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
