#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/build-debug-kernel.sh [--print] [--jobs N]
#
# Builds a small x86_64 debug kernel (KASAN, lockdep, kmemleak, KUnit) from
# Debian's linux-source-6.12 for the QEMU runner, and prints where it is:
#
#   KDIR=...     build tree: `make -C $KDIR M=...` builds a module against it
#   BZIMAGE=...  for tools/vm/run.sh --kernel
#   MODULES=...  for tools/vm/run.sh --modules (lib/modules/<kver>)
#   KVER=...
#
# (eval-able: eval "$(tools/vm/build-debug-kernel.sh | grep -E '^[A-Z]+=')")
#
# The config is allnoconfig + tools/vm/debug-kernel.config (merged with the
# kernel's scripts/kconfig/merge_config.sh); every option the fragment sets
# must survive the merge, or the script fails and lists the ones dropped.
# Everything is built in, so the modules tree holds only modules.builtin and
# an empty modules.dep.
#
# Cache: ${L2TPSEC_CACHE:-/var/cache/l2tpsec}/debug-kernel/
#   src/<pkgver>/linux-source-6.12   pristine source (shared by all keys)
#   <key>/build                       the O= build tree (KDIR)
#   <key>/boot/{bzImage,config-<kver>}
#   <key>/modules/lib/modules/<kver>
#   <key>/env                         the KEY=value lines printed at the end
# <key> is a sha256 of this script, the fragment and the linux-source-6.12
# package version. A second run finds <key>/env and only prints it. A new
# key starts from a copy of the previous key's build tree (an incremental
# build), and the previous key is removed once the new one is built.
#
# Options:
#   --print    only print the cached paths; exit 1 when not built yet
#   --jobs N   make -jN (default: number of CPUs)
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRIPT=$VM_DIR/$(basename "${BASH_SOURCE[0]}")
FRAGMENT=$VM_DIR/debug-kernel.config
CACHE=${L2TPSEC_CACHE:-/var/cache/l2tpsec}/debug-kernel
PKG=linux-source-6.12
TARBALL=/usr/src/linux-source-6.12.tar.xz
JOBS=$(nproc)
PRINT_ONLY=

die() { echo "build-debug-kernel: $*" >&2; exit 1; }
info() { echo "build-debug-kernel: $*" >&2; }

while [ $# -gt 0 ]; do
	case $1 in
	--print) PRINT_ONLY=1 ;;
	--jobs) JOBS=${2:?--jobs needs a number}; shift ;;
	-h|--help) sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 2 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

pkg_version() {
	dpkg-query -W -f='${Status} ${Version}\n' "$PKG" 2>/dev/null |
		awk '$3 == "installed" { print $4 }'
}

ensure_source_pkg() {
	PKGVER=$(pkg_version)
	if [ -z "$PKGVER" ] || [ ! -r "$TARBALL" ]; then
		[ -n "$PRINT_ONLY" ] && die "$PKG is not installed"
		info "installing $PKG (and the kernel build dependencies)"
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q "$PKG" >&2 ||
			{ apt-get update -q >&2 && apt-get install -y -q "$PKG" >&2; } ||
			die "apt-get install $PKG failed"
		PKGVER=$(pkg_version)
	fi
	[ -n "$PKGVER" ] && [ -r "$TARBALL" ] || die "$PKG installed but $TARBALL missing"
}

