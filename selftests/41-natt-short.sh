#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=300 (seconds, for tools/vm/run-selftests.sh; QEMU TCG is slow)
#
# 41-natt-short: what is not ESP on UDP 4500 stays the socket's.
#
# The module sees every datagram of its ESP-in-UDP socket first (RFC 3948).
# A datagram too short to carry an SPI (1-3 bytes) is not ESP, and only a
# single 0xff byte is a NAT keepalive; anything else belongs to whoever
# owns the socket (l2tpsecd's IKE), as Linux xfrm leaves it there, and
# must not be dropped as a malformed ESP packet.
#
#   netns A: l2tpsec0, a process owning UDP 4500 and handing it over by
#            descriptor (as l2tpsecd does), reading what stays on it
#   netns B: sends 2, 3 and 1 byte(s), a keepalive, then a non-ESP marker
#   vA 10.0.41.1/24 ----------- veth ----------- vB 10.0.41.2/24
#
# Checks: the 2-byte, 3-byte and 1-byte (not 0xff) datagrams arrive on the
# socket, in order; the keepalive does not; the device counts no
# malformed_drops; dmesg is clean. About 15 s on 6.1 in QEMU.

# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

require_root
require_module
require_cmd ip

A=$(ns_name a)
B=$(ns_name b)
DEV=l2tpsec0

ktap_plan 6
dmesg_mark

setup_netns "$A" "$B"
veth_pair "$A" vA 10.0.41.1/24 "$B" vB 10.0.41.2/24
run_ok ip -n "$A" link add $DEV type l2tpsec || bail_out "ip link add $DEV"

PY=$(tmpdir)/owner.py
cat >"$PY" <<'PYEOF'
import socket, struct, sys
L2TPSEC_CMD_DEV_SET, L2TPSEC_A_IFNAME, L2TPSEC_A_SOCK_FD = 2, 2, 3

def attr(t, p):
    n = 4 + len(p)
    return struct.pack("=HH", n, t) + p + b"\0" * ((4 - n % 4) % 4)

def request(s, typ, cmd, payload, seq):
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    s.send(struct.pack("=IHHII", 16 + len(body), typ, 5, seq, 0) + body)

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
while True:
    data = s.recv(65536)
    typ, _, seq = struct.unpack("=HHI", data[4:12])
    if typ == 2 and seq == 2:
        err = -struct.unpack("=i", data[16:20])[0]
        break
if err:
    sys.exit("attach: errno %d" % err)
print("ready", flush=True)
# what stays on the socket, until the non-ESP marker (IKE's) comes
u.settimeout(20)
while True:
    try:
        d = u.recv(65536)
    except socket.timeout:
        print("timeout", flush=True)
        break
    print("got %s" % d.hex(), flush=True)
    if d[:4] == b"\0\0\0\0":
        break
PYEOF
chmod 755 "$(tmpdir)"
chmod 644 "$PY"

bg_start owner ip netns exec "$A" "$PYTHON" "$PY" $DEV
OWNER=$BG_PID
if bg_ready owner 20; then
	ok "a process owns UDP 4500 and handed it to $DEV"
else
	not_ok "a process owns UDP 4500 and handed it to $DEV" \
		"$(cat "$(tmpdir)/owner.out" "$(tmpdir)/owner.err")"
	bail_out "no socket"
fi

# B: 2 bytes, 3 bytes, 1 byte (not 0xff), a keepalive, then IKE's marker
nsx "$B" "$PYTHON" - <<'PYEOF'
import socket, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("0.0.0.0", 4500))
for d in (b"\x12\x34", b"abc", b"\x01", b"\xff", b"\0\0\0\0end"):
    u.sendto(d, ("10.0.41.1", 4500))
    time.sleep(0.1)
PYEOF

wait_until 20 grep -q "^got 00000000" "$(tmpdir)/owner.out"
bg_stop "$OWNER"
got=$(sed -n 's/^got //p' "$(tmpdir)/owner.out" | tr '\n' ' ')

check "the 2-byte datagram reaches the socket" \
	grep -qx "got 1234" "$(tmpdir)/owner.out"
check "the 3-byte datagram reaches the socket" \
	grep -qx "got 616263" "$(tmpdir)/owner.out"
if [ "$got" = "1234 616263 01 00000000656e64 " ]; then
	ok "1 byte (not 0xff) reaches it too, the keepalive does not, in order"
else
	not_ok "1 byte (not 0xff) reaches it too, the keepalive does not, in order" \
		"on the socket: $got"
fi
m=$(stat_of "$A" $DEV dev malformed_drops)
if [ "$m" = 0 ]; then
	ok "no malformed_drops on the device"
else
	not_ok "no malformed_drops on the device" "malformed_drops=$m"
fi
check "dmesg clean" dmesg_clean

ksft_exit
