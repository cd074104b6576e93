#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900
#
# 76-ike-certs: Main Mode with RSA signatures on X.509 certificates
# (Windows' default for L2TP/IPsec), strongSwan's charon as the client,
# certificates made here with openssl:
#
#   a good client certificate       established, traffic; IKE fragments
#                                   both ways (charon forced to fragment,
#                                   we fragment at 576 bytes)
#   expired                         phase 1: certificate expired ...
#   not yet valid                   ... not yet valid ... clock skew?
#   another CA                      phase 1: certificate untrusted ...
#   a certificate the [peer] does   phase 1: unknown or mismatched ID ...
#   not expect

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ike-lib.sh"

ike_lab 76
require_cmd openssl
PKI=$TMPD/pki
O="/C=CH/O=l2tpsec test"

ktap_plan 10

# ---- the PKI -------------------------------------------------------------
mkdir -p "$PKI/newcerts" "$PKI/newcerts2"
: >"$PKI/index.txt"
: >"$PKI/index2.txt"
echo 1000 >"$PKI/serial"
echo 2000 >"$PKI/serial2"
ca_cnf() {	# ca_cnf SUFFIX
	cat <<CNF
[ ca ]
default_ca = ca
[ ca ]
database = $PKI/index$1.txt
new_certs_dir = $PKI/newcerts$1
serial = $PKI/serial$1
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
default_days = 30
preserve = yes
[ any ]
commonName = supplied
countryName = optional
organizationName = optional
CNF
}
ca_cnf "" >"$PKI/ca.cnf"
ca_cnf 2 >"$PKI/ca2.cnf"
# shellcheck disable=SC2120	# $1.. are set by `eval set --` below
# RSA key generation is slow under QEMU's emulation: the CAs sign with
# P-256 keys, and the four client certificates share one RSA key.
mkpki() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$PKI/ca.key" -out "$PKI/ca.pem" \
		-subj "$O/CN=l2tpsec Test CA" -days 30 &&
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$PKI/ca2.key" -out "$PKI/ca2.pem" \
		-subj "$O/CN=Some Other CA" -days 30 &&
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$PKI/srv.key" &&
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$PKI/client.key" || return 1
	for k in expired future other; do
		cp "$PKI/client.key" "$PKI/$k.key"
	done
	# name SUBJECT-CN SAN CA-SUFFIX [STARTDATE ENDDATE]
	for spec in "srv vpn.example DNS:vpn.example,IP:$SO ''" \
		    "client client1 DNS:client1.example ''" \
		    "expired client1 DNS:client1.example '' 20200101000000Z 20210101000000Z" \
		    "future client1 DNS:client1.example '' 20400101000000Z 20410101000000Z" \
		    "other client1 DNS:client1.example 2"; do
		eval "set -- $spec"
		openssl req -new -key "$PKI/$1.key" -subj "$O/CN=$2" \
			-addext "subjectAltName=$3" -out "$PKI/$1.csr" || return 1
		openssl ca -batch -config "$PKI/ca$4.cnf" -cert "$PKI/ca$4.pem" \
			-keyfile "$PKI/ca$4.key" -in "$PKI/$1.csr" \
			-out "$PKI/$1.pem" -notext ${5:+-startdate "$5" -enddate "$6"} ||
			return 1
	done
	chmod 600 "$PKI"/*.key
}
if out=$(mkpki 2>&1); then
	ok "test PKI: two CAs; good, expired, not yet valid and foreign client certificates"
else
	bail_out "openssl: $out"
fi

dmesg_mark
ike_lab_net
ip -n "$C" addr add 10.76.0.3/24 dev vC

ike_daemon_start srv "$S" "[ike]
cert = $PKI/srv.pem
key = $PKI/srv.key
ca = $PKI/ca.pem
fragment-size = 576
retransmit-timeout = 2s
[peer pinned]
remote = 10.76.0.3
auth = cert
id = C=CH, O=l2tpsec test, CN=client2" || bail_out "l2tpsecd did not start"
LOG=$TMPD/srv.err
ike_lab_peer || bail_out "xfrm peer"

# charon's IKE fragments fit 576 bytes: its message 5 (ID, certificate,
# signature) is about 1100 bytes and goes in fragments.
CHARON_EXTRA="fragment_size = 576"
CHARON_PID=
# attempt NAME CERT CN [EXTRA]: charon authenticating with certificate CERT.
attempt() {
	local name=$1 cert=$2 cn=$3 extra=${4:-} left=${LEFT:-$CO}
	[ -n "$CHARON_PID" ] && charon_stop "$CHARON_PID"
	CHARON_PID=
	rm -rf "$CH"
	mkdir -p "$CH"
	charon_conf "$CH" "config setup
	uniqueids = no
conn $name
	keyexchange = ikev1
	authby = rsasig
	type = transport
	left = $left
	leftprotoport = 17/1701
	leftcert = $cert.pem
	leftid = \"C=CH, O=l2tpsec test, CN=$cn\"
	right = $SO
	rightprotoport = 17/1701
	rightid = \"C=CH, O=l2tpsec test, CN=vpn.example\"
	ike = aes256-sha1-ecp384,aes256-sha1-modp2048!
	esp = aes256-sha1!
	auto = start
	keyingtries = 1
	${extra//;/$'\n\t'}" ": RSA $cert.key" || return 1
	cp "$PKI/ca.pem" "$CH/ipsec.d/cacerts/"
	cp "$PKI/$cert.pem" "$CH/ipsec.d/certs/"
	cp "$PKI/$cert.key" "$CH/ipsec.d/private/"
	charon_start "charon-$name" "$C" "$CH" && CHARON_PID=$BG_PID
}

diag "$(date +%T) PKI done"
attempt good client client1 "fragmentation = force"
if wait_log "$LOG" "ESP SA pair up" 60 &&
   grep -q "phase 1 established as responder: aes256-sha1-ecp384, RSA signature, .*peer ID C=CH, O=l2tpsec test, CN=client1" "$LOG"; then
	ok "RSA signatures: established with the client's certificate"
else
	not_ok "RSA signatures: established with the client's certificate" "$(tail -n 10 "$LOG")" \
		"$(grep -E 'IKE\]|CFG\]' "$CH/charon.log" | tail -n 12)"
fi
if grep -q "reassembled a [0-9]*-byte message from fragments" "$LOG"; then
	ok "fragmentation: the client's fragmented message 5 is reassembled"
else
	not_ok "fragmentation: the client's fragmented message 5 is reassembled" "$(grep -iE 'frag|established' "$LOG" | tail -n 5)"
fi
if grep -qiE "received fragment|reassembl" "$CH/charon.log" &&
   grep -qE "IKE_SA good\[[0-9]+\] established" "$CH/charon.log"; then
	ok "fragmentation: charon reassembles our fragmented message 6"
else
	not_ok "fragmentation: charon reassembles our fragmented message 6" "$(grep -iE 'frag|established' "$CH/charon.log" | tail -n 5)"
fi
peer=$(ike_peer_ids "$S" | tail -n 1)
if [ -n "$peer" ]; then
	ike_static_session "$S" "$peer" "$SI" "$CI" >/dev/null
	ip -n "$S" link set l2tpsec0 up
fi
check "RSA signatures: ping across the SAs" ike_ping "$C" "$SI" 3
diag "$(date +%T) good done"

# expect DESC REGEX: the server's failure line.
expect() {
	if wait_log "$LOG" "$2" 40; then
		ok "$1"
	else
		not_ok "$1" "want: $2" "got: $(grep -E '^ike ' "$LOG" | tail -n 3)"
	fi
}
diag "$(date +%T) failures"
attempt expired expired client1
expect "expired certificate: named" \
	"^ike $CO:500: phase 1: certificate expired: C=CH, O=l2tpsec test, CN=client1 was valid until 2021-01-01 00:00:00 UTC; our clock says 2[0-9-]+ [0-9:]+ UTC\$"
attempt future future client1
expect "certificate not yet valid: named, with clock skew" \
	"^ike $CO:500: phase 1: certificate not yet valid: C=CH, O=l2tpsec test, CN=client1 is valid from 2040-01-01 00:00:00 UTC, our clock says .*: clock skew\? check the time on both ends\$"
attempt foreign other client1
expect "certificate of another CA: untrusted" \
	"^ike $CO:500: phase 1: certificate untrusted: C=CH, O=l2tpsec test, CN=client1 is issued by C=CH, O=l2tpsec test, CN=Some Other CA, which our ca \(.*/ca.pem\) does not vouch for\$"
LEFT=10.76.0.3 attempt pinned client client1
expect "a certificate the [peer] does not expect: named" \
	"^ike 10.76.0.3:500: phase 1: unknown or mismatched ID: the peer says it is C=CH, O=l2tpsec test, CN=client1 \(ID_DER_ASN1_DN\), \[peer pinned\] expects C=CH, O=l2tpsec test, CN=client2\$"
[ -n "$CHARON_PID" ] && charon_stop "$CHARON_PID"

if out=$(dmesg_clean); then
	ok "dmesg: no WARNING, BUG or Call Trace"
else
	not_ok "dmesg: no WARNING, BUG or Call Trace" "$out"
fi
ksft_exit
