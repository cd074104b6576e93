// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the JSON writer (escaping, UTF-8 hygiene, separators).
 */
#include "helpers.h"
#include "json.h"

struct mem {
	char	*buf;
	size_t	len;
	FILE	*f;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

/* Close and return the text; the caller frees it. */
static char *mem_close(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

static void assert_escaped(const char *in, const char *want)
{
	struct mem m;
	char *got;

	mem_open(&m);
	json_escape(m.f, in);
	got = mem_close(&m);
	assert_string_equal(got, want);
	free(got);
}

static void test_escape_plain(void **state)
{
	(void)state;
	assert_escaped("", "\"\"");
	assert_escaped("l2tpsec0", "\"l2tpsec0\"");
	assert_escaped("a/b", "\"a/b\"");
}

static void test_escape_specials(void **state)
{
	(void)state;
	assert_escaped("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_escaped("back\\slash", "\"back\\\\slash\"");
	assert_escaped("t\tn\nr\rb\bf\f", "\"t\\tn\\nr\\rb\\bf\\f\"");
	assert_escaped("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
}

static void test_escape_utf8(void **state)
{
	(void)state;
	/* Valid UTF-8 passes through untouched. */
	assert_escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92",
		       "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92\"");
	/* Stray, truncated, overlong and surrogate sequences do not. */
	assert_escaped("a\xff" "b", "\"a\\ufffdb\"");
	assert_escaped("\xc3", "\"\\ufffd\"");
	assert_escaped("\xc0\xaf", "\"\\ufffd\\ufffd\"");
	assert_escaped("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");
	assert_escaped("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	assert_escaped("\xf4\x90\x80\x80",
		       "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static void test_structure(void **state)
{
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	mem_open(&m);
	json_init(&j, m.f);
	json_obj_open(&j, NULL);
	json_arr_open(&j, "devices");
	json_obj_open(&j, NULL);
	json_str(&j, "ifname", "l2tp\"0");
	json_u64(&j, "ifindex", 18446744073709551615ULL);
	json_bool(&j, "mss_clamp", true);
	json_bool(&j, "off", false);
	json_null(&j, "peer_ipv4");
	json_str(&j, "nil", NULL);
	json_arr_open(&j, "peers");
	json_arr_close(&j);
	json_obj_open(&j, "stats");
	json_obj_close(&j);
	json_obj_close(&j);
	json_obj_open(&j, NULL);
	json_u64(&j, "ifindex", 0);
	json_obj_close(&j);
	json_arr_close(&j);
	json_obj_close(&j);
	/* A second document starts afresh on its own line. */
	json_arr_open(&j, NULL);
	json_u64(&j, NULL, 1);
	json_u64(&j, NULL, 2);
	json_arr_close(&j);
	got = mem_close(&m);
	assert_string_equal(got,
		"{\"devices\":[{\"ifname\":\"l2tp\\\"0\","
		"\"ifindex\":18446744073709551615,\"mss_clamp\":true,"
		"\"off\":false,\"peer_ipv4\":null,\"nil\":null,"
		"\"peers\":[],\"stats\":{}},{\"ifindex\":0}]}\n"
		"[1,2]\n");
	free(got);
}

static void test_empty_array(void **state)
{
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	mem_open(&m);
	json_init(&j, m.f);
	json_arr_open(&j, NULL);
	json_arr_close(&j);
	got = mem_close(&m);
	assert_string_equal(got, "[]\n");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_specials),
		cmocka_unit_test(test_escape_utf8),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_empty_array),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
