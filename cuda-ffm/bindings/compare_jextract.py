#!/usr/bin/env python3
"""Compares jextract's generated descriptors with symbols.txt (used by regenerate.sh).

jextract writes, per function, `FunctionDescriptor.of(<header>.C_INT, <header>.C_POINTER, ...)`. Its
C_LONG and C_LONG_LONG are both JAVA_LONG on Linux x86-64, and a by-value struct is `dim3.layout()`.
Usage: compare_jextract.py symbols.txt GENERATED_SRC_DIR
"""
import os
import re
import sys

OURS = {"int": "INT", "size_t": "LONG", "longlong": "LONG", "float": "FLOAT", "pointer": "POINTER",
        "string": "POINTER", "dim3": "DIM3"}
THEIRS = {"C_INT": "INT", "C_LONG": "LONG", "C_LONG_LONG": "LONG", "C_FLOAT": "FLOAT", "C_POINTER": "POINTER",
          "dim3.layout()": "DIM3"}


def main():
    symbols, src = sys.argv[1], sys.argv[2]
    want = {}
    for line in open(symbols):
        if line.strip() and not line.startswith("#"):
            lib, name, ret, *params = line.split()
            want[name] = [OURS[ret]] + [OURS[p.split(":")[0]] for p in params]
    text = ""
    for root, _, files in os.walk(src):
        for f in files:
            if f.endswith(".java"):
                text += open(os.path.join(root, f)).read()
    bad = 0
    for name, types in want.items():
        m = re.search(r"class " + re.escape(name) + r" \{.*?FunctionDescriptor\.of\((.*?)\);", text, re.S)
        if not m:
            print(f"MISSING  {name}: not generated (not in these headers?)")
            bad += 1
            continue
        got = [THEIRS.get(re.sub(r"^\w+_h\.", "", t.strip()), t.strip()) for t in m.group(1).split(",")]
        if got != types:
            print(f"MISMATCH {name}: jextract {got} vs symbols.txt {types}")
            bad += 1
    print(f"compare_jextract: {len(want) - bad}/{len(want)} functions agree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
