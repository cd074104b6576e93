#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""
l2tp-xfrm-peer.py - an L2TPv2/PPP data-plane peer that is NOT l2tpsec.ko.

The cross-check end of the l2tpsec selftests: ESP is done by Linux's own
xfrm (transport mode on UDP/1701, raw ESP or espinudp, set up with
`ip xfrm` by the caller, see selftests/lib.sh), the L2TPv2 and PPP framing
is built and parsed here with scapy (scapy.layers.l2tp, scapy.layers.ppp),
and IP packets enter and leave through a TUN device.

Subcommands (the first argument; without one, "run" is assumed):

  run          the bridge: TUN <-> PPP <-> L2TPv2 <-> UDP socket on 1701.
               Prints "ready" on stdout when the socket and TUN are up.
               SIGTERM/SIGINT: clean exit (status 0), counters on stderr and
               in --stats FILE; SIGUSR1 rewrites --stats FILE.
               --once-send HEX: send one raw UDP payload and exit (no TUN).
  encap-sock   open a UDP socket with UDP_ENCAP_ESPINUDP (needed by xfrm to
               receive ESP-in-UDP), print "ready", sleep until SIGTERM.
  capture      capture IP packets (raw ESP or ESP-in-UDP) on an interface
               with an AF_PACKET socket, write them as hex lines.
  inject       re-send captured IP packets, optionally mutated (replay,
               flipped ICV byte, other SPI or sequence number, truncated),
               with scapy's send().

Where scapy has gaps we use struct, and say so:
  * scapy's L2TP models the offset field as a PadField aligned to 4 bytes,
    not "Offset Size" followed by that many pad bytes (RFC 2661 3.1), so the
    payload position is computed here; the header fields are scapy's.
  * scapy's PPP always compresses protocol numbers < 0x100 to one byte, so
    the PPP header is built with struct (2-byte protocol unless --pfc);
    received PPP is parsed with scapy (HDLC/PPP, 1- or 2-byte protocol).
