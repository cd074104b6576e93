#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Generates the ESP known-answer vectors of kernel/tests/esp_kat_test.c with
# python3-cryptography (OpenSSL), independently of the kernel's crypto API.
# Output: C initialisers on stdout.
import hashlib, hmac, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
try:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
except ImportError:
    TripleDES = algorithms.TripleDES

def kbytes(tag, n):
    """Fixed key material: SHA-512 of a label, cut to n bytes."""
    return hashlib.sha512(tag.encode()).digest()[:n]

def payload(n, tid, sid):
    """Inner UDP 1701 -> 1701, L2TPv2 data header, PPP IPv4, filler."""
    body = bytes([0xff, 0x03, 0x00, 0x21]) + bytes((i * 7 + 3) & 0xff for i in range(n - 8 - 6 - 4))
    l2tp = struct.pack(">HHH", 0x0002, tid, sid)
    udp = struct.pack(">HHHH", 1701, 1701, 8 + len(l2tp) + len(body), 0)
    return udp + l2tp + body

def trailer(plen, block):
    clen = (plen + 2 + block - 1) // block * block
    pad = clen - plen - 2
    return bytes(range(1, pad + 1)) + bytes([pad, 17])

# name, cipher, integ(hash name or None), enc key len, auth key len, icv, payload len
VECS = [
    ("gcm128",          "AES_GCM",  None,     20, 0,  16, 37),
    ("gcm192",          "AES_GCM",  None,     28, 0,  16, 40),
    ("gcm256",          "AES_GCM",  None,     36, 0,  16, 45),
    ("cbc128_md5",      "AES_CBC",  "md5",    16, 16, 12, 51),
    ("cbc128_sha1",     "AES_CBC",  "sha1",   16, 20, 12, 37),
    ("cbc256_sha256",   "AES_CBC",  "sha256", 32, 32, 16, 60),
    ("cbc128_sha256_96","AES_CBC",  "sha256", 16, 32, 12, 46),
    ("cbc192_sha384",   "AES_CBC",  "sha384", 24, 48, 24, 33),
    ("cbc256_sha512",   "AES_CBC",  "sha512", 32, 64, 32, 44),
    ("3des_sha1",       "DES3_CBC", "sha1",   24, 20, 12, 39),
    ("3des_md5",        "DES3_CBC", "md5",    24, 16, 12, 48),
]
INTEG = {None: "NONE", "md5": "HMAC_MD5", "sha1": "HMAC_SHA1", "sha256": "HMAC_SHA256",
         "sha384": "HMAC_SHA384", "sha512": "HMAC_SHA512"}

def carr(b):
    s = ", ".join("0x%02x" % x for x in b)
    out, line = [], "\t\t"
    for tok in s.split(" "):
        if len(line) + len(tok) + 1 > 78:
            out.append(line.rstrip())
            line = "\t\t"
        line += tok + " "
    out.append(line.rstrip())
    return "\n".join(out)

for i, (name, cipher, h, eklen, aklen, icv, plen) in enumerate(VECS):
    ek = kbytes("l2tpsec esp kat enc " + name, eklen)
    ak = kbytes("l2tpsec esp kat auth " + name, aklen)
    spi = 0xc0de0000 + i
    seq = [1, 2, 0x1234, 0x7fffffff, 0xfffffffe, 0xffffffff][i % 6]
    pt = payload(plen, 0x100 + i, 0x200 + i)
    hdr = struct.pack(">II", spi, seq)
    if cipher == "AES_GCM":
        ivlen, block = 8, 4
        iv = kbytes("l2tpsec esp kat iv " + name, ivlen)
        inner = pt + trailer(plen, block)
        ct = AESGCM(ek[:-4]).encrypt(ek[-4:] + iv, inner, hdr)  # ct || tag16
        pkt = hdr + iv + ct
    else:
        if cipher == "AES_CBC":
            ivlen, block, alg = 16, 16, algorithms.AES(ek)
        else:
            ivlen, block, alg = 8, 8, TripleDES(ek)
        iv = kbytes("l2tpsec esp kat iv " + name, ivlen)
        inner = pt + trailer(plen, block)
        enc = Cipher(alg, modes.CBC(iv)).encryptor()
        ct = enc.update(inner) + enc.finalize()
        mac = hmac.new(ak, hdr + iv + ct, getattr(hashlib, h)).digest()[:icv]
        pkt = hdr + iv + ct + mac
    print("\t{\n\t\t.name = \"%s\",\n\t\t.cipher = L2TPSEC_CIPHER_%s,\n\t\t.integ = L2TPSEC_INTEG_%s,"
          % (name, cipher, INTEG[h]))
    print("\t\t.icv_len = %d, .iv_len = %d, .block_size = %d," % (icv, ivlen, block))
    print("\t\t.spi = 0x%08x, .seq = 0x%08x," % (spi, seq))
    print("\t\t.enc_key_len = %d, .enc_key = {\n%s },"  % (eklen, carr(ek)))
    if aklen:
        print("\t\t.auth_key_len = %d, .auth_key = {\n%s }," % (aklen, carr(ak)))
    print("\t\t.plain_len = %d, .plain = {\n%s }," % (plen, carr(pt)))
    print("\t\t.pkt_len = %d, .pkt = {\n%s }," % (len(pkt), carr(pkt)))
    print("\t},")
