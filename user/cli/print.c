// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting of devices, peers, SAs, sessions, frames and events. Keys
 * never appear: the kernel does not return them.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "print.h"

struct stat_name {
	int		attr;
	const char	*json;
	const char	*human;
};

/* Drop and error counters, in output order. */
static const struct stat_name drop_stats[] = {
	{ L2TPSEC_A_STATS_REPLAY_DROPS,	    "replay_drops",	"replay" },
	{ L2TPSEC_A_STATS_ICV_FAILS,	    "icv_fails",	"icv" },
	{ L2TPSEC_A_STATS_MALFORMED_DROPS,  "malformed_drops",	"malformed" },
	{ L2TPSEC_A_STATS_NO_SESSION_DROPS, "no_session_drops",	"no-session" },
	{ L2TPSEC_A_STATS_NO_SA_DROPS,	    "no_sa_drops",	"no-sa" },
	{ L2TPSEC_A_STATS_TX_ERRORS,	    "tx_errors",	"tx-errors" },
	{ L2TPSEC_A_STATS_EXPIRED_DROPS,    "expired_drops",	"expired" },
	{ L2TPSEC_A_STATS_NO_ROUTE_DROPS,   "no_route_drops",	"no-route" },
	{ L2TPSEC_A_STATS_FRAMES_LOST,	    "frames_lost",	"frames-lost" },
	{ L2TPSEC_A_STATS_INNER_SOURCE_DROPS, "inner_source_drops",
	  "inner-source" },
	{ L2TPSEC_A_STATS_CRYPTO_BACKLOG_DROPS, "crypto_backlog_drops",
	  "crypto-backlog" },
	{ L2TPSEC_A_STATS_NOMEM_DROPS,	    "nomem_drops",	"nomem" },
	{ L2TPSEC_A_STATS_FRAME_RATE_DROPS, "frame_rate_drops",	"frame-rate" },
};

#define N_DROP_STATS	(sizeof(drop_stats) / sizeof(drop_stats[0]))

bool print_drop_stat(size_t i, int *attr, const char **name)
{
	if (i >= N_DROP_STATS)
		return false;
	*attr = drop_stats[i].attr;
	*name = drop_stats[i].human;
	return true;
}

static const char *name_or_number(const struct l2_name *map,
				  unsigned int value, char *buf, size_t len)
{
	const char *name = l2_name(map, value);

	if (name)
		return name;
	snprintf(buf, len, "unknown(%u)", value);
	return buf;
}

static const char *on_off(bool b)
{
	return b ? "on" : "off";
}

static const char *ipv4_str(struct in_addr a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *ipv6_prefix_str(const struct in6_addr *a, uint8_t plen,
				   char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, addr, sizeof(addr));
	snprintf(buf, len, "%s/%u", addr, plen);
	return buf;
}

