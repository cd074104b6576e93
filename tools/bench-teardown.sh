#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench-teardown.sh: how long deleting a loaded device takes. Prints
# figures; it is not a test.
#
#   tools/bench-teardown.sh [--kernel 6.1|6.12] [--sizes "1000 10000"]
#                           [--module KO]...
#
# One VM run (tools/vm/run.sh). For each module (default: this tree's,
# built by tools/vm/build-module.sh; --module, repeatable, compares others,
# e.g. a build of an older commit) and each size N: a device with N peers,
# each with an outbound and an inbound AES-GCM SA and one session with its
# own IPv4 address (what N logged-in clients leave in the module), created
# over raw generic netlink in batches; then the wall-clock time of
# `ip link del` of the device, and, with the same objects created again,
# of `rmmod l2tpsec` (the namespace's devices go with the module). Both
# run under RTNL: a teardown that grows faster than N stalls every other
# network configuration on the host that long.
#
# Under QEMU's software emulation absolute numbers mean little: compare
# sizes (linear: 10 times the sessions, about 10 times the time) and
# modules, in the same run.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNEL=6.1
SIZES="1000 10000"
MODULES=()
MODE=vm

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KERNEL=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--module) MODULES+=("$(realpath "$2")"); shift ;;
	--guest) MODE=guest ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--sizes \"N...\"] [--module KO]..." >&2
	   exit 2 ;;
	esac
	shift
done

if [ "$MODE" = vm ]; then
	own=$("$TOP/tools/vm/build-module.sh" "$KERNEL" | tail -n 1)
	MODULES=("$own" "${MODULES[@]}")
	shares=()
	for m in "${MODULES[@]}"; do
		shares+=(--share "$(dirname "$m")")
	done
	exec "$TOP/tools/vm/run.sh" --kernel "$KERNEL" --timeout 3600 \
		--mem 3G "${shares[@]}" -- \
		"$TOP/tools/bench-teardown.sh" --guest --sizes "$SIZES" \
		$(printf -- '--module %q ' "${MODULES[@]}")
fi

# ---- in the guest ------------------------------------------------------------

# populate DEV N: N peers, 2N SAs, N sessions on DEV over generic netlink
# (tools/bench/populate.py, which tools/bench/mem.sh uses too)
populate() {
	python3 "$TOP/tools/bench/populate.py" "$TOP/include/uapi/linux/l2tpsec.h" "$1" "$2"
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

load() {
	local dep
	for dep in $(modinfo -F depends "$1" | tr , ' '); do
		modprobe "$dep"
	done
	insmod "$1" || { echo "bench-teardown: insmod $1 failed" >&2; exit 1; }
}

if grep -q '^l2tpsec ' /proc/modules; then
	rmmod l2tpsec
fi
for ko in "${MODULES[@]}"; do
	load "$ko"
	echo "# module $ko"
	for n in $SIZES; do
		ip link add l2tpsec0 type l2tpsec
		t0=$(now)
		populate l2tpsec0 "$n"
		t1=$(now)
		ip link del l2tpsec0
		t2=$(now)
		ip link add l2tpsec0 type l2tpsec
		populate l2tpsec0 "$n"
		t3=$(now)
		rmmod l2tpsec
		t4=$(now)
		printf '%6d sessions (%d peers, %d SAs): set-up %6s s  ip link del %6s s  rmmod %6s s\n' \
			"$n" "$n" $((2 * n)) "$(secs "$t0" "$t1")" \
			"$(secs "$t1" "$t2")" "$(secs "$t3" "$t4")"
		load "$ko"
	done
	rmmod l2tpsec
done
