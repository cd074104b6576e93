#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/fetch-kernel.sh [--headers] [6.1|6.12]
#
# Fetches Debian's stock kernel image package with `apt-get download`,
# extracts it with `dpkg-deb -x` into a cache directory keyed by the package
# name and version, runs depmod on the extracted modules tree and prints the
# tree's path (stdout, one line). The tree holds boot/vmlinuz-<kver>,
# lib/modules/<kver>/ and two small files written here: `kver` (the kernel
# release) and `headers` (the path of the matching linux-headers tree: the
# installed one, else one this script extracts into the cache, so the module
# can be built against that kernel with `make KDIR=$(cat <tree>/headers)`).
#
# With --headers the headers path is printed instead of the tree path.
#
# Idempotent: when the tree for the current package version is in the cache,
# nothing is downloaded.  Cache root: ${L2TPSEC_CACHE:-/var/cache/l2tpsec}.
set -euo pipefail

CACHE_ROOT=${L2TPSEC_CACHE:-/var/cache/l2tpsec}

die() { echo "fetch-kernel: $*" >&2; exit 1; }
info() { [ -n "${QUIET:-}" ] || echo "fetch-kernel: $*" >&2; }

usage() {
	echo "usage: $0 [--headers] [6.1|6.12]" >&2
	exit 2
}

need_tools() {
	command -v apt-get >/dev/null || die "apt-get missing: this script needs a Debian 12 host"
	command -v dpkg-deb >/dev/null || die "dpkg-deb missing: apt-get install dpkg"
	command -v depmod >/dev/null || die "depmod missing: apt-get install kmod"
}

# apt-cache knows nothing before the first `apt-get update`.
ensure_apt_lists() {
	if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
		info "apt lists empty, running apt-get update"
		apt-get update -qq >&2 || die "apt-get update failed: check /etc/apt/sources.list"
	fi
}

# The real (versioned) image package behind a meta package, e.g.
# linux-image-amd64 -> linux-image-6.1.0-56-amd64.
resolve_meta() {
	local meta=$1
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1
}

# Prints the binary package name holding the image for series 6.1 or 6.12.
resolve_image_pkg() {
	local series=$1 pkg=""
	case $series in
	6.1)
		pkg=$(resolve_meta linux-image-amd64)
		;;
	6.12)
		pkg=$(resolve_meta linux-image-6.12-amd64)
		if [ -z "$pkg" ]; then
			pkg=$(apt-cache pkgnames linux-image-6.12. |
				grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
				sort -V | tail -n1)
		fi
		;;
	*)
		die "unknown kernel series '$series': use 6.1 or 6.12"
		;;
	esac
	[ -n "$pkg" ] || die "cannot resolve the Debian image package for $series: run apt-get update"
	# Prefer the unsigned flavour: same kernel, no signature appended.
	if apt-cache show "$pkg-unsigned" >/dev/null 2>&1; then
		pkg=$pkg-unsigned
	fi
	echo "$pkg"
}

candidate_version() {
	apt-cache policy "$1" | sed -n 's/^ *Candidate: *//p' | head -n1
}

