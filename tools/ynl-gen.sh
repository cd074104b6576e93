#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/ynl-gen.sh [--check]: generate the kernel's generic-netlink
# policies and op table, kernel/netlink-gen.c and kernel/netlink-gen.h,
# from Documentation/netlink/specs/l2tpsec.yaml with the kernel's own YNL
# generator (tools/net/ynl/ynl-gen-c.py --mode kernel), as in-tree
# families do. The generated files are committed; with --check nothing is
# written and the exit status is 1 when they differ from what the spec
# generates now (tools/lint.sh runs this).
#
# The generator comes from Debian's linux-source-6.12: the debug kernel's
# extracted source in the cache when there is one, else tools/net/ynl and
# Documentation/netlink taken out of /usr/src/linux-source-6.12.tar.xz
# (tools/install-deps.sh installs it) once into the cache. Needs python3
# with PyYAML and jsonschema (python3-yaml, python3-jsonschema).
#
# Two changes are applied to a temporary copy of the 6.12 generator:
#   - binary attributes with a max-len check (keys, frame payloads), which
#     6.12's ynl-gen-c refuses: rendered as later kernels do, with
#     NLA_POLICY_MAX_LEN() (kernel/compat.h defines it where the kernel
#     does not);
#   - multicast groups: their flags (admin-perm: GENL_MCAST_CAP_NET_ADMIN,
#     events name peers and SPIs) are rendered, and for a family whose
#     struct the generator does not write (genetlink-legacy) the group
#     table is exported like the op table, so that the hand-written
#     family can use it. 6.12's generator drops the flags and makes the
#     table static.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${L2TPSEC_CACHE:-/var/cache/l2tpsec}
TARBALL=/usr/src/linux-source-6.12.tar.xz
SPEC=$REPO/Documentation/netlink/specs/l2tpsec.yaml
CHECK=

