# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd, the control socket (daemon/ctl/): included by user/Makefile.
# Builds build/libl2tpsecd-ctl.a, which l2tpsecd links; the line protocol
# it speaks is common/ctlproto.c (unit tests: tests/ctlproto_test.c).

CTL_SRCS	:= daemon/ctl/ctl.c daemon/ctl/status.c daemon/ctl/access.c \
		   daemon/ctl/events.c
CTL_OBJS	:= $(CTL_SRCS:%.c=$(B)/%.o)
CTL_LIB		:= $(B)/libl2tpsecd-ctl.a

L2TPSECD_LIBS	+= $(CTL_LIB)

$(CTL_LIB): $(CTL_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

all: $(CTL_LIB)
-include $(CTL_OBJS:.o=.d)

# Unit tests: the socket on the real loop, a stand-in for l2tp/.
CTL_TESTS	:= $(B)/daemon/tests/ctl_test
CHECK_BINS	+= $(CTL_TESTS)

$(CTL_TESTS): $(B)/daemon/tests/ctl_test.o $(CTL_LIB) \
		$(B)/libl2tpsecd-diag.a $(CORE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LDLIBS) $(CMOCKA_LIBS)

-include $(CTL_TESTS:=.d)
