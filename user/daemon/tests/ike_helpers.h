/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the IKE unit tests and fuzz targets: a stand-in for the
 * module (the kmod.h API, recording peers and SAs in memory), IKE
 * instances configured from text, and a log that tests can search.
 */
#ifndef L2TPSECD_TESTS_IKE_HELPERS_H
#define L2TPSECD_TESTS_IKE_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmod.h"

#define FAKE_MAX_PEERS	64
#define FAKE_MAX_SAS	256

struct fake_peer {
	bool		used;
	struct kmod_peer p;
	uint32_t	tx_spi;
};

struct fake_sa {
	bool		used;
	uint32_t	spi, peer_id;
	uint8_t		dir, cipher, integ, icv_len;
	uint8_t		enc_key[64], auth_key[64];
	size_t		enc_key_len, auth_key_len;
	uint64_t	soft_seconds, hard_seconds;
	uint64_t	rx_packets, icv_fails, malformed;	/* set by tests */
};

/* The module as the daemon sees it; kmod_open() is not used. */
struct kmod {
	struct fake_peer	peers[FAKE_MAX_PEERS];
	struct fake_sa		sas[FAKE_MAX_SAS];
	char			err[128];
	int			attach_fd;
	unsigned int		sa_adds, sa_dels, peer_dels;
};

struct kmod *fake_kmod_new(void);
void fake_kmod_free(struct kmod *k);
struct fake_sa *fake_sa_find(struct kmod *k, uint32_t spi, uint8_t dir);
unsigned int fake_sa_count(struct kmod *k, uint8_t dir);
unsigned int fake_peer_count(struct kmod *k);
struct fake_peer *fake_peer_find(struct kmod *k, uint32_t id);

/* Log lines, kept for searching (log_set_sink). */
void test_log_capture(bool echo);
void test_log_clear(void);
/* The first captured line containing @needle, or NULL. */
const char *test_log_find(const char *needle);
unsigned int test_log_count(const char *needle);
void test_log_dump(void);

/*
 * Run the rest of the test in a network namespace of its own with only
 * lo up, when we may make one (root, or a user namespace): the exchange
 * tests bind fixed ports on 127.0.0.x, which another test run on the same
 * machine (a second checkout's `make check`) holds at the same moment.
 * Without the privilege the test stays where it is.
 */
void test_private_netns(void);

#endif
