#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900
#
# 71-ike-strongswan-psk: l2tpsecd as the IKEv1 responder, strongSwan's
# charon (IKEv1, PSK, transport mode on UDP 1701) as the client, with the
# proposal set of each client in ../shared/CLIENTS.md in turn:
#
#   netns S (server)                          netns C (client)
#   l2tpsecd, l2tpsec0 10.99.71.1             charon (xfrm SAs + policies)
#     static L2TP session on the peer           tools/l2tp-xfrm-peer.py
#     the daemon made                           tunC 10.99.71.2
#   vS 10.71.0.1/24 ---------------- veth ---------------- vC 10.71.0.2/24
#
# For each profile: Main Mode and Quick Mode complete, the algorithms we
# chose are the expected ones, the SAs are in the module bound to the
# client's address, and pings cross the negotiated SAs both ways (charon's
# xfrm ESP on one side, the module on the other). Android's modp1024-only
# offer is refused with the promised line until legacy = yes; Android 6/7's
# 96-bit HMAC-SHA256 is found and the SA pair switched.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike-lib.sh"

ike_lab 71
PSK="interop psk 71"

# name | ike= | esp= | extra conn lines | expected phase 1 | expected ESP
PROFILES=(
	"windows|aes256-sha1-ecp384,aes128-sha1-ecp256,aes256-sha1-modp2048,3des-sha1-modp2048,3des-sha1-modp1024|aes256-sha1,aes128-sha1,3des-sha1|ikelifetime=8h;keylife=1h|aes256-sha1-ecp384|aes256-sha1"
	"macos|aes256-sha256-modp2048,aes256-sha1-modp2048,aes256-md5-modp2048,aes256-sha512-modp2048,aes256-sha256-modp1536,aes256-sha1-modp1536,aes256-md5-modp1536,aes256-sha256-modp1024,aes256-sha1-modp1024,aes256-md5-modp1024,aes128-sha1-modp1024,aes128-md5-modp1024,3des-sha1-modp1024,3des-md5-modp1024|aes256-sha1,aes256-md5,aes128-sha1,aes128-md5,3des-sha1,3des-md5|ikelifetime=1h;keylife=1h|aes256-sha256-modp2048|aes256-sha1"
	"networkmanager|aes256-sha256-modp2048,aes256-sha1-modp2048,aes256-sha256-modp1536,aes256-sha1-modp1536,aes256-sha256-modp1024,aes256-sha1-modp1024,aes256-sha1-ecp384,aes128-sha1-modp1024,aes128-sha1-ecp256,3des-sha1-modp2048,3des-sha1-modp1024|aes256-sha1,aes128-sha1,3des-sha1||aes256-sha256-modp2048|aes256-sha1"
	"chromebook|aes256-sha256-modp2048|aes256gcm16,aes128gcm16||aes256-sha256-modp2048|aes256gcm16"
	"android-sha512|aes256-sha256-modp2048,aes256-sha1-modp2048|aes256-sha512|ikelifetime=8h;keylife=2h|aes256-sha256-modp2048|aes256-sha512"
)
# Android <= 11: modp1024 only; Android 6/7: HMAC-SHA256 with 96-bit ICVs.
ANDROID_IKE="aes256-sha1-modp1024,aes128-sha1-modp1024,3des-sha1-modp1024,aes256-md5-modp1024"
ANDROID_ESP="aes256-sha1,aes128-sha1,3des-sha1"

