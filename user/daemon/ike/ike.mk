# SPDX-License-Identifier: GPL-2.0
#
# l2tpsecd IKEv1: the library the daemon links, its unit tests, and the
# ISAKMP fuzz targets (clang, libFuzzer, ASan and UBSan):
#
#   make fuzz-ike [FUZZ_TIME=600]   a long run of each target
#
# `make check` runs each target for a few seconds (ike_fuzz_short).

# Every file of daemon/ike/: ike.c, payload.c, proposal.c, crypto.c,
# keys.c, mainmode.c, aggressive.c, quickmode.c, informational.c, dpd.c,
# natt.c, child.c, cert.c, conf.c.
IKE_SRCS	:= $(wildcard daemon/ike/*.c)
IKE_OBJS	:= $(IKE_SRCS:%.c=$(B)/%.o)
IKE_LIB		:= $(B)/libl2tpsecd-ike.a

L2TPSECD_LIBS	+= $(IKE_LIB)

$(IKE_LIB): $(IKE_OBJS)
	$(AR) rcs $@ $^

# Unit tests: the codec, proposals, keys, and whole exchanges between two
# instances over loopback with a stand-in for the module.
IKE_TEST_HELPERS := $(B)/daemon/tests/ike_helpers.o
IKE_TESTS	:= $(filter-out $(B)/daemon/tests/ike_helpers,\
		   $(patsubst daemon/tests/%.c,$(B)/daemon/tests/%,\
		   $(wildcard daemon/tests/ike_*.c)))
CHECK_BINS	+= $(IKE_TESTS) $(B)/daemon/tests/ike_fuzz_short

$(IKE_TESTS): $(B)/daemon/tests/%: $(B)/daemon/tests/%.o \
		$(IKE_TEST_HELPERS) $(IKE_LIB) $(CORE_LIB) $(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(IKE_TEST_HELPERS) \
		-Wl,--start-group $(IKE_LIB) $(CORE_LIB) $(COMMON_LIB) \
		-Wl,--end-group $(DAEMON_LDLIBS) $(CMOCKA_LIBS)

# ---- fuzzing ---------------------------------------------------------------

FUZZ_CC		?= clang
FUZZ_TIME	?= 600
FUZZ_SHORT	?= 8
FUZZ_CFLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE \
		   -Wall -Wextra -Werror -I../include -I../include/uapi \
		   -Icommon -Idaemon -Idaemon/ike $(NL_CFLAGS) \
		   $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS))
IKE_FUZZ	:= ike_parse ike_input
FUZZ_TARGETS	+= $(IKE_FUZZ:%=$(B)/fuzz/%)

# Everything the daemon's IKE needs, built again with the sanitizers.
IKE_FUZZ_SRCS	:= $(IKE_SRCS) daemon/loop.c daemon/log.c daemon/config.c common/failrec.c \
		   daemon/tests/ike_helpers.c

IKE_FUZZ_DEPS	:= $(IKE_FUZZ_SRCS) $(wildcard daemon/ike/*.h) \
		   daemon/tests/ike_helpers.h

$(B)/fuzz/ike_parse: fuzz/ike_parse.c $(IKE_FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(IKE_FUZZ_SRCS) $(DAEMON_LDLIBS)

$(B)/fuzz/ike_input: fuzz/ike_input.c $(IKE_FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Idaemon/tests -o $@ $< $(IKE_FUZZ_SRCS) \
		$(DAEMON_LDLIBS)

# A short, bounded run of each target from its seed corpus, as TAP.
IKE_FUZZ_BUILT	:= $(if $(shell command -v $(FUZZ_CC) 2>/dev/null),\
		   $(IKE_FUZZ:%=$(B)/fuzz/%))

$(B)/daemon/tests/ike_fuzz_short: fuzz/ike_fuzz_short.sh $(IKE_FUZZ_BUILT)
	@mkdir -p $(dir $@)
	sed -e 's|@BUILD@|$(abspath $(B))|' -e 's|@SRC@|$(CURDIR)|' \
	    -e 's|@TIME@|$(FUZZ_SHORT)|' -e 's|@CC@|$(FUZZ_CC)|' \
	    fuzz/ike_fuzz_short.sh >$@
	chmod +x $@

.PHONY: fuzz-ike
fuzz-ike: $(IKE_FUZZ:%=$(B)/fuzz/%)
	@for t in $(IKE_FUZZ); do \
		mkdir -p $(B)/fuzz/corpus-$$t; \
		echo "== $$t for $(FUZZ_TIME) s"; \
		$(B)/fuzz/$$t -max_total_time=$(FUZZ_TIME) -timeout=10 \
			-rss_limit_mb=2048 $(B)/fuzz/corpus-$$t \
			fuzz/corpus/$$t || exit 1; \
	done

-include $(IKE_OBJS:.o=.d) $(IKE_TESTS:=.d) $(IKE_TEST_HELPERS:.o=.d) \
	 $(B)/daemon/ike/bench/ike-bench.d

# The load generator of tools/bench-ike.sh (not installed).
$(B)/ike-bench: $(B)/daemon/ike/bench/ike-bench.o $(IKE_LIB) $(CORE_LIB) \
		$(COMMON_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -Wl,--start-group $(IKE_LIB) \
		$(CORE_LIB) $(COMMON_LIB) -Wl,--end-group $(DAEMON_LDLIBS)

all: $(B)/ike-bench
