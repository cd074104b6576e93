#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/mem.sh: kernel memory per client session. Prints figures;
# it is not a test.
#
#   tools/bench/mem.sh [--kernel 6.1|6.12] [--smp N] [--sizes "1000 10000"]
#                      [--module KO]...
#
# One VM run. For each module (this tree's first, built by
# tools/vm/build-module.sh; --module, repeatable, adds others, e.g. a
# build of an older commit, to compare in the same boot) and each size N:
# a device, then N peers, N outbound + N inbound AES-GCM-128 SAs and N
# sessions programmed over generic netlink (tools/bench/populate.py, what
# N logged-in clients leave in the module), a stage at a time. After each
# stage it reads /proc/meminfo (SUnreclaim: unreclaimable slab; Percpu)
# and /proc/slabinfo, and prints per client: the bytes each stage added
# in unreclaimable slab and per-CPU memory, and the slab caches that grew
# most (objects per client x object size), which names the allocations
# (kmalloc-cg-* are the module's own, charged to the memory cgroup;
# plain kmalloc-* are mostly the crypto API's transforms).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KERNEL=6.1
SMP=2
SIZES=1000
MODULES=()
MODE=vm

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KERNEL=$2; shift ;;
	--smp) SMP=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--module) MODULES+=("$(realpath "$2")"); shift ;;
	--guest) MODE=guest ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--smp N] [--sizes \"N...\"] [--module KO]..." >&2
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
	exec "$TOP/tools/vm/run.sh" --kernel "$KERNEL" --smp "$SMP" --timeout 1800 \
		--mem 3G "${shares[@]}" -- \
		"$TOP/tools/bench/mem.sh" --guest --sizes "$SIZES" \
		$(printf -- '--module %q ' "${MODULES[@]}")
fi

# ---- in the guest ------------------------------------------------------------

load() {
	local dep
	for dep in $(modinfo -F depends "$1" | tr , ' '); do
		modprobe "$dep"
	done
	insmod "$1" || { echo "mem: insmod $1 failed" >&2; exit 1; }
}

# snap FILE: meminfo and slabinfo now (after freed objects settled)
snap() {
	sleep 1
	{
		awk '/^(SUnreclaim|Percpu|Slab):/ { print "meminfo", $1, $2 * 1024 }' /proc/meminfo
		awk 'NR > 2 { print "slab", $1, $3 * $4 }' /proc/slabinfo
	} >"$1"
}

# delta BEFORE AFTER N WHAT: one line per stage, top slab caches
delta() {
	python3 - "$@" <<'PY'
import sys
def read(p):
    d = {}
    for line in open(p):
        kind, name, val = line.split()
        d[(kind, name.rstrip(":"))] = int(val)
    return d
a, b, n, what = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
su = (b[("meminfo", "SUnreclaim")] - a[("meminfo", "SUnreclaim")]) / n
pc = (b[("meminfo", "Percpu")] - a[("meminfo", "Percpu")]) / n
caches = sorted(((b.get(k, 0) - a.get(k, 0)) / n, k[1]) for k in b
                if k[0] == "slab")
top = ", ".join("%s %+.0f" % (name, v) for v, name in reversed(caches[-5:])
                if v >= 8)
print("  %-9s slab %+6.0f B  percpu %+6.0f B  per client   [%s]" %
      (what, su, pc, top))
print("MEMSTAGE %s %.0f %.0f" % (what, su, pc))
PY
}

if grep -q '^l2tpsec ' /proc/modules; then
	rmmod l2tpsec
fi
d=$(mktemp -d)
echo "# $(nproc) CPUs, kernel $(uname -r); bytes per client (a peer, two SAs, a session)"
for ko in "${MODULES[@]}"; do
	load "$ko"
	echo "# module $ko"
	for n in $SIZES; do
		ip link add l2tpsec0 type l2tpsec
		snap "$d/0"
		prev=0
		tot_s=0 tot_p=0
		for stage in peers sas sessions; do
			python3 "$TOP/tools/bench/populate.py" \
				"$TOP/include/uapi/linux/l2tpsec.h" l2tpsec0 "$n" "$stage"
			snap "$d/$stage"
			out=$(delta "$d/$prev" "$d/$stage" "$n" "$stage")
			echo "$out" | grep -v '^MEMSTAGE'
			read -r _ _ s p <<<"$(echo "$out" | grep '^MEMSTAGE')"
			tot_s=$((tot_s + s))
			tot_p=$((tot_p + p))
			prev=$stage
		done
		echo "MEMTOTAL n=$n slab=$tot_s percpu=$tot_p total=$((tot_s + tot_p)) module=$ko"
		printf '%6d clients: %5d B slab + %5d B per-CPU = %5d B (%.2f KiB) per client\n' \
			"$n" "$tot_s" "$tot_p" $((tot_s + tot_p)) \
			"$(awk -v t=$((tot_s + tot_p)) 'BEGIN { print t / 1024 }')"
		ip link del l2tpsec0
	done
	rmmod l2tpsec
done
rm -rf "$d"
