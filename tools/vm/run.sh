#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/run.sh [options] -- CMD...
#
# Boots a Debian kernel under QEMU (TCG, no KVM needed) with the host's root
# shared read-only over virtio-9p as the guest's root, runs CMD there with
# /bin/sh, streams its output to stdout and exits with its exit status.
#
# Options:
#   --kernel 6.1|6.12   Debian's stock kernel, fetched by fetch-kernel.sh
#                       (default 6.1)
#   --kernel PATH       a bzImage; needs --modules
#   --modules DIR       its modules: DIR is lib/modules/<kver> itself, or a
#                       tree holding lib/modules/<kver>
#   --module KO         insmod KO (after its dependencies) before CMD
#   --timeout S         kill the VM after S seconds (default 600)
#   --allow-splat       do not fail on WARNING/BUG/KASAN/... in dmesg
#   --mem SIZE          guest memory (default 2G)
#   --smp N             guest CPUs (default 2)
#   --console           copy the kernel console to stderr as it boots
#   --keep-results DIR  leave the results share (rc, dmesg, console.log) in DIR
#   --share DIR         keep host directory DIR visible in the guest even if
#                       under /tmp or another tmpfs (repeatable; the repo,
#                       the working directory and --module's are implicit)
#
# CMD: one argument is a shell command line (`run.sh -- 'a && b'`); several
# arguments are one command and its arguments (`run.sh -- uname -a`).
#
# In the guest: /tmp /var/tmp /var/log /run are empty tmpfs; /etc /var/lib
# /root are writable overlays of the host's; /lib/modules/<kver> is the
# kernel's modules tree; the working directory is the caller's, and the
# repository and the --module file stay visible even if under /tmp.
#
# Environment: L2TPSEC_CACHE (default /var/cache/l2tpsec) holds the kernels,
# initramfs images and extracted vmlinux files; L2TPSEC_VM_BZIMAGE=1 boots
# the bzImage instead of the vmlinux QEMU loads through PVH (~4 s faster);
# L2TPSEC_VM_APPEND adds kernel parameters (e.g. "kmemleak=on").
#
# Exit status: CMD's; 124 on timeout; 125 when the VM failed (boot, insmod);
# 126 when the command passed but dmesg shows a splat.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
CACHE_ROOT=${L2TPSEC_CACHE:-/var/cache/l2tpsec}
# extended regex of kernel log lines that fail a run (one line)
SPLAT_RE=$(cat "$VM_DIR/splat-regex")

KERNEL=6.1
MODULES=
MODULE=
TIMEOUT=600
ALLOW_SPLAT=
MEM=2G
SMP=2
CONSOLE=
KEEP_RESULTS=
SHARES=()

die() { echo "run.sh: $*" >&2; exit 125; }
info() { [ -z "${QUIET:-}" ] && echo "run.sh: $*" >&2 || true; }

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

parse_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		--kernel) KERNEL=${2:?--kernel needs 6.1, 6.12 or a bzImage path}; shift ;;
		--modules) MODULES=${2:?--modules needs a directory}; shift ;;
		--module) MODULE=${2:?--module needs a .ko path}; shift ;;
		--timeout) TIMEOUT=${2:?--timeout needs seconds}; shift ;;
		--allow-splat) ALLOW_SPLAT=1 ;;
		--mem) MEM=${2:?}; shift ;;
		--smp) SMP=${2:?}; shift ;;
		--console) CONSOLE=1 ;;
		--keep-results) KEEP_RESULTS=${2:?}; shift ;;
		--share) SHARES+=("$(realpath "${2:?--share needs a directory}")"); shift ;;
		-h|--help) usage ;;
		--) shift; break ;;
		*) echo "run.sh: unknown option '$1' (CMD goes after --)" >&2; usage ;;
		esac
		shift
	done
	[ $# -gt 0 ] || { echo "run.sh: no command given after --" >&2; usage; }
	CMD=("$@")
}

check_host() {
	command -v qemu-system-x86_64 >/dev/null ||
		die "qemu-system-x86_64 missing (no KVM needed): apt-get install qemu-system-x86"
	[ -x /bin/busybox ] || command -v busybox >/dev/null ||
		die "busybox missing: apt-get install busybox-static"
	BUSYBOX=$(command -v busybox || echo /bin/busybox)
	if ldd "$BUSYBOX" >/dev/null 2>&1; then
		die "$BUSYBOX is dynamically linked: apt-get install busybox-static"
	fi
	command -v cpio >/dev/null || die "cpio missing: apt-get install cpio"
	command -v modprobe >/dev/null || die "modprobe missing: apt-get install kmod"
}

