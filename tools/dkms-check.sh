#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/dkms-check.sh [KERNEL...]: proves the DKMS packaging, as TAP.
#
# `make dkms-src` copies the module's sources into a scratch /usr/src; then
# `dkms add`, `dkms build` and `dkms install` run against Debian's headers
# of each KERNEL (default: 6.1 6.12; tools/vm/fetch-kernel.sh --headers),
# with DKMS's trees (--sourcetree, --dkmstree, --installtree) in that
# scratch directory, so the host's /var/lib/dkms, /usr/src and
# /lib/modules are left alone. Each built module must carry the package's
# version, vermagic of its kernel, and modinfo's description, author,
# license and a description for every parameter. The same modinfo fields
# are checked on a git build (build/<kver>/l2tpsec.ko, version from git
# describe); tools/vm/build-module.sh makes it when missing.
#
# Exit status: 0 when every line is ok, 1 otherwise.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNELS=("$@")
[ ${#KERNELS[@]} -gt 0 ] || KERNELS=(6.1 6.12)

N=0
FAIL=0
ok() { N=$((N + 1)); echo "ok $N $*"; }
not_ok() {
	N=$((N + 1))
	FAIL=$((FAIL + 1))
	echo "not ok $N $1"
	shift
	[ $# -eq 0 ] || sed 's/^/# /' <<<"$*"
}

# modinfo_ok KO VERSION KVER: prints what is wrong, nothing when all is well
modinfo_problems() {
	local ko=$1 want_ver=$2 want_kver=$3 f v
	v=$(modinfo -F version "$ko")
	[ "$v" = "$want_ver" ] || echo "version '$v', want '$want_ver'"
	v=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
	[ "$v" = "$want_kver" ] || echo "vermagic '$v', want '$want_kver'"
	for f in description author; do
		[ -n "$(modinfo -F "$f" "$ko")" ] || echo "no $f"
	done
	v=$(modinfo -F license "$ko")
	[ "$v" = GPL ] || echo "license '$v', want GPL"
	# parm lines are "name:description (type)"; without MODULE_PARM_DESC
	# there is only "name: (type)" or "name:(type)"
	modinfo -F parm "$ko" | awk -F: '$2 ~ /^ *(\(.*\))? *$/ {
		print "parameter " $1 " has no description" }'
	modinfo -F name "$ko" | grep -qx l2tpsec || echo "name is not l2tpsec"
}

check_modinfo() {
	local what=$1 ko=$2 ver=$3 kver=$4 p
	p=$(modinfo_problems "$ko" "$ver" "$kver" 2>&1)
	if [ -z "$p" ]; then
		ok "$what: modinfo version $ver, vermagic $kver, description, author, license GPL, every parm described ($(modinfo -F parm "$ko" | wc -l) parm)"
	else
		not_ok "$what: modinfo fields" "$p" "$(modinfo "$ko" | grep -v '^sig')"
	fi
}

main() {
	local tmp ver k headers kver log ko
	command -v dkms >/dev/null || {
		echo "1..1"
		not_ok "dkms installed" "apt-get install dkms"
		exit 1
	}
	tmp=$(mktemp -d /tmp/l2tpsec-dkms.XXXXXX)
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	ver=$("$REPO/tools/version.sh")
	local -a trees=(--sourcetree "$tmp/usr/src" --dkmstree "$tmp/dkms"
		--installtree "$tmp/lib/modules")
	mkdir -p "$tmp/dkms" "$tmp/lib/modules"

	echo "TAP version 13"
	echo "1..$((3 + 3 * ${#KERNELS[@]} + ${#KERNELS[@]}))"
	if log=$(make -s -C "$REPO" dkms-src DESTDIR="$tmp" L2TPSEC_VERSION="$ver" 2>&1) &&
		[ "$(cat "$tmp/usr/src/l2tpsec-$ver/VERSION")" = "$ver" ] &&
		grep -qx "PACKAGE_VERSION=\"$ver\"" "$tmp/usr/src/l2tpsec-$ver/dkms.conf"; then
		ok "make dkms-src: l2tpsec-$ver with VERSION and dkms.conf of $ver"
	else
		not_ok "make dkms-src" "$log"
	fi
	if log=$(dkms add -m l2tpsec -v "$ver" "${trees[@]}" 2>&1); then
		ok "dkms add -m l2tpsec -v $ver"
	else
		not_ok "dkms add -m l2tpsec -v $ver" "$log"
	fi

	for k in "${KERNELS[@]}"; do
		headers=$(QUIET=1 "$REPO/tools/vm/fetch-kernel.sh" --headers "$k")
		kver=$(cat "$(QUIET=1 "$REPO/tools/vm/fetch-kernel.sh" "$k")/kver")
		if log=$(dkms build -m l2tpsec -v "$ver" -k "$kver" \
			--kernelsourcedir "$headers" "${trees[@]}" 2>&1); then
			ok "dkms build for $kver ($headers)"
		else
			not_ok "dkms build for $kver" "$log" \
				"$(tail -n 30 "$tmp/dkms/l2tpsec/$ver/build/make.log" 2>/dev/null)"
		fi
		ko=$(find "$tmp/dkms/l2tpsec/$ver/$kver" -name 'l2tpsec.ko*' | head -n1)
		if [ -n "$ko" ]; then
			case $ko in
			*.xz) xz -dc "$ko" >"$tmp/l2tpsec.ko" && ko=$tmp/l2tpsec.ko ;;
			*.zst) zstd -qdc "$ko" >"$tmp/l2tpsec.ko" && ko=$tmp/l2tpsec.ko ;;
			esac
			# built from the VERSION file: no git in DKMS's copy
			check_modinfo "dkms build for $kver" "$ko" "$ver" "$kver"
		else
			not_ok "dkms build for $kver: a module to check" "no l2tpsec.ko under $tmp/dkms/l2tpsec/$ver/$kver"
		fi
		# DKMS installs only into a kernel that exists: its modules
		# directory (the scratch one here)
		mkdir -p "$tmp/lib/modules/$kver"
		if log=$(dkms install -m l2tpsec -v "$ver" -k "$kver" --no-depmod \
			--kernelsourcedir "$headers" "${trees[@]}" 2>&1) &&
			[ -n "$(find "$tmp/lib/modules/$kver" -name 'l2tpsec.ko*')" ]; then
			ok "dkms install for $kver (into $tmp/lib/modules/$kver)"
		else
			not_ok "dkms install for $kver" "$log"
		fi
	done

	if log=$(dkms remove -m l2tpsec -v "$ver" --all --no-depmod "${trees[@]}" 2>&1) &&
		[ ! -e "$tmp/dkms/l2tpsec/$ver" ]; then
		ok "dkms remove --all"
	else
		not_ok "dkms remove --all" "$log"
	fi

	# the git build: the version comes from git describe, not VERSION
	for k in "${KERNELS[@]}"; do
		kver=$(cat "$(QUIET=1 "$REPO/tools/vm/fetch-kernel.sh" "$k")/kver")
		if ko=$("$REPO/tools/vm/build-module.sh" "$k" 2>/dev/null); then
			check_modinfo "git build for $kver" "$ko" "$ver" "$kver"
		else
			not_ok "git build for $kver" "tools/vm/build-module.sh $k failed"
		fi
	done
	echo "# dkms: $((N - FAIL)) passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

main
