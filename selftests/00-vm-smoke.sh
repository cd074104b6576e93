#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of the test VM itself (tools/vm/run.sh): the module is loaded
# when one was given, network namespaces, veth and ping work, the xfrm
# netlink API answers, esp4 loads from the Debian modules tree and python3
# has scapy. kselftest-style TAP; exit 0 pass, 4 skip, 1 fail.
#
# Run: tools/vm/run-selftests.sh selftests/00-vm-smoke.sh
set -u

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

NS_A=smoke-a-$$
NS_B=smoke-b-$$
num=0
failed=0

ok()      { num=$((num + 1)); echo "ok $num $*"; }
not_ok()  { num=$((num + 1)); failed=$((failed + 1)); echo "not ok $num $*"; }
skip()    { num=$((num + 1)); echo "ok $num $* # SKIP"; }
# check DESCRIPTION CMD...: one TAP line from CMD's exit status
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc"
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/#   /'
	fi
}

cleanup() {
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
}

echo "TAP version 13"
if [ -z "${L2TPSEC_VM:-}" ] && [ -z "${L2TPSEC_ALLOW_HOST:-}" ]; then
	echo "1..0 # SKIP not in the test VM: run tools/vm/run-selftests.sh (or set L2TPSEC_ALLOW_HOST=1)"
	exit $KSFT_SKIP
fi
echo "1..8"
trap cleanup EXIT

if [ -n "${L2TPSEC_VM_MODULE:-}" ]; then
	check "module l2tpsec loaded" test -d /sys/module/l2tpsec
else
	skip "module l2tpsec loaded (no --module given)"
fi

check "ip netns add" sh -c "ip netns add $NS_A && ip netns add $NS_B"

veth_up() {
	ip -n "$NS_A" link add veth0 type veth peer name veth0 netns "$NS_B" &&
	ip -n "$NS_A" addr add 192.0.2.1/24 dev veth0 &&
	ip -n "$NS_B" addr add 192.0.2.2/24 dev veth0 &&
	ip -n "$NS_A" link set veth0 up &&
	ip -n "$NS_B" link set veth0 up &&
	ip -n "$NS_A" link set lo up &&
	ip -n "$NS_B" link set lo up
}
check "veth pair between two netns" veth_up
check "ping across the veth pair" ip netns exec "$NS_A" ping -c 2 -W 2 -i 0.2 192.0.2.2

xfrm_sa() {
	ip -n "$NS_A" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
		spi 0x1000 reqid 1 mode transport \
		aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 &&
	ip -n "$NS_A" xfrm state | grep -q 'spi 0x00001000'
}
check "ip xfrm state add/list (AES-GCM ESP SA)" xfrm_sa
check "modprobe esp4" modprobe esp4
check "python3 imports scapy" /usr/bin/python3 -c 'import scapy'
check "netns cleanup" sh -c "ip netns del $NS_A && ip netns del $NS_B"

[ "$failed" -eq 0 ] && exit $KSFT_PASS
exit $KSFT_FAIL
