/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A real FreeRADIUS (Debian's freeradius, /usr/sbin/freeradius) for the
 * native tests, started with a configuration written to a temporary
 * directory, listening on free ports of 127.0.0.1 in the test's own
 * network namespace. Two virtual servers: port_ok signs its replies with
 * a Message-Authenticator (the post-auth lines the admin guide shows),
 * port_nomac does not (FreeRADIUS 3.2.1's default). Users: alice
 * "wonderland" (Reply-Message "Hello alice", Framed-IP-Address
 * 10.99.0.77, Session-Timeout 3600, Idle-Timeout 600, Class "grp-a",
 * Framed-MTU 1400); bob "builder", rejected with Reply-Message "Your
 * account is locked".
 */
#ifndef L2TPSEC_TESTS_RADIUS_HELPERS_H
#define L2TPSEC_TESTS_RADIUS_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define FREERADIUS_SECRET	"testing123"

struct freeradius {
	char		dir[64];
	pid_t		pid;
	uint16_t	port_ok, port_nomac;
};

/* A network namespace of our own with lo up (or the one make check made). */
void private_netns(void);
/* A UDP socket on a free port of 127.0.0.1 (its port in @port), or -1. */
int udp_bound(uint16_t *port);
uint16_t free_port(void);
bool port_taken(uint16_t port);

/* 0, or -1 with the reason on stderr (not installed, did not start). */
int freeradius_start(struct freeradius *f);
/* Stops it and removes its directory (kept with L2TPSEC_TEST_KEEP). */
int freeradius_stop(struct freeradius *f);

#endif
