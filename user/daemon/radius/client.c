// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: RADIUS requests on the event loop: servers in order, retries,
 * failover, dead servers skipped for a while, one named line per failure.
 *
 * Why not radcli (Debian's libradcli, 1.2.11 in bookworm): its sending
 * (rc_aaa, rc_auth, rc_send_server) blocks in poll() until the server
 * answers or every retry to every server has timed out, so it would need
 * a thread per pending login; it does its own failover inside that call
 * and reports only "timeout" or "bad response", so our log could not say
 * which server failed and why; and 1.2.11 neither requires a
 * Message-Authenticator on replies (the BlastRADIUS fix came in 1.4) nor
 * lets the caller check one. The wire format of the few attributes a NAS
 * needs is small (packet.c); the cryptography is OpenSSL's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "escape.h"
#include "log.h"
#include "loop.h"
#include "radius.h"

struct radius_client {
	struct loop		*loop;
	struct radius_cfg	cfg;
	uint64_t		dead_until[RADIUS_MAX_SERVERS];
	struct radius_request	*reqs;
	unsigned int		n_reqs;
	uint8_t			warned[256 / 8];	/* attributes logged */
	uint8_t			warned_ms[256 / 8];	/* Microsoft VSAs */
};

struct radius_request {
	struct radius_client	*c;
	struct radius_request	*next, **pprev;
	radius_auth_cb		cb;
	void			*arg;
	/* a copy of the request */
	enum radius_method	method;
	char			user[254];
	uint8_t			password[128];
	size_t			password_len;
	uint8_t			chap_id, challenge[64], response[49];
	size_t			challenge_len, response_len;
	uint32_t		nas_port;
	char			calling[64], called[64];
	struct in_addr		tunnel_client, tunnel_server;
	/* progress */
	unsigned int		order[RADIUS_MAX_SERVERS], n_order, pos;
	unsigned int		tries;
	int			fd;
	struct loop_timer	*timer;
	struct radius_pkt	pkt;
	int			bad_reply;	/* last -errno of a dropped reply */
	char			tried[256];	/* "A, B" for the final line */
};

void radius_cfg_defaults(struct radius_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = 3000;
	cfg->tries = 3;
	cfg->dead_time_s = 30;
	cfg->max_pending = 256;
}

int radius_parse_server(const char *text, struct radius_server_cfg *s)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL, *end;
	unsigned long pn = 1812;
	char *e;
	size_t hl;

	memset(&s->addr, 0, sizeof(s->addr));
	if (text[0] == '[') {
		end = strchr(text, ']');
		if (!end)
			return -EINVAL;
		hl = (size_t)(end - text - 1);
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, text + 1, hl);
		host[hl] = '\0';
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return -EINVAL;
	} else {
		end = strchr(text, ':');
		hl = end ? (size_t)(end - text) : strlen(text);
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, text, hl);
		host[hl] = '\0';
		if (end)
			port = end + 1;
	}
	if (port) {
		errno = 0;
		pn = strtoul(port, &e, 10);
		if (errno || *e || e == port || !pn || pn > 65535)
			return -EINVAL;
	}
	if (text[0] != '[') {
		struct sockaddr_in *a = (struct sockaddr_in *)&s->addr;

		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return -EINVAL;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)pn);
		s->addr_len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&s->addr;

		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return -EINVAL;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)pn);
		s->addr_len = sizeof(*a);
	}
	return 0;
}

const char *radius_addr_str(const struct sockaddr_storage *a, char *buf,
			    size_t size)
{
	char h[INET6_ADDRSTRLEN];

	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)a;

		inet_ntop(AF_INET, &s->sin_addr, h, sizeof(h));
		snprintf(buf, size, "%s:%u", h, ntohs(s->sin_port));
	} else {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)a;

		inet_ntop(AF_INET6, &s->sin6_addr, h, sizeof(h));
		snprintf(buf, size, "[%s]:%u", h, ntohs(s->sin6_port));
	}
	return buf;
}

