#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=1200
#
# 75-ike-rekey: lifetimes, rekeys and dead peers, with traffic.
#
# charon's schedule: ESP rekeys every 20 s (keylife 40 s, margin 20 s),
# phase 1 re-authentication at 50 s (ikelifetime 70 s): kept apart; when
# they coincided (keylife 40 s, ikelifetime 60 s) charon neither rekeyed
# its CHILD_SA nor re-created it on the new IKE_SA.
#
#  1. strongSwan (client) rekeys its ESP SAs after 20 s while a ping runs
#     at 10/s across them: the new pair goes into the module, TX moves to
#     it when the client uses it, the old pair goes when the client deletes
#     it; at most a handful of pings are lost.
#  2. The client re-authenticates phase 1 (a new Main Mode): the ESP SAs
#     and the traffic survive.
#  3. INITIAL-CONTACT: the client restarts without a DELETE; its new
#     Main Mode says INITIAL-CONTACT and the old SAs and module peer go.
#  4. DPD: the client vanishes without a DELETE; its SAs go.
#  5. l2tpsecd as initiator rekeys its ESP SAs on the module's soft expiry
#     (ipsec-lifetime 25 s, rekey-margin 10 s) under traffic; the module
#     has the negotiated soft and hard lifetimes.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike-lib.sh"

ike_lab 75
PSK="rekey psk 75"

ktap_plan 16

dmesg_mark
ike_lab_net

ike_daemon_start srv "$S" "[ike]
psk = $PSK
retransmit-timeout = 2s
rekey-grace = 3s
min-lifetime = 20
dpd-delay = 2
dpd-timeout = 6" || bail_out "l2tpsecd did not start"
SRV_PID=$BG_PID
LOG=$TMPD/srv.err

ike_lab_peer || bail_out "xfrm peer"

mkdir -p "$CH"
charon_conf "$CH" "config setup
	uniqueids = no
conn rekey
	keyexchange = ikev1
	authby = secret
	type = transport
	left = $CO
	leftprotoport = 17/1701
	right = $SO
	rightprotoport = 17/1701
	ike = aes256-sha256-modp2048!
	esp = aes128-sha1!
	keylife = 40s
	ikelifetime = 70s
	margintime = 20s
	rekeyfuzz = 0%
	reauth = yes
	auto = start
	dpdaction = none" "$CO $SO : PSK \"$PSK\"" || bail_out "charon conf"
charon_start charon "$C" "$CH" || bail_out "charon"
CHARON_PID=$BG_PID

if wait_log "$LOG" "ESP SA pair up" 60; then
	ok "established"
else
	not_ok "established" "$(tail -n 10 "$LOG")"
fi
peer=$(ike_peer_ids "$S" | head -n 1)
ike_static_session "$S" "$peer" "$SI" "$CI" >/dev/null
ip -n "$S" link set l2tpsec0 up
ike_ping "$C" "$SI" 2 >/dev/null

hard=$(json_query "$S" l2tpsec0 "[s['lifetimes']['hard_seconds'] for s in dev['sas']][0]")
if [ "$hard" = 40 ]; then
	ok "lifetime: the module's SAs expire after the client's 40 s"
else
	not_ok "lifetime: the module's SAs expire after the client's 40 s" "hard_seconds $hard"
fi

# ---- 1. the client rekeys under traffic -------------------------------------
nsx "$C" ping -i 0.1 -c 550 -W 1 "$SI" >"$TMPD/ping1" 2>&1 &
PING1=$!
if wait_log "$LOG" "ESP SA pair up: .*\(rekey\)" 60; then
	ok "client rekey: the new SA pair is in the module"
else
	not_ok "client rekey: the new SA pair is in the module" "$(tail -n 10 "$LOG")"
fi
if wait_log "$LOG" "TX now on SA .* \(the peer uses the new SA\)" 20; then
	ok "client rekey: TX moved when the client used the new SA"
else
	not_ok "client rekey: TX moved when the client used the new SA" "$(tail -n 10 "$LOG")"
fi
if wait_log "$LOG" "ESP SA pair .* deleted: (deleted by the peer|replaced by a rekeyed SA pair)" 30; then
	ok "client rekey: the old pair is gone ($(grep -oE 'deleted: (deleted by the peer|replaced by a rekeyed SA pair)' "$LOG" | head -n 1))"
else
	not_ok "client rekey: the old pair is gone" "$(tail -n 10 "$LOG")"
fi

# ---- 2. phase 1 re-authentication --------------------------------------------
if wait_log "$LOG" "phase 1 established as responder" 5 &&
   wait_until 90 sh -c "[ \$(grep -c 'phase 1 established as responder' '$LOG') -ge 2 ]"; then
	ok "client phase 1 re-authentication: a new ISAKMP SA"
else
	not_ok "client phase 1 re-authentication: a new ISAKMP SA" "$(grep -E 'phase 1|ISAKMP' "$LOG" | tail -n 5)"
fi
wait "$PING1"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TMPD/ping1")
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMPD/ping1")
lost=$(( ${sent:-0} - ${recv:-0} ))
if [ "${sent:-0}" -ge 500 ] && [ "$lost" -le 5 ]; then
	ok "traffic across rekeys and re-authentication: $lost of $sent pings lost"
else
	not_ok "traffic across rekeys and re-authentication (at most 5 lost)" "$(tail -n 3 "$TMPD/ping1")" \
		"$(grep -E 'pair|TX|ISAKMP|phase 1' "$LOG" | tail -n 12)"
fi
check "after the rekeys: ping $CI (server -> client)" ike_ping "$S" "$CI" 3