static void print_hex(FILE *f, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

void print_stats(FILE *f, const struct l2_stats *st)
{
	size_t i;

	fprintf(f, "\trx: %" PRIu64 " packets %" PRIu64 " bytes  tx: %" PRIu64
		" packets %" PRIu64 " bytes\n",
		st->v[L2TPSEC_A_STATS_RX_PACKETS],
		st->v[L2TPSEC_A_STATS_RX_BYTES],
		st->v[L2TPSEC_A_STATS_TX_PACKETS],
		st->v[L2TPSEC_A_STATS_TX_BYTES]);
	fputs("\tdrops:", f);
	for (i = 0; i < N_DROP_STATS; i++)
		fprintf(f, " %s %" PRIu64, drop_stats[i].human,
			st->v[drop_stats[i].attr]);
	fputc('\n', f);
}

void json_stats(struct json *j, const char *key, const struct l2_stats *st)
{
	size_t i;

	json_obj_open(j, key);
	json_u64(j, "rx_packets", st->v[L2TPSEC_A_STATS_RX_PACKETS]);
	json_u64(j, "rx_bytes", st->v[L2TPSEC_A_STATS_RX_BYTES]);
	json_u64(j, "tx_packets", st->v[L2TPSEC_A_STATS_TX_PACKETS]);
	json_u64(j, "tx_bytes", st->v[L2TPSEC_A_STATS_TX_BYTES]);
	for (i = 0; i < N_DROP_STATS; i++)
		json_u64(j, drop_stats[i].json, st->v[drop_stats[i].attr]);
	json_obj_close(j);
}

void print_dev(FILE *f, const struct l2_dev *dev)
{
	fprintf(f, "dev %s ifindex %u", dev->ifname, dev->ifindex);
	if (dev->sock_port)
		fprintf(f, " port %u", dev->sock_port);
	else
		fputs(" port none", f);
	fprintf(f, " mss-clamp %s", on_off(dev->mss_clamp));
	if (dev->has_frame_listen)
		fprintf(f, " listen %s", on_off(dev->frame_listen));
	if (dev->has_fallback)
		fprintf(f, " fallback %s", on_off(dev->fallback));
	fputc('\n', f);
	print_stats(f, &dev->stats);
}

void json_dev_members(struct json *j, const struct l2_dev *dev)
{
	json_str(j, "ifname", dev->ifname);
	json_u64(j, "ifindex", dev->ifindex);
	json_u64(j, "sock_port", dev->sock_port);
	json_bool(j, "mss_clamp", dev->mss_clamp);
	if (dev->has_frame_listen)
		json_bool(j, "frame_listen", dev->frame_listen);
	if (dev->has_fallback)
		json_bool(j, "single_session_fallback", dev->fallback);
	json_stats(j, "stats", &dev->stats);
}

void print_peer(FILE *f, const struct l2_peer *p)
{
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], buf[32];

	fprintf(f, "peer %u encap %s", p->id,
		name_or_number(l2_encap_names, p->encap, buf, sizeof(buf)));
	if (p->encap == L2TPSEC_ENCAP_UDP)
		fprintf(f, " local %s:%u remote %s:%u",
			ipv4_str(p->local, l), p->local_port,
			ipv4_str(p->remote, r), p->remote_port);
	else
		fprintf(f, " local %s remote %s", ipv4_str(p->local, l),
			ipv4_str(p->remote, r));
	if (p->tx_spi)
		fprintf(f, " tx-spi 0x%08x\n", p->tx_spi);
	else
		fputs(" tx-spi none\n", f);
	print_stats(f, &p->stats);
}

void json_peer(struct json *j, const struct l2_peer *p)
{
	char addr[INET_ADDRSTRLEN], buf[32];

	json_obj_open(j, NULL);
	json_u64(j, "id", p->id);
	json_str(j, "encap",
		 name_or_number(l2_encap_names, p->encap, buf, sizeof(buf)));
	json_str(j, "local", ipv4_str(p->local, addr));
	json_str(j, "remote", ipv4_str(p->remote, addr));
	json_u64(j, "local_port", p->local_port);
	json_u64(j, "remote_port", p->remote_port);
	json_u64(j, "tx_spi", p->tx_spi);
	json_stats(j, "stats", &p->stats);
	json_obj_close(j);
}

void print_sa(FILE *f, const struct l2_sa *sa)
{
	char b1[32], b2[32], b3[32];

	fprintf(f, "sa spi 0x%08x dir %s peer %u cipher %s integ %s icv %u",
		sa->spi, name_or_number(l2_dir_names, sa->dir, b1, sizeof(b1)),
		sa->peer_id,
		name_or_number(l2_cipher_names, sa->cipher, b2, sizeof(b2)),
		name_or_number(l2_integ_names, sa->integ, b3, sizeof(b3)),
		sa->icv_len);
	if (sa->dir == L2TPSEC_DIR_IN)
		fprintf(f, " replay-window %u", sa->replay_window);
	fprintf(f, " seq %" PRIu64 " age %" PRIu64 "s\n", sa->seq, sa->age);
	fprintf(f, "\tlifetime: soft-bytes %" PRIu64 " hard-bytes %" PRIu64
		" soft-packets %" PRIu64 " hard-packets %" PRIu64
		" soft-seconds %" PRIu64 " hard-seconds %" PRIu64 "\n",
		sa->soft_bytes, sa->hard_bytes, sa->soft_packets,
		sa->hard_packets, sa->soft_seconds, sa->hard_seconds);
	print_stats(f, &sa->stats);
}