struct radius_client *radius_client_new(struct loop *loop,
					const struct radius_cfg *cfg)
{
	struct radius_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->loop = loop;
	c->cfg = *cfg;
	if (!c->cfg.timeout_ms)
		c->cfg.timeout_ms = 3000;
	if (!c->cfg.tries)
		c->cfg.tries = 1;
	if (!c->cfg.max_pending)
		c->cfg.max_pending = 256;
	return c;
}

static void request_free(struct radius_request *r)
{
	if (r->fd >= 0) {
		loop_del_fd(r->c->loop, r->fd);
		close(r->fd);
	}
	loop_timer_free(r->timer);
	if (r->pprev) {
		*r->pprev = r->next;
		if (r->next)
			r->next->pprev = r->pprev;
		r->c->n_reqs--;
	}
	OPENSSL_cleanse(r, sizeof(*r));
	free(r);
}

void radius_client_free(struct radius_client *c)
{
	if (!c)
		return;
	while (c->reqs)
		request_free(c->reqs);
	OPENSSL_cleanse(&c->cfg, sizeof(c->cfg));
	free(c);
}

unsigned int radius_pending(const struct radius_client *c)
{
	return c->n_reqs;
}

void radius_request_cancel(struct radius_request *r)
{
	if (r)
		request_free(r);
}

static const char *srv_str(const struct radius_request *r, unsigned int pos,
			   char *buf, size_t size)
{
	return radius_addr_str(&r->c->cfg.servers[r->order[pos]].addr, buf,
			       size);
}

static const char *user_esc(const struct radius_request *r, char *buf,
			    size_t size)
{
	return l2_escape_str(buf, size, r->user);
}

static void finish(struct radius_request *r, struct radius_auth_result *res)
{
	radius_auth_cb cb = r->cb;
	void *arg = r->arg;

	request_free(r);
	cb(arg, res);
	OPENSSL_cleanse(res, sizeof(*res));
}

static void fail(struct radius_request *r, enum radius_status st,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct radius_request *r, enum radius_status st,
		 const char *fmt, ...)
{
	struct radius_auth_result res = { .status = st };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res.detail, sizeof(res.detail), fmt, ap);
	va_end(ap);
	finish(r, &res);
}

