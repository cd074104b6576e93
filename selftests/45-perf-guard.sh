#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=240 (seconds; about 60 s of it on Debian's 6.1 under TCG)
#
# 45-perf-guard: the regression guard of issue 16 item 7. l2tpsec (raw
# ESP) and the stock Linux stack (xfrm transport SAs on UDP 1701, the
# kernel's L2TPv2, pppd with the pppol2tp plugin; tools/bench/bench-lib.sh,
# the same set-ups as `make bench`) in the same boot, same algorithm
# (AES-GCM-128), each over its own veth; then single-stream iperf3 TCP,
# GUARD_ROUNDS (default 3) rounds of GUARD_TIME (default 3) seconds each,
# the two alternating (first l2tpsec, then stock, then the other way) so
# that a slow moment of the shared host hits both. Fails when the median
# of l2tpsec's throughput falls below GUARD_MIN (default 1.0) times the
# stock stack's median: a ratio from one run, never an absolute figure,
# because under QEMU's software emulation absolute ones mean nothing.
#
# Not part of make check's QEMU lanes unless the lead places it: report its
# runtime per kernel (it prints it).

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/l2tp-lib.sh"
# shellcheck source=../tools/bench/bench-lib.sh
. "$TOP/tools/bench/bench-lib.sh"

require_root
require_module
require_cmd ip iperf3 pppd "$PYTHON"

ROUNDS=${GUARD_ROUNDS:-3}
T=${GUARD_TIME:-3}
MIN=${GUARD_MIN:-1.0}
start=$SECONDS

ktap_plan 3

if bench_setup l2tpsec-esp 1; then
	ok "l2tpsec raw ESP set up ($BENCH_ALG)"
else
	bail_out "l2tpsec raw ESP set-up failed"
fi
BENCH_PPP_MTU=$(ip -n "${BENCH_A[l2tpsec-esp]}" -o link show l2tpsec0 |
	sed -n 's/.* mtu \([0-9]*\).*/\1/p')
export BENCH_PPP_MTU
if bench_setup stock 2; then
	ok "stock stack set up (xfrm + l2tp_ppp + pppd, mtu $BENCH_PPP_MTU)"
else
	bail_out "stock stack set-up failed"
fi

mine=()
theirs=()
for r in $(seq 1 "$ROUNDS"); do
	order="l2tpsec-esp stock"
	[ $((r % 2)) -eq 0 ] && order="stock l2tpsec-esp"
	for c in $order; do
		res=$(bench_run "$c" tcp1 "$T") || { diag "$c round $r: $res"; res=0; }
		read -r val _ <<<"$res"
		diag "round $r: $c ${val:-0} Mbit/s"
		if [ "$c" = stock ]; then
			theirs+=("${val:-0}")
		else
			mine+=("${val:-0}")
		fi
	done
done

verdict=$("$PYTHON" - "$MIN" "${mine[*]}" "${theirs[*]}" <<'PY'
import statistics, sys
need = float(sys.argv[1])
m = statistics.median(float(x) for x in sys.argv[2].split())
s = statistics.median(float(x) for x in sys.argv[3].split())
r = m / s if s > 0 else 0.0
print("%s %.2f %.1f %.1f" % ("ok" if s > 0 and r >= need else "low", r, m, s))
PY
)
read -r v ratio m s <<<"$verdict"
if [ "$v" = ok ]; then
	ok "TCP: l2tpsec $m Mbit/s / stock $s Mbit/s = $ratio >= $MIN (medians of $ROUNDS)"
else
	not_ok "TCP: l2tpsec $m Mbit/s / stock $s Mbit/s = $ratio >= $MIN (medians of $ROUNDS)" \
		"l2tpsec: ${mine[*]}" "stock: ${theirs[*]}"
fi
diag "45-perf-guard: $((SECONDS - start)) s"
ksft_exit
