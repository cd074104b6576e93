#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/fresh-check.sh [options]: `make check-fresh`, as TAP.
#
# Proves that tools/install-deps.sh installs everything the project needs,
# on this machine instead of in CI: in a minimal Debian 12 root made with
# debootstrap from Debian's own repositories (variant minbase: the
# Essential set and apt, no compiler, no make) it runs
# `tools/install-deps.sh --if-missing` (what `make check`, `make demo` and
# .ci/run run first), then builds and checks everything `make check`
# builds, one TAP line per stage:
#
#   deps          install-deps.sh --if-missing, then --check: nothing missing
#   commands      every command the QEMU stages, the demo and the selftests
#                 call (qemu-system-x86_64, busybox, ip, nft, charon, ...)
#                 is there (those stages are not run here: no QEMU)
#   user          make user (daemon and CLI)
#   native        make -C user check (the native units)
#   uapi          tools/ynl-check.py
#   module-6.1    tools/vm/build-module.sh 6.1 (Debian's headers, fetched
#   module-6.12   with apt-get download inside the root; 6.12 needs pahole)
#   lint          tools/lint.sh --no-debug (checkpatch from
#                 linux-source-6.12, sparse, W=1)
#   dkms          tools/dkms-check.sh 6.1 6.12
#   debug-kernel  the debug kernel's build prerequisites: linux-source-6.12
#                 extracted, allnoconfig + tools/vm/debug-kernel.config
#                 merged (every option of the fragment kept) and `make
#                 modules_prepare` (host programs, objtool) -- or, with
#                 --debug-kernel full, tools/vm/build-debug-kernel.sh and
#                 the module with its KUnit suites against it (~25 min)
#   install       make install/uninstall (tools/install-check.sh)
#   deb           the Debian packages and lintian (tools/deb-check.sh), once debian/
#                 exists
#
# A failing stage's log is printed, and every command or header it could
# not find is named with the Debian package that has it (looked up on this
# host with dpkg -S), e.g.
#   # missing: pahole (Debian package dwarves): add it to tools/install-deps.sh
# Ends with each stage's duration and `N passed, N failed`; exit status 0
# only when every stage passed. Logs: build/fresh-logs/<stage>.log.
#
# The root: debootstrap runs once per key, a sha256 of the bootstrap
# parameters (suite, variant, architecture, mirrors, debootstrap's
# version), into ${L2TPSEC_CACHE:-/var/cache/l2tpsec}/fresh-root/<key>/
# and is never changed afterwards: each run mounts an overlay over it (a
# copy with --copy, or where overlayfs is not available), so every run
# starts from the pristine minimal root. The package list does not enter
# the pristine root (install-deps.sh runs in the overlay), so it is not
# part of the key; the .deb files apt downloads are kept in
# fresh-root/apt-archives/ (hard-linked into the root's apt cache), so a
# rerun installs the same packages from scratch without downloading them
# again. The repository goes in as a copy of its tracked and untracked
# (not ignored) files, so uncommitted changes are tested, build/ is not.
# /proc, /sys, /dev and /dev/pts are mounted inside and unmounted on exit,
# whatever the exit; a policy-rc.d keeps packages from starting daemons,
# dpkg's force-unsafe-io spares the fsyncs of a root that is thrown away.
#
# Options:
#   --install-deps FILE  use FILE as tools/install-deps.sh in the root
#                        (e.g. a scratch copy with a package removed, to
#                        see this check fail naming it)
#   --debug-kernel MODE  prepare (default) or full (see above)
#   --stages "A B ..."   run only these stages (deps always runs)
#   --log-dir DIR        the stages' logs (default build/fresh-logs)
#   --keep               leave the run's root mounted-out in the cache
#                        (fresh-root/run.<pid>/) for a look inside
#   --copy               copy the pristine root instead of an overlay
#
# Environment: FRESH_MIRROR (default http://deb.debian.org/debian),
# FRESH_SECURITY_MIRROR (http://deb.debian.org/debian-security),
# L2TPSEC_CACHE. Needs root and debootstrap (in tools/install-deps.sh).
# Time, measured on the shared 2-core machine under a load of ~16 (other
# builds and QEMU): cold 76 min (debootstrap 4.5, install-deps 35, the
# builds 29); with the root and the .deb files cached install-deps took
# 27 min. Most of it is dpkg unpacking ~670 packages; a quiet machine
# does it much faster.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${L2TPSEC_CACHE:-/var/cache/l2tpsec}/fresh-root
MIRROR=${FRESH_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${FRESH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SUITE=bookworm
VARIANT=minbase
ARCH=amd64
LOG_DIR=$REPO/build/fresh-logs
DEPS_FILE=
DEBUG_MODE=prepare
ONLY_STAGES=
KEEP=
COPY=

# Inside the root
SRC=/root/l2tpsec
PATH_IN=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

die() { echo "fresh-check: $*" >&2; exit 1; }
info() { echo "# fresh-check: $*"; }

usage() {
	sed -n '4,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--install-deps) DEPS_FILE=$(realpath "${2:?--install-deps needs a file}"); shift ;;
	--debug-kernel) DEBUG_MODE=${2:?--debug-kernel needs prepare or full}; shift ;;
	--stages) ONLY_STAGES=${2:?--stages needs a list}; shift ;;
	--log-dir) LOG_DIR=$(realpath -m "${2:?--log-dir needs a directory}"); shift ;;
	--keep) KEEP=1 ;;
	--copy) COPY=1 ;;
	-h|--help) usage ;;
	*) echo "fresh-check: unknown option $1" >&2; usage ;;
	esac
	shift
