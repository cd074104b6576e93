// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for l2tpsec.ko behind kmod.h, and a searchable log, for the
 * IKE unit tests and fuzz targets.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "ike_helpers.h"
#include "log.h"

struct kmod *fake_kmod_new(void)
{
	struct kmod *k = calloc(1, sizeof(*k));

	if (k)
		k->attach_fd = -1;
	return k;
}

void fake_kmod_free(struct kmod *k)
{
	free(k);
}

const char *kmod_last_error(const struct kmod *k)
{
	return k->err;
}

int kmod_ifindex(const struct kmod *k)
{
	(void)k;
	return 1;
}

int kmod_attach_socket(struct kmod *k, int fd)
{
	k->attach_fd = fd;
	return 0;
}

struct fake_peer *fake_peer_find(struct kmod *k, uint32_t id)
{
	int i;

	for (i = 0; i < FAKE_MAX_PEERS; i++)
		if (k->peers[i].used && k->peers[i].p.id == id)
			return &k->peers[i];
	return NULL;
}

unsigned int fake_peer_count(struct kmod *k)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_MAX_PEERS; i++)
		n += k->peers[i].used;
	return n;
}

int kmod_peer_add(struct kmod *k, const struct kmod_peer *p)
{
	int i;

	if (fake_peer_find(k, p->id)) {
		snprintf(k->err, sizeof(k->err), "peer %u exists", p->id);
		return -EEXIST;
	}
	for (i = 0; i < FAKE_MAX_PEERS; i++) {
		if (!k->peers[i].used) {
			memset(&k->peers[i], 0, sizeof(k->peers[i]));
			k->peers[i].used = true;
			k->peers[i].p = *p;
			return 0;
		}
	}
	snprintf(k->err, sizeof(k->err), "too many peers");
	return -ENOSPC;
}

int kmod_peer_set_tx_spi(struct kmod *k, uint32_t peer_id, uint32_t spi)
{
	struct fake_peer *p = fake_peer_find(k, peer_id);

	if (!p)
		return -ENOENT;
	if (!fake_sa_find(k, spi, L2TPSEC_DIR_OUT)) {
		snprintf(k->err, sizeof(k->err), "no outbound SA 0x%x", spi);
		return -ENOENT;
	}
	p->tx_spi = spi;
	return 0;
}

int kmod_peer_set_remote(struct kmod *k, uint32_t peer_id,
			 struct in_addr remote, uint16_t port)
{
	struct fake_peer *p = fake_peer_find(k, peer_id);

	if (!p)
		return -ENOENT;
	p->p.remote = remote;
	p->p.remote_port = port;
	return 0;
}

int kmod_peer_del(struct kmod *k, uint32_t peer_id)
{
	struct fake_peer *p = fake_peer_find(k, peer_id);
	int i;

	if (!p)
		return -ENOENT;
	p->used = false;
	k->peer_dels++;
	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (k->sas[i].used && k->sas[i].peer_id == peer_id)
			k->sas[i].used = false;
	return 0;
}

struct fake_sa *fake_sa_find(struct kmod *k, uint32_t spi, uint8_t dir)
{
	int i;

	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (k->sas[i].used && k->sas[i].spi == spi &&
		    k->sas[i].dir == dir)
			return &k->sas[i];
	return NULL;
}

unsigned int fake_sa_count(struct kmod *k, uint8_t dir)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_MAX_SAS; i++)
		n += k->sas[i].used && (!dir || k->sas[i].dir == dir);
	return n;
}

int kmod_sa_add(struct kmod *k, const struct kmod_sa *sa)
{
	struct fake_sa *s = NULL;
	int i;

	if (!fake_peer_find(k, sa->peer_id))
		return -ENOENT;
	if (fake_sa_find(k, sa->spi, sa->dir)) {
		snprintf(k->err, sizeof(k->err), "SPI 0x%x exists", sa->spi);
		return -EEXIST;
	}
	if (sa->enc_key_len > 64 || sa->auth_key_len > 64)
		return -EINVAL;
	for (i = 0; i < FAKE_MAX_SAS && !s; i++)
		if (!k->sas[i].used)
			s = &k->sas[i];
	if (!s)
		return -ENOSPC;
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->spi = sa->spi;
	s->dir = sa->dir;
	s->peer_id = sa->peer_id;
	s->cipher = sa->cipher;
	s->integ = sa->integ;
	s->icv_len = sa->icv_len;
	memcpy(s->enc_key, sa->enc_key, sa->enc_key_len);
	s->enc_key_len = sa->enc_key_len;
	if (sa->auth_key_len)
		memcpy(s->auth_key, sa->auth_key, sa->auth_key_len);
	s->auth_key_len = sa->auth_key_len;
	s->soft_seconds = sa->soft_seconds;
	s->hard_seconds = sa->hard_seconds;
	k->sa_adds++;
	return 0;
}

