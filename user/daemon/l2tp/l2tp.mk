# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd, L2TPv2 control (daemon/l2tp/): included by user/Makefile.
#
# Builds build/libl2tpsecd-l2tp.a (the protocol engine and the glue to the
# module); the daemon links it with libl2tpsecd-ppp.a and
# libl2tpsecd-auth.a (see L2TPD_LIBS / L2TPD_LDLIBS below), then
# -lcrypto -linih. Unit tests (daemon/tests/l2tp_*_test.c) link the fakes
# of the core in daemon/tests/l2tp_fakes.c, not the core itself.
#
# The fuzzers (fuzz/l2tp_*_fuzz.c, fuzz/ppp_*_fuzz.c) build with clang and
# libFuzzer + ASan/UBSan: `make fuzz` builds them, `make check` runs each
# for a bounded number of inputs, `make fuzz-long` for 10 minutes each.

L2D_CFLAGS	:= -Idaemon
L2D_TEST_LDLIBS	:= -lcrypto $(CMOCKA_LIBS)

L2TP_SRCS	:= daemon/l2tp/avp.c daemon/l2tp/ctrl.c daemon/l2tp/tunnel.c \
		   daemon/l2tp/session.c daemon/l2tp/l2tpd.c \
		   daemon/l2tp/netcfg.c daemon/l2tp/conf.c daemon/l2tp/diag.c
L2TP_OBJS	:= $(L2TP_SRCS:%.c=$(B)/%.o)
L2TP_LIB	:= $(B)/libl2tpsecd-l2tp.a

# What l2tpsecd links for the L2TP/PPP half (daemon/core.mk's link rule
# takes L2TPSECD_LIBS as one group).
L2TPD_LIBS	:= $(B)/libl2tpsecd-l2tp.a $(B)/libl2tpsecd-ppp.a \
		   $(B)/libl2tpsecd-auth.a
L2TPD_LDLIBS	:= -lcrypto -linih
L2TPSECD_LIBS	+= $(L2TPD_LIBS)

$(L2TP_OBJS): L2_CFLAGS += $(L2D_CFLAGS)

$(L2TP_LIB): $(L2TP_OBJS)
	$(AR) rcs $@ $^

all: $(L2TP_LIB)

# ---- unit tests -----------------------------------------------------------
L2D_FAKES	:= $(B)/daemon/tests/l2tp_fakes.o
L2TP_TESTS	:= $(patsubst daemon/tests/%.c,$(B)/daemon/tests/%, \
		     $(wildcard daemon/tests/l2tp_*_test.c daemon/tests/ppp_*_test.c \
			daemon/tests/auth_*_test.c))

$(B)/daemon/tests/%.o: L2_CFLAGS += $(L2D_CFLAGS) $(CMOCKA_CFLAGS) -Idaemon/tests

$(L2TP_TESTS): $(B)/daemon/tests/%: $(B)/daemon/tests/%.o $(L2D_FAKES) \
		$(B)/libl2tpsecd-l2tp.a $(B)/libl2tpsecd-ppp.a \
		$(B)/libl2tpsecd-auth.a $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(L2D_TEST_LDLIBS) $(NL_LIBS)

CHECK_BINS	+= $(L2TP_TESTS)

-include $(L2TP_OBJS:.o=.d) $(L2TP_TESTS:=.d) $(L2D_FAKES:.o=.d)

# ---- fuzzers ---------------------------------------------------------------
L2D_CLANG	?= $(shell command -v clang 2>/dev/null)
L2D_FUZZ_FLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE \
		   -Idaemon -Idaemon/tests -I../include -I../include/uapi -Icommon
L2D_FUZZ_RUNS	?= 50000
L2D_FUZZ_LONG	?= 600

ifneq ($(L2D_CLANG),)
L2TP_FUZZ	:= $(B)/fuzz/l2tp_avp_fuzz
FUZZ_TARGETS	+= $(L2TP_FUZZ)

