#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout=900
#
# 84-l2tp-200-sessions: 200 sessions at once (L2TP_LOAD_SESSIONS to change)
# from a load client, each passing traffic, then all torn down with nothing
# left in the module.
#
#   netns S: l2tp_harness (LNS), l2tpsec0 10.84.0.1, pool 10.84.0.10-.3.250
#   netns C: a load client written here in Python (struct, no scapy): one
#            L2TP tunnel with reliable delivery, N calls, PPP in each (LCP,
#            PAP, IPCP), then an ICMP echo through each session; its UDP
#            1701 socket is protected by Linux xfrm.
#   vS 10.0.84.1/24 ------------------ veth ------------------ vC 10.0.84.2/24
#
# The server must bring all N up, route each client address to its own
# session in the module, answer every ping through the right session, and
# when the client hangs up (CDN for each call, then StopCCN) record every
# end and remove every module session, route and pool address.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/l2tp-lib.sh"

require_root
require_module
require_l2tp_tools python3
xfrm_esp_supported || skip_all "kernel has no ESP (CONFIG_INET_ESP)"

NLOAD=${L2TP_LOAD_SESSIONS:-200}
ktap_plan 8

S=$(ns_name s)
C=$(ns_name c)
SO=10.0.84.1
CO=10.0.84.2
SI=10.84.0.1
setup_netns "$S" "$C"
veth_pair "$S" vS "$SO/24" "$C" vC "$CO/24"
K_CS=$(rand_hex 20)
K_SC=$(rand_hex 20)
l2tpsec_end "$S" "$SO" "$CO" 0x8401 "$K_CS" 0x8402 "$K_SC" || bail_out "l2tpsec SAs"
xfrm_end "$C" "$CO" "$SO" 0x8402 "$K_SC" 0x8401 "$K_CS" || bail_out "xfrm SAs"

printf 'load * "load secret" *\n' >"$TMPD/chap-secrets"
chmod 600 "$TMPD/chap-secrets"
cat >"$TMPD/server.conf" <<EOF
[l2tp]
hello-interval = 0

[ppp]
auth = pap
chap-secrets = $TMPD/chap-secrets
lcp-echo-interval = 0
ipv6 = no
# every call logs in as the one user "load": lift the per-user cap
# (default 4, issue 11 item 6) that would refuse the fifth
max-sessions-per-user = 0

[pool]
local = $SI
range = 10.84.0.10-10.84.3.250
EOF

cat >"$TMPD/load.py" <<'PYEOF'
# L2TP/PPP load client: one tunnel, N calls, PAP, IPCP, one ping each.
import os, select, socket, struct, sys, time

args = dict(a.split("=", 1) for a in sys.argv[1:])
N = int(args["sessions"]); LOCAL = args["local"]; REMOTE = args["remote"]
USER = args["user"].encode(); PASS = args["password"].encode()
SERVER_IP = args["server_ip"]; T_END = time.monotonic() + float(args.get("timeout", 300))
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# The server answers 200 calls in bursts; on a slow (debug, TCG) guest a
# default-sized buffer (rmem_default) overflows before this loop reads it.
try: sock.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)   # SO_RCVBUFFORCE
except OSError: sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
sock.bind((LOCAL, 1701)); sock.connect((REMOTE, 1701))

def avp(t, v, m=True): return struct.pack("!HHH", (0x8000 if m else 0) | (6 + len(v)), 0, t) + v
def u16(v): return struct.pack("!H", v)
def u32(v): return struct.pack("!I", v)

class Ctrl:
    def __init__(s): s.ns = 0; s.nr = 0; s.rtid = 0; s.unacked = []; s.rto = 0
    def send(s, sid, avps):
        body = b"".join(avps)
        m = [s.ns, sid, body, time.monotonic()]
        s.ns = (s.ns + 1) & 0xffff
        s.unacked.append(m); s.xmit(m)
    def xmit(s, m):
        sock.send(struct.pack("!HHHHHH", 0xc802, 12 + len(m[2]), s.rtid, m[1], m[0], s.nr) + m[2])
        m[3] = time.monotonic()
    def zlb(s): sock.send(struct.pack("!HHHHHH", 0xc802, 12, s.rtid, 0, s.ns, s.nr))
    def acked(s, nr):
        s.unacked = [m for m in s.unacked if ((nr - m[0]) & 0xffff) > 0x7fff or ((nr - m[0]) & 0xffff) == 0]
    def tick(s):
        for m in s.unacked[:16]:
            if time.monotonic() - m[3] > 1.0: s.xmit(m)
ctrl = Ctrl()

class Sess:
    def __init__(s, i): s.lsid = i; s.rsid = 0; s.state = "icrq"; s.lcp_acked = s.lcp_ours = False
    ip = None; pinged = None; ping_ok = False; magic = 0; ipcp_ours = False; ipcp_acked = False; lcp_open = False; pap_sent = 0; ipcp_sent = 0; lcp_sent = 0
