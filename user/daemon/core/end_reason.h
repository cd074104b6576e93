/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: why a session or tunnel ended. Every end records one of these
 * (and a detail line), logged with user, peer and duration.
 */
#ifndef L2TPSECD_END_REASON_H
#define L2TPSECD_END_REASON_H

#include <stdbool.h>

enum end_reason {
	END_NONE,
	END_LOGOUT,		/* the peer closed: LCP Terminate, CDN, StopCCN */
	END_LCP_ECHO_TIMEOUT,	/* LCP echo requests unanswered */
	END_HELLO_TIMEOUT,	/* L2TP HELLO unacknowledged */
	END_PEER_NOT_RESPONDING, /* other control message unacknowledged */
	END_IKE_DELETE,		/* the IKE peer deleted the SA */
	END_SA_EXPIRY,		/* the SA expired without a rekey */
	END_REKEY_FAILED,	/* the SA expired, our rekey did not complete */
	END_DPD_TIMEOUT,	/* IKE Dead Peer Detection gave the peer up */
	END_ADMIN_KICK,		/* an administrator ended it */
	END_AUTH_FAILED,	/* PAP/CHAP/MS-CHAPv2 credentials rejected */
	END_AUTH_TIMEOUT,	/* no authentication in time */
	END_TUNNEL_AUTH_FAILED,	/* L2TP tunnel challenge failed */
	END_NEGOTIATION_FAILED,	/* LCP or an NCP did not converge */
	END_NO_ADDRESS,		/* pool exhausted or address conflict */
	END_PROTOCOL_ERROR,	/* malformed or unexpected control traffic */
	END_LOOPBACK,		/* looped-back link (LCP magic) */
	END_KERNEL_ERROR,	/* the module refused the session */
	END_LOCAL_CLOSE,	/* we disconnected (client stop) */
	END_SHUTDOWN,		/* the daemon is stopping */
	END_LIMIT,		/* refused: a per-peer or per-user limit */
	END_REASON_MAX,
};

static inline const char *end_reason_str(enum end_reason r)
{
	static const char *const names[END_REASON_MAX] = {
		[END_NONE]		= "none",
		[END_LOGOUT]		= "logout",
		[END_LCP_ECHO_TIMEOUT]	= "LCP echo timeout",
		[END_HELLO_TIMEOUT]	= "HELLO timeout",
		[END_PEER_NOT_RESPONDING] = "peer not responding",
		[END_IKE_DELETE]	= "IKE delete",
		[END_SA_EXPIRY]		= "SA expiry",
		[END_REKEY_FAILED]	= "rekey failure",
		[END_DPD_TIMEOUT]	= "DPD timeout",
		[END_ADMIN_KICK]	= "admin kick",
		[END_AUTH_FAILED]	= "authentication failure",
		[END_AUTH_TIMEOUT]	= "authentication timeout",
		[END_TUNNEL_AUTH_FAILED] = "tunnel authentication failure",
		[END_NEGOTIATION_FAILED] = "negotiation failure",
		[END_NO_ADDRESS]	= "no address",
		[END_PROTOCOL_ERROR]	= "protocol error",
		[END_LOOPBACK]		= "looped-back link",
		[END_KERNEL_ERROR]	= "kernel error",
		[END_LOCAL_CLOSE]	= "local disconnect",
		[END_SHUTDOWN]		= "daemon shutdown",
		[END_LIMIT]		= "limit reached",
	};

	return (unsigned int)r < END_REASON_MAX && names[r] ? names[r] : "?";
}

/* IPsec went away under the session: no L2TP reconnect, IKE brings it back. */
static inline bool end_reason_ipsec_gone(enum end_reason r)
{
	return r == END_IKE_DELETE || r == END_SA_EXPIRY ||
	       r == END_REKEY_FAILED || r == END_DPD_TIMEOUT;
}

#endif