# Sets KVER, BZIMAGE, MODDIR.
resolve_kernel() {
	case $KERNEL in
	6.1|6.12)
		local tree
		tree=$(QUIET=1 "$VM_DIR/fetch-kernel.sh" "$KERNEL") ||
			die "fetch-kernel.sh $KERNEL failed"
		KVER=$(cat "$tree/kver")
		BZIMAGE=$tree/boot/vmlinuz-$KVER
		MODDIR=$tree/lib/modules/$KVER
		;;
	*)
		[ -f "$KERNEL" ] || die "--kernel $KERNEL: not 6.1, 6.12 or a bzImage file"
		[ -n "$MODULES" ] || die "--kernel PATH needs --modules DIR (lib/modules/<kver>)"
		BZIMAGE=$(realpath "$KERNEL")
		MODDIR=$(realpath "$MODULES")
		if [ ! -e "$MODDIR/modules.dep" ]; then
			local d
			for d in "$MODDIR"/lib/modules/*/; do
				[ -e "$d/modules.dep" ] && MODDIR=$(realpath "$d")
			done
		fi
		[ -e "$MODDIR/modules.dep" ] ||
			die "no modules.dep under $MODULES: run depmod -b <tree> <kver>"
		KVER=$(basename "$MODDIR")
		;;
	esac
	[ -r "$BZIMAGE" ] || die "kernel image $BZIMAGE missing"
}

# Prints the uncompressed vmlinux ELF inside bzImage $1 to file $2.
decompress_bzimage() {
	local in=$1 out=$2 spec magic dec off
	for spec in 'xz -dcq:\xfd7zXZ\x00' 'zstd -dcq:\x28\xb5\x2f\xfd' 'gzip -dcq:\x1f\x8b\x08' \
		'lz4 -dcq:\x02\x21\x4c\x18' 'bzip2 -dcq:BZh'; do
		dec=${spec%%:*}
		magic=${spec#*:}
		command -v "${dec%% *}" >/dev/null || continue
		for off in $(LC_ALL=C grep -obUaP "$magic" "$in" 2>/dev/null | cut -d: -f1); do
			tail -c +$((off + 1)) "$in" | $dec >"$out" 2>/dev/null
			cmp -s -n 4 <(printf '\177ELF') "$out" && return 0
		done
	done
	return 1
}

# A kernel boots in ~2 s under TCG when QEMU loads the vmlinux ELF through
# its PVH entry, ~6 s when the guest decompresses a bzImage itself. Sets
# BOOT_IMAGE to a cached vmlinux when the kernel has PVH, else to BZIMAGE.
prepare_boot_image() {
	BOOT_IMAGE=$BZIMAGE
	[ -z "${L2TPSEC_VM_BZIMAGE:-}" ] || return 0
	local config key out
	config=$(dirname "$BZIMAGE")/config-$KVER
	if [ -r "$config" ] && ! grep -q '^CONFIG_PVH=y' "$config"; then
		return 0
	fi
	key=$(stat -c '%s-%Y' "$BZIMAGE")-$(echo "$BZIMAGE" | sha256sum | cut -c1-8)
	out=$CACHE_ROOT/vmlinux/vmlinux-$KVER-$key
	if [ ! -s "$out" ]; then
		mkdir -p "$CACHE_ROOT/vmlinux"
		if ! decompress_bzimage "$BZIMAGE" "$out.$$.tmp"; then
			rm -f "$out.$$.tmp"
			info "cannot extract vmlinux from $BZIMAGE, booting the bzImage (slower)"
			return 0
		fi
		mv "$out.$$.tmp" "$out"
	fi
	# QEMU needs the PVH entry note (Xen ELF note 18) to boot an ELF kernel.
	if command -v readelf >/dev/null && ! readelf -n "$out" 2>/dev/null | grep -q 'Xen.*0x00000012'; then
		info "$out has no PVH entry, booting the bzImage (slower)"
		return 0
	fi
	BOOT_IMAGE=$out
}

# The modules the initramfs loads to mount a 9p root, in load order, as
# absolute paths (those built in are left out). overlay is optional: without
# it /etc, /var/lib and /root are tmpfs copies.
initramfs_modules() {
	local base=${MODDIR%/lib/modules/*} tmp="" m rc=0
	if [ "$base" = "$MODDIR" ]; then
		# not a tree/lib/modules/<kver> layout: let modprobe see it as one
		tmp=$(mktemp -d)
		mkdir -p "$tmp/lib/modules"
		ln -s "$MODDIR" "$tmp/lib/modules/$KVER"
		base=$tmp
	fi
	{
		for m in virtio_pci virtio_console 9pnet_virtio 9p; do
			modprobe -d "$base" -S "$KVER" --show-depends "$m" ||
				{ echo "run.sh: module $m missing from $MODDIR" >&2; rc=1; }
		done
		modprobe -d "$base" -S "$KVER" --show-depends overlay 2>/dev/null || true
	} | awk -v base="$base" '$1 == "insmod" && !seen[$2]++ {
		p = $2; if (index(p, base) != 1) p = base p; print p }'
	[ -z "$tmp" ] || rm -rf "$tmp"
	return $rc
}

# Builds (or reuses) the initramfs; sets INITRD.
build_initramfs() {
	local mods key dir tmp m i=0
	mods=$(initramfs_modules) || die "cannot resolve the 9p modules in $MODDIR (modules.dep)"
	key=$( { echo "$KVER"; echo "$mods"; cat "$VM_DIR/guest-init" "$VM_DIR/guest-stage2";
		sha256sum "$BUSYBOX"; for m in $mods; do sha256sum "$m"; done; } | sha256sum | cut -c1-16)
	dir=$CACHE_ROOT/initramfs
	INITRD=$dir/$KVER-$key.cpio.gz
	[ -s "$INITRD" ] && return
	mkdir -p "$dir"
	tmp=$(mktemp -d)
	mkdir -p "$tmp/bin" "$tmp/lib/vm-modules" "$tmp/proc" "$tmp/sys" "$tmp/dev"
	cp "$BUSYBOX" "$tmp/bin/busybox"
	cp "$VM_DIR/guest-init" "$tmp/init"
	cp "$VM_DIR/guest-stage2" "$tmp/stage2"
	chmod 755 "$tmp/init"
	for m in $mods; do
		i=$((i + 1))
		local out
		out=$tmp/lib/vm-modules/$(printf %02d "$i")-$(basename "${m%%.ko*}").ko
		case $m in
		*.ko.xz) xz -dc "$m" >"$out" ;;
		*.ko.zst) zstd -qdc "$m" >"$out" ;;
		*.ko.gz) gzip -dc "$m" >"$out" ;;
		*) cp "$m" "$out" ;;
		esac || die "cannot decompress $m (apt-get install xz-utils zstd)"
	done
	(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) \
		>"$INITRD.$$.tmp" || die "cpio failed building the initramfs"
	mv "$INITRD.$$.tmp" "$INITRD"
	rm -rf "$tmp"
	info "built initramfs $INITRD"
}

shell_quote() {
	local s=$1
	printf "'%s'" "${s//\'/\'\\\'\'}"
}

# Writes config and cmd into the results directory.
write_guest_files() {
	local res=$1 keep="" cwd module="" a
	cwd=$(pwd -P)
	keep="$MODDIR /lib/modules/$KVER"$'\n'"$REPO $REPO"$'\n'"$cwd $cwd"
	if [ -n "$MODULE" ]; then
		[ -f "$MODULE" ] || die "--module $MODULE: no such file (run make first)"
		module=$(realpath "$MODULE")
		keep+=$'\n'"$(dirname "$module") $(dirname "$module")"
	fi
	for a in "${SHARES[@]}"; do
		[ -d "$a" ] || die "--share $a: not a directory"
		keep+=$'\n'"$a $a"
	done
	case $keep in *"'"*|*$'\t'*) die "paths with a quote or a tab are not supported";; esac
	while read -r a; do
		case $a in *" "*" "*) die "paths with spaces are not supported: $a";; esac
	done <<<"$keep"
	# parents before children (guest-init shows them in this order)
	keep=$(sort -u -k2,2 <<<"$keep")
	{
		echo "VM_KVER=$(shell_quote "$KVER")"
		echo "VM_HOSTNAME=l2tpsec-vm"
		echo "VM_CWD=$(shell_quote "$cwd")"
		echo "VM_MODULE=$(shell_quote "$module")"
		echo "VM_PORT_NAME=l2tpsec.out"
		echo "VM_KEEP=$(shell_quote "$keep")"
	} >"$res/config"
	if [ ${#CMD[@]} -eq 1 ]; then
		printf '%s\n' "${CMD[0]}" >"$res/cmd"
	else
		for a in "${CMD[@]}"; do
			printf '%s ' "$(shell_quote "$a")"
		done >"$res/cmd"
		echo >>"$res/cmd"
	fi
}

RES=
OUT_PID=
CON_PID=
cleanup() {
	[ -n "$OUT_PID" ] && kill "$OUT_PID" 2>/dev/null
	[ -n "$CON_PID" ] && kill "$CON_PID" 2>/dev/null
	if [ -n "$RES" ]; then
		if [ -n "$KEEP_RESULTS" ]; then
			mkdir -p "$KEEP_RESULTS" && cp -a "$RES/." "$KEEP_RESULTS/" 2>/dev/null
		fi
		rm -rf "$RES"
	fi
	return 0
}

run_qemu() {
	local res=$1 rc=0
	local append="console=ttyS0 panic=-1 mitigations=off quiet loglevel=4"
	append+=" rdinit=/init 8250.nr_uarts=1 tsc=reliable ${L2TPSEC_VM_APPEND:-}"
	# QEMU writes the command's output into a fifo that cat copies to our
	# stdout. fd 3 keeps a writer open so neither open() blocks, whether
	# or not QEMU gets as far as opening it; closing it lets cat end.
	mkfifo "$res/out.fifo"
	exec 3<>"$res/out.fifo"
	cat "$res/out.fifo" 3>&- &
	OUT_PID=$!
	: >"$res/console.log"
	if [ -n "$CONSOLE" ]; then
		tail -n +1 -f "$res/console.log" >&2 3>&- &
		CON_PID=$!
		append=${append/ quiet loglevel=4/ loglevel=7}
	fi
	timeout --kill-after=10 "$TIMEOUT" \
		qemu-system-x86_64 -accel tcg -cpu max -smp "$SMP" -m "$MEM" \
		-nodefaults -display none -no-reboot -no-user-config \
		-kernel "$BOOT_IMAGE" -initrd "$INITRD" -append "$append" \
		-serial "file:$res/console.log" \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		-fsdev local,id=results,path="$res",security_model=none \
		-device virtio-9p-pci,fsdev=results,mount_tag=results \
		-device virtio-serial-pci \
		-chardev file,id=out,path="$res/out.fifo" \
		-device virtserialport,chardev=out,name=l2tpsec.out \
		</dev/null >"$res/qemu.log" 2>&1 3>&- || rc=$?
	exec 3>&-
	# cat ends now that no writer is left
	wait "$OUT_PID" 2>/dev/null || true
	OUT_PID=
	return $rc
}

# User + system CPU seconds of every child waited for so far, from the
# output of `times` in file $1 (run in this shell: a $(...) subshell
# would count its own children only).
children_cpu() {
	awk 'NR == 2 {
		n = 0
		for (i = 1; i <= 2; i++) {
			split($i, t, "m")
			n += t[1] * 60 + t[2]
		}
		printf "%d", n
	}' "$1"
}

main() {
	parse_args "$@"
	check_host
	resolve_kernel
	build_initramfs
	prepare_boot_image
	RES=$(mktemp -d /tmp/l2tpsec-vm.XXXXXX)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	write_guest_files "$RES"

	local start qrc=0 rc
	start=$(date +%s%N)
	run_qemu "$RES" || qrc=$?
	local ms=$((($(date +%s%N) - start) / 1000000))
	times >"$RES/times"
	# The CPU time QEMU used (our children's, from the shell's `times`)
	# tells what a run costs on a machine that other jobs share.
	info "VM ran $((ms / 1000)).$((ms % 1000 / 100)) s ($KVER), $(children_cpu "$RES/times") s of CPU"

	if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
		echo "run.sh: timeout: the VM ran longer than ${TIMEOUT}s and was killed (--timeout S)" >&2
		tail -n 40 "$RES/console.log" >&2
		exit 124
	fi
	if [ ! -s "$RES/rc" ]; then
		echo "run.sh: the VM stopped without an exit status (qemu exit $qrc); console:" >&2
		tail -n 60 "$RES/console.log" >&2
		[ -s "$RES/qemu.log" ] && { echo "run.sh: qemu said:" >&2; cat "$RES/qemu.log" >&2; }
		exit 125
	fi
	rc=$(cat "$RES/rc")
	if [ -s "$RES/dmesg" ] && grep -Eq "$SPLAT_RE" "$RES/dmesg"; then
		local first
		first=$(grep -Enm1 "$SPLAT_RE" "$RES/dmesg" | cut -d: -f1)
		echo "run.sh: kernel splat in dmesg (from line $first; --keep-results DIR keeps it all):" >&2
		tail -n +"$((first > 5 ? first - 5 : 1))" "$RES/dmesg" | head -n 100 >&2
		if [ -z "$ALLOW_SPLAT" ]; then
			[ "$rc" -eq 0 ] && rc=126
			echo "run.sh: failing on the splat (--allow-splat to ignore)" >&2
		fi
	fi
	exit "$rc"
}

main "$@"
