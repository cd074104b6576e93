#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
#
# 62-netns-release: an adopted UDP socket does not keep its network
# namespace alive.
#
# The socket holds a reference on its netns; if the module held the socket
# until the device goes, and the device goes only when the netns exits,
# nothing would ever be freed: the namespace, its devices, SAs and keys
# would stay alive and forwarding after `ip netns del`, and an unprivileged
# user (unshare -rn) could leak namespaces without bound.
#  1. A process attaches its UDP socket and exits without detaching; then
#     `ip netns del`: the namespace goes, and the veth peer of its
#     interface disappears within seconds.
#  2. `l2tpsec dev attach` (the CLI exits at once): the same.
#  3. 100 rounds of create-attach-exit as an unprivileged user from
#     `unshare -rn` (half through a socket handed over by a process that
#     exits, half through the CLI) with user.max_net_namespaces = 40:
#     every round can create its namespace, i.e. none is left behind.
#  4. Per-netns limits (module parameters max_devices, max_peers): past
#     them the request fails with ENOSPC and a message naming the
#     parameter; another netns is not affected.
#  5. dmesg has no WARNING, BUG or Call Trace.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip setpriv unshare

ROUNDS=${ROUNDS:-100}
NS_MAX=40
DEV=l2tpsec0

ktap_plan 9
dmesg_mark

PY=$(tmpdir)/attach.py
cat >"$PY" <<'PYEOF'
import socket, struct, sys
L2TPSEC_CMD_DEV_SET, L2TPSEC_A_IFNAME, L2TPSEC_A_SOCK_FD = 2, 2, 3

def attr(t, p):
    n = 4 + len(p)
    return struct.pack("=HH", n, t) + p + b"\0" * ((4 - n % 4) % 4)

def request(s, typ, cmd, payload, seq):
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    s.send(struct.pack("=IHHII", 16 + len(body), typ, 5, seq, 0) + body)

def answer(s):
    while True:
        data = s.recv(65536)
        typ, _, seq = struct.unpack("=HHI", data[4:12])
        # the answer to DEV_SET (seq 2), not the ACK of the family lookup
        if typ == 2 and seq == 2:
            return -struct.unpack("=i", data[16:20])[0]

# the daemon's way: our own UDP 4500 socket, handed over by descriptor;
# then exit without detaching
dev = sys.argv[1]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("0.0.0.0", 4500))
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.bind((0, 0))
request(s, 16, 3, attr(2, b"l2tpsec\0"), 1)
data = s.recv(65536)
buf, fid = data[20:], None
while len(buf) >= 4:
    n, t = struct.unpack("=HH", buf[:4])
    if n < 4:
        break
    if t == 1:  # CTRL_ATTR_FAMILY_ID
        fid = struct.unpack("=H", buf[4:6])[0]
    buf = buf[(n + 3) & ~3:]
if fid is None:
    sys.exit("no l2tpsec family")
request(s, fid, L2TPSEC_CMD_DEV_SET,
        attr(L2TPSEC_A_IFNAME, dev.encode() + b"\0") +
        attr(L2TPSEC_A_SOCK_FD, struct.pack("=i", u.fileno())), 2)
err = answer(s)
print("errno=%d" % err)
sys.exit(1 if err else 0)
PYEOF
chmod 755 "$(tmpdir)"
chmod 644 "$PY"

sock_port_set() {
	[ "$(json_query "$1" $DEV "dev['sock_port']")" -gt 0 ] 2>/dev/null
}

# one_ns TAG HOW: netns with a device, an attached socket (HOW: fd | cli)
# and a veth whose peer lives in $KEEP; the attaching process has exited.
KEEP=$(ns_name keep)
setup_netns "$KEEP"
one_ns() {
	local ns=$1 how=$2
	setup_netns "$ns"
	veth_pair "$ns" vn 10.0.62.1/24 "$KEEP" "vk-$how" 10.0.62.2/24
	run_ok ip -n "$ns" link add $DEV type l2tpsec || return 1
	if [ "$how" = fd ]; then
		# the attach itself must work (errno=0)
		run_ok nsx "$ns" "$PYTHON" "$PY" $DEV || return 1
	else
		l2s "$ns" dev attach $DEV port 4500 || return 1
		# the CLI has exited; the socket stays attached
		wait_for 5 sock_port_set "$ns" ||
			{ echo "no socket port after attach: $(show_json "$ns" $DEV)"; return 1; }
	fi
}

veth_gone() {
	! ip -n "$KEEP" link show "$1" >/dev/null 2>&1
}

for how in fd cli; do
	NS=$(ns_name "$how")
	if ! one_ns "$NS" "$how"; then
		not_ok "netns with a socket attached ($how), attacher exited"
		skip "ip netns del: veth peer gone ($how)" "setup failed"
		continue
	fi
	ok "netns with a socket attached ($how), attacher exited"
	del_netns "$NS"
	if wait_until 20 veth_gone "vk-$how"; then
		ok "ip netns del ($how): the namespace is freed, its veth peer is gone"
	else
		not_ok "ip netns del ($how): the namespace is freed, its veth peer is gone" \
			"vk-$how still in $KEEP 20 s later: the namespace was kept alive"
		ip -n "$KEEP" link del "vk-$how" 2>/dev/null
	fi
done

