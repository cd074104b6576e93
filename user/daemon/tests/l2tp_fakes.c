// SPDX-License-Identifier: GPL-2.0
/*
 * Test support over the daemon's real core: see l2tp_fakes.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2tp_fakes.h"

/* The clock the tests have always started at: far from 0. */
#define FAKE_CLOCK_START_MS	1000000

struct loop *fake_loop_new(void)
{
	struct loop *loop = loop_new();

	if (loop)
		loop_set_virtual_clock(loop, FAKE_CLOCK_START_MS);
	return loop;
}

void fake_loop_advance(struct loop *loop, uint64_t ms)
{
	loop_advance(loop, ms);
}

void fake_loop_run_due(struct loop *loop)
{
	loop_advance(loop, 0);
}

unsigned int fake_loop_armed_timers(const struct loop *loop)
{
	return loop_armed_timers(loop);
}

/* ---- log ---------------------------------------------------------------- */

static char *log_buf;
static size_t log_len;
static char config_errors[4096];	/* the loader's lines, one a line */

static void capture(void *arg, enum log_level lvl, const char *line)
{
	size_t l = strlen(line);
	char *b;

	(void)arg;
	if (lvl == LOG_LVL_ERR && !strncmp(line, "config: ", 8)) {
		size_t n = strlen(config_errors);

		snprintf(config_errors + n, sizeof(config_errors) - n, "%s\n",
			 line + 8);
	}
	b = realloc(log_buf, log_len + l + 2);
	if (!b)
		abort();
	log_buf = b;
	memcpy(log_buf + log_len, line, l);
	log_len += l;
	log_buf[log_len++] = '\n';
	log_buf[log_len] = '\0';
	if (getenv("L2TPSEC_TEST_VERBOSE"))
		fprintf(stderr, "LOG %s\n", line);
}

/* Before main(): every line, none held back, into the buffer. */
__attribute__((constructor)) static void fake_log_start(void)
{
	log_set_level(LOG_LVL_DEBUG);
	log_set_burst(0);
	log_set_sink(capture, NULL);
}

__attribute__((destructor)) static void fake_log_free(void)
{
	free(log_buf);
	log_buf = NULL;
}

void fake_log_reset(void)
{
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
	config_errors[0] = '\0';
}

bool fake_log_contains(const char *needle)
{
	return log_buf && strstr(log_buf, needle);
}

const char *fake_log_text(void)
{
	return log_buf ? log_buf : "";
}

const char *fake_config_last_error(void)
{
	return config_errors;
}
