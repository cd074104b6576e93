# SPDX-License-Identifier: GPL-2.0
#
# l2tpsec top level. `make` builds the module and the userspace programs,
# `make check` runs every test (native units, then the module's selftests in
# QEMU). See README.md.

# The module builds against the running kernel's headers when it has them,
# else against Debian's 6.1 headers (the host kernel here has no modules).
# Debian's 6.1 headers are the ones matching the kernel the VM boots.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(shell tools/vm/fetch-kernel.sh --headers 6.1 2>/dev/null))

L2TPSEC_VERSION ?= $(shell git -C $(CURDIR) describe --always --dirty 2>/dev/null || echo 0.1)
export L2TPSEC_VERSION

.PHONY: all module user clean check check-native check-vm demo

all: module user

module:
	@test -n "$(KDIR)" || { echo "make: no kernel headers: install linux-headers-amd64 or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

user:
	$(MAKE) -C user

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C user clean

check: all
	tools/check.sh

check-native: user
	$(MAKE) -C user check

check-vm: all
	tools/vm/run-selftests.sh

demo: all
	tools/demo.sh
