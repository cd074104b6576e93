/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test fakes of the daemon core (loop.h, log.h, config.h) for the L2TP,
 * PPP and auth unit tests: a virtual clock with timers, captured log
 * lines, a config context.
 */
#ifndef L2TPSECD_TESTS_L2TP_FAKES_H
#define L2TPSECD_TESTS_L2TP_FAKES_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "log.h"
#include "loop.h"

/* Advance the virtual clock by @ms, running the timers that fall due. */
void fake_loop_advance(struct loop *loop, uint64_t ms);
/* Run timers due now (delay 0). */
void fake_loop_run_due(struct loop *loop);
unsigned int fake_loop_armed_timers(const struct loop *loop);

/* Captured log: every line since the last reset. */
void fake_log_reset(void);
bool fake_log_contains(const char *needle);
const char *fake_log_text(void);
/* Print captured lines too (L2TPSEC_TEST_VERBOSE=1). */

/* A config context for calling section handlers directly. */
struct config_ctx *fake_config_ctx(const char *file, int line,
				   const char *section_arg);
const char *fake_config_last_error(void);

#endif
