#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""report.py: the table of tools/bench/bench.sh from its samples.

  report.py [--info TEXT] [--json OUT] LOG_OR_JSON

Reads the "BENCH {...}" lines of a bench log (or the JSON file a previous
run wrote) and prints, per test and configuration, the median, the spread
(min-max as a percentage of the median) and the number of rounds, the
median guest CPU seconds per GB, then the ratios l2tpsec / stock and
l2tpsec / WireGuard (ratios of medians; for ping, where lower is better,
the ratio is still l2tpsec's RTT over the other's: below 1 is better).
With --json, writes the samples and the summary there.
"""
import argparse
import json
import statistics
import sys

ORDER = ["veth", "l2tpsec-esp", "l2tpsec-udp", "stock", "wireguard", "xfrm"]
TESTS = ["tcp1", "tcp4", "udp64", "udp1400", "ping"]
LABEL = {"tcp1": "TCP 1 stream", "tcp4": "TCP 4 streams",
         "udp64": "UDP 64 B", "udp1400": "UDP 1400 B", "ping": "ping RTT"}


def load(path):
    with open(path) as f:
        text = f.read()
    if path.endswith(".json"):
        d = json.loads(text)
        return d["samples"], d.get("errors", []), d.get("info", "")
    samples, errors = [], []
    for line in text.splitlines():
        if line.startswith("BENCH {"):
            samples.append(json.loads(line[6:]))
        elif line.startswith("BENCH-ERROR {"):
            errors.append(json.loads(line[12:]))
    return samples, errors, ""


def summarise(samples):
    out = {}
    for s in samples:
        key = (s["test"], s["config"])
        e = out.setdefault(key, {"values": [], "cpu": [], "unit": s["unit"]})
        e["values"].append(s["value"])
        if s.get("cpu_s_per_gb") is not None:
            e["cpu"].append(s["cpu_s_per_gb"])
    summary = {}
    for (test, conf), e in out.items():
        v = e["values"]
        med = statistics.median(v)
        summary.setdefault(test, {})[conf] = {
            "median": med, "unit": e["unit"], "n": len(v),
            "min": min(v), "max": max(v),
            "spread_pct": (100.0 * (max(v) - min(v)) / med) if med else None,
            "cpu_s_per_gb": statistics.median(e["cpu"]) if e["cpu"] else None,
        }
    return summary


def ratios(summary):
    r = {}
    for test, confs in summary.items():
        for mine in ("l2tpsec-esp", "l2tpsec-udp"):
            for other in ("stock", "wireguard", "xfrm"):
                if mine in confs and other in confs and confs[other]["median"]:
                    r.setdefault(test, {})["%s/%s" % (mine, other)] = \
                        confs[mine]["median"] / confs[other]["median"]
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--info", default="")
    ap.add_argument("--json")
    ap.add_argument("input")
    a = ap.parse_args()
    samples, errors, info = load(a.input)
    info = a.info or info
    if not samples:
        print("report: no samples in %s" % a.input, file=sys.stderr)
        return 1
    summary = summarise(samples)
    rat = ratios(summary)
    print("\n# %s" % info)
    print("%-14s %-12s %12s %-7s %7s %3s %9s" %
          ("test", "config", "median", "unit", "spread", "n", "CPU s/GB"))
    for test in TESTS:
        confs = summary.get(test, {})
        for conf in ORDER:
            if conf not in confs:
                continue
            c = confs[conf]
            print("%-14s %-12s %12.2f %-7s %6s%% %3d %9s" % (
                LABEL[test], conf, c["median"], c["unit"],
                "%.0f" % c["spread_pct"] if c["spread_pct"] is not None else "-",
                c["n"],
                "%.2f" % c["cpu_s_per_gb"] if c["cpu_s_per_gb"] else "-"))
    print("\nratios of medians (ping: RTT ratio, lower is better)")
    cols = ["l2tpsec-esp/stock", "l2tpsec-udp/stock", "l2tpsec-esp/wireguard",
            "l2tpsec-udp/wireguard", "l2tpsec-esp/xfrm"]
    print("%-14s" % "test" + "".join("%23s" % c for c in cols))
    for test in TESTS:
        if test not in rat:
            continue
        print("%-14s" % LABEL[test] + "".join(
            "%23s" % ("%.2f" % rat[test][c] if c in rat[test] else "-")
            for c in cols))
    for e in errors:
        print("error: %s" % json.dumps(e))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"info": info, "samples": samples, "errors": errors,
                       "summary": summary, "ratios": rat}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
