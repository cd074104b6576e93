#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=600 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
# shellcheck disable=SC2317
#
# 50-netlink-bad-input: wrong requests fail, with the right error, and
# leave nothing half-created.
#
# netns A holds l2tpsec0 with peer 1, SAs 0x500 (in) / 0x501 (out, tx-spi)
# and one session. Every request below must fail; after each one the
# configuration shown by `l2tpsec -j show` (stats left out) is exactly the
# reference taken before. Requests go through the CLI, and through raw
# generic netlink (tools/l2tpsec-genl.py) where the CLI would refuse them itself
# or where the exact errno matters (EEXIST, ENODEV, EPERM). Unprivileged
# callers: uid 65534 without capabilities (setpriv) and root of a new user
# namespace (unshare -Ur), which has no CAP_NET_ADMIN over netns A.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip awk od setpriv unshare

A=$(ns_name a)
DEV=l2tpsec0

ktap_plan 47
dmesg_mark
setup_netns "$A"

K_IN=$(rand_hex 20)
K_OUT=$(rand_hex 20)
if run_ok ip -n "$A" link add $DEV type l2tpsec &&
   l2s "$A" peer add $DEV id 1 encap none local 10.0.50.1 remote 10.0.50.2 &&
   l2s "$A" sa add $DEV spi 0x500 dir in peer 1 cipher aes-gcm key "$K_IN" &&
   l2s "$A" sa add $DEV spi 0x501 dir out peer 1 cipher aes-gcm key "$K_OUT" &&
   l2s "$A" peer set $DEV id 1 tx-spi 0x501 &&
   l2s "$A" session add $DEV peer 1 tunnel 1 session 1 peer-tunnel 2 \
	peer-session 2 ipv4 10.99.50.2; then
	ok "reference configuration: device, peer, two SAs, session"
else
	bail_out "cannot create the reference configuration"
fi
REF=$(state_snapshot "$A")
[ -n "$REF" ] || bail_out "l2tpsec -j show gave nothing"
IFINDEX=$(nsx "$A" cat "/sys/class/net/$DEV/ifindex")

unchanged() {
	local now
	now=$(state_snapshot "$A")
	[ "$now" = "$REF" ] && return 0
	echo "configuration changed:"
	echo "ref: $REF"
	echo "now: $now"
	return 1
}

