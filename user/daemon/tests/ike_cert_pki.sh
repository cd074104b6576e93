#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ike_cert_pki.sh DIR: the test PKI of daemon/tests/ike_cert_test.c, made with the
# openssl command: a CA, an intermediate, server certificates with and
# without the server address in subjectAltName, with a client EKU, with
# an encryption-only key usage, with the ipsecIKE EKU, one issued by the
# intermediate, one revoked in crl.pem, and an unrelated CA.
set -e
D=$1; cd "$D"
cat > ca.cnf <<'C'
[ca]
default_ca = ca
[ca]
database = index.txt
default_md = sha256
default_crl_days = 30
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
C
touch index.txt
q() { "$@" >/dev/null 2>&1; }
q openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=Test CA" -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign"
q openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 30 -subj "/CN=Other CA" -addext "basicConstraints=critical,CA:true"
leaf() { # name issuer subject ext...
	local n=$1 iss=$2 subj=$3; shift 3
	printf '%s\n' "$@" > $n.ext
	q openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj "$subj"
	q openssl x509 -req -in $n.csr -CA $iss.pem -CAkey $iss.key -CAcreateserial -out $n.pem -days 30 -extfile $n.ext
}
leaf inter ca "/CN=Test Intermediate" "basicConstraints=critical,CA:true" "keyUsage=critical,keyCertSign,cRLSign"
leaf srv ca "/CN=vpn.example.org" "subjectAltName=IP:192.0.2.1,DNS:vpn.example.org" "keyUsage=digitalSignature" "extendedKeyUsage=serverAuth"
leaf noname ca "/CN=someone.example.org" "subjectAltName=DNS:someone.example.org" "keyUsage=digitalSignature"
leaf ekuclient ca "/CN=client.example.org" "subjectAltName=IP:192.0.2.1" "extendedKeyUsage=clientAuth"
leaf kuenc ca "/CN=enc.example.org" "subjectAltName=IP:192.0.2.1" "keyUsage=keyEncipherment"
leaf ike ca "/CN=ike.example.org" "subjectAltName=IP:192.0.2.1" "extendedKeyUsage=1.3.6.1.5.5.7.3.17"
leaf viainter inter "/CN=via.example.org" "subjectAltName=IP:192.0.2.1"
leaf revoked ca "/CN=revoked.example.org" "subjectAltName=IP:192.0.2.1"
q openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -revoke revoked.pem
q openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -gencrl -out crl.pem
