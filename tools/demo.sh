#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/demo.sh: the README's first command (`make demo` runs it after
# building): boots Debian's 6.1 kernel under QEMU with l2tpsec.ko loaded and
# runs tools/demo-guest.sh there: an l2tpsecd server and an l2tpsecd client
# in two network namespaces, with Documentation/examples/ as their
# configuration, negotiate IKE, L2TP and PPP and carry traffic.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
exec "$TOP/tools/vm/run.sh" --kernel "${DEMO_KERNEL:-6.1}" \
	--module "$TOP/l2tpsec.ko" --timeout 900 -- "$TOP/tools/demo-guest.sh"
