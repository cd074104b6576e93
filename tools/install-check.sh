#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/install-check.sh: `make install DESTDIR=<scratch>` installs exactly
# the expected files with the expected modes, keeps an existing
# configuration, and `make uninstall` removes everything but /etc/l2tpsec.
# TAP output; part of `make check`.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $*"; }

echo "TAP version 13"
echo "1..7"

EXPECTED="0644 /etc/l2tpsec/l2tpsecd.conf
0644 /lib/systemd/system/l2tpsecd.service
0644 /lib/systemd/system/l2tpsecd@.service
0755 /usr/sbin/l2tpsec
0755 /usr/sbin/l2tpsecd
0644 /usr/lib/tmpfiles.d/l2tpsec.conf
0644 /usr/share/bash-completion/completions/l2tpsec
0644 /usr/share/doc/l2tpsec/NEWS
0644 /usr/share/doc/l2tpsec/README.md
0644 /usr/share/doc/l2tpsec/examples/60-l2tpsec.sysctl.conf
0644 /usr/share/doc/l2tpsec/examples/chap-secrets.example
0644 /usr/share/doc/l2tpsec/examples/l2tpsecd-client.conf
0644 /usr/share/doc/l2tpsec/examples/l2tpsecd-server.conf
0644 /usr/share/man/man5/l2tpsecd.conf.5
0644 /usr/share/man/man8/l2tpsec.8
0644 /usr/share/man/man8/l2tpsecd.8"

EXPECTED=$(echo "$EXPECTED" | sort -k2)

listing() { (cd "$1" && find . -type f -printf '%m /%P\n' | sed 's/^\([0-9]\{3\}\) /0\1 /' | sort -k2); }

if make -s -C "$REPO" install DESTDIR="$D/root" >"$D/log" 2>&1; then
	ok "make install DESTDIR=..."
else
	not_ok "make install DESTDIR=..."
	sed 's/^/# /' "$D/log"
fi
got=$(listing "$D/root")
if [ "$got" = "$EXPECTED" ]; then
	ok "installed files and modes"
else
	not_ok "installed files and modes"
	diff <(echo "$EXPECTED") <(echo "$got") | sed 's/^/# /'
fi

# the units as systemd reads them: every directive known, every command
# and man page there. systemd-analyze looks the commands up in /, so the
# units it reads point into the staging root (and MANPATH at its pages).
if ! command -v systemd-analyze >/dev/null; then
	n=$((n + 1)); echo "ok $n systemd-analyze verify # SKIP systemd-analyze not installed"
else
	mkdir -p "$D/units"
	for u in l2tpsecd.service l2tpsecd@.service; do
		sed "s#/usr/sbin/#$D/root/usr/sbin/#g" \
			"$D/root/lib/systemd/system/$u" >"$D/units/$u"
	done
	# verify also loads the units ours are wanted by (multi-user.target)
	# and with them the host's other services: what it says of those
	# (freeradius.service's MemoryLimit= on Debian 12) is not ours and is
	# only shown
	rc=0
	out=$(MANPATH="$D/root/usr/share/man" systemd-analyze verify \
		"$D/units/l2tpsecd.service" "$D/units/l2tpsecd@profile.service" 2>&1) || rc=$?
	ours=$(grep -E 'l2tpsecd' <<<"$out" || true)
	if [ "$rc" -eq 0 ] && [ -z "$ours" ]; then
		ok "systemd-analyze verify: l2tpsecd.service, l2tpsecd@.service"
		[ -z "$out" ] || echo "$out" | sed 's/^/# not ours: /'
	else
		not_ok "systemd-analyze verify: l2tpsecd.service, l2tpsecd@.service (exit $rc)"
		echo "$out" | sed 's/^/# /'
	fi
fi

# a second install keeps the admin's configuration
echo "# admin's own" >>"$D/root/etc/l2tpsec/l2tpsecd.conf"
make -s -C "$REPO" install DESTDIR="$D/root" >"$D/log" 2>&1
if grep -q "admin's own" "$D/root/etc/l2tpsec/l2tpsecd.conf"; then
	ok "a second install keeps /etc/l2tpsec/l2tpsecd.conf"
else
	not_ok "a second install overwrote /etc/l2tpsec/l2tpsecd.conf"
fi

if grep -qs '^net.ipv4.ip_forward' "$D/root/etc/sysctl.d/"* "$D/root/usr/lib/sysctl.d/"* 2>/dev/null; then
	not_ok "install enabled forwarding by itself"
else
	ok "forwarding is documented, not enabled (no sysctl.d file installed)"
fi

# the completion completes (with bash-completion's helpers, as installed)
BC=/usr/share/bash-completion/bash_completion
if [ ! -r $BC ]; then
	n=$((n + 1)); echo "ok $n bash completion # SKIP bash-completion not installed"
else
	got=$(bash -c '. "$1"; . "$2"
		c() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"
			COMP_POINT=${#COMP_LINE}; _l2tpsec; echo "${COMPREPLY[*]}"; }
		c l2tpsec ki; c l2tpsec kick ""; c l2tpsec sa ad' sh $BC \
		"$D/root/usr/share/bash-completion/completions/l2tpsec" 2>&1)
	if [ "$got" = "kick
user address peer
add" ]; then
		ok "bash completion: commands, kick's words, sa's subcommands"
	else
		not_ok "bash completion"
		echo "$got" | sed 's/^/# /'
	fi
fi

make -s -C "$REPO" uninstall DESTDIR="$D/root" >"$D/log" 2>&1
left=$(listing "$D/root")
if [ "$left" = "0644 /etc/l2tpsec/l2tpsecd.conf" ]; then
	ok "make uninstall leaves only /etc/l2tpsec"
else
	not_ok "make uninstall leaves only /etc/l2tpsec"
	echo "$left" | sed 's/^/# /'
fi
exit $((fails > 0))
