# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd, PPP control (daemon/ppp/): included by user/Makefile.
# Builds build/libl2tpsecd-ppp.a; tests are daemon/tests/ppp_*_test.c (rules
# shared with daemon/l2tp/l2tp.mk).

PPP_SRCS	:= daemon/ppp/fsm.c daemon/ppp/lcp.c daemon/ppp/pap.c \
		   daemon/ppp/chap.c daemon/ppp/mschapv2.c daemon/ppp/ipcp.c \
		   daemon/ppp/ipv6cp.c daemon/ppp/link.c
PPP_OBJS	:= $(PPP_SRCS:%.c=$(B)/%.o)
PPP_LIB		:= $(B)/libl2tpsecd-ppp.a

$(PPP_OBJS): L2_CFLAGS += -Idaemon -Idaemon/core

$(PPP_LIB): $(PPP_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

all: $(PPP_LIB)
-include $(PPP_OBJS:.o=.d)