ensure_build_deps() {
	local missing=() t
	for t in gcc make bc flex bison perl xz rsync depmod; do
		command -v "$t" >/dev/null || missing+=("$t")
	done
	[ -e /usr/include/libelf.h ] || missing+=(libelf-dev)
	[ -e /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
	[ ${#missing[@]} -eq 0 ] && return
	info "installing build dependencies (missing: ${missing[*]})"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q gcc make bc flex \
		bison perl xz-utils rsync kmod libelf-dev libssl-dev >&2 ||
		die "cannot install the kernel build dependencies"
}

# Prints the options the fragment asks for that the final .config lacks.
check_config() {
	local frag=$1 config=$2 line sym want have
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			want=$line
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			want=
			;;
		*) continue ;;
		esac
		have=$(grep -E "^$sym=" "$config" || true)
		if [ -n "$want" ] && [ "$have" != "$want" ]; then
			echo "  $want (got: ${have:-not set})"
		elif [ -z "$want" ] && [ -n "$have" ]; then
			echo "  $sym not set (got: $have)"
		fi
	done <"$frag"
}

print_env() {
	cat "$1"
}

main() {
	ensure_source_pkg
	local key dir src build kver start end rc
	key=$({ cat "$SCRIPT" "$FRAGMENT"; echo "$PKG $PKGVER"; } | sha256sum | cut -c1-16)
	dir=$CACHE/$key

	if [ -s "$dir/env" ]; then
		info "cached: $dir (build took $(cat "$dir/build-seconds" 2>/dev/null || echo '?') s)"
		print_env "$dir/env"
		return 0
	fi
	[ -n "$PRINT_ONLY" ] && die "not built yet (would be $dir)"
	ensure_build_deps

	mkdir -p "$CACHE"
	exec 9>"$CACHE/.lock-$key"
	if ! flock -n 9; then
		info "another build of $key is running; waiting for it"
		flock 9
		if [ -s "$dir/env" ]; then
			print_env "$dir/env"
			return 0
		fi
	fi

	start=$(date +%s)
	src=$CACHE/src/$PKGVER/linux-source-6.12
	if [ ! -e "$src/.l2tpsec-extracted" ]; then
		info "extracting $TARBALL"
		rm -rf "$CACHE/src/$PKGVER"
		mkdir -p "$CACHE/src/$PKGVER"
		tar -C "$CACHE/src/$PKGVER" -xJf "$TARBALL"
		[ -f "$src/Makefile" ] || die "unexpected layout in $TARBALL"
		touch "$src/.l2tpsec-extracted"
	fi

	build=$dir/build
	# Another finished build of the same source seeds this one: make then
	# recompiles only what the changed options touch (minutes, not most
	# of an hour).
	if [ ! -d "$build" ]; then
		local other
		for other in "$CACHE"/*/env; do
			[ -s "$other" ] || continue
			other=$(dirname "$other")
			[ "$(readlink "$other/build/source" 2>/dev/null)" = "$src" ] || continue
			info "seeding the build tree from $other"
			mkdir -p "$dir"
			rm -rf "$build.tmp"
			cp -a "$other/build" "$build.tmp" || die "cannot copy $other/build"
			# tools/ (objtool) records absolute output paths: a stale one
			# rebuilds objtool, and every object depends on objtool.
			grep -rlIZ -F "$other/build" "$build.tmp" 2>/dev/null |
				xargs -0 -r sed -i "s|$other/build|$build|g"
			mv "$build.tmp" "$build"
			break
		done
	fi
	mkdir -p "$build" "$dir/boot"
	info "configuring in $build"
	# allnoconfig + fragment; -m: merge only, then olddefconfig-like resolve
	# through allnoconfig with KCONFIG_ALLCONFIG so unlisted options stay off.
	(cd "$src" && scripts/kconfig/merge_config.sh -n -O "$build" "$FRAGMENT") \
		>"$dir/merge.log" 2>&1 || { cat "$dir/merge.log" >&2; die "merge_config.sh failed"; }
	local dropped
	dropped=$(check_config "$FRAGMENT" "$build/.config")
	if [ -n "$dropped" ]; then
		grep -A3 -E 'Value requested|not in final' "$dir/merge.log" >&2 || true
		echo "build-debug-kernel: options of $FRAGMENT missing from the final .config" >&2
		echo "(an unmet dependency; fix the fragment):" >&2
		echo "$dropped" >&2
		exit 1
	fi

	info "building bzImage and modules with -j$JOBS (log: $dir/build.log)"
	rc=0
	make -C "$src" O="$build" -j"$JOBS" bzImage modules >"$dir/build.log" 2>&1 || rc=$?
	if [ $rc -ne 0 ]; then
		grep -E 'error|Error' "$dir/build.log" | head -n 40 >&2
		tail -n 20 "$dir/build.log" >&2
		die "kernel build failed (full log: $dir/build.log)"
	fi
	kver=$(cat "$build/include/config/kernel.release")
	rm -rf "$dir/modules"
	make -C "$src" O="$build" INSTALL_MOD_PATH="$dir/modules" DEPMOD=/bin/true \
		modules_install >>"$dir/build.log" 2>&1 || die "modules_install failed"
	# modules_install links build/ and source/ to the tree; keep them out.
	rm -f "$dir/modules/lib/modules/$kver/build" "$dir/modules/lib/modules/$kver/source"
	depmod -b "$dir/modules" "$kver" || die "depmod failed"
	cp "$build/arch/x86/boot/bzImage" "$dir/boot/bzImage"
	# run.sh reads config-<kver> beside the image (PVH: boot the vmlinux).
	cp "$build/.config" "$dir/boot/config-$kver"
	end=$(date +%s)
	echo $((end - start)) >"$dir/build-seconds"

	{
		echo "KDIR=$build"
		echo "BZIMAGE=$dir/boot/bzImage"
		echo "MODULES=$dir/modules/lib/modules/$kver"
		echo "KVER=$kver"
	} >"$dir/env.tmp"
	mv "$dir/env.tmp" "$dir/env"
	info "built $kver in $((end - start)) s"
	# Older debug kernels (other keys) are of no use any more.
	local old
	for old in "$CACHE"/*/; do
		old=${old%/}
		case $(basename "$old") in src|"$key") continue ;; esac
		[ -e "$old/env" ] || [ -d "$old/build" ] || continue
		info "removing the outdated $old"
		rm -rf "$old" "$CACHE/.lock-$(basename "$old")"
	done
	print_env "$dir/env"
}

main
