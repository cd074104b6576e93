#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench-teardown.sh: how long deleting a loaded device takes. Prints
# figures; it is not a test.
#
#   tools/bench-teardown.sh [--kernel 6.1|6.12] [--sizes "1000 10000"]
#                           [--module KO]...
#
# One VM run (tools/vm/run.sh). For each module (default: this tree's,
# built by tools/vm/build-module.sh; --module, repeatable, compares others,
# e.g. a build of an older commit) and each size N: a device with N peers,
# each with an outbound and an inbound AES-GCM SA and one session with its
# own IPv4 address (what N logged-in clients leave in the module), created
# over raw generic netlink in batches; then the wall-clock time of
# `ip link del` of the device, and, with the same objects created again,
# of `rmmod l2tpsec` (the namespace's devices go with the module). Both
# run under RTNL: a teardown that grows faster than N stalls every other
# network configuration on the host that long.
#
# Under QEMU's software emulation absolute numbers mean little: compare
# sizes (linear: 10 times the sessions, about 10 times the time) and
# modules, in the same run.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNEL=6.1
SIZES="1000 10000"
MODULES=()
MODE=vm

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) KERNEL=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--module) MODULES+=("$(realpath "$2")"); shift ;;
	--guest) MODE=guest ;;
	*) echo "usage: $0 [--kernel 6.1|6.12] [--sizes \"N...\"] [--module KO]..." >&2
	   exit 2 ;;
	esac
	shift
done

if [ "$MODE" = vm ]; then
	own=$("$TOP/tools/vm/build-module.sh" "$KERNEL" | tail -n 1)
	MODULES=("$own" "${MODULES[@]}")
	shares=()
	for m in "${MODULES[@]}"; do
		shares+=(--share "$(dirname "$m")")
	done
	exec "$TOP/tools/vm/run.sh" --kernel "$KERNEL" --timeout 3600 \
		--mem 3G "${shares[@]}" -- \
		"$TOP/tools/bench-teardown.sh" --guest --sizes "$SIZES" \
		$(printf -- '--module %q ' "${MODULES[@]}")
fi

# ---- in the guest ------------------------------------------------------------

# populate DEV N: N peers, 2N SAs, N sessions on DEV over generic netlink
populate() {
	python3 - "$TOP/include/uapi/linux/l2tpsec.h" "$1" "$2" <<'EOF'
import os, re, socket, struct, sys

hdr, dev, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
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

batch(lambda i: [("L2TPSEC_CMD_PEER_NEW", nest(E["L2TPSEC_A_PEER"],
    u32(E[P + "ID"], i), u8(E[P + "ENCAP"], E["L2TPSEC_ENCAP_NONE"]),
    ip4(E[P + "LOCAL_IPV4"], "192.0.2.1"),
    ip4(E[P + "REMOTE_IPV4"], ip(198, i))))])
batch(lambda i: [("L2TPSEC_CMD_SA_NEW", nest(E["L2TPSEC_A_SA"],
    u32(E[SA + "SPI"], 0x10000000 + 2 * i + d), u8(E[SA + "DIR"], dr),
    u32(E[SA + "PEER_ID"], i),
    u8(E[SA + "CIPHER"], E["L2TPSEC_CIPHER_AES_GCM"]),
    attr(E[SA + "ENC_KEY"], key)))
    for d, dr in ((0, E["L2TPSEC_DIR_OUT"]), (1, E["L2TPSEC_DIR_IN"]))])
batch(lambda i: [("L2TPSEC_CMD_SESSION_NEW", nest(E["L2TPSEC_A_SESSION"],
    u32(E[SE + "PEER_ID"], i),
    u16(E[SE + "LOCAL_TUNNEL_ID"], 1), u16(E[SE + "LOCAL_SESSION_ID"], 1),
    u16(E[SE + "REMOTE_TUNNEL_ID"], 1), u16(E[SE + "REMOTE_SESSION_ID"], 1),
    ip4(E[SE + "PEER_IPV4"], ip(10, i))))])
EOF
}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

load() {
	local dep
	for dep in $(modinfo -F depends "$1" | tr , ' '); do
		modprobe "$dep"
	done
	insmod "$1" || { echo "bench-teardown: insmod $1 failed" >&2; exit 1; }
}

if grep -q '^l2tpsec ' /proc/modules; then
	rmmod l2tpsec
fi
for ko in "${MODULES[@]}"; do
	load "$ko"
	echo "# module $ko"
	for n in $SIZES; do
		ip link add l2tpsec0 type l2tpsec
		t0=$(now)
		populate l2tpsec0 "$n"
		t1=$(now)
		ip link del l2tpsec0
		t2=$(now)
		ip link add l2tpsec0 type l2tpsec
		populate l2tpsec0 "$n"
		t3=$(now)
		rmmod l2tpsec
		t4=$(now)
		printf '%6d sessions (%d peers, %d SAs): set-up %6s s  ip link del %6s s  rmmod %6s s\n' \
			"$n" "$n" $((2 * n)) "$(secs "$t0" "$t1")" \
			"$(secs "$t1" "$t2")" "$(secs "$t3" "$t4")"
		load "$ko"
	done
	rmmod l2tpsec
done
