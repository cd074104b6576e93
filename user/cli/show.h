/* SPDX-License-Identifier: GPL-2.0 */
/*
 * show, dev show, peer show, sa show, session show.
 */
#ifndef L2TPSEC_CLI_SHOW_H
#define L2TPSEC_CLI_SHOW_H

#include "cli.h"
#include "objects.h"

/* One device and its objects, as `show` prints them. */
struct show_dev {
	struct l2_dev		dev;
	struct l2_peer		*peers;
	size_t			n_peers;
	struct l2_sa		*sas;
	size_t			n_sas;
	struct l2_session	*sessions;
	size_t			n_sessions;
};

/*
 * Device @dev and all its peers, SAs and sessions (sorted). 0, or -1
 * after printing why; free with show_dev_free().
 */
int show_fetch_dev(struct cli *c, const char *dev, struct show_dev *d);
/* Every device (or @dev) and its objects; free with show_devs_free(). */
int show_fetch_all(struct cli *c, const char *dev, struct show_dev **out,
		   size_t *n);
void show_devs_free(struct show_dev *view, size_t n);
void show_dev_free(struct show_dev *d);

/* Print @n devices with their objects (JSON with c->json). */
void show_render(struct cli *c, const struct show_dev *devs, size_t n);

int show_all(struct cli *c, const struct cli_cmd *cmd, struct args *a);
int show_devs(struct cli *c, const struct cli_cmd *cmd, struct args *a);
int show_peers(struct cli *c, const struct cli_cmd *cmd, struct args *a);
int show_sas(struct cli *c, const struct cli_cmd *cmd, struct args *a);
int show_sessions(struct cli *c, const struct cli_cmd *cmd, struct args *a);

#endif /* L2TPSEC_CLI_SHOW_H */
