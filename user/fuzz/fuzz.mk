# SPDX-License-Identifier: GPL-2.0
#
# Every libFuzzer target of l2tpsec (clang, -fsanitize=fuzzer,address,
# undefined): included by user/Makefile after the daemon's fragments,
# whose source lists (CORE_SRCS, IKE_SRCS, L2TP_SRCS, PPP_SRCS, AUTH_SRCS,
# CTL_SRCS, COMMON_SRCS) it reuses.
#
#   make fuzz                           build every target
#   make check                          runs each briefly (FUZZ_SHORT s,
#                                       default 5; its corpus first)
#   make fuzz-long [FUZZ_TIME=600] [FUZZ_ONLY="ike_qm config"]
#                                       each (or those named) FUZZ_TIME s
#   make check-valgrind                 skips them (ASan and valgrind
#                                       do not mix)
#
# Layout: target NAME is fuzz/NAME.c, its seeds and every input that once
# crashed it (the regression set, named crash-WHAT) in fuzz/corpus/NAME/.
# A run adds what it finds to build/fuzz/corpus-NAME/ (not committed; copy
# an input worth keeping into fuzz/corpus/NAME/). The harnesses call the
# daemon's public functions through its headers, with the sanitized
# objects of the sources named below.
#
# Targets (what they reach):
#   ike_parse     ISAKMP codec, proposal parse and choice
#   ike_input     ike_input(): header checks, fragments, Main/Aggressive
#                 Mode's clear messages, decryption of later ones
#   ike_qm        IKE after decryption: an ISAKMP SA with fixed keys; the
#                 input's messages get a correct HASH(1)/HASH(3) and are
#                 encrypted as the peer would, so Quick Mode (proposals,
#                 IDs, KE, NAT-OA, the SA install), Informational (DELETE,
#                 DPD R-U-THERE/ACK, notifies) see the fuzzer's bytes;
#                 and the module's events (decoded as kmod does) on them
#   ike_cert      certificate payloads: the peer's certificate and its
#                 intermediates against a fixed CA, the server checks of
#                 an initiator (EKU, id, subjectAltName), ID matching, DNs
#   l2tp_avp      L2TPv2 header and AVPs (hidden AVPs), builder round trip
#   l2tp_engine   the L2TP control engine, LNS and LAC
#   ppp_opts      LCP/IPCP/IPV6CP/PAP/CHAP/MS-CHAPv2 on a PPP link
#   chap_secrets  the chap-secrets parser and lookup
#   config        the configuration loader with every section of the
#                 daemon registered (sections, proposal lists, durations)
#   ctlproto      the control-socket line protocol (common/ctlproto.c):
#                 records, kick/unblock requests, the writer's round trip
#   ctl_socket    the daemon's control socket (daemon/ctl/) on the real
#                 loop: a request in, every answer line must parse
#   nl_objects    the decoding of the module's netlink messages: replies
#                 (device, peer, SA, session, errors), frames and events
# How long each has run clean: fuzz/README.

FUZZ_CC		?= clang
FUZZ_SHORT	?= 5
FUZZ_TIME	?= 600
FUZZ_ONLY	?=
FUZZ_CFLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
		   -std=gnu11 -D_GNU_SOURCE -Wall -Wextra $(WERROR) \
		   -I../include -I../include/uapi -Icommon -Idaemon \
		   -Idaemon/core -Idaemon/tests -Ifuzz $(NL_CFLAGS) \
		   $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS)) \
		   -DL2TPSEC_VERSION=\"fuzz\"
# Objects for the fuzzers are built with -fsanitize=fuzzer-no-link.
FUZZ_COMMA	:= ,
FUZZ_OBJ_CFLAGS	:= $(subst -fsanitize=fuzzer$(FUZZ_COMMA),-fsanitize=fuzzer-no-link$(FUZZ_COMMA),$(FUZZ_CFLAGS))
FUZZ_LDLIBS	:= $(NL_LIBS) $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS))
FO		:= $(B)/fuzz/obj

# The daemon's core without the module's client (the harnesses use the
# stand-in of daemon/tests/ike_helpers.c) and without main().
FUZZ_CORE	:= $(filter %/loop.c %/log.c %/config.c,$(CORE_SRCS))
FUZZ_IKE	:= $(IKE_SRCS) $(FUZZ_CORE) daemon/tests/ike_helpers.c \
		   common/escape.c common/objects.c common/names.c common/genl.c \
		   common/failrec.c common/devent.c
# The L2TP and PPP targets run on the real core, driven through
# daemon/tests/l2tp_fakes.c (virtual clock, captured log).
FUZZ_L2TP_FAKES	:= daemon/tests/l2tp_fakes.c $(FUZZ_CORE) common/escape.c

