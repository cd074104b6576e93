#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A short, bounded run of every fuzz target (libFuzzer, ASan, UBSan) from
# its corpus (seeds and the inputs that once crashed it), for `make check`;
# TAP on stdout. Generated from fuzz/check-fuzz.sh by fuzz/fuzz.mk; the
# long run is `make -C user fuzz-long`.
B=@BUILD@
S=@SRC@
T=@TIME@
NAMES="@NAMES@"
opts() {
	case $1 in
	ike_parse) echo "@OPTS_ike_parse@" ;;
	ike_input) echo "@OPTS_ike_input@" ;;
	ike_qm) echo "@OPTS_ike_qm@" ;;
	ike_cert) echo "@OPTS_ike_cert@" ;;
	l2tp_avp) echo "@OPTS_l2tp_avp@" ;;
	l2tp_engine) echo "@OPTS_l2tp_engine@" ;;
	ppp_opts) echo "@OPTS_ppp_opts@" ;;
	chap_secrets) echo "@OPTS_chap_secrets@" ;;
	config) echo "@OPTS_config@" ;;
	ctlproto) echo "@OPTS_ctlproto@" ;;
	ctl_socket) echo "@OPTS_ctl_socket@" ;;
	nl_objects) echo "@OPTS_nl_objects@" ;;
	esac
}
n=0
fail=0
set -- $NAMES
echo "TAP version 13"
echo "1..$#"
for t in $NAMES; do
	n=$((n + 1))
	if [ ! -x "$B/fuzz/$t" ]; then
		echo "ok $n - $t # SKIP not built (needs @CC@ with libFuzzer)"
		continue
	fi
	tmp=$(mktemp -d)
	# shellcheck disable=SC2046 # opts: words
	if out=$("$B/fuzz/$t" -max_total_time="$T" -seed=1 $(opts "$t") \
			-print_final_stats=1 "$tmp" "$S/fuzz/corpus/$t" 2>&1); then
		runs=$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
		echo "ok $n - $t: ${runs:-?} inputs in $T s (corpus of $(ls "$S/fuzz/corpus/$t" | wc -l)), no crash, no leak, no undefined behaviour"
	else
		echo "not ok $n - $t"
		echo "$out" | tail -n 40 | sed 's/^/# /'
		fail=1
	fi
	rm -rf "$tmp"
done
exit $fail
