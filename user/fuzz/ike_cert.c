// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: certificate payload handling in IKE (ike/cert.c): a
 * peer's certificate and the ones it sent along, as the CERT payloads'
 * DER, verified against a fixed CA (its certificate is below; the seeds
 * are certificates it and an intermediate issued), checked as a server's
 * certificate when we initiate (extended key usage, our [peer]'s id or
 * the server's address in subjectAltName), matched against the peer's ID
 * payload, and their names formatted for log lines.
 *
 * Input: a flags byte (bit 0 we initiate, bit 1 the [peer] names an id,
 * bit 2 the last chunk is an ID payload body for cert_matches_id), then
 * chunks [len hi][len lo][bytes]: the peer's certificate first, then up
 * to 4 intermediates.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/x509.h>

#include "ike/ike.h"
#include "ike/ike_int.h"
#include "ike/payload.h"
#include "log.h"
#include "loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ca_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB0jCCAXmgAwIBAgIUY3UaAY8VwAGr6D+E/ibhJEGbx6EwCgYIKoZIzj0EAwIw\n"
	"NjELMAkGA1UEBhMCQ0gxFTATBgNVBAoMDGwydHBzZWMgZnV6ejEQMA4GA1UEAwwH\n"
	"RnV6eiBDQTAgFw0yNjEyMDcyMjAyMDZaGA8yMTI2MTExMzIyMDIwNlowNjELMAkG\n"
	"A1UEBhMCQ0gxFTATBgNVBAoMDGwydHBzZWMgZnV6ejEQMA4GA1UEAwwHRnV6eiBD\n"
	"QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABGQSWsqF2mHoiuwWABnF6LqBt5mB\n"
	"W9vpf4yepvtTKaucZ3yn5cDvm28DT46UT4rpBWpl666yVLJf1i+h5cbMtC+jYzBh\n"
	"MB0GA1UdDgQWBBSaIBn7wypcLZJXfibXxSCBCQfkKTAfBgNVHSMEGDAWgBSaIBn7\n"
	"wypcLZJXfibXxSCBCQfkKTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIB\n"
	"BjAKBggqhkjOPQQDAgNHADBEAiAIaEF7BSP51L+PAL+EbbF5eDVRVg2mi4/7mKat\n"
	"Mxr1/gIgT8K2hSQOG8SE7x9Jf1fla3pVqdaLbkw19TtziyTw2+c=\n"
	"-----END CERTIFICATE-----\n";

/* FUZZ_LOG=1 in the environment: the daemon's lines on stderr. */
static void discard(void *arg, enum log_level lvl, const char *line)
{
	static int show = -1;

	(void)arg;
	(void)lvl;
	if (show < 0)
		show = getenv("FUZZ_LOG") != NULL;
	if (show)
		fprintf(stderr, "%s\n", line);
}

static char ca_path[] = "/tmp/l2tpsec-fuzz-ca-XXXXXX";

static const char *ca_file(void)
{
	static int done;
	int fd;

	if (done)
		return ca_path;
	fd = mkstemp(ca_path);
	if (fd < 0 || write(fd, ca_pem, sizeof(ca_pem) - 1) !=
		      (ssize_t)(sizeof(ca_pem) - 1))
		abort();
	close(fd);
	done = 1;
	return ca_path;
}

struct chunk {
	const uint8_t	*p;
	size_t		len;
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_peer_conf pc;
	struct chunk c[6];
	struct ike_sa sa;
	struct loop *loop;
	struct ike *ike = NULL;
	STACK_OF(X509) *untrusted = NULL;
	char buf[512], err[128];
	unsigned int n = 0, i, ncerts;
	size_t off = 1;
	uint8_t flags;

	if (size < 1)
		return 0;
	flags = data[0];
	while (off + 2 <= size && n < 6) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (len > size - off)
			len = size - off;
		c[n++] = (struct chunk){ data + off, len };
		off += len;
	}
	if (!n)
		return 0;
	ncerts = (flags & 4) && n > 1 ? n - 1 : n;
	log_set_sink(discard, NULL);
	loop = loop_new();
	if (!loop)
		return 0;
	ike = ike_new(loop, NULL);
	if (!ike)
		goto out;
	ike->conf.ca_file = strdup(ca_file());
	if (!ike->conf.ca_file || cert_load(ike))
		goto out;
	memset(&pc, 0, sizeof(pc));
	snprintf(pc.name, sizeof(pc.name), "office");
	if ((flags & 2) &&
	    ike_idconf_parse(&pc.peer_id, "fqdn:vpn.example", err, sizeof(err)))
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.ike = ike;
	sa.pc = &pc;
	sa.initiator = flags & 1;
	sa.remote.sin_family = AF_INET;
	sa.remote.sin_port = htons(500);
	inet_pton(AF_INET, "192.0.2.1", &sa.remote.sin_addr);

	/* the names of every chunk, as log lines show them */
	for (i = 0; i < n; i++)
		cert_dn_str(c[i].p, c[i].len, buf, sizeof(buf));

	untrusted = sk_X509_new_null();
	if (!untrusted)
		goto out;
	for (i = 1; i < ncerts; i++) {
		const unsigned char *p = c[i].p;
		X509 *x = d2i_X509(NULL, &p, (long)c[i].len);

		if (x && !sk_X509_push(untrusted, x))
			X509_free(x);
	}
	if (cert_verify_peer(&sa, c[0].p, c[0].len, untrusted) == 0) {
		if (sa.initiator)
			(void)cert_check_server(&sa);
		if (sa.peer_cert) {
			cert_name_str(X509_get_subject_name(sa.peer_cert), buf,
				      sizeof(buf));
			if (flags & 4 && n > 1) {
				struct ike_id id;
				const char *why;

				if (!ike_id_parse(c[n - 1].p, c[n - 1].len,
						  &id, &why))
					(void)cert_matches_id(sa.peer_cert, &id);
			}
		}
	}
	X509_free(sa.peer_cert);
out:
	sk_X509_pop_free(untrusted, X509_free);
	ike_free(ike);
	loop_free(loop);
	return 0;
}