FUZZ_SRCS_ike_parse	:= $(FUZZ_IKE)
FUZZ_SRCS_ike_input	:= $(FUZZ_IKE)
FUZZ_SRCS_ike_qm	:= $(FUZZ_IKE)
FUZZ_SRCS_ike_cert	:= $(FUZZ_IKE)
FUZZ_SRCS_l2tp_avp	:= $(filter %/avp.c,$(L2TP_SRCS))
FUZZ_SRCS_l2tp_engine	:= $(FUZZ_L2TP_FAKES) \
			   $(filter %/avp.c %/ctrl.c %/tunnel.c %/session.c,$(L2TP_SRCS))
FUZZ_SRCS_ppp_opts	:= $(FUZZ_L2TP_FAKES) $(PPP_SRCS)
FUZZ_SRCS_chap_secrets	:= $(AUTH_SRCS) $(FUZZ_CORE) common/escape.c
FUZZ_SRCS_config	:= $(FUZZ_IKE) $(AUTH_SRCS) $(PPP_SRCS) \
			   $(filter-out %/service.c %/session_glue.c %/client.c \
			     %/ike_peers.c %/admin.c %/diag.c %/reload.c,$(L2TP_SRCS))
FUZZ_SRCS_ctlproto	:= common/ctlproto.c common/escape.c
FUZZ_SRCS_ctl_socket	:= $(CTL_SRCS) $(FUZZ_CORE) common/ctlproto.c \
			   common/escape.c common/failrec.c common/devent.c
FUZZ_SRCS_nl_objects	:= common/objects.c common/names.c common/genl.c

# libFuzzer options per target (besides the time).
FUZZ_OPTS		:= -timeout=10 -rss_limit_mb=2048
FUZZ_OPTS_l2tp_avp	:= -max_len=1500
FUZZ_OPTS_l2tp_engine	:= -max_len=1500
FUZZ_OPTS_ppp_opts	:= -max_len=1500
FUZZ_OPTS_chap_secrets	:= -max_len=4096
FUZZ_OPTS_config	:= -max_len=4096
FUZZ_OPTS_ctlproto	:= -max_len=4096
FUZZ_OPTS_ctl_socket	:= -max_len=4096

FUZZ_NAMES	:= ike_parse ike_input ike_qm ike_cert l2tp_avp l2tp_engine \
		   ppp_opts chap_secrets config ctlproto ctl_socket nl_objects
FUZZ_BINS	:= $(FUZZ_NAMES:%=$(B)/fuzz/%)
FUZZ_HAVE_CC	:= $(shell command -v $(FUZZ_CC) 2>/dev/null)

$(FO)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_OBJ_CFLAGS) -MMD -MP -c -o $@ $<

$(foreach n,$(FUZZ_NAMES),$(eval FUZZ_OBJS_$(n) := $(FO)/fuzz/$(n).o \
	$(patsubst %.c,$(FO)/%.o,$(FUZZ_SRCS_$(n)))))

$(FUZZ_BINS): $(B)/fuzz/%: $$(FUZZ_OBJS_$$*)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(FUZZ_LDLIBS)

# `make check`: one TAP line per target, from its corpus, FUZZ_SHORT s.
# Without clang the script reports each target as skipped.
FUZZ_CHECK	:= $(B)/fuzz/check-fuzz
$(FUZZ_CHECK): fuzz/check-fuzz.sh $(if $(FUZZ_HAVE_CC),$(FUZZ_BINS)) fuzz/fuzz.mk
	@mkdir -p $(dir $@)
	sed -e 's|@BUILD@|$(abspath $(B))|' -e 's|@SRC@|$(CURDIR)|' \
	    -e 's|@TIME@|$(FUZZ_SHORT)|' -e 's|@CC@|$(FUZZ_CC)|' \
	    -e 's|@NAMES@|$(FUZZ_NAMES)|' \
	    $(foreach n,$(FUZZ_NAMES),-e 's|@OPTS_$(n)@|$(FUZZ_OPTS) $(FUZZ_OPTS_$(n))|') \
	    fuzz/check-fuzz.sh >$@
	chmod +x $@

CHECK_BINS	+= $(FUZZ_CHECK)
NO_VALGRIND	+= $(FUZZ_CHECK)

.PHONY: fuzz fuzz-long
fuzz: $(FUZZ_BINS)

fuzz-long: $(if $(FUZZ_ONLY),$(FUZZ_ONLY:%=$(B)/fuzz/%),$(FUZZ_BINS))
	@set -e; $(foreach n,$(or $(FUZZ_ONLY),$(FUZZ_NAMES)),\
		mkdir -p $(B)/fuzz/corpus-$(n); \
		echo "== $(n) for $(FUZZ_TIME) s"; \
		$(B)/fuzz/$(n) -max_total_time=$(FUZZ_TIME) $(FUZZ_OPTS) \
			$(FUZZ_OPTS_$(n)) -print_final_stats=1 \
			$(B)/fuzz/corpus-$(n) fuzz/corpus/$(n);)

-include $(wildcard $(FO)/*.d $(FO)/*/*.d $(FO)/*/*/*.d $(FO)/*/*/*/*.d)
