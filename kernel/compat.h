/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec: the kernel API differences between the series we support
 * (Debian's 6.1 and 6.12). Keep every such difference in this file.
 *
 * Each one is decided by probing for the API itself, never by comparing
 * version numbers: a macro the API defines, or a probe in Kbuild (a
 * header that exists, a declaration) that defines L2TPSEC_* for the
 * compiler. A kernel with a backport then gets the right branch.
 */
#ifndef _L2TPSEC_COMPAT_H
#define _L2TPSEC_COMPAT_H

#include <linux/crypto.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>

/*
 * 6.12 moved the unaligned accessors out of asm/. Kbuild looks for the
 * header (sparse 0.6.4, Debian 12's, has no __has_include()).
 */
#ifdef L2TPSEC_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.3 changed crypto completion callbacks from taking the request to
 * taking the request's data pointer (Kbuild reads crypto_completion_t).
 * Callbacks are written in the new form, void fn(void *data, int err);
 * L2TPSEC_DEFINE_CRYPTO_CB(fn) defines fn_cb(), what this kernel's
 * crypto_completion_t wants, to pass to aead_request_set_callback().
 */
#ifdef L2TPSEC_CRYPTO_CB_TAKES_DATA
#define L2TPSEC_DEFINE_CRYPTO_CB(fn)					\
	static void fn##_cb(void *data, int err)			\
	{								\
		fn(data, err);						\
	}
#else
#define L2TPSEC_DEFINE_CRYPTO_CB(fn)					\
	static void fn##_cb(struct crypto_async_request *req, int err)	\
	{								\
		fn(req->data, err);					\
	}
#endif

/* 6.12 made "lockless TX" a plain device flag instead of a feature bit. */
static inline void l2tpsec_set_lltx(struct net_device *dev)
{
#ifdef NETIF_F_LLTX
	dev->features |= NETIF_F_LLTX;
#else
	dev->lltx = true;
#endif
}

/*
 * The outer traffic (UDP socket, SAs) lives in the netns the device was
 * created in; keep the device there. 6.12 turned the feature bit into a
 * device flag (netns_immutable in Debian's 6.12, which has the rename).
 */
static inline void l2tpsec_set_netns_local(struct net_device *dev)
{
#ifdef NETIF_F_NETNS_LOCAL
	dev->features |= NETIF_F_NETNS_LOCAL;
#else
	dev->netns_immutable = true;
#endif
}

/*
 * 6.2 added formatted extack messages. Before that, format into one static
 * buffer: our generic-netlink handlers are serialised by genl_mutex (the
 * family is not parallel_ops), so the buffer only races with another
 * failing request between genl_unlock() and the ack, which can at worst
 * show that request's message; buf[79] is never overwritten, so the string
 * always stays terminated.
 */
#ifndef NL_SET_ERR_MSG_FMT_MOD
#define L2TPSEC_EXTACK_BUF_LEN 80
extern char l2tpsec_extack_buf[L2TPSEC_EXTACK_BUF_LEN];
#define NL_SET_ERR_MSG_FMT_MOD(extack, fmt, args...) do {		\
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack) {							\
		snprintf(l2tpsec_extack_buf,				\
			 L2TPSEC_EXTACK_BUF_LEN - 1,			\
			 KBUILD_MODNAME ": " fmt, ##args);		\
		__extack->_msg = l2tpsec_extack_buf;			\
	}								\
} while (0)
#define L2TPSEC_NEED_EXTACK_BUF 1
#endif

/*
 * 6.2 split the genetlink ops: the family's pre_doit/post_doit take a
 * struct genl_split_ops since then, a struct genl_ops before (Kbuild looks
 * for the struct). Write them with const struct L2TPSEC_GENL_OPS *.
 */
#ifdef L2TPSEC_HAVE_GENL_SPLIT_OPS
#define L2TPSEC_GENL_OPS genl_split_ops
#else
#define L2TPSEC_GENL_OPS genl_ops
#endif

/*
 * The generated policies (netlink-gen.c, which Kbuild compiles with this
 * file included first) write a binary attribute's maximum length as later
 * kernels do; this is what that macro means there.
 */
#ifndef NLA_POLICY_MAX_LEN
#define NLA_POLICY_MAX_LEN(_len)	{ .type = NLA_BINARY, .len = _len }
#endif

#endif /* _L2TPSEC_COMPAT_H */