int kmod_sa_del(struct kmod *k, uint32_t spi, uint8_t dir, uint32_t peer_id)
{
	struct fake_sa *s = fake_sa_find(k, spi, dir);

	(void)peer_id;
	if (!s)
		return -ENOENT;
	s->used = false;
	k->sa_dels++;
	return 0;
}

int kmod_sa_get(struct kmod *k, uint32_t spi, uint8_t dir, uint32_t peer_id,
		struct l2_sa *out)
{
	struct fake_sa *s = fake_sa_find(k, spi, dir);

	(void)peer_id;
	memset(out, 0, sizeof(*out));
	if (!s)
		return -ENOENT;
	out->spi = spi;
	out->dir = dir;
	out->peer_id = s->peer_id;
	out->icv_len = s->icv_len;
	out->stats.v[L2TPSEC_A_STATS_RX_PACKETS] = s->rx_packets;
	out->stats.v[L2TPSEC_A_STATS_ICV_FAILS] = s->icv_fails;
	out->stats.v[L2TPSEC_A_STATS_MALFORMED_DROPS] = s->malformed;
	return 0;
}

int kmod_session_add(struct kmod *k, const struct kmod_session *s)
{
	(void)k;
	(void)s;
	return -EOPNOTSUPP;
}

int kmod_session_set(struct kmod *k, const struct kmod_session *s)
{
	(void)k;
	(void)s;
	return -EOPNOTSUPP;
}

int kmod_session_del(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		     uint16_t session_id)
{
	(void)k;
	(void)peer_id;
	(void)tunnel_id;
	(void)session_id;
	return -EOPNOTSUPP;
}

int kmod_session_get(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		     uint16_t session_id, struct l2_session *out)
{
	(void)k;
	(void)peer_id;
	(void)tunnel_id;
	(void)session_id;
	memset(out, 0, sizeof(*out));
	return -EOPNOTSUPP;
}

int kmod_send_l2tp(struct kmod *k, uint32_t peer_id, uint16_t local_port,
		   uint16_t remote_port, const uint8_t *msg, size_t len)
{
	(void)k;
	(void)peer_id;
	(void)local_port;
	(void)remote_port;
	(void)msg;
	(void)len;
	return -EOPNOTSUPP;
}

int kmod_send_ppp(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		  uint16_t session_id, const uint8_t *pkt, size_t len)
{
	(void)k;
	(void)peer_id;
	(void)tunnel_id;
	(void)session_id;
	(void)pkt;
	(void)len;
	return -EOPNOTSUPP;
}

/* ---- log capture --------------------------------------------------------- */

#define LOG_KEEP	4096

static struct {
	char	*lines[LOG_KEEP];
	size_t	n;
	bool	echo;
} cap;

static void sink(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	if (cap.echo)
		fprintf(stderr, "  [%d] %s\n", lvl, line);
	if (cap.n < LOG_KEEP)
		cap.lines[cap.n++] = strdup(line);
}

void test_log_capture(bool echo)
{
	cap.echo = echo || getenv("IKE_TEST_LOG");
	log_set_level(LOG_LVL_DEBUG);
	log_set_sink(sink, NULL);
	/* the tests read every line at debug level: no rate limit */
	log_set_burst(0);
}

void test_log_clear(void)
{
	size_t i;

	for (i = 0; i < cap.n; i++)
		free(cap.lines[i]);
	cap.n = 0;
}

const char *test_log_find(const char *needle)
{
	size_t i;

	for (i = 0; i < cap.n; i++)
		if (cap.lines[i] && strstr(cap.lines[i], needle))
			return cap.lines[i];
	return NULL;
}

unsigned int test_log_count(const char *needle)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < cap.n; i++)
		n += cap.lines[i] && strstr(cap.lines[i], needle);
	return n;
}

void test_log_dump(void)
{
	size_t i;

	for (i = 0; i < cap.n; i++)
		fprintf(stderr, "  | %s\n", cap.lines[i]);
}

void test_private_netns(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd;

	if (unshare(CLONE_NEWNET) < 0)
		return;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			fprintf(stderr, "# lo up in a private netns: %s\n",
				strerror(errno));
	}
	close(fd);
}