void json_sa(struct json *j, const struct l2_sa *sa)
{
	char buf[32];

	json_obj_open(j, NULL);
	json_u64(j, "spi", sa->spi);
	json_str(j, "dir", name_or_number(l2_dir_names, sa->dir, buf,
					  sizeof(buf)));
	json_u64(j, "peer_id", sa->peer_id);
	json_str(j, "cipher", name_or_number(l2_cipher_names, sa->cipher, buf,
					     sizeof(buf)));
	json_str(j, "integ", name_or_number(l2_integ_names, sa->integ, buf,
					    sizeof(buf)));
	json_u64(j, "icv_len", sa->icv_len);
	json_u64(j, "replay_window", sa->replay_window);
	json_u64(j, "seq", sa->seq);
	json_u64(j, "age", sa->age);
	json_obj_open(j, "lifetimes");
	json_u64(j, "soft_bytes", sa->soft_bytes);
	json_u64(j, "hard_bytes", sa->hard_bytes);
	json_u64(j, "soft_packets", sa->soft_packets);
	json_u64(j, "hard_packets", sa->hard_packets);
	json_u64(j, "soft_seconds", sa->soft_seconds);
	json_u64(j, "hard_seconds", sa->hard_seconds);
	json_obj_close(j);
	json_stats(j, "stats", &sa->stats);
	json_obj_close(j);
}

void print_session(FILE *f, const struct l2_session *s)
{
	char buf[INET6_ADDRSTRLEN + 8];

	fprintf(f, "session peer %u tunnel %u session %u peer-tunnel %u peer-session %u",
		s->peer_id, s->local_tunnel_id, s->local_session_id,
		s->remote_tunnel_id, s->remote_session_id);
	if (s->local_port)
		fprintf(f, " lport %u", s->local_port);
	if (s->remote_port)
		fprintf(f, " rport %u", s->remote_port);
	if (s->has_ipv4)
		fprintf(f, " ipv4 %s", ipv4_str(s->peer_ipv4, buf));
	if (s->has_ipv6)
		fprintf(f, " ipv6 %s", ipv6_prefix_str(&s->peer_ipv6,
						       s->peer_ipv6_plen, buf,
						       sizeof(buf)));
	fprintf(f, "\n\tl2tp-length %s l2tp-seq %s acfc %s pfc %s\n",
		on_off(s->l2tp_length), on_off(s->l2tp_seq),
		on_off(s->ppp_acfc), on_off(s->ppp_pfc));
	print_stats(f, &s->stats);
}

void json_session(struct json *j, const struct l2_session *s)
{
	char buf[INET6_ADDRSTRLEN + 8];

	json_obj_open(j, NULL);
	json_u64(j, "peer_id", s->peer_id);
	json_u64(j, "local_tunnel_id", s->local_tunnel_id);
	json_u64(j, "local_session_id", s->local_session_id);
	json_u64(j, "remote_tunnel_id", s->remote_tunnel_id);
	json_u64(j, "remote_session_id", s->remote_session_id);
	json_u64(j, "local_port", s->local_port);
	json_u64(j, "remote_port", s->remote_port);
	json_str(j, "peer_ipv4", s->has_ipv4 ? ipv4_str(s->peer_ipv4, buf) :
						NULL);
	json_str(j, "peer_ipv6", s->has_ipv6 ?
		 ipv6_prefix_str(&s->peer_ipv6, s->peer_ipv6_plen, buf,
				 sizeof(buf)) : NULL);
	json_obj_open(j, "options");
	json_bool(j, "l2tp_length", s->l2tp_length);
	json_bool(j, "l2tp_seq", s->l2tp_seq);
	json_bool(j, "acfc", s->ppp_acfc);
	json_bool(j, "pfc", s->ppp_pfc);
	json_obj_close(j);
	json_stats(j, "stats", &s->stats);
	json_obj_close(j);
}

void print_frame(FILE *f, const struct l2_frame *fr)
{
	switch (fr->kind) {
	case L2TPSEC_FRAME_L2TP_CTRL:
		fprintf(f, "l2tp-ctrl peer %u lport %u rport %u", fr->peer_id,
			fr->local_port, fr->remote_port);
		break;
	case L2TPSEC_FRAME_PPP:
		fprintf(f, "ppp peer %u tunnel %u session %u", fr->peer_id,
			fr->tunnel_id, fr->session_id);
		break;
	default:
		fprintf(f, "frame kind %u peer %u", fr->kind, fr->peer_id);
		break;
	}
	if (fr->len) {
		fputc(' ', f);
		print_hex(f, fr->payload, fr->len);
	}
	fputc('\n', f);
}

