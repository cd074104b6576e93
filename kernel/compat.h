/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec: the kernel API differences between the series we support
 * (Debian's 6.1 and 6.12). Keep every version test in this file.
 */
#ifndef _L2TPSEC_COMPAT_H
#define _L2TPSEC_COMPAT_H

#include <linux/crypto.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/version.h>

/* 6.12 moved the unaligned accessors out of asm/. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.3 changed crypto completion callbacks from taking the request to
 * taking the request's data pointer.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
typedef void *l2tpsec_crypto_cb_arg_t;
static inline void *l2tpsec_crypto_cb_data(l2tpsec_crypto_cb_arg_t arg)
{
	return arg;
}
#else
typedef struct crypto_async_request *l2tpsec_crypto_cb_arg_t;
static inline void *l2tpsec_crypto_cb_data(l2tpsec_crypto_cb_arg_t arg)
{
	return arg->data;
}
#endif

/* 6.12 made "lockless TX" a plain device flag instead of a feature bit. */
static inline void l2tpsec_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * The outer traffic (UDP socket, SAs) lives in the netns the device was
 * created in; keep the device there. 6.12 turned the feature bit into a
 * device flag (netns_immutable in Debian's 6.12, which has the rename).
 */
static inline void l2tpsec_set_netns_local(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->netns_immutable = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
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

#endif /* _L2TPSEC_COMPAT_H */
