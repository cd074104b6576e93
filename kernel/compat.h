/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec: the kernel API differences between the series we support
 * (Debian's 6.1 and 6.12). Keep every version test in this file.
 */
#ifndef _L2TPSEC_COMPAT_H
#define _L2TPSEC_COMPAT_H

#include <linux/crypto.h>
#include <linux/netdevice.h>
#include <linux/version.h>

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

#endif /* _L2TPSEC_COMPAT_H */
