#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600
#
# 91-systemd-unit: the installed l2tpsec package under real systemd.
#
#   guest root netns: systemd (PID 1 of its own PID namespace, the host's
#                     /lib/systemd/systemd) running l2tpsecd.service
#                     vS 192.0.2.1/24
#   netns C:          l2tpsecd from the build tree, the client
#                     vC 192.0.2.2/24
#
# The package tools/deb-check.sh left in build/deb (make check's deb stage
# runs before the QEMU stages) is installed with dpkg into a writable
# overlay of /usr; without it, `make install prefix=/usr` installs the
# same files. Then, through systemctl:
#  - `systemctl start l2tpsecd` returns once the daemon is ready
#    (Type=notify): the control socket answers right after it;
#  - the unit's sandbox is in force (capabilities, no_new_privs);
#  - a client connects and pings through the tunnel;
#  - `systemctl reload` with a broken configuration fails and the daemon
#    and the session stay; with a new user added it re-reads the users,
#    the session stays, and the new user logs in;
#  - `systemctl stop` ends the session with its reason and the daemon.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_e2e ping unshare dpkg
SYSTEMD=/lib/systemd/systemd
[ -x "$SYSTEMD" ] && command -v systemctl >/dev/null ||
	skip_all "systemd not installed (tools/install-deps.sh installs it)"

ktap_plan 10

# ---- a writable /usr, the package in it ----------------------------------
# /lib/modules (a tmpfs with the module tree, under /usr on a merged-/usr
# system) is shown again on top of the overlay, or modules stop loading.
mkdir -p "$TMPD/usr.upper" "$TMPD/usr.work" "$TMPD/modules"
mount --rbind /usr/lib/modules "$TMPD/modules" ||
	bail_out "cannot keep /usr/lib/modules aside"
mount -t overlay overlay \
	-o "lowerdir=/usr,upperdir=$TMPD/usr.upper,workdir=$TMPD/usr.work" /usr ||
	bail_out "cannot lay a writable overlay on /usr"
on_exit "umount -l /usr"
mount --rbind "$TMPD/modules" /usr/lib/modules ||
	bail_out "cannot show /usr/lib/modules on the overlay"
# (run before the /usr one: cleanup runs last registered first)
on_exit "umount -R -l /usr/lib/modules; umount -R -l $TMPD/modules"

deb=$(ls "$TOP"/build/deb/l2tpsec_*_amd64.deb 2>/dev/null | tail -n1)
if [ -n "$deb" ]; then
	how="dpkg -i ${deb##*/}"
	inst() { dpkg --no-triggers --force-confold -i "$deb"; }
else
	how="make install prefix=/usr (no package in build/deb: run tools/deb-check.sh)"
	inst() { make -s -C "$TOP" install prefix=/usr sysconfdir=/etc; }
fi
if out=$(inst 2>&1) && [ -x /usr/sbin/l2tpsecd ] &&
	[ -f /lib/systemd/system/l2tpsecd.service ]; then
	ok "installed: $how"
else
	bail_out "install failed: $how" "$out"
fi
SBIN_L2TPSEC=/usr/sbin/l2tpsec
SOCK=/run/l2tpsec/l2tpsecd.sock

# ---- the configuration, the way an admin writes it -----------------------
C=$(ns_name c)
SO=192.0.2.1
CO=192.0.2.2
SI=10.99.0.1
setup_netns "$C"
ip link add vS type veth peer name vC netns "$C" || bail_out "veth"
on_exit "ip link del vS 2>/dev/null"
ip addr add "$SO/24" dev vS && ip link set vS up
ip -n "$C" addr add "$CO/24" dev vC && ip -n "$C" link set vC up

PSK="systemd unit psk $(rand_hex 8)"
secret_file /etc/l2tpsec/psk "$PSK"
cp "$EXAMPLES/chap-secrets.example" /etc/l2tpsec/chap-secrets
chmod 600 /etc/l2tpsec/chap-secrets
secret_file "$TMPD/psk" "$PSK"
secret_file "$TMPD/office.password" "correct horse battery"
example_conf l2tpsecd-client.conf "$TMPD/client.conf"