done
case $DEBUG_MODE in prepare|full) ;; *) die "--debug-kernel: prepare or full, not '$DEBUG_MODE'" ;; esac
[ -z "$DEPS_FILE" ] || [ -f "$DEPS_FILE" ] || die "--install-deps $DEPS_FILE: no such file"
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, chroot, mount)"
command -v debootstrap >/dev/null ||
	die "debootstrap missing: tools/install-deps.sh --if-missing (or apt-get install debootstrap)"

# The pristine root for the current key: bootstraps it when missing.
# Prints its path.
pristine_root() {
	local key dir params
	params="suite=$SUITE variant=$VARIANT arch=$ARCH mirror=$MIRROR"
	params+=" security=$SECURITY_MIRROR $(debootstrap --version 2>/dev/null) format=1"
	key=$(echo "$params" | sha256sum | cut -c1-16)
	dir=$CACHE/$key
	mkdir -p "$CACHE"
	exec 8>"$CACHE/.lock-$key"
	flock 8
	if [ -e "$dir/.fresh-ok" ]; then
		info "cached root $dir ($params)" >&2
		echo "$dir"
		return
	fi
	info "bootstrapping $dir ($params)" >&2
	rm -rf "$dir.tmp"
	if ! debootstrap --variant="$VARIANT" --arch="$ARCH" "$SUITE" "$dir.tmp" \
		"$MIRROR" >"$CACHE/debootstrap-$key.log" 2>&1; then
		tail -n 30 "$CACHE/debootstrap-$key.log" >&2
		rm -rf "$dir.tmp"
		die "debootstrap failed (log: $CACHE/debootstrap-$key.log)"
	fi
	# the repositories of a fresh Debian 12 install
	cat >"$dir.tmp/etc/apt/sources.list" <<-EOF
		deb $MIRROR $SUITE main
		deb $MIRROR $SUITE-updates main
		deb $SECURITY_MIRROR $SUITE-security main
	EOF
	rm -rf "$dir.tmp"/var/cache/apt/archives/*.deb "$dir.tmp"/var/lib/apt/lists/*_Packages
	date -u +%FT%TZ >"$dir.tmp/.fresh-ok"
	mv "$dir.tmp" "$dir"
	echo "$dir"
}

RUN=
ROOT=
MOUNTS=()

# Processes whose root is the run's root (a daemon a package started
# despite policy-rc.d): their pids, one a line.
procs_in_root() {
	find /proc -mindepth 2 -maxdepth 2 -name root \( -lname "$ROOT" -o -lname "$ROOT/*" \) \
		2>/dev/null | cut -d/ -f3
}

cleanup() {
	local i p
	[ -n "$ROOT" ] || return 0
	for p in $(procs_in_root); do
		echo "# fresh-check: stopping pid $p left in the root: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" >&2
		kill "$p" 2>/dev/null || true
	done
	for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
		umount "${MOUNTS[$i]}" 2>/dev/null || umount -l "${MOUNTS[$i]}" ||
			echo "fresh-check: cannot unmount ${MOUNTS[$i]}" >&2
	done
	MOUNTS=()
	# this run's downloads, for the next runs
	if [ -d "$RUN/archives" ]; then
		find "$RUN/archives" -maxdepth 1 -name '*.deb' -links 1 \
			-exec ln -f -t "$CACHE/apt-archives" {} + 2>/dev/null || true
	fi
	if [ -n "$KEEP" ]; then
		echo "# fresh-check: kept $RUN (rm -rf it when done)" >&2
	elif [ -n "$RUN" ]; then
		# nothing may be mounted below it any more
		if grep -qF " $RUN/" /proc/mounts; then
			echo "fresh-check: $RUN still has mounts; not removed" >&2
		else
			rm -rf "$RUN"
		fi
	fi
	ROOT=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

do_mount() {
	local target=$1
	shift
	mount "$@" "$target" || die "mount $* $target failed"
	MOUNTS+=("$target")
}

setup_root() {
	local pristine=$1
	RUN=$CACHE/run.$$
	rm -rf "$RUN"
	mkdir -p "$RUN/root" "$RUN/upper" "$RUN/work"
	ROOT=$RUN/root
	if [ -z "$COPY" ] && mount -t overlay overlay \
		-o "lowerdir=$pristine,upperdir=$RUN/upper,workdir=$RUN/work" "$ROOT" 2>/dev/null; then
		MOUNTS+=("$ROOT")
		info "root: overlay over $pristine in $ROOT"
	else
		cp -a "$pristine/." "$ROOT/" || die "cannot copy $pristine"
		info "root: copy of $pristine in $ROOT"
	fi
	do_mount "$ROOT/proc" -t proc proc
	do_mount "$ROOT/sys" -t sysfs sysfs
	do_mount "$ROOT/dev" --bind /dev
	do_mount "$ROOT/dev/pts" --bind /dev/pts
	# the .deb files of earlier runs, hard links (apt locks its cache: each
	# run has its own, so that two runs can go at once)
	mkdir -p "$CACHE/apt-archives" "$RUN/archives/partial" "$ROOT/var/cache/apt/archives"
	find "$CACHE/apt-archives" -maxdepth 1 -name '*.deb' -exec ln -t "$RUN/archives" {} + ||
		die "cannot link $CACHE/apt-archives/*.deb into $RUN/archives"
	do_mount "$ROOT/var/cache/apt/archives" --bind "$RUN/archives"
	rm -f "$ROOT/etc/resolv.conf"
	cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
	# a chroot has no init: no package may start its daemon in here
	printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
	chmod 755 "$ROOT/usr/sbin/policy-rc.d"
	# no fsync per file: the root is thrown away (dpkg unpacks twice as
	# fast on a busy machine)
	echo force-unsafe-io >"$ROOT/etc/dpkg/dpkg.cfg.d/fresh-check-unsafe-io"
	# the repository: tracked and untracked files, not the ignored ones
	mkdir -p "$ROOT$SRC"
	if git -C "$REPO" rev-parse --show-toplevel >/dev/null 2>&1; then
		git -C "$REPO" ls-files -z -c -o --exclude-standard |
			rsync -a --from0 --files-from=- --ignore-missing-args "$REPO/" "$ROOT$SRC/"
	else
		rsync -a --exclude=/build/ --exclude=/.git "$REPO/" "$ROOT$SRC/"
	fi
	if [ -n "$DEPS_FILE" ]; then
		cp "$DEPS_FILE" "$ROOT$SRC/tools/install-deps.sh"
		info "tools/install-deps.sh in the root is $DEPS_FILE"
	fi
}

# Runs "$@" (a shell command line) in the root, in the repository copy.
in_root() {
	chroot "$ROOT" /usr/bin/env -i PATH="$PATH_IN" HOME=/root LANG=C.UTF-8 \
		TERM=dumb USER=root SHELL=/bin/bash /bin/bash -c "cd $SRC && $*"
}

N=0
FAIL=0
TIMES=()
SUMMARY=()

# Names what stage log $1 shows missing: commands the shell did not find,
# headers the compiler did not find, pkg-config modules; with the package
# of this host that has them.
name_missing() {
	local log=$1 kind what pkg
	local -a items=() pats=()
	mapfile -t items < <({
		# the commands stage names the package itself
		sed -n -E 's/^\(.*package ([^)]+)\) ([^ ]+): not found$/known \2 \1/p' "$log"
		grep -v '^(' "$log" |
			sed -n -E 's/.*(^|[: ])([A-Za-z0-9_.+-]+): (command )?not found$/cmd \2/p'
		sed -n -E 's/.*(^|[: ])([A-Za-z0-9_.+/-]+): No such file or directory$/cmd \2/p' "$log" |
			grep -v -E '/|\.(c|h|o|ko|log)$' || true
		sed -n -E 's/.*fatal error: ([A-Za-z0-9_.+/-]+\.h): No such file or directory.*/hdr \1/p' "$log"
		sed -n -E "s/.*Package '?([A-Za-z0-9_.+-]+)'?,? (was )?not found.*/pc \1/p" "$log"
		sed -n -E 's/^E: Unable to locate package ([^ ]+).*/pkg \1/p' "$log"
	} | sort -u)
	[ ${#items[@]} -gt 0 ] || return 0
	# one dpkg -S for all of them (each call reads every file list)
	for what in "${items[@]}"; do
		read -r kind what _ <<<"$what"
		case $kind in
		cmd) pats+=("bin/$what") ;;
		hdr) pats+=("include/$what") ;;
		pc) pats+=("pkgconfig/$what.pc") ;;
		esac
	done
	local owners=
	[ ${#pats[@]} -eq 0 ] || owners=$(dpkg -S "${pats[@]}" 2>/dev/null || true)
	for what in "${items[@]}"; do
		read -r kind what pkg <<<"$what"
		case $kind in
		cmd) pkg=$(grep -E "^[^:]+: .*/s?bin/$what\$" <<<"$owners" | head -n1 | cut -d: -f1) ;;
		hdr) pkg=$(grep -F "include/$what" <<<"$owners" | head -n1 | cut -d: -f1) ;;
		pc) pkg=$(grep -F "pkgconfig/$what.pc" <<<"$owners" | head -n1 | cut -d: -f1) ;;
		pkg)
			echo "no Debian 12 package $what: fix its name in tools/install-deps.sh"
			continue
			;;
		esac
		echo "missing: $what${pkg:+ (Debian package $pkg)}: add it to tools/install-deps.sh"
	done
}

