/* SPDX-License-Identifier: GPL-2.0 */
/*
 * diagnose: does this host's firewall let IKE (UDP 500), NAT-T (UDP 4500)
 * and ESP in, and does it keep plain L2TP (UDP 1701) out? Read from the
 * rulesets themselves (`nft -j list ruleset`, `iptables-save`), not
 * guessed from which tool is installed.
 *
 * Both are read into one model: the chains on the input hook (filter
 * table), their policies, and per rule what we can tell about a new
 * packet from the outside: its protocol and destination port, or that
 * the rule cannot match it (ct state established, iif lo), or that it
 * depends on something we do not model (source address, a set lookup,
 * marks), which makes the answer "depends". Jumps and gotos into
 * regular chains are followed (depth-limited).
 */
#ifndef L2TPSEC_CLI_FWCHECK_H
#define L2TPSEC_CLI_FWCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fw_result {
	FW_NO_RULES,	/* no input chain: everything passes */
	FW_OPEN,	/* accepted */
	FW_CLOSED,	/* dropped or rejected */
	FW_DEPENDS,	/* accepted or dropped by a rule we cannot decide */
};

const char *fw_result_name(enum fw_result r);

enum fw_proto { FW_UDP, FW_ESP };

struct fw_probe {
	enum fw_proto	proto;
	uint16_t	dport;		/* UDP */
};

struct fw_ruleset;

/*
 * Parse: a ruleset, or NULL with @err set (malformed input). An empty
 * ruleset is a valid one with no chains.
 */
struct fw_ruleset *fw_parse_nft_json(const char *text, char *err,
				     size_t err_len);
/*
 * The same, leaving out the tables iptables-nft keeps in nftables (ip and
 * ip6 filter, nat, ...) when iptables-save has read them already.
 */
struct fw_ruleset *fw_parse_nft_json_ex(const char *text, bool skip_iptables,
					char *err, size_t err_len);
struct fw_ruleset *fw_parse_iptables_save(const char *text, char *err,
					  size_t err_len);
void fw_free(struct fw_ruleset *rs);

/*
 * What happens to @p arriving from outside. @why (may be NULL) gets the
 * deciding chain and rule ("chain inet filter input: policy drop",
 * "chain INPUT rule 4: -p udp --dport 500 -j ACCEPT").
 */
enum fw_result fw_check(const struct fw_ruleset *rs,
			const struct fw_probe *p, char *why, size_t why_len);

/* Two rulesets on one host (nftables and iptables-legacy): both must pass. */
enum fw_result fw_combine(enum fw_result a, enum fw_result b);

#endif
