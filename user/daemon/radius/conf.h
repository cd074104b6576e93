/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the [radius] section (l2tpsecd.conf(5)). Parsed here, beside
 * the client it configures; the daemon registers it (main.c) and hands
 * the result to the L2TP side, which owns the client.
 *
 * The shared secret is read from secret-file (checked as every file of
 * secrets is: no symbolic link, owned by root or us, mode 0600) by
 * radius_conf_load_secret(), at the start and by --check-config; a
 * reload compares the settings and names a change as needing a restart.
 */
#ifndef L2TPSECD_RADIUS_CONF_H
#define L2TPSECD_RADIUS_CONF_H

#include <stdbool.h>

#include "radius.h"

struct config_loader;

enum radius_order {
	RADIUS_ORDER_LOCAL_FIRST,	/* chap-secrets, then RADIUS */
	RADIUS_ORDER_RADIUS_ONLY,	/* chap-secrets is not asked */
};

struct radius_conf {
	bool			present;	/* [radius] given */
	struct radius_cfg	cfg;		/* secrets: see load_secret */
	char			secret_file[256];
	enum radius_order	order;
	char			servers_text[512];	/* as given, for logs */
};

void radius_conf_init(struct radius_conf *c);
void radius_conf_register(struct config_loader *ld, struct radius_conf *c);
/*
 * Read the shared secret (its first line, 1..128 bytes) from
 * c->secret_file into every server. 0 (also when [radius] is absent), or
 * -errno with one line logged naming the file, the cause and the fix.
 */
int radius_conf_load_secret(struct radius_conf *c);
/* The settings, secrets aside, are the same. */
bool radius_conf_same(const struct radius_conf *a,
		      const struct radius_conf *b);
const char *radius_order_str(enum radius_order o);

#endif
