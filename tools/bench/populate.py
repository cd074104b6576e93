#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""populate.py UAPI_HEADER DEV N [STAGES]: what N logged-in clients leave
in the module, over raw generic netlink in batches of 200: N peers (raw
ESP), an outbound and an inbound AES-GCM-128 SA each, one session each
with its own IPv4 address. STAGES: a comma-separated subset of
peers,sas,sessions (default all three, in that order), so that a caller
can measure each kind of object on its own. tools/bench-teardown.sh and
tools/bench/mem.sh both use it."""
import os, re, socket, struct, sys

hdr, dev, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
stages = sys.argv[4].split(",") if len(sys.argv) > 4 else ["peers", "sas", "sessions"]
# The UAPI enums, so that no number is written twice.
E = {}
for body in re.findall(r"enum \w+ \{(.*?)\};", open(hdr).read(), re.S):
    v = 0
    for name, val in re.findall(r"^\s*(L2TPSEC_\w+)\s*(?:=\s*([^,]+))?,",
                                re.sub(r"/\*.*?\*/", "", body, flags=re.S),
                                re.M):
        if val:
            v = E[val.strip()] if val.strip() in E else int(val, 0)
        E[name] = v
        v += 1

def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)

def nest(t, *a):
    return attr(t | 0x8000, b"".join(a))

u8 = lambda t, v: attr(t, struct.pack("=B", v))
u16 = lambda t, v: attr(t, struct.pack("=H", v))
u32 = lambda t, v: attr(t, struct.pack("=I", v))
ip4 = lambda t, a: attr(t, socket.inet_aton(a))

s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind((0, 0))
seq = 0

def send(typ, cmd, payload, flags=5):	# REQUEST | ACK
    global seq
    seq += 1
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    s.send(struct.pack("=IHHII", 16 + len(body), typ, flags, seq, 0) + body)

def acks(count):
    while count:
        data = s.recv(1 << 20)
        off = 0
        while off < len(data):
            ln, typ = struct.unpack("=IH", data[off:off + 6])
            if typ == 2:
                err = struct.unpack("=i", data[off + 16:off + 20])[0]
                if err:
                    sys.exit("bench: request %d failed: errno %d" %
                             (struct.unpack("=I", data[off + 24:off + 28])[0],
                              -err))
                count -= 1
            off += (ln + 3) & ~3

send(16, 3, attr(2, b"l2tpsec\0"), 1)	# CTRL_CMD_GETFAMILY
data = s.recv(65536)
fam = None
off = 20
while off < len(data):
    ln, t = struct.unpack("=HH", data[off:off + 4])
    if t == 1:
        fam = struct.unpack("=H", data[off + 4:off + 6])[0]
    off += (ln + 3) & ~3
if fam is None:
    sys.exit("bench: no l2tpsec generic netlink family")
ifindex = u32(E["L2TPSEC_A_IFINDEX"], socket.if_nametoindex(dev))
key = os.urandom(20)
P, SA, SE = "L2TPSEC_A_PEER_", "L2TPSEC_A_SA_", "L2TPSEC_A_SESSION_"

def batch(make):
    for lo in range(1, n + 1, 200):
        hi = min(n, lo + 199)
        for i in range(lo, hi + 1):
            for cmd, payload in make(i):
                send(fam, E[cmd], ifindex + payload)
        acks(sum(len(make(i)) for i in range(lo, hi + 1)))

def ip(base, i):
    return "%d.%d.%d.%d" % (base, (i >> 16) & 255, (i >> 8) & 255, i & 255)

if "peers" in stages:
    batch(lambda i: [("L2TPSEC_CMD_PEER_NEW", nest(E["L2TPSEC_A_PEER"],
    u32(E[P + "ID"], i), u8(E[P + "ENCAP"], E["L2TPSEC_ENCAP_NONE"]),
    ip4(E[P + "LOCAL_IPV4"], "192.0.2.1"),
    ip4(E[P + "REMOTE_IPV4"], ip(198, i))))])
if "sas" in stages:
    batch(lambda i: [("L2TPSEC_CMD_SA_NEW", nest(E["L2TPSEC_A_SA"],
    u32(E[SA + "SPI"], 0x10000000 + 2 * i + d), u8(E[SA + "DIR"], dr),
    u32(E[SA + "PEER_ID"], i),
    u8(E[SA + "CIPHER"], E["L2TPSEC_CIPHER_AES_GCM"]),
    attr(E[SA + "ENC_KEY"], key)))
    for d, dr in ((0, E["L2TPSEC_DIR_OUT"]), (1, E["L2TPSEC_DIR_IN"]))])
if "sessions" in stages:
    batch(lambda i: [("L2TPSEC_CMD_SESSION_NEW", nest(E["L2TPSEC_A_SESSION"],
    u32(E[SE + "PEER_ID"], i),
    u16(E[SE + "LOCAL_TUNNEL_ID"], 1), u16(E[SE + "LOCAL_SESSION_ID"], 1),
    u16(E[SE + "REMOTE_TUNNEL_ID"], 1), u16(E[SE + "REMOTE_SESSION_ID"], 1),
    ip4(E[SE + "PEER_IPV4"], ip(10, i))))])
