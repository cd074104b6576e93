/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output of the l2tpsec objects, for people (blocks like `ip xfrm state`,
 * counters on indented lines) and as JSON.
 */
#ifndef L2TPSEC_CLI_PRINT_H
#define L2TPSEC_CLI_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "objects.h"

void print_stats(FILE *f, const struct l2_stats *stats);
void json_stats(struct json *j, const char *key, const struct l2_stats *st);
/* The @i-th drop/error counter: its attribute and short name; false past the end. */
bool print_drop_stat(size_t i, int *attr, const char **name);

void print_dev(FILE *f, const struct l2_dev *dev);
/* The device's members; the caller opens and closes the object. */
void json_dev_members(struct json *j, const struct l2_dev *dev);

void print_peer(FILE *f, const struct l2_peer *peer);
void json_peer(struct json *j, const struct l2_peer *peer);
void print_sa(FILE *f, const struct l2_sa *sa);
void json_sa(struct json *j, const struct l2_sa *sa);
void print_session(FILE *f, const struct l2_session *s);
void json_session(struct json *j, const struct l2_session *s);

/* One line each; @ifname may be NULL. */
void print_frame(FILE *f, const struct l2_frame *frame);
void json_frame(struct json *j, const struct l2_frame *frame,
		const char *ifname);
void print_event(FILE *f, const struct l2_event *event, const char *ifname);
void json_event(struct json *j, const struct l2_event *event,
		const char *ifname);
/* The same with the time it arrived (@when as text, @ms since 1970) and
 * "source": "module", for l2tpsec monitor. */
void json_event_at(struct json *j, const struct l2_event *event,
		   const char *ifname, const char *when, uint64_t ms);

#endif /* L2TPSEC_CLI_PRINT_H */