selected() {
	[ -z "$ONLY_STAGES" ] || [ "$1" = deps ] && return 0
	case " $ONLY_STAGES " in *" $1 "*) return 0 ;; esac
	return 1
}

# stage NAME COMMAND-LINE: runs it in the root, one TAP line. Returns
# the command's status.
stage() {
	local name=$1 cmd=$2 rc=0 start secs log=$LOG_DIR/$1.log m f
	selected "$name" || return 0
	N=$((N + 1))
	echo "# $name: $(head -n1 <<<"$cmd")"
	touch "$RUN/stamp"
	start=$(date +%s)
	in_root "$cmd" >"$log" 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
	TIMES+=("$(printf '%-13s %5ds  %s' "$name" "$secs" "$([ $rc -eq 0 ] && echo ok || echo FAILED)")")
	if [ $rc -eq 0 ]; then
		echo "ok $N $name # ${secs}s"
		return 0
	fi
	FAIL=$((FAIL + 1))
	echo "not ok $N $name (exit $rc) # ${secs}s"
	# the sub-check's own failing TAP lines, else the log's end
	if grep -q '^not ok' "$log"; then
		grep -A12 '^not ok' "$log" | sed 's/^/#   /'
	else
		tail -n 40 "$log" | sed 's/^/#   /'
	fi
	# and the kernel builds' own logs (build-module.sh shows only part)
	m=$(name_missing "$log"
		find "$ROOT$SRC/build" -name build.log -newer "$RUN/stamp" 2>/dev/null |
			while read -r f; do name_missing "$f"; done)
	m=$(sort -u <<<"$m")
	if [ -n "$m" ]; then
		sed 's/^/# /' <<<"$m"
		SUMMARY+=("$name: $(tr '\n' ';' <<<"$m" | sed 's/;$//; s/;/; /g')")
	else
		SUMMARY+=("$name: failed (log: $log)")
	fi
	return $rc
}