ktap_plan $((${#PROFILES[@]} * 4 + 1 + 2 + 4 + 4 + 2 + 2))

dmesg_mark
ike_lab_net

SERVER_CONF="[ike]
psk = $PSK
retransmit-timeout = 2s"

ike_daemon_start srv "$S" "$SERVER_CONF" || bail_out "l2tpsecd did not start"
SRV_PID=$BG_PID
SRVLOG=$TMPD/srv.err

ike_lab_peer || bail_out "xfrm peer did not start"
PEER_PID=$BG_PID

mkdir -p "$CH"
CHARON_PID=

# connect NAME IKE ESP EXTRA: (re)start charon with one connection.
connect() {
	local name=$1 ike=$2 esp=$3 extra=$4 conn
	[ -n "$CHARON_PID" ] && charon_stop "$CHARON_PID"
	CHARON_PID=
	conn="config setup
	uniqueids = no
conn $name
	keyexchange = ikev1
	authby = secret
	type = transport
	left = $CO
	leftprotoport = 17/1701
	right = $SO
	rightprotoport = 17/1701
	ike = $ike!
	esp = $esp!
	auto = start
	keyingtries = 1
	dpdaction = none
	${extra//;/$'\n\t'}"
	charon_conf "$CH" "$conn" "$CO $SO : PSK \"$PSK\"" &&
	charon_start "charon-$name" "$C" "$CH" && CHARON_PID=$BG_PID
}

# up COUNT: the daemon logged its COUNT-th SA pair.
pairs_up() {
	[ "$(grep -c 'ESP SA pair up' "$SRVLOG")" -ge "$1" ]
}

# traffic TAG: a session on the newest module peer, pings both ways.
traffic() {
	local tag=$1 peer
	peer=$(ike_peer_ids "$S" | tail -n 1)
	if [ -z "$peer" ]; then
		not_ok "$tag: ping $SI from the client" "no module peer"
		not_ok "$tag: ping $CI from the server" "no module peer"
		return
	fi
	ike_static_session "$S" "$peer" "$SI" "$CI" >/dev/null
	ip -n "$S" link set l2tpsec0 up
	check "$tag: ping $SI across the negotiated SAs (client -> server)" ike_ping "$C" "$SI" 3
	check "$tag: ping $CI across the negotiated SAs (server -> client)" ike_ping "$S" "$CI" 3
}

n=0
for p in "${PROFILES[@]}"; do
	IFS='|' read -r name ike esp extra want1 want2 <<<"$p"
	n=$((n + 1))
	diag "${SECONDS}s: $name"
	connect "$name" "$ike" "$esp" "$extra" || diag "charon did not start"
	if wait_until 60 pairs_up "$n" &&
	   wait_log "$CH/charon.log" "CHILD_SA $name\{[0-9]+\} established" 20; then
		ok "$name: Main Mode + Quick Mode with charon"
	else
		not_ok "$name: Main Mode + Quick Mode with charon" \
			"$(tail -n 15 "$SRVLOG")" "$(grep -E 'IKE\]|ENC\]' "$CH/charon.log" | tail -n 15)"
	fi
	if grep "phase 1 established" "$SRVLOG" | tail -n 1 | grep -q ": $want1, pre-shared key" &&
	   grep "ESP SA pair up" "$SRVLOG" | tail -n 1 | grep -q ": $want2, in "; then
		ok "$name: we chose $want1 and $want2 (the client's first acceptable offers)"
	else
		not_ok "$name: we chose $want1 and $want2" \
			"$(grep -E 'established|pair up' "$SRVLOG" | tail -n 2)"
	fi
	traffic "$name"
done

# The Android profile asked for 2 h ESP lifetimes, longer than our 1 h.
if grep -q "phase 2: the peer proposes 7200 s; RESPONDER-LIFETIME 3600 s" "$SRVLOG" &&
   grep "ESP SA pair up" "$SRVLOG" | tail -n 1 | grep -q ", 3600 s, "; then
	ok "android-sha512: 2 h ESP lifetime answered with RESPONDER-LIFETIME 3600 s"
else
	not_ok "android-sha512: 2 h ESP lifetime answered with RESPONDER-LIFETIME 3600 s" \
		"$(grep -E 'LIFETIME|pair up' "$SRVLOG" | tail -n 2)"
fi

# ---- Android: modp1024 only -----------------------------------------------
connect android "$ANDROID_IKE" "$ANDROID_ESP" "ikelifetime=8h"
if wait_log "$SRVLOG" "phase 1: no proposal chosen" 30; then
	line=$(grep "phase 1: no proposal chosen" "$SRVLOG" | tail -n 1)
	want="ike $CO:500: phase 1: no proposal chosen: peer offers aes256-sha1-modp1024 (DH group modp1024 needs legacy = yes), aes128-sha1-modp1024 (DH group modp1024 needs legacy = yes), 3des-sha1-modp1024 (DH group modp1024, 3des needs legacy = yes), aes256-md5-modp1024 (DH group modp1024, md5 needs legacy = yes); we accept aes256-sha256-modp2048, "
	if [[ "$line" == "$want"*"closest: aes256-sha1-modp1024 vs our aes256-sha1-modp2048: DH group (peer modp1024, we modp2048) differs" ]]; then
		ok "android (modp1024 only): refused with the promised line"
	else
		not_ok "android (modp1024 only): refused with the promised line" "got:  $line" "want: $want...closest: ..."
	fi
else
	not_ok "android (modp1024 only): refused with the promised line" "$(tail -n 5 "$SRVLOG")"
fi
if wait_log "$CH/charon.log" "NO_PROPOSAL_CHOSEN" 20; then
	ok "android (modp1024 only): charon hears NO-PROPOSAL-CHOSEN"
else
	not_ok "android (modp1024 only): charon hears NO-PROPOSAL-CHOSEN" "$(tail -n 8 "$CH/charon.log")"
fi

# ---- the same with legacy = yes --------------------------------------------
charon_stop "$CHARON_PID"
CHARON_PID=
bg_stop "$SRV_PID"
ip -n "$S" link del l2tpsec0 2>/dev/null
mv "$SRVLOG" "$TMPD/srv-1.err"
ike_daemon_start srv "$S" "$SERVER_CONF
legacy = yes" || bail_out "l2tpsecd did not start with legacy = yes"
SRV_PID=$BG_PID
connect android "$ANDROID_IKE" "$ANDROID_ESP" "ikelifetime=8h"
if wait_until 60 pairs_up 1; then
	ok "android with legacy = yes: established"
else
	not_ok "android with legacy = yes: established" "$(tail -n 10 "$SRVLOG")"
fi
if grep -q "phase 1 established as responder: aes256-sha1-modp1024" "$SRVLOG"; then
	ok "android with legacy = yes: aes256-sha1-modp1024 chosen"
else
	not_ok "android with legacy = yes: aes256-sha1-modp1024 chosen" "$(grep established "$SRVLOG")"
fi
traffic android-legacy

# ---- Android 6/7: HMAC-SHA256 truncated to 96 bits ---------------------------
connect android-sha256 "aes256-sha256-modp2048" "aes256-sha256" "sha256_96=yes"
if wait_until 60 pairs_up 2; then
	ok "android sha256_96: established (aes256-sha256)"
else
	not_ok "android sha256_96: established (aes256-sha256)" "$(tail -n 10 "$SRVLOG")"
fi
peer=$(ike_peer_ids "$S" | tail -n 1)
ike_static_session "$S" "$peer" "$SI" "$CI" >/dev/null
# The client's first packets fail our 128-bit ICV check; the daemon notices.
nsx "$C" ping -c 3 -i 0.3 -W 1 "$SI" >/dev/null 2>&1
if wait_log "$SRVLOG" "the peer truncates HMAC-SHA256 to 96 bits" 15; then
	ok "android sha256_96: 96-bit ICV detected, SA pair re-installed"
else
	not_ok "android sha256_96: 96-bit ICV detected" "$(tail -n 10 "$SRVLOG")" \
		"$(nsx "$S" "$L2TPSEC_BIN" show l2tpsec0 | grep -A3 '^sa')"
fi
check "android sha256_96: ping $SI afterwards (client -> server)" ike_ping "$C" "$SI" 3
check "android sha256_96: ping $CI afterwards (server -> client)" ike_ping "$S" "$CI" 3

# ---- Apple: an ephemeral L2TP source port -----------------------------------
# The UDP 1701 peer goes: its tunC would route the replies to 10.99.71.1.
bg_stop "$PEER_PID"
start_xfrm_peer peer-apple "$C" --local "$CO:50000" --remote "$SO:1701" \
	--tun tunA --addr 10.99.71.3/32 --peer-addr "$SI" \
	--tunnel-id 3 --session-id 3 --my-tunnel-id 4 --my-session-id 4 ||
	diag "xfrm peer on port 50000 did not start"
connect apple-ephemeral "aes256-sha256-modp2048" "aes256-sha1" "leftprotoport = 17/50000"
if wait_until 60 pairs_up 3; then
	ok "apple ephemeral port: selectors udp/50000 <-> udp/1701 accepted"
else
	not_ok "apple ephemeral port: selectors udp/50000 <-> udp/1701 accepted" "$(tail -n 6 "$SRVLOG")"
fi
peer=$(ike_peer_ids "$S" | tail -n 1)
ip -n "$S" route replace 10.99.71.3/32 dev l2tpsec0
l2s "$S" session add l2tpsec0 peer "$peer" tunnel 3 session 3 peer-tunnel 4 \
	peer-session 4 rport 50000 ipv4 10.99.71.3 >/dev/null
check "apple ephemeral port: ping 10.99.71.3 (L2TP to UDP 50000 inside the SA)" ike_ping "$S" 10.99.71.3 3

# ---- the client leaves: DELETE ---------------------------------------------
charon_stop "$CHARON_PID"
CHARON_PID=
if wait_log "$SRVLOG" "deleted: deleted by the peer" 20 &&
   wait_until 10 sh -c "[ -z \"\$(ip netns exec $S $L2TPSEC_BIN -j show l2tpsec0 | grep '\"spi\"')\" ]"; then
	ok "client shutdown: its DELETEs remove the SAs from the module"
else
	not_ok "client shutdown: its DELETEs remove the SAs from the module" "$(tail -n 6 "$SRVLOG")"
fi

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi
ksft_exit
