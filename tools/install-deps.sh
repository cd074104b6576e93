#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/install-deps.sh: installs, from Debian 12's own repositories, every
# package l2tpsec needs to build, test (QEMU, TCG: no KVM needed) and demo.
# Run as root on a fresh Debian 12 machine. Idempotent.
set -euo pipefail

PACKAGES=(
	# build: module and userspace
	build-essential linux-headers-amd64 pkg-config
	libnl-genl-3-dev libssl-dev libinih-dev
	# native tests and analysis
	libcmocka-dev valgrind sparse clang libclang-rt-14-dev
	# make lint (tools/lint.sh): checkpatch.pl comes from linux-source-6.12,
	# the ESP known-answer generator needs python3-cryptography
	linux-source-6.12 perl python3-cryptography
	# make dkms-install, tools/dkms-check.sh
	dkms
	# the debug kernel (tools/vm/build-debug-kernel.sh), per-kernel module
	# builds (tools/vm/build-module.sh)
	bc flex bison libelf-dev rsync dwarves
	# the test VM (tools/vm/)
	qemu-system-x86 busybox-static kmod cpio xz-utils zstd binutils
	# in the VM (the host's root is the guest's): network and peers
	iproute2 iputils-ping procps nftables tcpdump iperf3
	strongswan libstrongswan-standard-plugins xl2tpd ppp python3-scapy python3-yaml openssl
	# misc
	git ca-certificates
)

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: run as root (apt-get install)" >&2
	exit 1
fi
if ! grep -qs 'VERSION_ID="12"' /etc/os-release; then
	echo "install-deps: warning: written for Debian 12 (bookworm); trying anyway" >&2
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y "${PACKAGES[@]}"
