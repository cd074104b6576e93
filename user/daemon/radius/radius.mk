# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd, RADIUS client (daemon/radius/): included by user/Makefile.
# Builds build/libl2tpsecd-radius.a (core and common only below it; the
# l2tp glue calls it, see L2TPD_LIBS in daemon/l2tp/l2tp.mk). The tests,
# daemon/tests/radius_*_test.c, run a real FreeRADIUS (Debian's
# freeradius package) with a configuration they write, on 127.0.0.1 in
# the test's private network namespace.

RADIUS_SRCS	:= daemon/radius/packet.c daemon/radius/client.c \
		   daemon/radius/conf.c
RADIUS_OBJS	:= $(RADIUS_SRCS:%.c=$(B)/%.o)
RADIUS_LIB	:= $(B)/libl2tpsecd-radius.a

$(RADIUS_OBJS): L2_CFLAGS += -Idaemon -Idaemon/core

$(RADIUS_LIB): $(RADIUS_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

all: $(RADIUS_LIB)

RADIUS_TESTS	:= $(patsubst daemon/tests/%.c,$(B)/daemon/tests/%, \
		     $(wildcard daemon/tests/radius_*_test.c))

RADIUS_TEST_HELPERS := $(B)/daemon/tests/radius_helpers.o

$(RADIUS_TESTS): $(B)/daemon/tests/%: $(B)/daemon/tests/%.o $(L2D_FAKES) \
		$(RADIUS_TEST_HELPERS) $(RADIUS_LIB) $(B)/libl2tpsecd-ppp.a $(CORE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(L2D_TEST_LDLIBS)

CHECK_BINS	+= $(RADIUS_TESTS)

-include $(RADIUS_OBJS:.o=.d) $(RADIUS_TESTS:=.d) \
	 $(RADIUS_TEST_HELPERS:.o=.d)
