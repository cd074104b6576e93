# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd IKEv1: the library the daemon links and its unit tests. The
# fuzz targets (fuzz/ike_*.c) are in fuzz/fuzz.mk.

# Every file of daemon/ike/: ike.c, send.c, failures.c, phase1_auth.c,
# quickmode_build.c, payload.c,
# proposal.c, proposal_lists.c, algorithms.c, crypto.c,
# keys.c, phase1.c, mainmode.c, aggressive.c, quickmode.c, informational.c, dpd.c,
# natt.c, child.c, cert.c, conf.c.
IKE_SRCS	:= $(wildcard daemon/ike/*.c)
IKE_OBJS	:= $(IKE_SRCS:%.c=$(B)/%.o)
IKE_LIB		:= $(B)/libl2tpsecd-ike.a

L2TPSECD_LIBS	+= $(IKE_LIB)

$(IKE_LIB): $(IKE_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

# Unit tests: the codec, proposals, keys, and whole exchanges between two
# instances over loopback with a stand-in for the module.
IKE_TEST_HELPERS := $(B)/daemon/tests/ike_helpers.o
IKE_TESTS	:= $(patsubst daemon/tests/%.c,$(B)/daemon/tests/%,\
		   $(wildcard daemon/tests/ike_*_test.c))
CHECK_BINS	+= $(IKE_TESTS)

$(IKE_TESTS): $(B)/daemon/tests/%: $(B)/daemon/tests/%.o \
		$(IKE_TEST_HELPERS) $(IKE_LIB) $(CORE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(IKE_TEST_HELPERS) \
		$(IKE_LIB) $(CORE_LIB) $(COMMON_LIB) $(DAEMON_LDLIBS) \
		$(CMOCKA_LIBS)

-include $(IKE_OBJS:.o=.d) $(IKE_TESTS:=.d) $(IKE_TEST_HELPERS:.o=.d) \
	 $(B)/daemon/ike/bench/ike-bench.d

# The load generator of tools/bench-ike.sh (not installed).
$(B)/ike-bench: $(B)/daemon/ike/bench/ike-bench.o $(IKE_LIB) $(CORE_LIB) \
		$(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(IKE_LIB) $(CORE_LIB) \
		$(COMMON_LIB) $(DAEMON_LDLIBS)

all: $(B)/ike-bench