# reject DESC ARGS...: the CLI (in A) must fail and change nothing.
reject() {
	local desc=$1 out rc
	shift
	out=$(nsx "$A" "$L2TPSEC_BIN" "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		not_ok "$desc" "accepted: l2tpsec $*" "$out"
	elif ! u=$(unchanged); then
		not_ok "$desc" "l2tpsec $* -> $rc: $out" "$u"
	else
		ok "$desc"
		diag "l2tpsec: ${out:-(no message)}"
	fi
}

# genl_reject DESC ERRNOS JSON: raw request in A; must fail with one of
# ERRNOS ("any" = any error) and change nothing. RUN_AS: prefix command.
RUN_AS=()
genl_reject() {
	local desc=$1 want=$2 spec=$3 out e
	# the program on stdin: RUN_AS (uid 65534) may not read the checkout
	out=$(nsx "$A" "${RUN_AS[@]}" "$PYTHON" - send "$spec" <"$GENL_TOOL" 2>&1)
	e=$(echo "$out" | sed -n 's/^errno=\([0-9-]*\).*/\1/p')
	if [ -z "$e" ]; then
		not_ok "$desc" "no answer: $(echo "$out" | tail -n 3)"
	elif [ "$e" = 0 ]; then
		not_ok "$desc" "accepted: $spec"
	elif [ "$want" != any ] && [[ " $want " != *" $e "* ]]; then
		not_ok "$desc" "errno $e, want $want: $out"
	elif ! u=$(unchanged); then
		not_ok "$desc" "$out" "$u"
	else
		ok "$desc (errno $e)"
		diag "$out"
	fi
}

# JSON builders: top-level ifindex + one nest.
sa_req() {	# sa_req NEST_ATTRS_JSON [IFINDEX]
	echo "{\"cmd\": $L2TPSEC_CMD_SA_NEW, \"attrs\": [[$L2TPSEC_A_IFINDEX, \"u32\", ${2:-$IFINDEX}], [$L2TPSEC_A_SA, \"nest\", [$1]]]}"
}
peer_req() {
	echo "{\"cmd\": $L2TPSEC_CMD_PEER_NEW, \"attrs\": [[$L2TPSEC_A_IFINDEX, \"u32\", $IFINDEX], [$L2TPSEC_A_PEER, \"nest\", [$1]]]}"
}
session_req() {
	echo "{\"cmd\": $L2TPSEC_CMD_SESSION_NEW, \"attrs\": [[$L2TPSEC_A_IFINDEX, \"u32\", $IFINDEX], [$L2TPSEC_A_SESSION, \"nest\", [$1]]]}"
}
# SA nest attributes: 2 spi, 3 dir, 4 peer, 5 cipher, 6 integ, 7 key,
# 8 auth key, 9 icv, 10 replay window. Cipher 1 gcm, 2 cbc; integ 3 sha256.
SPI() { echo "[2, \"u32\", $(($1))]"; }	# JSON: decimal
DIR_IN='[3, "u8", 1]'
PEER1='[4, "u32", 1]'
GCM='[5, "u8", 1]'
CBC='[5, "u8", 2]'
SHA256='[6, "u8", 3]'
KEY() { echo "[7, \"bin\", \"$(rand_hex "$1")\"]"; }
AKEY() { echo "[8, \"bin\", \"$(rand_hex "$1")\"]"; }
ICV() { echo "[9, \"u8\", $1]"; }

# ---- positive controls: the raw helper itself works ---------------------
out=$(nsx "$A" "$PYTHON" "$GENL_TOOL" send "$(sa_req "$(SPI 0x600), $DIR_IN, $PEER1, $GCM, $(KEY 20)")" 2>&1)
if [[ "$out" == errno=0* ]] && l2s "$A" sa del $DEV spi 0x600 dir in peer 1 &&
   unchanged >/dev/null; then
	ok "raw netlink control: a valid SA_NEW (0x600) succeeds, sa del removes it"
else
	not_ok "raw netlink control: a valid SA_NEW (0x600) succeeds" "$out" "$(unchanged)"
fi

# ---- CLI --------------------------------------------------------------
reject "peer add without remote" \
	peer add $DEV id 2 encap none local 10.0.50.1
reject "peer add with an existing id" \
	peer add $DEV id 1 encap none local 10.0.50.1 remote 10.0.50.3
reject "peer add with id 0" \
	peer add $DEV id 0 encap none local 10.0.50.1 remote 10.0.50.3
reject "sa add aes-gcm with a 40-byte key (oversized)" \
	sa add $DEV spi 0x502 dir in peer 1 cipher aes-gcm key "$(rand_hex 40)"
reject "sa add aes-cbc with a 17-byte key" \
	sa add $DEV spi 0x502 dir in peer 1 cipher aes-cbc integ sha1 \
	key "$(rand_hex 17)" auth-key "$(rand_hex 20)"
reject "sa add 3des-cbc with a 16-byte key" \
	sa add $DEV spi 0x502 dir in peer 1 cipher 3des-cbc integ sha1 \
	key "$(rand_hex 16)" auth-key "$(rand_hex 20)"
reject "sa add hmac-sha256 with a 20-byte auth key" \
	sa add $DEV spi 0x502 dir in peer 1 cipher aes-cbc integ sha256 \
	key "$(rand_hex 16)" auth-key "$(rand_hex 20)"
reject "sa add hmac-sha256 with icv 7" \
	sa add $DEV spi 0x502 dir in peer 1 cipher aes-cbc integ sha256 \
	key "$(rand_hex 16)" auth-key "$(rand_hex 32)" icv 7
reject "sa add with replay-window 100000 (max 4096)" \
	sa add $DEV spi 0x502 dir in peer 1 cipher aes-gcm key "$(rand_hex 20)" \
	replay-window 100000
reject "sa add for unknown peer 999" \
	sa add $DEV spi 0x502 dir in peer 999 cipher aes-gcm key "$(rand_hex 20)"
reject "sa add with a duplicate inbound SPI 0x500" \
	sa add $DEV spi 0x500 dir in peer 1 cipher aes-gcm key "$(rand_hex 20)"
# An inbound SPI that an ESP state of the host's xfrm (same netns) has:
# both would claim the same packets. Refused, and the message says why.
XSPI=0x777
if ! nsx "$A" ip xfrm state add src 10.0.50.2 dst 10.0.50.1 proto esp \
	spi $XSPI mode transport aead 'rfc4106(gcm(aes))' "0x$(rand_hex 20)" 128; then
	not_ok "sa add with an inbound SPI an xfrm state has" "ip xfrm state add failed"
else
	out=$(nsx "$A" "$L2TPSEC_BIN" sa add $DEV spi $XSPI dir in peer 1 \
		cipher aes-gcm key "$(rand_hex 20)" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		not_ok "sa add with an inbound SPI an xfrm state has" "accepted" "$out"
		# the later cases compare against the reference configuration
		nsx "$A" "$L2TPSEC_BIN" sa del $DEV spi $XSPI dir in >/dev/null 2>&1
	elif ! u=$(unchanged); then
		not_ok "sa add with an inbound SPI an xfrm state has" "$out" "$u"
	elif ! grep -q "xfrm" <<<"$out"; then
		not_ok "sa add with an inbound SPI an xfrm state has" \
			"the message does not name the xfrm state: $out"
	else
		ok "sa add with an inbound SPI an xfrm state has"
		diag "l2tpsec: $out"
	fi
	nsx "$A" ip xfrm state flush
fi
reject "sa add with SPI 0" \
	sa add $DEV spi 0 dir in peer 1 cipher aes-gcm key "$(rand_hex 20)"
reject "sa add on unknown device nosuchdev0" \
	sa add nosuchdev0 spi 0x502 dir in peer 1 cipher aes-gcm key "$(rand_hex 20)"
reject "peer add on unknown device nosuchdev0" \
	peer add nosuchdev0 id 2 encap none local 10.0.50.1 remote 10.0.50.3
reject "peer set tx-spi to an SPI that does not exist" \
	peer set $DEV id 1 tx-spi 0x999
reject "peer set tx-spi to an inbound SA" \
	peer set $DEV id 1 tx-spi 0x500
reject "peer set on unknown peer 999" \
	peer set $DEV id 999 remote 10.0.50.9
reject "session add for unknown peer 999" \
	session add $DEV peer 999 tunnel 5 session 5 peer-tunnel 6 peer-session 6
reject "session add duplicate (peer 1 tunnel 1 session 1)" \
	session add $DEV peer 1 tunnel 1 session 1 peer-tunnel 3 peer-session 3
reject "session add with IPv6 prefix /32 (must be 64..128)" \
	session add $DEV peer 1 tunnel 5 session 5 peer-tunnel 6 peer-session 6 \
	ipv6 fd00:99:50::/32
reject "session add with tunnel id 0" \
	session add $DEV peer 1 tunnel 0 session 5 peer-tunnel 6 peer-session 6
reject "sa del of an unknown SPI" \
	sa del $DEV spi 0x777 dir in
reject "session del of an unknown session" \
	session del $DEV peer 1 tunnel 9 session 9

# ---- raw netlink: what the CLI would not send ----------------------------
genl_reject "SA_NEW without SPI" any \
	"$(sa_req "$DIR_IN, $PEER1, $GCM, $(KEY 20)")"
genl_reject "SA_NEW without key" any \
	"$(sa_req "$(SPI 0x502), $DIR_IN, $PEER1, $GCM")"
genl_reject "SA_NEW with a 1000-byte key" any \
	"$(sa_req "$(SPI 0x502), $DIR_IN, $PEER1, $GCM, $(KEY 1000)")"
genl_reject "SA_NEW with cipher 99" any \
	"$(sa_req "$(SPI 0x502), $DIR_IN, $PEER1, [5, \"u8\", 99], $(KEY 20)")"
genl_reject "SA_NEW aes-cbc without integrity" any \
	"$(sa_req "$(SPI 0x502), $DIR_IN, $PEER1, $CBC, $(KEY 16)")"
genl_reject "SA_NEW aes-gcm with an auth key" any \
	"$(sa_req "$(SPI 0x502), $DIR_IN, $PEER1, $GCM, $(KEY 20), $(AKEY 20)")"
genl_reject "SA_NEW hmac-sha256 with ICV 13" any \
	"$(sa_req "$(SPI 0x502), $DIR_IN, $PEER1, $CBC, $SHA256, $(KEY 16), $(AKEY 32), $(ICV 13)")"
genl_reject "SA_NEW with a duplicate inbound SPI: EEXIST" 17 \
	"$(sa_req "$(SPI 0x500), $DIR_IN, $PEER1, $GCM, $(KEY 20)")"
genl_reject "SA_NEW on unknown ifindex 999999: ENODEV" "19" \
	"$(sa_req "$(SPI 0x502), $DIR_IN, $PEER1, $GCM, $(KEY 20)" 999999)"
genl_reject "SA_NEW without ifindex or ifname" any \
	"{\"cmd\": $L2TPSEC_CMD_SA_NEW, \"attrs\": [[$L2TPSEC_A_SA, \"nest\", [$(SPI 0x502), $DIR_IN, $PEER1, $GCM, $(KEY 20)]]]}"
genl_reject "PEER_NEW without remote address" any \
	"$(peer_req '[1, "u32", 3], [2, "u8", 0], [3, "ipv4", "10.0.50.1"]')"
genl_reject "PEER_NEW with encap 7" any \
	"$(peer_req '[1, "u32", 3], [2, "u8", 7], [3, "ipv4", "10.0.50.1"], [4, "ipv4", "10.0.50.3"]')"
genl_reject "PEER_NEW with a 3-byte address" any \
	"$(peer_req '[1, "u32", 3], [2, "u8", 0], [3, "bin", "0a0032"], [4, "ipv4", "10.0.50.3"]')"
genl_reject "SESSION_NEW without local tunnel id" any \
	"$(session_req '[1, "u32", 1], [3, "u16", 5], [4, "u16", 6], [5, "u16", 6]')"

# ---- unprivileged callers ---------------------------------------------------
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
out=$(nsx "$A" "${NOBODY[@]}" "$L2TPSEC_BIN" peer add $DEV id 4 encap none \
	local 10.0.50.1 remote 10.0.50.4 2>&1)
rc=$?
if [ $rc -ne 0 ] && u=$(unchanged); then
	ok "uid 65534 without capabilities: l2tpsec peer add fails"
	diag "l2tpsec: $out"
else
	not_ok "uid 65534 without capabilities: l2tpsec peer add fails" "rc $rc: $out" "$(unchanged)"
fi
RUN_AS=("${NOBODY[@]}")
genl_reject "uid 65534: raw PEER_NEW -> EPERM" 1 \
	"$(peer_req '[1, "u32", 4], [2, "u8", 0], [3, "ipv4", "10.0.50.1"], [4, "ipv4", "10.0.50.4"]')"
genl_reject "uid 65534: raw SA_NEW -> EPERM" 1 \
	"$(sa_req "$(SPI 0x503), $DIR_IN, $PEER1, $GCM, $(KEY 20)")"
genl_reject "uid 65534: raw DEV_GET -> EPERM (every command needs CAP_NET_ADMIN)" 1 \
	"{\"cmd\": $L2TPSEC_CMD_DEV_GET, \"attrs\": [[$L2TPSEC_A_IFINDEX, \"u32\", $IFINDEX]]}"
RUN_AS=(unshare -Ur)
genl_reject "root of a new user namespace: raw SA_NEW -> EPERM" 1 \
	"$(sa_req "$(SPI 0x503), $DIR_IN, $PEER1, $GCM, $(KEY 20)")"
RUN_AS=()

# ---- keys are write-only ------------------------------------------------------
shown=$(show_json "$A" 2>&1; nsx "$A" "$L2TPSEC_BIN" show 2>&1)
if [ -n "$shown" ] && ! echo "$shown" | grep -qi -e "$K_IN" -e "$K_OUT"; then
	ok "keys never appear in show (JSON or text)"
else
	not_ok "keys never appear in show (JSON or text)"
fi

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi

ksft_exit