static int build(struct radius_request *r)
{
	const struct radius_server_cfg *s = &r->c->cfg.servers[r->order[r->pos]];
	const struct radius_cfg *cfg = &r->c->cfg;
	struct radius_pkt *p = &r->pkt;
	uint8_t auth[16], id, v[64];
	int err = 0;

	if (RAND_bytes(auth, sizeof(auth)) != 1 || RAND_bytes(&id, 1) != 1)
		return -EIO;
	radius_pkt_init(p, RADIUS_ACCESS_REQUEST, id, auth);
	radius_pkt_add_str(p, RA_USER_NAME, r->user);
	switch (r->method) {
	case RADIUS_PAP:
		err = radius_pkt_add_password(p, r->password, r->password_len,
					      s->secret);
		break;
	case RADIUS_CHAP_MD5:
		v[0] = r->chap_id;
		memcpy(v + 1, r->response, 16);
		radius_pkt_add(p, RA_CHAP_PASSWORD, v, 17);
		radius_pkt_add(p, RA_CHAP_CHALLENGE, r->challenge,
			       r->challenge_len);
		break;
	case RADIUS_MSCHAPV2:
		/* RFC 2548 2.3.2: Ident, Flags, Peer-Challenge, Reserved, Response */
		v[0] = r->chap_id;
		v[1] = 0;
		memcpy(v + 2, r->response, 16 + 8 + 24);
		radius_pkt_add_vsa(p, RADIUS_VENDOR_MICROSOFT, MS_CHAP_CHALLENGE,
				   r->challenge, 16);
		radius_pkt_add_vsa(p, RADIUS_VENDOR_MICROSOFT, MS_CHAP2_RESPONSE,
				   v, 50);
		break;
	}
	if (err)
		return err;
	if (cfg->nas_ip.s_addr)
		radius_pkt_add(p, RA_NAS_IP_ADDRESS, &cfg->nas_ip, 4);
	radius_pkt_add_str(p, RA_NAS_IDENTIFIER, cfg->nas_identifier);
	radius_pkt_add_u32(p, RA_NAS_PORT, r->nas_port);
	radius_pkt_add_u32(p, RA_NAS_PORT_TYPE, 5);		/* Virtual */
	radius_pkt_add_u32(p, RA_SERVICE_TYPE, 2);		/* Framed */
	radius_pkt_add_u32(p, RA_FRAMED_PROTOCOL, 1);		/* PPP */
	radius_pkt_add_str(p, RA_CALLING_STATION_ID, r->calling);
	radius_pkt_add_str(p, RA_CALLED_STATION_ID, r->called);
	/* RFC 2868: tag 0, then the value */
	v[0] = 0;
	v[1] = 0;
	v[2] = 0;
	v[3] = 3;						/* L2TP */
	radius_pkt_add(p, RA_TUNNEL_TYPE, v, 4);
	v[3] = 1;						/* IPv4 */
	radius_pkt_add(p, RA_TUNNEL_MEDIUM_TYPE, v, 4);
	if (r->tunnel_client.s_addr)
		radius_pkt_add_str(p, RA_TUNNEL_CLIENT_ENDPOINT,
				   inet_ntoa(r->tunnel_client));
	if (r->tunnel_server.s_addr)
		radius_pkt_add_str(p, RA_TUNNEL_SERVER_ENDPOINT,
				   inet_ntoa(r->tunnel_server));
	return radius_pkt_finish_request(p, s->secret);
}

static void on_readable(void *arg, int fd, uint32_t events);

/* Open a socket to the current server and send a fresh request. */
static int start_server(struct radius_request *r)
{
	const struct radius_server_cfg *s = &r->c->cfg.servers[r->order[r->pos]];
	char sb[64];
	int err;

	if (r->fd >= 0) {
		loop_del_fd(r->c->loop, r->fd);
		close(r->fd);
	}
	r->tries = 0;
	r->bad_reply = 0;
	r->fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (r->fd < 0)
		return -errno;
	if (connect(r->fd, (const struct sockaddr *)&s->addr, s->addr_len) < 0 ||
	    loop_add_fd(r->c->loop, r->fd, EPOLLIN, on_readable, r) < 0) {
		err = -errno;
		close(r->fd);
		r->fd = -1;
		return err ? err : -EIO;
	}
	err = build(r);
	if (err)
		return err;
	if (r->tried[0])
		strncat(r->tried, ", ", sizeof(r->tried) - strlen(r->tried) - 1);
	strncat(r->tried, srv_str(r, r->pos, sb, sizeof(sb)),
		sizeof(r->tried) - strlen(r->tried) - 1);
	return 0;
}

static void send_try(struct radius_request *r)
{
	char sb[64];

	r->tries++;
	/* A lost send is a lost packet: the timer retries it. */
	if (send(r->fd, r->pkt.buf, r->pkt.len, 0) < 0)
		log_msg(LOG_LVL_DEBUG, LOG_AUTH, "RADIUS %s: send: %s",
			srv_str(r, r->pos, sb, sizeof(sb)), strerror(errno));
	loop_timer_arm(r->timer, r->c->cfg.timeout_ms);
}

static const char *bad_reply_str(int err)
{
	switch (err) {
	case -EPERM:
		return "a bad authenticator: shared secret mismatch?";
	case -ENOKEY:
		return "no Message-Authenticator (dropped as BlastRADIUS protection; have the server send one: FreeRADIUS does for every reply when the client has require_message_authenticator = yes or the request had one)";
	case -EKEYREJECTED:
		return "a bad Message-Authenticator: shared secret mismatch?";
	default:
		return "a malformed packet";
	}
}

