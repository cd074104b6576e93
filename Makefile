# SPDX-License-Identifier: GPL-2.0
#
# l2tpsec top level. `make` builds the module and the userspace programs,
# `make check` runs every test (native units, lint, then the module's
# selftests and KUnit suites in QEMU). See README.md.
#
# `make check`, `make demo` and the other test targets first install what
# is missing (tools/install-deps.sh --if-missing: names the packages, goes
# through sudo when not root), so that on a fresh Debian 12 machine they
# are the only commands to type. `make check-fresh` proves that list
# complete in a freshly bootstrapped Debian 12 root (tools/fresh-check.sh).

# The module builds against the running kernel's headers when it has them,
# else against Debian's 6.1 headers (the host kernel here has no modules).
# Debian's 6.1 headers are the ones matching the kernel the VM boots.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(shell tools/vm/fetch-kernel.sh --headers 6.1 2>/dev/null))

# git describe, or the VERSION file outside git (tools/version.sh)
L2TPSEC_VERSION ?= $(shell tools/version.sh)
export L2TPSEC_VERSION

# DKMS: the source copy goes to $(DESTDIR)/usr/src/l2tpsec-$(L2TPSEC_VERSION)
DKMS_SRC = $(DESTDIR)/usr/src/l2tpsec-$(L2TPSEC_VERSION)
DKMS_FILES = Kbuild kernel include dkms.conf

.PHONY: all module user clean check check-full check-native check-vm lint bench \
	demo dkms-src dkms-install dkms-uninstall install uninstall deps check-fresh

# `make install` (GNU conventions; DESTDIR for staging, as packagers do)
prefix ?= /usr
exec_prefix ?= $(prefix)
sbindir ?= $(exec_prefix)/sbin
datadir ?= $(prefix)/share
mandir ?= $(datadir)/man
docdir ?= $(datadir)/doc/l2tpsec
sysconfdir ?= /etc
bashcompdir ?= $(datadir)/bash-completion/completions
# systemd's own answer (Debian 12: /lib/systemd/system, /usr/lib/tmpfiles.d)
systemdunitdir ?= $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
tmpfilesdir ?= $(shell pkg-config --variable=tmpfilesdir systemd 2>/dev/null || echo /usr/lib/tmpfiles.d)
INSTALL ?= install

# Installs the packages of tools/install-deps.sh that are missing; quiet
# when none is.
DEPS = tools/install-deps.sh --if-missing

all: module user

