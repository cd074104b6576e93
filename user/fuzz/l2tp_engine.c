// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the L2TP control engine (reliable delivery, tunnel and
 * session state machines) fed a sequence of control messages from two
 * peers, with the clock moving between them. Each message: 1 byte peer and
 * time step, 2 bytes length, then the message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "l2tp/engine.h"
#include "l2tp_fakes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void xmit(void *arg, uint32_t peer_id, uint16_t lport, uint16_t rport,
		 const uint8_t *msg, size_t len)
{
	(void)arg; (void)peer_id; (void)lport; (void)rport; (void)msg;
	if (len < 12 || len > L2TP_MAX_MSG)
		__builtin_trap();
}

static int session_up(void *arg, struct l2tp_session *s)
{
	(void)arg;
	return l2tp_session_tunnel(s) ? 0 : -1;
}

static const struct l2tp_engine_ops ops = {
	.xmit = xmit,
	.session_up = session_up,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct loop *loop;
	struct l2tp_engine_cfg cfg;
	struct l2tp_engine *e;
	size_t off = 0;

	if (!loop) {
		loop = loop_new();
		log_set_level(LOG_LVL_ERR);
	}
	l2tp_engine_cfg_defaults(&cfg);
	if (size && (data[0] & 0x80)) {
		memcpy(cfg.secret, "fuzz", 4);
		cfg.secret_len = 4;
	}
	e = l2tp_engine_new(loop, &cfg, &ops, NULL);
	if (size && (data[0] & 0x40))
		l2tp_tunnel_call(l2tp_engine_connect(e, 1, 1701, 1701));
	while (off + 3 <= size) {
		uint8_t ctl = data[off];
		size_t n = (size_t)data[off + 1] << 8 | data[off + 2];

		off += 3;
		if (n > size - off)
			n = size - off;
		l2tp_engine_input(e, 1 + (ctl & 1), 1701, 1701, data + off, n);
		off += n;
		if (ctl & 0x0e)
			fake_loop_advance(loop, (uint64_t)(ctl & 0x0e) * 1000);
	}
	l2tp_engine_free(e, END_SHUTDOWN);
	fake_loop_run_due(loop);
	fake_log_reset();
	return 0;
}