# ---- systemd ---------------------------------------------------------------
# PID 1 of a PID namespace (a container to systemd: container=), over
# this guest's root, with a /tmp of its own; it runs sysinit and nothing
# else until told to (the target below). systemd-tmpfiles' boot run
# would empty /tmp and prune /run, which are this test's and the VM's:
# masked.
mkdir -p /run/systemd/system
cat >/run/systemd/system/l2tpsec-vm.target <<'T'
[Unit]
Description=l2tpsec selftest: nothing but sysinit
Requires=sysinit.target
After=sysinit.target
T
for u in systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service \
	systemd-tmpfiles-setup-dev-early.service systemd-tmpfiles-clean.timer; do
	ln -sf /dev/null "/run/systemd/system/$u"
done
bg_start systemd unshare --pid --fork --kill-child --mount --mount-proc sh -c '
	mount -t tmpfs -o mode=1777 tmp /tmp || exit 1
	exec env container=l2tpsec-vm "$0" --system --unit=l2tpsec-vm.target \
		--log-target=kmsg --log-level=debug --show-status=no' "$SYSTEMD"
SD_PID=$BG_PID
# systemd answers on its private bus only to root it can see: run
# systemctl inside its PID namespace (the pid of its PID 1, seen from here)
sd_init() { SD_INIT=$(pgrep -P "$SD_PID" | head -n1); [ -n "$SD_INIT" ]; }
wait_until 20 sd_init || bail_out "systemd did not start" "$(cat "$TMPD/systemd.err")"
sctl() { nsenter -t "$SD_INIT" -p -m systemctl "$@"; }
# sctl_t SECONDS ARGS...: the same, bounded
sctl_t() { timeout "$1" nsenter -t "$SD_INIT" -p -m systemctl "${@:2}"; }
on_exit "sctl stop l2tpsecd 2>/dev/null; kill -TERM $SD_PID 2>/dev/null; sleep 2; kill -KILL $SD_PID 2>/dev/null; rm -rf /run/systemd"
sd_up() { sctl is-system-running 2>/dev/null | grep -qE 'running|degraded'; }
if wait_until 120 sd_up; then
	ok "systemd up: $(sctl is-system-running 2>&1)"
else
	bail_out "systemd did not come up: $(sctl is-system-running 2>&1)" \
		"$(tail -n 30 "$TMPD/systemd.err")" "$(tail -n 30 "$TMPD/systemd.out")" \
		"$(dmesg | grep -E 'systemd|Freezing' | tail -n 40)"
fi

jlog() { journalctl -q -o cat -u l2tpsecd 2>/dev/null; }

# ---- start: ready means ready ---------------------------------------------
if out=$(sctl_t 120 start l2tpsecd 2>&1) &&
	"$SBIN_L2TPSEC" -s "$SOCK" who >"$TMPD/who0" 2>&1; then
	ok "systemctl start returned with the daemon ready: who answers at once ($(head -n1 "$TMPD/who0"))"
else
	bail_out "systemctl start l2tpsecd" "$out" "$(sctl status l2tpsecd 2>&1 | tail -n 20)" \
		"$(jlog | tail -n 20)"
fi
MAIN=$(sctl show -P MainPID l2tpsecd)
# MainPID is systemd's view: read /proc inside its PID namespace
caps=$(nsenter -t "$SD_INIT" -p -m grep -E '^(CapBnd|CapEff|NoNewPrivs)' "/proc/$MAIN/status" 2>/dev/null | tr -s '\t' ' ' | tr '\n' ' ')
# CAP_NET_BIND_SERVICE is bit 10, CAP_NET_ADMIN bit 12
if grep -q 'CapBnd: 0000000000001400' <<<"$caps" && grep -q 'NoNewPrivs: 1' <<<"$caps"; then
	ok "sandboxed: bounding set CAP_NET_ADMIN CAP_NET_BIND_SERVICE, no_new_privs ($caps)"
else
	not_ok "sandboxed as the unit says" "$caps"