void json_frame(struct json *j, const struct l2_frame *fr,
		const char *ifname)
{
	char buf[32];
	char *hex;
	size_t i;

	json_obj_open(j, NULL);
	json_str(j, "kind", name_or_number(l2_frame_kind_names, fr->kind, buf,
					   sizeof(buf)));
	if (ifname)
		json_str(j, "dev", ifname);
	json_u64(j, "peer_id", fr->peer_id);
	if (fr->kind == L2TPSEC_FRAME_PPP) {
		json_u64(j, "tunnel_id", fr->tunnel_id);
		json_u64(j, "session_id", fr->session_id);
	} else {
		json_u64(j, "local_port", fr->local_port);
		json_u64(j, "remote_port", fr->remote_port);
	}
	hex = malloc(fr->len * 2 + 1);
	if (hex) {
		for (i = 0; i < fr->len; i++)
			snprintf(hex + 2 * i, 3, "%02x", fr->payload[i]);
		hex[2 * fr->len] = '\0';
	}
	json_str(j, "payload", hex);
	free(hex);
	json_obj_close(j);
}

void print_event(FILE *f, const struct l2_event *e, const char *ifname)
{
	char buf[INET_ADDRSTRLEN];

	fputs(name_or_number(l2_event_names, e->kind, buf, sizeof(buf)), f);
	if (ifname)
		fprintf(f, " dev %s", ifname);
	else if (e->ifindex)
		fprintf(f, " ifindex %u", e->ifindex);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_PEER_ID))
		fprintf(f, " peer %u", e->peer_id);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_SPI))
		fprintf(f, " spi 0x%08x", e->spi);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_DIR))
		fprintf(f, " dir %s",
			name_or_number(l2_dir_names, e->dir, buf, sizeof(buf)));
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_REASON))
		fprintf(f, " reason %s", name_or_number(l2_reason_names,
							e->reason, buf,
							sizeof(buf)));
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_REMOTE_IPV4))
		fprintf(f, " remote %s", ipv4_str(e->remote, buf));
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_REMOTE_PORT))
		fprintf(f, " rport %u", e->remote_port);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID))
		fprintf(f, " tunnel %u", e->tunnel_id);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_LOCAL_SESSION_ID))
		fprintf(f, " session %u", e->session_id);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_ERROR))
		fprintf(f, " error %u (%s)", e->error, strerror((int)e->error));
	fputc('\n', f);
}

void json_event(struct json *j, const struct l2_event *e, const char *ifname)
{
	json_event_at(j, e, ifname, NULL, 0);
}

void json_event_at(struct json *j, const struct l2_event *e,
		   const char *ifname, const char *when, uint64_t ms)
{
	char buf[INET_ADDRSTRLEN];

	json_obj_open(j, NULL);
	if (when) {
		json_str(j, "time", when);
		json_u64(j, "time_ms", ms);
		json_str(j, "source", "module");
	}
	json_str(j, "event", name_or_number(l2_event_names, e->kind, buf,
					    sizeof(buf)));
	if (e->ifindex)
		json_u64(j, "ifindex", e->ifindex);
	if (ifname)
		json_str(j, "dev", ifname);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_PEER_ID))
		json_u64(j, "peer_id", e->peer_id);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_SPI))
		json_u64(j, "spi", e->spi);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_DIR))
		json_str(j, "dir", name_or_number(l2_dir_names, e->dir, buf,
						  sizeof(buf)));
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_REASON))
		json_str(j, "reason", name_or_number(l2_reason_names,
						     e->reason, buf,
						     sizeof(buf)));
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_REMOTE_IPV4))
		json_str(j, "remote", ipv4_str(e->remote, buf));
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_REMOTE_PORT))
		json_u64(j, "remote_port", e->remote_port);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID))
		json_u64(j, "tunnel_id", e->tunnel_id);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_LOCAL_SESSION_ID))
		json_u64(j, "session_id", e->session_id);
	if (e->has & L2_HAS(L2TPSEC_A_EVENT_ERROR))
		json_u64(j, "error", e->error);
	json_obj_close(j);
}
