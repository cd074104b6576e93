// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: diagnose's firewall check (cli/fwcheck.c) against recorded
 * rulesets in tests/data/fw/: `nft -j list ruleset` output recorded from
 * nftables 1.0.6 in a network namespace, and iptables-save output (ufw's
 * layout, legacy, xfrm-style L2TP rules) that do and do not open UDP
 * 500, 4500 and ESP, and do and do not expose UDP 1701; malformed input
 * refused with a reason. More recordings (nftables 1.0.6, unshare -rn):
 * a port set and meta l4proto esp beside a masquerade, reject and drop
 * under an accepting policy, the xfrm-style "meta secpath exists" for
 * 1701 (which nft 1.0.6 writes as the meta key "ipsec"); iptables-save
 * with multiport, -p esp and a NAT table, and with REJECT and -p 50.
 */
#include <stdio.h>

#include "helpers.h"
#include "fwcheck.h"

#ifndef FW_DATA
#define FW_DATA "tests/data/fw/"
#endif

static char *slurp(const char *name)
{
	char path[256], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), FW_DATA "%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

struct expect {
	enum fw_result	ike, natt, esp, l2tp;
};

static void check(const char *name, const struct expect *x)
{
	static const struct fw_probe ike = { FW_UDP, 500 }, natt = { FW_UDP, 4500 },
				     esp = { FW_ESP, 0 }, l2tp = { FW_UDP, 1701 };
	char *text = slurp(name), err[256] = "", why[256];
	struct fw_ruleset *rs;

	if (name[0] == 'n')
		rs = fw_parse_nft_json(text, err, sizeof(err));
	else
		rs = fw_parse_iptables_save(text, err, sizeof(err));
	if (!rs)
		fail_msg("%s: %s", name, err);
	print_message("%s: 500 %s, 4500 %s, esp %s, 1701 %s\n", name,
		      fw_result_name(fw_check(rs, &ike, why, sizeof(why))),
		      fw_result_name(fw_check(rs, &natt, NULL, 0)),
		      fw_result_name(fw_check(rs, &esp, NULL, 0)),
		      fw_result_name(fw_check(rs, &l2tp, NULL, 0)));
	assert_int_equal(fw_check(rs, &ike, why, sizeof(why)), x->ike);
	assert_int_equal(fw_check(rs, &natt, why, sizeof(why)), x->natt);
	assert_int_equal(fw_check(rs, &esp, why, sizeof(why)), x->esp);
	assert_int_equal(fw_check(rs, &l2tp, why, sizeof(why)), x->l2tp);
	fw_free(rs);
	free(text);
}

static void test_nft_open(void **state)
{
	const struct expect x = { FW_OPEN, FW_OPEN, FW_OPEN, FW_CLOSED };

	(void)state;
	check("nft-open.json", &x);
}

static void test_nft_closed(void **state)
{
	const struct expect x = { FW_OPEN, FW_CLOSED, FW_CLOSED, FW_CLOSED };
	char *text = slurp("nft-closed.json"), why[256];
	struct fw_probe p = { FW_UDP, 4500 };
	struct fw_ruleset *rs;

	(void)state;
	check("nft-closed.json", &x);
	/* the reason names the chain and its policy */
	rs = fw_parse_nft_json(text, NULL, 0);
	assert_non_null(rs);
	fw_check(rs, &p, why, sizeof(why));
	assert_string_equal(why, "chain inet filter input: policy drop");
	fw_free(rs);
	free(text);
}

static void test_nft_exposed(void **state)
{
	const struct expect x = { FW_OPEN, FW_OPEN, FW_OPEN, FW_OPEN };

	(void)state;
	check("nft-exposed.json", &x);
}

/*
 * A jump into a chain that opens 500-4500 (which takes in 1701), a ct
 * state verdict map, and a second table whose input chain drops 4500 for
 * some sources: "depends".
 */
static void test_nft_jump(void **state)
{
	const struct expect x = { FW_OPEN, FW_DEPENDS, FW_OPEN, FW_OPEN };

	(void)state;
	check("nft-jump.json", &x);
}

static void test_nft_empty(void **state)
{
	const struct expect x = { FW_NO_RULES, FW_NO_RULES, FW_NO_RULES,
				  FW_NO_RULES };

	(void)state;
	check("nft-empty.json", &x);
}

static void test_ipt_ufw(void **state)
{
	const struct expect x = { FW_OPEN, FW_OPEN, FW_OPEN, FW_CLOSED };

	(void)state;
	check("ipt-ufw.save", &x);
}

static void test_ipt_closed(void **state)
{
	const struct expect x = { FW_CLOSED, FW_OPEN, FW_CLOSED, FW_CLOSED };

	(void)state;
	check("ipt-closed.save", &x);
}

static void test_ipt_exposed(void **state)
{
	const struct expect x = { FW_DEPENDS, FW_OPEN, FW_OPEN, FW_OPEN };

	(void)state;
	check("ipt-exposed.save", &x);
}

static void test_ipt_xfrm(void **state)
{
	const struct expect x = { FW_OPEN, FW_OPEN, FW_OPEN, FW_CLOSED };

	(void)state;
	check("ipt-xfrm.save", &x);
}

/* udp dport { 500, 4500 }, meta l4proto esp; a masquerade in ip nat. */
static void test_nft_set(void **state)
{
	const struct expect x = { FW_OPEN, FW_OPEN, FW_OPEN, FW_CLOSED };

	(void)state;
	check("nft-set.json", &x);
}

