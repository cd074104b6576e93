#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900
#
# 72-ike-failures: the failures l2tpsecd promises to name, each provoked by
# a real IKEv1 client (strongSwan's charon) and checked for its exact log
# line (see l2tpsecd.conf(5), DIAGNOSTICS):
#
#   wrong pre-shared key             phase 1: pre-shared key mismatch
#   phase 1 proposal (hash)          phase 1: no proposal chosen ... hash
#   phase 2 proposal (cipher)        phase 2: no proposal chosen ... cipher
#   phase 2 PFS                      ... PFS (peer none, we require modp2048)
#   tunnel mode                      ... encapsulation (peer tunnel, ...)
#   lifetime below min-lifetime      ... lifetime (peer 30 s, ...)
#   TCP instead of UDP 1701          phase 2: selector mismatch
#   an ID the [peer] does not expect phase 1: unknown or mismatched ID
#   our replies blocked              phase 1: peer silent after our first reply
#   Aggressive Mode                  phase 1: Aggressive Mode refused
#   IKEv2                            IKEv2 is not supported
#
# Clients use different source addresses (10.72.0.2 - .9) so that each
# meets the [peer] section made for it.
#
# Then the opt-in: l2tpsecd again with aggressive = yes warns at startup,
# and charon's Aggressive Mode with PSK brings SAs up that a ping crosses
# (a static L2TP session on our side, tools/l2tp-xfrm-peer.py behind
# charon's xfrm SAs, as in 71).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike-lib.sh"

require_root
require_module
require_ike
require_cmd ip nft ping
require_scapy
require_tun

S=$(ns_name s)
C=$(ns_name c)
SO=10.72.0.1
PSK="failure psk 72"

ktap_plan 19

dmesg_mark
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC 10.72.0.2/24
for i in 3 4 5 6 7 8 9; do
	ip -n "$C" addr add "10.72.0.$i/24" dev vC
done

ike_daemon_start srv "$S" "[ike]
psk = $PSK
retransmit-timeout = 2s
retransmit-tries = 2
[peer gcm-only]
remote = 10.72.0.3
esp = aes128gcm16
[peer pfs]
remote = 10.72.0.4
esp = aes256-sha1-modp2048
[peer idcheck]
remote = 10.72.0.5
id = fqdn:expected.example" || bail_out "l2tpsecd did not start"
SRV_PID=$BG_PID
SRVLOG=$TMPD/srv.err
CH=$TMPD/charon
mkdir -p "$CH"
CHARON_PID=

# attempt NAME LEFT PSK EXTRA: charon with one IKEv1 connection from LEFT.
attempt() {
	local name=$1 left=$2 psk=$3 extra=$4
	[ -n "$CHARON_PID" ] && charon_stop "$CHARON_PID"
	CHARON_PID=
	charon_conf "$CH" "config setup
	uniqueids = no
conn $name
	keyexchange = ikev1
	authby = secret
	type = transport
	left = $left
	leftprotoport = 17/1701
	right = $SO
	rightprotoport = 17/1701
	ike = aes256-sha256-modp2048!
	esp = aes256-sha1!
	auto = start
	keyingtries = 1
	${extra//;/$'\n\t'}" "$left $SO : PSK \"$psk\"
@other.example $SO : PSK \"$psk\"" &&
	charon_start "charon-$name" "$C" "$CH" && CHARON_PID=$BG_PID
}

# expect DESC EXACT-LINE [TIMEOUT]: the server logged exactly this line.
expect() {
	local desc=$1 want=$2
	if wait_until "${3:-30}" grep -qxF -- "$want" "$SRVLOG"; then
		ok "$desc"
	else
		not_ok "$desc" "want: $want" \
			"got:  $(grep -E '^ike ' "$SRVLOG" | grep -vE 'MM1: chose|QM1: chose|established|inbound SA|DPD' | tail -n 3)"
	fi
}

attempt wrong-psk 10.72.0.2 "not the psk"
if wait_log "$SRVLOG" "phase 1: pre-shared key mismatch" 30; then
	line=$(grep "phase 1: pre-shared key mismatch" "$SRVLOG" | head -n 1)
	case $line in
	"ike 10.72.0.2:500: phase 1: pre-shared key mismatch: message 5 does not decrypt with our key ("*"); check the PSK configured for this peer" | \
	"ike 10.72.0.2:500: phase 1: pre-shared key mismatch: the peer's HASH_I does not verify; check the PSK configured for this peer")
		ok "wrong PSK: named as a pre-shared key mismatch" ;;
	*)	not_ok "wrong PSK: named as a pre-shared key mismatch" "$line" ;;
	esac
