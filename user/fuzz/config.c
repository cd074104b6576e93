// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the configuration loader as l2tpsecd runs it, with
 * the sections of IKE ([ike], [peer NAME]: proposal lists, lifetimes,
 * durations, IDs, addresses) and of L2TP/PPP ([l2tp], [ppp], [pool],
 * [lac NAME]) registered; the input is the file's text. What is loaded is
 * freed again (a leak is a finding), nothing is started.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ike/ike.h"
#include "l2tp/l2tp.h"
#include "log.h"
#include "loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void discard(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	(void)line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_loader *cfg = NULL;
	struct l2tp_conf *lc = NULL;
	struct loop *loop = NULL;
	struct ike *ike = NULL;
	char *text;

	if (size > 65536)
		return 0;
	log_set_sink(discard, NULL);
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	loop = loop_new();
	cfg = config_loader_new();
	lc = calloc(1, sizeof(*lc));
	if (!loop || !cfg || !lc)
		goto out;
	ike = ike_new(loop, NULL);
	if (!ike)
		goto out;
	ike_register_config(ike, cfg);
	l2tp_conf_init(lc);
	l2tp_conf_register(cfg, lc);
	(void)config_load_string(cfg, "fuzz.conf", text);
	l2tp_conf_fini(lc);
out:
	ike_free(ike);
	config_loader_free(cfg);
	free(lc);
	loop_free(loop);
	free(text);
	return 0;
}
