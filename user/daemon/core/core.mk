# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd core (daemon/core/): event loop, logging, configuration, the
# module (kmod), addresses and routes (netcfg), instances; main; and the daemon's link rule, which every part feeds:
#
#   L2TPSECD_LIBS   static libraries of the parts (ike, l2tp, ppp, auth),
#                   e.g. L2TPSECD_LIBS += $(B)/libl2tpsecd-l2tp.a
#   DAEMON_CFLAGS   flags for every object under daemon/ (set here)
#   DAEMON_LDLIBS   OpenSSL, libinih, libnl (set here)
#
# Unit tests live in daemon/tests/NAME_test.c; a part lists its binaries in
# CHECK_BINS as $(B)/daemon/tests/NAME and gives their link rule.

# Prerequisites that name variables later fragments append to.
.SECONDEXPANSION:

DAEMON_PKGS	:= libssl libcrypto inih libsystemd
DAEMON_CFLAGS	:= -Idaemon -Idaemon/core $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS))
DAEMON_LDLIBS	= $(NL_LIBS) $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS))

$(B)/daemon/%.o: L2_CFLAGS += $(DAEMON_CFLAGS)
$(B)/daemon/tests/%.o: L2_CFLAGS += $(CMOCKA_CFLAGS)

CORE_SRCS	:= daemon/core/loop.c daemon/core/log.c daemon/core/config.c \
		   daemon/core/kmod.c daemon/core/instance.c daemon/core/netcfg.c \
		   daemon/core/readiness.c
CORE_OBJS	:= $(CORE_SRCS:%.c=$(B)/%.o)
CORE_LIB	:= $(B)/libl2tpsecd-core.a

L2TPSECD_LIBS	?=

$(CORE_LIB): $(CORE_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

PROGS		+= l2tpsecd

# The parts' libraries in link order: each before those it calls, with no
# cycle between them (ctl -> l2tp -> ppp -> auth -> ike -> core -> common),
# so no --start-group. A part that calls one later in the list may not be
# called by it.
L2TPSECD_LINK	= $(CTL_LIB) $(DIAG_LIB) $(L2TP_LIB) $(PPP_LIB) $(AUTH_LIB) \
		  $(RADIUS_LIB) \
		  $(IKE_LIB)

l2tpsecd: $(B)/daemon/main.o $$(L2TPSECD_LIBS) $(CORE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(B)/daemon/main.o \
		$(L2TPSECD_LINK) $(CORE_LIB) $(COMMON_LIB) $(DAEMON_LDLIBS)

CORE_TESTS	:= $(patsubst daemon/tests/%.c,$(B)/daemon/tests/%,\
		   $(wildcard daemon/tests/core_*_test.c))
CHECK_BINS	+= $(CORE_TESTS)

$(CORE_TESTS): $(B)/daemon/tests/%: $(B)/daemon/tests/%.o $(CORE_LIB) \
		$(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(DAEMON_LDLIBS) $(CMOCKA_LIBS)

-include $(CORE_OBJS:.o=.d) $(B)/daemon/main.d $(CORE_TESTS:=.d)

# core_kmod_wipe compiles kmod.c in and wraps what would need the module.
$(B)/daemon/tests/core_kmod_wipe_test: LDFLAGS += -Wl,--wrap=l2nl_do \
					    -Wl,--wrap=nlmsg_free
