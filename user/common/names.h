/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the l2tpsec UAPI values (ciphers, directions, events...) as the
 * command line and the output spell them, and of the netlink attributes,
 * to say which one the kernel rejected.
 */
#ifndef L2TPSEC_COMMON_NAMES_H
#define L2TPSEC_COMMON_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

struct l2_name {
	unsigned int	value;
	const char	*name;
};

/* Each map ends with { 0, NULL }. */
extern const struct l2_name l2_cipher_names[];
extern const struct l2_name l2_integ_names[];
extern const struct l2_name l2_dir_names[];
extern const struct l2_name l2_encap_names[];
extern const struct l2_name l2_frame_kind_names[];
extern const struct l2_name l2_event_names[];
extern const struct l2_name l2_reason_names[];

/* The name of @value, or NULL. */
const char *l2_name(const struct l2_name *map, unsigned int value);
/* The value named @name: 0 and *value set, or -ENOENT. */
int l2_value(const struct l2_name *map, const char *name,
	     unsigned int *value);
/* "a|b|c": the accepted names, for messages. */
void l2_names_list(const struct l2_name *map, char *buf, size_t len);

/*
 * Name the attribute found at byte @offs of request @req (as in
 * NLMSGERR_ATTR_OFFS), e.g. "sa enc-key". Returns 0, or -ENOENT when no
 * attribute starts there.
 */
int l2_attr_at(const struct nlmsghdr *req, uint32_t offs, char *buf,
	       size_t len);
/*
 * Name a missing attribute (NLMSGERR_ATTR_MISS_TYPE, in the nest at
 * NLMSGERR_ATTR_MISS_NEST when @has_nest).
 */
int l2_attr_missing(const struct nlmsghdr *req, int has_nest,
		    uint32_t nest_offs, uint32_t type, char *buf, size_t len);

#endif /* L2TPSEC_COMMON_NAMES_H */