# ---- 3. unprivileged create-attach-exit rounds -------------------------------
OLD_MAX=$(cat /proc/sys/user/max_net_namespaces)
on_exit "echo $OLD_MAX >/proc/sys/user/max_net_namespaces"
if [ -f /proc/sys/kernel/unprivileged_userns_clone ]; then
	OLD_CLONE=$(cat /proc/sys/kernel/unprivileged_userns_clone)
	on_exit "echo $OLD_CLONE >/proc/sys/kernel/unprivileged_userns_clone"
	echo 1 >/proc/sys/kernel/unprivileged_userns_clone
fi
echo $NS_MAX >/proc/sys/user/max_net_namespaces

# uid 65534 runs the CLI from here: the checkout may sit in a directory
# it cannot enter (a clone under mktemp -d)
NOBODY_CLI=$(tmpdir)/l2tpsec
cp "$L2TPSEC_BIN" "$NOBODY_CLI" && chmod 755 "$NOBODY_CLI"
ROUND=$(tmpdir)/round.sh
cat >"$ROUND" <<EOF2
set -e
ip link add $DEV type l2tpsec
if [ "\$1" = fd ]; then
	$PYTHON $PY $DEV >/dev/null
else
	$NOBODY_CLI dev attach $DEV port 4500
fi
EOF2
chmod 644 "$ROUND"

nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

fails=0
first_err=""
for i in $(seq "$ROUNDS"); do
	how=fd
	[ $((i % 2)) = 0 ] && how=cli
	done_ok=0
	# namespaces are freed asynchronously: allow a moment
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		if out=$(nobody unshare -rn sh "$ROUND" "$how" 2>&1); then
			done_ok=1
			break
		fi
		case "$out" in
		*"No space left"*) sleep 0.5 ;;
		*) break ;;
		esac
	done
	if [ "$done_ok" = 0 ]; then
		fails=$((fails + 1))
		[ -z "$first_err" ] && first_err="round $i ($how): $out"
		[ "$fails" -ge 5 ] && break
	fi
done
if [ "$fails" = 0 ]; then
	ok "$ROUNDS rounds of unshare -rn create-attach-exit as uid 65534 with max_net_namespaces=$NS_MAX"
else
	not_ok "$ROUNDS rounds of unshare -rn create-attach-exit as uid 65534 with max_net_namespaces=$NS_MAX" \
		"$fails rounds failed, first: $first_err"
fi

# ---- 4. per-netns limits -------------------------------------------------------
P=/sys/module/l2tpsec/parameters
limit_devices() {
	local ns=$1 out
	run_ok ip -n "$ns" link add l2tpsec1 type l2tpsec || return 1
	run_ok ip -n "$ns" link add l2tpsec2 type l2tpsec || return 1
	if out=$(ip -n "$ns" link add l2tpsec3 type l2tpsec 2>&1); then
		echo "third device accepted"
		return 1
	fi
	[[ "$out" == *max_devices* ]] || { echo "no message naming max_devices: $out"; return 1; }
	echo "$out"
}
limit_peers() {
	local ns=$1 out
	l2s "$ns" peer add l2tpsec1 id 1 encap none local 10.0.62.1 remote 10.0.62.2 || return 1
	l2s "$ns" peer add l2tpsec2 id 2 encap none local 10.0.62.1 remote 10.0.62.3 || return 1
	if out=$(nsx "$ns" "$L2TPSEC_BIN" peer add l2tpsec1 id 3 encap none \
		local 10.0.62.1 remote 10.0.62.4 2>&1); then
		echo "third peer accepted"
		return 1
	fi
	[[ "$out" == *max_peers* ]] || { echo "no message naming max_peers: $out"; return 1; }
	echo "$out"
}
if [ -w $P/max_devices ] && [ -w $P/max_peers ]; then
	OLD_DEVS=$(cat $P/max_devices)
	OLD_PEERS=$(cat $P/max_peers)
	on_exit "echo $OLD_DEVS >$P/max_devices; echo $OLD_PEERS >$P/max_peers"
	echo 2 >$P/max_devices
	echo 2 >$P/max_peers
	L1=$(ns_name lim1)
	L2=$(ns_name lim2)
	setup_netns "$L1" "$L2"
	check "max_devices=2: the third device in a netns is refused, naming the parameter" \
		limit_devices "$L1"
	check "max_peers=2: the third peer in a netns is refused, naming the parameter" \
		limit_peers "$L1"
	check "another netns still gets its 2 devices and 2 peers" \
		sh -c "ip -n '$L2' link add l2tpsec1 type l2tpsec &&
		       ip -n '$L2' link add l2tpsec2 type l2tpsec &&
		       ip netns exec '$L2' '$L2TPSEC_BIN' peer add l2tpsec1 id 1 encap none local 10.0.62.1 remote 10.0.62.2 &&
		       ip netns exec '$L2' '$L2TPSEC_BIN' peer add l2tpsec2 id 1 encap none local 10.0.62.1 remote 10.0.62.2"
	echo "$OLD_DEVS" >$P/max_devices
	echo "$OLD_PEERS" >$P/max_peers
else
	for _ in 1 2 3; do
		skip "per-netns limits" "no writable $P/max_devices (module without limits)"
	done
fi

check "dmesg has no WARNING, BUG or Call Trace" dmesg_clean
ksft_exit