"""

import argparse
import errno
import fcntl
import json
import logging
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import time

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy.loading").setLevel(logging.ERROR)

from scapy.config import conf  # noqa: E402
from scapy.layers.l2tp import L2TP  # noqa: E402
from scapy.layers.ppp import HDLC, PPP  # noqa: E402
from scapy.layers.inet import IP, UDP  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

PROG = "l2tp-xfrm-peer"

# L2TPv2 flag bits in the first 16-bit word (RFC 2661 3.1)
L2TP_T = 0x8000
L2TP_L = 0x4000
L2TP_S = 0x0800
L2TP_O = 0x0200
L2TP_P = 0x0100
L2TP_VER_MASK = 0x000F

PPP_IP = 0x0021
PPP_IPV6 = 0x0057

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

SOL_UDP = 17
UDP_ENCAP = 100
UDP_ENCAP_ESPINUDP = 2

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


class Stop(Exception):
    """Raised from the SIGTERM/SIGINT handler to leave the main loop."""


def log(tag, msg):
    sys.stderr.write("%s[%s]: %s\n" % (PROG, tag, msg))
    sys.stderr.flush()


def say(msg):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def parse_hostport(s, default_port):
    """'10.0.0.1', '10.0.0.1:1701', '[fd00::1]:1701' -> (addr, port)."""
    if s.startswith("["):
        host, _, rest = s[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else default_port
        return host, port
    if s.count(":") == 1:
        host, port = s.split(":")
        return host, int(port)
    return s, default_port


def int0(s):
    return int(s, 0)


def ip_cmd(*args):
    r = subprocess.run(["ip"] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        raise RuntimeError("ip %s: %s" % (" ".join(args), r.stderr.strip()))


# --------------------------------------------------------------------------
# L2TPv2 / PPP codec
# --------------------------------------------------------------------------

class Malformed(Exception):
    pass


def build_ppp(proto, ip_pkt, acfc, pfc):
    """PPP frame: [FF 03] protocol(1 or 2 bytes) payload (struct: see top)."""
    hdr = b"" if acfc else b"\xff\x03"
    if pfc and proto < 0x100:
        hdr += struct.pack("!B", proto)
    else:
        hdr += struct.pack("!H", proto)
    return hdr + ip_pkt


def build_l2tp(tunnel_id, session_id, payload, length=False, ns=None,
               offset=None, priority=False):
    """L2TPv2 data message header + payload.

    Built by scapy's L2TP layer; with an offset (O bit) the header is built
    with struct since scapy's offset field is not RFC 2661's."""
    if offset is None:
        flags = []
        if length:
            flags.append("length")
        if ns is not None:
            flags.append("sequence")
        if priority:
            flags.append("priority")
        pkt = L2TP(hdr="+".join(flags) if flags else 0, version=2,
                   tunnel_id=tunnel_id, session_id=session_id)
        if ns is not None:
            pkt.ns = ns & 0xFFFF
            pkt.nr = 0
        # payload attached so that post_build's Length covers it
        return bytes(pkt / Raw(payload))
    word = 2 | L2TP_O
    if length:
        word |= L2TP_L
    if ns is not None:
        word |= L2TP_S
    if priority:
        word |= L2TP_P
    hdr = b""
    hdr += struct.pack("!HH", tunnel_id, session_id)
    if ns is not None:
        hdr += struct.pack("!HH", ns & 0xFFFF, 0)
    hdr += struct.pack("!H", offset) + b"\x00" * offset
    total = 2 + (2 if length else 0) + len(hdr) + len(payload)
    head = struct.pack("!H", word)
    if length:
        head += struct.pack("!H", total)
    return head + hdr + payload


def parse_l2tp(data):
    """Parse one L2TPv2 message.

    Returns a dict: control (bool), tunnel_id, session_id, ns, nr, flags,
    payload (bytes after the header, cut to the L2TP length when the L bit is
    set).  Raises Malformed."""
    if len(data) < 6:
        raise Malformed("short packet (%d bytes)" % len(data))
    word = struct.unpack("!H", data[:2])[0]
    try:
        pkt = L2TP(data)
    except Exception as e:  # scapy raises on some truncations
        raise Malformed("scapy cannot dissect L2TP header: %s" % e)
    ver = int(pkt.version)
    if ver != 2:
        raise Malformed("L2TP version %d" % ver)
    ctrl = bool(word & L2TP_T)
    has_l = bool(word & L2TP_L)
    has_s = bool(word & L2TP_S)
    has_o = bool(word & L2TP_O) and not ctrl
    # header length, computed here (scapy's offset handling is not RFC's)
    hlen = 2 + (2 if has_l else 0) + 4 + (4 if has_s else 0)
    if len(data) < hlen:
        raise Malformed("header needs %d bytes, have %d" % (hlen, len(data)))
    end = len(data)
    if has_l:
        length = int(pkt.len)
        if length < hlen or length > len(data):
            raise Malformed("L2TP length %d outside [%d, %d]"
                            % (length, hlen, len(data)))
        end = length
    if has_o:
        if end < hlen + 2:
            raise Malformed("no room for offset size")
        osize = struct.unpack("!H", data[hlen:hlen + 2])[0]
        # scapy read the same 16 bits; cross-check it
        if int(pkt.offset) != osize:
            raise Malformed("offset parse mismatch")
        hlen += 2 + osize
        if hlen > end:
            raise Malformed("offset size %d past the end" % osize)
    return {
        "control": ctrl,
        "flags": word,
        "tunnel_id": int(pkt.tunnel_id),
        "session_id": int(pkt.session_id),
        "ns": int(pkt.ns) if has_s or ctrl else None,
        "nr": int(pkt.nr) if has_s or ctrl else None,
        "payload": data[hlen:end],
    }


def parse_ppp(frame):
    """Parse a PPP frame with scapy: returns (protocol, information field).

    Accepts FF 03 or no address/control, 1- or 2-byte protocol."""
    if not frame:
        raise Malformed("empty PPP frame")
    try:
        p = PPP(frame)
    except Exception as e:
        raise Malformed("scapy cannot dissect PPP: %s" % e)
    hlen = 0
    if isinstance(p, HDLC):
        if p.address != 0xFF or p.control != 0x03:
            raise Malformed("PPP address/control %02x %02x"
                            % (p.address, p.control))
        hlen = 2
        if len(frame) < 3 or not p.haslayer(PPP):
            raise Malformed("PPP frame without protocol")
        p = p[PPP]
    if len(frame) < hlen + 1:
        raise Malformed("PPP frame without protocol")
    # RFC 1661: the protocol field's last octet is odd; a 1-byte field is PFC
    one = frame[hlen] & 1
    hlen += 1 if one else 2
    if len(frame) < hlen:
        raise Malformed("truncated PPP protocol")
    return int(p.proto), frame[hlen:]


# --------------------------------------------------------------------------
# run: the bridge
# --------------------------------------------------------------------------

def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    ifr = struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    return fd


def setup_tun(args):
    fd = open_tun(args.tun)
    ip_cmd("link", "set", "dev", args.tun, "mtu", str(args.mtu))
    if args.addr:
        a = args.addr.split("/")[0]
        if args.peer_addr:
            ip_cmd("addr", "add", a, "peer", args.peer_addr.split("/")[0] +
                   "/32", "dev", args.tun)
        else:
            ip_cmd("addr", "add", args.addr, "dev", args.tun)
    if args.addr6:
        ip_cmd("-6", "addr", "add", args.addr6, "dev", args.tun, "nodad")
    ip_cmd("link", "set", "dev", args.tun, "up")
    return fd


class Bridge:
    def __init__(self, args):
        self.a = args
        self.stats = dict.fromkeys((
            "tx_packets", "tx_bytes", "rx_packets", "rx_bytes", "rx_control",
            "malformed", "unknown_session", "ppp_other", "tun_drops",
            "send_errors"), 0)
        self.ns = 0
        self.sock = None
        self.tun = None

    def dump_stats(self):
        line = json.dumps(self.stats, sort_keys=True)
        if self.a.stats:
            tmp = self.a.stats + ".tmp"
            with open(tmp, "w") as f:
                f.write(line + "\n")
            os.rename(tmp, self.a.stats)
        return line

    def bad(self, kind, why, data):
        self.stats[kind] += 1
        log(self.a.tun or "once", "%s: %s: %s" % (kind, why, data[:64].hex()))

    def from_tun(self, pkt):
        if not pkt:
            return
        v = pkt[0] >> 4
        if v == 4:
            proto = PPP_IP
        elif v == 6:
            proto = PPP_IPV6
        else:
            self.stats["tun_drops"] += 1
            return
        ppp = build_ppp(proto, pkt, self.a.acfc, self.a.pfc)
        ns = None
        if self.a.seq:
            ns = self.ns
            self.ns = (self.ns + 1) & 0xFFFF
        msg = build_l2tp(self.a.tunnel_id, self.a.session_id, ppp,
                         length=self.a.length_bit, ns=ns,
                         offset=self.a.offset, priority=self.a.priority)
        try:
            self.sock.sendto(msg, self.remote)
        except OSError as e:
            # xfrm without a state answers EAGAIN / ENOENT etc.
            self.stats["send_errors"] += 1
            if self.stats["send_errors"] <= 10:
                log(self.a.tun, "sendto %s: %s" % (self.remote, e))
            return
        self.stats["tx_packets"] += 1
        self.stats["tx_bytes"] += len(pkt)

    def from_udp(self, data, src):
        try:
            m = parse_l2tp(data)
        except Malformed as e:
            self.bad("malformed", "from %s:%d: %s" % (src[0], src[1], e), data)
            return
        if m["control"]:
            self.stats["rx_control"] += 1
            log(self.a.tun, "control message from %s:%d ignored: %s"
                % (src[0], src[1], data.hex()))
            return
        if (m["tunnel_id"] != self.a.my_tunnel_id or
                m["session_id"] != self.a.my_session_id):
            self.bad("unknown_session", "tunnel %d session %d from %s:%d" %
                     (m["tunnel_id"], m["session_id"], src[0], src[1]), data)
            return
        try:
            proto, info = parse_ppp(m["payload"])
        except Malformed as e:
            self.bad("malformed", str(e), data)
            return
        if proto == PPP_IP:
            want = 4
        elif proto == PPP_IPV6:
            want = 6
        else:
            self.bad("ppp_other", "PPP protocol 0x%04x" % proto, data)
            return
        if not info or info[0] >> 4 != want:
            self.bad("malformed", "PPP 0x%04x does not carry IPv%d"
                     % (proto, want), data)
            return
        try:
            os.write(self.tun, info)
        except OSError as e:
            self.stats["tun_drops"] += 1
            log(self.a.tun, "write to tun: %s" % e)
            return
        self.stats["rx_packets"] += 1
        self.stats["rx_bytes"] += len(info)

    def open_socket(self):
        local, lport = parse_hostport(self.a.local, 1701)
        fam = socket.AF_INET6 if ":" in local else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((local, lport))
        self.sock = s
        self.remote = parse_hostport(self.a.remote, 1701)

    def once_send(self):
        self.open_socket()
        for h in self.a.once_send:
            payload = bytes.fromhex(h.replace(":", "").replace(" ", ""))
            n = self.sock.sendto(payload, self.remote)
            say("sent %d bytes to %s:%d" % (n, self.remote[0],
                                             self.remote[1]))
        return 0

    def run(self):
        if self.a.once_send:
            return self.once_send()
        if not self.a.tun:
            log("run", "--tun is required (or --once-send)")
            return 2
        self.open_socket()
        self.tun = setup_tun(self.a)
        signal.signal(signal.SIGUSR1, lambda *_: self.dump_stats())
        self.dump_stats()
        say("ready")
        try:
            while True:
                try:
                    r, _, _ = select.select([self.tun, self.sock], [], [])
                except InterruptedError:
                    continue
                if self.tun in r:
                    try:
                        self.from_tun(os.read(self.tun, 65535))
                    except OSError as e:
                        if e.errno not in (errno.EAGAIN, errno.EINTR):
                            raise
                if self.sock in r:
                    try:
                        data, src = self.sock.recvfrom(65535)
                    except OSError as e:
                        # ICMP errors (port unreachable) surface here
                        log(self.a.tun, "recvfrom: %s" % e)
                        continue
                    self.from_udp(data, src)
        except Stop:
            pass
        finally:
            line = self.dump_stats()
            log(self.a.tun, "stats " + line)
            os.close(self.tun)
            self.sock.close()
        return 0


def cmd_run(argv):
    p = argparse.ArgumentParser(
        prog=PROG + " [run]",
        description="L2TPv2/PPP over a UDP socket (ESP by Linux xfrm), "
                    "IP in and out of a TUN device")
    p.add_argument("--local", required=True, metavar="ADDR[:PORT]",
                   help="bind address, port 1701 unless given")
    p.add_argument("--remote", required=True, metavar="ADDR[:PORT]",
                   help="peer address, port 1701 unless given")
    p.add_argument("--tun", metavar="NAME", help="TUN device to create")
    p.add_argument("--addr", metavar="A[/32]", help="TUN IPv4 address")
    p.add_argument("--peer-addr", metavar="B", help="TUN IPv4 peer address")
    p.add_argument("--addr6", metavar="P/LEN", help="TUN IPv6 address")
    p.add_argument("--mtu", type=int, default=1400, help="TUN MTU (1400)")
    p.add_argument("--tunnel-id", type=int0, default=0,
                   help="tunnel id we send with (remote's local tunnel id)")
    p.add_argument("--session-id", type=int0, default=0,
                   help="session id we send with (remote's local session)")
    p.add_argument("--my-tunnel-id", type=int0, default=0,
                   help="tunnel id we accept")
    p.add_argument("--my-session-id", type=int0, default=0,
                   help="session id we accept")
    p.add_argument("--length-bit", action="store_true",
                   help="send the L bit and Length field")
    p.add_argument("--seq", action="store_true", help="send Ns/Nr (S bit)")
    p.add_argument("--offset", type=int, metavar="N",
                   help="send the O bit with N offset pad bytes")
    p.add_argument("--priority", action="store_true", help="send the P bit")
    p.add_argument("--acfc", action="store_true",
                   help="omit PPP address/control FF 03")
    p.add_argument("--pfc", action="store_true",
                   help="1-byte PPP protocol field")
    p.add_argument("--stats", metavar="FILE",
                   help="write counters as JSON here (start, SIGUSR1, exit)")
    p.add_argument("--once-send", metavar="HEX", action="append",
                   help="send this raw L2TP payload (repeatable) and exit")
    a = p.parse_args(argv)
    return Bridge(a).run()


# --------------------------------------------------------------------------
# encap-sock
# --------------------------------------------------------------------------

def cmd_encap_sock(argv):
    p = argparse.ArgumentParser(
        prog=PROG + " encap-sock",
        description="hold a UDP_ENCAP_ESPINUDP socket so xfrm receives "
                    "ESP-in-UDP")
    p.add_argument("--port", type=int, default=4500)
    p.add_argument("--addr", default="0.0.0.0")
    a = p.parse_args(argv)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.port))
    s.setsockopt(SOL_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)
    say("ready")
    try:
        while True:
            # Only non-ESP (IKE, marker 0) datagrams reach the socket.
            data, src = s.recvfrom(65535)
            log("encap", "non-ESP datagram from %s:%d: %s"
                % (src[0], src[1], data[:64].hex()))
    except Stop:
        pass
    s.close()
    return 0


# --------------------------------------------------------------------------
# capture / inject (bad-packet tests)
# --------------------------------------------------------------------------

def esp_offset(ip):
    """Offset of the ESP header in raw IPv4 packet bytes, or None."""
    if len(ip) < 20 or ip[0] >> 4 != 4:
        return None
    ihl = (ip[0] & 0xF) * 4
    proto = ip[9]
    if proto == 50:
        return ihl
    if proto == 17 and len(ip) >= ihl + 8:
        dport = struct.unpack("!H", ip[ihl + 2:ihl + 4])[0]
        sport = struct.unpack("!H", ip[ihl:ihl + 2])[0]
        body = ip[ihl + 8:]
        if 4500 in (dport, sport) and len(body) > 8 and body[:4] != b"\0" * 4:
            return ihl + 8
    return None


def cmd_capture(argv):
    p = argparse.ArgumentParser(
        prog=PROG + " capture",
        description="capture ESP (raw or in UDP 4500) IPv4 packets on an "
                    "interface; one hex line per packet")
    p.add_argument("--iface", required=True)
    p.add_argument("--src")
    p.add_argument("--dst")
    p.add_argument("--spi", type=int0)
    p.add_argument("--encap", choices=("any", "none", "udp"), default="any")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--out", help="file (default stdout)")
    a = p.parse_args(argv)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(ETH_P_ALL))
    s.bind((a.iface, 0))
    out = open(a.out, "w") if a.out else sys.stdout
    sys.stderr.write("ready\n")
    sys.stderr.flush()
    if a.out:
        say("ready")
    got = 0
    deadline = time.monotonic() + a.timeout
    try:
        while got < a.count:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            r, _, _ = select.select([s], [], [], left)
            if not r:
                continue
            frame, _ = s.recvfrom(65535)
            try:
                eth = Ether(frame)
            except Exception:
                continue
            if not eth.haslayer(IP):
                continue
            ipl = eth[IP]
            raw = bytes(ipl)[:ipl.len] if ipl.len else bytes(ipl)
            off = esp_offset(raw)
            if off is None:
                continue
            if a.encap == "none" and ipl.proto != 50:
                continue
            if a.encap == "udp" and ipl.proto != 17:
                continue
            if a.src and ipl.src != a.src:
                continue
            if a.dst and ipl.dst != a.dst:
                continue
            spi = struct.unpack("!I", raw[off:off + 4])[0]
            if a.spi is not None and spi != a.spi:
                continue
            out.write(raw.hex() + "\n")
            out.flush()
            got += 1
    except Stop:
        pass
    if a.out:
        out.close()
    return 0 if got >= a.count else 1


def inet_csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mutate(raw, how):
    """Apply one mutation to raw IPv4 ESP (or ESP-in-UDP) packet bytes and
    fix IP total length/checksum and UDP length/checksum (struct: a scapy
    rebuild could re-dissect UDP 4500 payloads as NAT-T/ISAKMP and alter
    them)."""
    off = esp_offset(raw)
    if off is None:
        raise ValueError("not an ESP packet")
    b = bytearray(raw)
    if how == "replay":
        pass
    elif how == "flip-icv":
        b[-1] ^= 0x01
    elif how.startswith("spi="):
        b[off:off + 4] = struct.pack("!I", int(how[4:], 0))
    elif how.startswith("seq="):
        v = how[4:]
        cur = struct.unpack("!I", bytes(b[off + 4:off + 8]))[0]
        new = cur + int(v[1:], 0) if v.startswith("+") else int(v, 0)
        b[off + 4:off + 8] = struct.pack("!I", new & 0xFFFFFFFF)
    elif how.startswith("truncate="):
        b = b[:off + int(how[9:], 0)]
    elif how.startswith("sport="):
        if b[9] != 17:
            raise ValueError("sport= needs ESP-in-UDP")
        ihl = (b[0] & 0xF) * 4
        struct.pack_into("!H", b, ihl, int(how[6:], 0))
    else:
        raise ValueError("unknown mutation %r" % how)
    ihl = (b[0] & 0xF) * 4
    struct.pack_into("!H", b, 2, len(b))
    struct.pack_into("!H", b, 10, 0)
    struct.pack_into("!H", b, 10, inet_csum(bytes(b[:ihl])))
    if b[9] == 17:
        struct.pack_into("!H", b, ihl + 4, len(b) - ihl)
        if struct.unpack("!H", bytes(b[ihl + 6:ihl + 8]))[0]:
            struct.pack_into("!H", b, ihl + 6, 0)
            pseudo = bytes(b[12:20]) + struct.pack("!BBH", 0, 17,
                                                   len(b) - ihl)
            c = inet_csum(pseudo + bytes(b[ihl:])) or 0xFFFF
            struct.pack_into("!H", b, ihl + 6, c)
    return bytes(b)


def cmd_inject(argv):
    p = argparse.ArgumentParser(
        prog=PROG + " inject",
        description="send captured IPv4 packets again (scapy send()), "
                    "mutated in order by each --mutate")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--in", dest="infile", help="file from capture")
    g.add_argument("--hex", help="one packet, hex")
    p.add_argument("--index", type=int, default=0)
    p.add_argument("--mutate", action="append", default=[],
                   help="replay | flip-icv | spi=N | seq=N | seq=+N | "
                        "truncate=N (bytes of ESP kept) | sport=N (ESP-in-UDP "
                        "source port)")
    p.add_argument("--count", type=int, default=1)
    a = p.parse_args(argv)
    if a.infile:
        with open(a.infile) as f:
            lines = [ln.strip() for ln in f if ln.strip()]
        raw = bytes.fromhex(lines[a.index])
    else:
        raw = bytes.fromhex(a.hex)
    from scapy.sendrecv import send
    from scapy.supersocket import L3RawSocket
    conf.L3socket = L3RawSocket
    for how in a.mutate:
        raw = mutate(raw, how)
    pkt = IP(raw)   # dissected, not rebuilt: send() writes these bytes
    send(pkt, count=a.count, verbose=0)
    say("injected %d x %d bytes: %s" % (a.count, len(raw), pkt.summary()))
    return 0


# --------------------------------------------------------------------------
# codec self test (no network): build with our builder, parse back
# --------------------------------------------------------------------------

def cmd_codec_test(argv):
    ipv4 = bytes(IP(src="10.1.1.1", dst="10.1.1.2") / UDP() / (b"x" * 5))
    n = 0
    for acfc in (False, True):
        for pfc in (False, True):
            ppp = build_ppp(PPP_IP, ipv4, acfc, pfc)
            for length in (False, True):
                for ns in (None, 7):
                    for off in (None, 0, 3):
                        for prio in (False, True):
                            m = build_l2tp(0x1234, 0x5678, ppp, length, ns,
                                           off, prio)
                            r = parse_l2tp(m)
                            assert not r["control"]
                            assert r["tunnel_id"] == 0x1234
                            assert r["session_id"] == 0x5678
                            assert r["ns"] == ns
                            proto, info = parse_ppp(r["payload"])
                            assert proto == PPP_IP and info == ipv4, \
                                (acfc, pfc, length, ns, off, prio)
                            n += 1
    # negative cases
    for bad in ("0003000100010021", "c002000a00010001", "4002000500010001ff03",
                "02020001000100ff", "4002ffff00010001ff030021", "0002"):
        try:
            r = parse_l2tp(bytes.fromhex(bad))
            parse_ppp(r["payload"])
        except Malformed:
            n += 1
            continue
        raise AssertionError("accepted " + bad)
    say("codec ok: %d cases" % n)
    return 0


def main():
    def stop(*_):
        raise Stop()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    argv = sys.argv[1:]
    cmds = {"run": cmd_run, "encap-sock": cmd_encap_sock,
            "capture": cmd_capture, "inject": cmd_inject,
            "codec-test": cmd_codec_test}
    if argv and argv[0] in cmds:
        return cmds[argv[0]](argv[1:])
    if argv and argv[0] in ("-h", "--help") and len(argv) == 1:
        say(__doc__.strip())
        return 0
    return cmd_run(argv)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Stop:
        sys.exit(0)