else
	not_ok "wrong PSK: named as a pre-shared key mismatch" "$(tail -n 5 "$SRVLOG")"
fi
if [ "$(grep -c 'pre-shared key mismatch' "$SRVLOG")" = 1 ]; then
	ok "wrong PSK: one line, not one per retransmission"
else
	not_ok "wrong PSK: one line, not one per retransmission" "$(grep -c 'pre-shared key mismatch' "$SRVLOG") lines"
fi

attempt md5 10.72.0.2 "$PSK" "ike = aes256-md5-modp2048!"
expect "phase 1 proposal: the hash is named" \
	"ike 10.72.0.2:500: phase 1: no proposal chosen: peer offers aes256-md5-modp2048 (md5 needs legacy = yes); we accept aes256-sha256-modp2048, aes256-sha1-modp2048, aes256-sha512-modp2048, aes256-sha384-modp2048, aes128-sha256-modp2048, aes128-sha1-modp2048, aes256-sha256-modp3072, aes256-sha256-modp4096, aes256-sha1-ecp384, aes256-sha384-ecp384, aes128-sha1-ecp256, aes128-sha256-ecp256, aes256-sha256-ecp256, ...; closest: aes256-md5-modp2048 vs our aes256-sha256-modp2048: hash (peer md5, we sha256) differs"

attempt gcm-only 10.72.0.3 "$PSK"
expect "phase 2 proposal: the cipher is named" \
	"ike 10.72.0.3:500: phase 2: no proposal chosen: peer offers aes256-sha1; we accept aes128gcm16; closest: aes256-sha1 vs our aes128gcm16: cipher (peer aes256, we aes128gcm16), integrity (peer sha1, we none) differs"

attempt pfs 10.72.0.4 "$PSK"
expect "phase 2 proposal: missing PFS is named" \
	"ike 10.72.0.4:500: phase 2: no proposal chosen: peer offers aes256-sha1; we accept aes256-sha1-modp2048; closest: aes256-sha1 vs our aes256-sha1-modp2048: PFS (peer none, we require modp2048) differs"

attempt tunnel 10.72.0.6 "$PSK" "type = tunnel"
expect "phase 2 proposal: tunnel mode is named" \
	"ike 10.72.0.6:500: phase 2: no proposal chosen: peer offers aes256-sha1/tunnel; we accept aes256-sha1, aes128-sha1, aes256-sha256, aes128-sha256, aes256-sha512, aes256-sha384, aes256gcm16, aes128gcm16, aes192-sha1; closest: aes256-sha1 vs our aes256-sha1: encapsulation (peer tunnel, we transport (no NAT detected)) differs"

attempt lifetime 10.72.0.7 "$PSK" "ikelifetime = 30s;margintime = 10s;rekeyfuzz = 0%"
expect "phase 1 proposal: a lifetime below min-lifetime is named" \
	"ike 10.72.0.7:500: phase 1: no proposal chosen: peer offers aes256-sha256-modp2048; we accept aes256-sha256-modp2048, aes256-sha1-modp2048, aes256-sha512-modp2048, aes256-sha384-modp2048, aes128-sha256-modp2048, aes128-sha1-modp2048, aes256-sha256-modp3072, aes256-sha256-modp4096, aes256-sha1-ecp384, aes256-sha384-ecp384, aes128-sha1-ecp256, aes128-sha256-ecp256, aes256-sha256-ecp256, ...; closest: aes256-sha256-modp2048 vs our aes256-sha256-modp2048: lifetime (peer 30 s, we at least 60 s) differs"

attempt tcp 10.72.0.8 "$PSK" "leftprotoport = 6/1701;rightprotoport = 6/1701"
expect "phase 2 selectors: TCP instead of UDP 1701 is named" \
	"ike 10.72.0.8:500: phase 2: selector mismatch: peer asks 10.72.0.8 tcp/1701 <-> 10.72.0.1 tcp/1701: L2TP/IPsec protects UDP"

attempt idcheck 10.72.0.5 "$PSK" "leftid = @other.example"
expect "phase 1 ID: an unexpected ID is named" \
	"ike 10.72.0.5:500: phase 1: unknown or mismatched ID: the peer says it is other.example (ID_FQDN), [peer idcheck] expects fqdn:expected.example"

# Our answers never reach the client: it retransmits its first message.
ip netns exec "$C" nft -f - <<'NFT'
table inet block72 {
	chain in {
		type filter hook input priority 0;
		ip saddr 10.72.0.1 ip daddr 10.72.0.9 udp sport 500 counter drop
	}
}
NFT
attempt silent 10.72.0.9 "$PSK"
expect "peer silent after our first reply: blocked replies are named" \
	"ike 10.72.0.9:500: phase 1: peer silent after our first reply: it sent its first message 3 more times, so our answers do not reach it: is UDP 500 from us to the peer blocked?" 60
