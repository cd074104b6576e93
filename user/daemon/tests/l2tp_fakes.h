/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test support for the L2TP, PPP and auth unit tests (and their fuzzers),
 * over the daemon's real core (core/loop.c, log.c, config.c): the loop's
 * virtual clock, the log lines captured, the last configuration error.
 * Nothing here replaces the core.
 */
#ifndef L2TPSECD_TESTS_L2TP_FAKES_H
#define L2TPSECD_TESTS_L2TP_FAKES_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "log.h"
#include "loop.h"

/* A loop on a virtual clock (loop_set_virtual_clock()). */
struct loop *fake_loop_new(void);
/* Advance the virtual clock by @ms, running the timers that fall due. */
void fake_loop_advance(struct loop *loop, uint64_t ms);
/* Run timers due now (delay 0). */
void fake_loop_run_due(struct loop *loop);
unsigned int fake_loop_armed_timers(const struct loop *loop);

/*
 * Captured log: every line since the last reset, at every level, none
 * rate-limited (printed too with L2TPSEC_TEST_VERBOSE=1).
 */
void fake_log_reset(void);
bool fake_log_contains(const char *needle);
const char *fake_log_text(void);

/*
 * The configuration loader's error lines since fake_log_reset(): the real
 * loader reports every error of a file (and the sections' checks after
 * them), not only the first.
 */
const char *fake_config_last_error(void);

#endif
