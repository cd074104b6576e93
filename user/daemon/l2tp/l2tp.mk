# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd, L2TPv2 control (daemon/l2tp/): included by user/Makefile.
#
# Builds build/libl2tpsecd-l2tp.a (the protocol engine and the glue to the
# module); the daemon links it with libl2tpsecd-ppp.a and
# libl2tpsecd-auth.a (see L2TPD_LIBS / L2TPD_LDLIBS below), then
# -lcrypto -linih. Unit tests (daemon/tests/l2tp_*_test.c, ppp_*, auth_*)
# link the real core, driven through daemon/tests/l2tp_fakes.c (virtual
# clock, captured log). The fuzz targets (fuzz/l2tp_*.c, fuzz/ppp_*.c) are
# in fuzz/fuzz.mk.

L2D_CFLAGS	:= -Idaemon -Idaemon/core
L2D_TEST_LDLIBS	= $(DAEMON_LDLIBS) $(CMOCKA_LIBS)

L2TP_SRCS	:= daemon/l2tp/avp.c daemon/l2tp/ctrl.c daemon/l2tp/tunnel.c \
		   daemon/l2tp/session.c daemon/l2tp/service.c \
		   daemon/l2tp/session_glue.c daemon/l2tp/client.c \
		   daemon/l2tp/ike_peers.c daemon/l2tp/admin.c \
		   daemon/l2tp/conf.c daemon/l2tp/reload.c \
		   daemon/l2tp/user_limits.c daemon/l2tp/diag.c
L2TP_OBJS	:= $(L2TP_SRCS:%.c=$(B)/%.o)
L2TP_LIB	:= $(B)/libl2tpsecd-l2tp.a

# What l2tpsecd links for the L2TP/PPP half, in link order (each before
# those it calls; daemon/core/core.mk's link rule).
L2TPD_LIBS	:= $(B)/libl2tpsecd-l2tp.a $(B)/libl2tpsecd-ppp.a \
		   $(B)/libl2tpsecd-auth.a $(B)/libl2tpsecd-radius.a
L2TPD_LDLIBS	:= -lcrypto -linih
L2TPSECD_LIBS	+= $(L2TPD_LIBS)

$(L2TP_OBJS): L2_CFLAGS += $(L2D_CFLAGS)

$(L2TP_LIB): $(L2TP_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

all: $(L2TP_LIB)

# ---- unit tests -----------------------------------------------------------
L2D_FAKES	:= $(B)/daemon/tests/l2tp_fakes.o
L2TP_TESTS	:= $(patsubst daemon/tests/%.c,$(B)/daemon/tests/%, \
		     $(wildcard daemon/tests/l2tp_*_test.c daemon/tests/ppp_*_test.c \
			daemon/tests/auth_*_test.c))

$(B)/daemon/tests/%.o: L2_CFLAGS += $(L2D_CFLAGS) $(CMOCKA_CFLAGS) -Idaemon/tests

$(L2TP_TESTS): $(B)/daemon/tests/%: $(B)/daemon/tests/%.o $(L2D_FAKES) \
		$(CORE_LIB) \
		$(B)/libl2tpsecd-l2tp.a $(B)/libl2tpsecd-ppp.a \
		$(B)/libl2tpsecd-auth.a $(B)/libl2tpsecd-radius.a \
		$(B)/daemon/tests/radius_helpers.o $(CORE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out $(CORE_LIB),$^) \
		$(CORE_LIB) $(COMMON_LIB) $(L2D_TEST_LDLIBS)

CHECK_BINS	+= $(L2TP_TESTS)

-include $(L2TP_OBJS:.o=.d) $(L2TP_TESTS:=.d) $(L2D_FAKES:.o=.d)

# ---- the QEMU harness (selftests/84-l2tp-200-sessions.sh) --------------------
# The L2TP/PPP half on the real core (daemon/core.mk's library), without
# IKE: the module peer and SAs are programmed with the CLI beforehand.
ifneq ($(CORE_LIB),)
L2TP_HARNESS	:= $(B)/daemon/tests/l2tp_harness

$(L2TP_HARNESS): $(B)/daemon/tests/l2tp_harness.o $(L2TPD_LIBS) $(CORE_LIB) \
		$(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(B)/daemon/tests/l2tp_harness.o \
		$(L2TPD_LIBS) $(CORE_LIB) $(COMMON_LIB) $(L2TPD_LDLIBS) \
		$(NL_LIBS)

all: $(L2TP_HARNESS)
endif
