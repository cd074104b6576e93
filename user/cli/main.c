// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: admin command line of the l2tpsec L2TP/IPsec module.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
	struct cli c;
	int ret;

	cli_init(&c, stdout, stderr);
	ret = cli_main(&c, argc, argv);
	cli_fini(&c);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, CLI_NAME ": write error: %s\n",
			strerror(errno));
		ret = 1;
	}
	return ret;
}
