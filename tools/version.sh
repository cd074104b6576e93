#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/version.sh: prints l2tpsec's version, one line.
#
# In a git checkout: `git describe` of a release tag (v1.2 -> 1.2, or
# 1.2-3-gabc1234 three commits later), else, while nothing is tagged, the
# VERSION file's release and the commit: 0.1-gabc1234. "-dirty" is added
# when the tree has uncommitted changes. Outside git (a tarball, the DKMS
# copy in /usr/src) the VERSION file alone.
#
# The result names the DKMS package directory (/usr/src/l2tpsec-<version>),
# so it only holds [A-Za-z0-9.+~-].
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

base=$(tr -d '[:space:]' <"$TOP/VERSION" 2>/dev/null) || base=
if [ -z "$base" ]; then
	echo "version.sh: $TOP/VERSION missing or empty" >&2
	exit 1
fi

v=
# only the repository l2tpsec is the top of, not one it happens to sit in
if [ -e "$TOP/.git" ] && command -v git >/dev/null; then
	if v=$(git -C "$TOP" describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
		v=${v#v}
	elif h=$(git -C "$TOP" rev-parse --short=7 HEAD 2>/dev/null); then
		v=$base-g$h
		[ -z "$(git -C "$TOP" status --porcelain --untracked-files=no 2>/dev/null)" ] ||
			v+=-dirty
	else
		v=
	fi
fi
v=${v:-$base}
case $v in
*[!A-Za-z0-9.+~-]*) echo "version.sh: unusable version '$v'" >&2; exit 1 ;;
esac
echo "$v"