module:
	@test -n "$(KDIR)" || { echo "make: no kernel headers: install linux-headers-amd64 or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

user:
	$(MAKE) -C user

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C user clean

# The project's own checks build userspace with warnings as errors; a plain
# `make` (packagers, newer compilers) does not.
check check-full check-native: export WERROR := -Werror

deps:
	@$(DEPS)

# The packages first, then a sub-make: KDIR's look-up needs them.
check:
	@$(DEPS)
	$(MAKE) all
	tools/check.sh

# Every algorithm on every kernel (make check runs a subset on some).
check-full:
	@$(DEPS)
	$(MAKE) all
	CHECK_FULL=1 tools/check.sh

check-native:
	@$(DEPS)
	$(MAKE) user
	$(MAKE) -C user check

check-vm:
	@$(DEPS)
	$(MAKE) all
	tools/vm/run-selftests.sh

# sparse and checkpatch --strict on kernel/ (tools/lint.sh)
lint:
	@$(DEPS)
	tools/lint.sh

demo:
	@$(DEPS)
	$(MAKE) all
	tools/demo.sh

# The data path side by side with the stock stack, WireGuard and xfrm in
# one VM boot (tools/bench/bench.sh; BENCH_ARGS="--rounds 5 --alg ...").
bench:
	@$(DEPS)
	$(MAKE) user
	tools/bench/bench.sh $(BENCH_ARGS)

# tools/install-deps.sh tried on a minimal Debian 12 root (debootstrap,
# cached in /var/cache/l2tpsec/fresh-root): every build and check of
# `make check` but the QEMU ones, as root. Run it when the list or a
# build's needs change, and before each release. FRESH_ARGS: its options
# (--install-deps FILE, --debug-kernel full, --stages "...").
check-fresh:
	nice tools/fresh-check.sh $(FRESH_ARGS)

# The module's sources, VERSION and dkms.conf (with the version filled in)
# in /usr/src/l2tpsec-<version>, where `dkms add` looks for them.
dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -R $(DKMS_FILES) $(DKMS_SRC)/
	find $(DKMS_SRC) \( -name '*.o' -o -name '.*.cmd' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' \) -delete
	echo $(L2TPSEC_VERSION) >$(DKMS_SRC)/VERSION
	sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(L2TPSEC_VERSION)"/' $(DKMS_SRC)/dkms.conf

# Registers, builds and installs the module with DKMS for the running kernel
# (or DKMS_KERNEL=<kver>); DKMS rebuilds it on each kernel upgrade.
dkms-install: dkms-src
	dkms add -m l2tpsec -v $(L2TPSEC_VERSION)
	dkms install -m l2tpsec -v $(L2TPSEC_VERSION) $(if $(DKMS_KERNEL),-k $(DKMS_KERNEL))

dkms-uninstall:
	-dkms remove -m l2tpsec -v $(L2TPSEC_VERSION) --all
	rm -rf $(DKMS_SRC)

# The daemon, the CLI, the man pages, bash completion, the systemd units
# (l2tpsecd.service, the profiles' l2tpsecd@.service, a tmpfiles.d entry
# for /run/l2tpsec), and the example
# configurations (under docdir; the server's configuration also as
# /etc/l2tpsec/l2tpsecd.conf where none exists yet: an admin's files are
# never overwritten). No secret is installed: the example chap-secrets has
# well-known passwords, and the PSK file is the admin's to write. The forwarding sysctl file goes to docdir: a server needs
# it, but installing must not switch forwarding on by itself.
install: user
	$(INSTALL) -d $(DESTDIR)$(sbindir) $(DESTDIR)$(mandir)/man5 \
		$(DESTDIR)$(mandir)/man8 $(DESTDIR)$(docdir)/examples \
		$(DESTDIR)$(bashcompdir) $(DESTDIR)$(sysconfdir)/l2tpsec \
		$(DESTDIR)$(systemdunitdir) $(DESTDIR)$(tmpfilesdir)
	$(INSTALL) -m 0755 user/l2tpsecd user/l2tpsec $(DESTDIR)$(sbindir)/
	$(INSTALL) -m 0644 Documentation/l2tpsecd.8 Documentation/l2tpsec.8 \
		$(DESTDIR)$(mandir)/man8/
	$(INSTALL) -m 0644 Documentation/l2tpsecd.conf.5 $(DESTDIR)$(mandir)/man5/
	$(INSTALL) -m 0644 Documentation/examples/l2tpsecd-server.conf \
		Documentation/examples/l2tpsecd-client.conf \
		Documentation/examples/chap-secrets.example \
		$(DESTDIR)$(docdir)/examples/
	$(INSTALL) -m 0644 tools/install/sysctl-l2tpsec.conf \
		$(DESTDIR)$(docdir)/examples/60-l2tpsec.sysctl.conf
	$(INSTALL) -m 0644 tools/install/l2tpsec.bash-completion \
		$(DESTDIR)$(bashcompdir)/l2tpsec
	$(INSTALL) -m 0644 tools/install/l2tpsecd.service \
		tools/install/l2tpsecd@.service $(DESTDIR)$(systemdunitdir)/
	$(INSTALL) -m 0644 tools/install/l2tpsec.tmpfiles \
		$(DESTDIR)$(tmpfilesdir)/l2tpsec.conf
	$(INSTALL) -m 0644 README.md NEWS $(DESTDIR)$(docdir)/
	test -e $(DESTDIR)$(sysconfdir)/l2tpsec/l2tpsecd.conf || \
		$(INSTALL) -m 0644 Documentation/examples/l2tpsecd-server.conf \
			$(DESTDIR)$(sysconfdir)/l2tpsec/l2tpsecd.conf

# Removes what install put there, but not /etc/l2tpsec: configuration and
# secrets stay (as `apt remove` keeps conffiles).
uninstall:
	rm -f $(DESTDIR)$(sbindir)/l2tpsecd $(DESTDIR)$(sbindir)/l2tpsec \
		$(DESTDIR)$(mandir)/man8/l2tpsecd.8 $(DESTDIR)$(mandir)/man8/l2tpsec.8 \
		$(DESTDIR)$(mandir)/man5/l2tpsecd.conf.5 \
		$(DESTDIR)$(bashcompdir)/l2tpsec \
		$(DESTDIR)$(systemdunitdir)/l2tpsecd.service \
		$(DESTDIR)$(systemdunitdir)/l2tpsecd@.service \
		$(DESTDIR)$(tmpfilesdir)/l2tpsec.conf
	rm -rf $(DESTDIR)$(docdir)