case ${1:-} in
--check) CHECK=1 ;;
"") ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# Prints a linux-source-6.12 directory holding tools/net/ynl and
# Documentation/netlink.
ynl_src() {
	local d ver
	for d in "$CACHE"/debug-kernel/src/*/linux-source-6.12 "$CACHE"/ynl/*/linux-source-6.12; do
		[ -f "$d/tools/net/ynl/ynl-gen-c.py" ] &&
			[ -f "$d/Documentation/netlink/genetlink-legacy.yaml" ] &&
			{ echo "$d"; return 0; }
	done
	[ -r "$TARBALL" ] || {
		echo "ynl-gen: no ynl-gen-c.py: apt-get install linux-source-6.12" >&2
		return 1
	}
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
	d=$CACHE/ynl/$ver
	# A cache we cannot write (a user without the shared cache): a
	# temporary copy, removed on exit with the rest.
	if ! mkdir -p "$d" 2>/dev/null || [ ! -w "$d" ]; then
		d=$TMP/src
		mkdir -p "$d"
	fi
	tar -C "$d" -xJf "$TARBALL" --wildcards \
		'linux-source-6.12/tools/net/ynl/*' \
		'linux-source-6.12/Documentation/netlink/*.yaml' ||
		{ echo "ynl-gen: cannot extract tools/net/ynl from $TARBALL" >&2; return 1; }
	echo "$d/linux-source-6.12"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

SRC=$(ynl_src)

# The generator names the spec by its path below the kernel root (the
# directory with MAINTAINERS) and reads the protocol's schema two levels
# above the spec: give it that layout.
mkdir -p "$TMP/tree/Documentation/netlink/specs" "$TMP/tree/kernel" "$TMP/ynl"
: >"$TMP/tree/MAINTAINERS"
cp "$SRC"/Documentation/netlink/*.yaml "$TMP/tree/Documentation/netlink/"
cp "$SPEC" "$TMP/tree/Documentation/netlink/specs/l2tpsec.yaml"
cp -r "$SRC/tools/net/ynl/lib" "$TMP/ynl/"
cp "$SRC/tools/net/ynl/ynl-gen-c.py" "$TMP/ynl/"

# The backport (upstream: "netlink: add NLA_POLICY_MAX_LEN macro", which
# also taught ynl-gen-c binary max-len), only where it is missing.
if ! grep -q "NLA_POLICY_MAX_LEN" "$TMP/ynl/ynl-gen-c.py"; then
	python3 - "$TMP/ynl/ynl-gen-c.py" <<'EOF'
import sys
path = sys.argv[1]
src = open(path).read()
old = """            elif len(self.checks) == 0:
                mem += '.type = NLA_BINARY'
"""
new = """            elif len(self.checks) == 1 and 'max-len' in self.checks:
                mem = 'NLA_POLICY_MAX_LEN(' + self.get_limit_str('max-len') + ')'
            elif len(self.checks) == 0:
                mem += '.type = NLA_BINARY'
"""
if src.count(old) != 1:
    sys.exit("ynl-gen: cannot apply the binary max-len backport")
src = src.replace(old, new)
# the branch above sets the whole entry: do not wrap it in { }
old2 = """            mem += ', }'
        return mem

    def attr_put(self, ri, var):
        self._attr_put_line(ri, var, f"ynl_attr_put(nlh, {self.enum_name}, " +
                            f"{var}->{self.c_name}, {var}->_present.{self.c_name}_len)")"""
new2 = """            if not mem.startswith('NLA_POLICY_MAX_LEN'):
                mem += ', }'
        return mem

    def attr_put(self, ri, var):
        self._attr_put_line(ri, var, f"ynl_attr_put(nlh, {self.enum_name}, " +
                            f"{var}->{self.c_name}, {var}->_present.{self.c_name}_len)")"""
if src.count(old2) != 1:
    sys.exit("ynl-gen: cannot apply the binary max-len backport")
src = src.replace(old2, new2)
open(path, "w").write(src)
EOF
fi
if ! grep -q "GENL_MCAST_CAP_" "$TMP/ynl/ynl-gen-c.py"; then
	python3 - "$TMP/ynl/ynl-gen-c.py" <<'EOF'
import sys
path = sys.argv[1]
src = open(path).read()
old_src = """    cw.block_start('static const struct genl_multicast_group ' + family.c_name + '_nl_mcgrps[] =')
    for grp in family.mcgrps['list']:
        name = grp['name']
        grp_id = c_upper(f"{family.ident_name}-nlgrp-{name}")
        cw.p('[' + grp_id + '] = { "' + name + '", },')
"""
new_src = """    qual = 'static const' if kernel_can_gen_family_struct(family) else 'const'
    cw.block_start(qual + ' struct genl_multicast_group ' + family.c_name + '_nl_mcgrps[] =')
    for grp in family.mcgrps['list']:
        name = grp['name']
        grp_id = c_upper(f"{family.ident_name}-nlgrp-{name}")
        flags = {'admin-perm': 'GENL_MCAST_CAP_NET_ADMIN'}
        if grp.get('flags'):
            fl = ' | '.join([flags[x] for x in grp['flags']])
            cw.p('[' + grp_id + '] = { "' + name + '", .flags = ' + fl + ', },')
        else:
            cw.p('[' + grp_id + '] = { "' + name + '", },')
"""
old_hdr = """        cw.p(grp_id)
    cw.block_end(';')
    cw.nl()
"""
new_hdr = """        cw.p(grp_id)
    cw.block_end(';')
    cw.nl()
    if not kernel_can_gen_family_struct(family):
        cw.p(f"extern const struct genl_multicast_group {family.c_name}_nl_mcgrps[{len(family.mcgrps['list'])}];")
        cw.nl()
"""
for old, new in ((old_src, new_src), (old_hdr, new_hdr)):
    if src.count(old) != 1:
        sys.exit("ynl-gen: cannot apply the multicast group change")
    src = src.replace(old, new)
open(path, "w").write(src)
EOF
fi

for kind in source header; do
	ext=c
	[ "$kind" = header ] && ext=h
	(cd "$TMP/tree" && python3 "$TMP/ynl/ynl-gen-c.py" --mode kernel \
		--spec Documentation/netlink/specs/l2tpsec.yaml --"$kind" \
		-o "kernel/netlink-gen.$ext") || {
		echo "ynl-gen: ynl-gen-c.py failed on $SPEC" >&2
		exit 1
	}
done

rc=0
for ext in c h; do
	out=$REPO/kernel/netlink-gen.$ext
	if [ -n "$CHECK" ]; then
		if ! diff -u "$out" "$TMP/tree/kernel/netlink-gen.$ext" >&2; then
			echo "ynl-gen: kernel/netlink-gen.$ext is not what the spec generates: run tools/ynl-gen.sh" >&2
			rc=1
		fi
	else
		cp "$TMP/tree/kernel/netlink-gen.$ext" "$out"
	fi
done
exit $rc
