/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer: objects, arrays, strings (escaped, and
 * always valid UTF-8), numbers, booleans and null, on one line.
 */
#ifndef L2TPSEC_CLI_JSON_H
#define L2TPSEC_CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	16

struct json {
	FILE		*f;
	unsigned int	depth;
	/* A value was already written at this depth: next one needs ','. */
	bool		comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *f);
/*
 * @key names the member inside an object and must be NULL inside an array
 * or at the top level.
 */
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

/* Write @s as a JSON string literal, quotes included. */
void json_escape(FILE *f, const char *s);

#endif /* L2TPSEC_CLI_JSON_H */
