#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""l2tpsec-genl.py - a raw generic-netlink client of the l2tpsec family for
the selftests: python3 and nothing else (no pyroute2, no YNL), so that a
test can send what the CLI would refuse to build, listen for events, and
hold or squat netlink port ids.

  send JSON             one request, JSON '{"cmd": N, "attrs": [[type,
                        fmt, value], ...]}' with fmt one of u8 u16 u32 u64
                        s32 str bin(hex) ipv4 flag nest(value = list);
                        prints "errno=E MSG" (0 = success, MSG the extended
                        ACK's message); exit 0.
  listen [--kind K] [--timeout T]
                        join the "events" group, print "ready", then every
                        event as JSON ({attr: value}); exit 0 once an event
                        of kind K was seen, 1 at the timeout (10 s).
  listen-exit DEV       become DEV's frame listener, print "PORT errno=E
                        MSG", exit without stopping (the socket just closes).
  listen-hold DEV       the same, then hold the socket until stdin closes.
  listen-once DEV       become DEV's frame listener, print "errno=E MSG".
  send-many N JSON      the request N times on one socket, as fast as it
                        goes (no ACK asked for), then once with an ACK;
                        prints "sent=N errno=E MSG" (E of the last one).
  listen-count DEV RCVBUF
                        become DEV's frame listener with SO_RCVBUF RCVBUF,
                        print "PORT errno=E MSG", read nothing until stdin
                        closes, then read what queued and print the frames
                        per peer id, "peer1=N peer2=M ..." (a full socket
                        loses frames, as a daemon that cannot keep up).
  squat PORT SECS       bind PORT (a listener's old port id), print "ready",
                        count what arrives for SECS seconds, print
                        "frames=N" (each frame's start on stderr).

Numbers are those of include/uapi/linux/l2tpsec.h.
"""
import json
import select
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSG_ERROR = 2
NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK, SOL_NETLINK = 1, 11, 270
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 0x8000

L2TPSEC_CMD_DEV_SET = 2
L2TPSEC_A_IFNAME, L2TPSEC_A_FRAME_LISTEN = 2, 5
L2TPSEC_A_FRAME, L2TPSEC_A_EVENT = 11, 12
L2TPSEC_A_FRAME_PEER_ID = 2
L2TPSEC_A_EVENT_REMOTE_IPV4, L2TPSEC_A_EVENT_REMOTE_PORT = 6, 7


def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def enc(t, fmt, v):
    if fmt == "nest":
        return attr(t | NLA_F_NESTED, b"".join(enc(*a) for a in v))
    if fmt == "str":
        return attr(t, v.encode() + b"\0")
    if fmt == "bin":
        return attr(t, bytes.fromhex(v))
    if fmt == "ipv4":
        return attr(t, socket.inet_aton(v))
    if fmt == "flag":
        return attr(t, b"")
    return attr(t, struct.pack({"u8": "=B", "u16": "=H", "u32": "=I",
                                "u64": "=Q", "s32": "=i"}[fmt], v))


def attrs(buf):
    out = {}
    while len(buf) >= 4:
        n, t = struct.unpack("=HH", buf[:4])
        if n < 4:
            break
        out.setdefault(t & 0x3fff, []).append(buf[4:n])
        buf = buf[(n + 3) & ~3:]
    return out


def request(s, typ, flags, cmd, payload, seq):
    body = struct.pack("=BBH", cmd, 1, 0) + payload
    s.send(struct.pack("=IHHII", 16 + len(body), typ, flags, seq, 0) + body)


def family(s):
    """The l2tpsec family id and its multicast groups {name: id}."""
    request(s, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY,
            attr(CTRL_ATTR_FAMILY_NAME, b"l2tpsec\0"), 1)
    data = s.recv(65536)
    n, typ = struct.unpack("=IH", data[:6])
    if typ == NLMSG_ERROR:
        sys.exit("family l2tpsec: errno %d" %
                 -struct.unpack("=i", data[16:20])[0])
    a = attrs(data[20:n])
    fid = struct.unpack("=H", a[CTRL_ATTR_FAMILY_ID][0][:2])[0]
    groups = {}
    for g in attrs(a.get(CTRL_ATTR_MCAST_GROUPS, [b""])[0]).values():
        ga = attrs(g[0])
        groups[ga[CTRL_ATTR_MCAST_GRP_NAME][0].rstrip(b"\0").decode()] = \
            struct.unpack("=I", ga[CTRL_ATTR_MCAST_GRP_ID][0])[0]
    return fid, groups


def sock(portid=0):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((portid, 0))
    try:
        s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    except OSError:
        pass
    return s


def transact(s, cmd, payload):
    """Send one request with an ACK asked for; (errno, extack message)."""
    fid, _ = family(s)
    request(s, fid, NLM_F_REQUEST | NLM_F_ACK, cmd, payload, 2)
    while True:
        data = s.recv(65536)
        off = 0
        while off + 16 <= len(data):
            n, typ, flags, seq = struct.unpack("=IHHI", data[off:off + 12])
            if n < 16:
                break
            # the answer to our request (seq 2), nothing else
            if typ == NLMSG_ERROR and seq == 2:
                err = -struct.unpack("=i", data[off + 16:off + 20])[0]
                msg = ""
                # with extack: the echoed request header (all of the
                # request unless capped), then TLVs
                if flags & NLM_F_ACK_TLVS:
                    inner = struct.unpack("=I", data[off + 20:off + 24])[0]
                    skip = 16 if flags & NLM_F_CAPPED else inner
                    m = attrs(data[off + 20 + skip:off + n]).get(NLMSGERR_ATTR_MSG)
                    if m:
                        msg = m[0].rstrip(b"\0").decode(errors="replace")
                return err, msg
            off += (n + 3) & ~3


def cmd_send(spec):
    req = json.loads(spec)
    payload = b"".join(enc(*a) for a in req.get("attrs", []))
    err, msg = transact(sock(), req["cmd"], payload)
    print("errno=%d %s" % (err, msg), flush=True)
    return 0


def cmd_send_many(n, spec):
    req = json.loads(spec)
    payload = b"".join(enc(*a) for a in req.get("attrs", []))
    s = sock()
    fid, _ = family(s)
    for i in range(n - 1):
        request(s, fid, NLM_F_REQUEST, req["cmd"], payload, 100 + i)
    err, msg = transact(s, req["cmd"], payload)
    print("sent=%d errno=%d %s" % (n, err, msg), flush=True)
    return 0


def cmd_listen_count(dev, rcvbuf):
    s = sock()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    err, msg = frame_listen(s, dev)
    fid, _ = family(s)      # now: once frames overflow it, recv fails once
    print("%d errno=%d %s" % (s.getsockname()[0], err, msg), flush=True)
    sys.stdin.read()
    s.setblocking(False)
    peers = {}
    while True:
        try:
            data = s.recv(65536)
        except BlockingIOError:
            break
        except OSError as e:       # ENOBUFS: the socket overflowed
            sys.stderr.write("recv: %s\n" % e)
            continue
        off = 0
        while off + 16 <= len(data):
            n, typ = struct.unpack("=IH", data[off:off + 6])
            if n < 16:
                break
            if typ == fid:
                top = attrs(data[off + 20:off + n])
                fr = attrs(top.get(L2TPSEC_A_FRAME, [b""])[0])
                if L2TPSEC_A_FRAME_PEER_ID in fr:
                    pid = struct.unpack("=I", fr[L2TPSEC_A_FRAME_PEER_ID][0])[0]
                    peers[pid] = peers.get(pid, 0) + 1
            off += (n + 3) & ~3
    print(" ".join("peer%d=%d" % (k, peers[k]) for k in sorted(peers)),
          flush=True)
    return 0


def cmd_listen(args):
    kind = int(args[args.index("--kind") + 1]) if "--kind" in args else None
    timeout = float(args[args.index("--timeout") + 1]) if "--timeout" in args else 10
    s = sock()
    fid, groups = family(s)
    s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["events"])
    print("ready", flush=True)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
        if not r:
            break
        data = s.recv(65536)
        off = 0
        while off + 16 <= len(data):
            n, typ = struct.unpack("=IH", data[off:off + 6])
            if n < 16:
                break
            if typ == fid:
                top = attrs(data[off + 20:off + n])
                ev = {}
                for t, vals in attrs(top.get(L2TPSEC_A_EVENT, [b""])[0]).items():
                    v = vals[0]
                    ev[t] = (int.from_bytes(v, "little") if len(v) in (1, 2, 4, 8)
                             else v.hex())
                    if t == L2TPSEC_A_EVENT_REMOTE_IPV4:  # big endian
                        ev[t] = socket.inet_ntoa(v)
                    if t == L2TPSEC_A_EVENT_REMOTE_PORT:  # u16, host order
                        ev[t] = struct.unpack("=H", v)[0]
                print(json.dumps(ev), flush=True)
                if kind is not None and ev.get(1) == kind:
                    return 0
            off += (n + 3) & ~3
    return 1


def frame_listen(s, dev):
    return transact(s, L2TPSEC_CMD_DEV_SET,
                    attr(L2TPSEC_A_IFNAME, dev.encode() + b"\0") +
                    attr(L2TPSEC_A_FRAME_LISTEN, b"\1"))


def cmd_frame(cmd, args):
    if cmd == "squat":
        # an (unprivileged) process takes a listener's old port id
        portid, secs = int(args[0]), float(args[1])
        s = sock(portid)
        print("ready", flush=True)
        frames, end = 0, time.monotonic() + secs
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
            if not r:
                break
            data = s.recv(65536)
            frames += 1
            sys.stderr.write("squatter got %d bytes: %s\n" %
                             (len(data), data[:64].hex()))
        print("frames=%d" % frames, flush=True)
        return 0
    s = sock()
    err, msg = frame_listen(s, args[0])
    if cmd == "listen-once":
        print("errno=%d %s" % (err, msg), flush=True)
        return 0
    print("%d errno=%d %s" % (s.getsockname()[0], err, msg), flush=True)
    if cmd == "listen-hold":
        sys.stdin.read()        # until the caller closes our stdin
    return 0


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd = argv[1]
    if cmd == "send" and len(argv) == 3:
        return cmd_send(argv[2])
    if cmd == "send-many" and len(argv) == 4:
        return cmd_send_many(int(argv[2]), argv[3])
    if cmd == "listen-count" and len(argv) == 4:
        return cmd_listen_count(argv[2], int(argv[3]))
    if cmd == "listen":
        return cmd_listen(argv[2:])
    if cmd in ("listen-exit", "listen-hold", "listen-once") and len(argv) == 3:
        return cmd_frame(cmd, argv[2:])
    if cmd == "squat" and len(argv) == 4:
        return cmd_frame(cmd, argv[2:])
    sys.exit("unknown command or arguments: %s\n%s" % (" ".join(argv[1:]), __doc__))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