/* The current server failed: the next one, or the end. */
static void next_server(struct radius_request *r, const char *what)
{
	struct radius_client *c = r->c;
	char sb[64], nb[64], ue[L2_ESC_SIZE(64)];
	int err;

	c->dead_until[r->order[r->pos]] = loop_now_ms(c->loop) +
					  (uint64_t)c->cfg.dead_time_s * 1000;
	while (++r->pos < r->n_order) {
		log_msg(LOG_LVL_WARN, LOG_AUTH, "RADIUS %s %s; trying %s",
			srv_str(r, r->pos - 1, sb, sizeof(sb)), what,
			srv_str(r, r->pos, nb, sizeof(nb)));
		err = start_server(r);
		if (!err) {
			send_try(r);
			return;
		}
		what = strerror(-err);
	}
	log_msg(LOG_LVL_WARN, LOG_AUTH, "RADIUS %s %s; no other server",
		srv_str(r, r->pos - 1, sb, sizeof(sb)), what);
	fail(r, RADIUS_NO_ANSWER,
	     "no RADIUS server answered for %s (tried %s; last: %s %s)",
	     user_esc(r, ue, sizeof(ue)), r->tried,
	     srv_str(r, r->pos - 1, sb, sizeof(sb)), what);
}

static void on_timeout(void *arg)
{
	struct radius_request *r = arg;
	char what[320];

	if (r->tries < r->c->cfg.tries) {
		send_try(r);
		return;
	}
	if (r->bad_reply)
		snprintf(what, sizeof(what),
			 "answered %u tries only with replies that have %s",
			 r->tries, bad_reply_str(r->bad_reply));
	else
		snprintf(what, sizeof(what),
			 "did not answer after %u %s (a server that does not know this client or its shared secret drops requests silently)",
			 r->tries, r->tries == 1 ? "try" : "tries");
	next_server(r, what);
}

