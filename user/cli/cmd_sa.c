// SPDX-License-Identifier: GPL-2.0
/*
 * sa add | del | show
 */
#include <errno.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "show.h"

static const struct arg_spec sa_add_args[] = {
	{ "spi",	   ARG_ID,   L2TPSEC_A_SA_SPI, 0, ARG_REQUIRED, NULL },
	{ "dir",	   ARG_ENUM, L2TPSEC_A_SA_DIR, 0, ARG_REQUIRED,
	  l2_dir_names },
	{ "peer",	   ARG_ID,   L2TPSEC_A_SA_PEER_ID, 0, ARG_REQUIRED,
	  NULL },
	{ "cipher",	   ARG_ENUM, L2TPSEC_A_SA_CIPHER, 0, ARG_REQUIRED,
	  l2_cipher_names },
	{ "integ",	   ARG_ENUM, L2TPSEC_A_SA_INTEG, 0, 0, l2_integ_names },
	{ "key",	   ARG_HEX,  L2TPSEC_A_SA_ENC_KEY, 0, ARG_REQUIRED,
	  NULL },
	{ "auth-key",	   ARG_HEX,  L2TPSEC_A_SA_AUTH_KEY, 0, 0, NULL },
	{ "icv",	   ARG_U8,   L2TPSEC_A_SA_ICV_LEN, 0, 0, NULL },
	{ "replay-window", ARG_U32,  L2TPSEC_A_SA_REPLAY_WINDOW, 0, 0, NULL },
	{ "soft-bytes",	   ARG_U64,  L2TPSEC_A_SA_SOFT_BYTES, 0, 0, NULL },
	{ "hard-bytes",	   ARG_U64,  L2TPSEC_A_SA_HARD_BYTES, 0, 0, NULL },
	{ "soft-packets",  ARG_U64,  L2TPSEC_A_SA_SOFT_PACKETS, 0, 0, NULL },
	{ "hard-packets",  ARG_U64,  L2TPSEC_A_SA_HARD_PACKETS, 0, 0, NULL },
	{ "soft-seconds",  ARG_U64,  L2TPSEC_A_SA_SOFT_SECONDS, 0, 0, NULL },
	{ "hard-seconds",  ARG_U64,  L2TPSEC_A_SA_HARD_SECONDS, 0, 0, NULL },
};

/*
 * Catch the combinations that can never work here, with the words of the
 * command line; the kernel checks key and ICV lengths.
 */
static int sa_add_check(struct cli *c, struct args *a)
{
	uint64_t cipher = args_u64(a, "cipher");
	bool integ = args_u64(a, "integ") != L2TPSEC_INTEG_NONE;

	if (cipher != L2TPSEC_CIPHER_AES_GCM && !integ) {
		cli_error(c, "cipher %s needs \"integ\" (md5|sha1|sha256|sha384|sha512)",
			  args_get(a, "cipher")->text);
		return -EINVAL;
	}
	if (integ && !args_has(a, "auth-key")) {
		cli_error(c, "missing \"auth-key\" for integ %s",
			  args_get(a, "integ")->text);
		return -EINVAL;
	}
	if (!integ && args_has(a, "auth-key")) {
		cli_error(c, "\"auth-key\" needs \"integ\"");
		return -EINVAL;
	}
	if (args_has(a, "replay-window") &&
	    args_u64(a, "dir") != L2TPSEC_DIR_IN) {
		cli_error(c, "\"replay-window\" applies to inbound SAs only");
		return -EINVAL;
	}
	return 0;
}

static const struct arg_spec sa_del_args[] = {
	{ "spi",  ARG_ID,   L2TPSEC_A_SA_SPI, 0, ARG_REQUIRED, NULL },
	{ "dir",  ARG_ENUM, L2TPSEC_A_SA_DIR, 0, ARG_REQUIRED, l2_dir_names },
	{ "peer", ARG_ID,   L2TPSEC_A_SA_PEER_ID, 0, 0, NULL },
};

/* Outbound SPIs are unique per peer only. */
static int sa_del_check(struct cli *c, struct args *a)
{
	if (args_u64(a, "dir") == L2TPSEC_DIR_OUT && !args_has(a, "peer")) {
		cli_error(c, "missing \"peer\" (outbound SPIs are per peer)");
		return -EINVAL;
	}
	return 0;
}

const struct cli_cmd sa_cmds[] = {
	{
		.object = "sa", .verb = "add",
		.usage = "DEV spi SPI dir in|out peer ID cipher aes-gcm|aes-cbc|3des-cbc\n"
			 "\t[integ none|md5|sha1|sha256|sha384|sha512] key HEX [auth-key HEX]\n"
			 "\t[icv BYTES] [replay-window N] [soft-bytes N] [hard-bytes N]\n"
			 "\t[soft-packets N] [hard-packets N] [soft-seconds N] [hard-seconds N]",
		.genl_cmd = L2TPSEC_CMD_SA_NEW, .nest = L2TPSEC_A_SA,
		.flags = CMD_DEV,
		.args = sa_add_args, .nargs = ARRAY_SIZE(sa_add_args),
		.check = sa_add_check,
	}, {
		.object = "sa", .verb = "del",
		.usage = "DEV spi SPI dir in|out [peer ID]",
		.genl_cmd = L2TPSEC_CMD_SA_DEL, .nest = L2TPSEC_A_SA,
		.flags = CMD_DEV,
		.args = sa_del_args, .nargs = ARRAY_SIZE(sa_del_args),
		.check = sa_del_check,
	}, {
		.object = "sa", .verb = "show", .usage = "DEV",
		.genl_cmd = L2TPSEC_CMD_SA_GET, .flags = CMD_DEV,
		.run = show_sas,
	},
	{ .object = NULL }
};
