// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: raw ESP (IP protocol 50) through the xfrm4 protocol chain.
 *
 * We register above esp4, the way ip_vti does, and answer -EINVAL for every
 * SPI we do not own so that the next handler (esp4 and ordinary xfrm IPsec
 * on the same host) gets the packet untouched.
 */
#include <linux/ip.h>
#include <net/xfrm.h>

#include "l2tpsec.h"

static int l2tpsec_xfrm_rcv(struct sk_buff *skb)
{
	int err;

	err = l2tpsec_rx_esp(dev_net(skb->dev), skb, 0);
	/* Not ours (or too short to tell): pass it down the chain. */
	return err ? -EINVAL : 0;
}

/* Only reached for xfrm's own UDP encapsulation, never for our SAs. */
static int l2tpsec_xfrm_input(struct sk_buff *skb, int nexthdr, __be32 spi,
			      int encap_type)
{
	return -EINVAL;
}

/* Runs after xfrm_input() for SAs that are not ours: let others see it. */
static int l2tpsec_xfrm_cb(struct sk_buff *skb, int err)
{
	return 1;
}

static int l2tpsec_xfrm_err(struct sk_buff *skb, u32 info)
{
	return -ENOENT;
}

static struct xfrm4_protocol l2tpsec_esp4_protocol __read_mostly = {
	.handler	= l2tpsec_xfrm_rcv,
	.input_handler	= l2tpsec_xfrm_input,
	.cb_handler	= l2tpsec_xfrm_cb,
	.err_handler	= l2tpsec_xfrm_err,
	/* Above esp4 (0); ip_vti uses 100, any order with it works. */
	.priority	= 50,
};

int l2tpsec_xfrm_init(void)
{
	return xfrm4_protocol_register(&l2tpsec_esp4_protocol, IPPROTO_ESP);
}

void l2tpsec_xfrm_exit(void)
{
	xfrm4_protocol_deregister(&l2tpsec_esp4_protocol, IPPROTO_ESP);
}
