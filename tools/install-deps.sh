#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/install-deps.sh [--check | --if-missing | --list]
#
# Installs, from Debian 12's own repositories, every package l2tpsec needs
# to build, test (QEMU, TCG: no KVM needed), lint, package (DKMS) and demo,
# and to build the debug kernel. Run as root on a Debian 12 machine; a
# minimal one needs nothing else first (bash, apt and dpkg are part of
# every Debian system). Idempotent.
#
#   (no option)   apt-get update, then apt-get install of the whole list
#   --check       prints the packages of the list that are not installed,
#                 one line `install-deps: missing PKG` each; exit 1 when
#                 any is missing, 0 otherwise. Installs nothing, needs no
#                 root.
#   --if-missing  nothing when every package is installed; otherwise says
#                 "installing N missing packages: ..." and installs them
#                 (apt-get update first). Run by `make check`, `make demo`
#                 and .ci/run; when not root it goes through sudo.
#   --list        prints the list, one package a line
#
# tools/fresh-check.sh (`make check-fresh`) proves the list complete: it
# runs this script in a freshly bootstrapped Debian 12 root and builds
# everything `make check` builds there.
set -euo pipefail

PACKAGES=(
	# build: module and userspace
	build-essential make gcc linux-headers-amd64 pkg-config
	libnl-genl-3-dev libssl-dev libinih-dev libjansson-dev libsystemd-dev
	# native tests and analysis
	libcmocka-dev valgrind sparse clang libclang-rt-14-dev
	# make lint (tools/lint.sh): checkpatch.pl comes from linux-source-6.12,
	# the ESP known-answer generator needs python3-cryptography, the UAPI
	# check (tools/ynl-check.py) python3-yaml, the kernel's YNL generator
	# (tools/ynl-gen.sh) python3-yaml and python3-jsonschema
	linux-source-6.12 perl python3 python3-cryptography python3-yaml
	python3-jsonschema
	# make dkms-install, tools/dkms-check.sh (modinfo: kmod)
	dkms
	# make install's completion check (tools/install-check.sh), the Debian
	# packages and lintian (tools/deb-check.sh)
	bash-completion debhelper dh-dkms lintian fakeroot
	# the systemd units (systemd-analyze verify in tools/install-check.sh)
	systemd
	# the debug kernel (tools/vm/build-debug-kernel.sh), per-kernel module
	# builds (tools/vm/build-module.sh; pahole makes the BTF of a module
	# built for Debian's 6.12)
	bc flex bison libelf-dev rsync dwarves
	# the test VM (tools/vm/)
	qemu-system-x86 busybox-static kmod cpio xz-utils zstd binutils
	# in the VM (the host's root is the guest's): network and peers
	iproute2 iputils-ping procps nftables tcpdump iperf3
	strongswan libstrongswan-standard-plugins xl2tpd ppp python3-scapy openssl
	# RADIUS: the server the native tests start (daemon/tests/radius_*)
	# and its radclient
	freeradius freeradius-utils
	# make bench (tools/bench/): WireGuard to compare with (the guest
	# kernel has the module; wg only is needed here)
	wireguard-tools
	# make check-fresh (tools/fresh-check.sh): a Debian 12 root to test
	# this list in
	debootstrap
	# misc
	git ca-certificates
)

die() { echo "install-deps: $*" >&2; exit 1; }

# Prints the packages of the list that are not installed, one a line.
missing_packages() {
	local -A ok=()
	local p st
	# `dpkg-query -W` names every package it knows, installed or not
	# (exit 1 and a line on stderr for those it has never heard of)
	while read -r p st; do
		[ "$st" = ii ] && ok[${p%%:*}]=1
	done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' \
		"${PACKAGES[@]}" 2>/dev/null || true)
	for p in "${PACKAGES[@]}"; do
		[ -n "${ok[$p]:-}" ] || echo "$p"
	done
}

# apt-get update + install "$@", as root (through sudo when not root)
apt_install() {
	local -a sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null ||
			die "run as root (apt-get install $*)"
		echo "install-deps: not root: through sudo" >&2
		sudo=(sudo)
	fi
	if ! grep -qs 'VERSION_ID="12"' /etc/os-release; then
		echo "install-deps: warning: written for Debian 12 (bookworm); trying anyway" >&2
	fi
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update ||
		die "apt-get update failed: check /etc/apt/sources.list and the network"
	local -a plain=() bare=() p
	for p in "$@"; do
		case " ${NO_RECOMMENDS[*]} " in
		*" $p "*) bare+=("$p") ;;
		*) plain+=("$p") ;;
		esac
	done
	if [ ${#plain[@]} -gt 0 ]; then
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${plain[@]}" ||
			die "apt-get install failed (packages: ${plain[*]})"
	fi
	if [ ${#bare[@]} -gt 0 ]; then
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y --no-install-recommends "${bare[@]}" ||
			die "apt-get install failed (packages: ${bare[*]})"
	fi
}

# Installed without their recommended packages: wireguard-tools recommends
# a kernel image with the WireGuard module (linux-image-*-rt on Debian 12),
# which the host never boots; the bench uses the module of the VM's kernel.
NO_RECOMMENDS=(wireguard-tools)

main() {
	local -a missing
	case ${1:-} in
	"")
		apt_install "${PACKAGES[@]}"
		;;
	--list)
		printf '%s\n' "${PACKAGES[@]}"
		;;
	--check)
		mapfile -t missing < <(missing_packages)
		[ ${#missing[@]} -eq 0 ] && exit 0
		printf 'install-deps: missing %s\n' "${missing[@]}"
		exit 1
		;;
	--if-missing)
		mapfile -t missing < <(missing_packages)
		[ ${#missing[@]} -eq 0 ] && exit 0
		echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
		apt_install "${missing[@]}"
		mapfile -t missing < <(missing_packages)
		[ ${#missing[@]} -eq 0 ] ||
			die "still missing after apt-get install: ${missing[*]}"
		;;
	-h|--help)
		sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
		;;
	*)
		echo "usage: $0 [--check | --if-missing | --list]" >&2
		exit 2
		;;
	esac
}

main "$@"