/* policy accept, 4500 rejected, ESP and 1701 dropped */
static void test_nft_reject(void **state)
{
	const struct expect x = { FW_OPEN, FW_CLOSED, FW_CLOSED, FW_CLOSED };
	char *text = slurp("nft-reject.json"), why[256];
	struct fw_probe p = { FW_UDP, 4500 };
	struct fw_ruleset *rs;

	(void)state;
	check("nft-reject.json", &x);
	rs = fw_parse_nft_json(text, NULL, 0);
	assert_non_null(rs);
	fw_check(rs, &p, why, sizeof(why));
	print_message("why: %s\n", why);
	assert_non_null(strstr(why, "chain inet filter input"));
	fw_free(rs);
	free(text);
}

/*
 * The xfrm stack's rule "meta secpath exists udp dport 1701 accept"
 * passes only what the kernel's IPsec decrypted: l2tpsec's plain 1701 is
 * dropped by the policy. nft 1.0.6 writes that match as the meta key
 * "ipsec"; read as a condition it made 1701 "depends".
 */
static void test_nft_secpath(void **state)
{
	const struct expect x = { FW_OPEN, FW_OPEN, FW_OPEN, FW_CLOSED };

	(void)state;
	check("nft-secpath.json", &x);
}

/* -m multiport --dports 500,4500, -p esp, 1701 accepted too */
static void test_ipt_multiport(void **state)
{
	const struct expect x = { FW_OPEN, FW_OPEN, FW_OPEN, FW_OPEN };

	(void)state;
	check("ipt-multiport.save", &x);
}

/* policy ACCEPT, 500 REJECTed, protocol 50 and 1701 dropped */
static void test_ipt_reject(void **state)
{
	const struct expect x = { FW_CLOSED, FW_OPEN, FW_CLOSED, FW_CLOSED };

	(void)state;
	check("ipt-reject.save", &x);
}

static void test_malformed(void **state)
{
	char err[256];
	static const char *const bad_nft[] = {
		"", "{", "[]", "{\"nftables\": 3}",
		"{\"nftables\": [{\"rule\": {\"family\": \"inet\"}}]}",
		"{\"nftables\": [{\"chain\": {\"name\": \"x\"}}]}",
	};
	static const char *const bad_ipt[] = {
		"*filter\n:INPUT\n",
		"*filter\n-A\n",
		"*filter\n-A INPUT --comment \"unterminated\n",
		"hello\n",
	};
	char *big;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_nft) / sizeof(bad_nft[0]); i++) {
		err[0] = '\0';
		assert_null(fw_parse_nft_json(bad_nft[i], err, sizeof(err)));
		assert_true(err[0]);
	}
	for (i = 0; i < sizeof(bad_ipt) / sizeof(bad_ipt[0]); i++) {
		err[0] = '\0';
		assert_null(fw_parse_iptables_save(bad_ipt[i], err, sizeof(err)));
		assert_true(err[0]);
	}
	/* a line longer than we read, and too many words */
	big = malloc(70000);
	assert_non_null(big);
	memcpy(big, "*filter\n-A INPUT ", 17);
	memset(big + 17, 'x', 70000 - 18);
	big[69999] = '\0';
	assert_null(fw_parse_iptables_save(big, err, sizeof(err)));
	memcpy(big, "*filter\n-A INPUT ", 17);
	for (i = 17; i + 3 < 1500; i += 3)
		memcpy(big + i, "-x ", 3);
	big[i] = '\0';
	assert_null(fw_parse_iptables_save(big, err, sizeof(err)));
	free(big);
}

/* With iptables-save read, nft's "ip filter" table is left to it. */
static void test_nft_skip_ipt(void **state)
{
	char *text = slurp("nft-exposed.json");
	struct fw_probe p = { FW_UDP, 1701 };
	struct fw_ruleset *rs = fw_parse_nft_json_ex(text, true, NULL, 0);

	(void)state;
	assert_non_null(rs);
	assert_int_equal(fw_check(rs, &p, NULL, 0), FW_NO_RULES);
	fw_free(rs);
	free(text);
}

/* A jump loop must end (depth-limited) and say "depends". */
static void test_loop(void **state)
{
	const char *text = "*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n:b - [0:0]\n"
			   "-A INPUT -j a\n-A a -j b\n-A b -j a\nCOMMIT\n";
	struct fw_probe p = { FW_UDP, 500 };
	struct fw_ruleset *rs = fw_parse_iptables_save(text, NULL, 0);

	(void)state;
	assert_non_null(rs);
	assert_int_equal(fw_check(rs, &p, NULL, 0), FW_DEPENDS);
	fw_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nft_open),
		cmocka_unit_test(test_nft_closed),
		cmocka_unit_test(test_nft_exposed),
		cmocka_unit_test(test_nft_jump),
		cmocka_unit_test(test_nft_empty),
		cmocka_unit_test(test_ipt_ufw),
		cmocka_unit_test(test_ipt_closed),
		cmocka_unit_test(test_ipt_exposed),
		cmocka_unit_test(test_ipt_xfrm),
		cmocka_unit_test(test_nft_set),
		cmocka_unit_test(test_nft_reject),
		cmocka_unit_test(test_nft_secpath),
		cmocka_unit_test(test_ipt_multiport),
		cmocka_unit_test(test_ipt_reject),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_nft_skip_ipt),
	};

	return cmocka_run_group_tests_name("fwcheck", tests, NULL, NULL);
}