# ---- 3. INITIAL-CONTACT ------------------------------------------------------
# The client restarts (no DELETE) and starts afresh with INITIAL-CONTACT.
old_peer=$(ike_peer_ids "$S" | head -n 1)
charon_kill "$CHARON_PID"
xfrm_flush "$C"
npairs=$(grep -c 'ESP SA pair up' "$LOG")
charon_start charon-restarted "$C" "$CH" || diag "charon did not restart"
CHARON_PID=$BG_PID
pairs_more() { [ "$(grep -c 'ESP SA pair up' "$LOG")" -gt "$npairs" ]; }
sas=
if wait_log "$LOG" "INITIAL-CONTACT: removing the SAs of the peer's previous session" 40 &&
   wait_until 30 pairs_more; then
	sas=$(json_query "$S" l2tpsec0 "len(dev.get('sas', []))" "len(dev.get('peers', []))" \
		"[p['id'] for p in dev['peers']][0]")
fi
read -r nsa npeer new_peer <<<"$sas"
if [ "${nsa:-}" = 2 ] && [ "${npeer:-}" = 1 ] && [ "$new_peer" != "$old_peer" ]; then
	ok "INITIAL-CONTACT: the restarted client's old SAs and module peer are gone, one new pair"
else
	not_ok "INITIAL-CONTACT: the restarted client's old SAs and module peer are gone" \
		"module: ${sas:-?} (SAs, peers, peer id; old peer $old_peer)" "$(tail -n 8 "$LOG")"
fi
peer=$(ike_peer_ids "$S" | head -n 1)
ike_static_session "$S" "$peer" "$SI" "$CI" >/dev/null
check "after INITIAL-CONTACT: ping $SI across the new SAs" ike_ping "$C" "$SI" 3

# ---- 4. DPD ----------------------------------------------------------------
# The client vanishes: no DELETE, no answers.
charon_kill "$CHARON_PID"
if wait_log "$LOG" "DPD: peer dead: no R-U-THERE-ACK for 6 s; deleting its SAs" 40; then
	ok "DPD: the vanished client is declared dead"
else
	not_ok "DPD: the vanished client is declared dead" "$(tail -n 8 "$LOG")"
fi
if wait_until 10 sh -c "[ -z \"\$(ip netns exec $S $L2TPSEC_BIN -j show l2tpsec0 | grep '\"spi\"')\" ]"; then
	ok "DPD: its SAs and peer are gone from the module"
else
	not_ok "DPD: its SAs and peer are gone from the module"
fi
bg_stop "$SRV_PID"
ip -n "$C" xfrm state flush
ip -n "$C" xfrm policy flush

# ---- 5. we initiate and rekey on the module's soft expiry -------------------
ip -n "$S" link del l2tpsec0
charon_conf "$CH" "config setup
	uniqueids = no
conn lns
	keyexchange = ikev1
	authby = secret
	type = transport
	left = $CO
	leftprotoport = 17/1701
	right = %any
	rightprotoport = 17/1701
	ike = aes256-sha256-modp2048!
	esp = aes128-sha1!
	rekey = no
	auto = add" ": PSK \"$PSK\"" || bail_out "charon conf 2"
charon_start charon2 "$C" "$CH" || bail_out "charon 2"
ike_daemon_start lac "$S" "[ike]
retransmit-timeout = 2s
rekey-grace = 3s
rekey-margin = 10
min-lifetime = 20
[peer lns]
remote = $CO
initiate = yes
psk = $PSK
ipsec-lifetime = 25
esp = aes128-sha1" || bail_out "l2tpsecd initiator"
LOG=$TMPD/lac.err
life=
if wait_log "$LOG" "ESP SA pair up" 60; then
	peer=$(ike_peer_ids "$S" | head -n 1)
	ike_static_session "$S" "$peer" "$SI" "$CI" >/dev/null
	ip -n "$S" link set l2tpsec0 up
	life=$(json_query "$S" l2tpsec0 "sorted(set((s['lifetimes']['soft_seconds'], s['lifetimes']['hard_seconds']) for s in dev['sas']))")
fi
if [ "$life" = "[(15, 25)]" ]; then
	ok "initiator: the module's SAs: soft 15 s (rekey-margin 10), hard 25 s (ipsec-lifetime)"
else
	not_ok "initiator: the module's SA lifetimes soft 15 s, hard 25 s" "got ${life:-nothing}"
fi
nsx "$C" ping -i 0.1 -c 300 -W 1 "$SI" >"$TMPD/ping3" 2>&1 &
PING3=$!
if wait_log "$LOG" "soft lifetime reached: rekeying" 60 &&
   wait_log "$LOG" "ESP SA pair up: .*\(rekey\)" 30 &&
   wait_log "$LOG" "TX now on SA" 20; then
	ok "initiator: soft expiry from the module starts a rekey; TX moves to the new pair"
else
	not_ok "initiator: soft expiry from the module starts a rekey" "$(tail -n 12 "$LOG")"
fi
wait "$PING3"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$TMPD/ping3")
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$TMPD/ping3")
lost=$(( ${sent:-0} - ${recv:-0} ))
if [ "${sent:-0}" -ge 250 ] && [ "$lost" -le 5 ]; then
	ok "initiator rekey under traffic: $lost of $sent pings lost"
else
	not_ok "initiator rekey under traffic (at most 5 lost)" "$(tail -n 3 "$TMPD/ping3")" \
		"$(grep -E 'pair|TX|soft' "$LOG" | tail -n 10)"
fi

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi
ksft_exit
