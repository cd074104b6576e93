#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that a YNL genetlink spec and its C uAPI header agree.

    tools/ynl-check.py [--spec SPEC.yaml] [--header HEADER.h]

Defaults: Documentation/netlink/specs/l2tpsec.yaml and
include/uapi/linux/l2tpsec.h of this repository.

From the spec this computes every name and value the uAPI header must hold,
with the naming rules of the kernel's YNL C generator
(Documentation/userspace-api/netlink/c-code-gen.rst, protocol genetlink-c):

  * the family name and version defines, each constant, each multicast
    group define;
  * each enum (names, values and order of its entries, and its max entries
    when render-max is set);
  * each attribute set and the command list (names and order, hence values,
    and the __MAX / MAX entries).

It reads the header with regular expressions (enums and #defines) and
compares; it also reports header enums and defines the spec does not
describe, and references in the spec that do not resolve. Output is TAP;
the exit status is 1 when anything disagrees, 2 on a usage or read error.
Needs python3 and PyYAML (Debian: python3-yaml).
"""

import argparse
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.stderr.write("ynl-check: PyYAML missing (apt-get install python3-yaml)\n")
    sys.exit(2)

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC = os.path.join(TOP, "Documentation/netlink/specs/l2tpsec.yaml")
DEFAULT_HEADER = os.path.join(TOP, "include/uapi/linux/l2tpsec.h")


def c_upper(name):
    return name.upper().replace("-", "_")


# ---- header ---------------------------------------------------------------

class Header:
    """The enums and #defines of a C header."""

    def __init__(self, text):
        self.defines = {}   # name -> int, str (string literal) or raw text
        self.enums = {}     # name (or "<anonymous N>") -> [(entry, value)]
        self.errors = []
        # Comments out, line continuations joined.
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
        text = re.sub(r"//[^\n]*", "", text)
        text = text.replace("\\\n", " ")
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)(?:[ \t]+(.*?))?[ \t]*$",
                             text, flags=re.M):
            name, raw = m.group(1), (m.group(2) or "")
            self.defines[name] = self._define_value(raw)
        anon = 0
        for m in re.finditer(r"\benum\s+(\w+)?\s*\{(.*?)\}\s*;", text, flags=re.S):
            name = m.group(1)
            if not name:
                anon += 1
                name = "<anonymous %d>" % anon
            if name in self.enums:
                self.errors.append("enum %s defined twice" % name)
            self.enums[name] = self._enum_entries(name, m.group(2))

    def _define_value(self, raw):
        raw = raw.strip()
        if not raw:
            return None
        m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', raw)
        if m:
            return m.group(1)
        try:
            return self._eval(raw, {})
        except ValueError:
            return raw

    def _eval(self, expr, known):
        """Evaluate an integer constant expression over known names."""
        def name_value(m):
            word = m.group(0)
            if re.fullmatch(r"(0[xX][0-9a-fA-F]+|\d+)[uUlL]*", word):
                return str(int(re.sub(r"[uUlL]+$", "", word), 0))
            if word in known:
                return str(known[word])
            if isinstance(self.defines.get(word), int):
                return str(self.defines[word])
            raise ValueError("unknown name %s" % word)
        expr = re.sub(r"\b\w+\b", name_value, expr)
        if not re.fullmatch(r"[0-9\s()+\-*/|&<>~]*", expr) or not expr.strip():
            raise ValueError("not a constant expression: %r" % expr)
        return int(eval(expr.replace("/", "//"), {"__builtins__": {}}, {}))

    def _enum_entries(self, enum, body):
        entries, known, nxt = [], {}, 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.fullmatch(r"(\w+)\s*(?:=\s*(.+))?", item, flags=re.S)
            if not m:
                self.errors.append("enum %s: cannot read entry %r" % (enum, item))
                continue
            name, expr = m.group(1), m.group(2)
            if expr is not None:
                try:
                    nxt = self._eval(expr, known)
                except ValueError as e:
                    self.errors.append("enum %s: %s: %s" % (enum, name, e))
            entries.append((name, nxt))
            known[name] = nxt
            nxt += 1
        return entries


# ---- spec -----------------------------------------------------------------