static void warn_once(struct radius_client *c, uint8_t *bits, unsigned int t,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void warn_once(struct radius_client *c, uint8_t *bits, unsigned int t,
		      const char *fmt, ...)
{
	char m[256];
	va_list ap;

	(void)c;
	if (bits[t / 8] & (1u << (t % 8)))
		return;
	bits[t / 8] |= (uint8_t)(1u << (t % 8));
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	log_msg(LOG_LVL_WARN, LOG_AUTH, "%s", m);
}

static uint32_t get32(const uint8_t *v)
{
	return (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
	       (uint32_t)v[2] << 8 | v[3];
}

static const char *unsupported_name(uint8_t t)
{
	switch (t) {
	case RA_FRAMED_ROUTING: return "Framed-Routing";
	case RA_FILTER_ID: return "Filter-Id";
	case RA_FRAMED_COMPRESSION: return "Framed-Compression";
	case RA_FRAMED_ROUTE: return "Framed-Route";
	case RA_FRAMED_POOL: return "Framed-Pool";
	case RA_FRAMED_INTERFACE_ID: return "Framed-Interface-Id";
	case RA_FRAMED_IPV6_PREFIX: return "Framed-IPv6-Prefix";
	case RA_FRAMED_IPV6_ROUTE: return "Framed-IPv6-Route";
	case RA_FRAMED_IPV6_POOL: return "Framed-IPv6-Pool";
	case RA_DELEGATED_IPV6_PREFIX: return "Delegated-IPv6-Prefix";
	case 14: return "Login-IP-Host";
	case 15: return "Login-Service";
	case 16: return "Login-TCP-Port";
	case 19: return "Callback-Number";
	case 20: return "Callback-Id";
	case 23: return "Framed-IPX-Network";
	case 62: return "Port-Limit";
	default: return NULL;
	}
}

static void parse_ms(struct radius_request *r, struct radius_auth_result *res,
		     const uint8_t *v, size_t len)
{
	const uint8_t *a = v + 4, *end = v + len;

	if (len < 4 || get32(v) != RADIUS_VENDOR_MICROSOFT) {
		warn_once(r->c, r->c->warned, RA_VENDOR_SPECIFIC,
			  "RADIUS: vendor-specific attributes of vendor %u ignored (only Microsoft's MS-CHAP ones are used)",
			  len >= 4 ? get32(v) : 0);
		return;
	}
	for (; a + 2 <= end && a[1] >= 2 && a + a[1] <= end; a += a[1]) {
		const uint8_t *d = a + 2;
		size_t dl = a[1] - 2u;

		switch (a[0]) {
		case MS_CHAP2_SUCCESS:
			/* Ident, then "S=" and 40 hex digits */
			if (dl >= 43 && d[1] == 'S' && d[2] == '=') {
				memcpy(res->mschap2_success, d + 1, 42);
				res->mschap2_success[42] = '\0';
			}
			break;
		case MS_CHAP_ERROR: {
			char raw[128];
			size_t n = dl > 1 ? dl - 1 : 0, i;

			if (n > sizeof(raw) / 4 - 1)
				n = sizeof(raw) / 4 - 1;
			for (i = 0; i < n; i++)
				raw[i] = (d[1 + i] >= 0x20 && d[1 + i] < 0x7f) ?
					 (char)d[1 + i] : '?';
			raw[n] = '\0';
			l2_escape_str(res->mschap_error,
				      sizeof(res->mschap_error), raw);
			break;
		}
		case 7:		/* MS-MPPE-Encryption-Policy */
		case 8:		/* MS-MPPE-Encryption-Types */
		case 16:	/* MS-MPPE-Send-Key */
		case 17:	/* MS-MPPE-Recv-Key: no MPPE here */
			break;
		default:
			warn_once(r->c, r->c->warned_ms, a[0],
				  "RADIUS: Microsoft attribute %u ignored",
				  a[0]);
			break;
		}
	}
}

static void parse_reply(struct radius_request *r, const uint8_t *buf,
			size_t len, struct radius_auth_result *res)
{
	char msg[254 * 2] = "";
	const uint8_t *a;
	uint32_t service = 0;

	len = (size_t)buf[2] << 8 | buf[3];
	radius_for_each_attr(a, buf, len) {
		const uint8_t *v = a + 2;
		size_t vl = a[1] - 2u;
		const char *un;

		switch (a[0]) {
		case RA_REPLY_MESSAGE: {
			size_t n = strlen(msg), i;

			if (n && n + 1 < sizeof(msg))
				msg[n++] = ' ';
			for (i = 0; i < vl && n + 1 < sizeof(msg); i++)
				msg[n++] = (v[i] >= 0x20 && v[i] < 0x7f) ?
					   (char)v[i] : ' ';
			msg[n] = '\0';
			break;
		}
		case RA_FRAMED_IP_ADDRESS:
			/* 255.255.255.254: the NAS picks (our pool) */
			if (vl == 4 && get32(v) != 0xfffffffe &&
			    get32(v) != 0xffffffff && get32(v)) {
				res->has_framed_ip = true;
				memcpy(&res->framed_ip, v, 4);
			}
			break;
		case RA_FRAMED_IP_NETMASK:
			if (vl == 4) {
				res->has_netmask = true;
				memcpy(&res->framed_netmask, v, 4);
			}
			break;
		case RA_FRAMED_MTU:
			if (vl == 4)
				res->framed_mtu = get32(v);
			break;
		case RA_SESSION_TIMEOUT:
			if (vl == 4)
				res->session_timeout = get32(v);
			break;
		case RA_IDLE_TIMEOUT:
			if (vl == 4)
				res->idle_timeout = get32(v);
			break;
		case RA_ACCT_INTERIM_INTERVAL:
			if (vl == 4)
				res->acct_interim = get32(v);
			break;
		case RA_CLASS:
			memcpy(res->class_attr, v, vl);
			res->class_len = vl;
			break;
		case RA_SERVICE_TYPE:
			if (vl == 4)
				service = get32(v);
			break;
		case RA_VENDOR_SPECIFIC:
			parse_ms(r, res, v, vl);
			break;
		case RA_USER_NAME:
		case RA_FRAMED_PROTOCOL:
		case RA_MESSAGE_AUTHENTICATOR:
		case RA_TUNNEL_TYPE:
		case RA_TUNNEL_MEDIUM_TYPE:
		case RA_TUNNEL_CLIENT_ENDPOINT:
		case RA_TUNNEL_SERVER_ENDPOINT:
		case 24:	/* State */
		case 79:	/* EAP-Message */
			break;
		default:
			un = unsupported_name(a[0]);
			if (un) {
				if (a[0] == RA_FRAMED_POOL && vl < sizeof(res->framed_pool)) {
					memcpy(res->framed_pool, v, vl);
					res->framed_pool[vl] = '\0';
				}
				warn_once(r->c, r->c->warned, a[0],
					  "RADIUS: %s (attribute %u) in an Access-Accept is not supported and ignored; the session gets the service configured here (logged once)",
					  un, a[0]);
			} else {
				warn_once(r->c, r->c->warned, a[0],
					  "RADIUS: attribute %u ignored (logged once)",
					  a[0]);
			}
			break;
		}
	}
	l2_escape_str(res->reply_message, sizeof(res->reply_message), msg);
	if (service && service != 2 && buf[0] == RADIUS_ACCESS_ACCEPT) {
		char ue[L2_ESC_SIZE(64)];

		res->status = RADIUS_REJECTED;
		snprintf(res->detail, sizeof(res->detail),
			 "RADIUS %s accepted %s with Service-Type %u, not Framed; refused",
			 res->server, user_esc(r, ue, sizeof(ue)), service);
	}
}

static void on_readable(void *arg, int fd, uint32_t events)
{
	struct radius_request *r = arg;
	struct radius_auth_result res = { 0 };
	uint8_t buf[RADIUS_MAX_PACKET];
	char sb[64], ue[L2_ESC_SIZE(64)];
	const char *sep;
	ssize_t n;
	int err;

	(void)events;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		/* ICMP port unreachable: nobody listens; the timer retries */
		if (errno != EAGAIN && errno != EINTR)
			log_msg(LOG_LVL_DEBUG, LOG_AUTH, "RADIUS %s: %s",
				srv_str(r, r->pos, sb, sizeof(sb)),
				strerror(errno));
		return;
	}
	err = radius_reply_check(buf, (size_t)n, &r->pkt,
				 r->c->cfg.servers[r->order[r->pos]].secret);
	if (err == -ESRCH)
		return;		/* an answer to an earlier try */
	if (err) {
		if (r->bad_reply != err)
			log_msg(LOG_LVL_WARN, LOG_AUTH,
				"RADIUS reply from %s has %s",
				srv_str(r, r->pos, sb, sizeof(sb)),
				bad_reply_str(err));
		r->bad_reply = err;
		return;
	}
	srv_str(r, r->pos, res.server, sizeof(res.server));
	r->c->dead_until[r->order[r->pos]] = 0;
	user_esc(r, ue, sizeof(ue));
	switch (buf[0]) {
	case RADIUS_ACCESS_ACCEPT:
		res.status = RADIUS_ACCEPTED;
		parse_reply(r, buf, (size_t)n, &res);
		if (res.status == RADIUS_ACCEPTED && r->method == RADIUS_MSCHAPV2 &&
		    !res.mschap2_success[0]) {
			res.status = RADIUS_REJECTED;
			snprintf(res.detail, sizeof(res.detail),
				 "RADIUS %s accepted %s without MS-CHAP2-Success: the client could not verify the server; refused",
				 res.server, ue);
		} else if (res.status == RADIUS_ACCEPTED) {
			snprintf(res.detail, sizeof(res.detail),
				 "RADIUS %s accepted %s%s%s", res.server, ue,
				 res.reply_message[0] ? ": Reply-Message " : "",
				 res.reply_message);
		}
		break;
	case RADIUS_ACCESS_REJECT:
		res.status = RADIUS_REJECTED;
		parse_reply(r, buf, (size_t)n, &res);
		sep = res.reply_message[0] ? ": Reply-Message \"" : "";
		snprintf(res.detail, sizeof(res.detail),
			 "RADIUS rejected %s%s%s%s (server %s)", ue, sep,
			 res.reply_message, sep[0] ? "\"" : "", res.server);
		break;
	case RADIUS_ACCESS_CHALLENGE:
		res.status = RADIUS_REJECTED;
		snprintf(res.detail, sizeof(res.detail),
			 "RADIUS %s sent an Access-Challenge for %s; challenges (EAP, tokens) are not supported here: refused",
			 res.server, ue);
		break;
	default:
		log_msg(LOG_LVL_WARN, LOG_AUTH,
			"RADIUS %s answered with code %u, not an Access-Accept or Reject; dropped",
			res.server, buf[0]);
		return;
	}
	finish(r, &res);
}

struct radius_request *radius_auth_start(struct radius_client *c,
					 const struct radius_auth_req *req,
					 radius_auth_cb cb, void *arg)
{
	struct radius_request *r;
	uint64_t now = loop_now_ms(c->loop);
	unsigned int i;
	int err;

	if (!c->cfg.n_servers) {
		errno = ENOENT;
		return NULL;
	}
	if (c->n_reqs >= c->cfg.max_pending) {
		errno = EAGAIN;
		return NULL;
	}
	if (!req->user || strlen(req->user) > 253 ||
	    (req->method == RADIUS_PAP && req->password_len > 128) ||
	    (req->method == RADIUS_CHAP_MD5 &&
	     (req->response_len != 16 || !req->challenge_len ||
	      req->challenge_len > 64)) ||
	    (req->method == RADIUS_MSCHAPV2 &&
	     (req->response_len != 49 || req->challenge_len != 16))) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->c = c;
	r->fd = -1;
	r->cb = cb;
	r->arg = arg;
	r->method = req->method;
	snprintf(r->user, sizeof(r->user), "%s", req->user);
	if (req->password_len)
		memcpy(r->password, req->password, req->password_len);
	r->password_len = req->password_len;
	r->chap_id = req->chap_id;
	if (req->challenge_len)
		memcpy(r->challenge, req->challenge, req->challenge_len);
	r->challenge_len = req->challenge_len;
	if (req->response_len)
		memcpy(r->response, req->response, req->response_len);
	r->response_len = req->response_len;
	r->nas_port = req->nas_port;
	snprintf(r->calling, sizeof(r->calling), "%s",
		 req->calling_station ? req->calling_station : "");
	snprintf(r->called, sizeof(r->called), "%s",
		 req->called_station ? req->called_station : "");
	r->tunnel_client = req->tunnel_client;
	r->tunnel_server = req->tunnel_server;
	/* Live servers in order; when every one is marked dead, all of them */
	for (i = 0; i < c->cfg.n_servers; i++)
		if (c->dead_until[i] <= now)
			r->order[r->n_order++] = i;
	if (!r->n_order)
		for (i = 0; i < c->cfg.n_servers; i++)
			r->order[r->n_order++] = i;
	r->timer = loop_timer_new(c->loop, on_timeout, r);
	if (!r->timer) {
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->next = c->reqs;
	if (c->reqs)
		c->reqs->pprev = &r->next;
	r->pprev = &c->reqs;
	c->reqs = r;
	c->n_reqs++;
	err = start_server(r);
	if (err) {
		request_free(r);
		errno = -err;
		return NULL;
	}
	send_try(r);
	return r;
}
