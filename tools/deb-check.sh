#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/deb-check.sh: builds the Debian packages (l2tpsec, l2tpsec-dkms)
# from a copy of the tracked files with `dpkg-buildpackage -us -uc -b`
# (DEB_BUILD_OPTIONS=nocheck: make check's native stage runs the units),
# checks what each package holds and runs lintian, which must report no
# error and no warning (pedantic and info tags are printed, not failed).
# TAP output; part of `make check`. Keeps the packages in build/deb/.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$REPO/build/deb
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $*"; }

echo "TAP version 13"
echo "1..4"

mkdir -p "$W/src"
# the tracked files; outside git (make check-fresh's copy) all but build/
if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$REPO" ls-files -z | (cd "$REPO" && xargs -0 tar -cf - --) | tar -xf - -C "$W/src"
else
	tar -C "$REPO" --exclude=./build -cf - . | tar -xf - -C "$W/src"
fi
if (cd "$W/src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) >"$W/build.log" 2>&1; then
	ok "dpkg-buildpackage -us -uc -b"
else
	not_ok "dpkg-buildpackage -us -uc -b"
	tail -30 "$W/build.log" | sed 's/^/# /'
	exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$W"/*.deb "$W"/*.buildinfo "$W"/*.changes "$OUT"/ 2>/dev/null

contents() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./|/|' | sort; }
bin=$(contents "$OUT"/l2tpsec_*_amd64.deb)
missing=
for f in /usr/sbin/l2tpsecd /usr/sbin/l2tpsec /etc/l2tpsec/l2tpsecd.conf \
	/usr/share/man/man8/l2tpsecd.8.gz /usr/share/man/man8/l2tpsec.8.gz \
	/usr/share/man/man5/l2tpsecd.conf.5.gz /usr/share/bash-completion/completions/l2tpsec \
	/usr/share/doc/l2tpsec/copyright /lib/systemd/system/l2tpsecd.service \
	/lib/systemd/system/l2tpsecd@.service /usr/lib/tmpfiles.d/l2tpsec.conf; do
	grep -qx "$f" <<<"$bin" || missing+=" $f"
done
if [ -z "$missing" ] && ! grep -q '^/usr/src/' <<<"$bin"; then
	ok "l2tpsec: daemon, CLI, conffile, man pages, completion, systemd units; no module source"
else
	not_ok "l2tpsec: missing:${missing:- none}; module source in it: $(grep -c '^/usr/src/' <<<"$bin")"
fi

dkms=$(contents "$OUT"/l2tpsec-dkms_*_all.deb)
ver=$(dpkg-deb -f "$OUT"/l2tpsec-dkms_*_all.deb Version)
x=$W/x
dpkg-deb -x "$OUT"/l2tpsec-dkms_*_all.deb "$x"
if grep -qx "/usr/src/l2tpsec-$ver/dkms.conf" <<<"$dkms" &&
	grep -qx "/usr/src/l2tpsec-$ver/kernel/main.c" <<<"$dkms" &&
	grep -qx "PACKAGE_VERSION=\"$ver\"" "$x/usr/src/l2tpsec-$ver/dkms.conf" &&
	dpkg-deb -I "$OUT"/l2tpsec-dkms_*_all.deb postinst | grep -q dkms; then
	ok "l2tpsec-dkms: /usr/src/l2tpsec-$ver with dkms.conf of that version, dkms in postinst"
else
	not_ok "l2tpsec-dkms: source tree, dkms.conf version or postinst wrong"
	grep PACKAGE_VERSION "$x"/usr/src/*/dkms.conf | sed 's/^/# /'
fi

# lintian refuses nothing as root, but says so on stderr
lint=$(lintian --pedantic -I "$OUT"/*.deb 2>&1 | grep -v 'running with root privileges')
if grep -q '^[EW]: ' <<<"$lint"; then
	not_ok "lintian: errors or warnings"
else
	ok "lintian: no error, no warning"
fi
[ -n "$lint" ] && sed 's/^/# /' <<<"$lint"
exit $((fails > 0))
