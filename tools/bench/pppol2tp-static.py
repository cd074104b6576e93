#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""pppol2tp-static.py: the stock Linux L2TPv2 data path without xl2tpd.

  pppol2tp-static.py LOCAL REMOTE TID PEER_TID SID PEER_SID -- PPPD_ARGS...

Does what xl2tpd does before it starts pppd, with fixed ids and no L2TP
control exchange (the benchmark compares data paths): a UDP socket bound
to LOCAL:1701 and connected to REMOTE:1701, a PPPoL2TP tunnel socket on it
(session 0/0, which makes the kernel's L2TPv2 tunnel, l2tp_core) and a
PPPoL2TP session socket (l2tp_ppp); then it becomes pppd with the pppol2tp
plugin on that session socket (pppd's own options follow the "--"). The
sockets stay open in pppd; the tunnel goes when pppd exits.
"""
import ctypes
import os
import socket
import struct
import sys

AF_PPPOX = 24
PX_PROTO_OL2TP = 1


def pppol2tp_connect(sock, udp_fd, remote, tid, ptid, sid, psid):
    # struct sockaddr_pppol2tp (linux/if_pppol2tp.h, __packed): family,
    # protocol, then struct pppol2tp_addr: pid, fd, sockaddr_in, s_tunnel,
    # s_session, d_tunnel, d_session
    sin = struct.pack("=H", socket.AF_INET) + struct.pack("!H", 1701) + \
        socket.inet_aton(remote) + b"\0" * 8
    sa = struct.pack("=HI", AF_PPPOX, PX_PROTO_OL2TP) + \
        struct.pack("=ii", 0, udp_fd) + sin + \
        struct.pack("=HHHH", tid, sid, ptid, psid)
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(sa, len(sa))
    if libc.connect(sock.fileno(), buf, len(sa)) != 0:
        err = ctypes.get_errno()
        sys.exit("pppol2tp-static: connect tunnel %d session %d: %s" %
                 (tid, sid, os.strerror(err)))


def main():
    if "--" not in sys.argv or sys.argv.index("--") != 7:
        sys.exit(__doc__)
    local, remote = sys.argv[1], sys.argv[2]
    tid, ptid, sid, psid = (int(x) for x in sys.argv[3:7])
    pppd_args = sys.argv[8:]

    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    udp.bind((local, 1701))
    udp.connect((remote, 1701))
    tunnel = socket.socket(AF_PPPOX, socket.SOCK_DGRAM, PX_PROTO_OL2TP)
    pppol2tp_connect(tunnel, udp.fileno(), remote, tid, ptid, 0, 0)
    session = socket.socket(AF_PPPOX, socket.SOCK_DGRAM, PX_PROTO_OL2TP)
    pppol2tp_connect(session, udp.fileno(), remote, tid, ptid, sid, psid)
    for s in (udp, tunnel, session):
        os.set_inheritable(s.fileno(), True)
    argv = ["pppd", "plugin", "pppol2tp.so",
            "pppol2tp", str(session.fileno()),
            "pppol2tp_tunnel_id", str(tid),
            "pppol2tp_session_id", str(sid)] + pppd_args
    os.execvp("pppd", argv)


if __name__ == "__main__":
    main()