# kver from the package name: linux-image-<kver>[-unsigned]
kver_of_pkg() {
	local p=${1#linux-image-}
	echo "${p%-unsigned}"
}

# Headers for building the module against <kver>. Uses the installed
# /usr/src/linux-headers-<kver> when there is one. Otherwise the headers,
# their -common part and linux-kbuild are downloaded and extracted into the
# cache tree: `apt-get install linux-headers-<kver>` would also install that
# kernel image on the host (a Depends of the 6.12 headers) and make it the
# default GRUB entry on a developer's machine.
ensure_headers() {
	local kver=$1 tree=$2
	local dir=/usr/src/linux-headers-$kver
	if [ -e "$dir/Makefile" ] && [ -z "${L2TPSEC_CACHED_HEADERS:-}" ]; then
		echo "$dir"
		return
	fi
	dir=$tree/usr/src/linux-headers-$kver
	if [ -e "$dir/.l2tpsec-ok" ]; then
		echo "$dir"
		return
	fi
	local pkgs tmp deb
	pkgs="linux-headers-$kver $(apt-cache depends "linux-headers-$kver" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(headers-.*-common\|kbuild-.*\)\)$/\1/p' | tr '\n' ' ')"
	info "downloading $pkgs"
	tmp=$(mktemp -d "$CACHE_ROOT/tmp.XXXXXX")
	chmod 755 "$tmp"  # apt-get download drops to user _apt
	# shellcheck disable=SC2086
	(cd "$tmp" && apt-get download -q $pkgs >&2) ||
		{ rm -rf "$tmp"; die "apt-get download $pkgs failed: run apt-get update"; }
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tree" || { rm -rf "$tmp"; die "dpkg-deb -x $deb failed"; }
	done
	rm -rf "$tmp"
	[ -e "$dir/Makefile" ] || die "linux-headers-$kver extracted but $dir/Makefile missing"
	# The arch Makefile includes the -common one by absolute path.
	sed -i "s|^include /usr/src/|include $tree/usr/src/|" "$dir/Makefile"
	touch "$dir/.l2tpsec-ok"
	echo "$dir"
}

fetch_tree() {
	local pkg=$1 ver=$2 kver=$3 tree=$4
	local tmp
	tmp=$(mktemp -d "$CACHE_ROOT/tmp.XXXXXX")
	chmod 755 "$tmp"  # apt-get download drops to user _apt
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	info "downloading $pkg=$ver"
	(cd "$tmp" && apt-get download -q "$pkg=$ver" >&2) ||
		die "apt-get download $pkg=$ver failed: check network access to the Debian mirror"
	mkdir "$tmp/tree"
	dpkg-deb -x "$tmp"/*.deb "$tmp/tree" || die "dpkg-deb -x failed on $pkg"
	# bookworm ships modules in /lib; newer packages in /usr/lib.
	if [ ! -d "$tmp/tree/lib/modules/$kver" ] && [ -d "$tmp/tree/usr/lib/modules/$kver" ]; then
		ln -s usr/lib "$tmp/tree/lib"
	fi
	[ -d "$tmp/tree/lib/modules/$kver" ] || die "$pkg has no lib/modules/$kver"
	[ -e "$tmp/tree/boot/vmlinuz-$kver" ] || die "$pkg has no boot/vmlinuz-$kver"
	depmod -b "$tmp/tree" "$kver" || die "depmod -b $tmp/tree $kver failed"
	echo "$kver" >"$tmp/tree/kver"
	echo "$pkg=$ver" >"$tmp/tree/package"
	rm -rf "$tree"
	mv "$tmp/tree" "$tree"
	rm -rf "$tmp"
	trap - EXIT
}

main() {
	local print=tree series=6.1
	while [ $# -gt 0 ]; do
		case $1 in
		--headers) print=headers ;;
		-h|--help) usage ;;
		-*) usage ;;
		*) series=$1 ;;
		esac
		shift
	done
	need_tools
	mkdir -p "$CACHE_ROOT/kernels" || die "cannot create $CACHE_ROOT: run as root or set L2TPSEC_CACHE"
	ensure_apt_lists

	local pkg="" ver="" mkey="" kver tree headers memo key
	# apt-cache takes ~2 s for the look-ups below: remember their answer
	# until the apt lists change (apt-get update).
	memo=$CACHE_ROOT/kernels/.resolved-$series
	key=$(ls -l --time-style=+%s /var/lib/apt/lists/ 2>/dev/null | md5sum | cut -c1-16)
	if [ -r "$memo" ] && read -r mkey pkg ver <"$memo" && [ "$mkey" = "$key" ]; then
		:
	else
		pkg=$(resolve_image_pkg "$series")
		ver=$(candidate_version "$pkg")
		[ -n "$ver" ] && [ "$ver" != "(none)" ] || die "no candidate version for $pkg"
		echo "$key $pkg $ver" >"$memo"
	fi
	kver=$(kver_of_pkg "$pkg")
	tree=$CACHE_ROOT/kernels/${pkg}_${ver}

	# One fetch at a time per cache (two test runs may start together).
	exec 9>"$CACHE_ROOT/kernels/.lock"
	flock 9
	if [ -e "$tree/kver" ]; then
		info "cached: $tree"
	else
		fetch_tree "$pkg" "$ver" "$kver" "$tree"
	fi
	headers=$(ensure_headers "$kver" "$tree")
	echo "$headers" >"$tree/headers"
	info "kernel $kver, headers $headers"
	if [ "$print" = headers ]; then
		echo "$headers"
	else
		echo "$tree"
	fi
}

main "$@"
