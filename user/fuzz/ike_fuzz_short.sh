#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A short, bounded run of the IKE fuzz targets (libFuzzer, ASan, UBSan)
# from their seed corpora, for `make check`; TAP on stdout. The long run is
# `make -C user fuzz-ike`. Generated from fuzz/ike_fuzz_short.sh.
B=@BUILD@
S=@SRC@
T=@TIME@
n=0
echo "TAP version 13"
echo "1..2"
for t in ike_parse ike_input; do
	n=$((n + 1))
	if [ ! -x "$B/fuzz/$t" ]; then
		echo "ok $n - $t # SKIP not built (needs @CC@ with libFuzzer)"
		continue
	fi
	tmp=$(mktemp -d)
	cp "$S"/fuzz/corpus/$t/* "$tmp"/ 2>/dev/null
	if out=$("$B/fuzz/$t" -max_total_time="$T" -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 "$tmp" 2>&1); then
		runs=$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
		echo "ok $n - $t: ${runs:-?} inputs in $T s, no crash, no leak, no undefined behaviour"
	else
		echo "not ok $n - $t"
		echo "$out" | tail -n 40 | sed 's/^/# /'
	fi
	rm -rf "$tmp"
done
