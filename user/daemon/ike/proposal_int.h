/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pieces proposal.c, proposal_lists.c and algorithms.c share.
 */
#ifndef L2TPSECD_IKE_PROPOSAL_INT_H
#define L2TPSECD_IKE_PROPOSAL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proposal.h"

struct name_map {
	const char	*name;
	uint16_t	v1, v2;		/* value, key length */
	bool		legacy;
};

/* A list of names into a bounded buffer, "a, b, c", marked when full. */
struct strlist {
	char	*buf;
	size_t	len, used;
	bool	full;
};

void strlist_add(struct strlist *sl, const char *item);
const struct name_map *name_lookup(const struct name_map *m, size_t n,
				   const char *s, size_t len);
bool p2_is_aead(uint8_t esp);

const char *p1_enc_name(uint16_t enc, uint16_t keylen);
const char *hash_name(uint16_t h);
const char *aalg_name(uint16_t a);
void p2_enc_str(const struct p2_alg *a, char *buf, size_t len);

#endif