skip() {
	selected "$1" || return 0
	N=$((N + 1))
	echo "ok $N $1 # SKIP $2"
}

# The commands the QEMU stages (tools/vm/run.sh, run-selftests.sh), the
# demo and the selftests run, with their package: the stages that use them
# need QEMU, so here they are only looked for.
COMMANDS="
qemu-system-x86_64 qemu-system-x86
busybox busybox-static
cpio cpio
modprobe kmod
depmod kmod
modinfo kmod
readelf binutils
xz xz-utils
zstd zstd
ip iproute2
ping iputils-ping
nft nftables
tcpdump tcpdump
iperf3 iperf3
ipsec strongswan
ss iproute2
timeout coreutils
unshare util-linux
nsenter util-linux
xl2tpd xl2tpd
pppd ppp
openssl openssl
valgrind valgrind
clang clang
sparse sparse
pahole dwarves
git git
flock util-linux
"

# shellcheck disable=SC2016 # the lines are for the shell in the root
commands_script() {
	local cmd pkg
	echo 'm=0'
	while read -r cmd pkg; do
		[ -n "$cmd" ] || continue
		echo "command -v $cmd >/dev/null || { echo \"(package $pkg) $cmd: not found\"; m=1; }"
	done <<<"$COMMANDS"
	# busybox must be static (the guest's initramfs), python3's modules
	echo 'if command -v busybox >/dev/null && ! LC_ALL=C readelf -l "$(command -v busybox)" 2>/dev/null | grep -q "Requesting program interpreter" ; then :; else echo "(a static one, package busybox-static) busybox: not found"; m=1; fi'
	echo 'for mod in scapy.all yaml cryptography; do /usr/bin/python3 -c "import $mod" 2>/dev/null || { echo "python3 module $mod: not found"; m=1; }; done'
	echo 'for f in charon starter stroke; do [ -x /usr/lib/ipsec/$f ] || { echo "(package strongswan) /usr/lib/ipsec/$f: not found"; m=1; }; done'
	echo 'exit $m'
}

