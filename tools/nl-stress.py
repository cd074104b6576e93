#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nl-stress.py - random valid and invalid generic-netlink sequences against
the l2tpsec family, from several threads at once (issue 10 item 10).

  nl-stress.py DEV SECONDS [THREADS] [SEED]

Each thread has its own netlink socket and, until SECONDS have passed,
sends a random request and reads its answer: peer, SA and session create,
change, delete and get with valid and invalid attributes, dumps of every
object, DEV_SET (MSS clamp, frame listener, adopting a UDP socket the
thread owns and closing it, the module's own socket), frames (L2TP control,
PPP) and garbage (random commands, random attribute bytes, truncated
nests). Peer 1 and its SAs and session are left alone: traffic flows on
them while this runs. Every request must be answered (an ACK, an error or
a dump's end) within 10 s; then it prints the count of each answer,
"requests=N", and exits 0. A request with no answer exits 1.

Numbers come from include/uapi/linux/l2tpsec.h, parsed at start; the
wire helpers from tools/l2tpsec-genl.py.
"""
import importlib.util
import os
import random
import re
import socket
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "l2tpsec_genl", os.path.join(HERE, "l2tpsec-genl.py"))
G = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(G)

NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3


def uapi_enums(path):
    """{NAME: value} of every enum constant in the UAPI header."""
    text = open(path).read()
    out = {}
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        val = -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                name, expr = [x.strip() for x in item.split("=", 1)]
                m = re.match(r"\(?\s*(\w+)\s*-\s*1\s*\)?$", expr)
                val = out[m.group(1)] - 1 if m else int(expr, 0)
            else:
                name, val = item, val + 1
            out[name] = val
    return out


E = uapi_enums(os.path.join(HERE, "..", "include", "uapi", "linux",
                            "l2tpsec.h"))


def c(name):
    return E["L2TPSEC_" + name]


class Stress:
    def __init__(self, dev, secs, seed):
        self.dev, self.end = dev, time.monotonic() + secs
        self.seed = seed
        self.lock = threading.Lock()
        self.answers = {}
        self.requests = 0
        self.hung = []

    def note(self, key):
        with self.lock:
            self.answers[key] = self.answers.get(key, 0) + 1
            self.requests += 1

    # -- requests --------------------------------------------------------
    def dev_attr(self, r):
        if r.random() < 0.03:
            return G.enc(c("A_IFNAME"), "str", "nosuchdev%d" % r.randrange(9))
        return G.enc(c("A_IFNAME"), "str", self.dev)

    @staticmethod
    def peer_id(r):
        # 1 carries the traffic: only read it; 0 and huge ones are invalid
        return r.choice([2, 3, 4, 5, 6, 7, 8, 0, 0xffffffff])

    def peer_nest(self, r, pid, full):
        a = [[c("A_PEER_ID"), "u32", pid]]
        if full:
            encap = r.choice([0, 0, 1, 7])
            a += [[c("A_PEER_ENCAP"), "u8", encap],
                  [c("A_PEER_LOCAL_IPV4"), "bin", socket.inet_aton(
                      "10.0.%d.1" % r.randrange(256)).hex()],
                  [c("A_PEER_REMOTE_IPV4"), "bin", socket.inet_aton(
                      "10.1.%d.%d" % (r.randrange(256), r.randrange(256))).hex()]]
            if encap or r.random() < 0.1:
                a += [[c("A_PEER_LOCAL_PORT"), "u16", r.choice([4500, 0])],
                      [c("A_PEER_REMOTE_PORT"), "u16", r.randrange(65536)]]
        if r.random() < 0.3:
            a.append([c("A_PEER_TX_SPI"), "u32", r.randrange(0x1000, 0x1020)])
        if r.random() < 0.05:
            a.append([c("A_PEER_REMOTE_IPV4"), "bin", "0102"])   # short
        return G.enc(c("A_PEER"), "nest", a)

    def sa_nest(self, r, full):
        spi = r.choice([r.randrange(0x1000, 0x1020), 0])
        a = [[c("A_SA_SPI"), "u32", spi],
             [c("A_SA_DIR"), "u8", r.choice([1, 2, 2, 0, 9])],
             [c("A_SA_PEER_ID"), "u32", self.peer_id(r)]]
        if full:
            cipher = r.choice([1, 1, 2, 3, 0, 9])
            if cipher == 1:
                a += [[c("A_SA_CIPHER"), "u8", 1],
                      [c("A_SA_ENC_KEY"), "bin",
                       os.urandom(r.choice([20, 28, 36, 7])).hex()]]
            else:
                a += [[c("A_SA_CIPHER"), "u8", cipher],
                      [c("A_SA_INTEG"), "u8", r.randrange(7)],
                      [c("A_SA_ENC_KEY"), "bin",
                       os.urandom(r.choice([16, 24, 32, 5])).hex()],
                      [c("A_SA_AUTH_KEY"), "bin",
                       os.urandom(r.choice([16, 20, 32, 48, 64, 3])).hex()]]
            if r.random() < 0.3:
                a.append([c("A_SA_REPLAY_WINDOW"), "u32",
                          r.choice([0, 32, 1024, 4096, 5000])])
            if r.random() < 0.3:
                a += [[c("A_SA_SOFT_PACKETS"), "u64", r.randrange(1, 100)],
                      [c("A_SA_HARD_SECONDS"), "u64", r.randrange(0, 5)]]
        return G.enc(c("A_SA"), "nest", a)

    def session_nest(self, r, full):
        a = [[c("A_SESSION_PEER_ID"), "u32", self.peer_id(r)],
             [c("A_SESSION_LOCAL_TUNNEL_ID"), "u16", r.randrange(10, 14)],
             [c("A_SESSION_LOCAL_SESSION_ID"), "u16", r.choice([1, 2, 3, 0])]]
        if full:
            a += [[c("A_SESSION_REMOTE_TUNNEL_ID"), "u16", r.randrange(65536)],
                  [c("A_SESSION_REMOTE_SESSION_ID"), "u16", r.randrange(65536)],
                  [c("A_SESSION_PEER_IPV4"), "bin", socket.inet_aton(
                      "10.77.%d.%d" % (r.randrange(4), r.randrange(256))).hex()]]
            if r.random() < 0.3:
                a += [[c("A_SESSION_PEER_IPV6"), "bin", os.urandom(16).hex()],
                      [c("A_SESSION_PEER_IPV6_PREFIXLEN"), "u8",
                       r.choice([64, 128, 3])]]
            for b in ("L2TP_LENGTH", "L2TP_SEQ", "PPP_ACFC", "PPP_PFC"):
                if r.random() < 0.2:
                    a.append([c("A_SESSION_" + b), "u8", r.randrange(2)])
        return G.enc(c("A_SESSION"), "nest", a)

    def frame_nest(self, r):
        if r.random() < 0.5:
            a = [[c("A_FRAME_KIND"), "u8", 1],
                 [c("A_FRAME_PEER_ID"), "u32", r.choice([1, 2, 3, 0])],
                 [c("A_FRAME_PAYLOAD"), "bin", r.choice(
                     ["c802000c0001000000000001", "c8", "0000"])]]
        else:
            a = [[c("A_FRAME_KIND"), "u8", r.choice([2, 2, 0, 5])],
                 [c("A_FRAME_PEER_ID"), "u32", r.choice([1, 2, 3])],
                 [c("A_FRAME_LOCAL_TUNNEL_ID"), "u16", r.randrange(10, 14)],
                 [c("A_FRAME_LOCAL_SESSION_ID"), "u16", r.choice([1, 2])],
                 [c("A_FRAME_PAYLOAD"), "bin", r.choice(
                     ["c02101010004", "0021", "c0", "c023" + "00" * 40])]]
        return G.enc(c("A_FRAME"), "nest", a)

    def one(self, r, state):
        """(name, cmd, flags, payload) of one random request."""
        dev = self.dev_attr(r)
        k = r.randrange(17)
        if k == 0:
            return "peer-new", c("CMD_PEER_NEW"), 0, \
                dev + self.peer_nest(r, self.peer_id(r), True)
        if k == 1:
            return "peer-set", c("CMD_PEER_SET"), 0, \
                dev + self.peer_nest(r, self.peer_id(r), r.random() < 0.5)
        if k == 2:
            return "peer-del", c("CMD_PEER_DEL"), 0, \
                dev + self.peer_nest(r, self.peer_id(r), False)
        if k in (3, 4):
            return "sa-new", c("CMD_SA_NEW"), 0, dev + self.sa_nest(r, True)
        if k == 5:
            return "sa-del", c("CMD_SA_DEL"), 0, dev + self.sa_nest(r, False)
        if k == 6:
            return "session-new", c("CMD_SESSION_NEW"), 0, \
                dev + self.session_nest(r, True)
        if k == 7:
            return "session-set", c("CMD_SESSION_SET"), 0, \
                dev + self.session_nest(r, True)
        if k == 8:
            return "session-del", c("CMD_SESSION_DEL"), 0, \
                dev + self.session_nest(r, False)
        if k == 9:
            cmd = r.choice(["DEV_GET", "PEER_GET", "SA_GET", "SESSION_GET"])
            return "dump-" + cmd.lower(), c("CMD_" + cmd), NLM_F_DUMP, \
                dev if r.random() < 0.8 else b""
        if k == 10:
            cmd, nest = r.choice([("PEER_GET", self.peer_nest(r, 1, False)),
                                  ("SA_GET", self.sa_nest(r, False)),
                                  ("SESSION_GET", self.session_nest(r, False))])
            return "get-" + cmd.lower(), c("CMD_" + cmd), 0, dev + nest
        if k == 11:
            return "dev-set", c("CMD_DEV_SET"), 0, dev + r.choice([
                G.enc(c("A_MSS_CLAMP"), "u8", r.randrange(2)),
                G.enc(c("A_FRAME_LISTEN"), "u8", r.randrange(2)),
                G.enc(c("A_SOCK_FD"), "s32", -1),
                G.enc(c("A_SOCK_FD"), "s32", r.choice([0, 1, 999, -7])),
                G.enc(c("A_SOCK_PORT"), "u16", r.choice([0, 14500, 14501]))])
        if k == 12:
            # adopt a UDP socket this thread owns; close it later
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                u.bind(("0.0.0.0", 0))
            except OSError:
                pass
            state.append(u)
            return "dev-attach", c("CMD_DEV_SET"), 0, \
                dev + G.enc(c("A_SOCK_FD"), "s32", u.fileno())
        if k == 13:
            return "frame", c("CMD_FRAME"), 0, dev + self.frame_nest(r)
        if k == 14:
            # random attribute bytes under a real command
            junk = os.urandom(r.randrange(0, 64))
            return "junk-attrs", r.randrange(0, 17), 0, dev + junk
        if k == 15:
            # a nest cut in the middle, or nested the wrong way
            nest = self.sa_nest(r, True)
            return "truncated", c("CMD_SA_NEW"), 0, \
                dev + nest[:r.randrange(4, len(nest))]
        return "bad-cmd", r.choice([0, 15, 16, 40, 255]), r.choice([0, NLM_F_DUMP]), dev

    # -- wire ------------------------------------------------------------
    def exchange(self, s, fid, seq, cmd, flags, payload):
        """Send, read to the answer; its key, or None after 10 s."""
        body = struct.pack("=BBH", cmd, 1, 0) + payload
        s.send(struct.pack("=IHHII", 16 + len(body), fid,
                           NLM_F_REQUEST | NLM_F_ACK | flags, seq, 0) + body)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                data = s.recv(1 << 20)
            except socket.timeout:
                continue
            except OSError as e:
                if e.errno == 105:      # ENOBUFS: frames or events lost
                    continue
                raise
            off = 0
            while off + 16 <= len(data):
                n, typ, _, rseq = struct.unpack("=IHHI", data[off:off + 12])
                if n < 16:
                    break
                if rseq == seq and typ == NLMSG_ERROR:
                    err = -struct.unpack("=i", data[off + 16:off + 20])[0]
                    return "errno=%d" % err
                if rseq == seq and typ == NLMSG_DONE:
                    return "done"
                off += (n + 3) & ~3
        return None

    def worker(self, idx):
        r = random.Random(self.seed * 1000 + idx)
        s = G.sock()
        s.settimeout(1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        fid, _ = G.family(s)
        state = []
        seq = 10
        while time.monotonic() < self.end:
            name, cmd, flags, payload = self.one(r, state)
            seq += 1
            ans = self.exchange(s, fid, seq, cmd, flags, payload)
            if ans is None:
                with self.lock:
                    self.hung.append("thread %d: %s (cmd %d) had no answer in 10 s"
                                     % (idx, name, cmd))
                return
            self.note("%s %s" % (name, ans))
            # adopted sockets die at random times: encap_destroy under load
            while state and (len(state) > 3 or r.random() < 0.3):
                state.pop(r.randrange(len(state))).close()
            if r.random() < 0.01:
                # a new socket now and then: a new port id, the old one gone
                s.close()
                s = G.sock()
                s.settimeout(1)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        for u in state:
            u.close()
        s.close()


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    dev, secs = argv[1], float(argv[2])
    threads = int(argv[3]) if len(argv) > 3 else 4
    seed = int(argv[4]) if len(argv) > 4 else int(time.time())
    st = Stress(dev, secs, seed)
    print("seed=%d threads=%d seconds=%g" % (seed, threads, secs), flush=True)
    ts = [threading.Thread(target=st.worker, args=(i,), daemon=True)
          for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(secs + 60)
    for k in sorted(st.answers):
        print("%6d %s" % (st.answers[k], k))
    print("requests=%d" % st.requests, flush=True)
    alive = [t for t in ts if t.is_alive()]
    if st.hung or alive:
        for h in st.hung:
            print("HUNG: " + h)
        if alive:
            print("HUNG: %d thread(s) still running" % len(alive))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