class Expected:
    """What the uAPI header must hold, computed from the spec."""

    def __init__(self, spec):
        self.spec = spec
        self.family = spec["name"]
        self.max_by_define = spec.get("max-by-define", False)
        self.defines = []   # (label, name, value)
        self.enums = []     # (label, enum name or None, [(entry, value)])
        self.extra_defines = []  # (label, name, value): max-by-define maxima
        self._globals()
        self._definitions()
        self._attribute_sets()
        self._operations()
        self._mcast_groups()

    def _globals(self):
        fam = self.family
        self.defines.append(("family name define",
                             c_upper(self.spec.get("c-family-name", fam + "-family-name")),
                             fam))
        self.defines.append(("family version define",
                             c_upper(self.spec.get("c-version-name", fam + "-family-version")),
                             self.spec.get("version", 1)))

    def _max_entries(self, label, entries, cnt_name, max_name):
        last = entries[-1][1] if entries else -1
        entries.append((cnt_name, last + 1))
        if self.max_by_define:
            self.extra_defines.append((label + " max define", max_name, last))
        else:
            entries.append((max_name, last))

    def _definitions(self):
        fam = self.family
        for d in self.spec.get("definitions", []):
            kind, name = d["type"], d["name"]
            if kind == "const":
                pfx = d.get("name-prefix", fam + "-")
                self.defines.append(("const " + name, c_upper(pfx + name), d["value"]))
                continue
            if "header" in d:
                continue    # defined by another header
            enum_name = d.get("enum-name", "%s-%s" % (fam, name))
            pfx = d.get("name-prefix", "%s-%s-" % (fam, name))
            start = d.get("value-start", 0)
            entries, val = [], start
            for i, e in enumerate(d.get("entries", [])):
                ename = e if isinstance(e, str) else e["name"]
                if isinstance(e, dict) and "value" in e:
                    val = e["value"]
                if kind == "flags":
                    entries.append((c_upper(pfx + ename), 1 << val))
                else:
                    entries.append((c_upper(pfx + ename), val))
                val += 1
            if d.get("render-max", False):
                if kind == "flags":
                    mask = 0
                    for _, v in entries:
                        mask |= v
                    entries.append((c_upper(pfx + "mask"), mask))
                else:
                    cnt = c_upper(d.get("enum-cnt-name", "__" + pfx + "max"))
                    self._max_entries("enum " + name, entries, cnt, c_upper(pfx + "max"))
            self.enums.append(("%s %s" % (kind, name),
                               c_upper(enum_name) if enum_name else None, entries))

    def _attribute_sets(self):
        fam = self.family
        for s in self.spec.get("attribute-sets", []):
            if "subset-of" in s:
                continue
            name = s["name"]
            if "name-prefix" in s:
                pfx = s["name-prefix"]
            elif name == fam:
                pfx = fam + "-a-"
            else:
                pfx = "%s-a-%s-" % (fam, name)
            entries, val = [], 1
            for a in s["attributes"]:
                if "value" in a:
                    val = a["value"]
                entries.append((c_upper(pfx + a["name"]), val))
                val += 1
            self._max_entries("attribute set " + name, entries,
                              c_upper(s.get("attr-cnt-name", "__" + pfx + "max")),
                              c_upper(s.get("attr-max-name", pfx + "max")))
            enum_name = s.get("enum-name")
            self.enums.append(("attribute set " + name,
                               c_upper(enum_name) if enum_name else None, entries))

    def _operations(self):
        ops = self.spec["operations"]
        if ops.get("enum-model", "unified") != "unified" or "async-prefix" in ops:
            raise SystemExit("ynl-check: only the unified operation model is supported")
        pfx = ops.get("name-prefix", self.family + "-cmd-")
        entries, val = [], 1
        for op in ops["list"]:
            if "value" in op:
                val = op["value"]
            entries.append((c_upper(pfx + op["name"]), val))
            val += 1
        self._max_entries("operations", entries,
                          c_upper(self.spec.get("cmd-cnt-name", "__" + pfx + "max")),
                          c_upper(self.spec.get("cmd-max-name", pfx + "max")))
        enum_name = ops.get("enum-name")
        self.enums.append(("operations", c_upper(enum_name) if enum_name else None, entries))

    def _mcast_groups(self):
        for g in self.spec.get("mcast-groups", {}).get("list", []):
            name = g["name"]
            define = g.get("c-define-name", "%s-mcgrp-%s" % (self.family, name))
            self.defines.append(("multicast group " + name, c_upper(define), name))