# The debug kernel's build prerequisites, without its 20+ minute build:
# the source, the merged config (each option of the fragment kept) and
# modules_prepare (host programs, objtool: needs flex, bison, bc, libelf,
# libssl). The same commands tools/vm/build-debug-kernel.sh runs, but
# without its fallback `apt-get install` of what is missing, which would
# hide a gap in the list.
debug_prepare_script() {
	cat <<-'EOF'
		set -e
		tarball=/usr/src/linux-source-6.12.tar.xz
		[ -r $tarball ] || { echo "$tarball: not found (package linux-source-6.12)"; exit 1; }
		rm -rf /root/dbg && mkdir -p /root/dbg/build
		tar -C /root/dbg -xJf $tarball
		cd /root/dbg/linux-source-6.12
		scripts/kconfig/merge_config.sh -n -O /root/dbg/build /root/l2tpsec/tools/vm/debug-kernel.config >/root/dbg/merge.log 2>&1 ||
			{ cat /root/dbg/merge.log; exit 1; }
		bad=0
		while IFS= read -r l; do
			case $l in CONFIG_*=*) grep -qxF "$l" /root/dbg/build/.config ||
				{ echo "config: $l missing from the merged .config"; bad=1; } ;;
			esac
		done </root/l2tpsec/tools/vm/debug-kernel.config
		[ $bad -eq 0 ]
		echo "merged: $(grep -c '=y' /root/dbg/build/.config) options =y"
		make O=/root/dbg/build -j$(nproc) modules_prepare
		echo "modules_prepare done: $(cat /root/dbg/build/include/config/kernel.release)"
	EOF
}

debug_full_script() {
	cat <<-'EOF'
		set -e
		log=$(mktemp)
		tools/vm/build-debug-kernel.sh 2>&1 | tee $log
		# its own apt-get install of what is missing would hide a gap
		if grep -E 'build-debug-kernel: installing' $log; then
			sed -n 's/.*(missing: \(.*\))/\1/p' $log | tr ' ' '\n' | sed 's/$/: not found/'
			exit 1
		fi
		tools/vm/build-module.sh --kunit debug
	EOF
}

main() {
	local pristine start t
	start=$(date +%s)
	rm -rf "$LOG_DIR"
	mkdir -p "$LOG_DIR"
	echo "TAP version 13"
	pristine=$(pristine_root)
	setup_root "$pristine"

	if ! stage deps 'bash tools/install-deps.sh --if-missing && bash tools/install-deps.sh --check'; then
		echo "Bail out! tools/install-deps.sh failed: nothing else can be tried"
	else
		stage commands "$(commands_script)" || true
		stage user 'make user' || true
		stage native 'make -C user check' || true
		stage uapi '/usr/bin/python3 tools/ynl-check.py' || true
		stage module-6.1 'tools/vm/build-module.sh 6.1' || true
		stage module-6.12 'tools/vm/build-module.sh 6.12' || true
		stage lint 'tools/lint.sh --no-debug' || true
		stage dkms 'tools/dkms-check.sh 6.1 6.12' || true
		stage install 'tools/install-check.sh' || true
		if [ "$DEBUG_MODE" = full ]; then
			stage debug-kernel "$(debug_full_script)" || true
		else
			stage debug-kernel "$(debug_prepare_script)" || true
		fi
		if [ -f "$REPO/debian/control" ]; then
			stage deb 'dpkg-checkbuilddeps && tools/deb-check.sh' || true
		else
			skip deb "no debian/ packaging yet"
		fi
	fi
	cleanup
	echo "1..$N"
	echo "# durations:"
	for t in "${TIMES[@]}"; do
		echo "#   $t"
	done
	echo "#   total         $(($(date +%s) - start))s"
	for t in "${SUMMARY[@]}"; do
		echo "# FAILED $t"
	done
	echo "$((N - FAIL)) passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

main "$@"; exit