$(B)/fuzz/l2tp_avp_fuzz: fuzz/l2tp_avp_fuzz.c daemon/l2tp/avp.c daemon/l2tp/avp.h
	@mkdir -p $(dir $@)
	$(L2D_CLANG) $(L2D_FUZZ_FLAGS) -o $@ fuzz/l2tp_avp_fuzz.c daemon/l2tp/avp.c -lcrypto

# `make check` runs each fuzzer briefly through a generated script.
$(B)/fuzz/run-%: $(B)/fuzz/%
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\n# bounded libFuzzer run of %s\nset -e\nmkdir -p $(B)/fuzz/corpus-$*\nexec ./$< -runs=$(L2D_FUZZ_RUNS) -seed=1 -max_len=1500 $(B)/fuzz/corpus-$* fuzz/$*-corpus\n' '$*' > $@
	@chmod +x $@

PPP_FUZZ_SRCS	:= fuzz/ppp_opts_fuzz.c daemon/tests/l2tp_fakes.c common/escape.c \
		   $(wildcard daemon/ppp/*.c)
FUZZ_TARGETS	+= $(B)/fuzz/ppp_opts_fuzz

$(B)/fuzz/ppp_opts_fuzz: $(PPP_FUZZ_SRCS) $(wildcard daemon/ppp/*.h)
	@mkdir -p $(dir $@)
	$(L2D_CLANG) $(L2D_FUZZ_FLAGS) -o $@ $(PPP_FUZZ_SRCS) -lcrypto

L2TP_ENGINE_FUZZ_SRCS := fuzz/l2tp_engine_fuzz.c daemon/tests/l2tp_fakes.c common/escape.c \
		   daemon/l2tp/avp.c daemon/l2tp/ctrl.c daemon/l2tp/tunnel.c \
		   daemon/l2tp/session.c
FUZZ_TARGETS	+= $(B)/fuzz/l2tp_engine_fuzz

$(B)/fuzz/l2tp_engine_fuzz: $(L2TP_ENGINE_FUZZ_SRCS) $(wildcard daemon/l2tp/*.h)
	@mkdir -p $(dir $@)
	$(L2D_CLANG) $(L2D_FUZZ_FLAGS) -o $@ $(L2TP_ENGINE_FUZZ_SRCS) -lcrypto

CHECK_BINS	+= $(B)/fuzz/run-l2tp_avp_fuzz $(B)/fuzz/run-ppp_opts_fuzz \
		   $(B)/fuzz/run-l2tp_engine_fuzz
endif

.PHONY: fuzz fuzz-long
fuzz: $(FUZZ_TARGETS)

fuzz-long: $(FUZZ_TARGETS)
	@for f in $(FUZZ_TARGETS); do \
		n=$$(basename $$f); mkdir -p $(B)/fuzz/corpus-$$n; \
		echo "== $$f ($(L2D_FUZZ_LONG) s)"; \
		./$$f -max_total_time=$(L2D_FUZZ_LONG) -max_len=1500 \
			$(B)/fuzz/corpus-$$n fuzz/$$n-corpus || exit 1; \
	done

# ---- the QEMU harness (selftests/84-l2tp-200-sessions.sh) --------------------
# The L2TP/PPP half on the real core (daemon/core.mk's library), without
# IKE: the module peer and SAs are programmed with the CLI beforehand.
ifneq ($(CORE_LIB),)
L2TP_HARNESS	:= $(B)/daemon/tests/l2tp_harness

$(L2TP_HARNESS): $(B)/daemon/tests/l2tp_harness.o $(L2TPD_LIBS) $(CORE_LIB) \
		$(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(B)/daemon/tests/l2tp_harness.o \
		-Wl,--start-group $(L2TPD_LIBS) $(CORE_LIB) $(COMMON_LIB) \
		-Wl,--end-group $(L2TPD_LDLIBS) $(NL_LIBS)

all: $(L2TP_HARNESS)
endif
