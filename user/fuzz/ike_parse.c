// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the ISAKMP codec on one datagram. The header, the
 * payload chain (as plain and as decrypted-with-padding), and every typed
 * body, with both proposal decoders and the choice (whose explanation
 * builder formats peer data).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ike/ike_int.h"
#include "ike/payload.h"
#include "ike/proposal.h"
#include "log.h"

static void discard(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	(void)line;
}

static void bodies(const struct ike_msg *m)
{
	struct p1_xform x1[IKE_MAX_OFFERS];
	struct p2_xform x2[IKE_MAX_OFFERS];
	struct p1_alg a1[IKE_MAX_ALGS];
	struct p2_alg a2[IKE_MAX_ALGS];
	const char *why;
	char buf[900];
	unsigned int i, skipped;
	size_t n, n1, n2;

	p1_defaults(true, a1, IKE_MAX_ALGS, &n1);
	p2_defaults(true, a2, IKE_MAX_ALGS, &n2);
	for (i = 0; i < m->n; i++) {
		const struct ike_pl *p = &m->pl[i];

		switch (p->type) {
		case ISAKMP_NP_SA:
			if (!p1_offers_parse(p->body, p->len, x1,
					     IKE_MAX_OFFERS, &n, &why)) {
				struct p1_policy pol = {
					.algs = a1, .n = n1, .min_life = 60,
					.auth_mask = AUTH_MASK(AUTH_PSK),
				};

				p1_select(&pol, x1, n, buf, sizeof(buf));
			}
			if (!p2_offers_parse(p->body, p->len, x2,
					     IKE_MAX_OFFERS, &n, &skipped,
					     &why)) {
				struct p2_policy pol = {
					.algs = a2, .n = n2, .min_life = 60,
					.nat = p->len & 1,
				};

				p2_select(&pol, x2, n, buf, sizeof(buf));
			}
			break;
		case ISAKMP_NP_ID: {
			struct ike_id id;

			if (!ike_id_parse(p->body, p->len, &id, &why)) {
				ike_id_str(&id, buf, sizeof(buf));
				if (id.type == ID_DER_ASN1_DN)
					cert_dn_str(id.data, id.len, buf,
						    sizeof(buf));
			}
			break;
		}
		case ISAKMP_NP_N: {
			struct ike_notify nt;

			if (!ike_notify_parse(p->body, p->len, &nt, &why))
				(void)ike_notify_name(nt.type);
			break;
		}
		case ISAKMP_NP_D: {
			struct ike_delete d;

			ike_delete_parse(p->body, p->len, &d, &why);
			break;
		}
		case ISAKMP_NP_CERT: {
			struct ike_cert c;

			ike_cert_parse(p->body, p->len, &c, &why);
			break;
		}
		case ISAKMP_NP_NATOA:
		case ISAKMP_NP_NATOA_DRAFT: {
			struct ike_natoa o;

			ike_natoa_parse(p->body, p->len, &o, &why);
			break;
		}
		case ISAKMP_NP_FRAG: {
			struct ike_frag f;

			ike_frag_parse(p->body, p->len, &f, &why);
			break;
		}
		default:
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isakmp_hdr h;
	struct ike_msg m;
	const char *why = NULL;

	log_set_sink(discard, NULL);
	if (size < ISAKMP_HDR_LEN)
		return 0;
	/* Let the fuzzer skip the length check too. */
	if (ike_hdr_parse(data, size, &h, &why)) {
		h.np = data[16];
	}
	if (!ike_chain_parse(h.np, data + ISAKMP_HDR_LEN,
			     size - ISAKMP_HDR_LEN, false, &m, &why))
		bodies(&m);
	if (!ike_chain_parse(h.np, data + ISAKMP_HDR_LEN,
			     size - ISAKMP_HDR_LEN, true, &m, &why))
		bodies(&m);
	return 0;
}