# Each retransmitted MM1 was answered with our MM2 again: 1 + 3 on the wire.
n=$(ip netns exec "$C" nft list table inet block72 | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
if [ "$n" = 4 ]; then
	ok "responder: each duplicate MM1 answered with the last reply again (4 MM2 seen)"
else
	not_ok "responder: each duplicate MM1 answered with the last reply again" "MM2 seen: ${n:-none}, want 4"
fi
ip netns exec "$C" nft delete table inet block72

attempt aggressive 10.72.0.2 "$PSK" "aggressive = yes;leftid = @other.example"
expect "Aggressive Mode: refused with the reason" \
	"ike 10.72.0.2:500: phase 1: Aggressive Mode refused: it sends a hash of the pre-shared key to anyone who asks (offline guessing); configure the client for Main Mode or, accepting the risk, set aggressive = yes in [ike]"

attempt ikev2 10.72.0.3 "$PSK" "keyexchange = ikev2"
expect "IKEv2: refused with the reason" \
	"ike 10.72.0.3:500: IKEv2 is not supported: configure the client for L2TP/IPsec (IKEv1)"

[ -n "$CHARON_PID" ] && charon_stop "$CHARON_PID"
CHARON_PID=
if ! grep -q "ESP SA pair up" "$SRVLOG"; then
	ok "no SA reached the module in any of these cases"
else
	not_ok "no SA reached the module in any of these cases" "$(grep 'pair up' "$SRVLOG")"
fi

# ---- Aggressive Mode as an explicit opt-in ---------------------------------
bg_stop "$SRV_PID"
ip -n "$S" link del l2tpsec0 2>/dev/null
ike_daemon_start srv-am "$S" "[ike]
psk = $PSK
aggressive = yes
retransmit-timeout = 2s" || bail_out "l2tpsecd did not start with aggressive = yes"
SRVLOG=$TMPD/srv-am.err
if grep -qF "ike: aggressive = yes: Aggressive Mode with pre-shared keys is accepted: it sends a hash of the pre-shared key to anyone who asks with a plausible ID (offline guessing of the PSK) and the IDs travel in clear" "$SRVLOG"; then
	ok "aggressive = yes: the startup warning says why it is dangerous"
else
	not_ok "aggressive = yes: the startup warning says why it is dangerous" "$(head -n 5 "$SRVLOG")"
fi
start_xfrm_peer peer "$C" --local "10.72.0.2:1701" --remote "$SO:1701" \
	--tun tunC --addr 10.99.72.2/32 --peer-addr 10.99.72.1 \
	--tunnel-id 1 --session-id 1 --my-tunnel-id 2 --my-session-id 2 ||
	diag "xfrm peer did not start"
CHARON_EXTRA="i_dont_care_about_security_and_use_aggressive_mode_psk = yes" \
	attempt am-ok 10.72.0.2 "$PSK" "aggressive = yes;dpdaction = none"
if wait_until 60 grep -q "ESP SA pair up" "$SRVLOG" &&
   grep -q "phase 1 established as responder: aes256-sha256-modp2048, pre-shared key" "$SRVLOG" &&
   wait_log "$CH/charon.log" "CHILD_SA am-ok\{[0-9]+\} established" 20; then
	ok "aggressive = yes: charon's Aggressive Mode (PSK) + Quick Mode establish"
else
	not_ok "aggressive = yes: charon's Aggressive Mode (PSK) + Quick Mode establish" \
		"$(grep -E '^ike ' "$SRVLOG" | tail -n 10)" \
		"$(grep -E 'IKE\]|ENC\]' "$CH/charon.log" | tail -n 12)"
fi
peer=$(ike_peer_ids "$S" | tail -n 1)
if [ -n "$peer" ]; then
	ike_static_session "$S" "$peer" 10.99.72.1 10.99.72.2 >/dev/null
	ip -n "$S" link set l2tpsec0 up
fi
check "aggressive = yes: ping 10.99.72.1 across the negotiated SAs (client -> server)" \
	ike_ping "$C" 10.99.72.1 3
check "aggressive = yes: ping 10.99.72.2 across the negotiated SAs (server -> client)" \
	ike_ping "$S" 10.99.72.2 3
[ -n "$CHARON_PID" ] && charon_stop "$CHARON_PID"
if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi
ksft_exit
