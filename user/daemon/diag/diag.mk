# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd, failures no single layer sees (daemon/diag/): included by
# user/Makefile. Builds build/libl2tpsecd-diag.a, which l2tpsecd links.

DIAG_SRCS	:= daemon/diag/watch.c daemon/diag/history.c
DIAG_OBJS	:= $(DIAG_SRCS:%.c=$(B)/%.o)
DIAG_LIB	:= $(B)/libl2tpsecd-diag.a

L2TPSECD_LIBS	+= $(DIAG_LIB)

$(DIAG_LIB): $(DIAG_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

all: $(DIAG_LIB)
-include $(DIAG_OBJS:.o=.d)

DIAG_TESTS	:= $(B)/daemon/tests/diag_watch_test \
		   $(B)/daemon/tests/diag_history_test
CHECK_BINS	+= $(DIAG_TESTS)

$(DIAG_TESTS): $(B)/daemon/tests/%: $(B)/daemon/tests/%.o $(DIAG_LIB) \
		$(CORE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LDLIBS) $(CMOCKA_LIBS)

-include $(DIAG_TESTS:=.d)
