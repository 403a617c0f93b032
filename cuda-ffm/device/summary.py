#!/usr/bin/env python3
"""Merges the device check's JSON files into summary.json and prints the short table (last)."""
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": f"{path}: {e}"}


def main():
    out = sys.argv[1]
    info = load(os.path.join(out, "cuda-info.json"))
    ours = load(os.path.join(out, "bench-tokenlab.json"))
    torch = load(os.path.join(out, "bench-torch.json"))
    tests = open(os.path.join(out, "tests.txt")).read() if os.path.exists(os.path.join(out, "tests.txt")) else ""
    gpt = open(os.path.join(out, "gpt-bench.txt")).read() if os.path.exists(os.path.join(out, "gpt-bench.txt")) else ""
    summary = {"availability": info, "tokenlab": ours.get("results", ours), "torch": torch.get("results", torch),
               "torch_env": torch.get("env"),
               "tests": [l.strip() for l in tests.splitlines() if l.strip().startswith("[") and "tests" in l],
               "gpt_bench": [l.strip() for l in gpt.splitlines() if l.startswith(("bench ", "torch "))]}
    tmp = os.path.join(out, "summary.json.tmp")
    with open(tmp, "w") as f:
        json.dump(summary, f, indent=2)
    os.replace(tmp, os.path.join(out, "summary.json"))

    print("cuda:", info.get("status"), "-", info.get("cudart"), "/", info.get("cublas"))
    for line in summary["tests"]:
        print("junit", line)
    for line in summary["gpt_bench"]:
        print(line)
    mine = ours.get("results") if isinstance(ours.get("results"), list) else []
    theirs = torch.get("results") if isinstance(torch.get("results"), list) else []
    key = lambda r: (r["mode"], r.get("n"), r.get("kernel"), r.get("shape"))
    t = {key(r): r for r in theirs}
    print(f"{'GEMM':14s} {'n':>5s} {'tokenlab TFLOP/s':>17s} {'torch TFLOP/s':>14s} {'ratio':>6s}"
          f" {'host us/call, ours':>19s} {'torch':>6s}")
    for r in (r for r in mine if "tflops" in r):
        # our variants of a mode ("tf32-ex": TF32 asked for in cublasGemmEx; "-ws32": a handle with a 32 MiB
        # workspace) are compared with torch's plain row of that mode
        p = t.get(key(dict(r, mode=r["mode"].removesuffix("-ws32").removesuffix("-ex"))))
        ratio = f"{r['tflops'] / p['tflops']:.2f}" if p else "-"
        pt = f"{p['tflops']:.1f}" if p else "-"
        host = lambda row: f"{row['host_us']:.1f}" if row and "host_us" in row else "-"
        print(f"{r['mode']:14s} {r['n']:5d} {r['tflops']:17.1f} {pt:>14s} {ratio:>6s} {host(r):>19s} {host(p):>6s}")
    print(f"{'kernel':12s} {'shape':34s} {'tokenlab ms':>11s} {'torch ms':>9s} {'ratio':>6s}")
    for r in (r for r in mine if r.get("mode") == "kernel"):
        p = t.get(key(r))
        ratio = f"{r['ms'] / p['ms']:.2f}" if p else "-"
        pt = f"{p['ms']:.3f}" if p else "-"
        print(f"{r['kernel']:12s} {r['shape']:34s} {r['ms']:11.3f} {pt:>9s} {ratio:>6s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
