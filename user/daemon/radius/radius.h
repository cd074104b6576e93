/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: RADIUS client (RFC 2865 authentication, RFC 2548 MS-CHAP
 * attributes, RFC 2868 tunnel attributes, RFC 3579 Message-Authenticator).
 *
 * Everything runs on the daemon's event loop: a request owns one
 * connected UDP socket watched by the loop and one timer, so a slow or
 * dead server holds up only the logins that wait for it. The packets are
 * built and checked here (packet.c) with OpenSSL's MD5 and HMAC-MD5; see
 * client.c for why not radcli.
 *
 * Every request carries a Message-Authenticator, and a reply without a
 * valid one is dropped like a forged one (BlastRADIUS, CVE-2024-3596).
 *
 * Servers are tried in order; each gets @tries sends @timeout_ms apart,
 * then the next one is tried and the silent one is skipped for
 * @dead_time_s (unless every server is marked dead). Every failure is one
 * log line naming the server and the cause.
 */
#ifndef L2TPSECD_RADIUS_H
#define L2TPSECD_RADIUS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct loop;

#define RADIUS_MAX_SERVERS	8
#define RADIUS_MAX_SECRET	128
#define RADIUS_MAX_PACKET	4096

/* Codes (RFC 2865 3). */
enum {
	RADIUS_ACCESS_REQUEST = 1, RADIUS_ACCESS_ACCEPT, RADIUS_ACCESS_REJECT,
	RADIUS_ACCOUNTING_REQUEST, RADIUS_ACCOUNTING_RESPONSE,
	RADIUS_ACCESS_CHALLENGE = 11,
};

/* Attributes used here. */
enum {
	RA_USER_NAME = 1, RA_USER_PASSWORD, RA_CHAP_PASSWORD, RA_NAS_IP_ADDRESS,
	RA_NAS_PORT, RA_SERVICE_TYPE, RA_FRAMED_PROTOCOL, RA_FRAMED_IP_ADDRESS,
	RA_FRAMED_IP_NETMASK, RA_FRAMED_ROUTING, RA_FILTER_ID, RA_FRAMED_MTU,
	RA_FRAMED_COMPRESSION, RA_REPLY_MESSAGE = 18, RA_FRAMED_ROUTE = 22,
	RA_CLASS = 25, RA_VENDOR_SPECIFIC = 26, RA_SESSION_TIMEOUT = 27,
	RA_IDLE_TIMEOUT = 28, RA_CALLED_STATION_ID = 30,
	RA_CALLING_STATION_ID = 31, RA_NAS_IDENTIFIER = 32,
	RA_CHAP_CHALLENGE = 60, RA_NAS_PORT_TYPE = 61, RA_TUNNEL_TYPE = 64,
	RA_TUNNEL_MEDIUM_TYPE = 65, RA_TUNNEL_CLIENT_ENDPOINT = 66,
	RA_TUNNEL_SERVER_ENDPOINT = 67, RA_MESSAGE_AUTHENTICATOR = 80,
	RA_ACCT_INTERIM_INTERVAL = 85, RA_FRAMED_POOL = 88,
	RA_FRAMED_INTERFACE_ID = 96, RA_FRAMED_IPV6_PREFIX = 97,
	RA_FRAMED_IPV6_ROUTE = 99, RA_FRAMED_IPV6_POOL = 100,
	RA_DELEGATED_IPV6_PREFIX = 123,
};

#define RADIUS_VENDOR_MICROSOFT	311
enum {
	MS_CHAP_ERROR = 2, MS_CHAP_CHALLENGE = 11, MS_CHAP2_RESPONSE = 25,
	MS_CHAP2_SUCCESS = 26,
};

struct radius_server_cfg {
	struct sockaddr_storage	addr;
	socklen_t		addr_len;
	char			secret[RADIUS_MAX_SECRET + 1];
};

struct radius_cfg {
	struct radius_server_cfg servers[RADIUS_MAX_SERVERS];
	unsigned int	n_servers;
	uint32_t	timeout_ms;	/* per try; default 3000 */
	uint32_t	tries;		/* per server; default 3 */
	uint32_t	dead_time_s;	/* skip a silent server; default 30 */
	uint32_t	max_pending;	/* requests in flight; default 256 */
	char		nas_identifier[64];	/* "": not sent */
	struct in_addr	nas_ip;			/* 0: not sent */
};

void radius_cfg_defaults(struct radius_cfg *cfg);
/*
 * "HOST[:PORT]" (IPv4 or [IPv6], port 1812 by default) into @s.
 * 0 or -EINVAL.
 */
int radius_parse_server(const char *text, struct radius_server_cfg *s);
/* "127.0.0.1:1812" / "[::1]:1812" */
const char *radius_addr_str(const struct sockaddr_storage *a, char *buf,
			    size_t size);