fi

# ---- a client ----------------------------------------------------------------
l2tpsecd_start cli "$C" "$TMPD/client.conf" || bail_out "client l2tpsecd"
if log_has cli "user alice: connected: our address 10\.99\.0\.[0-9]+" 90 &&
	ping_ok "$C" "$SI" 3 >/dev/null; then
	ok "client connected to the unit's daemon, ping $SI"
else
	bail_out "client not connected" "$(tail -n 15 "$TMPD/cli.err")" "$(jlog | tail -n 20)"
fi
session() { "$SBIN_L2TPSEC" -s "$SOCK" -j who | "$PYTHON" -c '
import json, sys
w = json.load(sys.stdin)
print([(s["user"], s["tunnel"], s["session"]) for s in w["sessions"]])'; }
before=$(session)

# ---- reload ------------------------------------------------------------------
cp /etc/l2tpsec/l2tpsecd.conf "$TMPD/good.conf"
echo "this is not a line of l2tpsecd.conf" >>/etc/l2tpsec/l2tpsecd.conf
if ! sctl_t 60 reload l2tpsecd >"$TMPD/reload1" 2>&1 &&
	[ "$(sctl show -P MainPID l2tpsecd)" = "$MAIN" ] &&
	[ "$(session)" = "$before" ] && ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "reload of a broken file is refused; daemon and session stay"
else
	not_ok "reload of a broken file is refused" "$(cat "$TMPD/reload1")" "$(session)"
fi
cp "$TMPD/good.conf" /etc/l2tpsec/l2tpsecd.conf
printf 'carol * "%s" *\n' "carol's new password" >>/etc/l2tpsec/chap-secrets
n0=$(jlog | grep -c 'SIGHUP' || true)
if sctl_t 60 reload l2tpsecd >"$TMPD/reload2" 2>&1 &&
	wait_until 10 sh -c "[ \$(journalctl -q -o cat -u l2tpsecd | grep -c SIGHUP) -gt $n0 ]" &&
	[ "$(session)" = "$before" ] && ping_ok "$C" "$SI" 2 >/dev/null; then
	ok "reload with a new user: applied ($(jlog | grep SIGHUP | tail -n1)); the session stays"
else
	not_ok "reload with a new user" "$(cat "$TMPD/reload2")" "$(jlog | tail -n 5)" "$(session)"
fi

# the new user logs in (a second client profile in C, user carol)
secret_file "$TMPD/carol.password" "carol's new password"
example_conf l2tpsecd-client.conf "$TMPD/carol.conf" \
	-e "s|^user = .*|user = carol|" -e "s|office.password|carol.password|"
if grep -q '^user = carol' "$TMPD/carol.conf"; then
	bg_stop "$DAEMON_PID"
	l2tpsecd_start carol "$C" "$TMPD/carol.conf" || bail_out "carol's client"
	if log_has carol "user carol: connected: our address 10\.99\.0\.[0-9]+" 90; then
		ok "the user the reload added logs in"
	else
		not_ok "the user the reload added logs in" "$(tail -n 10 "$TMPD/carol.err")" "$(jlog | tail -n 10)"
	fi
else
	not_ok "carol's client configuration" "$(grep -n '^user\|^device\|password' "$TMPD/carol.conf")"
fi

# ---- stop ------------------------------------------------------------------
if sctl_t 60 stop l2tpsecd >"$TMPD/stop" 2>&1 &&
	! nsenter -t "$SD_INIT" -p -m kill -0 "$MAIN" 2>/dev/null &&
	jlog | grep -qE 'session ended: daemon shutdown'; then
	ok "systemctl stop: sessions ended (daemon shutdown), daemon gone"
else
	not_ok "systemctl stop" "$(cat "$TMPD/stop")" "$(jlog | tail -n 10)"
fi
if [ "$(sctl show -P ActiveState l2tpsecd)" = inactive ]; then
	ok "unit inactive after stop (not failed)"
else
	not_ok "unit state after stop: $(sctl show -P ActiveState,Result l2tpsecd)"
fi
ksft_exit
