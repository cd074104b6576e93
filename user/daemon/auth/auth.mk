# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd, users and addresses (daemon/auth/): included by user/Makefile.
# Builds build/libl2tpsecd-auth.a; tests are daemon/tests/auth_*_test.c
# (rules shared with daemon/l2tp/l2tp.mk).

AUTH_SRCS	:= daemon/auth/secrets.c daemon/auth/pool.c daemon/auth/block.c \
		   daemon/auth/lockout.c
AUTH_OBJS	:= $(AUTH_SRCS:%.c=$(B)/%.o)
AUTH_LIB	:= $(B)/libl2tpsecd-auth.a

$(AUTH_OBJS): L2_CFLAGS += -Idaemon -Idaemon/core

$(AUTH_LIB): $(AUTH_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

all: $(AUTH_LIB)
-include $(AUTH_OBJS:.o=.d)