def spec_references(spec):
    """Names the spec uses that it does not define."""
    problems = []
    enums = {d["name"] for d in spec.get("definitions", []) if d["type"] in ("enum", "flags")}
    sets = {s["name"]: s for s in spec.get("attribute-sets", [])}
    groups = {g["name"] for g in spec.get("mcast-groups", {}).get("list", [])}
    for s in sets.values():
        if "subset-of" in s and s["subset-of"] not in sets:
            problems.append("set %s: subset-of unknown set %s" % (s["name"], s["subset-of"]))
        seen = set()
        for a in s["attributes"]:
            if a["name"] in seen:
                problems.append("set %s: attribute %s listed twice" % (s["name"], a["name"]))
            seen.add(a["name"])
            if "nested-attributes" in a and a["nested-attributes"] not in sets:
                problems.append("set %s: %s nests unknown set %s"
                                % (s["name"], a["name"], a["nested-attributes"]))
            if "enum" in a and a["enum"] not in enums:
                problems.append("set %s: %s uses unknown enum %s"
                                % (s["name"], a["name"], a["enum"]))
    for op in spec["operations"]["list"]:
        aset = op.get("attribute-set")
        if aset is None:
            if any(k in op for k in ("do", "dump", "event")):
                problems.append("op %s: no attribute-set" % op["name"])
            continue
        if aset not in sets:
            problems.append("op %s: unknown attribute-set %s" % (op["name"], aset))
            continue
        names = {a["name"] for a in sets[aset]["attributes"]}
        lists = []
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                lists.append((mode + " " + part,
                              ((op.get(mode) or {}).get(part) or {}).get("attributes", [])))
        lists.append(("event", (op.get("event") or {}).get("attributes", [])))
        for where, attrs in lists:
            for a in attrs:
                if a not in names:
                    problems.append("op %s %s: unknown attribute %s" % (op["name"], where, a))
        if "mcgrp" in op and op["mcgrp"] not in groups:
            problems.append("op %s: unknown multicast group %s" % (op["name"], op["mcgrp"]))
    return problems


# ---- comparison -----------------------------------------------------------

def compare_entries(want, have):
    """Differences between two [(name, value)] lists, as text lines."""
    diffs = []
    want_d, have_d = dict(want), dict(have)
    for name, val in want:
        if name not in have_d:
            diffs.append("missing from the header: %s = %d" % (name, val))
        elif have_d[name] != val:
            diffs.append("%s: header has %d, spec says %d" % (name, have_d[name], val))
    for name, val in have:
        if name not in want_d:
            diffs.append("not in the spec: %s = %d" % (name, val))
    if not diffs and [n for n, _ in want] != [n for n, _ in have]:
        diffs.append("same entries in another order: header %s"
                     % ", ".join(n for n, _ in have))
    return diffs


def run(spec_path, header_path):
    try:
        with open(spec_path) as f:
            spec = yaml.safe_load(f)
        with open(header_path) as f:
            header = Header(f.read())
    except (OSError, yaml.YAMLError) as e:
        sys.stderr.write("ynl-check: %s\n" % e)
        return 2

    results = []    # (ok, description, [diagnostics])

    def check(desc, diags):
        results.append((not diags, desc, diags))

    exp = Expected(spec)
    check("header parses", list(header.errors))
    check("spec references resolve", spec_references(spec))

    used_defines, used_enums = set(), set()
    for label, name, value in exp.defines + exp.extra_defines:
        used_defines.add(name)
        if name not in header.defines:
            check(label, ["#define %s missing from the header" % name])
        elif header.defines[name] != value:
            check(label, ["#define %s: header has %r, spec says %r"
                          % (name, header.defines[name], value)])
        else:
            check(label, [])

    # Anonymous spec enums match header enums by their first entry.
    by_first = {e[0][0]: n for n, e in header.enums.items() if e}
    for label, name, entries in exp.enums:
        hname = name.lower() if name else by_first.get(entries[0][0] if entries else None)
        if hname is None or hname not in header.enums:
            check(label, ["enum %s missing from the header"
                          % (name.lower() if name else "with " + entries[0][0])])
            continue
        if not name and not hname.startswith("<anonymous"):
            check(label, ["the spec leaves the enum unnamed, the header names it %s" % hname])
            used_enums.add(hname)
            continue
        used_enums.add(hname)
        check(label + " (enum %s)" % hname, compare_entries(entries, header.enums[hname]))

    extra = ["enum %s is not described by the spec" % n
             for n in header.enums if n not in used_enums]
    guard = [n for n, v in header.defines.items() if v is None]
    extra += ["#define %s is not described by the spec" % n
              for n in header.defines if n not in used_defines and n not in guard]
    check("header holds nothing the spec does not describe", extra)

    print("TAP version 13")
    print("1..%d" % len(results))
    failed = 0
    for i, (ok, desc, diags) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
        for d in diags:
            print("# " + d)
        failed += not ok
    print("# %s vs %s" % (os.path.relpath(spec_path), os.path.relpath(header_path)))
    print("# %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--spec", default=DEFAULT_SPEC)
    ap.add_argument("--header", default=DEFAULT_HEADER)
    args = ap.parse_args()
    return run(args.spec, args.header)


if __name__ == "__main__":
    sys.exit(main())