enum radius_method { RADIUS_PAP, RADIUS_CHAP_MD5, RADIUS_MSCHAPV2 };

struct radius_auth_req {
	enum radius_method	method;
	const char		*user;
	/* PAP */
	const uint8_t		*password;
	size_t			password_len;	/* <= 128 */
	/* CHAP-MD5 and MS-CHAPv2: the challenge we sent, the peer's answer */
	uint8_t			chap_id;
	const uint8_t		*challenge;
	size_t			challenge_len;	/* 1..64; MS-CHAPv2: 16 */
	/* CHAP-MD5: 16 bytes; MS-CHAPv2: the 49-byte Response value */
	const uint8_t		*response;
	size_t			response_len;
	/* context; NULL / 0 / "": not sent */
	uint32_t		nas_port;
	const char		*calling_station;	/* "203.0.113.7:4500" */
	const char		*called_station;
	struct in_addr		tunnel_client, tunnel_server;
};

enum radius_status {
	RADIUS_ACCEPTED,
	RADIUS_REJECTED,
	RADIUS_NO_ANSWER,	/* no server answered validly */
	RADIUS_FAILED,		/* local error (socket, encoding) */
};

struct radius_auth_result {
	enum radius_status	status;
	/* One line: why it failed, or what was accepted; for the log. */
	char			detail[1024];
	char			reply_message[256];	/* escaped */
	char			server[64];		/* who answered */
	/* authorization (Access-Accept) */
	bool			has_framed_ip, has_netmask;
	struct in_addr		framed_ip, framed_netmask;
	uint32_t		session_timeout, idle_timeout, framed_mtu,
				acct_interim;		/* 0: not given */
	char			framed_pool[64];
	uint8_t			class_attr[253];
	size_t			class_len;		/* 0: no Class */
	/* MS-CHAPv2 Accept: "S=<40 hex>" for the CHAP Success */
	char			mschap2_success[43];
	/* MS-CHAPv2 Reject: the server's "E=691 R=0 ..." (may be "") */
	char			mschap_error[128];
};

struct radius_client;
struct radius_request;

typedef void (*radius_auth_cb)(void *arg, const struct radius_auth_result *r);

struct radius_client *radius_client_new(struct loop *loop,
					const struct radius_cfg *cfg);
/* Pending requests are cancelled without their callback. */
void radius_client_free(struct radius_client *c);

/*
 * Start an Access-Request. @cb runs once, later, from the loop (never from
 * inside this call); NULL with errno set when it could not start
 * (EINVAL: a bad request, EAGAIN: max_pending requests in flight, ENOENT:
 * no server configured).
 */
struct radius_request *radius_auth_start(struct radius_client *c,
					 const struct radius_auth_req *req,
					 radius_auth_cb cb, void *arg);
/* Forget a pending request; its callback never runs. NULL is fine. */
void radius_request_cancel(struct radius_request *r);
unsigned int radius_pending(const struct radius_client *c);

/* ---- packet.c: the codec (exposed for tests and fuzzing) ------------- */

struct radius_pkt {
	uint8_t		buf[RADIUS_MAX_PACKET];
	size_t		len;
	bool		overflow;
};

/* Code, id, request authenticator; room for the Message-Authenticator. */
void radius_pkt_init(struct radius_pkt *p, uint8_t code, uint8_t id,
		     const uint8_t auth[16]);
void radius_pkt_add(struct radius_pkt *p, uint8_t type, const void *v,
		    size_t len);
void radius_pkt_add_u32(struct radius_pkt *p, uint8_t type, uint32_t v);
void radius_pkt_add_str(struct radius_pkt *p, uint8_t type, const char *s);
void radius_pkt_add_vsa(struct radius_pkt *p, uint32_t vendor, uint8_t type,
			const void *v, size_t len);
/* User-Password hidden with @secret and the request authenticator. */
int radius_pkt_add_password(struct radius_pkt *p, const uint8_t *pw,
			    size_t len, const char *secret);
/* Set the length and sign the Message-Authenticator. 0 or -EMSGSIZE. */
int radius_pkt_finish_request(struct radius_pkt *p, const char *secret);

/*
 * Check a reply @buf/@len to the request @req: structure, id, Response
 * Authenticator and a present, valid Message-Authenticator.
 * 0, -EBADMSG (malformed), -ESRCH (another id), -EPERM (bad Response
 * Authenticator), -ENOKEY (no Message-Authenticator), -EKEYREJECTED (bad
 * Message-Authenticator).
 */
int radius_reply_check(const uint8_t *buf, size_t len,
		       const struct radius_pkt *req, const char *secret);

/* Walk the attributes of a checked packet. */
#define radius_for_each_attr(a, buf, len) \
	for ((a) = (buf) + 20; (a) + 2 <= (buf) + (len) && (a)[1] >= 2 && \
	     (a) + (a)[1] <= (buf) + (len); (a) += (a)[1])

#endif