sess = {i: Sess(i) for i in range(1, N + 1)}

def ppp_send(s, proto, payload):
    d = struct.pack("!HHHH", 0x0002, ctrl.rtid, s.rsid, 0xff03) + u16(proto) + payload
    sock.send(d)
def cp(code, ident, data): return struct.pack("!BBH", code, ident, 4 + len(data)) + data
def lcp_req(s):
    s.magic = int.from_bytes(os.urandom(4), "big") | 1
    ppp_send(s, 0xc021, cp(1, 1, bytes([5, 6]) + u32(s.magic))); s.lcp_sent = time.monotonic()
def pap_req(s):
    ppp_send(s, 0xc023, cp(1, 1, bytes([len(USER)]) + USER + bytes([len(PASS)]) + PASS)); s.pap_sent = time.monotonic()
def ipcp_req(s):
    a = socket.inet_aton(s.ip or "0.0.0.0")
    ppp_send(s, 0x8021, cp(1, 1, bytes([3, 6]) + a)); s.ipcp_sent = time.monotonic()
def csum(b):
    if len(b) % 2: b += b"\0"
    x = sum(struct.unpack("!%dH" % (len(b) // 2), b)); x = (x >> 16) + (x & 0xffff); x += x >> 16
    return ~x & 0xffff
def ping(s):
    icmp = struct.pack("!BBHHH", 8, 0, 0, s.lsid, 1) + b"load" * 8
    icmp = icmp[:2] + u16(csum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), s.lsid, 0, 64, 1, 0,
                     socket.inet_aton(s.ip), socket.inet_aton(SERVER_IP))
    ip = ip[:10] + u16(csum(ip)) + ip[12:]
    ppp_send(s, 0x0021, ip + icmp); s.pinged = time.monotonic()

def parse_avps(b):
    out = {}; off = 0
    while off + 6 <= len(b):
        fl, v, t = struct.unpack("!HHH", b[off:off + 6]); l = fl & 0x3ff
        if l < 6: break
        out.setdefault(t, b[off + 6:off + l]); off += l
    return out

def on_ctrl(h, body):
    tid, sid, ns, nr = h
    ctrl.acked(nr)
    if not body: return
    if ns != ctrl.nr:
        ctrl.zlb(); return
    ctrl.nr = (ctrl.nr + 1) & 0xffff
    a = parse_avps(body); mt = struct.unpack("!H", a.get(0, b"\0\0"))[0]
    if mt == 2:    # SCCRP
        ctrl.rtid = struct.unpack("!H", a[9])[0]
        ctrl.send(0, [avp(0, u16(3))])
        for s in sess.values():
            ctrl.send(0, [avp(0, u16(10)), avp(14, u16(s.lsid)), avp(15, u32(s.lsid))])
        return
    if mt == 11:   # ICRP
        s = sess.get(sid)
        if s and s.state == "icrq":
            s.rsid = struct.unpack("!H", a[14])[0]
            ctrl.send(s.rsid, [avp(0, u16(12)), avp(24, u32(100000000)), avp(19, u32(1))])
            s.state = "ppp"; lcp_req(s)
        return
    if mt in (4, 14): print("server sent %s" % mt, flush=True)
    ctrl.zlb()

def on_ppp(s, p):
    if len(p) >= 2 and p[0] == 0xff and p[1] == 0x03: p = p[2:]
    if len(p) >= 1 and p[0] & 1: proto, p = p[0], p[1:]
    else: proto, p = struct.unpack("!H", p[:2])[0], p[2:]
    if proto == 0x0021:
        if len(p) >= 28 and p[9] == 1 and p[20] == 0 and struct.unpack("!H", p[24:26])[0] == s.lsid:
            s.ping_ok = True
        return
    if len(p) < 4: return
    code, ident = p[0], p[1]; data = p[4:struct.unpack("!H", p[2:4])[0]]
    if proto == 0xc021:
        if code == 1:
            opts = []; off = 0; rej = b""
            while off + 2 <= len(data):
                t, l = data[off], data[off + 1]
                if l < 2: break
                if t in (7, 8): rej += data[off:off + l]
                off += l
            if rej: ppp_send(s, 0xc021, cp(4, ident, rej))
            else: ppp_send(s, 0xc021, cp(2, ident, data)); s.lcp_acked = True
        elif code == 2: s.lcp_ours = True
        elif code == 9: ppp_send(s, 0xc021, cp(10, ident, u32(s.magic) + data[4:]))
        elif code == 5: ppp_send(s, 0xc021, cp(6, ident, b""))
        if s.lcp_acked and s.lcp_ours and not s.lcp_open:
            s.lcp_open = True; s.state = "auth"; pap_req(s)
    elif proto == 0xc023 and code == 2 and s.state == "auth":
        s.state = "ipcp"; ipcp_req(s)
    elif proto == 0x8021:
        if code == 1: ppp_send(s, 0x8021, cp(2, ident, data)); s.ipcp_ours = True
        elif code == 3 and len(data) >= 6 and data[0] == 3:
            s.ip = socket.inet_ntoa(data[2:6]); ipcp_req(s)
        elif code == 2: s.ipcp_acked = True
        if s.ipcp_ours and s.ipcp_acked and s.ip and s.state == "ipcp":
            s.state = "up"; ping(s)

ctrl.send(0, [avp(0, u16(1)), avp(2, u16(0x100)), avp(3, u32(3)), avp(7, b"loadclient"),
              avp(9, u16(4242)), avp(10, u16(64))])
reported_up = False
last_pass = 0.0
while time.monotonic() < T_END:
    r, _, _ = select.select([sock], [], [], 0.2)
    if r:
        try: d = sock.recv(4096)
        except OSError: continue
        if len(d) < 6: continue
        fl = struct.unpack("!H", d[:2])[0]; off = 2
        if fl & 0x8000:
            if len(d) < 12: continue
            l, tid, sid, ns, nr = struct.unpack("!HHHHH", d[2:12])
            on_ctrl((tid, sid, ns, nr), d[12:l])
        else:
            if fl & 0x4000: off += 2
            tid, sid = struct.unpack("!HH", d[off:off + 4]); off += 4
            if fl & 0x0800: off += 4
            if fl & 0x0200: off += 2 + struct.unpack("!H", d[off:off + 2])[0]
            if sid in sess: on_ppp(sess[sid], d[off:])
        # A steady stream in (a slow guest, 200 calls) must not starve
        # the retransmissions below.
        if time.monotonic() - last_pass < 0.2: continue
    now = time.monotonic(); ctrl.tick(); last_pass = now
    # Retransmit like independent clients would: each on its own 3 s timer
    # (from its own last send), at most 40 per pass, so that 200 calls do
    # not fall into lockstep bursts.
    budget = 40
    for s in sess.values():
        if budget <= 0: break
        if s.state == "ppp" and not s.lcp_ours and now - s.lcp_sent > 3: lcp_req(s); budget -= 1
        elif s.state == "auth" and now - s.pap_sent > 3: pap_req(s); budget -= 1
        elif s.state == "ipcp" and now - s.ipcp_sent > 3: ipcp_req(s); budget -= 1
        elif s.state == "up" and not s.ping_ok and now - s.pinged > 2: ping(s); budget -= 1
    up = sum(1 for s in sess.values() if s.state == "up")
    if up == N and not reported_up:
        print("up %d" % up, flush=True); reported_up = True
    if all(s.ping_ok for s in sess.values()): break
up = sum(1 for s in sess.values() if s.state == "up")
pings = sum(1 for s in sess.values() if s.ping_ok)
print("up %d ping %d" % (up, pings), flush=True)
print("addresses %d" % len(set(s.ip for s in sess.values() if s.ip)), flush=True)
# hang up: CDN for every call, then StopCCN
for s in sess.values():
    if s.rsid: ctrl.send(s.rsid, [avp(0, u16(14)), avp(1, u16(3) + u16(0)), avp(14, u16(s.lsid))])
ctrl.send(0, [avp(0, u16(4)), avp(9, u16(4242)), avp(1, u16(1) + u16(0))])
end = time.monotonic() + 60
while ctrl.unacked and time.monotonic() < end:
    r, _, _ = select.select([sock], [], [], 0.2)
    if r:
        d = sock.recv(4096)
        if len(d) >= 12 and struct.unpack("!H", d[:2])[0] & 0x8000:
            l, tid, sid, ns, nr = struct.unpack("!HHHHH", d[2:12]); ctrl.acked(nr)
    ctrl.tick()
print("hung up, %d unacknowledged" % len(ctrl.unacked), flush=True)
sys.exit(0 if up == N and pings == N else 1)
PYEOF

start_harness srv "$S" "$TMPD/server.conf" -p 1 -o "$CO" || bail_out "server"
SRV_PID=$HARNESS_PID
t0=$(date +%s)
nsx "$C" timeout 700 "$PYTHON" "$TMPD/load.py" sessions="$NLOAD" local="$CO" \
	remote="$SO" user=load password="load secret" server_ip="$SI" timeout="${L2TP_LOAD_TIMEOUT:-500}" \
	>"$TMPD/load.out" 2>"$TMPD/load.err"
rc=$?
t1=$(date +%s)
read -r _ up _ pings <<<"$(grep '^up [0-9]* ping' "$TMPD/load.out")"

# The server's log of the first session that never connected.
stuck_session_log() {
	local id
	id=$(grep -Eo 'session [0-9]+ user -: session ended' "$TMPD/srv.err" |
		head -n1 | awk '{print $2}')
	[ -n "$id" ] && grep -E "session $id[ :]" "$TMPD/srv.err" | grep -v 'session ended' | head -n 30
}
c=$(grep -c 'user load: connected: address' "$TMPD/srv.err")
if [ "${up:-0}" -eq "$NLOAD" ] && [ "$c" -eq "$NLOAD" ]; then
	ok "$NLOAD sessions up at once in one tunnel (client and server agree, $((t1 - t0)) s in all)"
else
	not_ok "$NLOAD sessions up at once" "client: up ${up:-?}, server: $c connected, rc $rc" \
		"$(tail -n 5 "$TMPD/load.err")" \
		"$(grep -v 'session ended' "$TMPD/srv.err" | grep -E 'warn|error' | tail -n 10)" \
		"server: $(nsx "$S" "$L2TPSEC_BIN" show 2>&1 | grep -E 'drops|rx:' | head -n 4)" \
		"client: $(nsx "$C" nstat -az 2>/dev/null | grep -E '^Udp(InDatagrams|RcvbufErrors|InErrors|NoPorts)' | tr -s ' ' | tr '\n' ';')" \
		"client xfrm: $(nsx "$C" cat /proc/net/xfrm_stat 2>/dev/null | awk '$2 != 0' | tr '\n' ';')" \
		"a session that did not come up: $(stuck_session_log)"
fi
n=$(grep -Eo 'addresses [0-9]+' "$TMPD/load.out" | awk '{print $2}')
if [ "${n:-0}" -eq "$NLOAD" ]; then
	ok "$NLOAD different addresses from the pool"
else
	not_ok "$NLOAD different addresses from the pool" "${n:-0}"
fi
if [ "${pings:-0}" -eq "$NLOAD" ]; then
	ok "every session passed traffic: $NLOAD ICMP echoes answered through their own sessions"
else
	not_ok "every session passed traffic" "${pings:-0} of $NLOAD answered"
fi
# Each client sends its first LCP Configure-Request right behind its ICCN,
# before the daemon has added the session to the module: the module hands
# it to the daemon instead of dropping it (which would cost every call a
# 3 s restart timer).
nosess=$(json_query "$S" l2tpsec0 "dev['stats']['no_session_drops']" 2>&1)
if [ "$nosess" = 0 ]; then
	ok "the first LCP Configure-Request of every call reached the daemon (no data dropped for a session not yet added)"
else
	not_ok "the first LCP Configure-Request of every call reached the daemon" "device no-session drops: $nosess"
fi
ended() {
	[ "$(grep -c ': session ended: ' "$TMPD/srv.err")" -ge "$NLOAD" ]
}
wait_for 120 ended
e=$(grep -c 'user load: session ended: logout' "$TMPD/srv.err")
if [ "$e" -eq "$NLOAD" ]; then
	ok "every end recorded as logout, with user, peer and duration"
else
	not_ok "every end recorded as logout" "$(grep -Eo 'session ended: [a-zA-Z ]+' "$TMPD/srv.err" | sort | uniq -c)"
fi
n=$(nsx "$S" "$L2TPSEC_BIN" session show l2tpsec0 2>/dev/null | grep -c '^session')
check "no session left in the module" test "$n" -eq 0
r=$(ip -n "$S" -4 route show dev l2tpsec0 | grep -c '^10\.84\.')
check "no route left on the device" test "$r" -eq 0
kill -USR1 "$SRV_PID"
sleep 1
if grep -q '^sessions 0$' "$TMPD/srv.status" 2>/dev/null; then
	ok "the daemon holds no session and every address is back in the pool"
else
	not_ok "the daemon holds no session" "$(head -n 3 "$TMPD/srv.status" 2>/dev/null)"
fi
[ -n "${L2TP_LOAD_DEBUG:-}" ] && { diag "$(grep -v "session ended" "$TMPD/srv.err" | tail -n 40)"; diag "$(tail -n 20 "$TMPD/load.err")"; diag "$(nsx "$S" "$L2TPSEC_BIN" show)"; diag "$(ip -s -n "$S" link show l2tpsec0; nsx "$S" nstat -az 2>/dev/null | grep -E "Icmp|IpIn|InAddr|Discard")"; diag "client: $(nsx "$C" cat /proc/net/xfrm_stat 2>/dev/null | grep -v ' 0$'; ip -n "$C" -s xfrm state; nsx "$C" nstat -az 2>/dev/null | grep -E "Udp|Icmp")"; }
diag "load client: $(tr '\n' ';' <"$TMPD/load.out")"
ksft_exit
